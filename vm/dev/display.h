/* display.h: the bitmap display, as MARS's Bitmap Display tool
 * (mars/tools/BitmapDisplay.java): a framebuffer in guest memory, one
 * 32-bit word per unit, 0x00RRGGBB (the top byte is ignored), in
 * row-major order from the top left corner.
 *
 * The geometry is MARS's: a display of width x height screen pixels cut
 * into units of unit_w x unit_h pixels, so cols = width / unit_w and
 * rows = height / unit_h; the word for the unit at (row, col) is at
 * base + 4 * (row * cols + col).  The choices are MARS's combo boxes:
 * units of 1, 2, 4, 8, 16 or 32 pixels a side, a display of 64, 128,
 * 256, 512 or 1024 pixels a side, a base among MARS's data addresses
 * (0x10000000, 0x10008000, 0x10010000, 0x10040000).  MARS's defaults: a
 * 512 x 256 display of 1 x 1 units at 0x10010000.
 *
 * The display has no registers: the guest draws with ordinary stores,
 * which cost what any store costs.  The display reads the framebuffer
 * through the DMA interface (dev.h) only when it is asked for a picture
 * (render), and hands back RGB rows, one pixel per unit; showing them (a
 * PNG file, a terminal) is the host's.
 *
 * SERIALIZED STATE (bh_display_save / bh_display_load): the geometry.
 * The picture itself is guest memory, which the MEM section carries.
 * NOT serialized: the DMA wiring (the machine's). */
#ifndef BH_DISPLAY_H
#define BH_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"
#include "dev/dev.h"

/* MARS's defaults */
#define BH_DISPLAY_BASE   0x10010000u /* static data */
#define BH_DISPLAY_WIDTH  512u
#define BH_DISPLAY_HEIGHT 256u
#define BH_DISPLAY_UNIT   1u

struct bh_display_geom {
    uint32_t base;
    uint32_t width, height;   /* display size in screen pixels */
    uint32_t unit_w, unit_h;  /* one unit (one word) in screen pixels */
};

struct bh_display {
    struct bh_display_geom g;
    struct bh_dma dma; /* guest memory, wired by the machine */
};

/* MARS's defaults. */
void bh_display_geom_default(struct bh_display_geom *g);
/* Each value on its own, for a config key's message: 0, or -1 with a
 * message saying what the choices are.  bh_display_geom_check checks all. */
int bh_display_check_base(uint32_t base, char *err, size_t errlen);
int bh_display_check_unit(uint32_t n, char *err, size_t errlen);
int bh_display_check_size(uint32_t n, char *err, size_t errlen);
int bh_display_geom_check(const struct bh_display_geom *g, char *err, size_t errlen);

/* Units across and down: the picture's width and height. */
static inline uint32_t bh_display_cols(const struct bh_display_geom *g)
{
    return g->width / g->unit_w;
}
static inline uint32_t bh_display_rows(const struct bh_display_geom *g)
{
    return g->height / g->unit_h;
}
/* Bytes of guest memory the framebuffer spans. */
static inline uint32_t bh_display_bytes(const struct bh_display_geom *g)
{
    return 4u * bh_display_cols(g) * bh_display_rows(g);
}

/* Unit row `row` as RGB, 3 bytes a unit (cols * 3 bytes into rgb).  A
 * word the DMA interface cannot read (outside the VM's memory) is black,
 * as MARS shows a unit never written.  Returns how many such words. */
uint32_t bh_display_render_row(const struct bh_display *d, uint32_t row, uint8_t *rgb);

/* Serialization: the geometry, five words.  load validates it before it
 * changes d. */
#define BH_DISPLAY_STATE_VERSION 1u
#define BH_DISPLAY_STATE_SIZE 20u
int bh_display_save(const struct bh_display *d, struct bh_buf *b);
int bh_display_load(struct bh_display *d, struct bh_rd *r, uint32_t version, char *err,
                    size_t errlen);

#endif
