/* util.c: error messages, CRC32C, growable buffers and crash-safe file I/O
 * shared by babyasm and myvmm. */
#include "bh_util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* CRC32C, reflected polynomial 0x82F63B78, one table lookup per byte.
 * The 256-entry table is computed once, on first use; pthread_once makes
 * that safe when several VM threads checksum at the same moment (a plain
 * "ready" flag is a data race under the C11 memory model). */
static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t bh_crc32c(uint32_t crc, const void *buf, size_t len)
{
    pthread_once(&crc_once, crc_init);
    const uint8_t *p = buf;
    crc = ~crc;
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

int bh_write_file_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (!tmp)
        return bh_errf(err, errlen, "%s: out of memory", path);
    /* A unique name (mkstemp): two VMs of one process saving to the same
     * path at once must not write into the same temporary file. */
    snprintf(tmp, plen + 32, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        fchmod(fd, 0644); /* mkstemp creates 0600; a snapshot/image is not secret */
    }
    if (fd < 0) {
        bh_errf(err, errlen, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    const uint8_t *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            bh_errf(err, errlen, "%s: %s", tmp, w < 0 ? strerror(errno) : "short write");
            goto fail;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0) {
        bh_errf(err, errlen, "%s: fsync: %s", tmp, strerror(errno));
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        bh_errf(err, errlen, "%s: %s", tmp, strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        bh_errf(err, errlen, "%s: rename: %s", path, strerror(errno));
        goto fail;
    }
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
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}
