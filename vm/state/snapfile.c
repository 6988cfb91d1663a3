/* snapfile.c: the snapshot file container (docs/snapshot-format.md).
 *
 * A fixed 48-byte header (magic, format version, header size, flags,
 * section count, file size, writer, header CRC32C), then sections, each a
 * 24-byte header (type, flags, length, CRC32C of the body) and its body.
 * The reader checks every field with its own message, in the order the
 * writer wrote them, so a damaged file says what is damaged.  It also
 * recognises the original tool's 132-byte files (format version 0).
 */
#include "snapshot.h"

#include <string.h>

#include "core/cpu.h"
#include "dev/clock.h"
#include "dev/console.h"
#include "dev/disk.h"
#include "mem/mem.h"
#include "machine/machine.h"
#include "state/snap_priv.h"

#define SNAP_WRITER "myvmm " BH_VERSION

/* Header layout (offsets). */
enum {
    H_MAGIC = 0,
    H_VERSION = 4,
    H_HDRSIZE = 6,
    H_FLAGS = 8,
    H_NSEC = 12,
    H_SIZE = 16,
    H_WRITER = 24,
    H_CRC = 40,
    H_RESERVED = 44
};
/* Section header layout. */
enum { S_TYPE = 0, S_FLAGS = 4, S_LEN = 8, S_CRC = 16, S_VERSION = 20 };

/* Every section type: its name, the version of its body this build
 * writes, and the oldest it still reads (each module that owns a body
 * says which, and reads every version in between). */
static const struct {
    const char *name;
    uint32_t version, oldest;
} sec_info[BH_SNAP_SEC_MAX] = {
    [BH_SNAP_SEC_IDENT] = {"IDENT", 1, 1},
    [BH_SNAP_SEC_CPU] = {"CPU", BH_CPU_STATE_VERSION, 1},
    [BH_SNAP_SEC_MEM] = {"MEM", BH_SNAP_MEM_VERSION, 1},
    [BH_SNAP_SEC_DEV] = {"DEV", 1, 1}, /* format 1 only */
    [BH_SNAP_SEC_IMAGE] = {"IMAGE", 1, 1},
    [BH_SNAP_SEC_CONSOLE] = {"CONSOLE", BH_CONSOLE_STATE_VERSION, BH_CONSOLE_STATE_VERSION},
    [BH_SNAP_SEC_MACHINE] = {"MACHINE", BH_MACHINE_STATE_VERSION, BH_MACHINE_STATE_VERSION},
    [BH_SNAP_SEC_MMU] = {"MMU", BH_MMU_STATE_VERSION, BH_MMU_STATE_VERSION},
    [BH_SNAP_SEC_CLOCK] = {"CLOCK", BH_CLOCK_STATE_VERSION, BH_CLOCK_STATE_VERSION},
    [BH_SNAP_SEC_DISPLAY] = {"DISPLAY", BH_DISPLAY_STATE_VERSION, BH_DISPLAY_STATE_VERSION},
    [BH_SNAP_SEC_DISK] = {"DISK", BH_DISK_STATE_VERSION, BH_DISK_STATE_VERSION},
    [BH_SNAP_SEC_NIC] = {"NIC", BH_NIC_STATE_VERSION, 1},
};

uint32_t bh_snapfile_sec_version(uint32_t type)
{
    return type < BH_SNAP_SEC_MAX ? sec_info[type].version : 0;
}

const char *bh_snapfile_sec_name(uint32_t type)
{
    if (type < BH_SNAP_SEC_MAX && sec_info[type].name)
        return sec_info[type].name;
    return "unknown";
}

void bh_snapfile_begin(struct bh_buf *b, uint32_t flags)
{
    uint8_t h[BH_SNAP_HDR_SIZE] = {0};
    memcpy(h + H_MAGIC, BH_SNAP_MAGIC, 4);
    bh_put16(h + H_VERSION, BH_SNAP_VERSION);
    bh_put16(h + H_HDRSIZE, BH_SNAP_HDR_SIZE);
    bh_put32(h + H_FLAGS, flags);
    /* strncpy pads with NULs: the writer field is fixed-size, not a C string */
    strncpy((char *)h + H_WRITER, SNAP_WRITER, BH_SNAP_WRITER_LEN);
    bh_buf_append(b, h, sizeof h);
}

size_t bh_snapfile_sec_begin(struct bh_buf *b, uint32_t type)
{
    size_t start = b->len;
    uint8_t s[BH_SNAP_SECHDR_SIZE] = {0};
    bh_put32(s + S_TYPE, type);
    bh_put32(s + S_VERSION, type < BH_SNAP_SEC_MAX ? sec_info[type].version : 0);
    bh_buf_append(b, s, sizeof s);
    return start;
}

void bh_snapfile_sec_end(struct bh_buf *b, size_t start)
{
    if (b->oom)
        return;
    uint8_t *s = b->data + start;
    const uint8_t *body = s + BH_SNAP_SECHDR_SIZE;
    uint64_t len = b->len - start - BH_SNAP_SECHDR_SIZE;
    bh_put64(s + S_LEN, len);
    bh_put32(s + S_CRC, bh_crc32c(0, body, len));
}

int bh_snapfile_finish(struct bh_buf *b, char *err, size_t errlen)
{
    if (b->oom)
        return bh_errf(err, errlen, "snapshot: out of memory");
    /* Count sections by walking what sec_begin/sec_end framed. */
    uint32_t n = 0;
    for (size_t off = BH_SNAP_HDR_SIZE; off < b->len; n++)
        off += BH_SNAP_SECHDR_SIZE + bh_get64(b->data + off + S_LEN);
    uint8_t *h = b->data;
    bh_put32(h + H_NSEC, n);
    bh_put64(h + H_SIZE, b->len);
    bh_put32(h + H_CRC, bh_crc32c(0, h, H_CRC));
    return 0;
}

/* The help of a file damaged since it was written (myvmm writes whole
 * files: a temporary, then a rename). */
#define DAMAGED                                                                             \
    BH_HELP "the file changed after myvmm wrote it: resume from another copy, or an earlier " \
            "--snapshot-every file (PATH.1..PATH.3)"

static int parse_v0(const uint8_t *buf, struct bh_snapfile *f, char *err, size_t errlen)
{
    f->version = 0;
    f->size = BH_SNAP_V0_SIZE;
    for (int i = 0; i < 32; i++)
        f->v0_regs[i] = bh_get32(buf + 4 * i);
    f->v0_pc_index = bh_get32(buf + 128);
    if (f->v0_regs[0] != 0)
        return bh_errf(err, errlen,
                       "version-0 snapshot: register $0 holds %d, it must be 0 "
                       "(not a snapshot file?)" BH_HELP
                       "myvmm reads the snapshots it wrote; a program goes after -v, not -s",
                       (int32_t)f->v0_regs[0]);
    return 0;
}

int bh_snapfile_parse(const uint8_t *buf, size_t len, struct bh_snapfile *f, char *err,
                      size_t errlen)
{
    memset(f, 0, sizeof *f);
    if (len < 4 || memcmp(buf, BH_SNAP_MAGIC, 4) != 0) {
        if (len == BH_SNAP_V0_SIZE)
            return parse_v0(buf, f, err, errlen);
        return bh_errf(err, errlen,
                       "not a snapshot: bad magic, and %zu bytes is not the %u bytes of "
                       "an original (version 0) snapshot" BH_HELP
                       "myvmm reads the snapshots it wrote (SNAPSHOT, --snapshot-every, "
                       "--snapshot-on-exit, SIGUSR1); a program goes after -v, not -s",
                       len, BH_SNAP_V0_SIZE);
    }
    if (len < H_HDRSIZE + 2)
        return bh_errf(err, errlen, "truncated: the header needs %u bytes, the file has %zu",
                       BH_SNAP_HDR_SIZE, len);
    unsigned version = bh_get16(buf + H_VERSION);
    if (version > BH_SNAP_VERSION)
        return bh_errf(err, errlen,
                       "snapshot format version %u is newer than this myvmm supports "
                       "(version %u); use a newer myvmm",
                       version, BH_SNAP_VERSION);
    if (version == 0)
        return bh_errf(err, errlen,
                       "format version 0 is the original 132-byte file and has no header");
    if (len < BH_SNAP_HDR_SIZE)
        return bh_errf(err, errlen, "truncated: the header needs %u bytes, the file has %zu",
                       BH_SNAP_HDR_SIZE, len);
    unsigned hsize = bh_get16(buf + H_HDRSIZE);
    if (hsize != BH_SNAP_HDR_SIZE)
        return bh_errf(err, errlen, "bad header size %u (version %u headers are %u bytes)", hsize,
                       version, BH_SNAP_HDR_SIZE);
    uint32_t hcrc = bh_crc32c(0, buf, H_CRC);
    if (hcrc != bh_get32(buf + H_CRC))
        return bh_errf(err, errlen,
                       "header checksum mismatch (stored 0x%08x, computed 0x%08x): the header "
                       "is damaged" DAMAGED,
                       bh_get32(buf + H_CRC), hcrc);
    f->version = version;
    f->flags = bh_get32(buf + H_FLAGS);
    if (f->flags & ~BH_SNAP_F_KNOWN)
        return bh_errf(err, errlen, "unknown header flags 0x%x", f->flags & ~BH_SNAP_F_KNOWN);
    memcpy(f->writer, buf + H_WRITER, BH_SNAP_WRITER_LEN);
    f->writer[BH_SNAP_WRITER_LEN] = 0;
    f->nsections = bh_get32(buf + H_NSEC);
    f->size = bh_get64(buf + H_SIZE);
    if (f->size != len)
        return bh_errf(err, errlen, "%s: the header says %llu bytes, the file has %zu" DAMAGED,
                       f->size > len ? "truncated" : "trailing bytes", (unsigned long long)f->size,
                       len);
    if (bh_get32(buf + H_RESERVED) != 0)
        return bh_errf(err, errlen, "reserved header bytes are not zero");

    size_t off = BH_SNAP_HDR_SIZE;
    for (uint32_t i = 0; i < f->nsections; i++) {
        if (len - off < BH_SNAP_SECHDR_SIZE)
            return bh_errf(err, errlen,
                           "truncated: section %u of %u starts at byte %zu, past the end (%zu)",
                           i + 1, f->nsections, off, len);
        const uint8_t *s = buf + off;
        uint32_t type = bh_get32(s + S_TYPE);
        uint64_t slen = bh_get64(s + S_LEN);
        if (type == 0 || type >= BH_SNAP_SEC_MAX || !sec_info[type].name)
            return bh_errf(err, errlen, "section %u at byte %zu: unknown section type %u", i + 1,
                           off, type);
        const char *name = sec_info[type].name;
        if (f->sec[type].data)
            return bh_errf(err, errlen, "section %s at byte %zu is repeated", name, off);
        if (bh_get32(s + S_FLAGS) != 0)
            return bh_errf(err, errlen, "section %s: reserved flags are not zero", name);
        /* The body's version: 0 in format 1, where every body is version
         * 1; since format 2 one this build reads (the module that owns the
         * body takes it from here). */
        uint32_t sv = bh_get32(s + S_VERSION);
        uint32_t lo = sec_info[type].oldest, hi = sec_info[type].version;
        if (version == 1 ? sv != 0 : sv < lo || sv > hi) {
            if (version == 1 || lo == hi)
                return bh_errf(err, errlen,
                               "section %s: body version %u is not one this myvmm reads (%u)",
                               name, sv, version == 1 ? 0 : hi);
            return bh_errf(err, errlen,
                           "section %s: body version %u is not one this myvmm reads (%u-%u)", name,
                           sv, lo, hi);
        }
        /* A CPU body's size follows from its version (the headers are not
         * under the checksum: a version damaged into another is caught here). */
        if (type == BH_SNAP_SEC_CPU && sv && slen != bh_core_state_size(sv))
            return bh_errf(err, errlen, "section CPU: %llu bytes, expected %zu for version %u",
                           (unsigned long long)slen, bh_core_state_size(sv), sv);
        off += BH_SNAP_SECHDR_SIZE;
        if (slen > len - off)
            return bh_errf(err, errlen,
                           "section %s: length %llu points past the end of the file "
                           "(%zu bytes left)",
                           name, (unsigned long long)slen, len - off);
        uint32_t crc = bh_crc32c(0, buf + off, (size_t)slen);
        if (crc != bh_get32(s + S_CRC))
            return bh_errf(err, errlen,
                           "section %s: checksum mismatch (stored 0x%08x, computed 0x%08x): "
                           "the data is damaged" DAMAGED,
                           name, bh_get32(s + S_CRC), crc);
        f->sec[type].data = buf + off;
        f->sec[type].len = slen;
        f->sec[type].crc = crc;
        f->sec[type].version = sv ? sv : 1;
        off += (size_t)slen;
    }
    if (off != len)
        return bh_errf(err, errlen, "%zu bytes after the last of %u sections", len - off,
                       f->nsections);
    static const uint32_t required[] = {BH_SNAP_SEC_IDENT, BH_SNAP_SEC_CPU, BH_SNAP_SEC_MEM};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!f->sec[required[i]].data)
            return bh_errf(err, errlen, "section %s is missing", sec_info[required[i]].name);
    /* The devices: one DEV section (myvmm 0.3), or a section each since. */
    const struct bh_snap_section *sec = f->sec;
    if (sec[BH_SNAP_SEC_DEV].data &&
        (sec[BH_SNAP_SEC_CONSOLE].data || sec[BH_SNAP_SEC_MACHINE].data))
        return bh_errf(err, errlen, "section DEV and section %s are both there",
                       sec[BH_SNAP_SEC_CONSOLE].data ? "CONSOLE" : "MACHINE");
    if (!sec[BH_SNAP_SEC_DEV].data && !sec[BH_SNAP_SEC_CONSOLE].data)
        return bh_errf(err, errlen, "section CONSOLE is missing");
    if (!sec[BH_SNAP_SEC_DEV].data && !sec[BH_SNAP_SEC_MACHINE].data)
        return bh_errf(err, errlen, "section MACHINE is missing");
    if (!!(f->flags & BH_SNAP_F_IMAGE) != !!f->sec[BH_SNAP_SEC_IMAGE].data)
        return bh_errf(err, errlen, "the header %s an embedded image but the IMAGE section is %s",
                       (f->flags & BH_SNAP_F_IMAGE) ? "announces" : "does not announce",
                       f->sec[BH_SNAP_SEC_IMAGE].data ? "there" : "missing");
    return 0;
}
