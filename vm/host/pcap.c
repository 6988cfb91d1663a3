/* pcap.c: the pcap file format (pcap.h). */
#include "host/pcap.h"

#include <errno.h>
#include <string.h>

#include "bh_util.h"

FILE *bh_pcap_open(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        bh_errf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    uint8_t h[24];
    bh_put32(h, 0xa1b2c3d4u); /* magic: microsecond timestamps, in our byte order */
    bh_put16(h + 4, 2);       /* version 2.4 */
    bh_put16(h + 6, 4);
    bh_put32(h + 8, 0);       /* thiszone: UTC */
    bh_put32(h + 12, 0);      /* sigfigs */
    bh_put32(h + 16, BH_PCAP_SNAPLEN);
    bh_put32(h + 20, 1);      /* LINKTYPE_ETHERNET */
    if (fwrite(h, sizeof h, 1, f) != 1 || fflush(f) != 0) {
        bh_errf(err, errlen, "%s: %s", path, strerror(errno));
        fclose(f);
        return NULL;
    }
    return f;
}

int bh_pcap_write(FILE *f, const void *frame, uint32_t len, uint64_t ns)
{
    uint8_t h[16];
    bh_put32(h, (uint32_t)(ns / 1000000000u));
    bh_put32(h + 4, (uint32_t)(ns % 1000000000u / 1000u));
    bh_put32(h + 8, len); /* captured: all of it */
    bh_put32(h + 12, len);
    return fwrite(h, sizeof h, 1, f) == 1 && fwrite(frame, len, 1, f) == 1 ? 0 : -1;
}
