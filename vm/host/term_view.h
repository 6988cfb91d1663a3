/* term_view.h: a bitmap display drawn live on a terminal with 24-bit
 * colour half-block characters: each character cell shows two units,
 * the upper one in the foreground colour of U+2580 (upper half block),
 * the lower one in the background colour.  A display wider or taller
 * than the terminal is shown every k-th unit (the smallest k that fits),
 * at the top of the screen; the terminal's scrolling region is set to
 * the lines below it, so the guest's console output scrolls there.
 *
 * The VM's thread copies the picture into the view (a read of the
 * framebuffer) and a thread of the view's own formats it and writes it,
 * holding the lock of the stream the guest's console writes to, so a
 * frame and a console line never mix.  The VM's thread never waits for
 * the terminal: a frame offered while the last one is still being
 * written is not taken. */
#ifndef BH_TERM_VIEW_H
#define BH_TERM_VIEW_H

#include <stddef.h>
#include <stdio.h>

#include "dev/display.h"

/* At most this many frames a second (host time). */
#define BH_TERM_VIEW_FPS 30

struct bh_term_view;

/* A view drawing on the terminal of stream out (its lock is taken while
 * a frame is written).  NULL with a message when out is no terminal. */
struct bh_term_view *bh_term_view_new(FILE *out, char *err, size_t errlen);
/* Is a frame due (1/BH_TERM_VIEW_FPS s since the last one taken) and the
 * writer idle? */
int bh_term_view_ready(struct bh_term_view *t);
/* Copy d's picture into the view and wake its writer (call when ready). */
void bh_term_view_offer(struct bh_term_view *t, const struct bh_display *d);
/* Wait for the writer, draw d's picture a last time (d may be NULL: no
 * frame), give the terminal back its whole screen, and free the view. */
void bh_term_view_free(struct bh_term_view *t, const struct bh_display *d);

#endif
