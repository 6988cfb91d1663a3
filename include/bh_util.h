/* bh_util.h: small helpers shared by every module: error messages into the
 * caller's buffer, little-endian byte order, CRC32C, a growable byte buffer.
 * Library code never prints or exits: it returns -1 and fills err. */
#ifndef BH_UTIL_H
#define BH_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define BH_VERSION "0.3.0" /* myvmm, babyasm, and the snapshot writer string */

/* Format a message into err (if err and errlen) and return -1. */
int bh_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Append what to do next to the message in err, as a line of its own,
 * "\n  help: ...", and return -1.  Only where a next step is obvious (the
 * option to use, the page to read).  The help travels in the message up
 * to the host, which prints it as it is; docs/messages.md lists them all. */
int bh_err_help(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define BH_HELP "\n  help: " /* the same line, for a message built in one go */
/* The length of msg before its help lines: a caller that adds to a
 * message prints "%.*s, more%s", n, msg, msg + n to keep the help last. */
size_t bh_err_len(const char *msg);
/* Levenshtein distance between a and b, for "did you mean" hints;
 * (size_t)-1 when either is longer than 63 bytes. */
size_t bh_edit_distance(const char *a, const char *b);

static inline uint16_t bh_get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t bh_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t bh_get64(const uint8_t *p)
{
    return (uint64_t)bh_get32(p) | (uint64_t)bh_get32(p + 4) << 32;
}
static inline void bh_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void bh_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void bh_put64(uint8_t *p, uint64_t v) { bh_put32(p, (uint32_t)v); bh_put32(p + 4, (uint32_t)(v >> 32)); }

/* CRC32C (Castagnoli).  Start with crc = 0; feed pieces in order. */
uint32_t bh_crc32c(uint32_t crc, const void *buf, size_t len);

/* A growable byte buffer (for serializers and diagnostics). */
struct bh_buf {
    uint8_t *data;
    size_t len, cap;
    int oom; /* set when an allocation failed; later appends do nothing */
};
void bh_buf_append(struct bh_buf *b, const void *p, size_t n);
void bh_buf_put8(struct bh_buf *b, uint8_t v);
void bh_buf_put16(struct bh_buf *b, uint16_t v);
void bh_buf_put32(struct bh_buf *b, uint32_t v);
void bh_buf_put64(struct bh_buf *b, uint64_t v);
void bh_buf_printf(struct bh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bh_buf_free(struct bh_buf *b);
/* A length-prefixed string (u16 length, at most max bytes of s). */
void bh_buf_put_str16(struct bh_buf *b, const char *s, size_t max);

/* A little-endian reader over a serialized body, the mirror of bh_buf:
 * every read checks the bounds and the first failure sticks, so parsers
 * read everything and test once (bad != 0, or bh_rd_end). */
struct bh_rd {
    const uint8_t *p;
    size_t n, off;
    int bad;
};
const uint8_t *bh_rd_take(struct bh_rd *r, size_t k); /* NULL when short */
uint16_t bh_rd16(struct bh_rd *r);
uint32_t bh_rd32(struct bh_rd *r);
uint64_t bh_rd64(struct bh_rd *r);
/* A bh_buf_put_str16 string into dst (cap bytes with the NUL); -1 (and
 * bad set) when short, too long or holding a NUL. */
int bh_rd_str16(struct bh_rd *r, char *dst, size_t cap);
/* The end of section sec's body: it must be consumed exactly. */
int bh_rd_end(const struct bh_rd *r, const char *sec, char *err, size_t errlen);

/* Read a whole file into a malloc'ed buffer (NUL-terminated, the NUL not
 * counted in *len).  -1 with "path: strerror" in err on failure. */
int bh_read_file(const char *path, uint8_t **out, size_t *len, char *err, size_t errlen);
/* Write a file crash-safely: temp file in the same folder, fsync, rename,
 * fsync the folder.  Either the old file or the new one is at path. */
int bh_write_file_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen);

/* Progress of a long job (a snapshot's write, a migration's stream) for a
 * caller that shows it: bytes done of total (an estimate that may grow;
 * done may pass it), then one last call with finished set: 1 when the job
 * succeeded, -1 when it failed (its error comes after).  Library code
 * only calls it; the host decides whether to draw. */
struct bh_progress {
    uint64_t done, total;
    int finished;
};
typedef void (*bh_progress_fn)(void *ctx, const struct bh_progress *p);
/* bh_write_file_atomic, calling fn (may be NULL) as the bytes go out. */
int bh_write_file_atomic_progress(const char *path, const void *data, size_t len,
                                  bh_progress_fn fn, void *ctx, char *err, size_t errlen);

#endif
