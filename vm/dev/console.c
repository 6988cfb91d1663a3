/* console.c: the console device (console.h): the terminal a VM sees
 * through syscalls and through the MMIO registers at 0xffff0000.
 *
 * Input is read from the host into a queue and consumed from there;
 * output is gathered line by line and each complete line is written with
 * one fwrite (stdio locks the stream per call): lines of VMs running on
 * several threads never interleave.  Each line is flushed as it completes:
 * stdio would hold a pipe's or a file's output in its buffer until it
 * fills, and someone watching (or a kill) would see nothing. */
#include "dev/console.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Consoles with a prefix share one host stream (several VMs' output on
 * stdout).  A piece of an unfinished line (a long one, or a prompt shown
 * before a read) leaves the stream in the middle of that VM's line: the
 * console that did it is remembered here, so that another VM's line starts
 * on a line of its own and the first VM's continuation gets its prefix
 * again.  Every line stays whole and names its VM. */
static pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;
static const struct bh_console *shared_midline; /* under shared_mu */

/* Write the buffered bytes (with the prefix when a line starts there). */
static void emit_locked(struct bh_console *con)
{
    if (con->prefix[0] && shared_midline != con) {
        if (shared_midline && fputc('\n', con->out) == EOF) con->out_error = errno ? errno : EIO;
        shared_midline = NULL;
        con->out_midline = 0; /* another VM's line came between: start a new one */
    }
    size_t plen = con->out_midline ? 0 : strlen(con->prefix);
    if (plen) {
        /* prefix + line in one fwrite: build it in front of the buffer */
        if (reserve(&con->outline, &con->outline_cap, con->outline_len + (uint32_t)plen) == 0) {
            memmove(con->outline + plen, con->outline, con->outline_len);
            memcpy(con->outline, con->prefix, plen);
            con->outline_len += (uint32_t)plen;
        } else if (fwrite(con->prefix, 1, plen, con->out) != plen) {
            con->out_error = errno ? errno : EIO;
        }
    }
    if (fwrite(con->outline, 1, con->outline_len, con->out) != con->outline_len)
        con->out_error = errno ? errno : EIO;
    con->out_midline = con->outline[con->outline_len - 1] != '\n';
    con->outline_len = 0;
    if (con->prefix[0]) shared_midline = con->out_midline ? con : NULL;
}

static void emit(struct bh_console *con)
{
    if (!con->outline_len) return;
    pthread_mutex_lock(&shared_mu);
    emit_locked(con);
    pthread_mutex_unlock(&shared_mu);
}

/* Hand what stdio holds to the host (a write(2) when it holds anything). */
static void push(struct bh_console *con)
{
    if (con->out && fflush(con->out) != 0) con->out_error = errno ? errno : EIO;
}

void bh_console_write(struct bh_console *con, const void *p, size_t n)
{
    const uint8_t *s = p;
    if (con->tape) { /* replayed output the host already shows: not again */
        uint64_t seen = con->tape->out_high > con->out_bytes ? con->tape->out_high - con->out_bytes : 0;
        size_t skip = seen < n ? (size_t)seen : n;
        s += skip;
        n -= skip;
        con->out_bytes += skip;
        if (con->out_bytes + n > con->tape->out_high) con->tape->out_high = con->out_bytes + n;
    }
    con->out_bytes += n;
    while (n) {
        const uint8_t *nl = memchr(s, '\n', n);
        size_t take = nl ? (size_t)(nl - s) + 1 : n;
        if (take > BH_CON_LINE_MAX) take = BH_CON_LINE_MAX;
        if (reserve(&con->outline, &con->outline_cap,
                    con->outline_len + (uint32_t)take + BH_CON_PREFIX_MAX) != 0) {
            con->out_error = ENOMEM;
            return;
        }
        memcpy(con->outline + con->outline_len, s, take);
        con->outline_len += (uint32_t)take;
        s += take;
        n -= take;
        if (con->outline[con->outline_len - 1] == '\n' || con->outline_len >= BH_CON_LINE_MAX) {
            emit(con);
            push(con);
        }
    }
}

void bh_console_printf(struct bh_console *con, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof buf) {
        bh_console_write(con, buf, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) { con->out_error = ENOMEM; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bh_console_write(con, big, (size_t)n);
    free(big);
}

void bh_console_flush(struct bh_console *con)
{
    /* Several VMs share the output (a prefix is set): while the VM runs,
     * an unfinished line waits for its end, so no VM's line is cut by
     * another's.  Only a prompt for someone at a terminal is shown early. */
    if (con->prefix[0] && con->hold_lines &&
        !(con->in && !con->in_held && con->in_fd >= 0 && isatty(con->in_fd)))
        return;
    emit(con);
    push(con);
}

void bh_console_close_output(struct bh_console *con)
{
    pthread_mutex_lock(&shared_mu);
    if (con->outline_len) emit_locked(con);
    if (con->prefix[0] && con->out_midline && con->out) {
        /* end the line, unless another VM's output already did */
        if (shared_midline == con && fputc('\n', con->out) == EOF)
            con->out_error = errno ? errno : EIO;
        if (shared_midline == con) shared_midline = NULL;
        con->out_midline = 0;
    }
    pthread_mutex_unlock(&shared_mu);
    bh_console_flush(con);
}

/* ---- input ---- */

/* Read more host input into the queue.  Returns 1 if bytes arrived or the
 * input ended, 0 if nothing is available (only when !block). */
static int fill_host(struct bh_console *con, int block);

/* Time travel: the next recorded chunk, once the VM is at its count (a
 * blocking read takes it at once); past the recording, the host's input
 * (recorded) from live_from on, none before. */
static int fill_tape(struct bh_console *con, int block)
{
    struct bh_con_tape *t = con->tape;
    uint64_t now = t->now(t->ctx);
    if (t->next < t->n) {
        const struct bh_con_chunk *c = &t->chunk[t->next];
        if (c->icount > now && !block) return 0;
        uint64_t start = t->next ? t->chunk[t->next - 1].end : 0;
        if (reserve(&con->inq, &con->inq_cap, con->inq_len + (uint32_t)(c->end - start)) != 0) {
            con->in_eof = 1;
            return 1;
        }
        if (c->end > start) /* an end of input alone has no bytes */
            memcpy(con->inq + con->inq_len, t->bytes.data + start, c->end - start);
        con->inq_len += (uint32_t)(c->end - start);
        con->in_eof |= c->eof;
        t->next++;
        return 1;
    }
    if (now < t->live_from && !block) return 0;
    uint32_t before = con->inq_len;
    int was_eof = con->in_eof;
    int r = fill_host(con, block);
    uint32_t got = con->inq_len - before;
    if (!got && was_eof == con->in_eof) return r;
    if (t->n == t->ncap) {
        size_t c = t->ncap ? 2 * t->ncap : 16;
        struct bh_con_chunk *q = realloc(t->chunk, c * sizeof *q);
        if (!q) return r; /* out of memory: this chunk is not replayable, the run goes on */
        t->chunk = q;
        t->ncap = c;
    }
    size_t len = t->bytes.len;
    bh_buf_append(&t->bytes, con->inq + before, got);
    if (t->bytes.len != len + got) return r; /* out of memory, as above */
    t->chunk[t->n++] = (struct bh_con_chunk){now, t->bytes.len, con->in_eof && !was_eof};
    t->next = t->n;
    return r;
}

static int fill(struct bh_console *con, int block)
{
    if (con->in_eof) return 1;
    if (con->tape && !con->in_held) return fill_tape(con, block);
    return fill_host(con, block);
}

static int fill_host(struct bh_console *con, int block)
{
    if (con->in_held) return 0; /* not ours yet: wait, not end of input */
    if (!con->in) { con->in_eof = 1; return 1; }
    if (reserve(&con->inq, &con->inq_cap, con->inq_len + 4096) != 0) {
        con->in_eof = 1; /* treat exhaustion as end of input rather than spin */
        return 1;
    }
    if (con->in_fd < 0) {
        /* A memory stream (tests): always ready; read one line at most. */
        int c;
        uint32_t got = 0;
        while (got < 4096 && (c = getc(con->in)) != EOF) {
            con->inq[con->inq_len++] = (uint8_t)c;
            got++;
            if (c == '\n') break;
        }
        if (!got) con->in_eof = 1;
        return 1;
    }
    if (!block) {
        struct pollfd pfd = {.fd = con->in_fd, .events = POLLIN};
        int r;
        do r = poll(&pfd, 1, 0);
        while (r < 0 && errno == EINTR);
        if (r == 0) return 0;
    } else if (con->intr_fd >= 0) {
        /* Wait for input or for the host's call; a signal (EINTR) also
         * hands the thread back, so the host can act on it. */
        struct pollfd pfd[2] = {{.fd = con->in_fd, .events = POLLIN},
                                {.fd = con->intr_fd, .events = POLLIN}};
        int r = poll(pfd, 2, -1);
        if ((r < 0 && errno == EINTR) || (r > 0 && pfd[1].revents)) return 0;
    }
    ssize_t n;
    do n = read(con->in_fd, con->inq + con->inq_len, 4096);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (n <= 0) con->in_eof = 1;
    else con->inq_len += (uint32_t)n;
    return 1;
}

int bh_console_want_line(struct bh_console *con, int block)
{
    for (;;) {
        if (con->in_eof || (con->inq_len && memchr(con->inq, '\n', con->inq_len))) return 1;
        if (!fill(con, block)) return 0;
    }
}

int bh_console_want_byte(struct bh_console *con, int block)
{
    while (!con->inq_len && !con->in_eof)
        if (!fill(con, block)) return 0;
    return 1;
}

void bh_console_consume(struct bh_console *con, uint32_t n)
{
    if (n > con->inq_len) n = con->inq_len;
    if (n == 0) return; /* the queue may have no buffer yet */
    memmove(con->inq, con->inq + n, con->inq_len - n);
    con->inq_len -= n;
    con->in_consumed += n;
}

void bh_console_pass_input(struct bh_console *to, struct bh_console *from)
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

/* ---- memory-mapped console ---- */

static void update_irqs(struct bh_console *con)
{
    con->rcv_ctrl = (con->rcv_ctrl & ~BH_CON_CTRL_READY) | (con->inq_len ? BH_CON_CTRL_READY : 0);
    con->tx_ctrl |= BH_CON_CTRL_READY; /* output is immediate: always ready */
    bh_irq_set(&con->irq_rcv, (con->rcv_ctrl & BH_CON_CTRL_IE) && (con->rcv_ctrl & BH_CON_CTRL_READY));
    bh_irq_set(&con->irq_tx, (con->tx_ctrl & BH_CON_CTRL_IE) && (con->tx_ctrl & BH_CON_CTRL_READY));
}

void bh_console_poll(struct bh_console *con)
{
    /* Never blocks: a guest that polls the receiver spins, as on hardware. */
    if (!con->inq_len) bh_console_want_byte(con, 0);
    update_irqs(con);
}

static int mmio_read(void *opaque, uint32_t offset, unsigned size, uint32_t *val)
{
    struct bh_console *con = opaque;
    uint32_t v = 0;
    switch (offset & ~3u) {
    case BH_CON_RCV_CTRL:
        bh_console_poll(con);
        v = con->rcv_ctrl;
        break;
    case BH_CON_RCV_DATA:
        if (!con->inq_len) bh_console_want_byte(con, 0);
        if (con->inq_len) {
            con->rcv_data = con->inq[0];
            bh_console_consume(con, 1);
        }
        update_irqs(con);
        v = con->rcv_data;
        break;
    case BH_CON_TX_CTRL: v = con->tx_ctrl | BH_CON_CTRL_READY; break;
    case BH_CON_TX_DATA: v = con->tx_data; break;
    default: return -1;
    }
    v >>= 8 * (offset & 3u);
    *val = size == 4 ? v : size == 2 ? (v & 0xffffu) : (v & 0xffu);
    return 0;
}

static int mmio_write(void *opaque, uint32_t offset, unsigned size, uint32_t val)
{
    struct bh_console *con = opaque;
    if (offset & 3u) return 0; /* only the low byte of each register means anything */
    switch (offset) {
    case BH_CON_RCV_CTRL:
        con->rcv_ctrl = (con->rcv_ctrl & ~BH_CON_CTRL_IE) | (val & BH_CON_CTRL_IE);
        break;
    case BH_CON_RCV_DATA: break; /* read-only */
    case BH_CON_TX_CTRL:
        con->tx_ctrl = (con->tx_ctrl & ~BH_CON_CTRL_IE) | (val & BH_CON_CTRL_IE);
        break;
    case BH_CON_TX_DATA: {
        uint8_t c = (uint8_t)val;
        con->tx_data = c;
        if (con->screen && c == '\f') {
            bh_console_printf(con, "\033[2J\033[H");
        } else if (con->screen && c == '\a') { /* x in bits 20-31, y in 8-19 */
            bh_console_printf(con, "\033[%u;%uH", ((val >> 8) & 0xfffu) + 1, (val >> 20) + 1);
        } else {
            bh_console_write(con, &c, 1);
        }
        if (con->screen)
            bh_console_flush(con);
        break;
    }
    default: return -1;
    }
    update_irqs(con);
    return 0;
}

static const char *const con_regs[] = {"rcv_ctrl", "rcv_data", "tx_ctrl", "tx_data"};
const struct bh_dev_region bh_console_region = {"console", BH_CON_MMIO_SIZE, mmio_read, mmio_write,
                                                con_regs, 4};

/* ---- life cycle ---- */

void bh_console_attach(struct bh_console *con, FILE *in, FILE *out, const char *prefix)
{
    if (in) {
        con->in = in;
        /* fileno is -1 for memory streams: those are read with stdio. */
        con->in_fd = fileno(in);
    }
    if (out) {
        if (con->out && con->out != out) bh_console_flush(con);
        con->out = out;
    }
    if (prefix) snprintf(con->prefix, sizeof con->prefix, "%s", prefix);
}

void bh_console_init(struct bh_console *con)
{
    memset(con, 0, sizeof *con);
    con->in_fd = -1;
    con->intr_fd = -1;
    con->tx_ctrl = BH_CON_CTRL_READY;
    bh_console_attach(con, stdin, stdout, "");
}

void bh_console_free(struct bh_console *con)
{
    pthread_mutex_lock(&shared_mu);
    if (shared_midline == con) shared_midline = NULL;
    pthread_mutex_unlock(&shared_mu);
    free(con->inq);
    free(con->outline);
    con->inq = con->outline = NULL;
    con->inq_len = con->inq_cap = con->outline_len = con->outline_cap = 0;
}

/* ---- state ---- */

#define INQ_MAX (16u << 20) /* queued input a snapshot may hold */

int bh_console_save(const struct bh_console *con, struct bh_buf *b)
{
    bh_buf_put32(b, con->inq_len);
    bh_buf_append(b, con->inq, con->inq_len);
    bh_buf_put32(b, (uint32_t)con->in_eof);
    bh_buf_put64(b, con->in_consumed);
    bh_buf_put64(b, con->out_bytes);
    bh_buf_put32(b, con->outline_len);
    bh_buf_append(b, con->outline, con->outline_len);
    bh_buf_put32(b, (uint32_t)con->out_midline);
    /* The ready bit as the queue says, not as the last poll left it: when
     * that poll ran depends on the host's timing, a snapshot must not. */
    bh_buf_put32(b, (con->rcv_ctrl & ~BH_CON_CTRL_READY) | (con->inq_len ? BH_CON_CTRL_READY : 0));
    bh_buf_put32(b, con->rcv_data);
    bh_buf_put32(b, con->tx_ctrl);
    bh_buf_put32(b, con->tx_data);
    return b->oom ? -1 : 0;
}

/* Move a fresh, seekable host input past what the original VM had read. */
static void skip_input(struct bh_console *con, uint64_t pos)
{
    struct stat sb;
    if (pos == 0)
        return;
    if (con->in_fd >= 0) {
        if (fstat(con->in_fd, &sb) == 0 && S_ISREG(sb.st_mode) && lseek(con->in_fd, 0, SEEK_CUR) == 0)
            lseek(con->in_fd, (off_t)pos, SEEK_SET);
    } else if (con->in) {
        if (ftello(con->in) == 0)
            fseeko(con->in, (off_t)pos, SEEK_SET);
    }
}

int bh_console_load(struct bh_console *con, struct bh_rd *r, uint32_t version, char *err,
                    size_t errlen)
{
    if (version != 1)
        return bh_errf(err, errlen, "console state version %u is not known to this myvmm (1)",
                       version);
    uint32_t inq_len = bh_rd32(r);
    if (inq_len > INQ_MAX)
        return bh_errf(err, errlen, "%u bytes of queued input (at most %u)", inq_len, INQ_MAX);
    const uint8_t *inq = bh_rd_take(r, inq_len);
    uint32_t in_eof = bh_rd32(r);
    uint64_t in_consumed = bh_rd64(r), out_bytes = bh_rd64(r);
    uint32_t outline_len = bh_rd32(r);
    if (outline_len > BH_CON_LINE_MAX)
        return bh_errf(err, errlen, "unfinished output line of %u bytes (at most %u)", outline_len,
                       BH_CON_LINE_MAX);
    bh_rd_take(r, outline_len);
    uint32_t midline = bh_rd32(r);
    uint32_t mmio[4];
    for (int i = 0; i < 4; i++)
        mmio[i] = bh_rd32(r);
    if (r->bad)
        return bh_errf(err, errlen, "console state: truncated");
    if (in_eof > 1 || midline > 1)
        return bh_errf(err, errlen, "a console flag (end of input, mid-line) is not 0 or 1");
    if (inq_len > con->inq_cap) {
        uint8_t *q = realloc(con->inq, inq_len);
        if (!q)
            return bh_errf(err, errlen, "snapshot restore: out of memory");
        con->inq = q;
        con->inq_cap = inq_len;
    }
    if (inq_len)
        memcpy(con->inq, inq, inq_len);
    con->inq_len = inq_len;
    con->in_eof = (int)in_eof;
    skip_input(con, in_consumed + inq_len);
    con->in_consumed = in_consumed;
    con->out_bytes = out_bytes;
    /* The unfinished line was written out by the process that took the
     * snapshot when it stopped; restoring it would print it twice. */
    con->outline_len = 0;
    con->out_midline = midline || outline_len;
    con->rcv_ctrl = mmio[0];
    con->rcv_data = mmio[1];
    con->tx_ctrl = mmio[2];
    con->tx_data = mmio[3];
    /* No poll here: the CPU's Cause already holds the interrupt bits as
     * they were, and the monitor polls between slices as it always does. */
    return 0;
}
