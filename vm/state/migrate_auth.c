/* migrate_auth.c: the migration stream's authentication (migrate_auth.h):
 * the key file, the nonce exchange, the session key and the record tags.
 *
 * Handshake, right after the source's magic, each side's block being
 * flags u32 (1: I have a key), a 32-byte nonce, and the key's fingerprint
 * HMAC-SHA256(psk, "bh-mig-v1 fingerprint") (zeroes without a key):
 *   source: its block      ->
 *                          <-  destination: its block
 *   source: proof          ->  HMAC-SHA256(session key, "bh-mig-v1 source proof")
 * The destination always answers with its block, so each side can name
 * the problem itself: a key on one side only (the flags), the wrong key
 * (the fingerprints differ: they do not depend on the nonces), a replayed
 * stream (same key, but the proof was made for another destination nonce).
 * The fingerprint is a PRF of the key: it tells nothing of a random
 * 32-byte key, and the key file must hold at least that many bytes.
 *
 * Records are tagged with AES-256-GCM used as GMAC, not HMAC-SHA256:
 * GHASH runs at several GB/s with PCLMUL where SHA-256 does about 2, and
 * the tag of the last megabyte is on the downtime's path (measured in
 * docs/migration-protocol.md).  The IV is the direction and the sequence
 * number: unique per session key, which is fresh per connection. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "bh_util.h"
#include "migrate.h"
#include "net.h"
#include "state/migrate_auth.h"

#define BLOCK (4u + MIG_NONCE + 32u)
#define LABEL "bh-mig-v1"

struct mig_auth {
    EVP_CIPHER_CTX *ctx;
    uint8_t key[32];
    uint32_t dir_out, dir_in; /* 1: source to destination, 2: back */
};

int bh_mig_psk_load(const char *path, struct mig_psk *k, char *err, size_t errlen)
{
    k->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0)
        bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        bh_errf(err, errlen, "%s: not a regular file", path);
    else if (st.st_mode & 077)
        bh_errf(err, errlen,
                "%s: group or others may read it (mode %04o): a key must be private (chmod 600)",
                path, (unsigned)(st.st_mode & 07777));
    else if (st.st_size < (off_t)MIG_PSK_MIN)
        bh_errf(err, errlen, "%s: %lld bytes, a key needs at least %u random bytes (--gen-psk)",
                path, (long long)st.st_size, MIG_PSK_MIN);
    else if (st.st_size > (off_t)MIG_PSK_MAX)
        bh_errf(err, errlen, "%s: %lld bytes, more than a key file holds (%u)", path,
                (long long)st.st_size, MIG_PSK_MAX);
    else {
        ssize_t n = read(fd, k->key, (size_t)st.st_size);
        if (n != (ssize_t)st.st_size)
            bh_errf(err, errlen, "%s: short read", path);
        else {
            k->len = (size_t)n;
            rc = 0;
        }
    }
    close(fd);
    return rc;
}

void bh_mig_psk_clear(struct mig_psk *k)
{
    OPENSSL_cleanse(k->key, sizeof k->key);
    k->len = 0;
}

int bh_migrate_gen_psk(const char *path, char *err, size_t errlen)
{
    uint8_t key[MIG_PSK_MIN];
    if (RAND_bytes(key, sizeof key) != 1)
        return bh_errf(err, errlen, "no random bytes from libcrypto");
    /* O_EXCL: a key in use is never replaced by accident */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        OPENSSL_cleanse(key, sizeof key);
        return bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    }
    /* the umask cannot widen 0600, but a stricter one must not lock us out */
    int rc =
        fchmod(fd, 0600) == 0 && write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0
            ? 0
            : bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    OPENSSL_cleanse(key, sizeof key);
    if (close(fd) != 0 && rc == 0)
        rc = bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    if (rc)
        unlink(path);
    return rc;
}

/* HMAC-SHA256 of a label followed by up to two nonces (one-shot: the
 * inputs are small). */
static int hmac(const uint8_t *key, size_t klen, const char *label, const uint8_t *n1,
                const uint8_t *n2, uint8_t out[32])
{
    uint8_t msg[64 + 2 * MIG_NONCE];
    size_t l = strlen(label), len = l;
    memcpy(msg, label, l);
    if (n1) {
        memcpy(msg + len, n1, MIG_NONCE);
        len += MIG_NONCE;
    }
    if (n2) {
        memcpy(msg + len, n2, MIG_NONCE);
        len += MIG_NONCE;
    }
    unsigned n = 0;
    return HMAC(EVP_sha256(), key, (int)klen, msg, len, out, &n) && n == 32 ? 0 : -1;
}

static void make_block(uint8_t blk[BLOCK], const struct mig_psk *k, const uint8_t nonce[MIG_NONCE])
{
    memset(blk, 0, BLOCK);
    bh_put32(blk, k ? 1 : 0);
    memcpy(blk + 4, nonce, MIG_NONCE);
    if (k)
        hmac(k->key, k->len, LABEL " fingerprint", NULL, NULL, blk + 4 + MIG_NONCE);
}

/* What the two blocks say, from this side's point of view: 0 when both
 * have the same key or neither has one; else -1 with the reason. */
static int compare(const uint8_t mine[BLOCK], const uint8_t peer[BLOCK], const char *peer_name,
                   char *err, size_t errlen)
{
    uint32_t mk = bh_get32(mine) & 1, pk = bh_get32(peer) & 1;
    if (mk && !pk)
        return bh_errf(err, errlen,
                       "authentication: the %s has no --migrate-psk but this side has one: give "
                       "both the same key",
                       peer_name);
    if (!mk && pk)
        return bh_errf(err, errlen,
                       "authentication: the %s has a --migrate-psk but this side has none: give "
                       "both the same key",
                       peer_name);
    if (mk && CRYPTO_memcmp(mine + 4 + MIG_NONCE, peer + 4 + MIG_NONCE, 32) != 0)
        return bh_errf(err, errlen, "authentication: wrong key: the %s's --migrate-psk differs"
                       BH_HELP "copy the key file to the other host as it is (scp), and give "
                       "both sides that file", peer_name);
    return 0;
}

/* Both blocks exchanged and agreeing: the session for this connection. */
static int session(const struct mig_psk *k, const uint8_t nsrc[MIG_NONCE],
                   const uint8_t ndst[MIG_NONCE], int source, struct mig_auth **out, char *err,
                   size_t errlen)
{
    struct mig_auth *a = calloc(1, sizeof *a);
    if (!a)
        return bh_errf(err, errlen, "out of memory");
    a->dir_out = source ? 1 : 2;
    a->dir_in = source ? 2 : 1;
    a->ctx = EVP_CIPHER_CTX_new();
    if (!a->ctx || hmac(k->key, k->len, LABEL, nsrc, ndst, a->key) ||
        EVP_EncryptInit_ex(a->ctx, EVP_aes_256_gcm(), NULL, a->key, NULL) != 1) {
        bh_mig_auth_free(a);
        return bh_errf(err, errlen, "authentication: libcrypto failed to set up the session");
    }
    *out = a;
    return 0;
}

static int proof(const struct mig_auth *a, uint8_t out[32])
{
    return hmac(a->key, sizeof a->key, LABEL " source proof", NULL, NULL, out);
}

int bh_mig_auth_source(int fd, const struct mig_psk *k, double deadline,
                       const struct bh_net_watch *w, struct mig_auth **out, char *err,
                       size_t errlen)
{
    uint8_t mine[BLOCK], peer[BLOCK], nonce[MIG_NONCE], pr[32];
    char e[256];
    *out = NULL;
    if (k && !k->len)
        k = NULL;
    if (RAND_bytes(nonce, sizeof nonce) != 1)
        return bh_errf(err, errlen, "authentication: no random bytes from libcrypto");
    make_block(mine, k, nonce);
    if (bh_net_write_watch(fd, mine, BLOCK, bh_net_ms_left(deadline), w, e, sizeof e) ||
        bh_net_read_watch(fd, peer, BLOCK, bh_net_ms_left(deadline), w, e, sizeof e))
        return bh_errf(err, errlen, "authentication: %s", e);
    if (compare(mine, peer, "destination", err, errlen))
        return -1;
    if (!k)
        return 0;
    if (session(k, nonce, peer + 4, 1, out, err, errlen))
        return -1;
    if (proof(*out, pr) ||
        bh_net_write_watch(fd, pr, sizeof pr, bh_net_ms_left(deadline), w, e, sizeof e)) {
        bh_mig_auth_free(*out);
        *out = NULL;
        return bh_errf(err, errlen, "authentication: %s", e);
    }
    return 0;
}

int bh_mig_auth_dest(int fd, const struct mig_psk *k, double deadline, const struct bh_net_watch *w,
                     struct mig_auth **out, char *err, size_t errlen)
{
    uint8_t mine[BLOCK], peer[BLOCK], nonce[MIG_NONCE], pr[32], want[32];
    char e[256];
    *out = NULL;
    if (k && !k->len)
        k = NULL;
    if (RAND_bytes(nonce, sizeof nonce) != 1)
        return bh_errf(err, errlen, "authentication: no random bytes from libcrypto");
    make_block(mine, k, nonce);
    /* Answer with our block whatever the source's says: it names the
     * problem on its side from ours. */
    if (bh_net_read_watch(fd, peer, BLOCK, bh_net_ms_left(deadline), w, e, sizeof e) ||
        bh_net_write_all(fd, mine, BLOCK, bh_net_ms_left(deadline), e, sizeof e))
        return bh_errf(err, errlen, "authentication: %s", e);
    if (compare(mine, peer, "source", err, errlen))
        return -1;
    if (!k)
        return 0;
    if (session(k, peer + 4, nonce, 0, out, err, errlen))
        return -1;
    if (bh_net_read_watch(fd, pr, sizeof pr, bh_net_ms_left(deadline), w, e, sizeof e))
        bh_errf(err, errlen, "authentication: %s", e);
    else if (proof(*out, want))
        bh_errf(err, errlen, "authentication: libcrypto failed");
    else if (CRYPTO_memcmp(pr, want, sizeof want) != 0)
        bh_errf(err, errlen,
                "authentication: replayed or forged stream: the source's proof does not answer "
                "this connection's challenge");
    else
        return 0;
    bh_mig_auth_free(*out);
    *out = NULL;
    return -1;
}

void bh_mig_auth_free(struct mig_auth *a)
{
    if (!a)
        return;
    EVP_CIPHER_CTX_free(a->ctx);
    OPENSSL_cleanse(a->key, sizeof a->key);
    free(a);
}

/* GMAC: GCM with the record as additional data and nothing to encrypt. */
static int gmac(struct mig_auth *a, uint32_t dir, const uint8_t *hdr, size_t hlen, const void *body,
                size_t len, uint8_t tag[MIG_TAG])
{
    uint8_t iv[12];
    int n;
    bh_put32(iv, dir);
    bh_put64(iv + 4, bh_get32(hdr + 4)); /* the header's sequence number */
    if (EVP_EncryptInit_ex(a->ctx, NULL, NULL, NULL, iv) != 1 ||
        EVP_EncryptUpdate(a->ctx, NULL, &n, hdr, (int)hlen) != 1 ||
        (len && EVP_EncryptUpdate(a->ctx, NULL, &n, body, (int)len) != 1) ||
        EVP_EncryptFinal_ex(a->ctx, tag, &n) != 1 ||
        EVP_CIPHER_CTX_ctrl(a->ctx, EVP_CTRL_GCM_GET_TAG, MIG_TAG, tag) != 1)
        return -1;
    return 0;
}

int bh_mig_auth_tag(struct mig_auth *a, const uint8_t *hdr, size_t hlen, const void *body,
                    size_t len, uint8_t tag[MIG_TAG])
{
    return gmac(a, a->dir_out, hdr, hlen, body, len, tag);
}

int bh_mig_auth_check(struct mig_auth *a, const uint8_t *hdr, size_t hlen, const void *body,
                      size_t len, const uint8_t tag[MIG_TAG])
{
    uint8_t want[MIG_TAG];
    return gmac(a, a->dir_in, hdr, hlen, body, len, want) == 0 &&
           CRYPTO_memcmp(want, tag, MIG_TAG) == 0;
}
