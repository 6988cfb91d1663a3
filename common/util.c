/* util.c: error messages, CRC32C, growable buffers and crash-safe file I/O
 * shared by babyasm and myvmm. */
#include "bh_util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int bh_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int bh_err_help(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        size_t n = strnlen(err, errlen - 1);
        int k = snprintf(err + n, errlen - n, BH_HELP);
        if (k > 0 && (size_t)k < errlen - n) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n + (size_t)k, errlen - n - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

size_t bh_err_len(const char *msg)
{
    const char *h = strstr(msg, BH_HELP);
    return h ? (size_t)(h - msg) : strlen(msg);
}

size_t bh_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return (size_t)-1;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* CRC32C, reflected polynomial 0x82F63B78, one table lookup per byte.
 * The 256-entry table is computed once, on first use; pthread_once makes
 * that safe when several VM threads checksum at the same moment (a plain
 * "ready" flag is a data race under the C11 memory model). */
static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

/* x86-64 has CRC32C in hardware (SSE4.2 crc32), which snapshots of many
 * MiB need (a 64 MiB restore checks every byte).  One crc32 chain is
 * bound by the instruction's latency, so large buffers run three chains
 * over three adjacent blocks and join them: for the register update f
 * (no inversions), f(s, A B) = shift(f(s, A)) ^ f(0, B), where shift
 * multiplies by x^(8 * CRC_BLK) mod P, a linear map tabulated once.
 * Chosen at run time, so the binary still runs without SSE4.2. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CRC_HW 1
#define CRC_BLK 32768u /* bytes per chain in one interleaved step */
static int crc_have_hw;
static uint32_t crc_shift_tab[4][256];

__attribute__((target("sse4.2"))) static uint32_t crc_hw_zeros(uint32_t c, size_t words)
{
    uint64_t x = c;
    while (words--)
        x = __builtin_ia32_crc32di(x, 0);
    return (uint32_t)x;
}

static void crc_hw_init(void)
{
    uint32_t basis[32];
    for (int i = 0; i < 32; i++)
        basis[i] = crc_hw_zeros(1u << i, CRC_BLK / 8);
    for (int k = 0; k < 4; k++)
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t v = 0;
            for (int bit = 0; bit < 8; bit++)
                if (b >> bit & 1)
                    v ^= basis[8 * k + bit];
            crc_shift_tab[k][b] = v;
        }
}

static uint32_t crc_shift(uint32_t s)
{
    return crc_shift_tab[0][s & 0xff] ^ crc_shift_tab[1][s >> 8 & 0xff] ^
           crc_shift_tab[2][s >> 16 & 0xff] ^ crc_shift_tab[3][s >> 24];
}

__attribute__((target("sse4.2"))) static uint32_t crc_hw(uint32_t crc, const uint8_t *p, size_t len)
{
    for (; len >= 3 * CRC_BLK; p += 3 * CRC_BLK, len -= 3 * CRC_BLK) {
        uint64_t a = crc, b = 0, c = 0;
        for (size_t i = 0; i < CRC_BLK; i += 8) {
            uint64_t x, y, z;
            memcpy(&x, p + i, 8); /* little-endian host: the byte order the CRC wants */
            memcpy(&y, p + CRC_BLK + i, 8);
            memcpy(&z, p + 2 * CRC_BLK + i, 8);
            a = __builtin_ia32_crc32di(a, x);
            b = __builtin_ia32_crc32di(b, y);
            c = __builtin_ia32_crc32di(c, z);
        }
        crc = crc_shift(crc_shift((uint32_t)a) ^ (uint32_t)b) ^ (uint32_t)c;
    }
    uint64_t c = crc;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = __builtin_ia32_crc32di(c, w);
    }
    while (len--)
        c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
    return (uint32_t)c;
}
#endif

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[i] = c;
    }
#ifdef CRC_HW
    crc_have_hw = __builtin_cpu_supports("sse4.2");
    if (crc_have_hw)
        crc_hw_init();
#endif
}

uint32_t bh_crc32c(uint32_t crc, const void *buf, size_t len)
{
    pthread_once(&crc_once, crc_init);
    const uint8_t *p = buf;
    crc = ~crc;
#ifdef CRC_HW
    if (crc_have_hw)
        return ~crc_hw(crc, p, len);
#endif
    while (len--)
        crc = crc_table[(crc ^ *p++) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

static int buf_reserve(struct bh_buf *b, size_t n)
{
    if (b->oom)
        return -1;
    if (b->len + n <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
        cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d) {
        b->oom = 1;
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

void bh_buf_append(struct bh_buf *b, const void *p, size_t n)
{
    if (n == 0 || buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void bh_buf_put8(struct bh_buf *b, uint8_t v) { bh_buf_append(b, &v, 1); }
void bh_buf_put16(struct bh_buf *b, uint16_t v) { uint8_t t[2]; bh_put16(t, v); bh_buf_append(b, t, 2); }
void bh_buf_put32(struct bh_buf *b, uint32_t v) { uint8_t t[4]; bh_put32(t, v); bh_buf_append(b, t, 4); }
void bh_buf_put64(struct bh_buf *b, uint64_t v) { uint8_t t[8]; bh_put64(t, v); bh_buf_append(b, t, 8); }

void bh_buf_printf(struct bh_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void bh_buf_free(struct bh_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

int bh_read_file(const char *path, uint8_t **out, size_t *len, char *err, size_t errlen)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return bh_errf(err, errlen, "%s: is a folder, not a file", path);
    }
    struct bh_buf b = {0};
    uint8_t chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        bh_buf_append(&b, chunk, n);
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        bh_buf_free(&b);
        return bh_errf(err, errlen, "%s: read error", path);
    }
    bh_buf_put8(&b, 0);
    if (b.oom) {
        bh_buf_free(&b);
        return bh_errf(err, errlen, "%s: out of memory", path);
    }
    *out = b.data;
    *len = b.len - 1;
    return 0;
}

/* Open and lock PATH.tmp, the one temporary of path.  A fixed name (not
 * mkstemp's unique one) is what keeps crashes from leaving debris: a writer
 * killed mid-write leaves at most this file, and the next writer of the
 * path truncates and reuses it.  Writers of one path, threads of one myvmm
 * or separate processes, take turns through flock(2) on the temporary
 * itself: a lock belongs to an open file, so two open()s conflict even in
 * one process, and the kernel drops it when its holder dies.  The holder
 * renames the file onto the target before it unlocks, so a waiter may get
 * the lock of a file that is now the target: it compares the inode it
 * locked with the one at the name and starts over when they differ. */
static int open_tmp_locked(const char *tmp, char *err, size_t errlen)
{
    for (;;) {
        /* O_NOFOLLOW: a symbolic link planted at the name is refused, not
         * followed to truncate whatever it points at. */
        int fd = open(tmp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
            return bh_errf(err, errlen, "%s: %s", tmp, strerror(errno));
        int r;
        do
            r = flock(fd, LOCK_EX);
        while (r != 0 && errno == EINTR);
        struct stat held, named;
        if (r != 0 || fstat(fd, &held) != 0) {
            bh_errf(err, errlen, "%s: lock: %s", tmp, strerror(errno));
            close(fd);
            return -1;
        }
        int gone = lstat(tmp, &named) != 0;
        if (gone && errno != ENOENT) {
            bh_errf(err, errlen, "%s: %s", tmp, strerror(errno));
            close(fd);
            return -1;
        }
        if (!gone && named.st_dev == held.st_dev && named.st_ino == held.st_ino) {
            if (held.st_nlink == 1)
                return fd;
            /* Truncating it would empty another name's file too. */
            close(fd);
            return bh_errf(err, errlen, "%s: has other hard links: not a temporary of ours", tmp);
        }
        close(fd); /* renamed or removed while we waited: the next one */
    }
}

int bh_write_file_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    return bh_write_file_atomic_progress(path, data, len, NULL, NULL, err, errlen);
}

int bh_write_file_atomic_progress(const char *path, const void *data, size_t len,
                                  bh_progress_fn fn, void *ctx, char *err, size_t errlen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + sizeof ".tmp");
    if (!tmp)
        return bh_errf(err, errlen, "%s: out of memory", path);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", sizeof ".tmp");
    int fd = open_tmp_locked(tmp, err, errlen);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    /* What a crashed writer left goes; 0644 as a fresh file would get: a
     * snapshot or an image is not secret. */
    if (ftruncate(fd, 0) != 0 || fchmod(fd, 0644) != 0) {
        bh_errf(err, errlen, "%s: %s", tmp, strerror(errno));
        goto fail;
    }
    const uint8_t *p = data;
    size_t left = len;
    if (fn)
        fn(ctx, &(struct bh_progress){0, len, 0});
    while (left) {
        /* 4 MiB at a time when someone watches, so progress moves */
        ssize_t w = write(fd, p, fn && left > (4u << 20) ? (4u << 20) : left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            bh_errf(err, errlen, "%s: %s", tmp, w < 0 ? strerror(errno) : "short write");
            goto fail;
        }
        p += w;
        left -= (size_t)w;
        if (fn)
            fn(ctx, &(struct bh_progress){len - left, len, 0});
    }
    if (fsync(fd) != 0) {
        bh_errf(err, errlen, "%s: fsync: %s", tmp, strerror(errno));
        goto fail;
    }
    /* Renamed while locked (see open_tmp_locked); fsync has reported any
     * write error, so close cannot fail us after this. */
    if (rename(tmp, path) != 0) {
        bh_errf(err, errlen, "%s: rename: %s", path, strerror(errno));
        goto fail;
    }
    close(fd);
    free(tmp);
    /* Flush the folder so the rename itself survives a crash. */
    char *dir = strdup(path);
    if (dir) {
        char *slash = strrchr(dir, '/');
        const char *d = ".";
        if (slash == dir)
            d = "/";
        else if (slash) {
            *slash = 0;
            d = dir;
        }
        int dfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    return 0;
fail:
    unlink(tmp); /* still locked: no other writer is using it */
    close(fd);
    free(tmp);
    return -1;
}

/* ---- bh_rd: the reader that mirrors bh_buf ---- */

void bh_buf_put_str16(struct bh_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max)
        n = max;
    bh_buf_put16(b, (uint16_t)n);
    bh_buf_append(b, s, n);
}

const uint8_t *bh_rd_take(struct bh_rd *r, size_t k)
{
    if (r->bad || k > r->n - r->off) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *q = r->p + r->off;
    r->off += k;
    return q;
}

uint16_t bh_rd16(struct bh_rd *r)
{
    const uint8_t *q = bh_rd_take(r, 2);
    return q ? bh_get16(q) : 0;
}

uint32_t bh_rd32(struct bh_rd *r)
{
    const uint8_t *q = bh_rd_take(r, 4);
    return q ? bh_get32(q) : 0;
}

uint64_t bh_rd64(struct bh_rd *r)
{
    const uint8_t *q = bh_rd_take(r, 8);
    return q ? bh_get64(q) : 0;
}

int bh_rd_str16(struct bh_rd *r, char *dst, size_t cap)
{
    uint16_t n = bh_rd16(r);
    const uint8_t *q = bh_rd_take(r, n);
    if (!q || n >= cap || memchr(q, 0, n)) {
        r->bad = 1;
        return -1;
    }
    memcpy(dst, q, n);
    dst[n] = 0;
    return 0;
}

int bh_rd_end(const struct bh_rd *r, const char *sec, char *err, size_t errlen)
{
    if (r->bad)
        return bh_errf(err, errlen, "section %s: truncated (%zu bytes)", sec, r->n);
    if (r->off != r->n)
        return bh_errf(err, errlen, "section %s: %zu unexpected bytes at the end", sec,
                       r->n - r->off);
    return 0;
}
