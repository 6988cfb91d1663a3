/* mem.c: guest memory: the lazily built two-level page table, the soft TLB
 * refill (the slow path of every load and store), MMIO dispatch, dirty
 * tracking and page iteration for snapshots and migration.  See mem.h. */
#include "mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bh_util.h"

#define L1_INDEX(a) ((uint32_t)(a) >> 22)
#define L2_INDEX(a) (((uint32_t)(a) >> 12) & 0x3ffu)
#define MMIO_BASE   0xffff0000u /* BH_MMIO_BASE (image.h): the SPIM-style device window */
/* The privileged machine's fixed segments (MIPS32). */
#define KSEG0 0x80000000u
#define KSEG2 0xc0000000u
#define KSEG_PHYS 0x1fffffffu

static int in_mapping(const struct bh_mem *m, const uint8_t *p);
static void unmap_all(struct bh_mem *m);

int bh_mem_init(struct bh_mem *m, uint64_t limit_bytes, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (limit_bytes < BH_PAGE_SIZE)
        return bh_errf(err, errlen, "memory limit of %llu bytes is below one page",
                       (unsigned long long)limit_bytes);
    m->limit_pages = limit_bytes / BH_PAGE_SIZE;
    m->io_base = MMIO_BASE;
    bh_mem_tlb_flush(m);
    return 0;
}

void bh_mem_set_priv(struct bh_mem *m)
{
    m->priv = 1;
    m->io_base = BH_BARE_IO_BASE;
    m->user = m->erl = 0;
    m->asid = 0;
    bh_mem_tlb_flush(m);
}

void bh_mem_free(struct bh_mem *m)
{
    if (m->l1) {
        for (unsigned i = 0; i < 1024; i++) {
            struct bh_l2 *l2 = m->l1[i];
            if (!l2)
                continue;
            for (unsigned j = 0; j < 1024; j++)
                if (!in_mapping(m, l2->page[j]))
                    free(l2->page[j]);
            free(l2);
        }
        free(m->l1);
    }
    unmap_all(m);
    memset(m, 0, sizeof *m);
}

void bh_mem_tlb_flush(struct bh_mem *m)
{
    for (unsigned i = 0; i < BH_TLB_SIZE; i++) {
        m->tlb[i].rtag = BH_TLB_INVALID;
        m->tlb[i].wtag = BH_TLB_INVALID;
        m->tlb[i].addend = 0;
        m->tlb_src[i] = BH_SRC_NONE;
        m->kseg_listed[i] = 0;
    }
    m->nkseg = 0;
}

/* A physical page changed under the soft TLB.  Its entries are keyed by
 * virtual address in the privileged machine, so there all of them go (a
 * restore or a load: never on a hot path). */
static void tlb_flush_page(struct bh_mem *m, uint32_t addr)
{
    if (m->priv) {
        bh_mem_tlb_flush(m);
        return;
    }
    struct bh_tlb_entry *e = &m->tlb[BH_TLB_INDEX(addr)];
    if ((e->rtag & BH_PAGE_MASK) == (addr & BH_PAGE_MASK) || e->wtag == (addr & BH_PAGE_MASK)) {
        e->rtag = BH_TLB_INVALID;
        e->wtag = BH_TLB_INVALID;
    }
}

/* The slot of addr's page, or NULL when its tables do not exist (create = 0). */
static struct bh_l2 *l2_of(struct bh_mem *m, uint32_t addr, int create)
{
    if (!m->l1) {
        if (!create)
            return NULL;
        m->l1 = calloc(1024, sizeof *m->l1);
        if (!m->l1)
            return NULL;
    }
    struct bh_l2 *l2 = m->l1[L1_INDEX(addr)];
    if (!l2 && create) {
        l2 = calloc(1, sizeof *l2);
        m->l1[L1_INDEX(addr)] = l2;
    }
    return l2;
}

static uint8_t *page_of(const struct bh_mem *m, uint32_t addr, unsigned *flags)
{
    if (!m->l1 || !m->l1[L1_INDEX(addr)]) {
        *flags = 0;
        return NULL;
    }
    const struct bh_l2 *l2 = m->l1[L1_INDEX(addr)];
    *flags = l2->flags[L2_INDEX(addr)];
    return l2->page[L2_INDEX(addr)];
}

unsigned bh_mem_page_flags(const struct bh_mem *m, uint32_t addr)
{
    unsigned f;
    page_of(m, addr, &f);
    return f;
}

/* May a never-touched page at addr be created on demand?  The privileged
 * machine's physical RAM is everything below its device window. */
static int demand_ok(const struct bh_mem *m, uint32_t addr)
{
    if (m->priv)
        return addr < BH_BARE_IO_BASE;
    return (addr >= 0x10000000u && addr < 0x80000000u) || (addr >= 0x90000000u && addr < MMIO_BASE);
}

/* Allocate the page holding addr (zeroed) with flags; 0 or a BH_EXC code
 * (DBE at the limit, with fault_flags; ADEL when the host is out of memory
 * is not distinguishable for the guest, so it is a DBE too). */
static int page_alloc(struct bh_mem *m, uint32_t addr, unsigned flags, uint8_t **out)
{
    if (m->pages >= m->limit_pages) {
        m->fault_flags = BH_EXITF_MEMLIMIT;
        return BH_EXC_DBE;
    }
    struct bh_l2 *l2 = l2_of(m, addr, 1);
    uint8_t *p = l2 ? calloc(1, BH_PAGE_SIZE) : NULL;
    if (!p) {
        m->fault_flags = BH_EXITF_MEMLIMIT;
        return BH_EXC_DBE;
    }
    l2->page[L2_INDEX(addr)] = p;
    l2->flags[L2_INDEX(addr)] = (uint8_t)(flags | BH_PAGE_PRESENT);
    m->pages++;
    *out = p;
    return 0;
}

static struct bh_io_region *io_find(struct bh_mem *m, uint32_t addr)
{
    for (unsigned i = 0; i < m->nio; i++)
        if (addr - m->io[i].base < m->io[i].dev->size)
            return &m->io[i];
    return NULL;
}

int bh_mem_map_io(struct bh_mem *m, uint32_t base, const struct bh_dev_region *dev, void *opaque,
                  char *err, size_t errlen)
{
    uint32_t size = dev->size;
    if (base - m->io_base >= BH_IO_WINDOW || size == 0 || size > BH_IO_WINDOW - (base - m->io_base))
        return bh_errf(err, errlen, "device region 0x%08x+%u is outside 0x%08x..0x%08x", base, size,
                       m->io_base, m->io_base + (BH_IO_WINDOW - 1));
    if (m->nio >= BH_MEM_MAX_IO)
        return bh_errf(err, errlen, "too many device regions (at most %d)", BH_MEM_MAX_IO);
    for (unsigned i = 0; i < m->nio; i++)
        if (base < m->io[i].base + m->io[i].dev->size && m->io[i].base < base + size)
            return bh_errf(err, errlen, "device %s at 0x%08x overlaps %s at 0x%08x", dev->name,
                           base, m->io[i].dev->name, m->io[i].base);
    m->io[m->nio++] = (struct bh_io_region){base, dev, opaque, 0, 0};
    return 0;
}

/* A device access from the slow paths: the device's callback, its count,
 * the observer.  0, or -1 for a bus error. */
static int io_access(struct bh_mem *m, struct bh_io_region *r, uint32_t addr, unsigned size,
                     uint32_t *val, int write)
{
    uint32_t off = addr - r->base;
    int rc;
    if (write) {
        r->writes++;
        rc = r->dev->write ? r->dev->write(r->opaque, off, size, *val) : -1;
    } else {
        r->reads++;
        rc = r->dev->read ? r->dev->read(r->opaque, off, size, val) : -1;
    }
    if (m->io_observer)
        m->io_observer(m->io_observer_ctx,
                       &(struct bh_io_access){r, off, size, rc ? 0 : *val, write, rc == 0});
    return rc;
}

static uint32_t get_le(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return p[0];
    case 2: return bh_get16(p);
    default: return bh_get32(p);
    }
}

static void put_le(uint8_t *p, unsigned size, uint32_t v)
{
    switch (size) {
    case 1: p[0] = (uint8_t)v; break;
    case 2: bh_put16(p, (uint16_t)v); break;
    default: bh_put32(p, v); break;
    }
}

/* ---- a debugger's watchpoints ---- */

/* Does [a, a + n) meet watchpoint w? */
static int dwatch_meets(const struct bh_mem_dwatch *w, uint32_t a, uint32_t n)
{
    return (uint64_t)a < (uint64_t)w->addr + w->len && (uint64_t)w->addr < (uint64_t)a + n;
}

static int dwatch_page(const struct bh_mem *m, uint32_t vp)
{
    for (unsigned i = 0; i < m->ndwatch; i++)
        if (dwatch_meets(&m->dwatch[i], vp, BH_PAGE_SIZE))
            return 1;
    return 0;
}

/* Would an access of size bytes at va (a store when write) hit one? */
static int dwatch_hit(struct bh_mem *m, uint32_t va, unsigned size, int write)
{
    unsigned want = write ? BH_WATCH_WRITE : BH_WATCH_READ;
    for (unsigned i = 0; i < m->ndwatch; i++) {
        const struct bh_mem_dwatch *w = &m->dwatch[i];
        if ((w->kind & want) && dwatch_meets(w, va, size)) {
            m->dwatch_addr = va;
            m->dwatch_kind = want;
            return 1;
        }
    }
    return 0;
}

int bh_mem_dwatch(struct bh_mem *m, uint32_t addr, uint32_t len, unsigned kind, int on)
{
    if (!len || !kind || (kind & ~(BH_WATCH_READ | BH_WATCH_WRITE)))
        return -1;
    unsigned i = 0;
    while (i < m->ndwatch_set &&
           !(m->dwatch[i].addr == addr && m->dwatch[i].len == len && m->dwatch[i].kind == kind))
        i++;
    int enabled = m->ndwatch == m->ndwatch_set;
    if (on && i == m->ndwatch_set) {
        if (i == BH_MEM_MAX_DWATCH)
            return -1;
        m->dwatch[m->ndwatch_set++] = (struct bh_mem_dwatch){addr, len, kind};
    } else if (!on && i < m->ndwatch_set) {
        m->dwatch[i] = m->dwatch[--m->ndwatch_set];
    }
    m->ndwatch = enabled ? m->ndwatch_set : 0;
    bh_mem_tlb_flush(m);
    return 0;
}

void bh_mem_dwatch_enable(struct bh_mem *m, int on)
{
    m->ndwatch = on ? m->ndwatch_set : 0;
    bh_mem_tlb_flush(m);
}

/* The soft entry for virtual address va, on physical page of flags: a
 * write entry only for a dirty writable page, not watched, that the
 * guest's translation lets stores through (wr). */
static void tlb_fill(struct bh_mem *m, uint32_t va, uint8_t *page, unsigned flags, unsigned src,
                     int wr)
{
    struct bh_tlb_entry *e = &m->tlb[BH_TLB_INDEX(va)];
    uint32_t vp = va & BH_PAGE_MASK;
    if (m->ndwatch && dwatch_page(m, vp))
        return; /* every access to it comes to the slow path's check */
    e->rtag = vp;
    e->wtag = wr && (flags & (BH_PAGE_WRITABLE | BH_PAGE_DIRTY | BH_PAGE_WATCHED)) ==
                        (BH_PAGE_WRITABLE | BH_PAGE_DIRTY)
                  ? vp
                  : BH_TLB_INVALID;
    e->addend = (uintptr_t)page - (uintptr_t)vp;
    m->tlb_src[BH_TLB_INDEX(va)] = (uint8_t)src;
    if (m->priv && vp >= KSEG0 && !m->kseg_listed[BH_TLB_INDEX(va)]) {
        m->kseg_listed[BH_TLB_INDEX(va)] = 1;
        m->kseg_slot[m->nkseg++] = (uint8_t)BH_TLB_INDEX(va);
    }
}

int bh_mem_translate(struct bh_mem *m, uint32_t va, int access, uint32_t *pa, unsigned *src,
                     int *wr)
{
    int store = access == 1;
    if (src)
        *src = BH_SRC_NONE;
    if (wr)
        *wr = 1;
    if (!m->priv || (va >= KSEG0 && va < KSEG2 && !m->user) || (va < KSEG0 && m->erl)) {
        *pa = m->priv && va >= KSEG0 ? va & KSEG_PHYS : va;
        return 0;
    }
    if (va >= KSEG0 && m->user)
        return store ? BH_EXC_ADES : BH_EXC_ADEL;
    int i = 0;
    switch (bh_gtlb_translate(&m->gtlb, va, m->asid, store, pa, &i)) {
    case BH_GTLB_OK:
        if (src)
            *src = (unsigned)i;
        if (wr)
            *wr = (m->gtlb.e[i].lo[va >> 12 & 1u] & BH_LO_D) != 0;
        return 0;
    case BH_GTLB_MISS:
        m->fault_flags = BH_EXITF_REFILL;
        m->mmu.refills++;
        return store ? BH_EXC_TLBS : BH_EXC_TLBL;
    case BH_GTLB_INVALID:
        return store ? BH_EXC_TLBS : BH_EXC_TLBL;
    default:
        return BH_EXC_MOD;
    }
}

/* ---- the shadow: flushing what a guest TLB or mode change makes wrong ---- */

static void shadow_drop(struct bh_mem *m, unsigned slot)
{
    m->tlb[slot].rtag = m->tlb[slot].wtag = BH_TLB_INVALID;
    m->tlb_src[slot] = BH_SRC_NONE;
}

static void shadow_count(struct bh_mem *m, uint64_t n)
{
    if (n) {
        m->mmu.flushes++;
        m->mmu.flushed += n;
    }
}

/* A new ASID makes the non-global mapped entries stale; entering user
 * mode the kernel segments'; entering or leaving ERL kuseg's.  One pass
 * over the soft TLB for a new ASID or ERL; entering user mode alone (every
 * return from an exception) looks only at the slots kseg_slot lists. */
void bh_mem_set_mode(struct bh_mem *m, int user, int erl, unsigned asid)
{
    asid &= BH_HI_ASID;
    int new_asid = asid != m->asid, to_user = user && !m->user, new_erl = !erl != !m->erl;
    m->user = user;
    m->erl = erl;
    m->asid = asid;
    if (!new_asid && !to_user && !new_erl)
        return;
    uint64_t n = 0;
    if (new_asid || new_erl) {
        for (unsigned i = 0; i < BH_TLB_SIZE; i++) {
            uint32_t vp = m->tlb[i].rtag & BH_PAGE_MASK;
            unsigned src = m->tlb_src[i];
            if (m->tlb[i].rtag == BH_TLB_INVALID)
                continue;
            if ((new_asid && src != BH_SRC_NONE && !bh_gtlb_global(&m->gtlb.e[src])) ||
                (to_user && vp >= KSEG0) || (new_erl && vp < KSEG0)) {
                shadow_drop(m, i);
                n++;
            }
        }
    } else {
        /* Only entering user mode: the listed slots are the only ones
         * that can hold kernel-segment entries. */
        for (unsigned k = 0; k < m->nkseg; k++) {
            unsigned i = m->kseg_slot[k];
            if (m->tlb[i].rtag != BH_TLB_INVALID && (m->tlb[i].rtag & BH_PAGE_MASK) >= KSEG0) {
                shadow_drop(m, i);
                n++;
            }
        }
    }
    if (to_user) {
        for (unsigned k = 0; k < m->nkseg; k++)
            m->kseg_listed[m->kseg_slot[k]] = 0;
        m->nkseg = 0;
    }
    shadow_count(m, n);
}

/* Entry i's old and new page pairs are the only virtual pages whose soft
 * entries it can change (the soft TLB is direct-mapped: four slots): one
 * made from the old entry, or one made from a higher entry for a page
 * the new entry covers in the current address space (the lowest matching
 * index wins, so the new entry now does).  Entries of the unmapped
 * segments never depend on the guest TLB. */
void bh_mem_gtlb_write(struct bh_mem *m, unsigned i, const struct bh_gtlb_entry *e)
{
    i %= BH_GTLB_ENTRIES;
    uint32_t old = m->gtlb.e[i].hi & BH_HI_VPN2, new = e->hi & BH_HI_VPN2;
    const uint32_t pages[4] = {old, old | BH_PAGE_SIZE, new, new | BH_PAGE_SIZE};
    uint64_t n = 0;
    m->mmu.tlb_writes++;
    for (unsigned k = 0; k < 4; k++) {
        unsigned slot = BH_TLB_INDEX(pages[k]), src = m->tlb_src[slot];
        uint32_t vp = m->tlb[slot].rtag & BH_PAGE_MASK;
        if (m->tlb[slot].rtag == BH_TLB_INVALID || vp != pages[k] || src == BH_SRC_NONE)
            continue;
        if (src == i || (src > i && bh_gtlb_covers(e, vp, m->asid))) {
            shadow_drop(m, slot);
            n++;
        }
    }
    shadow_count(m, n);
    m->gtlb.e[i] = *e;
}

/* ---- the MMU section ---------------------------------------------------- */

int bh_mem_mmu_save(const struct bh_mem *m, struct bh_buf *b)
{
    bh_buf_put64(b, m->gtlb.random_base);
    for (unsigned i = 0; i < BH_GTLB_ENTRIES; i++) {
        bh_buf_put32(b, m->gtlb.e[i].hi);
        bh_buf_put32(b, m->gtlb.e[i].lo[0]);
        bh_buf_put32(b, m->gtlb.e[i].lo[1]);
    }
    bh_buf_put64(b, m->mmu.refills);
    bh_buf_put64(b, m->mmu.tlb_writes);
    bh_buf_put64(b, m->mmu.flushes);
    bh_buf_put64(b, m->mmu.flushed);
    return b->oom ? -1 : 0;
}

int bh_mem_mmu_load(struct bh_mem *m, struct bh_rd *rd, uint32_t version, char *err, size_t errlen)
{
    if (version != BH_MMU_STATE_VERSION)
        return bh_errf(err, errlen, "section MMU: version %u is not known to this myvmm (%u)",
                       version, BH_MMU_STATE_VERSION);
    struct bh_rd r = *rd;
    struct bh_gtlb t;
    struct bh_mmu_stats st;
    t.random_base = bh_rd64(&r);
    for (unsigned i = 0; i < BH_GTLB_ENTRIES; i++) {
        t.e[i].hi = bh_rd32(&r);
        t.e[i].lo[0] = bh_rd32(&r);
        t.e[i].lo[1] = bh_rd32(&r);
    }
    st.refills = bh_rd64(&r);
    st.tlb_writes = bh_rd64(&r);
    st.flushes = bh_rd64(&r);
    st.flushed = bh_rd64(&r);
    if (bh_rd_end(&r, "MMU", err, errlen))
        return -1;
    for (unsigned i = 0; i < BH_GTLB_ENTRIES; i++)
        if ((t.e[i].hi & ~(BH_HI_VPN2 | BH_HI_ASID)) || ((t.e[i].lo[0] | t.e[i].lo[1]) & ~BH_LO_MASK))
            return bh_errf(err, errlen, "section MMU: TLB entry %u sets bits no TLB entry has", i);
    m->gtlb = t;
    m->mmu = st;
    bh_mem_tlb_flush(m);
    *rd = r;
    return 0;
}

/* Physical address pa outside RAM: a device, or nothing there (an address
 * error as SPIM; a bus error in the privileged machine). */
static int beyond_ram(const struct bh_mem *m, int store)
{
    return m->priv ? BH_EXC_DBE : store ? BH_EXC_ADES : BH_EXC_ADEL;
}

int bh_mem_load_slow(struct bh_mem *m, uint32_t addr, unsigned size, uint32_t *val)
{
    m->fault_flags = 0;
    if (addr & (size - 1))
        return BH_EXC_ADEL;
    uint32_t va = addr;
    unsigned src;
    int wr;
    int x = bh_mem_translate(m, va, 0, &addr, &src, &wr);
    if (x)
        return x;
    if (m->ndwatch && dwatch_hit(m, va, size, 0))
        return BH_MEM_WATCH;
    if (addr - m->io_base < BH_IO_WINDOW) {
        struct bh_io_region *r = io_find(m, addr);
        if (!r)
            return beyond_ram(m, 0);
        if (io_access(m, r, addr, size, val, 0) != 0)
            return BH_EXC_DBE;
        return 0;
    }
    unsigned flags;
    uint8_t *p = page_of(m, addr, &flags);
    if (!p) {
        if (!demand_ok(m, addr))
            return beyond_ram(m, 0);
        int exc = page_alloc(m, addr, BH_PAGE_WRITABLE | BH_PAGE_DIRTY, &p);
        if (exc)
            return exc;
        flags = BH_PAGE_PRESENT | BH_PAGE_WRITABLE | BH_PAGE_DIRTY;
    }
    tlb_fill(m, va, p, flags, src, wr);
    *val = get_le(p + (addr & ~BH_PAGE_MASK), size);
    return 0;
}

int bh_mem_store_slow(struct bh_mem *m, uint32_t addr, unsigned size, uint32_t val)
{
    m->fault_flags = 0;
    m->code_stored = 0;
    if (addr & (size - 1))
        return BH_EXC_ADES;
    uint32_t va = addr;
    unsigned src;
    int wr;
    int x = bh_mem_translate(m, va, 1, &addr, &src, &wr);
    if (x)
        return x;
    if (m->ndwatch && dwatch_hit(m, va, size, 1))
        return BH_MEM_WATCH;
    if (addr - m->io_base < BH_IO_WINDOW) {
        struct bh_io_region *r = io_find(m, addr);
        if (!r)
            return beyond_ram(m, 1);
        if (io_access(m, r, addr, size, &val, 1) != 0)
            return BH_EXC_DBE;
        return m->stop ? BH_MEM_STOP : 0;
    }
    unsigned flags;
    uint8_t *p = page_of(m, addr, &flags);
    if (!p) {
        if (!demand_ok(m, addr))
            return beyond_ram(m, 1);
        int exc = page_alloc(m, addr, BH_PAGE_WRITABLE | BH_PAGE_DIRTY, &p);
        if (exc)
            return exc;
        flags = BH_PAGE_PRESENT | BH_PAGE_WRITABLE | BH_PAGE_DIRTY;
    } else if (flags & BH_PAGE_CODE) {
        /* no tlb_fill: the next store to this page comes here again */
        put_le(p + (addr & ~BH_PAGE_MASK), size, val);
        m->l1[L1_INDEX(addr)]->flags[L2_INDEX(addr)] =
            (uint8_t)((flags | BH_PAGE_PATCHED | BH_PAGE_DIRTY) & ~BH_PAGE_WATCHED);
        m->code_stored = 1;
        m->code_pa = addr;
        return 0;
    } else if (!(flags & BH_PAGE_WRITABLE)) {
        m->fault_flags = BH_EXITF_TEXT;
        return BH_EXC_ADES;
    } else if ((flags & (BH_PAGE_DIRTY | BH_PAGE_WATCHED)) != BH_PAGE_DIRTY) {
        /* First store since the last harvest or watch: record it, then
         * let the fast path take the following ones. */
        flags = (flags | BH_PAGE_DIRTY) & ~BH_PAGE_WATCHED;
        m->l1[L1_INDEX(addr)]->flags[L2_INDEX(addr)] = (uint8_t)flags;
    }
    tlb_fill(m, va, p, flags, src, wr);
    put_le(p + (addr & ~BH_PAGE_MASK), size, val);
    return 0;
}

int bh_mem_load_bytes(struct bh_mem *m, uint32_t addr, const void *src, uint32_t n, unsigned flags,
                      char *err, size_t errlen)
{
    const uint8_t *s = src;
    uint64_t a = addr;
    uint64_t end = (uint64_t)addr + n;
    if (end > m->io_base)
        return bh_errf(err, errlen, "segment at 0x%08x (%u bytes) reaches device memory", addr, n);
    while (a < end) {
        uint32_t pa = (uint32_t)a & BH_PAGE_MASK;
        unsigned had;
        uint8_t *p = page_of(m, pa, &had);
        if (!p) {
            if (page_alloc(m, pa, 0, &p) != 0)
                return bh_errf(err, errlen, "memory limit of %llu MiB exceeded while loading 0x%08x",
                               (unsigned long long)(m->limit_pages * BH_PAGE_SIZE >> 20), pa);
        }
        struct bh_l2 *l2 = m->l1[L1_INDEX(pa)];
        /* Loaded pages start dirty (migration must send them); the last
         * segment to touch a page decides whether it is writable, text
         * and data never share a page in SPIM's map. */
        l2->flags[L2_INDEX(pa)] = (uint8_t)(BH_PAGE_PRESENT | BH_PAGE_DIRTY |
                                            (flags & (BH_PAGE_WRITABLE | BH_PAGE_CODE)));
        uint32_t off = (uint32_t)a - pa;
        uint32_t chunk = BH_PAGE_SIZE - off;
        if (chunk > end - a)
            chunk = (uint32_t)(end - a);
        if (s) {
            memcpy(p + off, s, chunk);
            s += chunk;
        }
        a += chunk;
        tlb_flush_page(m, pa);
    }
    return 0;
}

int bh_mem_read(struct bh_mem *m, uint32_t addr, void *dst, uint32_t n)
{
    uint8_t *d = dst;
    uint64_t a = addr, end = (uint64_t)addr + n;
    if (end > m->io_base)
        return -1;
    while (a < end) {
        uint32_t off = (uint32_t)a & ~BH_PAGE_MASK;
        uint32_t chunk = BH_PAGE_SIZE - off;
        if (chunk > end - a)
            chunk = (uint32_t)(end - a);
        unsigned flags;
        const uint8_t *p = page_of(m, (uint32_t)a, &flags);
        if (p)
            memcpy(d, p + off, chunk);
        else if (demand_ok(m, (uint32_t)a))
            memset(d, 0, chunk); /* never touched: reads as zero, nothing allocated */
        else
            return -1;
        d += chunk;
        a += chunk;
    }
    return 0;
}

int bh_mem_write(struct bh_mem *m, uint32_t addr, const void *src, uint32_t n)
{
    const uint8_t *s = src;
    uint64_t a = addr, end = (uint64_t)addr + n;
    if (end > m->io_base)
        return -1;
    /* Check the whole range first so a refused write changes nothing. */
    uint64_t need = 0;
    for (uint64_t pa = a & BH_PAGE_MASK; pa < end; pa += BH_PAGE_SIZE) {
        unsigned flags;
        if (page_of(m, (uint32_t)pa, &flags)) {
            if (!(flags & BH_PAGE_WRITABLE))
                return -1;
        } else if (!demand_ok(m, (uint32_t)pa)) {
            return -1;
        } else {
            need++;
        }
    }
    if (m->pages + need > m->limit_pages)
        return -1;
    while (a < end) {
        uint32_t off = (uint32_t)a & ~BH_PAGE_MASK;
        uint32_t chunk = BH_PAGE_SIZE - off;
        if (chunk > end - a)
            chunk = (uint32_t)(end - a);
        unsigned flags;
        uint8_t *p = page_of(m, (uint32_t)a, &flags);
        if (!p && page_alloc(m, (uint32_t)a, BH_PAGE_WRITABLE | BH_PAGE_DIRTY, &p) != 0)
            return -1;
        uint8_t *f = &m->l1[L1_INDEX(a)]->flags[L2_INDEX(a)];
        *f = (uint8_t)((*f | BH_PAGE_DIRTY) & ~BH_PAGE_WATCHED);
        memcpy(p + off, s, chunk);
        s += chunk;
        a += chunk;
    }
    return 0;
}

void bh_mem_foreach_page(struct bh_mem *m, bh_page_fn fn, void *ctx)
{
    if (!m->l1)
        return;
    for (uint32_t i = 0; i < 1024; i++) {
        const struct bh_l2 *l2 = m->l1[i];
        if (!l2)
            continue;
        for (uint32_t j = 0; j < 1024; j++)
            if (l2->page[j])
                fn(ctx, i << 22 | j << 12, l2->page[j], l2->flags[j]);
    }
}

uint64_t bh_mem_dirty_harvest(struct bh_mem *m, bh_page_fn fn, void *ctx)
{
    uint64_t n = 0;
    if (!m->l1)
        return 0;
    for (uint32_t i = 0; i < 1024; i++) {
        struct bh_l2 *l2 = m->l1[i];
        if (!l2)
            continue;
        for (uint32_t j = 0; j < 1024; j++) {
            if (!l2->page[j] || !(l2->flags[j] & BH_PAGE_DIRTY))
                continue;
            l2->flags[j] &= (uint8_t)~BH_PAGE_DIRTY;
            if (fn)
                fn(ctx, i << 22 | j << 12, l2->page[j], l2->flags[j] | BH_PAGE_DIRTY);
            n++;
        }
    }
    /* Re-arm: the next store to any page goes through the slow path. */
    for (unsigned i = 0; i < BH_TLB_SIZE; i++)
        m->tlb[i].wtag = BH_TLB_INVALID;
    return n;
}

int bh_mem_watch(struct bh_mem *m, uint32_t addr, uint32_t len)
{
    int changed = 0;
    uint64_t end = (uint64_t)addr + len;
    for (uint64_t a = addr & BH_PAGE_MASK; a < end && m->l1; a += BH_PAGE_SIZE) {
        struct bh_l2 *l2 = m->l1[L1_INDEX(a)];
        if (!l2 || !l2->page[L2_INDEX(a)] || (l2->flags[L2_INDEX(a)] & BH_PAGE_WATCHED))
            continue;
        l2->flags[L2_INDEX(a)] |= BH_PAGE_WATCHED;
        changed = 1;
    }
    /* The changed pages' write entries must go; which virtual addresses
     * map them is the shadow's business, so all go, as in a harvest. */
    if (changed)
        for (unsigned i = 0; i < BH_TLB_SIZE; i++)
            m->tlb[i].wtag = BH_TLB_INVALID;
    return changed;
}

/* A restored page's flags: text comes back as text the program stored
 * into (it differs from the image, or it would not have been sent). */
static uint8_t restored_flags(unsigned flags)
{
    if (flags & BH_PAGE_CODE)
        flags |= BH_PAGE_PATCHED;
    return (uint8_t)((flags & (BH_PAGE_WRITABLE | BH_PAGE_DIRTY | BH_PAGE_CODE |
                               BH_PAGE_PATCHED)) |
                     BH_PAGE_PRESENT);
}

uint8_t *bh_mem_page_for_restore(struct bh_mem *m, uint32_t page_addr, unsigned flags, char *err,
                                 size_t errlen)
{
    if (page_addr & ~BH_PAGE_MASK) {
        bh_errf(err, errlen, "page address 0x%08x is not page-aligned", page_addr);
        return NULL;
    }
    if (page_addr >= m->io_base) {
        bh_errf(err, errlen, "page 0x%08x is in device memory", page_addr);
        return NULL;
    }
    unsigned old;
    uint8_t *p = page_of(m, page_addr, &old);
    if (!p && page_alloc(m, page_addr, 0, &p) != 0) {
        bh_errf(err, errlen, "memory limit of %llu MiB exceeded",
                (unsigned long long)(m->limit_pages * BH_PAGE_SIZE >> 20));
        return NULL;
    }
    m->l1[L1_INDEX(page_addr)]->flags[L2_INDEX(page_addr)] = restored_flags(flags);
    tlb_flush_page(m, page_addr);
    return p;
}

uint64_t bh_mem_pages_in_use(const struct bh_mem *m) { return m->pages; }

/* ------------------------------------------------- adopted mappings */

/* Is p inside an adopted mapping?  A VM has one per restore, so a scan. */
static int in_mapping(const struct bh_mem *m, const uint8_t *p)
{
    for (unsigned i = 0; i < m->nmaps; i++)
        if ((uintptr_t)p - (uintptr_t)m->maps[i].base < m->maps[i].len)
            return 1;
    return 0;
}

static void unmap_all(struct bh_mem *m)
{
    for (unsigned i = 0; i < m->nmaps; i++)
        munmap(m->maps[i].base, m->maps[i].len);
    free(m->maps);
    m->maps = NULL;
    m->nmaps = 0;
}

int bh_mem_adopt_mapping(struct bh_mem *m, void *base, size_t len, char *err, size_t errlen)
{
    struct bh_mem_mapping *v = realloc(m->maps, (m->nmaps + 1) * sizeof *v);
    if (!v) {
        munmap(base, len);
        return bh_errf(err, errlen, "out of memory for a mapping");
    }
    v[m->nmaps++] = (struct bh_mem_mapping){base, len};
    m->maps = v;
    return 0;
}

int bh_mem_page_map(struct bh_mem *m, uint32_t addr, uint8_t *host, unsigned flags, char *err,
                    size_t errlen)
{
    if ((addr & ~BH_PAGE_MASK) || addr >= m->io_base)
        return bh_errf(err, errlen, "page 0x%08x is not a page-aligned RAM address", addr);
    /* Both ends: a page straddling the end of a mapping would fault. */
    if (!in_mapping(m, host) || !in_mapping(m, host + BH_PAGE_SIZE - 1))
        return bh_errf(err, errlen, "page 0x%08x: host memory outside the adopted mappings", addr);
    unsigned old;
    uint8_t *prev = page_of(m, addr, &old);
    if (!prev && m->pages >= m->limit_pages)
        return bh_errf(err, errlen, "memory limit of %llu MiB exceeded",
                       (unsigned long long)(m->limit_pages * BH_PAGE_SIZE >> 20));
    struct bh_l2 *l2 = l2_of(m, addr, 1);
    if (!l2)
        return bh_errf(err, errlen, "out of memory for the page table");
    if (prev && !in_mapping(m, prev))
        free(prev);
    if (!prev)
        m->pages++;
    l2->page[L2_INDEX(addr)] = host;
    l2->flags[L2_INDEX(addr)] = restored_flags(flags);
    tlb_flush_page(m, addr);
    return 0;
}
