/* pcap.h: frames into a capture file in the pcap format (tcpdump -r,
 * Wireshark).  Written directly, not with libpcap: the format is a 24-byte
 * file header and a 16-byte header per frame, and libpcap's writer
 * (pcap_dump_open) wants a pcap_t made for a link type and snap length
 * that adds nothing here (docs/network.md).  Little-endian, microsecond
 * timestamps, link type 1 (Ethernet). */
#ifndef BH_PCAP_H
#define BH_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BH_PCAP_SNAPLEN 65535u

/* Create path and write the file header: the stream, or NULL with
 * "path: strerror" in err. */
FILE *bh_pcap_open(const char *path, char *err, size_t errlen);
/* One frame of len bytes at ns nanoseconds since the epoch: 0, or -1 when
 * the write failed (errno set). */
int bh_pcap_write(FILE *f, const void *frame, uint32_t len, uint64_t ns);

#endif
