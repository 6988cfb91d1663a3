/* migrate_stream.c: the migration stream (migrate_stream.h): framed
 * messages over one TCP connection, each checked by its own message
 * (length bound, CRC32C, sequence number, type), plus the helpers the
 * source (migrate_src.c) and destination (migrate_dst.c) share. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "state/migrate_stream.h"
#include "state/net.h"

const char *bh_mig_msg_name(uint32_t t)
{
    static const char *const names[M_MAX] = {
        "?",   "HELLO",   "WELCOME", "REFUSE", "PAGES", "ROUND",  "CPU",   "DEV",
        "END", "CONFIRM", "GO",      "ACK",    "QUERY", "STATUS", "ABORT", "RECEIVED", "MMU",
        "SECTION", "DISK"};
    return t < M_MAX ? names[t] : "unknown";
}

int bh_mig_send(struct conn *c, uint32_t type, const void *body, size_t len, char *err,
                size_t errlen)
{
    uint8_t h[MIG_HDR + MIG_TAG];
    size_t hn = MIG_HDR;
    bh_put32(h, type);
    bh_put32(h + 4, c->seq_out++);
    bh_put32(h + 8, (uint32_t)len);
    bh_put32(h + 12, bh_crc32c(bh_crc32c(0, h, 12), body, len));
    if (c->auth) {
        if (bh_mig_auth_tag(c->auth, h, MIG_HDR, body, len, h + MIG_HDR))
            return bh_errf(err, errlen, "libcrypto failed to tag a message");
        hn += MIG_TAG;
    }
    if (bh_net_write2(c->fd, h, hn, body, len, c->timeout_ms, c->watch, err, errlen))
        return -1;
    c->bytes_out += hn + len;
    return 0;
}

/* Receive one message into b (replacing its contents).  Every check has
 * its own message: a corrupt stream is refused by name. */
int bh_mig_recv(struct conn *c, uint32_t *type, struct bh_buf *b, char *err, size_t errlen)
{
    uint8_t h[MIG_HDR + MIG_TAG];
    size_t hn = c->auth ? MIG_HDR + MIG_TAG : MIG_HDR;
    /* One deadline for the whole message: a peer trickling bytes cannot
     * hold this side longer than timeout_ms per message. */
    double deadline = bh_net_now() + c->timeout_ms / 1000.0;
    if (bh_net_read_watch(c->fd, h, hn, c->timeout_ms, c->watch, err, errlen))
        return -1;
    uint32_t t = bh_get32(h), seq = bh_get32(h + 4), len = bh_get32(h + 8), crc = bh_get32(h + 12);
    if (len > MIG_MAX_BODY)
        return bh_errf(err, errlen, "corrupt stream: message %u claims %u bytes (at most %u)", seq,
                       len, MIG_MAX_BODY);
    b->len = 0;
    if (len) {
        bh_buf_append(b, NULL, 0);
        if (b->cap < len) {
            uint8_t *p = realloc(b->data, len);
            if (!p)
                return bh_errf(err, errlen, "out of memory for a %u-byte message", len);
            b->data = p;
            b->cap = len;
        }
        if (bh_net_read_watch(c->fd, b->data, len, bh_net_ms_left(deadline), c->watch, err, errlen))
            return -1;
        b->len = len;
    }
    /* With a key the tag comes first: a forger can fix a CRC, not a tag. */
    if (c->auth && !bh_mig_auth_check(c->auth, h, MIG_HDR, b->data, len, h + MIG_HDR))
        return bh_errf(err, errlen,
                       "tampered or forged record: message %u (%s, %u bytes) fails its "
                       "authentication tag",
                       seq, bh_mig_msg_name(t), len);
    if (bh_crc32c(bh_crc32c(0, h, 12), b->data, len) != crc)
        return bh_errf(err, errlen, "corrupt stream: CRC32C mismatch in message %u (%s, %u bytes)",
                       seq, bh_mig_msg_name(t), len);
    if (seq != c->seq_in)
        return bh_errf(err, errlen, "corrupt stream: message %u where %u was due", seq, c->seq_in);
    if (t == 0 || t >= M_MAX)
        return bh_errf(err, errlen, "corrupt stream: unknown message type %u", t);
    c->seq_in++;
    c->bytes_in += hn + len;
    *type = t;
    return 0;
}

int bh_mig_check_addr(const char *addr, const struct mig_psk *k, int insecure, const char *what,
                      char *err, size_t errlen)
{
    if (k->len || insecure)
        return 0;
    int lo = bh_net_is_loopback(addr, strcmp(what, "--incoming") == 0, err, errlen);
    if (lo < 0)
        return -1;
    if (!lo)
        return bh_errf(err, errlen,
                       "%s %s: not a loopback address, and there is no key: give both sides "
                       "--migrate-psk FILE (myvmm --gen-psk FILE makes one), or --insecure to "
                       "migrate unauthenticated anyway",
                       what, addr);
    return 0;
}

int bh_mig_setup_key(const char *psk_file, const char *addr, int insecure, const char *what,
                     struct mig_psk *k, char *err, size_t errlen)
{
    char e[400];
    k->len = 0;
    if (psk_file && bh_mig_psk_load(psk_file, k, e, sizeof e))
        return bh_errf(err, errlen, "--migrate-psk %s", e);
    return bh_mig_check_addr(addr, k, insecure, what, err, errlen);
}

int bh_mig_connect(struct conn *c, const char *addr, const struct mig_psk *k, int timeout_ms,
                   const struct bh_net_watch *w, char *err, size_t errlen)
{
    char e[300];
    double deadline = bh_net_now() + timeout_ms / 1000.0;
    *c = (struct conn){.fd = -1, .timeout_ms = timeout_ms, .watch = w};
    c->fd = bh_net_connect(addr, timeout_ms, w, e, sizeof e);
    if (c->fd < 0)
        return bh_errf(err, errlen, "%s", e);
    if (bh_net_write_watch(c->fd, MIG_MAGIC, MIG_MAGIC_LEN, bh_net_ms_left(deadline), w, e,
                           sizeof e)) {
        bh_mig_close(c);
        return bh_errf(err, errlen, "handshake: %s", e);
    }
    if (bh_mig_auth_source(c->fd, k, deadline, w, &c->auth, err, errlen)) {
        bh_mig_close(c);
        return -1;
    }
    return 0;
}

void bh_mig_close(struct conn *c)
{
    bh_net_close(c->fd);
    c->fd = -1;
    bh_mig_auth_free(c->auth);
    c->auth = NULL;
}

/* REFUSE and ABORT carry a text: copy it out, bounded, printable. */
void bh_mig_body_text(const struct bh_buf *b, char *dst, size_t cap)
{
    size_t n = b->len < cap - 1 ? b->len : cap - 1;
    static const char help[] = BH_HELP; /* the one newline kept: a help line */
    for (size_t i = 0; i < n; i++)
        dst[i] = (b->data[i] >= 32 && b->data[i] < 127) ||
                         (n - i >= sizeof help - 1 && !memcmp(b->data + i, help, sizeof help - 1))
                     ? (char)b->data[i]
                     : '?';
    dst[n] = '\0';
}

void bh_mig_report(bh_mig_report_fn fn, void *ctx, const char *fmt, ...)
{
    if (!fn)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fn(ctx, line);
}

void bh_mig_sleep(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

uint64_t bh_mig_random_id(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 48;
    x ^= (uint64_t)(uintptr_t)&ts;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33; /* splitmix finish */
    return x ? x : 1;
}
