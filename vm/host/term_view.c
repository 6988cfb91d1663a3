/* term_view.c: the bitmap display on a terminal (term_view.h). */
#include "host/term_view.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bh_util.h"

struct bh_term_view {
    FILE *out;
    int fd;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int busy;      /* a frame is waiting or being written (under mu) */
    int quit;      /* the writer ends (under mu) */
    int broken;    /* a write failed: the terminal is gone, draw no more */
    double last;   /* when the last frame was taken */
    uint8_t *rgb;  /* the frame: rows x cols units, 3 bytes each */
    uint32_t cols, rows;
    size_t cap;
    unsigned lines; /* lines the picture takes at the top (0: not set up yet) */
    unsigned term_rows;
    struct bh_buf text;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One cell's colour change: only what differs from the cell before. */
static void colour(struct bh_buf *o, int fg, const uint8_t *c, int *have, uint8_t *was)
{
    if (*have && memcmp(was, c, 3) == 0)
        return;
    bh_buf_printf(o, "\033[%d;2;%u;%u;%um", fg ? 38 : 48, c[0], c[1], c[2]);
    memcpy(was, c, 3);
    *have = 1;
}

/* The frame as text into t->text: the picture's lines at the top, the
 * cursor back where the console left it. */
static void format(struct bh_term_view *t)
{
    struct winsize ws;
    unsigned tc = 80, tr = 24;
    if (ioctl(t->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row)
        tc = ws.ws_col, tr = ws.ws_row;
    /* keep four lines for the console below the picture */
    unsigned avail = tr > 5 ? tr - 4 : 1;
    uint32_t k = (t->cols + tc - 1) / tc;
    uint32_t kh = (t->rows + 2 * avail - 1) / (2 * avail);
    if (kh > k)
        k = kh;
    if (!k)
        k = 1;
    uint32_t w = (t->cols + k - 1) / k, h = (t->rows + k - 1) / k;
    unsigned lines = (h + 1) / 2;
    struct bh_buf *o = &t->text;
    o->len = 0;
    if (lines != t->lines || tr != t->term_rows) {
        /* clear, the console's lines below the picture, the cursor there */
        bh_buf_printf(o, "\033[0m\033[H\033[2J\033[%u;%ur\033[%u;1H", lines + 1, tr, lines + 1);
        t->lines = lines;
        t->term_rows = tr;
    }
    bh_buf_printf(o, "\0337");
    static const uint8_t black[3] = {0, 0, 0};
    for (unsigned y = 0; y < lines; y++) {
        int hf = 0, hb = 0;
        uint8_t wf[3], wb[3];
        bh_buf_printf(o, "\033[%u;1H", y + 1);
        for (uint32_t x = 0; x < w; x++) {
            uint32_t col = x * k, top = 2 * y * k, bot = (2 * y + 1) * k;
            colour(o, 1, t->rgb + 3 * ((size_t)top * t->cols + col), &hf, wf);
            colour(o, 0, bot < t->rows ? t->rgb + 3 * ((size_t)bot * t->cols + col) : black, &hb,
                   wb);
            bh_buf_append(o, "\xe2\x96\x80", 3); /* U+2580 upper half block */
        }
        bh_buf_printf(o, "\033[0m");
    }
    bh_buf_printf(o, "\0338");
}

/* Write the text whole, holding the console stream's lock. */
static void put(struct bh_term_view *t)
{
    if (t->broken || t->text.oom)
        return;
    flockfile(t->out);
    fflush(t->out);
    size_t off = 0;
    while (off < t->text.len) {
        ssize_t n = write(t->fd, t->text.data + off, t->text.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            t->broken = 1;
            break;
        }
        off += (size_t)n;
    }
    funlockfile(t->out);
}

static void *writer(void *arg)
{
    struct bh_term_view *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (!t->busy && !t->quit)
            pthread_cond_wait(&t->cv, &t->mu);
        if (!t->busy)
            break;
        pthread_mutex_unlock(&t->mu);
        format(t);
        put(t);
        pthread_mutex_lock(&t->mu);
        t->busy = 0;
        pthread_cond_broadcast(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

struct bh_term_view *bh_term_view_new(FILE *out, char *err, size_t errlen)
{
    int fd = fileno(out);
    if (fd < 0 || !isatty(fd)) {
        bh_errf(err, errlen, "--display term draws on a terminal, and the console output (stdout) "
                             "is not one" BH_HELP "run it in a terminal, or write a PNG with "
                             "--display png:FILE");
        return NULL;
    }
    struct bh_term_view *t = calloc(1, sizeof *t);
    if (!t) {
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    t->out = out;
    t->fd = fd;
    t->last = -1.0;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    int rc = pthread_create(&t->th, NULL, writer, t);
    if (rc) {
        bh_errf(err, errlen, "--display term: cannot start its thread: %s", strerror(rc));
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        free(t);
        return NULL;
    }
    return t;
}

int bh_term_view_ready(struct bh_term_view *t)
{
    pthread_mutex_lock(&t->mu);
    int r = !t->busy && !t->broken && now() - t->last >= 1.0 / BH_TERM_VIEW_FPS;
    pthread_mutex_unlock(&t->mu);
    return r;
}

/* The writer is idle: the frame is the VM thread's to fill. */
static int copy(struct bh_term_view *t, const struct bh_display *d)
{
    uint32_t cols = bh_display_cols(&d->g), rows = bh_display_rows(&d->g);
    size_t need = (size_t)cols * rows * 3;
    if (need > t->cap) {
        uint8_t *p = realloc(t->rgb, need);
        if (!p)
            return -1;
        t->rgb = p;
        t->cap = need;
    }
    t->cols = cols;
    t->rows = rows;
    for (uint32_t r = 0; r < rows; r++)
        bh_display_render_row(d, r, t->rgb + (size_t)r * cols * 3);
    return 0;
}

void bh_term_view_offer(struct bh_term_view *t, const struct bh_display *d)
{
    if (copy(t, d) != 0)
        return;
    pthread_mutex_lock(&t->mu);
    t->busy = 1;
    t->last = now();
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

void bh_term_view_free(struct bh_term_view *t, const struct bh_display *d)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    t->quit = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->th, NULL);
    if (d && copy(t, d) == 0)
        format(t);
    else
        t->text.len = 0;
    /* the whole screen scrolls again; the cursor stays with the console */
    if (t->lines)
        bh_buf_printf(&t->text, "\0337\033[r\0338");
    put(t);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    bh_buf_free(&t->text);
    free(t->rgb);
    free(t);
}
