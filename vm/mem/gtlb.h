/* gtlb.h: the guest's TLB, as MIPS32 defines a software-managed one: 32
 * entries, each mapping an even/odd pair of 4 KiB virtual pages (VPN2) of
 * one address space (ASID, or every one when G is set) to two physical
 * pages (EntryLo0 for the even page, EntryLo1 for the odd one), each with
 * V (valid) and D (dirty: writable) bits.  C (cacheability) is kept and
 * ignored: this machine has no cache.
 *
 * Only 4 KiB pages: PageMask reads 0 and writes to it are dropped, as
 * MIPS32 lets an implementation without larger pages do (such a CPU has
 * no PageMask bits to set).
 *
 * Several entries matching one address (MIPS32 allows a machine check):
 * the entry with the lowest index wins, for translation and for tlbp.  No
 * machine check: the guest can only confuse its own translation, whatever
 * its TLB holds, since every physical address it reaches is its own.
 *
 * Random: deterministic.  It counts down from 31 to Wired by one per
 * retired instruction and wraps to 31 (MIPS32's range: Wired <= Random <=
 * 31); writing Wired sets it to 31.  It derives from the instruction count
 * and random_base (the count at which it was last 31), so a snapshot
 * resumes it exactly.
 *
 * This module is the data structure only; the memory's shadow of it (the
 * soft TLB entries it feeds) is mem.c's. */
#ifndef BH_GTLB_H
#define BH_GTLB_H

#include <stdint.h>

#define BH_GTLB_ENTRIES 32u

/* EntryHi: VPN2 and ASID.  EntryLo: PFN, C, D, V, G.  Index: P, index. */
#define BH_HI_VPN2 0xffffe000u
#define BH_HI_ASID 0x000000ffu
#define BH_LO_PFN 0x03ffffc0u
#define BH_LO_PFN_SHIFT 6
#define BH_LO_C 0x00000038u
#define BH_LO_D 0x4u
#define BH_LO_V 0x2u
#define BH_LO_G 0x1u
#define BH_LO_MASK 0x03ffffffu
#define BH_INDEX_P 0x80000000u
#define BH_INDEX_MASK 0x1fu
/* Context: PTEBase (written by the guest), BadVPN2 (set on TLB exceptions). */
#define BH_CONTEXT_PTEBASE 0xff800000u
#define BH_CONTEXT_BADVPN2 0x007ffff0u

/* CP0 register numbers of the TLB's registers. */
#define BH_C0_INDEX 0
#define BH_C0_RANDOM 1
#define BH_C0_ENTRYLO0 2
#define BH_C0_ENTRYLO1 3
#define BH_C0_CONTEXT 4
#define BH_C0_PAGEMASK 5
#define BH_C0_WIRED 6
#define BH_C0_ENTRYHI 10

struct bh_gtlb_entry {
    uint32_t hi;    /* VPN2 | ASID */
    uint32_t lo[2]; /* EntryLo0, EntryLo1 as written; G is the AND of both */
};

struct bh_gtlb {
    struct bh_gtlb_entry e[BH_GTLB_ENTRIES];
    uint64_t random_base; /* icount at which Random was last 31 */
};

/* Results of a translation. */
enum { BH_GTLB_OK, BH_GTLB_MISS, BH_GTLB_INVALID, BH_GTLB_MODIFIED };

static inline int bh_gtlb_global(const struct bh_gtlb_entry *e)
{
    return (e->lo[0] & e->lo[1] & BH_LO_G) != 0;
}

/* The index of the entry mapping va in address space asid, or -1. */
int bh_gtlb_probe(const struct bh_gtlb *t, uint32_t va, unsigned asid);
/* Translate va for a load (store 0) or a store (1): BH_GTLB_* and, when
 * OK, the physical address and the entry's index. */
int bh_gtlb_translate(const struct bh_gtlb *t, uint32_t va, unsigned asid, int store,
                      uint32_t *pa, int *index);
/* Does entry e map virtual page va (of address space asid)? */
int bh_gtlb_covers(const struct bh_gtlb_entry *e, uint32_t va, unsigned asid);

/* The value a CP0 TLB register holds after mtc0 writes v over old (the
 * write masks: read-only bits keep old's value). */
uint32_t bh_gtlb_c0_write(unsigned r, uint32_t old, uint32_t v);
/* Random at instruction count icount with Wired wired. */
uint32_t bh_gtlb_random(const struct bh_gtlb *t, uint32_t wired, uint64_t icount);

#endif
