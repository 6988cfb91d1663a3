/* migrate_stream.h: the migration stream, private to vm/state/migrate_*.c:
 * message types and their names, the connection with its sequence numbers,
 * framed messages sent and received with deadlines (CRC32C per message),
 * and the small helpers both sides share.  The wire format is specified in
 * docs/migration-protocol.md. */
#ifndef BH_MIGRATE_STREAM_H
#define BH_MIGRATE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"
#include "state/migrate.h"
#include "state/net.h"
#include "state/migrate_auth.h"

#define MIG_MAGIC                                                                                  \
    "\x7f"                                                                                         \
    "BHMIG\r\n" /* 8 bytes; \r\n catches text-mode mangling */
#define MIG_MAGIC_LEN 8u
/* 2: the CPU message is a CPU body of version 2 (with the FPU); 3: MEM
 * messages are MEM bodies of version 2 (text the program stored into);
 * 4: device sections (SECTION messages: the CLOCK); 5: the disk (HELLO's
 * disk size, DISK messages, END's disk sectors) */
#define MIG_VERSION 5u
#define MIG_HDR 16u
#define MIG_MAX_BODY (64u << 20)
#define MIG_CHUNK_MAX 256u /* pages per PAGES message (1 MiB) */

enum mig_msg {
    M_HELLO = 1,
    M_WELCOME,
    M_REFUSE,
    M_PAGES,
    M_ROUND,
    M_CPU,
    M_DEV,
    M_END,
    M_CONFIRM,
    M_GO,
    M_ACK,
    M_QUERY,
    M_STATUS,
    M_ABORT,
    M_RECEIVED,
    M_MMU,     /* a bare machine's MMU body, after CPU */
    M_SECTION, /* a device section (type, version, body), after DEV */
    M_DISK,    /* a DISK body holding some blocks (and the disk's registers) */
    M_MAX
};

struct mig_auth;

/* One direction of one connection: sequence numbers catch a lost,
 * repeated or reordered message even when each one's CRC is right; with
 * a key, a tag per record (migrate_auth.h) catches a forged one. */
struct conn {
    int fd;
    uint32_t seq_out, seq_in;
    int timeout_ms;                   /* for each whole message, not per byte */
    struct mig_auth *auth;            /* NULL: no key on either side (loopback) */
    const struct bh_net_watch *watch; /* what cuts a send or receive short (NULL: nothing) */
    uint64_t bytes_out, bytes_in;
};

/* The name of message type t ("unknown" when out of range), for messages. */
const char *bh_mig_msg_name(uint32_t t);
/* Send one framed message (the header, the tag when authenticated, the
 * body): 0, or -1 with a message in err. */
int bh_mig_send(struct conn *c, uint32_t type, const void *body, size_t len, char *err,
                size_t errlen);
/* Receive one whole message within c->timeout_ms, checked (length, tag,
 * CRC32C, sequence, type): 0, or -1 with a message naming the failure. */
int bh_mig_recv(struct conn *c, uint32_t *type, struct bh_buf *b, char *err, size_t errlen);
/* Without a key, migration stays on loopback unless insecure says so:
 * 0, or -1 with the reason.  what: "--migrate" or "--incoming". */
int bh_mig_check_addr(const char *addr, const struct mig_psk *k, int insecure, const char *what,
                      char *err, size_t errlen);
/* Read the key file (NULL: no key) into k, then check addr against it. */
int bh_mig_setup_key(const char *psk_file, const char *addr, int insecure, const char *what,
                     struct mig_psk *k, char *err, size_t errlen);
/* The source's side of a new connection: connect, the magic, the
 * authentication handshake (k may have no key), all within timeout_ms,
 * each wait cut short when w fires (NULL: never; c keeps it as its
 * watch).  0 with c ready, or -1 (c closed). */
int bh_mig_connect(struct conn *c, const char *addr, const struct mig_psk *k, int timeout_ms,
                   const struct bh_net_watch *w, char *err, size_t errlen);
/* Close the connection and forget its session. */
void bh_mig_close(struct conn *c);
/* A REFUSE or ABORT body as text for a message: printable ASCII, '?' for
 * any other byte but the newline of a "\n  help: " line. */
void bh_mig_body_text(const struct bh_buf *b, char *dst, size_t cap);
/* One line to the caller's report callback (nothing when fn is NULL). */
void bh_mig_report(bh_mig_report_fn fn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void bh_mig_sleep(double s);
/* A migration id: unlikely to repeat across hosts and restarts, never 0. */
uint64_t bh_mig_random_id(void);

#endif
