/* display.c: the bitmap display (display.h). */
#include "dev/display.h"

#include <string.h>

/* MARS's base address choices, but its fifth: 0xffff0000 (the memory
 * map) is this machine's device window, where the console's registers
 * are, not memory. */
static const uint32_t bases[] = {0x10000000u, 0x10008000u, 0x10010000u, 0x10040000u};

void bh_display_geom_default(struct bh_display_geom *g)
{
    *g = (struct bh_display_geom){BH_DISPLAY_BASE, BH_DISPLAY_WIDTH, BH_DISPLAY_HEIGHT,
                                  BH_DISPLAY_UNIT, BH_DISPLAY_UNIT};
}

int bh_display_check_base(uint32_t base, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (base == bases[i])
            return 0;
    if (base == 0xffff0000u)
        return bh_errf(err, errlen, "base 0xffff0000 (MARS's memory map) is the device window here, "
                                    "not memory: take 0x10000000, 0x10008000, 0x10010000 or "
                                    "0x10040000");
    return bh_errf(err, errlen, "base 0x%08x is not one of MARS's: 0x10000000 (global data), "
                                "0x10008000 ($gp), 0x10010000 (static data) or 0x10040000 (heap)",
                   base);
}

static int pow2_between(uint32_t n, uint32_t lo, uint32_t hi)
{
    return n >= lo && n <= hi && (n & (n - 1)) == 0;
}

int bh_display_check_unit(uint32_t n, char *err, size_t errlen)
{
    if (pow2_between(n, 1, 32))
        return 0;
    return bh_errf(err, errlen, "a unit of %u pixels is not one of MARS's: 1, 2, 4, 8, 16 or 32", n);
}

int bh_display_check_size(uint32_t n, char *err, size_t errlen)
{
    if (pow2_between(n, 64, 1024))
        return 0;
    return bh_errf(err, errlen,
                   "a display of %u pixels is not one of MARS's: 64, 128, 256, 512 or 1024", n);
}

int bh_display_geom_check(const struct bh_display_geom *g, char *err, size_t errlen)
{
    /* Every unit fits the smallest display: no cross-check is needed. */
    if (bh_display_check_base(g->base, err, errlen) ||
        bh_display_check_unit(g->unit_w, err, errlen) ||
        bh_display_check_unit(g->unit_h, err, errlen) ||
        bh_display_check_size(g->width, err, errlen) ||
        bh_display_check_size(g->height, err, errlen))
        return -1;
    return 0;
}

static void put_rgb(uint8_t *rgb, const uint8_t *word)
{
    /* the word is little-endian 0x00RRGGBB: bytes B, G, R, (ignored) */
    rgb[0] = word[2];
    rgb[1] = word[1];
    rgb[2] = word[0];
}

uint32_t bh_display_render_row(const struct bh_display *d, uint32_t row, uint8_t *rgb)
{
    uint32_t cols = bh_display_cols(&d->g);
    uint32_t addr = d->g.base + 4u * row * cols;
    uint8_t words[4 * 1024]; /* at most 1024 units across */
    uint32_t missing = 0;
    if (bh_dma_read(&d->dma, addr, words, 4 * cols) == 0) {
        for (uint32_t c = 0; c < cols; c++)
            put_rgb(rgb + 3 * c, words + 4 * c);
        return 0;
    }
    /* Part of the row is outside memory: word by word. */
    for (uint32_t c = 0; c < cols; c++) {
        uint8_t w[4];
        if (bh_dma_read(&d->dma, addr + 4 * c, w, 4) != 0) {
            memset(w, 0, sizeof w);
            missing++;
        }
        put_rgb(rgb + 3 * c, w);
    }
    return missing;
}

int bh_display_save(const struct bh_display *d, struct bh_buf *b)
{
    bh_buf_put32(b, d->g.base);
    bh_buf_put32(b, d->g.width);
    bh_buf_put32(b, d->g.height);
    bh_buf_put32(b, d->g.unit_w);
    bh_buf_put32(b, d->g.unit_h);
    return b->oom ? -1 : 0;
}

int bh_display_load(struct bh_display *d, struct bh_rd *r, uint32_t version, char *err,
                    size_t errlen)
{
    if (version != BH_DISPLAY_STATE_VERSION)
        return bh_errf(err, errlen, "display state version %u is not known to this myvmm (%u)",
                       version, BH_DISPLAY_STATE_VERSION);
    struct bh_display_geom g;
    g.base = bh_rd32(r);
    g.width = bh_rd32(r);
    g.height = bh_rd32(r);
    g.unit_w = bh_rd32(r);
    g.unit_h = bh_rd32(r);
    if (r->bad)
        return bh_errf(err, errlen, "display state: truncated");
    if (bh_display_geom_check(&g, err, errlen))
        return -1;
    if (d)
        d->g = g;
    return 0;
}
