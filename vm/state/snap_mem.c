/* snap_mem.c: the MEM section: the sbrk break and every touched,
 * writable page and every text page the program stored into, in address
 * order (docs/snapshot-format.md), written from
 * the memory map (mem.h) and read back into it; zero pages are only
 * listed, page data may be zstd-compressed, and a restore from a file maps
 * the raw pages copy-on-write instead of copying them.  Live migration
 * sends MEM bodies that hold only the pages dirtied since the last round. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef BH_HAVE_ZSTD
#include <zstd.h>
#endif

#include "machine/machine.h"
#include "mem/mem.h"
#include "state/snap_priv.h"
#include "state/snapshot.h"

#define PAGE_KNOWN (BH_PAGE_WRITABLE | BH_PAGE_DIRTY | BH_PAGE_CODE | BH_SNAP_PAGE_ZERO)
#define ZSTD_LEVEL 1 /* fast: snapshots are taken while a VM waits */

struct page_ref {
    uint32_t addr, flags;
    const uint8_t *data;
};
struct page_list {
    struct page_ref *v;
    size_t n, cap;
    int oom;
};

int bh_snap_page_is_zero(const uint8_t *p)
{
    uint64_t acc = 0;
    for (size_t i = 0; i < BH_PAGE_SIZE; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    return acc == 0;
}

static void collect_page(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    struct page_list *l = ctx;
    /* Text the program never stored into is the image's, which the hash
     * pins: storing it would only make the file bigger. */
    if (!bh_page_carried(flags) || l->oom)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        struct page_ref *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->oom = 1;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    unsigned f = flags & (BH_PAGE_WRITABLE | BH_PAGE_DIRTY | BH_PAGE_CODE);
    if (bh_snap_page_is_zero(data))
        f |= BH_SNAP_PAGE_ZERO;
    l->v[l->n++] = (struct page_ref){addr, f, data};
}

/* The fixed part of a MEM body (MEM_HDR bytes). */
#define MEM_HDR 32
static void mem_put_header(struct bh_buf *b, uint32_t brk, uint32_t npages, uint32_t enc,
                           uint64_t datalen, uint32_t pad)
{
    bh_buf_put32(b, brk);
    bh_buf_put32(b, BH_PAGE_SIZE);
    bh_buf_put32(b, npages);
    bh_buf_put32(b, enc);
    bh_buf_put64(b, datalen);
    bh_buf_put32(b, pad);
    bh_buf_put32(b, 0); /* reserved */
}

int bh_snap_put_mem(struct bh_buf *b, struct bh_vm *vm, int compress, char *err, size_t errlen)
{
#ifndef BH_HAVE_ZSTD
    if (compress)
        return bh_errf(err, errlen,
                       "snapshot compression needs zstd, and this myvmm was built without "
                       "libzstd");
#endif
    struct page_list l = {0};
    bh_mem_foreach_page(bh_vm_mem(vm), collect_page, &l);
    if (l.oom) {
        free(l.v);
        return bh_errf(err, errlen, "snapshot: out of memory");
    }
    size_t ndata = 0;
    for (size_t i = 0; i < l.n; i++)
        ndata += !(l.v[i].flags & BH_SNAP_PAGE_ZERO);
    uint64_t raw = (uint64_t)ndata * BH_PAGE_SIZE;

    /* Raw page data starts at a multiple of 4096 in the buffer (the file),
     * so a loader can map it as guest pages instead of copying. */
    size_t data_at = b->len + MEM_HDR + (size_t)l.n * 8;
    uint32_t pad =
        compress ? 0 : (uint32_t)((BH_PAGE_SIZE - data_at % BH_PAGE_SIZE) % BH_PAGE_SIZE);
    size_t dlen_at = b->len + 16; /* patched with the compressed length */
    (void)dlen_at;
    mem_put_header(b, bh_vm_brk(vm), (uint32_t)l.n, compress ? BH_SNAP_ENC_ZSTD : BH_SNAP_ENC_RAW, raw, pad);
    for (size_t i = 0; i < l.n; i++) {
        bh_buf_put32(b, l.v[i].addr);
        bh_buf_put32(b, l.v[i].flags);
    }
    static const uint8_t zeros[BH_PAGE_SIZE];
    bh_buf_append(b, zeros, pad);
    int rc = 0;
    if (!compress) {
        for (size_t i = 0; i < l.n; i++)
            if (!(l.v[i].flags & BH_SNAP_PAGE_ZERO))
                bh_buf_append(b, l.v[i].data, BH_PAGE_SIZE);
    }
#ifdef BH_HAVE_ZSTD
    else {
        /* One frame, fed page by page straight from guest memory. */
        size_t bound = ZSTD_compressBound((size_t)raw);
        uint8_t *tmp = malloc(bound);
        ZSTD_CCtx *cc = ZSTD_createCCtx();
        if (!tmp || !cc) {
            rc = bh_errf(err, errlen, "snapshot: out of memory");
        } else {
            ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, ZSTD_LEVEL);
            ZSTD_CCtx_setPledgedSrcSize(cc, raw);
            ZSTD_outBuffer out = {tmp, bound, 0};
            for (size_t i = 0; i < l.n && rc == 0; i++) {
                if (l.v[i].flags & BH_SNAP_PAGE_ZERO)
                    continue;
                ZSTD_inBuffer in = {l.v[i].data, BH_PAGE_SIZE, 0};
                while (in.pos < in.size) {
                    size_t z = ZSTD_compressStream2(cc, &out, &in, ZSTD_e_continue);
                    if (ZSTD_isError(z)) {
                        rc = bh_errf(err, errlen, "snapshot: zstd: %s", ZSTD_getErrorName(z));
                        break;
                    }
                }
            }
            ZSTD_inBuffer none = {NULL, 0, 0};
            size_t left = 1;
            while (rc == 0 && left) {
                left = ZSTD_compressStream2(cc, &out, &none, ZSTD_e_end);
                if (ZSTD_isError(left))
                    rc = bh_errf(err, errlen, "snapshot: zstd: %s", ZSTD_getErrorName(left));
            }
            if (rc == 0) {
                bh_buf_append(b, tmp, out.pos);
                if (!b->oom)
                    bh_put64(b->data + dlen_at, out.pos);
            }
        }
        ZSTD_freeCCtx(cc);
        free(tmp);
    }
#endif
    free(l.v);
    if (rc == 0 && b->oom)
        rc = bh_errf(err, errlen, "snapshot: out of memory");
    return rc;
}

static int in_ram(uint32_t a, int machine)
{
    if (machine == BH_MACHINE_BARE)
        return a < BH_BARE_IO_BASE;
    return (a >= 0x10000000u && a < 0x80000000u) || (a >= 0x90000000u && a < BH_MMIO_BASE);
}

/* Text pages: the bare machine's are RAM too; SPIM's text and ktext
 * ranges. */
static int in_text(uint32_t a, int machine)
{
    if (machine == BH_MACHINE_BARE)
        return a < BH_BARE_IO_BASE;
    return a < 0x10000000u || (a >= 0x80000000u && a < 0x90000000u);
}

int bh_snap_mem_parse(const uint8_t *p, size_t n, uint32_t version, struct bh_snap_mem_view *m,
                      int decompress, uint64_t max_pages, int machine, char *err, size_t errlen)
{
    struct bh_rd r = {p, n, 0, 0};
    memset(m, 0, sizeof *m);
    m->brk = bh_rd32(&r);
    uint32_t psize = bh_rd32(&r);
    m->npages = bh_rd32(&r);
    m->enc = bh_rd32(&r);
    m->stored = bh_rd64(&r);
    uint32_t pad = bh_rd32(&r), reserved = bh_rd32(&r);
    if (r.bad)
        return bh_errf(err, errlen, "section MEM: truncated (%zu bytes)", n);
    if (psize != BH_PAGE_SIZE)
        return bh_errf(err, errlen, "section MEM: page size %u, this myvmm uses %u", psize,
                       BH_PAGE_SIZE);
    if (m->enc != BH_SNAP_ENC_RAW && m->enc != BH_SNAP_ENC_ZSTD)
        return bh_errf(err, errlen, "section MEM: unknown page encoding %u", m->enc);
    if (pad >= BH_PAGE_SIZE || reserved != 0)
        return bh_errf(err, errlen, "section MEM: bad padding (%u) or reserved field", pad);
    if ((uint64_t)m->npages * 8 > n - r.off)
        return bh_errf(err, errlen, "section MEM: %u page entries do not fit in %zu bytes",
                       m->npages, n);
    if (m->npages > max_pages)
        return bh_errf(err, errlen,
                       "the snapshot needs %u pages of guest memory, the VM's limit is %llu "
                       "(%llu MiB): use a larger --memory",
                       m->npages, (unsigned long long)max_pages,
                       (unsigned long long)(max_pages * BH_PAGE_SIZE >> 20));
    m->table = bh_rd_take(&r, (size_t)m->npages * 8);
    uint64_t ndata = 0;
    uint32_t prev = 0;
    for (uint32_t i = 0; i < m->npages; i++) {
        uint32_t a = bh_get32(m->table + 8 * i), f = bh_get32(m->table + 8 * i + 4);
        if (a & ~BH_PAGE_MASK)
            return bh_errf(err, errlen, "section MEM: page address 0x%08x is not page-aligned", a);
        /* exactly one of writable and (since version 2) text */
        if ((f & ~PAGE_KNOWN) || !(f & BH_PAGE_WRITABLE) == !(f & BH_PAGE_CODE) ||
            ((f & BH_PAGE_CODE) && version < 2))
            return bh_errf(err, errlen, "section MEM: page 0x%08x has bad flags 0x%x", a, f);
        if ((f & BH_PAGE_CODE) && !in_text(a, machine))
            return bh_errf(err, errlen, "section MEM: text page 0x%08x is outside %s", a,
                           machine == BH_MACHINE_BARE
                               ? "[0,0x1fff0000) of the bare machine"
                               : "[0,0x10000000) and [0x80000000,0x90000000)");
        if (!(f & BH_PAGE_CODE) && !in_ram(a, machine))
            return bh_errf(err, errlen, "section MEM: page 0x%08x is outside guest RAM (%s)", a,
                           machine == BH_MACHINE_BARE
                               ? "[0,0x1fff0000) of the bare machine"
                               : "[0x10000000,0x80000000) and [0x90000000,0xffff0000)");
        if (i > 0 && a <= prev)
            return bh_errf(err, errlen,
                           "section MEM: page 0x%08x is repeated or out of order (after 0x%08x)", a,
                           prev);
        prev = a;
        m->ncode += (f & BH_PAGE_CODE) != 0;
        ndata += !(f & BH_SNAP_PAGE_ZERO);
    }
    m->raw = ndata * BH_PAGE_SIZE;
    const uint8_t *padding = bh_rd_take(&r, pad);
    if (!padding)
        return bh_errf(err, errlen, "section MEM: truncated in the padding");
    for (uint32_t i = 0; i < pad; i++)
        if (padding[i])
            return bh_errf(err, errlen, "section MEM: padding is not zero");
    if (m->stored != n - r.off)
        return bh_errf(err, errlen,
                       "section MEM: page data is %llu bytes but the section has %zu left",
                       (unsigned long long)m->stored, n - r.off);
    m->data = p + r.off;
    if (m->enc == BH_SNAP_ENC_RAW) {
        if (m->stored != m->raw)
            return bh_errf(err, errlen, "section MEM: %llu bytes of page data for %llu pages",
                           (unsigned long long)m->stored, (unsigned long long)ndata);
        return 0;
    }
#ifdef BH_HAVE_ZSTD
    unsigned long long csize = ZSTD_getFrameContentSize(m->data, (size_t)m->stored);
    if (csize == ZSTD_CONTENTSIZE_ERROR || csize == ZSTD_CONTENTSIZE_UNKNOWN)
        return bh_errf(err, errlen, "section MEM: the compressed page data is not a zstd frame");
    if (csize != m->raw)
        return bh_errf(err, errlen,
                       "section MEM: compressed page data holds %llu bytes, %llu pages need %llu",
                       csize, (unsigned long long)ndata, (unsigned long long)m->raw);
    if (!decompress)
        return 0;
    m->owned = malloc(m->raw ? (size_t)m->raw : 1);
    if (!m->owned)
        return bh_errf(err, errlen, "section MEM: out of memory for %llu bytes of pages",
                       (unsigned long long)m->raw);
    size_t z = ZSTD_decompress(m->owned, (size_t)m->raw, m->data, (size_t)m->stored);
    if (ZSTD_isError(z) || z != m->raw) {
        free(m->owned);
        m->owned = NULL;
        return bh_errf(err, errlen, "section MEM: corrupt compressed page data (%s)",
                       ZSTD_isError(z) ? ZSTD_getErrorName(z) : "short");
    }
    m->data = m->owned;
    return 0;
#else
    (void)decompress;
    return bh_errf(err, errlen,
                   "section MEM: the pages are zstd-compressed and this myvmm was built "
                   "without libzstd");
#endif
}

/* Is addr in the (sorted) page table? */
static int table_has(const struct bh_snap_mem_view *m, uint32_t addr)
{
    size_t lo = 0, hi = m->npages;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t a = bh_get32(m->table + 8 * mid);
        if (a == addr)
            return 1;
        if (a < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

struct stale {
    const struct bh_snap_mem_view *m;
    uint32_t *addr;
    size_t n, cap;
    int oom;
};
static void find_stale(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    struct stale *s = ctx;
    (void)data;
    if (!(flags & BH_PAGE_WRITABLE) || table_has(s->m, addr) || s->oom)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        uint32_t *v = realloc(s->addr, cap * sizeof *v);
        if (!v) {
            s->oom = 1;
            return;
        }
        s->addr = v;
        s->cap = cap;
    }
    s->addr[s->n++] = addr;
}

/* Fresh guest pages are faulted in one at a time on first write, and on a
 * virtual machine host a fault costs microseconds: for a big restore, ask
 * the kernel to populate the span the pages lie in with one call.  Only
 * when the pages are dense in that span (the allocator handed them out
 * back to back); the span's other bytes are untouched either way. */
static void prefault(uint8_t *const *pages, uint32_t n)
{
#ifdef MADV_POPULATE_WRITE
    if (n < 256)
        return;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (uint32_t i = 0; i < n; i++) {
        uintptr_t p = (uintptr_t)pages[i];
        lo = p < lo ? p : lo;
        hi = p > hi ? p : hi;
    }
    lo &= ~(uintptr_t)(BH_PAGE_SIZE - 1);
    hi = (hi + 2 * BH_PAGE_SIZE) & ~(uintptr_t)(BH_PAGE_SIZE - 1);
    if (hi - lo <= (uintptr_t)n * BH_PAGE_SIZE * 2)
        madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE); /* a hint: errors are harmless */
#else
    (void)pages;
    (void)n;
#endif
}

/* The allocator hands out pages from the top of the brk heap, touching
 * each (its chunk header) as it goes: populate from the newest page to the
 * current break in one call, instead of one fault per page. */
static void prefault_ahead(const uint8_t *pg, uintptr_t *until)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t lo = (uintptr_t)pg & ~(uintptr_t)(BH_PAGE_SIZE - 1);
    if (lo + 2 * BH_PAGE_SIZE <= *until)
        return;
    uintptr_t brk = (uintptr_t)sbrk(0);
    if (brk > lo && brk - lo <= (64u << 20))
        madvise((void *)lo, brk - lo, MADV_POPULATE_WRITE); /* a hint: errors are harmless */
    *until = brk > lo ? brk : lo + BH_PAGE_SIZE;
#else
    (void)pg;
    (void)until;
#endif
}

/* Zero-copy restore: map the file's page data copy-on-write (MAP_PRIVATE,
 * writable) and point the guest pages into the mapping, which the VM's
 * memory then owns.  A 64 MiB restore becomes one mmap instead of 16384
 * page allocations, faults and copies; pages the guest never writes stay
 * shared with the page cache (and with other VMs restored from the file).
 * Populated read-only first, then made writable: populating a writable
 * private mapping would copy every page at once.  Returns 1 when the data
 * cannot be mapped (the caller copies instead), 0 or -1 otherwise. */
static int map_pages(struct bh_mem *mem, const struct bh_snap_mem_view *m, const struct bh_snap_file_src *fs,
                     char *err, size_t errlen)
{
    long host = sysconf(_SC_PAGESIZE);
    if (!fs || m->enc != BH_SNAP_ENC_RAW || m->raw == 0 || host <= 0 || fs->off % host != 0 ||
        BH_PAGE_SIZE % (unsigned long)host != 0)
        return 1;
    size_t len = (size_t)m->raw;
    uint8_t *base = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fs->fd, fs->off);
    if (base == MAP_FAILED)
        return 1;
    if (mprotect(base, len, PROT_READ | PROT_WRITE) != 0) {
        munmap(base, len);
        return 1;
    }
    if (bh_mem_adopt_mapping(mem, base, len, err, errlen))
        return -1;
    uint8_t *src = base;
    for (uint32_t i = 0; i < m->npages; i++) {
        uint32_t a = bh_get32(m->table + 8 * i), f = bh_get32(m->table + 8 * i + 4);
        if (f & BH_SNAP_PAGE_ZERO) {
            uint8_t *pg = bh_mem_page_for_restore(mem, a, f & ~BH_SNAP_PAGE_ZERO, err, errlen);
            if (!pg)
                return -1;
            memset(pg, 0, BH_PAGE_SIZE);
        } else {
            if (bh_mem_page_map(mem, a, src, f, err, errlen))
                return -1;
            src += BH_PAGE_SIZE;
        }
    }
    return 0;
}

/* Each page must be of the kind the VM has there: text where its image
 * put text, data everywhere else (a crafted file cannot turn text into
 * data or make up text).  *fresh: the pages the VM does not have yet. */
static int check_kinds(const struct bh_mem *mem, const struct bh_snap_mem_view *m, uint64_t *fresh,
                       char *err, size_t errlen)
{
    *fresh = 0;
    for (uint32_t i = 0; i < m->npages; i++) {
        uint32_t a = bh_get32(m->table + 8 * i), f = bh_get32(m->table + 8 * i + 4);
        unsigned have = bh_mem_page_flags(mem, a);
        if ((have & BH_PAGE_CODE) != (f & BH_PAGE_CODE))
            return bh_errf(err, errlen, "section MEM: page 0x%08x is %s, but the program has %s there",
                           a, f & BH_PAGE_CODE ? "text" : "data",
                           have & BH_PAGE_CODE ? "text" : "no text");
        *fresh += have == 0;
    }
    return 0;
}

/* Text pages came back: the core decodes what the program had stored. */
static void text_restored(struct bh_vm *vm, const struct bh_snap_mem_view *m)
{
    if (m->ncode)
        bh_core_text_restored(bh_vm_core(vm));
}

int bh_snap_mem_apply(struct bh_vm *vm, const struct bh_snap_mem_view *m, const struct bh_snap_file_src *fs,
                     char *err, size_t errlen)
{
    struct bh_mem *mem = bh_vm_mem(vm);
    /* Check the pages and the limit before touching anything. */
    uint64_t fresh;
    if (check_kinds(mem, m, &fresh, err, errlen))
        return -1;
    if (mem->pages + fresh > mem->limit_pages)
        return bh_errf(err, errlen,
                       "the snapshot needs %llu pages of guest memory, the VM's limit is %llu "
                       "(%llu MiB): use a larger --memory",
                       (unsigned long long)(mem->pages + fresh),
                       (unsigned long long)mem->limit_pages,
                       (unsigned long long)(mem->limit_pages * BH_PAGE_SIZE >> 20));
    /* Writable pages the fresh VM has but the snapshot does not (argv on
     * the stack, say) held something else at snapshot time: zeroes. */
    struct stale st = {m, NULL, 0, 0, 0};
    bh_mem_foreach_page(mem, find_stale, &st);
    if (st.oom) {
        free(st.addr);
        return bh_errf(err, errlen, "snapshot restore: out of memory");
    }
    for (size_t i = 0; i < st.n; i++) {
        uint8_t *pg = bh_mem_page_for_restore(mem, st.addr[i], BH_PAGE_WRITABLE, err, errlen);
        if (!pg) {
            free(st.addr);
            return -1;
        }
        memset(pg, 0, BH_PAGE_SIZE);
    }
    free(st.addr);
    int mapped = map_pages(mem, m, fs, err, errlen);
    if (mapped < 0)
        return -1;
    if (mapped == 0) {
        bh_mem_tlb_flush(mem);
        bh_vm_set_brk(vm, m->brk);
        text_restored(vm, m);
        return 0;
    }
    const uint8_t *src = m->data;
#ifdef BH_HAVE_ZSTD
    /* Compressed pages are decompressed straight into guest memory: no
     * intermediate buffer of the whole memory.  The frame was checked by
     * its CRC and header; a crafted one can still fail here, half-way: the
     * caller must not run the VM after a failed restore (vm/snapshot.h). */
    ZSTD_DCtx *dc = NULL;
    ZSTD_inBuffer zin = {m->data, (size_t)m->stored, 0};
    if (m->enc == BH_SNAP_ENC_ZSTD && !m->owned && !(dc = ZSTD_createDCtx()))
        return bh_errf(err, errlen, "snapshot restore: out of memory");
#endif
    int rc = 0;
    uint8_t **pages = malloc(((size_t)m->npages + 1) * sizeof *pages);
    uintptr_t until = 0;
    if (!pages)
        rc = bh_errf(err, errlen, "snapshot restore: out of memory");
    for (uint32_t i = 0; i < m->npages && rc == 0; i++) {
        uint32_t a = bh_get32(m->table + 8 * i), f = bh_get32(m->table + 8 * i + 4);
        if (!(pages[i] = bh_mem_page_for_restore(mem, a, f & ~BH_SNAP_PAGE_ZERO, err, errlen)))
            rc = -1;
        else if (m->npages >= 256)
            prefault_ahead(pages[i], &until);
    }
    if (rc == 0)
        prefault(pages, m->npages);
    for (uint32_t i = 0; i < m->npages && rc == 0; i++) {
        uint32_t f = bh_get32(m->table + 8 * i + 4);
        uint8_t *pg = pages[i];
        if (f & BH_SNAP_PAGE_ZERO) {
            memset(pg, 0, BH_PAGE_SIZE);
#ifdef BH_HAVE_ZSTD
        } else if (dc) {
            ZSTD_outBuffer zo = {pg, BH_PAGE_SIZE, 0};
            while (zo.pos < zo.size && rc == 0) {
                size_t before_in = zin.pos, before_out = zo.pos;
                size_t z = ZSTD_decompressStream(dc, &zo, &zin);
                if (ZSTD_isError(z) || (zin.pos == before_in && zo.pos == before_out))
                    rc = bh_errf(err, errlen, "section MEM: corrupt compressed page data (%s)",
                                 ZSTD_isError(z) ? ZSTD_getErrorName(z) : "ends early");
            }
#endif
        } else {
            memcpy(pg, src, BH_PAGE_SIZE);
            src += BH_PAGE_SIZE;
        }
    }
#ifdef BH_HAVE_ZSTD
    if (dc && rc == 0 && zin.pos != zin.size)
        rc = bh_errf(err, errlen, "section MEM: bytes after the compressed page data");
    ZSTD_freeDCtx(dc);
#endif
    free(pages);
    if (rc)
        return -1;
    bh_mem_tlb_flush(mem);
    bh_vm_set_brk(vm, m->brk);
    text_restored(vm, m);
    return 0;
}

int bh_snap_get_mem(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct bh_snap_mem_view m;
    if (bh_snap_mem_parse(p, n, BH_SNAP_MEM_VERSION, &m, 0, bh_vm_mem(vm)->limit_pages, bh_vm_machine(vm), err,
                          errlen))
        return -1;
    int rc = bh_snap_mem_apply(vm, &m, NULL, err, errlen);
    free(m.owned);
    return rc;
}

/* Live migration sends memory a few pages at a time, in MEM bodies that
 * list only those pages (same layout, raw encoding), and applies each
 * without touching the pages it does not list. */
static const uint8_t *page_at(const struct bh_mem *m, uint32_t addr, unsigned *flags)
{
    const struct bh_l2 *l2 = m->l1 ? m->l1[addr >> 22] : NULL;
    unsigned i = (addr >> BH_PAGE_SHIFT) & 1023u;
    if (!l2 || !l2->page[i])
        return NULL;
    *flags = l2->flags[i];
    return l2->page[i];
}

int bh_snap_put_mem_pages(struct bh_buf *b, struct bh_vm *vm, const uint32_t *addr, size_t n,
                          char *err, size_t errlen)
{
    struct page_list l = {0};
    for (size_t i = 0; i < n; i++) {
        unsigned f;
        const uint8_t *data = page_at(bh_vm_mem(vm), addr[i], &f);
        if (data)
            collect_page(&l, addr[i], data, f);
    }
    if (l.oom) {
        free(l.v);
        return bh_errf(err, errlen, "migration: out of memory");
    }
    size_t ndata = 0;
    for (size_t i = 0; i < l.n; i++)
        ndata += !(l.v[i].flags & BH_SNAP_PAGE_ZERO);
    mem_put_header(b, bh_vm_brk(vm), (uint32_t)l.n, BH_SNAP_ENC_RAW, (uint64_t)ndata * BH_PAGE_SIZE, 0);
    for (size_t i = 0; i < l.n; i++) {
        bh_buf_put32(b, l.v[i].addr);
        bh_buf_put32(b, l.v[i].flags);
    }
    for (size_t i = 0; i < l.n; i++)
        if (!(l.v[i].flags & BH_SNAP_PAGE_ZERO))
            bh_buf_append(b, l.v[i].data, BH_PAGE_SIZE);
    free(l.v);
    return b->oom ? bh_errf(err, errlen, "migration: out of memory") : 0;
}

int bh_snap_get_mem_pages(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct bh_snap_mem_view m;
    struct bh_mem *mem = bh_vm_mem(vm);
    if (bh_snap_mem_parse(p, n, BH_SNAP_MEM_VERSION, &m, 1, mem->limit_pages, bh_vm_machine(vm),
                          err, errlen))
        return -1;
    uint64_t fresh;
    int rc = check_kinds(mem, &m, &fresh, err, errlen);
    if (rc == 0 && mem->pages + fresh > mem->limit_pages)
        rc = bh_errf(err, errlen, "the VM needs more than %llu pages of guest memory",
                     (unsigned long long)mem->limit_pages);
    const uint8_t *src = m.data;
    for (uint32_t i = 0; i < m.npages && rc == 0; i++) {
        uint32_t a = bh_get32(m.table + 8 * i), f = bh_get32(m.table + 8 * i + 4);
        uint8_t *pg = bh_mem_page_for_restore(mem, a, f & ~BH_SNAP_PAGE_ZERO, err, errlen);
        if (!pg) {
            rc = -1;
        } else if (f & BH_SNAP_PAGE_ZERO) {
            memset(pg, 0, BH_PAGE_SIZE);
        } else {
            memcpy(pg, src, BH_PAGE_SIZE);
            src += BH_PAGE_SIZE;
        }
    }
    free(m.owned);
    if (rc)
        return rc;
    bh_vm_set_brk(vm, m.brk);
    text_restored(vm, &m);
    return (int)m.npages;
}

