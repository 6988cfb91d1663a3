/* display_cli.c: --display, and where each VM's picture goes
 * (display_cli.h): PNG files through libpng, the terminal through
 * term_view.c. */
#include "host/display_cli.h"

#include <ctype.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"

enum { DISPLAY_OPT };

static const struct bh_option rows[] = {
    {"display", 0, BH_OPT_VALUE, DISPLAY_OPT,
     "  --display [NAME=]png:FILE|term\n"
     "                         the VM's bitmap display (MARS's Bitmap Display; geometry:\n"
     "                         the vm_display_* keys, default 512x256 of 1x1 units at\n"
     "                         0x10010000): png: a PNG of it, one pixel per unit, when the\n"
     "                         VM stops, at each SNAPSHOT and at SIGUSR1 (several VMs:\n"
     "                         FILE with the VM's name, life.vm2.png); term: live on this\n"
     "                         terminal, at most 30 frames a second\n"},
};

/* "NAME=" at the start of v (a VM's name: letters, digits, _ . -). */
static size_t name_prefix(const char *v)
{
    size_t n = 0;
    while (isalnum((unsigned char)v[n]) || (v[n] && strchr("_.-", v[n])))
        n++;
    return n > 0 && v[n] == '=' ? n : 0;
}

static int apply(void *ctx, int id, const char *v, char *err, size_t errlen)
{
    struct bh_display_cli *o = ctx;
    (void)id;
    if (!v)
        return bh_errf(err, errlen, "--display needs png:FILE or term");
    if (o->n == BH_DISPLAY_CLI_MAX)
        return bh_errf(err, errlen, "--display is given more than %d times", BH_DISPLAY_CLI_MAX);
    struct bh_display_req *r = &o->req[o->n];
    memset(r, 0, sizeof *r);
    size_t n = name_prefix(v);
    if (n >= sizeof r->name)
        return bh_errf(err, errlen, "--display %s: no VM has a name that long", v);
    memcpy(r->name, v, n);
    const char *what = n ? v + n + 1 : v;
    if (strncmp(what, "png:", 4) == 0 && what[4])
        r->png = what + 4;
    else if (strcmp(what, "term") != 0)
        return bh_errf(err, errlen, "--display takes png:FILE or term (NAME= before it picks a "
                                    "VM), not '%s'", v);
    o->n++;
    return 0;
}

struct bh_option_set bh_display_cli_options(struct bh_display_cli *o)
{
    return (struct bh_option_set){rows, sizeof rows / sizeof rows[0], apply, o};
}

const char *bh_display_cli_unknown(const struct bh_display_cli *cli, const char *const *names,
                                   int n)
{
    for (int i = 0; i < cli->n; i++) {
        int found = !cli->req[i].name[0];
        for (int k = 0; k < n && !found; k++)
            found = strcmp(cli->req[i].name, names[k]) == 0;
        if (!found)
            return cli->req[i].name;
    }
    return NULL;
}

/* path with ".NAME" before its extension (after its last '/'). */
static void insert_name(char *out, size_t cap, const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot || dot == (slash ? slash + 1 : path))
        snprintf(out, cap, "%s.%s", path, name);
    else
        snprintf(out, cap, "%.*s.%s%s", (int)(dot - path), path, name, dot);
}

int bh_display_ctl_init(struct bh_display_ctl *c, const struct bh_display_cli *cli,
                        const char *name, int nvms, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < cli->n; i++) {
        const struct bh_display_req *r = &cli->req[i];
        int named = r->name[0] != 0;
        if (named && strcmp(r->name, name) != 0)
            continue;
        if (!r->png && !named && nvms > 1)
            return bh_errf(err, errlen, "--display term shows one VM, and %d run" BH_HELP
                                        "say which: --display %s=term", nvms, name);
        /* a NAME= request wins over one for every VM */
        if (r->png && (named || nvms == 1))
            snprintf(c->png, sizeof c->png, "%s", r->png);
        else if (r->png && !c->png[0])
            insert_name(c->png, sizeof c->png, r->png, name);
        if (!r->png)
            c->term = 1;
        c->on = 1;
    }
    return 0;
}

int bh_display_ctl_start(struct bh_display_ctl *c, char *err, size_t errlen)
{
    if (!c->term)
        return 0;
    c->view = bh_term_view_new(stdout, err, errlen);
    return c->view ? 0 : -1;
}

int bh_display_ctl_png(struct bh_display_ctl *c, struct bh_vm *vm, char *err, size_t errlen)
{
    const struct bh_display *d = bh_vm_display(vm);
    if (!c->png[0] || !d)
        return 0;
    return bh_display_write_png(d, c->png, err, errlen);
}

void bh_display_ctl_between(struct bh_display_ctl *c, struct bh_vm *vm)
{
    /* ready first: a change seen must not be dropped by a busy writer */
    if (c->view && bh_term_view_ready(c->view) && bh_vm_display_changed(vm))
        bh_term_view_offer(c->view, bh_vm_display(vm));
}

void bh_display_ctl_stop(struct bh_display_ctl *c, struct bh_vm *vm)
{
    bh_term_view_free(c->view, vm ? bh_vm_display(vm) : NULL);
    c->view = NULL;
}

/* ---- PNG (libpng) ---- */

static void png_to_buf(png_structp png, png_bytep data, png_size_t n)
{
    bh_buf_append(png_get_io_ptr(png), data, n);
}

static void png_no_flush(png_structp png)
{
    (void)png;
}

/* libpng's errors: the message into the context, then back to setjmp. */
struct png_err {
    char msg[200];
};
static void png_fail(png_structp png, png_const_charp msg)
{
    struct png_err *e = png_get_error_ptr(png);
    snprintf(e->msg, sizeof e->msg, "%s", msg);
    png_longjmp(png, 1);
}
static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Encode into b; the picture's rows are rendered one at a time. */
static int encode(const struct bh_display *d, struct bh_buf *b, uint8_t *row, struct png_err *e)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, e, png_fail, png_warn);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        snprintf(e->msg, sizeof e->msg, "out of memory");
        return -1;
    }
    uint32_t cols = bh_display_cols(&d->g), rows = bh_display_rows(&d->g);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, b, png_to_buf, png_no_flush);
    png_set_IHDR(png, info, cols, rows, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t r = 0; r < rows; r++) {
        bh_display_render_row(d, r, row);
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int bh_display_write_png(const struct bh_display *d, const char *path, char *err, size_t errlen)
{
    struct bh_buf b = {0};
    struct png_err e = {""};
    uint8_t *row = malloc(3 * (size_t)bh_display_cols(&d->g));
    int rc = row ? encode(d, &b, row, &e) : (snprintf(e.msg, sizeof e.msg, "out of memory"), -1);
    free(row);
    if (rc == 0 && b.oom) {
        snprintf(e.msg, sizeof e.msg, "out of memory");
        rc = -1;
    }
    char msg[512];
    if (rc == 0 && bh_write_file_atomic(path, b.data, b.len, msg, sizeof msg) != 0) {
        bh_buf_free(&b);
        return bh_errf(err, errlen, "--display png: %s", msg);
    }
    bh_buf_free(&b);
    if (rc)
        return bh_errf(err, errlen, "--display png: %s: %s", path, e.msg);
    return 0;
}
