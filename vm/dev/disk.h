/* disk.h: the block device: a disk image file on the host, seen by the
 * guest as seven 32-bit registers (docs/devices.md has the map and why):
 *
 *   +0x00 SECTOR    first sector of the request (512-byte sectors)
 *   +0x04 COUNT     sectors, 1..BH_DISK_MAX_COUNT
 *   +0x08 ADDR      the guest buffer: the program's own address on the
 *                   spim machine, a physical address on the bare one;
 *                   a multiple of 4
 *   +0x0c COMMAND   write 1 read, 2 write, 3 flush: the request runs at
 *                   once (reads back the last command written)
 *   +0x10 STATUS    bits 0-7 the result (BH_DISK_E_*), bit 8 DONE; write
 *                   a word with bit 8 set to acknowledge (clears DONE)
 *   +0x14 CONTROL   bit 0 IE: DONE raises the interrupt line
 *   +0x18 CAPACITY  the disk's size in sectors (read-only)
 *
 * Built on the device contract alone (dev.h).  A request runs inside the
 * write of COMMAND, synchronously: a read goes from the file (mapped
 * shared: no system call) to guest memory through the DMA interface
 * (which marks the pages dirty), a write
 * from guest memory to the file with pwrite before STATUS says DONE
 * (write-through: what the guest was told is done is in the host's page
 * cache, so a kill -9 of myvmm cannot lose it), a flush is fdatasync.  So
 * nothing is ever in flight: the only state a request leaves is STATUS
 * (DONE and the result) and the interrupt line while DONE and IE are set.
 * A bad request (see BH_DISK_E_*) sets its error and touches neither the
 * file nor guest memory.
 *
 * The device remembers which 4 KiB blocks the guest wrote since the last
 * harvest (bh_disk_harvest): live migration sends them again each round.
 *
 * SERIALIZED STATE (bh_disk_save / bh_disk_load): the disk's size, the six
 * registers, the counters, the file's name (informational).  The disk's
 * contents are the state layer's business (vm/state/snap_disk.c), through
 * bh_disk_read_sectors / bh_disk_write_sectors.  NOT serialized: the file
 * descriptor, the IRQ and DMA wiring, the dirty blocks. */
#ifndef BH_DISK_H
#define BH_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"
#include "dev/dev.h"

#define BH_DISK_SECTOR 512u
#define BH_DISK_BLOCK 4096u /* the unit of dirty tracking and of migration */
#define BH_DISK_BLOCK_SECTORS (BH_DISK_BLOCK / BH_DISK_SECTOR)
#define BH_DISK_MAX_COUNT 256u            /* sectors per request: 128 KiB */
#define BH_DISK_MAX_BYTES (4ull << 30)    /* the largest image: 4 GiB */
#define BH_DISK_MMIO_SIZE 0x20u

/* Register offsets */
#define BH_DISK_REG_SECTOR   0x00u
#define BH_DISK_REG_COUNT    0x04u
#define BH_DISK_REG_ADDR     0x08u
#define BH_DISK_REG_COMMAND  0x0cu
#define BH_DISK_REG_STATUS   0x10u
#define BH_DISK_REG_CONTROL  0x14u
#define BH_DISK_REG_CAPACITY 0x18u

/* Commands */
#define BH_DISK_CMD_READ  1u
#define BH_DISK_CMD_WRITE 2u
#define BH_DISK_CMD_FLUSH 3u

/* STATUS: the result in bits 0-7, checked in this order */
#define BH_DISK_OK        0u
#define BH_DISK_E_COMMAND 1u /* not 1, 2 or 3 */
#define BH_DISK_E_COUNT   2u /* COUNT is 0 or more than BH_DISK_MAX_COUNT */
#define BH_DISK_E_SECTOR  3u /* SECTOR + COUNT is past the end of the disk */
#define BH_DISK_E_ALIGN   4u /* ADDR is not a multiple of 4 */
#define BH_DISK_E_ADDRESS 5u /* the buffer is not all the VM's memory (a read: or
                                it is text, a device, past the memory limit) */
#define BH_DISK_E_IO      6u /* the host's read, write or fsync failed */
#define BH_DISK_E_MAX     BH_DISK_E_IO
#define BH_DISK_ST_DONE   0x100u
#define BH_DISK_CTL_IE    1u

/* What the guest sees and what a snapshot keeps of the device. */
struct bh_disk_regs {
    uint32_t sector, count, addr, command, status, control;
    /* counters (--stats, --snapshot-info) */
    uint64_t reads, writes, flushes, errors, sectors_read, sectors_written;
};

struct bh_disk {
    int fd;              /* the image, open read-write and locked; -1: none */
    const uint8_t *map;  /* the image, mapped shared and read-only: reads copy from it */
    char *path;
    uint32_t nsectors;
    struct bh_disk_regs r;
    struct bh_irq irq;   /* DONE with IE (the machine wires it) */
    struct bh_dma dma;   /* guest memory (the machine fills it in) */
    uint8_t *dirty;      /* one bit per BH_DISK_BLOCK written since the last harvest */
    uint8_t *buf;        /* a write's bytes: BH_DISK_MAX_COUNT sectors */
};

/* Open the image at path for d (zeroed first): a regular file of a
 * multiple of 512 bytes, 512 to BH_DISK_MAX_BYTES, readable and
 * writable, that no other VM (of this process or another) has open: it
 * is locked (flock) while d has it.  -1 with the reason. */
int bh_disk_open(struct bh_disk *d, const char *path, char *err, size_t errlen);
void bh_disk_close(struct bh_disk *d);
/* The image was renamed (a migration's destination commits its copy). */
int bh_disk_set_path(struct bh_disk *d, const char *path);

/* The register region; its callbacks take the disk as opaque pointer. */
extern const struct bh_dev_region bh_disk_region;

/* The contents, for the state layer: whole sectors, 0 or -1 (errno set;
 * a write beyond the end or a short file is EIO).  These are not guest
 * writes: they mark nothing dirty. */
int bh_disk_read_sectors(struct bh_disk *d, uint32_t first, uint32_t n, void *dst);
int bh_disk_write_sectors(struct bh_disk *d, uint32_t first, uint32_t n, const void *src);
/* fdatasync the image: 0 or -1 (errno set). */
int bh_disk_sync(struct bh_disk *d);
/* Call fn for each block (index: sector / BH_DISK_BLOCK_SECTORS) the
 * guest wrote since the last harvest, in order, and forget them.  Returns
 * how many. */
uint64_t bh_disk_harvest(struct bh_disk *d, void (*fn)(void *ctx, uint32_t block), void *ctx);
/* Blocks on the disk, the last one perhaps short. */
static inline uint32_t bh_disk_nblocks(const struct bh_disk *d)
{
    return (d->nsectors + BH_DISK_BLOCK_SECTORS - 1) / BH_DISK_BLOCK_SECTORS;
}
/* Where the file may hold data at or after sector from: the first
 * sector of the next data extent (SEEK_DATA: a sparse image's holes read
 * as zeroes and are skipped), or nsectors.  A sector is a guess, never
 * past data. */
uint32_t bh_disk_data_from(struct bh_disk *d, uint32_t from);
/* The end of the data that starts at from: the next hole (SEEK_HOLE),
 * rounded up to a sector, or nsectors. */
uint32_t bh_disk_hole_from(struct bh_disk *d, uint32_t from);

/* Serialization of the device (the first part of the DISK section,
 * docs/snapshot-format.md): save; parse (validates everything); fits
 * (does d have the saved disk's size?); load (fits, then change d). */
#define BH_DISK_STATE_VERSION 1u
struct bh_disk_saved {
    uint32_t nsectors;
    struct bh_disk_regs r;
    char path[256];
};
int bh_disk_save(const struct bh_disk *d, struct bh_buf *b);
int bh_disk_parse(struct bh_rd *r, uint32_t version, struct bh_disk_saved *s, char *err,
                  size_t errlen);
int bh_disk_fits(const struct bh_disk *d, const struct bh_disk_saved *s, char *err, size_t errlen);
int bh_disk_load(struct bh_disk *d, const struct bh_disk_saved *s, char *err, size_t errlen);

#endif
