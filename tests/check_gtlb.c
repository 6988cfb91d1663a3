/* check_gtlb.c: the privileged machine's memory: the guest TLB (refill,
 * invalid, modified, ASID, global, wired, random, probe miss), the MIPS32
 * address map, and the shadow soft TLB that caches guest virtual -> host
 * for the current mode (what each guest TLB write or mode change
 * flushes); then the same through the core's instructions (tlbwi, tlbwr,
 * tlbr, tlbp, mtc0, the refill vector). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core_test_util.h"
#include "core/cpu.h"
#include "core/cpu_priv.h"
#include "mem/mem.h"

static struct bh_mem m;
static char err[256];

static void setup(void)
{
    ck_assert_int_eq(bh_mem_init(&m, 64 * BH_PAGE_SIZE, err, sizeof err), 0);
    bh_mem_set_priv(&m);
}
static void teardown(void) { bh_mem_free(&m); }

/* EntryLo for physical page pa with flags (V, D, G). */
static uint32_t lo(uint32_t pa, uint32_t flags) { return (pa >> 12) << BH_LO_PFN_SHIFT | flags; }

static void map(unsigned i, uint32_t hi, uint32_t lo0, uint32_t lo1)
{
    struct bh_gtlb_entry e = {hi, {lo0, lo1}};
    bh_mem_gtlb_write(&m, i, &e);
}

static int soft_reads(uint32_t va) { return m.tlb[BH_TLB_INDEX(va)].rtag == (va & BH_PAGE_MASK); }
static int soft_writes(uint32_t va) { return m.tlb[BH_TLB_INDEX(va)].wtag == (va & BH_PAGE_MASK); }

START_TEST(refill_then_hit)
{
    uint32_t v;
    /* an empty TLB: a miss, flagged as the refill vector's case */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00402000u, 4, &v), BH_EXC_TLBL);
    ck_assert_uint_eq(m.fault_flags & BH_EXITF_REFILL, BH_EXITF_REFILL);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x00402000u, 4, 1), BH_EXC_TLBS);
    ck_assert_uint_eq(m.mmu.refills, 2);
    /* even page 0x00402000 -> physical 0x5000, odd 0x00403000 -> 0x7000 */
    map(3, 0x00402000u, lo(0x5000, BH_LO_V | BH_LO_D), lo(0x7000, BH_LO_V | BH_LO_D));
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x00402004u, 4, 0x11223344u), 0);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x00403008u, 4, 0x55667788u), 0);
    ck_assert_uint_eq(m.fault_flags, 0);
    uint8_t b[4];
    ck_assert_int_eq(bh_mem_read(&m, 0x5004, b, 4), 0);
    ck_assert_uint_eq(bh_get32(b), 0x11223344u);
    ck_assert_int_eq(bh_mem_read(&m, 0x7008, b, 4), 0);
    ck_assert_uint_eq(bh_get32(b), 0x55667788u);
    /* the soft TLB caches virtual -> host: the fast path hits */
    ck_assert(soft_reads(0x00402000u));
    ck_assert(soft_writes(0x00402000u));
    ck_assert_uint_eq(m.tlb_src[BH_TLB_INDEX(0x00402000u)], 3);
    ck_assert_int_eq(bh_mem_load32(&m, 0x00402004u, &v), 0);
    ck_assert_uint_eq(v, 0x11223344u);
}
END_TEST

START_TEST(invalid_and_modified)
{
    uint32_t v;
    map(0, 0x00400000u, lo(0x3000, 0), lo(0x4000, BH_LO_V));
    /* V = 0: TLBL/TLBS, not a refill */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00400010u, 4, &v), BH_EXC_TLBL);
    ck_assert_uint_eq(m.fault_flags & BH_EXITF_REFILL, 0);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x00400010u, 4, 0), BH_EXC_TLBS);
    ck_assert_uint_eq(m.mmu.refills, 0);
    /* V = 1, D = 0: loads fine, no write entry, a store is Mod */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00401010u, 4, &v), 0);
    ck_assert(soft_reads(0x00401000u));
    ck_assert(!soft_writes(0x00401000u));
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x00401010u, 4, 0), BH_EXC_MOD);
    /* a dirty physical page does not make a clean guest entry writable */
    ck_assert_uint_eq(bh_mem_page_flags(&m, 0x4000) & BH_PAGE_DIRTY, BH_PAGE_DIRTY);
    ck_assert(!soft_writes(0x00401000u));
}
END_TEST

START_TEST(asid_and_global)
{
    uint32_t v;
    bh_mem_set_mode(&m, 0, 0, 5);
    map(1, 0x00400000u | 5, lo(0x3000, BH_LO_V | BH_LO_D), lo(0x4000, BH_LO_V | BH_LO_D));
    map(2, 0x7fff0000u | 9, lo(0x8000, BH_LO_V | BH_LO_D | BH_LO_G),
        lo(0x9000, BH_LO_V | BH_LO_D | BH_LO_G));
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00400000u, 4, &v), 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x7fff0000u, 4, &v), 0);
    uint64_t flushed = m.mmu.flushed;
    /* another address space: the ASID 5 page's soft entry goes, the
     * global one stays; the entry no longer matches */
    bh_mem_set_mode(&m, 0, 0, 6);
    ck_assert(!soft_reads(0x00400000u));
    ck_assert(soft_reads(0x7fff0000u));
    ck_assert_uint_eq(m.mmu.flushed, flushed + 1);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00400000u, 4, &v), BH_EXC_TLBL);
    ck_assert_uint_eq(m.fault_flags, BH_EXITF_REFILL);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x7fff1000u, 4, &v), 0);
    /* G needs both halves' G bits */
    map(3, 0x00500000u, lo(0xa000, BH_LO_V | BH_LO_G), lo(0xb000, BH_LO_V));
    ck_assert_int_eq(bh_gtlb_probe(&m.gtlb, 0x00500000u, 6), -1);
    ck_assert_int_eq(bh_gtlb_probe(&m.gtlb, 0x00500000u, 0), 3);
}
END_TEST

START_TEST(probe_and_multiple_matches)
{
    ck_assert_int_eq(bh_gtlb_probe(&m.gtlb, 0x00400000u, 0), -1);
    map(7, 0x00400000u, lo(0x3000, BH_LO_V), lo(0x4000, BH_LO_V));
    map(4, 0x00400000u, lo(0x5000, BH_LO_V), lo(0x6000, BH_LO_V));
    /* both match: the lowest index wins, for probe and translation */
    ck_assert_int_eq(bh_gtlb_probe(&m.gtlb, 0x00401ffcu, 0), 4);
    uint32_t pa;
    int idx;
    ck_assert_int_eq(bh_gtlb_translate(&m.gtlb, 0x00401ffcu, 0, 0, &pa, &idx), BH_GTLB_OK);
    ck_assert_uint_eq(pa, 0x6ffcu);
    ck_assert_int_eq(idx, 4);
}
END_TEST

START_TEST(shadow_flushes_exactly)
{
    uint32_t v;
    map(0, 0x00400000u, lo(0x3000, BH_LO_V | BH_LO_D), lo(0x4000, BH_LO_V | BH_LO_D));
    map(5, 0x00624000u, lo(0x5000, BH_LO_V | BH_LO_D), lo(0x6000, BH_LO_V | BH_LO_D));
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00400000u, 4, &v), 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00401000u, 4, &v), 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00624000u, 4, &v), 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x80010000u, 4, &v), 0); /* kseg0 */
    uint64_t writes = m.mmu.tlb_writes, flushes = m.mmu.flushes, flushed = m.mmu.flushed;
    /* rewriting entry 0 flushes its two pages, nothing else */
    map(0, 0x00800000u, lo(0x7000, BH_LO_V), lo(0x8000, BH_LO_V));
    ck_assert(!soft_reads(0x00400000u));
    ck_assert(!soft_reads(0x00401000u));
    ck_assert(soft_reads(0x00624000u));
    ck_assert(soft_reads(0x80010000u));
    ck_assert_uint_eq(m.mmu.tlb_writes, writes + 1);
    ck_assert_uint_eq(m.mmu.flushes, flushes + 1);
    ck_assert_uint_eq(m.mmu.flushed, flushed + 2);
    /* a new lower entry covering a page cached from entry 5 takes it over */
    map(1, 0x00624000u, lo(0x9000, BH_LO_V), lo(0xa000, BH_LO_V));
    ck_assert(!soft_reads(0x00624000u));
    /* a write into an entry nothing cached came from flushes nothing */
    flushes = m.mmu.flushes;
    map(9, 0x00a00000u, 0, 0);
    ck_assert_uint_eq(m.mmu.flushes, flushes);
}
END_TEST

START_TEST(address_map)
{
    uint32_t v;
    /* kseg0 and kseg1: physical 0..0x1fffffff, no TLB */
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x80002000u, 4, 0xabcdu), 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xa0002000u, 4, &v), 0);
    ck_assert_uint_eq(v, 0xabcdu);
    /* kseg2 is mapped */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xc0000000u, 4, &v), BH_EXC_TLBL);
    /* nothing past RAM: the device window is empty here, a bus error */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xbfff0000u, 4, &v), BH_EXC_DBE);
    /* ERL: kuseg unmapped, physical = virtual */
    bh_mem_set_mode(&m, 0, 1, 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00002000u, 4, &v), 0);
    ck_assert_uint_eq(v, 0xabcdu);
    /* leaving ERL flushes the unmapped kuseg entry */
    bh_mem_set_mode(&m, 0, 0, 0);
    ck_assert(!soft_reads(0x00002000u));
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00002000u, 4, &v), BH_EXC_TLBL);
    /* user mode: kernel segments are address errors, and entering it
     * leaves no kernel translation in the soft TLB */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x80002000u, 4, &v), 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xa0003000u, 4, &v), 0);
    ck_assert(soft_reads(0x80002000u));
    ck_assert(soft_reads(0xa0003000u));
    bh_mem_set_mode(&m, 1, 0, 0);
    ck_assert(!soft_reads(0x80002000u));
    ck_assert(!soft_reads(0xa0003000u));
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x80002000u, 4, &v), BH_EXC_ADEL);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0xc0000000u, 4, 0), BH_EXC_ADES);
    ck_assert_int_eq(bh_mem_load32(&m, 0xa0002000u, &v), BH_EXC_ADEL);
}
END_TEST

/* Entering user mode drops exactly the kernel-segment entries filled since
 * the last entry (mem keeps a list of their slots instead of a pass): a
 * slot refilled with a kuseg page and then a kseg page again, across an
 * ASID change and across several returns to user mode. */
START_TEST(user_entry_drops_kernel_slots)
{
    uint32_t v;
    map(0, 0x00402000u, lo(0x5000, BH_LO_V | BH_LO_G), lo(0x6000, BH_LO_V | BH_LO_G));
    for (unsigned round = 0; round < 3; round++) {
        bh_mem_set_mode(&m, 0, 0, round);
        ck_assert_int_eq(bh_mem_load_slow(&m, 0x80002000u, 4, &v), 0); /* slot 2 */
        ck_assert_int_eq(bh_mem_load_slow(&m, 0x00402000u, 4, &v), 0); /* slot 2 again */
        ck_assert_int_eq(bh_mem_load_slow(&m, 0xa0002000u, 4, &v), 0); /* and again */
        ck_assert_int_eq(bh_mem_load_slow(&m, 0x80010000u + round * BH_PAGE_SIZE, 4, &v), 0);
        ck_assert(soft_reads(0xa0002000u));
        bh_mem_set_mode(&m, 0, 0, round + 10); /* a new ASID: kernel entries stay */
        ck_assert(soft_reads(0xa0002000u));
        ck_assert(soft_reads(0x80010000u + round * BH_PAGE_SIZE));
        uint64_t flushed = m.mmu.flushed;
        bh_mem_set_mode(&m, 1, 0, round + 10);
        ck_assert(!soft_reads(0xa0002000u));
        ck_assert(!soft_reads(0x80010000u + round * BH_PAGE_SIZE));
        ck_assert_uint_eq(m.mmu.flushed, flushed + 2);
        for (unsigned i = 0; i < BH_TLB_SIZE; i++)
            ck_assert(m.tlb[i].rtag == BH_TLB_INVALID || m.tlb[i].rtag < 0x80000000u);
        /* user mode: the global kuseg page still hits */
        ck_assert_int_eq(bh_mem_load_slow(&m, 0x00402000u, 4, &v), 0);
        ck_assert(soft_reads(0x00402000u));
    }
    /* back in user mode with no kernel entry filled: nothing to flush */
    bh_mem_set_mode(&m, 0, 0, 12);
    uint64_t flushes = m.mmu.flushes;
    bh_mem_set_mode(&m, 1, 0, 12);
    ck_assert_uint_eq(m.mmu.flushes, flushes);
}
END_TEST

START_TEST(register_rules)
{
    struct bh_gtlb t = {0};
    ck_assert_uint_eq(bh_gtlb_c0_write(BH_C0_INDEX, BH_INDEX_P, 0xffffffe3u), BH_INDEX_P | 3u);
    ck_assert_uint_eq(bh_gtlb_c0_write(BH_C0_RANDOM, 17, 3), 17);
    ck_assert_uint_eq(bh_gtlb_c0_write(BH_C0_ENTRYLO0, 0, 0xffffffffu), BH_LO_MASK);
    ck_assert_uint_eq(bh_gtlb_c0_write(BH_C0_PAGEMASK, 0, 0x1ffe000u), 0);
    ck_assert_uint_eq(bh_gtlb_c0_write(BH_C0_CONTEXT, 0x00123450u, 0xffffffffu),
                      0xff800000u | 0x00123450u);
    ck_assert_uint_eq(bh_gtlb_c0_write(BH_C0_ENTRYHI, 0, 0xffffffffu), 0xffffe0ffu);
    /* Random: 31 down to Wired, one per instruction, wrapping */
    t.random_base = 100;
    ck_assert_uint_eq(bh_gtlb_random(&t, 0, 100), 31);
    ck_assert_uint_eq(bh_gtlb_random(&t, 0, 101), 30);
    ck_assert_uint_eq(bh_gtlb_random(&t, 0, 131), 0);
    ck_assert_uint_eq(bh_gtlb_random(&t, 0, 132), 31);
    for (uint64_t n = 100; n < 200; n++) {
        uint32_t r = bh_gtlb_random(&t, 8, n);
        ck_assert_uint_ge(r, 8);
        ck_assert_uint_le(r, 31);
    }
    ck_assert_uint_eq(bh_gtlb_random(&t, 8, 123), 8);
    ck_assert_uint_eq(bh_gtlb_random(&t, 8, 124), 31);
}
END_TEST

/* ---- through the core ------------------------------------------------- */

#define T0 8
#define T1 9
#define T2 10
#define T3 11
#define K0 26
#define K1 27
#define I(op, rt, rs, imm) E(op, rs, rt, 0, 0, (uint32_t)(imm) & 0xffffu)
#define MTC0(rt, r) E(ISA_MTC0, 0, rt, r, 0, 0)
#define MFC0(rt, r) E(ISA_MFC0, 0, rt, r, 0, 0)
#define OP(op) E(op, 0, 0, 0, 0, 0)
#define BREAK E(ISA_BREAK, 0, 0, 0, 0, 0)

static struct bh_core *core;
static uint8_t *kbuf;
static uint32_t kwords[0x400 / 4];

static void core_teardown(void)
{
    bh_core_free(core);
    core = NULL;
    free(kbuf);
    kbuf = NULL;
}

/* ktext at 0x80000000: refill handler r at 0x000, general handler at
 * 0x180 (k0 = Cause, k1 = EPC, then a hypercall: the exit that ends the
 * test), main code at 0x200 where the core starts in kernel mode. */
static struct bh_exit run_kernel(const uint32_t *r, size_t nr, const uint32_t *main_code, size_t n)
{
    memset(kwords, 0, sizeof kwords);
    if (nr) /* r may be NULL */
        memcpy(kwords, r, nr * 4);
    const uint32_t general[] = {MFC0(K0, BH_C0_CAUSE), MFC0(K1, BH_C0_EPC),
                               E(ISA_DUMP_PROCESSOR_STATE, 0, 0, 0, 0, 0)};
    memcpy(kwords + 0x180 / 4, general, sizeof general);
    memcpy(kwords + 0x200 / 4, main_code, n * 4);
    struct bh_segment text = {0}, ktext = {0};
    put_words(&ktext, &kbuf, 0x80000000u, kwords, 0x400 / 4);
    ck_assert_int_eq(bh_core_new(1u << 20, &text, &ktext, BH_CORE_PRIV, &core, err, sizeof err), 0);
    bh_core_set_pc(core, 0x80000200u);
    struct bh_exit ex;
    bh_core_run(core, 10000, &ex);
    return ex;
}

#define REG(r) ((uint32_t)bh_core_reg(core, r))

START_TEST(core_tlbwi_tlbr_tlbp)
{
    const uint32_t code[] = {
        /* entry 5: 0x00400000 (ASID 3) -> physical 0x3000 / 0x4000, V D */
        I(ISA_ORI, T0, 0, 5), MTC0(T0, BH_C0_INDEX),
        I(ISA_LUI, T0, 0, 0x0040), I(ISA_ORI, T0, T0, 3), MTC0(T0, BH_C0_ENTRYHI),
        I(ISA_ORI, T0, 0, (3 << 6) | 6), MTC0(T0, BH_C0_ENTRYLO0),
        I(ISA_ORI, T0, 0, (4 << 6) | 6), MTC0(T0, BH_C0_ENTRYLO1),
        OP(ISA_TLBWI),
        /* store and load through it */
        I(ISA_LUI, T1, 0, 0x0040), I(ISA_ORI, T2, 0, 77), I(ISA_SW, T2, T1, 0x1004),
        I(ISA_LW, T3, T1, 0x1004),
        /* clear the registers, read entry 5 back */
        MTC0(0, BH_C0_ENTRYHI), MTC0(0, BH_C0_ENTRYLO0), MTC0(0, BH_C0_ENTRYLO1),
        OP(ISA_TLBR), MFC0(16, BH_C0_ENTRYHI), MFC0(17, BH_C0_ENTRYLO1),
        /* probe a hit, then a miss (another ASID) */
        MTC0(0, BH_C0_INDEX), OP(ISA_TLBP), MFC0(18, BH_C0_INDEX),
        I(ISA_ORI, T0, T1, 4), MTC0(T0, BH_C0_ENTRYHI), OP(ISA_TLBP), MFC0(19, BH_C0_INDEX),
        BREAK,
    };
    struct bh_exit ex = run_kernel(NULL, 0, code, sizeof code / 4);
    ck_assert_int_eq(ex.kind, BH_EXIT_HYPERCALL); /* in the general handler, */
    ck_assert_uint_eq((REG(K0) & BH_CAUSE_EXC_MASK) >> 2, BH_EXC_BP); /* after the break */
    ck_assert_uint_eq(REG(T3), 77);
    uint8_t b[4];
    ck_assert_int_eq(bh_mem_read(bh_core_mem(core), 0x4004, b, 4), 0);
    ck_assert_uint_eq(bh_get32(b), 77);
    ck_assert_uint_eq(REG(16), 0x00400003u);
    ck_assert_uint_eq(REG(17), (4u << 6) | 6);
    ck_assert_uint_eq(REG(18), 5);
    ck_assert_uint_eq(REG(19), BH_INDEX_P);
    ck_assert_uint_eq(bh_core_mem(core)->mmu.tlb_writes, 1);
}
END_TEST

START_TEST(core_refill_vector)
{
    /* The refill handler maps the missing page pair (EntryHi already holds
     * its VPN2) to physical 0x6000 / 0x7000 with tlbwr, counts in s4, and
     * returns to retry the load. */
    const uint32_t refill[] = {
        I(ISA_ADDIU, 20, 20, 1),
        I(ISA_ORI, K0, 0, (6 << 6) | 6), MTC0(K0, BH_C0_ENTRYLO0),
        I(ISA_ORI, K0, 0, (7 << 6) | 6), MTC0(K0, BH_C0_ENTRYLO1),
        MFC0(21, BH_C0_BADVADDR), MFC0(22, BH_C0_CONTEXT), MFC0(23, BH_C0_ENTRYHI),
        OP(ISA_TLBWR), OP(ISA_ERET),
    };
    const uint32_t code[] = {
        I(ISA_ORI, T0, 0, 4), MTC0(T0, BH_C0_WIRED),
        I(ISA_LUI, T0, 0, 0xff80), MTC0(T0, BH_C0_CONTEXT),
        I(ISA_ORI, T0, 0, 9), MTC0(T0, BH_C0_ENTRYHI), /* ASID 9 */
        I(ISA_LUI, T1, 0, 0x0050), I(ISA_LW, T3, T1, 0x1ff0), I(ISA_SW, T1, T1, 0x1ff0),
        I(ISA_LW, T3, T1, 0x1ff0),
        BREAK,
    };
    struct bh_exit ex = run_kernel(refill, sizeof refill / 4, code, sizeof code / 4);
    ck_assert_int_eq(ex.kind, BH_EXIT_HYPERCALL); /* in the general handler, */
    ck_assert_uint_eq((REG(K0) & BH_CAUSE_EXC_MASK) >> 2, BH_EXC_BP); /* after the break */
    ck_assert_uint_eq(REG(20), 1); /* one refill, the store hits the new entry */
    ck_assert_uint_eq(REG(21), 0x00501ff0u);
    ck_assert_uint_eq(REG(22), 0xff800000u | (0x00501ff0u >> 13) << 4);
    ck_assert_uint_eq(REG(23), 0x00500000u | 9); /* VPN2, ASID kept */
    ck_assert_uint_eq(REG(T3), 0x00500000u);
    uint8_t b[4];
    ck_assert_int_eq(bh_mem_read(bh_core_mem(core), 0x7ff0, b, 4), 0);
    ck_assert_uint_eq(bh_get32(b), 0x00500000u);
    /* tlbwr wrote an entry at or above Wired */
    int i = bh_gtlb_probe(&bh_core_mem(core)->gtlb, 0x00500000u, 9);
    ck_assert_int_ge(i, 4);
    ck_assert_uint_eq(bh_core_mem(core)->mmu.refills, 1);
}
END_TEST

START_TEST(core_modified_and_random)
{
    /* A clean (D = 0) entry: the store is Mod at the general vector. */
    const uint32_t code[] = {
        MFC0(16, BH_C0_RANDOM), I(ISA_ORI, T0, 0, 30), MTC0(T0, BH_C0_WIRED),
        MFC0(17, BH_C0_RANDOM), MFC0(18, BH_C0_RANDOM), /* 31 then 30 */
        MTC0(0, BH_C0_INDEX), I(ISA_LUI, T0, 0, 0x0040), MTC0(T0, BH_C0_ENTRYHI),
        I(ISA_ORI, T0, 0, (3 << 6) | 2), MTC0(T0, BH_C0_ENTRYLO0), OP(ISA_TLBWI),
        I(ISA_LUI, T1, 0, 0x0040), I(ISA_LW, T3, T1, 8), I(ISA_SW, T3, T1, 8),
        BREAK,
    };
    run_kernel(NULL, 0, code, sizeof code / 4);
    ck_assert_uint_le(REG(16), 31);
    ck_assert_uint_eq(REG(17), 31);
    ck_assert_uint_eq(REG(18), 30);
    ck_assert_uint_eq(REG(K0) & BH_CAUSE_EXC_MASK, BH_CAUSE_EXC(BH_EXC_MOD));
    ck_assert_uint_eq(REG(K1), 0x80000200u + 4 * 13);
    ck_assert_uint_eq(bh_core_c0(core, BH_C0_BADVADDR), 0x00400008u);
}
END_TEST

START_TEST(core_refill_loop_ends_its_slice)
{
    /* A refill handler that maps nothing: user fetch, miss, refill, eret,
     * miss... without a taken branch.  The budget still ends the run. */
    const uint32_t refill[] = {OP(ISA_ERET)};
    const uint32_t code[] = {
        I(ISA_LUI, T0, 0, 0x0040), MTC0(T0, BH_C0_EPC),
        I(ISA_ORI, T0, 0, 0x12), MTC0(T0, BH_C0_STATUS), /* UM | EXL */
        OP(ISA_ERET),
    };
    struct bh_exit ex = run_kernel(refill, 1, code, sizeof code / 4);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_ge(bh_core_icount(core), 10000);
    ck_assert_uint_lt(bh_core_icount(core), 10010);
    ck_assert_uint_gt(bh_core_mem(core)->mmu.refills, 4000);
    ck_assert_uint_eq(bh_core_c0(core, BH_C0_BADVADDR), 0x00400000u);
}
END_TEST

START_TEST(core_mtc0_keeps_the_shadow)
{
    /* A kernel's mtc0 of EPC (every syscall) or Compare must not cost it
     * its soft TLB: only mode and ASID changes flush, and only what they
     * make stale. */
    const uint32_t code[] = {
        I(ISA_LUI, T0, 0, 0x8000), I(ISA_LW, T1, T0, 0x2000),
        MTC0(T1, BH_C0_EPC), MTC0(T1, BH_C0_COMPARE), MTC0(0, BH_C0_STATUS),
        BREAK,
    };
    run_kernel(NULL, 0, code, sizeof code / 4);
    const struct bh_mem *mm = bh_core_mem(core);
    ck_assert_uint_eq(mm->tlb[BH_TLB_INDEX(0x80002000u)].rtag, 0x80002000u);
    ck_assert_uint_eq(mm->mmu.flushes, 0);
}
END_TEST

START_TEST(core_fault_loop_ends_its_slice)
{
    /* A handler that clears EXL and faults again: exception after
     * exception with no taken branch.  The budget still ends the run, in
     * either machine. */
    for (unsigned flags = 0; flags <= BH_CORE_PRIV; flags += BH_CORE_PRIV) {
        memset(kwords, 0, sizeof kwords);
        kwords[0x180 / 4] = MTC0(0, BH_C0_STATUS);
        kwords[0x184 / 4] = BREAK;
        struct bh_segment text = {0}, ktext = {0};
        put_words(&ktext, &kbuf, 0x80000000u, kwords, 0x200 / 4);
        ck_assert_int_eq(bh_core_new(1u << 20, &text, &ktext, flags, &core, err, sizeof err), 0);
        bh_core_set_pc(core, 0x80000184u);
        struct bh_exit ex;
        bh_core_run(core, 1000, &ex);
        ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
        ck_assert_uint_ge(bh_core_icount(core), 1000);
        ck_assert_uint_lt(bh_core_icount(core), 1003);
        core_teardown();
    }
}
END_TEST

START_TEST(tlb_ops_reserved_in_spim_machine)
{
    const uint32_t w[] = {OP(ISA_TLBWI)};
    struct bh_segment text = {0}, ktext = {0};
    put_words(&text, &kbuf, 0x00400000u, w, 1);
    ck_assert_int_eq(bh_core_new(1u << 20, &text, &ktext, 0, &core, err, sizeof err), 0);
    bh_core_set_pc(core, 0x00400000u);
    struct bh_exit ex;
    bh_core_run(core, 100, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_RI);
}
END_TEST

Suite *gtlb_suite(void)
{
    Suite *s = suite_create("gtlb");
    TCase *t = tcase_create("mem");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, refill_then_hit);
    tcase_add_test(t, invalid_and_modified);
    tcase_add_test(t, asid_and_global);
    tcase_add_test(t, probe_and_multiple_matches);
    tcase_add_test(t, shadow_flushes_exactly);
    tcase_add_test(t, address_map);
    tcase_add_test(t, user_entry_drops_kernel_slots);
    tcase_add_test(t, register_rules);
    suite_add_tcase(s, t);
    TCase *c = tcase_create("core");
    tcase_add_checked_fixture(c, NULL, core_teardown);
    tcase_add_test(c, core_tlbwi_tlbr_tlbp);
    tcase_add_test(c, core_refill_vector);
    tcase_add_test(c, core_modified_and_random);
    tcase_add_test(c, core_refill_loop_ends_its_slice);
    tcase_add_test(c, core_mtc0_keeps_the_shadow);
    tcase_add_test(c, core_fault_loop_ends_its_slice);
    tcase_add_test(c, tlb_ops_reserved_in_spim_machine);
    suite_add_tcase(s, c);
    return s;
}
