/* migrate_auth.h: authentication of the migration stream, private to
 * vm/state/migrate_*.c (docs/migration-protocol.md, "Authentication").
 *
 * Both sides hold a pre-shared key (--migrate-psk FILE).  After the magic
 * each side sends a fresh random nonce; the session key is
 * HMAC-SHA256(psk, "bh-mig-v1" || nonce_src || nonce_dst), so a stream
 * recorded once is worth nothing on the next connection.  Every record then
 * carries an AES-256-GCM tag (GMAC: the record is authenticated, not
 * encrypted) keyed by the session key, its IV the direction and sequence
 * number.  All of it through OpenSSL's libcrypto. */
#ifndef BH_MIGRATE_AUTH_H
#define BH_MIGRATE_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct bh_net_watch;

#define MIG_PSK_MIN 32u   /* bytes: a shorter file is refused */
#define MIG_PSK_MAX 1024u /* bytes: a longer file is not a key */
#define MIG_NONCE 32u
#define MIG_TAG 16u

/* A key read from a --migrate-psk file (len 0: none). */
struct mig_psk {
    uint8_t key[MIG_PSK_MAX];
    size_t len;
};

/* The session state of one authenticated connection. */
struct mig_auth;

/* Read a key file: refused when group or others may read it, or shorter
 * than MIG_PSK_MIN bytes; each with its own message.  0 or -1. */
int bh_mig_psk_load(const char *path, struct mig_psk *k, char *err, size_t errlen);
/* Forget the key (the bytes are overwritten). */
void bh_mig_psk_clear(struct mig_psk *k);

/* The handshake right after the magic: the source's and the destination's
 * side.  fd is the connection, k the key or NULL, deadline a bh_net_now()
 * time by which it must be done; its waits give up when w fires (NULL:
 * never): the destination's on a newer connection, the source's on a
 * cancel.  On 0, *out is the session (NULL when
 * neither side has a key); on -1, err says why (key on one side only,
 * wrong key, replayed stream, the peer gone). */
int bh_mig_auth_source(int fd, const struct mig_psk *k, double deadline,
                       const struct bh_net_watch *w, struct mig_auth **out, char *err,
                       size_t errlen);
int bh_mig_auth_dest(int fd, const struct mig_psk *k, double deadline, const struct bh_net_watch *w,
                     struct mig_auth **out, char *err, size_t errlen);
void bh_mig_auth_free(struct mig_auth *a);

/* The tag of one record sent: over its header and body.  0, or -1
 * (libcrypto failed). */
int bh_mig_auth_tag(struct mig_auth *a, const uint8_t *hdr, size_t hlen, const void *body,
                    size_t len, uint8_t tag[MIG_TAG]);
/* 1 when tag is the right one for this received record. */
int bh_mig_auth_check(struct mig_auth *a, const uint8_t *hdr, size_t hlen, const void *body,
                      size_t len, const uint8_t tag[MIG_TAG]);

#endif
