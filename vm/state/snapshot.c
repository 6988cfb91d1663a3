/* snapshot.c: the one serializer of the whole VM (docs/snapshot-format.md).
 *
 * Each section has a writer (bh_snap_put_*: body into a bh_buf) and a
 * reader (bh_snap_get_*: body into a VM) that mirror each other field by
 * field, in the same order.  The bodies know nothing of files, so live
 * migration sends the same bytes.  Readers validate the whole body first
 * and only then touch the VM, so a bad snapshot never half-restores a
 * section; bh_snapshot_restore validates every section before applying any.
 */
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef BH_HAVE_ZSTD
#include <zstd.h>
#endif

#include "machine/machine.h"
#include "mem/mem.h"

#define PAGE_ZERO 0x100u /* MEM page entry: touched, all zero, no data stored */
#define PAGE_KNOWN (BH_PAGE_WRITABLE | BH_PAGE_DIRTY | PAGE_ZERO)
#define ENC_RAW 0u
#define ENC_ZSTD 1u
#define ZSTD_LEVEL 1 /* fast: snapshots are taken while a VM waits */

/* ---------------------------------------------------------------- IDENT */

int bh_snap_put_ident(struct bh_buf *b, const struct bh_vm *vm)
{
    bh_buf_put64(b, bh_vm_image_hash(vm));
    bh_buf_put64(b, bh_vm_mem((struct bh_vm *)vm)->limit_pages * (uint64_t)BH_PAGE_SIZE);
    bh_buf_put32(b, bh_vm_image(vm)->entry);
    bh_buf_put_str16(b, bh_vm_name(vm), 63);
    bh_buf_put_str16(b, bh_image_str(bh_vm_image(vm), bh_vm_image(vm)->source), 255);
    return b->oom ? -1 : 0;
}

int bh_snap_get_ident(const uint8_t *p, size_t n, struct bh_snap_ident *id, char *err,
                      size_t errlen)
{
    struct bh_rd r = {p, n, 0, 0};
    memset(id, 0, sizeof *id);
    id->image_hash = bh_rd64(&r);
    id->mem_limit = bh_rd64(&r);
    id->entry = bh_rd32(&r);
    if (bh_rd_str16(&r, id->name, sizeof id->name) || bh_rd_str16(&r, id->program, sizeof id->program))
        return bh_errf(err, errlen, "section IDENT: bad VM or program name");
    return bh_rd_end(&r, "IDENT", err, errlen);
}

/* ------------------------------------------------------------------ CPU */

int bh_snap_put_cpu(struct bh_buf *b, const struct bh_vm *vm)
{
    return bh_cpu_save(vm, b);
}

int bh_snap_get_cpu(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct bh_rd r = {p, n, 0, 0};
    return bh_cpu_load(vm, &r, 1, err, errlen);
}

/* ------------------------------------------------------------------ MEM */

struct page_ref {
    uint32_t addr, flags;
    const uint8_t *data;
};
struct page_list {
    struct page_ref *v;
    size_t n, cap;
    int oom;
};

static int page_is_zero(const uint8_t *p)
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
    /* Read-only pages (text, ktext) come from the image, which the hash
     * pins: storing them would only make the file bigger. */
    if (!(flags & BH_PAGE_WRITABLE) || l->oom)
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
    unsigned f = flags & (BH_PAGE_WRITABLE | BH_PAGE_DIRTY);
    if (page_is_zero(data))
        f |= PAGE_ZERO;
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
        ndata += !(l.v[i].flags & PAGE_ZERO);
    uint64_t raw = (uint64_t)ndata * BH_PAGE_SIZE;

    /* Raw page data starts at a multiple of 4096 in the buffer (the file),
     * so a loader can map it as guest pages instead of copying. */
    size_t data_at = b->len + MEM_HDR + (size_t)l.n * 8;
    uint32_t pad =
        compress ? 0 : (uint32_t)((BH_PAGE_SIZE - data_at % BH_PAGE_SIZE) % BH_PAGE_SIZE);
    size_t dlen_at = b->len + 16; /* patched with the compressed length */
    (void)dlen_at;
    mem_put_header(b, bh_vm_brk(vm), (uint32_t)l.n, compress ? ENC_ZSTD : ENC_RAW, raw, pad);
    for (size_t i = 0; i < l.n; i++) {
        bh_buf_put32(b, l.v[i].addr);
        bh_buf_put32(b, l.v[i].flags);
    }
    static const uint8_t zeros[BH_PAGE_SIZE];
    bh_buf_append(b, zeros, pad);
    int rc = 0;
    if (!compress) {
        for (size_t i = 0; i < l.n; i++)
            if (!(l.v[i].flags & PAGE_ZERO))
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
                if (l.v[i].flags & PAGE_ZERO)
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

static int in_ram(uint32_t a)
{
    return (a >= 0x10000000u && a < 0x80000000u) || (a >= 0x90000000u && a < BH_MMIO_BASE);
}

/* Parsed MEM body: the table and the raw page data (decompressed if need
 * be: owned, freed by the caller). */
struct mem_view {
    uint32_t brk, npages, enc;
    const uint8_t *table;
    const uint8_t *data;
    uint64_t raw, stored;
    uint8_t *owned;
};

/* max_pages: refuse more page entries than a VM could hold before any
 * large allocation (decompression) happens. */
static int mem_parse(const uint8_t *p, size_t n, struct mem_view *m, int decompress,
                     uint64_t max_pages, char *err, size_t errlen)
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
    if (m->enc != ENC_RAW && m->enc != ENC_ZSTD)
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
        if (!in_ram(a))
            return bh_errf(err, errlen,
                           "section MEM: page 0x%08x is outside guest RAM "
                           "([0x10000000,0x80000000) and [0x90000000,0xffff0000))",
                           a);
        if (i > 0 && a <= prev)
            return bh_errf(err, errlen,
                           "section MEM: page 0x%08x is repeated or out of order (after 0x%08x)", a,
                           prev);
        if ((f & ~PAGE_KNOWN) || !(f & BH_PAGE_WRITABLE))
            return bh_errf(err, errlen, "section MEM: page 0x%08x has bad flags 0x%x", a, f);
        prev = a;
        ndata += !(f & PAGE_ZERO);
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
    if (m->enc == ENC_RAW) {
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
static int table_has(const struct mem_view *m, uint32_t addr)
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
    const struct mem_view *m;
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

/* Where a MEM body's raw page data lies in a file, for map_pages. */
struct file_src {
    int fd;
    off_t off;
};

/* Zero-copy restore: map the file's page data copy-on-write (MAP_PRIVATE,
 * writable) and point the guest pages into the mapping, which the VM's
 * memory then owns.  A 64 MiB restore becomes one mmap instead of 16384
 * page allocations, faults and copies; pages the guest never writes stay
 * shared with the page cache (and with other VMs restored from the file).
 * Populated read-only first, then made writable: populating a writable
 * private mapping would copy every page at once.  Returns 1 when the data
 * cannot be mapped (the caller copies instead), 0 or -1 otherwise. */
static int map_pages(struct bh_mem *mem, const struct mem_view *m, const struct file_src *fs,
                     char *err, size_t errlen)
{
    long host = sysconf(_SC_PAGESIZE);
    if (!fs || m->enc != ENC_RAW || m->raw == 0 || host <= 0 || fs->off % host != 0 ||
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
        if (f & PAGE_ZERO) {
            uint8_t *pg = bh_mem_page_for_restore(mem, a, f & ~PAGE_ZERO, err, errlen);
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

static int mem_apply(struct bh_vm *vm, const struct mem_view *m, const struct file_src *fs,
                     char *err, size_t errlen)
{
    struct bh_mem *mem = bh_vm_mem(vm);
    /* Check the limit before touching anything. */
    uint64_t fresh = 0;
    for (uint32_t i = 0; i < m->npages; i++)
        fresh += bh_mem_page_flags(mem, bh_get32(m->table + 8 * i)) == 0;
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
    if (m->enc == ENC_ZSTD && !m->owned && !(dc = ZSTD_createDCtx()))
        return bh_errf(err, errlen, "snapshot restore: out of memory");
#endif
    int rc = 0;
    uint8_t **pages = malloc(((size_t)m->npages + 1) * sizeof *pages);
    uintptr_t until = 0;
    if (!pages)
        rc = bh_errf(err, errlen, "snapshot restore: out of memory");
    for (uint32_t i = 0; i < m->npages && rc == 0; i++) {
        uint32_t a = bh_get32(m->table + 8 * i), f = bh_get32(m->table + 8 * i + 4);
        if (!(pages[i] = bh_mem_page_for_restore(mem, a, f & ~PAGE_ZERO, err, errlen)))
            rc = -1;
        else if (m->npages >= 256)
            prefault_ahead(pages[i], &until);
    }
    if (rc == 0)
        prefault(pages, m->npages);
    for (uint32_t i = 0; i < m->npages && rc == 0; i++) {
        uint32_t f = bh_get32(m->table + 8 * i + 4);
        uint8_t *pg = pages[i];
        if (f & PAGE_ZERO) {
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
    return 0;
}

int bh_snap_get_mem(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct mem_view m;
    if (mem_parse(p, n, &m, 0, bh_vm_mem(vm)->limit_pages, err, errlen))
        return -1;
    int rc = mem_apply(vm, &m, NULL, err, errlen);
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
        ndata += !(l.v[i].flags & PAGE_ZERO);
    mem_put_header(b, bh_vm_brk(vm), (uint32_t)l.n, ENC_RAW, (uint64_t)ndata * BH_PAGE_SIZE, 0);
    for (size_t i = 0; i < l.n; i++) {
        bh_buf_put32(b, l.v[i].addr);
        bh_buf_put32(b, l.v[i].flags);
    }
    for (size_t i = 0; i < l.n; i++)
        if (!(l.v[i].flags & PAGE_ZERO))
            bh_buf_append(b, l.v[i].data, BH_PAGE_SIZE);
    free(l.v);
    return b->oom ? bh_errf(err, errlen, "migration: out of memory") : 0;
}

int bh_snap_get_mem_pages(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct mem_view m;
    struct bh_mem *mem = bh_vm_mem(vm);
    if (mem_parse(p, n, &m, 1, mem->limit_pages, err, errlen))
        return -1;
    uint64_t fresh = 0;
    for (uint32_t i = 0; i < m.npages; i++)
        fresh += bh_mem_page_flags(mem, bh_get32(m.table + 8 * i)) == 0;
    int rc = 0;
    if (mem->pages + fresh > mem->limit_pages)
        rc = bh_errf(err, errlen, "the VM needs more than %llu pages of guest memory",
                     (unsigned long long)mem->limit_pages);
    const uint8_t *src = m.data;
    for (uint32_t i = 0; i < m.npages && rc == 0; i++) {
        uint32_t a = bh_get32(m.table + 8 * i), f = bh_get32(m.table + 8 * i + 4);
        uint8_t *pg = bh_mem_page_for_restore(mem, a, f & ~PAGE_ZERO, err, errlen);
        if (!pg) {
            rc = -1;
        } else if (f & PAGE_ZERO) {
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
    return (int)m.npages;
}

/* ------------------------------------------------------ CONSOLE, MACHINE */

/* Where the console's and the machine's bodies are: a section each, or
 * one DEV body holding both, console first, each at version 1 (files of
 * myvmm 0.3, and the migration stream's DEV message). */
struct dev_src {
    const uint8_t *con;
    size_t con_n;
    uint32_t con_v;
    const uint8_t *mach; /* NULL: the machine's body follows the console's in con */
    size_t mach_n;
    uint32_t mach_v;
};

static struct dev_src dev_src_of(const struct bh_snap_section *sec)
{
    const struct bh_snap_section *d = &sec[BH_SNAP_SEC_DEV];
    if (d->data)
        return (struct dev_src){d->data, d->len, d->version, NULL, 0, 1};
    const struct bh_snap_section *c = &sec[BH_SNAP_SEC_CONSOLE], *m = &sec[BH_SNAP_SEC_MACHINE];
    return (struct dev_src){c->data, c->len, c->version, m->data, m->len, m->version};
}

static int sec_err(char *err, size_t errlen, const char *sec, const char *msg)
{
    if (strncmp(msg, "section ", 8) == 0)
        return bh_errf(err, errlen, "%s", msg);
    return bh_errf(err, errlen, "section %s: %s", sec, msg);
}

/* Validate both bodies.  con (may be NULL) receives the console's state,
 * describe (may be NULL) the machine's lines for --snapshot-info; *con_len
 * (may be NULL) the console body's length. */
static int dev_check(const struct dev_src *d, struct bh_console *con, struct bh_buf *describe,
                     size_t *con_len, char *err, size_t errlen)
{
    struct bh_console scratch;
    bh_console_init(&scratch);
    scratch.in = NULL; /* no host stream to position */
    scratch.in_fd = -1;
    const char *cname = d->mach ? "CONSOLE" : "DEV", *mname = d->mach ? "MACHINE" : "DEV";
    char msg[400];
    struct bh_rd r = {d->con, d->con_n, 0, 0};
    int rc = bh_console_load(con ? con : &scratch, &r, d->con_v, msg, sizeof msg);
    bh_console_free(&scratch);
    if (rc)
        return sec_err(err, errlen, cname, msg);
    if (con_len)
        *con_len = r.off;
    struct bh_rd m = r;
    if (d->mach) {
        if (bh_rd_end(&r, cname, msg, sizeof msg))
            return sec_err(err, errlen, cname, msg);
        m = (struct bh_rd){d->mach, d->mach_n, 0, 0};
    }
    rc = describe ? bh_machine_describe(&m, d->mach_v, describe, msg, sizeof msg)
                  : bh_machine_load(NULL, &m, d->mach_v, msg, sizeof msg);
    if (rc == 0)
        rc = bh_rd_end(&m, mname, msg, sizeof msg);
    return rc ? sec_err(err, errlen, mname, msg) : 0;
}

/* Check everything, then load the machine's part (which can still fail,
 * reopening guest files) before the console's. */
static int dev_load(struct bh_vm *vm, const struct dev_src *d, char *err, size_t errlen)
{
    size_t con_len;
    if (dev_check(d, NULL, NULL, &con_len, err, errlen))
        return -1;
    char msg[400];
    struct bh_rd m = d->mach ? (struct bh_rd){d->mach, d->mach_n, 0, 0}
                             : (struct bh_rd){d->con, d->con_n, con_len, 0};
    if (bh_machine_load(vm, &m, d->mach_v, msg, sizeof msg))
        return sec_err(err, errlen, d->mach ? "MACHINE" : "DEV", msg);
    struct bh_rd r = {d->con, d->con_n, 0, 0};
    if (bh_console_load(bh_vm_console(vm), &r, d->con_v, msg, sizeof msg))
        return sec_err(err, errlen, d->mach ? "CONSOLE" : "DEV", msg);
    return 0;
}

int bh_snap_put_dev(struct bh_buf *b, const struct bh_vm *vm)
{
    struct bh_vm *v = (struct bh_vm *)vm; /* the accessors are not const */
    if (bh_console_save(bh_vm_console(v), b) || bh_machine_save(vm, b))
        return -1;
    return 0;
}

int bh_snap_get_dev(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct dev_src d = {p, n, BH_CONSOLE_STATE_VERSION, NULL, 0, BH_MACHINE_STATE_VERSION};
    return dev_load(vm, &d, err, errlen);
}

/* ------------------------------------------------------ whole snapshots */

int bh_snapshot_have_zstd(void)
{
#ifdef BH_HAVE_ZSTD
    return 1;
#else
    return 0;
#endif
}

/* The sections a snapshot holds, in the order they are written, each
 * with its writer (the container, snapfile.c, knows each body's version;
 * each module's reader takes the version the file has). */
static int save_ident(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                      size_t errlen)
{
    return bh_snap_put_ident(b, vm);
}
static int save_cpu(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                    size_t errlen)
{
    return bh_cpu_save(vm, b);
}
static int save_console(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o,
                        char *err, size_t errlen)
{
    return bh_console_save(bh_vm_console(vm), b);
}
static int save_machine(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o,
                        char *err, size_t errlen)
{
    return bh_machine_save(vm, b);
}
static int save_mem(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                    size_t errlen)
{
    return bh_snap_put_mem(b, vm, o->compress, err, errlen);
}
static int save_image(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                      size_t errlen)
{
    uint8_t *img;
    size_t ilen;
    if (bh_image_write(bh_vm_image(vm), &img, &ilen, err, errlen))
        return -1;
    bh_buf_append(b, img, ilen);
    free(img);
    return 0;
}

static const struct section {
    uint32_t type;
    int (*save)(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                size_t errlen);
} sections[] = {
    {BH_SNAP_SEC_IDENT, save_ident},
    {BH_SNAP_SEC_CPU, save_cpu},
    {BH_SNAP_SEC_CONSOLE, save_console},
    {BH_SNAP_SEC_MACHINE, save_machine},
    {BH_SNAP_SEC_MEM, save_mem},
    {BH_SNAP_SEC_IMAGE, save_image},
    {0, NULL},
};

int bh_snapshot_serialize(struct bh_vm *vm, const struct bh_snap_opts *o, struct bh_buf *out,
                          char *err, size_t errlen)
{
    uint32_t flags = (o->compress ? BH_SNAP_F_ZSTD : 0) | (o->embed_image ? BH_SNAP_F_IMAGE : 0);
    /* Size the buffer once: growing it by doubling would copy the pages
     * several times (and fault in fresh memory each time). */
    size_t want =
        out->len + (1u << 16) + (size_t)bh_mem_pages_in_use(bh_vm_mem(vm)) * (BH_PAGE_SIZE + 8);
    for (int i = 0; i < BH_SEG_COUNT; i++)
        want += bh_vm_image(vm)->seg[i].size;
    want += (size_t)bh_vm_image(vm)->nlines * 16 + (size_t)bh_vm_image(vm)->nsymbols * 16 + bh_vm_image(vm)->strings_size;
    if (!o->compress && out->cap < want && !out->oom) {
        uint8_t *d = realloc(out->data, want);
        if (d) {
            out->data = d;
            out->cap = want;
        }
    }
    bh_snapfile_begin(out, flags);
    for (const struct section *t = sections; t->type; t++) {
        if (t->type == BH_SNAP_SEC_IMAGE && !o->embed_image)
            continue;
        size_t start = bh_snapfile_sec_begin(out, t->type);
        if (t->save(vm, out, o, err, errlen))
            return -1;
        bh_snapfile_sec_end(out, start);
    }
    return bh_snapfile_finish(out, err, errlen);
}

int bh_snapshot_save_opts(struct bh_vm *vm, const char *path, const struct bh_snap_opts *o,
                          char *err, size_t errlen)
{
    struct bh_buf b = {0};
    char msg[512];
    int rc = bh_snapshot_serialize(vm, o, &b, msg, sizeof msg);
    if (rc == 0)
        rc = bh_write_file_atomic(path, b.data, b.len, msg, sizeof msg);
    bh_buf_free(&b);
    if (rc)
        return bh_errf(err, errlen, "snapshot %s: %s", path, msg);
    return 0;
}

int bh_snapshot_save(struct bh_vm *vm, const char *path, char *err, size_t errlen)
{
    struct bh_snap_opts o = {bh_vm_ctl(vm)->snap_compress, 1};
    return bh_snapshot_save_opts(vm, path, &o, err, errlen);
}

int bh_snapshot_parse_buf(const uint8_t *buf, size_t len, struct bh_snapshot *s, char *err,
                          size_t errlen)
{
    if (bh_snapfile_parse(buf, len, &s->f, err, errlen))
        return -1;
    if (s->f.version == 0)
        return 0;
    /* Validate the bodies too, so --snapshot-info and a restore refuse
     * exactly the same files (restoring still checks against the VM).
     * (The container checked each body's version.) */
    struct bh_snap_ident id;
    if (bh_snap_get_ident(s->f.sec[BH_SNAP_SEC_IDENT].data, s->f.sec[BH_SNAP_SEC_IDENT].len, &id,
                          err, errlen))
        return -1;
    if (s->f.sec[BH_SNAP_SEC_CPU].len != BH_CPU_STATE_SIZE)
        return bh_errf(err, errlen, "section CPU: %llu bytes, expected %d",
                       (unsigned long long)s->f.sec[BH_SNAP_SEC_CPU].len, BH_CPU_STATE_SIZE);
    if (bh_get32(s->f.sec[BH_SNAP_SEC_CPU].data) != 0)
        return bh_errf(err, errlen, "section CPU: register $0 is not 0");
    struct mem_view m;
    if (mem_parse(s->f.sec[BH_SNAP_SEC_MEM].data, s->f.sec[BH_SNAP_SEC_MEM].len, &m, 0, UINT64_MAX,
                  err, errlen))
        return -1;
    if (!!(s->f.flags & BH_SNAP_F_ZSTD) != (m.enc == ENC_ZSTD))
        return bh_errf(err, errlen, "the header's compression flag disagrees with section MEM");
    struct dev_src d = dev_src_of(s->f.sec);
    return dev_check(&d, NULL, NULL, NULL, err, errlen);
}

/* Map the file rather than read it: a 64 MiB snapshot read into fresh
 * memory costs a page fault and a copy per 4 KiB before the first CRC;
 * a populated private mapping of the page cache costs neither.  Files
 * that cannot be mapped (pipes, empty files) are read. */
static int map_whole(const char *path, uint8_t **out, size_t *len, int *mapped, int *fdp, char *err,
                     size_t errlen)
{
    struct stat sb;
    *mapped = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
        void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (p != MAP_FAILED) {
            *fdp = fd; /* kept: a restore maps the page data from it */
            *out = p;
            *len = (size_t)sb.st_size;
            *mapped = 1;
            return 0;
        }
    }
    close(fd);
    return bh_read_file(path, out, len, err, errlen);
}

int bh_snapshot_load(const char *path, struct bh_snapshot *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    char msg[512];
    if (map_whole(path, &s->buf, &s->len, &s->mapped, &s->fd, err, errlen))
        return -1;
    s->path = strdup(path);
    if (!s->path || bh_snapshot_parse_buf(s->buf, s->len, s, msg, sizeof msg)) {
        bh_errf(err, errlen, "%s: %s", path, s->path ? msg : "out of memory");
        bh_snapshot_free(s);
        return -1;
    }
    return 0;
}

void bh_snapshot_free(struct bh_snapshot *s)
{
    free(s->path);
    if (s->mapped) {
        munmap(s->buf, s->len);
        close(s->fd);
    } else {
        free(s->buf);
    }
    memset(s, 0, sizeof *s);
}

int bh_snapshot_image(const struct bh_snapshot *s, struct bh_image *img, char *err, size_t errlen)
{
    const struct bh_snap_section *sec = &s->f.sec[BH_SNAP_SEC_IMAGE];
    if (s->f.version == 0 || !sec->data)
        return bh_errf(err, errlen,
                       "%s does not embed its program: name it with -v (myvmm -v prog -s %s)",
                       s->path ? s->path : "the snapshot", s->path ? s->path : "snap.bin");
    char msg[400];
    if (bh_image_read(sec->data, (size_t)sec->len, img, msg, sizeof msg))
        return bh_errf(err, errlen, "the program embedded in the snapshot is bad: %s", msg);
    return 0;
}

static int text_stmt(const struct bh_image *img, const struct bh_line *l)
{
    const struct bh_segment *t = &img->seg[BH_SEG_TEXT];
    if (!(l->flags & BH_LINE_STMT) || l->addr < t->addr || l->addr - t->addr >= t->size)
        return 0;
    /* SPIM's start-up code is not a line of the learner's file. */
    if ((img->flags & BH_IMG_STARTUP) && l->addr < BH_TEXT_BASE + 9 * 4)
        return 0;
    return 1;
}

int bh_snapshot_v0_pc(const struct bh_image *img, uint32_t index, uint32_t *pc, char *err,
                      size_t errlen)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < img->nlines; i++) {
        if (!text_stmt(img, &img->lines[i]))
            continue;
        if (k == index) {
            *pc = img->lines[i].addr;
            return 0;
        }
        k++;
    }
    if (index == k) {
        *pc = img->seg[BH_SEG_TEXT].addr + img->seg[BH_SEG_TEXT].size;
        return 0;
    }
    return bh_errf(err, errlen,
                   "version-0 snapshot: PC index %u is past the program's %u instruction lines",
                   index, k);
}

static int restore_v0(struct bh_vm *vm, const struct bh_snapshot *s, char *err, size_t errlen)
{
    uint32_t pc;
    char msg[256];
    if (bh_snapshot_v0_pc(bh_vm_image(vm), s->f.v0_pc_index, &pc, msg, sizeof msg))
        return bh_errf(err, errlen, "%s", msg);
    for (unsigned i = 1; i < 32; i++)
        bh_vm_set_reg(vm, i, (int32_t)s->f.v0_regs[i]);
    bh_vm_set_pc(vm, pc);
    return 0;
}

int bh_snapshot_restore(struct bh_vm *vm, const struct bh_snapshot *s, char *err, size_t errlen)
{
    const char *path = s->path ? s->path : "snapshot";
    char msg[512];
    if (s->f.version == 0) {
        if (restore_v0(vm, s, msg, sizeof msg))
            return bh_errf(err, errlen, "%s: %s", path, msg);
        return 0;
    }
    const struct bh_snap_section *sec = s->f.sec;
    struct bh_snap_ident id;
    if (bh_snap_get_ident(sec[BH_SNAP_SEC_IDENT].data, sec[BH_SNAP_SEC_IDENT].len, &id, msg,
                          sizeof msg))
        return bh_errf(err, errlen, "%s: %s", path, msg);
    if (id.image_hash != bh_vm_image_hash(vm))
        return bh_errf(err, errlen,
                       "%s: image hash mismatch: the snapshot was taken from program '%s' "
                       "(image 0x%016llx), not from '%s' (image 0x%016llx); refusing to run it",
                       path, id.program, (unsigned long long)id.image_hash,
                       bh_image_str(bh_vm_image(vm), bh_vm_image(vm)->source), (unsigned long long)bh_vm_image_hash(vm));
    /* Validate everything before changing anything. */
    struct mem_view m;
    struct file_src fs = {s->fd, 0};
    int rc = -1;
    if (mem_parse(sec[BH_SNAP_SEC_MEM].data, sec[BH_SNAP_SEC_MEM].len, &m, 0, bh_vm_mem(vm)->limit_pages,
                  msg, sizeof msg))
        return bh_errf(err, errlen, "%s: %s", path, msg);
    if (s->mapped) /* the page data's place in the file: buf maps it from 0 */
        fs.off = (off_t)(m.data - s->buf);
    struct dev_src d = dev_src_of(sec);
    struct bh_rd cpu = {sec[BH_SNAP_SEC_CPU].data, sec[BH_SNAP_SEC_CPU].len, 0, 0};
    if (dev_check(&d, NULL, NULL, NULL, msg, sizeof msg) ||
        mem_apply(vm, &m, s->mapped ? &fs : NULL, msg, sizeof msg) ||
        bh_cpu_load(vm, &cpu, sec[BH_SNAP_SEC_CPU].version, msg, sizeof msg) ||
        dev_load(vm, &d, msg, sizeof msg))
        bh_errf(err, errlen, "%s: %s", path, msg);
    else
        rc = 0;
    free(m.owned);
    return rc;
}

/* ------------------------------------------------------------ state hash */

struct hash_ctx {
    uint64_t h;
};
static uint64_t fnv_mix(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xffu;
        h *= 0x100000001b3ull;
    }
    return h;
}
static void hash_page(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    struct hash_ctx *c = ctx;
    (void)flags;
    /* Zero pages are left out, so a page touched only by a read (or one
     * that a restore elided) does not change the hash. */
    if (page_is_zero(data))
        return;
    c->h = fnv_mix(c->h, addr);
    c->h = fnv_mix(c->h, bh_crc32c(0, data, BH_PAGE_SIZE));
}

uint64_t bh_snapshot_state_hash(struct bh_vm *vm)
{
    struct hash_ctx c = {0xcbf29ce484222325ull};
    for (int i = 0; i < 32; i++)
        c.h = fnv_mix(c.h, (uint32_t)bh_vm_reg(vm, (unsigned)i));
    c.h = fnv_mix(c.h, (uint32_t)bh_vm_hi(vm));
    c.h = fnv_mix(c.h, (uint32_t)bh_vm_lo(vm));
    c.h = fnv_mix(c.h, bh_vm_pc(vm));
    c.h = fnv_mix(c.h, bh_vm_icount(vm));
    c.h = fnv_mix(c.h, bh_vm_brk(vm));
    bh_mem_foreach_page(bh_vm_mem(vm), hash_page, &c);
    return c.h;
}

/* ------------------------------------------------------------- describe */

static void describe_pc(struct bh_buf *o, const struct bh_image *img, uint32_t pc,
                        const char *label)
{
    bh_buf_printf(o, "%s0x%08x", label, pc);
    if (!img) {
        bh_buf_printf(o, "\n");
        return;
    }
    const struct bh_symbol *sym = bh_image_symbol_before(img, pc);
    if (sym)
        bh_buf_printf(o, " (%s+%u)", bh_image_str(img, sym->name), pc - sym->value);
    const struct bh_line *l = bh_image_line_at(img, pc);
    if (l)
        bh_buf_printf(o, ", %s:%u", bh_image_str(img, l->file), l->line);
    else if (pc == img->seg[BH_SEG_TEXT].addr + img->seg[BH_SEG_TEXT].size)
        bh_buf_printf(o, ", the end of the program");
    bh_buf_printf(o, "\n");
}

int bh_snapshot_describe(const struct bh_snapshot *s, const struct bh_image *img, struct bh_buf *o,
                         char *err, size_t errlen)
{
    const struct bh_snapfile *f = &s->f;
    if (s->path)
        bh_buf_printf(o, "snapshot: %s\n", s->path);
    if (f->version == 0) {
        bh_buf_printf(o, "format version: 0 (the original tool's 132-byte file: no header, no "
                         "checksums, no program identity)\n");
        bh_buf_printf(o, "pc: instruction line %u of the program", f->v0_pc_index);
        uint32_t pc;
        if (img && bh_snapshot_v0_pc(img, f->v0_pc_index, &pc, NULL, 0) == 0) {
            describe_pc(o, img, pc, " -> ");
        } else {
            bh_buf_printf(o, "\n");
        }
        bh_buf_printf(o, "registers:");
        for (int i = 0; i < 32; i++)
            bh_buf_printf(o, "%s$r%d=%d", i % 8 ? " " : "\n  ", i, (int32_t)f->v0_regs[i]);
        bh_buf_printf(o, "\n");
        return o->oom ? bh_errf(err, errlen, "out of memory") : 0;
    }
    struct bh_image own;
    int have_own = 0;
    if (!img && f->sec[BH_SNAP_SEC_IMAGE].data && bh_snapshot_image(s, &own, NULL, 0) == 0) {
        img = &own;
        have_own = 1;
    }
    struct bh_snap_ident id;
    struct mem_view m;
    struct bh_console con;
    bh_console_init(&con);
    con.in = NULL; /* no host stream to position */
    con.in_fd = -1;
    struct bh_buf machine = {0};
    struct dev_src dsrc = dev_src_of(f->sec);
    if (bh_snap_get_ident(f->sec[BH_SNAP_SEC_IDENT].data, f->sec[BH_SNAP_SEC_IDENT].len, &id, err,
                          errlen) ||
        mem_parse(f->sec[BH_SNAP_SEC_MEM].data, f->sec[BH_SNAP_SEC_MEM].len, &m, 0, UINT64_MAX, err,
                  errlen) ||
        dev_check(&dsrc, &con, &machine, NULL, err, errlen)) {
        bh_console_free(&con);
        bh_buf_free(&machine);
        if (have_own)
            bh_image_free(&own);
        return -1;
    }
    const uint8_t *cpu = f->sec[BH_SNAP_SEC_CPU].data;
    bh_buf_printf(o, "format version: %u (written by %s)\n", f->version,
                  f->writer[0] ? f->writer : "?");
    bh_buf_printf(o,
                  "size: %llu bytes, %u sections; header and %u section checksums (CRC32C) "
                  "verified\n",
                  (unsigned long long)f->size, f->nsections, f->nsections);
    bh_buf_printf(o, "program: %s (image hash 0x%016llx)%s\n", id.program[0] ? id.program : "?",
                  (unsigned long long)id.image_hash,
                  f->sec[BH_SNAP_SEC_IMAGE].data ? ", embedded" : ", not embedded");
    if (img && bh_image_hash(img) != id.image_hash)
        bh_buf_printf(o,
                      "warning: the program given has image hash 0x%016llx: a restore "
                      "would be refused\n",
                      (unsigned long long)bh_image_hash(img));
    bh_buf_printf(o, "vm: %s, memory limit %llu MiB\n", id.name[0] ? id.name : "?",
                  (unsigned long long)(id.mem_limit >> 20));
    describe_pc(o, img, bh_get32(cpu + 136), "pc: ");
    bh_buf_printf(o, "instructions: %llu\n", (unsigned long long)bh_get64(cpu + 144));
    uint32_t nzero = 0;
    for (uint32_t i = 0; i < m.npages; i++)
        nzero += (bh_get32(m.table + 8 * i + 4) & PAGE_ZERO) != 0;
    bh_buf_printf(o,
                  "memory: %u pages touched (%u all-zero, not stored), %llu bytes of page "
                  "data, %llu stored%s; break 0x%08x\n",
                  m.npages, nzero, (unsigned long long)m.raw, (unsigned long long)m.stored,
                  m.enc == ENC_ZSTD ? " (zstd)" : "", m.brk);
    bh_buf_printf(o, "console: %llu bytes written, %llu bytes read, %u queued%s\n",
                  (unsigned long long)con.out_bytes, (unsigned long long)con.in_consumed,
                  con.inq_len, con.in_eof ? ", end of input" : "");
    bh_buf_append(o, machine.data, machine.len);
    bh_buf_printf(o, "sections:\n");
    for (uint32_t t = 1; t < BH_SNAP_SEC_MAX; t++)
        if (f->sec[t].data)
            bh_buf_printf(o, "  %-7s v%u %10llu bytes  crc32c 0x%08x ok\n",
                          bh_snapfile_sec_name(t), f->sec[t].version,
                          (unsigned long long)f->sec[t].len, f->sec[t].crc);
    bh_console_free(&con);
    bh_buf_free(&machine);
    if (have_own)
        bh_image_free(&own);
    return o->oom ? bh_errf(err, errlen, "out of memory") : 0;
}
