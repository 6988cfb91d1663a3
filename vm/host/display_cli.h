/* display_cli.h: showing a VM's bitmap display (dev/display.h) on the
 * host: --display png:FILE writes the picture as a PNG (libpng) when the
 * VM stops, after each SNAPSHOT and at SIGUSR1; --display term draws it
 * live on the terminal (term_view.h).  The display itself is the
 * machine's; this is only where its picture goes. */
#ifndef BH_DISPLAY_CLI_H
#define BH_DISPLAY_CLI_H

#include <stddef.h>

#include "dev/display.h"
#include "host/options.h"
#include "host/term_view.h"

struct bh_vm;

/* The --display options of the command line, in their order. */
#define BH_DISPLAY_CLI_MAX 16
struct bh_display_req {
    char name[24];   /* NAME= before it, or "" for every VM */
    const char *png; /* png:FILE, or NULL for term */
};
struct bh_display_cli {
    struct bh_display_req req[BH_DISPLAY_CLI_MAX];
    int n;
};
struct bh_option_set bh_display_cli_options(struct bh_display_cli *o);

/* One VM's outputs. */
struct bh_display_ctl {
    int on;             /* a --display names this VM */
    char png[512];      /* the PNG's path, or "" */
    int term;           /* --display term is this VM's */
    struct bh_term_view *view; /* while it runs (bh_display_ctl_start) */
};

/* The outputs the command line gives the VM called name, one of nvms:
 * png:FILE as given for one VM or when NAME= picks it, else with the VM's
 * name before the extension (life.png -> life.vm2.png); term for one VM,
 * or the one NAME= picks.  0, or -1 with a message (a NAME= no VM has is
 * the caller's to check: bh_display_cli_unknown). */
int bh_display_ctl_init(struct bh_display_ctl *c, const struct bh_display_cli *cli,
                        const char *name, int nvms, char *err, size_t errlen);
/* The first NAME= that names none of the names[n], or NULL. */
const char *bh_display_cli_unknown(const struct bh_display_cli *cli, const char *const *names,
                                   int n);
/* Start the terminal view (the VM has its display).  0, or -1. */
int bh_display_ctl_start(struct bh_display_ctl *c, char *err, size_t errlen);
/* Write the PNG (when there is one to write).  0, or -1 with a message. */
int bh_display_ctl_png(struct bh_display_ctl *c, struct bh_vm *vm, char *err, size_t errlen);
/* Between slices: the terminal's next frame, when one is due and the
 * framebuffer changed (never waits for the terminal). */
void bh_display_ctl_between(struct bh_display_ctl *c, struct bh_vm *vm);
/* The VM stopped: its last frame (none when vm is NULL), then the
 * terminal as it was. */
void bh_display_ctl_stop(struct bh_display_ctl *c, struct bh_vm *vm);

/* The display's picture as an 8-bit RGB PNG, one pixel per unit, written
 * crash-safely to path.  0, or -1 with "path: problem". */
int bh_display_write_png(const struct bh_display *d, const char *path, char *err, size_t errlen);

#endif
