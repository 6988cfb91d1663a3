/* image_query.c: questions tools ask of a loaded image: its identity hash,
 * the string at an offset, the source line and the label of an address.
 * Everything here trusts the image, since bh_image_read validated it. */
#include "image.h"

#include <string.h>

/* FNV-1a, 64-bit: simple, no tables, and good enough to tell two programs
 * apart (it is an identity check against mistakes, not against attacks). */
_Static_assert(BH_SYM_TEXT == (int)BH_SEG_TEXT && BH_SYM_DATA == (int)BH_SEG_DATA &&
                   BH_SYM_KTEXT == (int)BH_SEG_KTEXT && BH_SYM_KDATA == (int)BH_SEG_KDATA,
               "symbol kinds name segments in the same order");

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n--)
        h = (h ^ *b++) * FNV_PRIME;
    return h;
}

static uint64_t fnv32(uint64_t h, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return fnv(h, le, 4);
}

/* Only what the guest can observe goes in: symbols, lines and strings do
 * not, so disassembling and reassembling a program keeps its identity.
 * An empty segment adds nothing, whatever its (meaningless) address. */
uint64_t bh_image_hash(const struct bh_image *img)
{
    uint64_t h = FNV_OFFSET;
    h = fnv32(h, img->entry);
    h = fnv32(h, img->flags);
    for (uint32_t s = 0; s < BH_SEG_COUNT; s++) {
        const struct bh_segment *seg = &img->seg[s];
        if (!seg->size)
            continue;
        h = fnv32(h, s);
        h = fnv32(h, seg->addr);
        h = fnv32(h, seg->size);
        h = fnv(h, seg->bytes, seg->size);
    }
    return h;
}

const char *bh_image_str(const struct bh_image *img, uint32_t off)
{
    if (!img->strings || off >= img->strings_size)
        return "";
    return img->strings + off;
}

const struct bh_line *bh_image_line_at(const struct bh_image *img, uint32_t addr)
{
    /* Lines are sorted by address (the reader checks): binary search. */
    uint32_t lo = 0, hi = img->nlines;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (img->lines[mid].addr < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < img->nlines && img->lines[lo].addr == addr ? &img->lines[lo] : NULL;
}

/* The segment holding addr; its end address counts too, for labels that
 * close a segment. -1 when none. */
static int seg_of(const struct bh_image *img, uint32_t addr)
{
    for (int s = 0; s < BH_SEG_COUNT; s++)
        if (img->seg[s].size && addr - img->seg[s].addr <= img->seg[s].size)
            return s;
    return -1;
}

const struct bh_symbol *bh_image_symbol_before(const struct bh_image *img, uint32_t addr)
{
    int s = seg_of(img, addr);
    if (s < 0)
        return NULL;
    /* enum bh_sym_kind lists segments in enum bh_seg's order. */
    const struct bh_symbol *best = NULL;
    uint32_t base = img->seg[s].addr;
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const struct bh_symbol *sym = &img->symbols[i];
        if (sym->kind != (uint8_t)s || sym->value < base || sym->value > addr)
            continue;
        /* The nearest wins; at equal distance a global name beats a local one. */
        if (!best || sym->value > best->value ||
            (sym->value == best->value && (sym->flags & BH_SYM_GLOBAL) &&
             !(best->flags & BH_SYM_GLOBAL)))
            best = sym;
    }
    return best;
}

const struct bh_symbol *bh_image_symbol_named(const struct bh_image *img, const char *name)
{
    for (uint32_t i = 0; i < img->nsymbols; i++)
        if (strcmp(bh_image_str(img, img->symbols[i].name), name) == 0)
            return &img->symbols[i];
    return NULL;
}
