/* snap_priv.h: what the files of the snapshot module share (not an
 * interface: vm/state only).  snapshot.c holds the section table and the
 * whole-file paths, snap_mem.c the MEM section, snap_describe.c
 * --snapshot-info. */
#ifndef BH_SNAP_PRIV_H
#define BH_SNAP_PRIV_H

#include <stdint.h>
#include <sys/types.h>

#include "bh_util.h"
#include "dev/console.h"
#include "dev/disk.h"

struct bh_vm;
struct bh_snap_section;

#define BH_SNAP_PAGE_ZERO 0x100u /* MEM page entry: touched, all zero, no data stored */
/* The MEM body this build writes: 2 lists text pages the program stored
 * into (flag BH_PAGE_CODE instead of BH_PAGE_WRITABLE); 1 had data only. */
#define BH_SNAP_MEM_VERSION 2u
#define BH_SNAP_ENC_RAW 0u
#define BH_SNAP_ENC_ZSTD 1u

/* Does the 4 KiB page at p hold only zeroes? */
int bh_snap_page_is_zero(const uint8_t *p);

/* Parsed MEM body: the table and the raw page data (decompressed if need
 * be: owned, freed by the caller). */
struct bh_snap_mem_view {
    uint32_t brk, npages, enc;
    uint32_t ncode; /* text pages among them (BH_PAGE_CODE) */
    const uint8_t *table;
    const uint8_t *data;
    uint64_t raw, stored;
    uint8_t *owned;
};
/* version: the body's (1 or 2).  max_pages: refuse more page entries
 * than a VM could hold before any large allocation (decompression)
 * happens.  machine (BH_MACHINE_*) says where its RAM and text are:
 * SPIM's data and kernel data ranges (text below 0x10000000 and in
 * [0x80000000, 0x90000000)), or the bare machine's physical RAM below its
 * device window. */
int bh_snap_mem_parse(const uint8_t *p, size_t n, uint32_t version, struct bh_snap_mem_view *m,
                      int decompress, uint64_t max_pages, int machine, char *err, size_t errlen);

/* Where a MEM body's raw page data lies in a file (a restore maps it). */
struct bh_snap_file_src {
    int fd;
    off_t off;
};
/* Put a parsed MEM body into the VM (fs: map the pages from the file when
 * it can, NULL: copy). */
int bh_snap_mem_apply(struct bh_vm *vm, const struct bh_snap_mem_view *m,
                      const struct bh_snap_file_src *fs, char *err, size_t errlen);

/* Where the console's and the machine's bodies are: a section each, or
 * one DEV body holding both, console first, each at version 1 (files of
 * myvmm 0.3, and the migration stream's DEV message). */
struct bh_snap_dev_src {
    const uint8_t *con;
    size_t con_n;
    uint32_t con_v;
    const uint8_t *mach; /* NULL: the machine's body follows the console's in con */
    size_t mach_n;
    uint32_t mach_v;
};
struct bh_snap_dev_src bh_snap_dev_src_of(const struct bh_snap_section *sec);
/* Validate both bodies.  con (may be NULL) receives the console's state,
 * describe (may be NULL) the machine's lines for --snapshot-info; *con_len
 * (may be NULL) the console body's length. */
int bh_snap_dev_check(const struct bh_snap_dev_src *d, struct bh_console *con,
                      struct bh_buf *describe, size_t *con_len, char *err, size_t errlen);

/* Parsed DISK body (snap_disk.c): the device's state, the extents table
 * (first sector, sectors, flags: 12 bytes each) and their data
 * (decompressed if need be and asked: owned, freed by the caller). */
struct bh_snap_disk_view {
    struct bh_disk_saved dev;
    uint32_t enc, next;
    uint64_t raw, stored;
    uint64_t listed; /* sectors the extents cover, zero ones included */
    const uint8_t *table, *data;
    uint8_t *owned;
};
int bh_snap_disk_parse(const uint8_t *p, size_t n, uint32_t version, struct bh_snap_disk_view *v,
                       int decompress, char *err, size_t errlen);
/* Can the VM take it (it has a disk of that size)?  Changes nothing. */
int bh_snap_disk_check(struct bh_vm *vm, const struct bh_snap_disk_view *v, char *err,
                       size_t errlen);
/* Put a parsed body (with its data) into the VM's disk: the registers,
 * then the extents; whole (a snapshot): every sector no extent lists
 * becomes zero and the image is synced; else (migration) those are left
 * alone. */
int bh_snap_disk_apply(struct bh_vm *vm, const struct bh_snap_disk_view *v, int whole, char *err,
                       size_t errlen);
/* --snapshot-info's lines for the disk. */
void bh_snap_disk_describe(const struct bh_snap_disk_view *v, struct bh_buf *o);

#endif
