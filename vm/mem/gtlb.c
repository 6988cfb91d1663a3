/* gtlb.c: the guest TLB's lookups and register rules (gtlb.h). */
#include "mem/gtlb.h"

int bh_gtlb_covers(const struct bh_gtlb_entry *e, uint32_t va, unsigned asid)
{
    return ((e->hi ^ va) & BH_HI_VPN2) == 0 &&
           (bh_gtlb_global(e) || (e->hi & BH_HI_ASID) == (asid & BH_HI_ASID));
}

int bh_gtlb_probe(const struct bh_gtlb *t, uint32_t va, unsigned asid)
{
    for (unsigned i = 0; i < BH_GTLB_ENTRIES; i++)
        if (bh_gtlb_covers(&t->e[i], va, asid))
            return (int)i;
    return -1;
}

int bh_gtlb_translate(const struct bh_gtlb *t, uint32_t va, unsigned asid, int store,
                      uint32_t *pa, int *index)
{
    int i = bh_gtlb_probe(t, va, asid);
    if (i < 0)
        return BH_GTLB_MISS;
    uint32_t lo = t->e[i].lo[va >> 12 & 1u];
    *index = i;
    if (!(lo & BH_LO_V))
        return BH_GTLB_INVALID;
    if (store && !(lo & BH_LO_D))
        return BH_GTLB_MODIFIED;
    *pa = (lo & BH_LO_PFN) << (12 - BH_LO_PFN_SHIFT) | (va & 0xfffu);
    return BH_GTLB_OK;
}

uint32_t bh_gtlb_c0_write(unsigned r, uint32_t old, uint32_t v)
{
    switch (r) {
    case BH_C0_INDEX: /* P is set by tlbp only */
        return (old & BH_INDEX_P) | (v & BH_INDEX_MASK);
    case BH_C0_RANDOM: /* read-only */
        return old;
    case BH_C0_ENTRYLO0:
    case BH_C0_ENTRYLO1:
        return v & BH_LO_MASK;
    case BH_C0_CONTEXT:
        return (v & BH_CONTEXT_PTEBASE) | (old & BH_CONTEXT_BADVPN2);
    case BH_C0_PAGEMASK: /* 4 KiB pages only */
        return 0;
    case BH_C0_WIRED:
        return v & BH_INDEX_MASK;
    case BH_C0_ENTRYHI:
        return v & (BH_HI_VPN2 | BH_HI_ASID);
    default:
        return v;
    }
}

uint32_t bh_gtlb_random(const struct bh_gtlb *t, uint32_t wired, uint64_t icount)
{
    uint32_t span = BH_GTLB_ENTRIES - (wired & BH_INDEX_MASK);
    return BH_GTLB_ENTRIES - 1u - (uint32_t)((icount - t->random_base) % span);
}
