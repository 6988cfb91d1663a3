/* fuzz_netlink.c: libFuzzer target for the receiver of a link between
 * two myvmm processes (vm/host/netlink_proto.c): the input is what a
 * hostile peer sends, fed to the decoder one byte at a time, as the
 * link's thread does.  Checked: every frame that comes out is 14..1514
 * bytes and its length and time are the bytes of its header; a hello
 * comes once, before any frame; an error has a message and every later
 * byte is an error too.  No crash, leak or sanitizer report.
 *
 * BH_FUZZ_WRITE_SEED=dir writes seeds there: a hello and three frames
 * (14, 60 and 1514 bytes), and a hello for another LAN.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "host/netlink_proto.h"

static struct bh_netlink_dec dec;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bh_netlink_dec_init(&dec, "lan0");
    int hello = 0, dead = 0;
    size_t frame_start = 0; /* where the current frame's header begins */
    for (size_t i = 0; i < size; i++) {
        enum bh_netlink_event e = bh_netlink_feed(&dec, data[i]);
        if (dead) {
            if (e != BH_NETLINK_ERROR)
                abort(); /* an error sticks */
            continue;
        }
        switch (e) {
        case BH_NETLINK_MORE:
            break;
        case BH_NETLINK_HELLO:
            if (hello++ || i + 1 != 6 + strlen("lan0") || memcmp(data, "BHLK\x01\x04lan0", 10))
                abort();
            frame_start = i + 1;
            break;
        case BH_NETLINK_FRAME:
            if (!hello || dec.len < 14 || dec.len > BH_SWITCH_FRAME_MAX ||
                i + 1 != frame_start + BH_NETLINK_HDR + dec.len ||
                bh_get16(data + frame_start) != dec.len ||
                bh_get64(data + frame_start + 2) != dec.ns ||
                memcmp(dec.frame, data + frame_start + BH_NETLINK_HDR, dec.len) != 0)
                abort();
            frame_start = i + 1;
            break;
        case BH_NETLINK_ERROR:
            if (!dec.err[0] || !memchr(dec.err, 0, sizeof dec.err))
                abort();
            dead = 1;
            break;
        }
    }
    return 0;
}

static int write_file(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        if (f)
            fclose(f);
        return 1;
    }
    return fclose(f) != 0;
}

static int write_seeds(const char *dir)
{
    static uint8_t b[4096];
    size_t n = bh_netlink_hello(b, "lan0");
    static const uint32_t lens[] = {14, 60, BH_SWITCH_FRAME_MAX};
    for (size_t k = 0; k < 3; k++) {
        bh_netlink_frame_header(b + n, lens[k], 1000u * k);
        n += BH_NETLINK_HDR;
        memset(b + n, (int)k + 1, lens[k]);
        n += lens[k];
    }
    int rc = write_file(dir, "frames", b, n);
    n = bh_netlink_hello(b, "lan9");
    rc |= write_file(dir, "other_lan", b, n);
    return rc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *seed = getenv("BH_FUZZ_WRITE_SEED");
    if (seed)
        exit(write_seeds(seed));
    return 0;
}
