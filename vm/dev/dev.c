/* dev.c: the console a VM sees (through syscalls and through the MMIO
 * registers at 0xffff0000), its virtual clock and its random generators.
 *
 * Input is read from the host into a queue and consumed from there, so the
 * bytes the host has delivered but the guest has not read yet are part of
 * the VM state (a snapshot keeps them) and a non-blocking monitor step can
 * ask "is a whole line there?" without losing anything.
 * Output is gathered line by line and each complete line is written with
 * one fwrite (stdio locks the stream per call): lines of VMs running on
 * several threads never interleave. */
#include "dev.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bh_util.h"
#include "monitor.h"
#include "vm_internal.h"

/* ---- output ---- */

static int reserve(uint8_t **buf, uint32_t *cap, uint32_t need)
{
    if (need <= *cap) return 0;
    uint32_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    uint8_t *p = realloc(*buf, n);
    if (!p) return -1;
    *buf = p;
    *cap = n;
    return 0;
}

/* Write the buffered bytes (with the prefix when a line starts there). */
static void emit(struct bh_dev *dev)
{
    if (!dev->outline_len) return;
    size_t plen = dev->out_midline ? 0 : strlen(dev->prefix);
    if (plen) {
        /* prefix + line in one fwrite: build it in front of the buffer */
        if (reserve(&dev->outline, &dev->outline_cap, dev->outline_len + (uint32_t)plen) == 0) {
            memmove(dev->outline + plen, dev->outline, dev->outline_len);
            memcpy(dev->outline, dev->prefix, plen);
            dev->outline_len += (uint32_t)plen;
        } else if (fwrite(dev->prefix, 1, plen, dev->out) != plen) {
            dev->out_error = errno ? errno : EIO;
        }
    }
    if (fwrite(dev->outline, 1, dev->outline_len, dev->out) != dev->outline_len)
        dev->out_error = errno ? errno : EIO;
    dev->out_midline = dev->outline[dev->outline_len - 1] != '\n';
    dev->outline_len = 0;
}

void bh_dev_write(struct bh_dev *dev, const void *p, size_t n)
{
    const uint8_t *s = p;
    dev->out_bytes += n;
    while (n) {
        const uint8_t *nl = memchr(s, '\n', n);
        size_t take = nl ? (size_t)(nl - s) + 1 : n;
        if (take > BH_DEV_LINE_MAX) take = BH_DEV_LINE_MAX;
        if (reserve(&dev->outline, &dev->outline_cap,
                    dev->outline_len + (uint32_t)take + BH_DEV_PREFIX_MAX) != 0) {
            dev->out_error = ENOMEM;
            return;
        }
        memcpy(dev->outline + dev->outline_len, s, take);
        dev->outline_len += (uint32_t)take;
        s += take;
        n -= take;
        if (dev->outline[dev->outline_len - 1] == '\n' || dev->outline_len >= BH_DEV_LINE_MAX)
            emit(dev);
    }
}

void bh_dev_printf(struct bh_dev *dev, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof buf) {
        bh_dev_write(dev, buf, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) { dev->out_error = ENOMEM; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bh_dev_write(dev, big, (size_t)n);
    free(big);
}

void bh_dev_flush(struct bh_dev *dev)
{
    /* Several VMs share the output (a prefix is set): while the VM runs,
     * an unfinished line waits for its end, so no VM's line is cut by
     * another's.  Only a prompt for someone at a terminal is shown early. */
    if (dev->prefix[0] && (dev->state == BH_VM_RUNNING || dev->state == BH_VM_WAITING) &&
        !(dev->in && !dev->in_held && dev->in_fd >= 0 && isatty(dev->in_fd)))
        return;
    emit(dev);
    if (dev->out && fflush(dev->out) != 0) dev->out_error = errno ? errno : EIO;
}

void bh_dev_close_output(struct bh_dev *dev)
{
    emit(dev);
    if (dev->prefix[0] && dev->out_midline && dev->out) {
        if (fputc('\n', dev->out) == EOF) dev->out_error = errno ? errno : EIO;
        dev->out_midline = 0;
    }
    bh_dev_flush(dev);
}

/* ---- input ---- */

/* Read more host input into the queue.  Returns 1 if bytes arrived or the
 * input ended, 0 if nothing is available (only when !block). */
static int fill(struct bh_dev *dev, int block)
{
    if (dev->in_eof) return 1;
    if (dev->in_held) return 0; /* not ours yet: wait, not end of input */
    if (!dev->in) { dev->in_eof = 1; return 1; }
    if (reserve(&dev->inq, &dev->inq_cap, dev->inq_len + 4096) != 0) {
        dev->in_eof = 1; /* treat exhaustion as end of input rather than spin */
        return 1;
    }
    if (dev->in_fd < 0) {
        /* A memory stream (tests): always ready; read one line at most. */
        int c;
        uint32_t got = 0;
        while (got < 4096 && (c = getc(dev->in)) != EOF) {
            dev->inq[dev->inq_len++] = (uint8_t)c;
            got++;
            if (c == '\n') break;
        }
        if (!got) dev->in_eof = 1;
        return 1;
    }
    if (!block) {
        struct pollfd pfd = {.fd = dev->in_fd, .events = POLLIN};
        int r;
        do r = poll(&pfd, 1, 0);
        while (r < 0 && errno == EINTR);
        if (r == 0) return 0;
    }
    ssize_t n;
    do n = read(dev->in_fd, dev->inq + dev->inq_len, 4096);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (n <= 0) dev->in_eof = 1;
    else dev->inq_len += (uint32_t)n;
    return 1;
}

int bh_dev_want_line(struct bh_dev *dev, int block)
{
    for (;;) {
        if (dev->in_eof || (dev->inq_len && memchr(dev->inq, '\n', dev->inq_len))) return 1;
        if (!fill(dev, block)) return 0;
    }
}

int bh_dev_want_byte(struct bh_dev *dev, int block)
{
    while (!dev->inq_len && !dev->in_eof)
        if (!fill(dev, block)) return 0;
    return 1;
}

void bh_dev_consume(struct bh_dev *dev, uint32_t n)
{
    if (n > dev->inq_len) n = dev->inq_len;
    if (n == 0) return; /* the queue may have no buffer yet */
    memmove(dev->inq, dev->inq + n, dev->inq_len - n);
    dev->inq_len -= n;
    dev->in_consumed += n;
}

void bh_dev_pass_input(struct bh_dev *to, struct bh_dev *from)
{
    if (to->inq_len || to->in_eof || !from->inq_len) {
        to->in_eof |= from->in_eof && !from->inq_len && to->in == from->in;
        return;
    }
    uint8_t *q = to->inq;
    uint32_t cap = to->inq_cap;
    to->inq = from->inq;
    to->inq_len = from->inq_len;
    to->inq_cap = from->inq_cap;
    to->in_eof = from->in_eof;
    from->inq = q;
    from->inq_cap = cap;
    from->inq_len = 0;
}

/* ---- clock and random numbers ---- */

uint64_t bh_dev_time_ms(const struct bh_dev *dev, uint64_t icount)
{
    return BH_DEV_EPOCH_MS + icount * BH_DEV_NS_PER_INSN / 1000000u + dev->sleep_ms;
}

#define JR_MULT 0x5DEECE66Dull
#define JR_MASK ((1ull << 48) - 1)

static struct bh_dev_rng *rng_slot(struct bh_dev *dev, int32_t id)
{
    for (uint32_t i = 0; i < dev->nrng; i++)
        if (dev->rng[i].id == id) return &dev->rng[i];
    /* A generator nobody seeded: seeded from the VM's --seed and its id, so
     * runs are reproducible (MARS would use the wall clock).  When the
     * table is full the slot id % max is reused. */
    struct bh_dev_rng *r = dev->nrng < BH_DEV_RNG_MAX ? &dev->rng[dev->nrng++]
                                                      : &dev->rng[(uint32_t)id % BH_DEV_RNG_MAX];
    r->id = id;
    r->state = ((dev->seed + (uint64_t)(uint32_t)id * 0x9E3779B97F4A7C15ull) ^ JR_MULT) & JR_MASK;
    return r;
}

void bh_dev_rng_seed(struct bh_dev *dev, int32_t id, uint64_t seed)
{
    struct bh_dev_rng *r = rng_slot(dev, id);
    r->state = (seed ^ JR_MULT) & JR_MASK; /* java.util.Random.setSeed */
}

static int32_t jr_next(struct bh_dev_rng *r, int bits)
{
    r->state = (r->state * JR_MULT + 0xB) & JR_MASK;
    return (int32_t)(uint32_t)(r->state >> (48 - bits));
}

int32_t bh_dev_rng_int(struct bh_dev *dev, int32_t id)
{
    return jr_next(rng_slot(dev, id), 32);
}

int32_t bh_dev_rng_below(struct bh_dev *dev, int32_t id, int32_t bound)
{
    struct bh_dev_rng *r = rng_slot(dev, id);
    if ((bound & -bound) == bound) /* power of two: the high bits */
        return (int32_t)(((int64_t)bound * jr_next(r, 31)) >> 31);
    int32_t bits, val;
    do { /* reject the uneven top of the range, as Java does */
        bits = jr_next(r, 31);
        val = bits % bound;
    } while ((int64_t)bits - val + (bound - 1) > INT32_MAX);
    return val;
}

/* ---- memory-mapped console ---- */

static void update_irqs(struct bh_dev *dev)
{
    dev->rcv_ctrl = (dev->rcv_ctrl & ~BH_DEV_CTRL_READY) | (dev->inq_len ? BH_DEV_CTRL_READY : 0);
    dev->tx_ctrl |= BH_DEV_CTRL_READY; /* output is immediate: always ready */
    if (!dev->vm) return;
    bh_vm_irq(dev->vm, BH_DEV_CAUSE_RCV,
              (dev->rcv_ctrl & BH_DEV_CTRL_IE) && (dev->rcv_ctrl & BH_DEV_CTRL_READY));
    bh_vm_irq(dev->vm, BH_DEV_CAUSE_TX,
              (dev->tx_ctrl & BH_DEV_CTRL_IE) && (dev->tx_ctrl & BH_DEV_CTRL_READY));
}

void bh_dev_poll(struct bh_dev *dev)
{
    /* Never blocks: a guest that polls the receiver spins, as on hardware. */
    if (!dev->inq_len) bh_dev_want_byte(dev, 0);
    update_irqs(dev);
}

static int mmio_read(void *opaque, uint32_t offset, unsigned size, uint32_t *val)
{
    struct bh_dev *dev = opaque;
    uint32_t v = 0;
    switch (offset & ~3u) {
    case BH_DEV_RCV_CTRL:
        bh_dev_poll(dev);
        v = dev->rcv_ctrl;
        break;
    case BH_DEV_RCV_DATA:
        if (!dev->inq_len) bh_dev_want_byte(dev, 0);
        if (dev->inq_len) {
            dev->rcv_data = dev->inq[0];
            bh_dev_consume(dev, 1);
        }
        update_irqs(dev);
        v = dev->rcv_data;
        break;
    case BH_DEV_TX_CTRL: v = dev->tx_ctrl | BH_DEV_CTRL_READY; break;
    case BH_DEV_TX_DATA: v = dev->tx_data; break;
    default: return -1;
    }
    v >>= 8 * (offset & 3u);
    *val = size == 4 ? v : size == 2 ? (v & 0xffffu) : (v & 0xffu);
    return 0;
}

static int mmio_write(void *opaque, uint32_t offset, unsigned size, uint32_t val)
{
    struct bh_dev *dev = opaque;
    if (offset & 3u) return 0; /* only the low byte of each register means anything */
    switch (offset) {
    case BH_DEV_RCV_CTRL:
        dev->rcv_ctrl = (dev->rcv_ctrl & ~BH_DEV_CTRL_IE) | (val & BH_DEV_CTRL_IE);
        break;
    case BH_DEV_RCV_DATA: break; /* read-only */
    case BH_DEV_TX_CTRL:
        dev->tx_ctrl = (dev->tx_ctrl & ~BH_DEV_CTRL_IE) | (val & BH_DEV_CTRL_IE);
        break;
    case BH_DEV_TX_DATA: {
        uint8_t c = (uint8_t)val;
        dev->tx_data = c;
        bh_dev_write(dev, &c, 1);
        break;
    }
    default: return -1;
    }
    update_irqs(dev);
    return 0;
}

/* ---- life cycle ---- */

void bh_dev_set_console(struct bh_dev *dev, FILE *in, FILE *out, const char *prefix)
{
    if (in) {
        dev->in = in;
        /* fileno is -1 for memory streams: those are read with stdio. */
        dev->in_fd = fileno(in);
    }
    if (out) {
        if (dev->out && dev->out != out) bh_dev_flush(dev);
        dev->out = out;
    }
    if (prefix) snprintf(dev->prefix, sizeof dev->prefix, "%s", prefix);
}

int bh_dev_init(struct bh_dev *dev, struct bh_vm *vm, char *err, size_t errlen)
{
    memset(dev, 0, sizeof *dev);
    dev->vm = vm;
    dev->root_fd = -1;
    dev->in_fd = -1;
    dev->diag = stderr;
    dev->tx_ctrl = BH_DEV_CTRL_READY;
    for (int i = 0; i < BH_DEV_FILES_MAX; i++) dev->files[i].host_fd = -1;
    bh_dev_set_console(dev, stdin, stdout, "");
    if (vm) {
        dev->seed = bh_vm_seed(vm);
        const char *root = bh_vm_fs_root(vm);
        if (root) {
            dev->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dev->root_fd < 0)
                return bh_errf(err, errlen, "--fs-root %s: %s", root, strerror(errno));
        }
        if (bh_mem_map_io(bh_vm_mem(vm), BH_MMIO_BASE, BH_DEV_MMIO_SIZE, mmio_read, mmio_write,
                          dev, err, errlen) != 0) {
            if (dev->root_fd >= 0) close(dev->root_fd);
            dev->root_fd = -1;
            return -1;
        }
    }
    return 0;
}

void bh_dev_free(struct bh_dev *dev)
{
    for (int i = 0; i < BH_DEV_FILES_MAX; i++)
        if (dev->files[i].host_fd >= 0) close(dev->files[i].host_fd);
    if (dev->root_fd >= 0) close(dev->root_fd);
    free(dev->inq);
    free(dev->outline);
    dev->inq = dev->outline = NULL;
    dev->root_fd = -1;
}
