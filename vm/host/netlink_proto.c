/* netlink_proto.c: the link protocol's encoder and decoder
 * (netlink_proto.h). */
#include "host/netlink_proto.h"

#include <stdio.h>
#include <string.h>

#include "bh_util.h"

enum { S_MAGIC, S_VERSION, S_NAMELEN, S_NAME, S_HDR, S_FRAME, S_DEAD };

void bh_netlink_dec_init(struct bh_netlink_dec *d, const char *lan)
{
    memset(d, 0, sizeof *d);
    snprintf(d->lan, sizeof d->lan, "%s", lan);
    d->state = S_MAGIC;
    d->need = 4;
}

static enum bh_netlink_event fail(struct bh_netlink_dec *d)
{
    d->state = S_DEAD;
    return BH_NETLINK_ERROR;
}

static int name_byte(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
}

/* What to read next after a state: state s, n bytes. */
static void expect(struct bh_netlink_dec *d, int s, uint32_t n)
{
    d->state = s;
    d->have = 0;
    d->need = n;
}

enum bh_netlink_event bh_netlink_feed(struct bh_netlink_dec *d, uint8_t byte)
{
    switch (d->state) {
    case S_MAGIC:
        d->head[d->have++] = byte;
        if (d->have < d->need)
            return BH_NETLINK_MORE;
        if (memcmp(d->head, BH_NETLINK_MAGIC, 4) != 0) {
            snprintf(d->err, sizeof d->err,
                     "not a myvmm link: the hello begins %02x %02x %02x %02x, not \"%s\"",
                     d->head[0], d->head[1], d->head[2], d->head[3], BH_NETLINK_MAGIC);
            return fail(d);
        }
        d->state = S_VERSION;
        return BH_NETLINK_MORE;
    case S_VERSION:
        if (byte != BH_NETLINK_VERSION) {
            snprintf(d->err, sizeof d->err, "link protocol version %u (this myvmm speaks %u)",
                     byte, BH_NETLINK_VERSION);
            return fail(d);
        }
        d->state = S_NAMELEN;
        return BH_NETLINK_MORE;
    case S_NAMELEN:
        if (byte < 1 || byte > BH_NETLINK_NAME_MAX) {
            snprintf(d->err, sizeof d->err, "a LAN name of %u bytes (a name has 1 to %u)", byte,
                     BH_NETLINK_NAME_MAX);
            return fail(d);
        }
        expect(d, S_NAME, byte);
        return BH_NETLINK_MORE;
    case S_NAME:
        if (!name_byte(byte)) {
            snprintf(d->err, sizeof d->err,
                     "byte 0x%02x in the LAN's name (a name has letters, digits, '_', '.', '-')",
                     byte);
            return fail(d);
        }
        d->head[d->have++] = byte;
        if (d->have < d->need)
            return BH_NETLINK_MORE;
        if (d->have != strlen(d->lan) || memcmp(d->head, d->lan, d->have) != 0) {
            snprintf(d->err, sizeof d->err, "the peer's LAN is '%.*s', this one is '%s'",
                     (int)d->have, (const char *)d->head, d->lan);
            return fail(d);
        }
        expect(d, S_HDR, BH_NETLINK_HDR);
        return BH_NETLINK_HELLO;
    case S_HDR:
        d->head[d->have++] = byte;
        if (d->have < d->need)
            return BH_NETLINK_MORE;
        d->len = bh_get16(d->head);
        d->ns = bh_get64(d->head + 2);
        if (d->len < 14 || d->len > BH_SWITCH_FRAME_MAX) {
            snprintf(d->err, sizeof d->err, "a frame of %u bytes (a frame has 14 to %u)", d->len,
                     BH_SWITCH_FRAME_MAX);
            return fail(d);
        }
        expect(d, S_FRAME, d->len);
        return BH_NETLINK_MORE;
    case S_FRAME:
        d->frame[d->have++] = byte;
        if (d->have < d->need)
            return BH_NETLINK_MORE;
        expect(d, S_HDR, BH_NETLINK_HDR);
        return BH_NETLINK_FRAME;
    default:
        return BH_NETLINK_ERROR;
    }
}

size_t bh_netlink_hello(uint8_t *out, const char *lan)
{
    size_t n = strlen(lan);
    if (n > BH_NETLINK_NAME_MAX)
        n = BH_NETLINK_NAME_MAX;
    memcpy(out, BH_NETLINK_MAGIC, 4);
    out[4] = BH_NETLINK_VERSION;
    out[5] = (uint8_t)n;
    memcpy(out + 6, lan, n);
    return 6 + n;
}

void bh_netlink_frame_header(uint8_t out[BH_NETLINK_HDR], uint32_t len, uint64_t ns)
{
    bh_put16(out, (uint16_t)len);
    bh_put64(out + 2, ns);
}
