/* mem.h: guest memory: a sparse 32-bit address space of 4 KiB pages, a
 * direct-mapped software TLB in front of it, and memory-mapped devices.
 *
 * Page table: two levels (1024 x 1024).  The first level (8 KiB) and each
 * second-level table are allocated only when a page in their range is
 * first touched, so an idle small VM costs a few pages.
 *
 * Which addresses exist:
 *   - pages the VM loaded (text, ktext: read-only or BH_PAGE_CODE; data,
 *     kdata; the stack with argv) are present from the start;
 *   - [0x10000000, 0x80000000) (data, heap, stack) and
 *     [0x90000000, 0xffff0000) (kernel data) are allocated zeroed on
 *     first touch, read or write, while pages_in_use < limit_pages;
 *   - everything else (below 0x10000000 outside the loaded text, the
 *     ktext range outside loaded ktext, unregistered MMIO) is unmapped.
 * Faults (the slow paths return the MIPS exception code, 0 if fine):
 *   BH_EXC_ADEL/ADES  unaligned, unmapped, or a store to a read-only page
 *                      (mem->fault_flags has BH_EXITF_TEXT for the last)
 *   BH_EXC_DBE         the memory limit would be exceeded
 *                      (mem->fault_flags has BH_EXITF_MEMLIMIT), or a
 *                      device callback returned -1
 *
 * The TLB: entry i = (addr >> 12) % BH_TLB_SIZE holds a read tag, a write
 * tag and an addend (host address - guest address of the page).  A hit is
 *     (addr & (BH_PAGE_MASK | (size - 1))) == tag   ->  host = addr + addend
 * Folding the alignment bits into the compare sends unaligned accesses to
 * the slow path, which faults them.  The write tag is installed only for
 * pages already marked dirty, so the first store to a clean page goes to
 * the slow path, which marks it dirty: dirty tracking costs nothing on
 * hits.  MMIO pages never enter the TLB.
 *
 * The privileged machine (bh_mem_set_priv, the bare machine of
 * docs/devices.md): the pages above are the guest's *physical* memory,
 * RAM in [0, BH_BARE_IO_BASE) allocated on first touch, the device window
 * at BH_BARE_IO_BASE, nothing above (a bus error, DBE).  The slow paths
 * take guest *virtual* addresses and translate them as MIPS32 does
 * (bh_mem_translate): kuseg (below 0x80000000) and kseg2/3 (from
 * 0xc0000000) through the guest TLB (gtlb.h), kseg0/kseg1 onto physical
 * 0..0x1fffffff, user mode only kuseg (AdEL/AdES), ERL = 1 leaves kuseg
 * unmapped.  Faults: TLBL/TLBS for no matching entry (fault_flags has
 * BH_EXITF_REFILL: the refill vector's case) or V = 0, Mod for a store
 * with D = 0.  The soft TLB then caches the composition virtual ->
 * physical -> host for the current mode and ASID: the shadow, as a
 * hypervisor's shadow page tables.  tlb_src remembers which guest entry
 * each soft entry came from, so a guest TLB write flushes exactly the soft
 * entries the old and the new entry cover (bh_mem_gtlb_write), an ASID
 * change the non-global ones, and entering user mode the kernel segments'
 * (bh_mem_set_mode: kseg_slot lists the slots those were filled into, so
 * a return to user mode costs what the kernel touched, not a pass).  Write entries need guest D = 1 as well as a dirty
 * physical page: dirty tracking stays on physical pages.
 */
#ifndef BH_MEM_H
#define BH_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h" /* bh_buf, bh_rd */
#include "dev/dev.h" /* bh_io_read_fn, bh_io_write_fn */
#include "mem/gtlb.h"
#include "vm.h" /* BH_EXC_* and BH_EXITF_* codes only */

#define BH_PAGE_SHIFT 12
#define BH_PAGE_SIZE  4096u
#define BH_PAGE_MASK  0xfffff000u
#define BH_TLB_SIZE   256u
#define BH_TLB_INDEX(a) (((uint32_t)(a) >> BH_PAGE_SHIFT) & (BH_TLB_SIZE - 1))
/* Never equal to a masked address: bits 2..11 are always clear there. */
#define BH_TLB_INVALID 0xffffffffu
#define BH_MEM_MAX_IO 8
/* The device window: 64 KiB at the top of the SPIM-style address space,
 * at physical 0x1fff0000 (kseg1 0xbfff0000) in the privileged machine. */
#define BH_IO_WINDOW 0x10000u
/* Not an exception: bh_mem_store_slow's return when the store went in
 * and a device asked the machine to stop (mem.stop): the run ends after
 * the storing instruction, without a test in the core's hot path. */
#define BH_MEM_STOP 32
/* Not an exception either: the slow path's return when the access would
 * touch a debugger's watchpoint (bh_mem_dwatch); nothing was done, and
 * dwatch_addr / dwatch_kind say what hit. */
#define BH_MEM_WATCH 33
#define BH_MEM_MAX_DWATCH 8
#define BH_BARE_IO_BASE 0x1fff0000u
/* tlb_src of a soft entry that no guest TLB entry made (unmapped segments) */
#define BH_SRC_NONE 0xffu

/* Page flags */
#define BH_PAGE_PRESENT  1u
#define BH_PAGE_WRITABLE 2u
#define BH_PAGE_DIRTY    4u
/* Text a program may store into, as SPIM lets it (both machines load
 * their text so): not WRITABLE (never a write tag, so every store takes
 * the slow path), the slow path stores, sets code_stored and code_pa for
 * the core, which decodes the changed word again, and marks the page
 * PATCHED and DIRTY. */
#define BH_PAGE_CODE     8u
/* A CODE page a store went into: it differs from the image, so snapshots
 * and migration carry it (harvests clear DIRTY, never this). */
#define BH_PAGE_PATCHED  16u
/* The write watch (bh_mem_watch): a reader saw the page as it is.  The
 * page gets no write tag, so the next store takes the slow path, which
 * clears the flag; harvests keep it (migration's DIRTY is its own). */
#define BH_PAGE_WATCHED  32u
/* The pages a snapshot or a migration carries: data, and text the program
 * stored into (the rest of the text is the image's, which both check). */
static inline int bh_page_carried(unsigned flags)
{
    return (flags & BH_PAGE_WRITABLE) ||
           (flags & (BH_PAGE_CODE | BH_PAGE_PATCHED)) == (BH_PAGE_CODE | BH_PAGE_PATCHED);
}

struct bh_tlb_entry {
    uint32_t rtag, wtag;
    uintptr_t addend; /* host pointer = guest address + addend */
};

/* Device regions: the callbacks of the device contract (dev/dev.h),
 * called from the core's slow path with the offset from the base. */

struct bh_io_region {
    uint32_t base;
    const struct bh_dev_region *dev;
    void *opaque;
    uint64_t reads, writes; /* accesses (--stats counts by device) */
};

/* One device access, as the bus's observer sees it (after the device ran):
 * the host's --trace-exits prints it. */
struct bh_io_access {
    const struct bh_io_region *region;
    uint32_t offset;
    unsigned size;
    uint32_t val;   /* written, or read (when ok) */
    int write;
    int ok;         /* 0: the device refused it (the guest gets a bus error) */
};
typedef void (*bh_io_observer_fn)(void *ctx, const struct bh_io_access *a);

struct bh_l2 {
    uint8_t *page[1024];
    uint8_t flags[1024];
};

/* The shadow's counters (--stats). */
struct bh_mmu_stats {
    uint64_t refills;    /* TLB misses raised: no guest entry matched */
    uint64_t tlb_writes; /* tlbwi and tlbwr */
    uint64_t flushes;    /* guest TLB writes and mode/ASID changes that flushed soft entries */
    uint64_t flushed;    /* soft entries they flushed */
};

struct bh_mem {
    struct bh_tlb_entry tlb[BH_TLB_SIZE];
    struct bh_l2 **l1;       /* 1024 entries, NULL until the first page */
    uint64_t pages;          /* pages in use */
    uint64_t limit_pages;
    struct bh_io_region io[BH_MEM_MAX_IO];
    unsigned nio;
    bh_io_observer_fn io_observer; /* NULL, or told of every device access */
    void *io_observer_ctx;
    unsigned fault_flags;    /* BH_EXITF_* of the last slow-path fault */
    int code_stored;         /* the last slow-path store went into a BH_PAGE_CODE page */
    uint32_t code_pa;        /* ... at this (physical) address */
    int stop;                /* set by a device write (the board's power-off): the slow
                                path's store returns BH_MEM_STOP once it is done */
    struct bh_mem_mapping *maps; /* adopted mappings (see below), NULL if none */
    unsigned nmaps;
    uint32_t io_base;        /* the device window [io_base, io_base + BH_IO_WINDOW) */
    /* The privileged machine; the soft TLB holds translations for this
     * mode (user, erl) and asid only. */
    int priv;
    int user, erl;
    unsigned asid;
    uint8_t tlb_src[BH_TLB_SIZE]; /* guest TLB entry of each soft entry, or BH_SRC_NONE */
    /* The slots filled with kernel-segment addresses since the last entry
     * to user mode, so that entry drops them without a pass over all
     * BH_TLB_SIZE slots (a slot listed may hold another page by then). */
    uint8_t kseg_slot[BH_TLB_SIZE];
    uint8_t kseg_listed[BH_TLB_SIZE]; /* 1 for a slot in kseg_slot */
    unsigned nkseg;
    struct bh_gtlb gtlb;
    struct bh_mmu_stats mmu;
    /* A debugger's watchpoints (gdb's Z2-Z4), on guest (virtual)
     * addresses.  ndwatch is 0 unless some are set and enabled: tlb_fill
     * then gives their pages no entries, and the slow paths check them. */
    struct bh_mem_dwatch {
        uint32_t addr, len;
        unsigned kind; /* BH_WATCH_READ | BH_WATCH_WRITE */
    } dwatch[BH_MEM_MAX_DWATCH];
    unsigned ndwatch_set; /* entries of dwatch[] in use */
    unsigned ndwatch;     /* ndwatch_set, or 0 while suspended */
    uint32_t dwatch_addr; /* the last hit: the access's address and kind */
    unsigned dwatch_kind;
};

int bh_mem_init(struct bh_mem *m, uint64_t limit_bytes, char *err, size_t errlen);
void bh_mem_free(struct bh_mem *m);

/* Place a device's registers at [base, base + dev->size) inside the
 * device window; opaque is what its callbacks get.  Refuses a region
 * outside the window or overlapping another. */
int bh_mem_map_io(struct bh_mem *m, uint32_t base, const struct bh_dev_region *dev, void *opaque,
                  char *err, size_t errlen);

/* Make m the privileged machine's memory (before anything is loaded):
 * physical addresses, the device window at BH_BARE_IO_BASE, kernel mode. */
void bh_mem_set_priv(struct bh_mem *m);
/* The mode the core runs in now (privileged machine): flushes the soft
 * entries the change makes wrong and counts them. */
void bh_mem_set_mode(struct bh_mem *m, int user, int erl, unsigned asid);
/* Write guest TLB entry i (tlbwi, tlbwr), flushing the soft entries the
 * old and the new entry cover. */
void bh_mem_gtlb_write(struct bh_mem *m, unsigned i, const struct bh_gtlb_entry *e);
/* Guest virtual va to physical for a load (access 0), store (1) or fetch
 * (2) in the current mode: 0 or a BH_EXC_* code (fault_flags as the slow
 * paths set them); src, when not NULL, gets the guest TLB entry used or
 * BH_SRC_NONE, wr whether the translation allows stores.  SPIM-style
 * memory: the identity. */
int bh_mem_translate(struct bh_mem *m, uint32_t va, int access, uint32_t *pa, unsigned *src,
                     int *wr);

/* The MMU snapshot section (docs/snapshot-format.md, MMU), written for
 * the privileged machine only: Random's base, the 32 guest TLB entries
 * (EntryHi, EntryLo0, EntryLo1) and the counters of --stats.  The reader
 * validates the whole body before it changes m, then flushes the soft TLB. */
#define BH_MMU_STATE_VERSION 1u
#define BH_MMU_STATE_SIZE (8 + BH_GTLB_ENTRIES * 12 + 4 * 8)
int bh_mem_mmu_save(const struct bh_mem *m, struct bh_buf *b);
int bh_mem_mmu_load(struct bh_mem *m, struct bh_rd *r, uint32_t version, char *err, size_t errlen);

/* Set (on) or clear a watchpoint (include/vm.h's bh_vm_watch); enable 0
 * suspends them all, 1 brings them back.  Both flush the soft TLB. */
int bh_mem_dwatch(struct bh_mem *m, uint32_t addr, uint32_t len, unsigned kind, int on);
void bh_mem_dwatch_enable(struct bh_mem *m, int on);

/* Slow paths (out of line): fill the TLB on success.  size 1, 2 or 4;
 * loads return the zero-extended value.  Return 0 or a BH_EXC_* code. */
int bh_mem_load_slow(struct bh_mem *m, uint32_t addr, unsigned size, uint32_t *val);
int bh_mem_store_slow(struct bh_mem *m, uint32_t addr, unsigned size, uint32_t val);

/* Convenience accesses (TLB fast path, then the slow path). */
static inline int bh_mem_load32(struct bh_mem *m, uint32_t a, uint32_t *v)
{
    const struct bh_tlb_entry *e = &m->tlb[BH_TLB_INDEX(a)];
    if ((a & (BH_PAGE_MASK | 3u)) == e->rtag) {
        const uint8_t *p = (const uint8_t *)(uintptr_t)(a + e->addend);
        *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        return 0;
    }
    return bh_mem_load_slow(m, a, 4, v);
}

/* Where the bare machine loads the image's byte at va (kuseg as it is,
 * kseg0/kseg1 onto physical 0..0x1fffffff), -1 for kseg2/kseg3. */
static inline int64_t bh_mem_bare_physical(uint32_t va)
{
    if (va >= 0xc0000000u)
        return -1;
    return va >= 0x80000000u ? (int64_t)(va & 0x1fffffffu) : (int64_t)va;
}

/* Load image contents (VM creation): allocate present pages and copy;
 * flags is BH_PAGE_WRITABLE (data), BH_PAGE_CODE (SPIM-style text) or 0
 * (read-only).  Ignores the demand regions. */
int bh_mem_load_bytes(struct bh_mem *m, uint32_t addr, const void *src, uint32_t n, unsigned flags,
                      char *err, size_t errlen);

/* Debugger-style access for the monitor (no fault, no device access):
 * -1 if any byte is unmapped / (writes) read-only or MMIO. */
int bh_mem_read(struct bh_mem *m, uint32_t addr, void *dst, uint32_t n);
int bh_mem_write(struct bh_mem *m, uint32_t addr, const void *src, uint32_t n);

/* Snapshot / migration. */
typedef void (*bh_page_fn)(void *ctx, uint32_t page_addr, const uint8_t *data, unsigned flags);
/* Every present page, in address order (text pages included: flags tell
 * them apart). */
void bh_mem_foreach_page(struct bh_mem *m, bh_page_fn fn, void *ctx);
/* Every dirty page in address order; clears the dirty bits and flushes the
 * TLB write entries, so the next store to each page is seen again.
 * Returns the number of pages reported.  New pages start dirty. */
uint64_t bh_mem_dirty_harvest(struct bh_mem *m, bh_page_fn fn, void *ctx);
/* The page at page_addr for writing restored contents into: allocated
 * (zeroed) if absent, within the limit; its flags become flags
 * (PRESENT is implied; BH_PAGE_CODE brings PATCHED: restored text is the
 * program's own); its TLB entries are flushed.  NULL + err on failure. */
uint8_t *bh_mem_page_for_restore(struct bh_mem *m, uint32_t page_addr, unsigned flags, char *err,
                                 size_t errlen);
/* The write watch, for a reader that polls a range (the display's term
 * refresh): 1 when a page of [addr, addr + len) was written (or first
 * allocated) since the last call on it, else 0; either way the range is
 * watched again.  Costs a pass over the range's page flags; when a page
 * changed, the soft TLB's write entries are dropped (as a harvest does),
 * so the next store to each page takes the slow path once.  The store
 * fast path is unchanged. */
int bh_mem_watch(struct bh_mem *m, uint32_t addr, uint32_t len);
uint64_t bh_mem_pages_in_use(const struct bh_mem *m);
void bh_mem_tlb_flush(struct bh_mem *m);
/* Flags of the page holding addr (0 when absent). */
unsigned bh_mem_page_flags(const struct bh_mem *m, uint32_t addr);

/* ---- Adopted mappings: pages that are not the allocator's ----
 * A snapshot restore maps the file's raw page data (MAP_PRIVATE, writable:
 * the kernel copies a page on its first store, the file never changes) and
 * points guest pages straight into it, instead of allocating and copying
 * one page at a time.  Such pages are never freed one by one: the mapping
 * is unmapped, whole, by bh_mem_free.  They count against the limit like
 * any page; their flags (dirty included) are the caller's. */
struct bh_mem_mapping {
    void *base;
    size_t len;
};
/* m owns [base, base + len) from now on (munmap in bh_mem_free), also on
 * failure (-1: out of memory for the list; the mapping is unmapped). */
int bh_mem_adopt_mapping(struct bh_mem *m, void *base, size_t len, char *err, size_t errlen);
/* The guest page at addr (page-aligned, below the MMIO window) becomes
 * host[0..4095], which must lie inside an adopted mapping; flags as for
 * bh_mem_page_for_restore.  A page already there is released (the count
 * stays), a new one counts against the limit. */
int bh_mem_page_map(struct bh_mem *m, uint32_t addr, uint8_t *host, unsigned flags, char *err,
                    size_t errlen);

#endif
