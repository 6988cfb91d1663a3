/* snapshot.h: the one serializer of a whole VM (docs/snapshot-format.md).
 *
 * Two layers:
 *  - sections: bh_snap_put_<sec> appends the body of one section (CPU,
 *    memory, devices, identity) to a struct bh_buf, bh_snap_get_<sec> parses
 *    one body back into a VM.  They know nothing about files, so live
 *    migration frames the same bodies in its own stream.
 *  - the file container (snapfile.c): fixed header, then sections each with
 *    type, length and CRC32C; bh_snapfile_parse validates all of it (and
 *    recognises the original tool's 132-byte version-0 files) before any
 *    byte reaches a VM.
 * Library code: nothing here prints or exits; errors go to err.
 */
#ifndef BH_SNAPSHOT_H
#define BH_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"
#include "image.h"

struct bh_vm;

/* The format version this code writes.  2: each section header carries
 * the version of its body (format 1 had 0 there: every body version 1). */
#define BH_SNAP_VERSION 2u
#define BH_SNAP_MAGIC                                                                              \
    "\x7f"                                                                                         \
    "BHS"
#define BH_SNAP_HDR_SIZE 48u
#define BH_SNAP_SECHDR_SIZE 24u
#define BH_SNAP_V0_SIZE 132u /* the original tool: 32 registers + PC index */
#define BH_SNAP_WRITER_LEN 16u
#define BH_SNAP_PAGE_SIZE 4096u

/* Header flags */
#define BH_SNAP_F_ZSTD 1u  /* page data compressed with zstd */
#define BH_SNAP_F_IMAGE 2u /* an IMAGE section embeds the program */
#define BH_SNAP_F_KNOWN (BH_SNAP_F_ZSTD | BH_SNAP_F_IMAGE)

/* Section types; each appears at most once. */
enum bh_snap_sec {
    BH_SNAP_SEC_IDENT = 1, /* program identity, VM name, memory limit (required) */
    BH_SNAP_SEC_CPU = 2,   /* registers, HI/LO, PC, icount, coprocessor 0 (required) */
    BH_SNAP_SEC_MEM = 3,   /* sbrk break + touched, non-zero, writable pages (required) */
    BH_SNAP_SEC_DEV = 4,   /* files of myvmm 0.3: CONSOLE then MACHINE in one body */
    BH_SNAP_SEC_IMAGE = 5, /* the program image (bh_image_write bytes; optional) */
    BH_SNAP_SEC_CONSOLE = 6, /* the console device (required unless DEV) */
    BH_SNAP_SEC_MACHINE = 7, /* clock, RNGs, guest files, run state (required unless DEV) */
    BH_SNAP_SEC_MMU = 8,     /* the bare machine's guest TLB (required for a bare machine) */
    BH_SNAP_SEC_CLOCK = 9,   /* the rtc and the interval timer (a device section) */
    BH_SNAP_SEC_DISPLAY = 10, /* the bitmap display's geometry (a device section, when the VM
                                 has a display) */
    BH_SNAP_SEC_DISK = 11,    /* the block device: registers and contents (when the VM has one) */
    BH_SNAP_SEC_NIC = 12,     /* the network card: MAC, registers, pending frames (a device
                                 section, when the VM has a card) */
    BH_SNAP_SEC_MAX = 13
};

/* Device sections: one per device that has state of its own, each with
 * its device's version.  Optional in a file (one written before the device
 * had a section restores the device as reset).  Snapshots write them all;
 * live migration sends each as a SECTION message.  bh_snap_dev_secs lists
 * their types (0-terminated); get validates the whole body, then applies
 * it (vm NULL: validate only). */
extern const uint32_t bh_snap_dev_secs[];
/* Does the VM have section type's device (the display is optional)? */
int bh_snap_has_section(struct bh_vm *vm, uint32_t type);
int bh_snap_put_section(struct bh_buf *b, struct bh_vm *vm, uint32_t type);
int bh_snap_get_section(struct bh_vm *vm, uint32_t type, uint32_t version, const uint8_t *p,
                        size_t n, char *err, size_t errlen);

/* What to write. */
struct bh_snap_opts {
    int compress;    /* zstd page data (refused when built without zstd) */
    int embed_image; /* add the IMAGE section */
    bh_progress_fn progress; /* save: the file's bytes as they are written (may be NULL) */
    void *progress_ctx;
};

/* ---- sections (transport independent) ---- */
int bh_snap_put_ident(struct bh_buf *b, const struct bh_vm *vm);
int bh_snap_put_cpu(struct bh_buf *b, const struct bh_vm *vm);
/* Touched pages that are writable and not all zero, in address order.
 * compress: zstd the page data (-1 with a message when built without zstd). */
int bh_snap_put_mem(struct bh_buf *b, struct bh_vm *vm, int compress, char *err, size_t errlen);
int bh_snap_put_dev(struct bh_buf *b, const struct bh_vm *vm);
/* The bare machine's MMU body, and its reader (validated, then applied). */
int bh_snap_put_mmu(struct bh_buf *b, const struct bh_vm *vm);
int bh_snap_get_mmu(struct bh_vm *vm, const uint8_t *p, size_t n, uint32_t version, char *err,
                    size_t errlen);

/* The DISK body (snap_disk.c): the device's registers and the whole
 * disk (its non-zero blocks; compress: zstd); for live migration one that
 * holds only the listed blocks (indices of BH_DISK_BLOCK blocks, sorted),
 * and its reader, which writes exactly those blocks and the registers
 * and returns the sectors it wrote (or -1). */
int bh_snap_put_disk(struct bh_buf *b, struct bh_vm *vm, int compress, char *err, size_t errlen);
int bh_snap_put_disk_blocks(struct bh_buf *b, struct bh_vm *vm, const uint32_t *blocks, size_t n,
                            char *err, size_t errlen);
int bh_snap_get_disk_blocks(struct bh_vm *vm, const uint8_t *p, size_t n, char *err,
                            size_t errlen);

/* Identity as stored in an IDENT body. */
struct bh_snap_ident {
    uint64_t image_hash;
    uint64_t mem_limit;
    uint32_t entry;
    int machine;       /* BH_MACHINE_*: a trailing word, present for a bare machine only */
    char name[64];     /* VM name */
    char program[256]; /* program source file as the image names it */
};
int bh_snap_get_ident(const uint8_t *p, size_t n, struct bh_snap_ident *id, char *err,
                      size_t errlen);
/* Each get_* validates the whole body before it changes the VM. */
int bh_snap_get_cpu(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen);
int bh_snap_get_mem(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen);
int bh_snap_get_dev(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen);
/* Live migration: a MEM body holding only the listed pages (sorted
 * addresses; absent and read-only ones are skipped), and its reader, which
 * writes exactly those pages and the break, leaving every other page alone;
 * it returns the number of pages written (or -1). */
int bh_snap_put_mem_pages(struct bh_buf *b, struct bh_vm *vm, const uint32_t *addr, size_t n,
                          char *err, size_t errlen);
int bh_snap_get_mem_pages(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen);

/* ---- the file container (snapfile.c) ---- */
struct bh_snap_section {
    const uint8_t *data; /* NULL when absent */
    uint64_t len;
    uint32_t crc;
    uint32_t version; /* of the body's layout (1 in files from before sections had one) */
};

struct bh_snapfile {
    unsigned version; /* 0 (original 132-byte file), 1, or BH_SNAP_VERSION */
    uint32_t flags;   /* BH_SNAP_F_* */
    char writer[BH_SNAP_WRITER_LEN + 1];
    uint32_t nsections;
    uint64_t size;                               /* bytes in the file */
    struct bh_snap_section sec[BH_SNAP_SEC_MAX]; /* indexed by type */
    /* version 0 */
    uint32_t v0_regs[32];
    uint32_t v0_pc_index; /* n-th instruction line of the program, from 0 */
};

/* Writer: begin writes the header; sec_begin/sec_end frame one section whose
 * body the caller appends in between; finish fills counts, size and CRCs. */
void bh_snapfile_begin(struct bh_buf *b, uint32_t flags);
/* sec_begin writes the body version this build writes for the type. */
size_t bh_snapfile_sec_begin(struct bh_buf *b, uint32_t type);
void bh_snapfile_sec_end(struct bh_buf *b, size_t start);
int bh_snapfile_finish(struct bh_buf *b, char *err, size_t errlen);
/* Validate a whole file: magic (or the 132-byte version 0), version, header
 * CRC, sizes, each section's bounds and CRC32C, repeats, required sections.
 * f points into buf (keep buf alive).  -1 with a message naming the problem. */
int bh_snapfile_parse(const uint8_t *buf, size_t len, struct bh_snapfile *f, char *err,
                      size_t errlen);
const char *bh_snapfile_sec_name(uint32_t type);
/* The version of section type's body this build writes (0: unknown). */
uint32_t bh_snapfile_sec_version(uint32_t type);

/* ---- whole snapshots (snapshot.c) ---- */
/* A loaded snapshot file: its bytes and the parsed view of them. */
struct bh_snapshot {
    char *path;
    uint8_t *buf;
    size_t len;
    int mapped; /* buf is a file mapping (munmap), else malloc'ed */
    int fd;     /* the file while mapped (a restore maps page data from it) */
    struct bh_snapfile f;
};

/* Save the whole VM at path, crash-safely (temp file, fsync, rename, fsync
 * the folder), with the VM's own options (bh_vm_ctl: snap_compress,
 * snap_progress).
 * Called by the monitor for SNAPSHOT, SIGUSR1, --snapshot-every/-on-exit. */
int bh_snapshot_save(struct bh_vm *vm, const char *path, char *err, size_t errlen);
int bh_snapshot_save_opts(struct bh_vm *vm, const char *path, const struct bh_snap_opts *o,
                          char *err, size_t errlen);
/* Serialize into a buffer (what save writes). */
int bh_snapshot_serialize(struct bh_vm *vm, const struct bh_snap_opts *o, struct bh_buf *out,
                          char *err, size_t errlen);
int bh_snapshot_have_zstd(void);

/* Read and validate a file.  -1 with "path: problem" in err. */
int bh_snapshot_load(const char *path, struct bh_snapshot *s, char *err, size_t errlen);
int bh_snapshot_parse_buf(const uint8_t *buf, size_t len, struct bh_snapshot *s, char *err,
                          size_t errlen);
void bh_snapshot_free(struct bh_snapshot *s);
/* The embedded program (0), none (-1 with a message), or a bad one (-1). */
int bh_snapshot_image(const struct bh_snapshot *s, struct bh_image *img, char *err, size_t errlen);
/* Put the state into a VM freshly created from the snapshot's program.
 * Refuses another program (image hash), pages beyond the VM's limit, and
 * every malformed field; the VM must not run after a failure. */
int bh_snapshot_restore(struct bh_vm *vm, const struct bh_snapshot *s, char *err, size_t errlen);
/* The machine (BH_MACHINE_*) the snapshot's VM was, to create the VM it
 * restores into (a malformed IDENT: restore says so). */
int bh_snapshot_machine(const struct bh_snapshot *s);
/* Version 0: the address of the n-th statement (BH_LINE_STMT) of the text
 * segment in address order; n == count gives the end of text. */
int bh_snapshot_v0_pc(const struct bh_image *img, uint32_t index, uint32_t *pc, char *err,
                      size_t errlen);
/* Human-readable description (--snapshot-info).  img (may be NULL) maps the
 * PC to a source line; without it the embedded image is used if present. */
int bh_snapshot_describe(const struct bh_snapshot *s, const struct bh_image *img,
                         struct bh_buf *out, char *err, size_t errlen);

/* A 64-bit hash of the final machine state (registers, HI/LO, PC, and the
 * contents of every non-zero page), for --final-hash. */
uint64_t bh_snapshot_state_hash(struct bh_vm *vm);

#endif
