/* progress.c: the progress bar (progress.h).  The lock of the stderr
 * stream guards the terminal's line: stdio holds it through each write
 * (our cookie_write runs under it) and a bar redraw takes it too, so the
 * two never interleave; a write erases the bar first (the next update
 * draws it again below the message). */
#define _GNU_SOURCE /* fopencookie */
#include "host/progress.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int tty;           /* bh_progress_tty_init found a terminal */
static int bar_shown;     /* a bar is on the last line (no newline after it) */
static int mid_line = 0;  /* the last message did not end its line: no bar now */

static void write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(2, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
    (void)c; /* called with stderr locked */
    if (bar_shown) {
        write_all("\r\033[K", 4);
        bar_shown = 0;
    }
    write_all(buf, n);
    if (n)
        mid_line = buf[n - 1] != '\n';
    return (ssize_t)n;
}

int bh_progress_tty_init(void)
{
    if (!isatty(2))
        return 0;
    FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){.write = cookie_write});
    if (!f)
        return 0;
    setvbuf(f, NULL, _IONBF, 0);
    fflush(stderr);
    stderr = f;
    tty = 1;
    return 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1536 -> "1.5 KiB" */
static void human(char *out, size_t n, double v)
{
    static const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(out, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

/* Columns of the terminal (80 when it does not say). */
static int columns(void)
{
    struct winsize ws;
    return ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
}

/* Draw (or, on a failure, erase) the bar; stderr is locked. */
static void draw(struct bh_progress_bar *b, const struct bh_progress *p, double t)
{
    if (p->finished < 0) { /* the error message comes next, on a clean line */
        if (bar_shown)
            write_all("\r\033[K", 4);
        bar_shown = 0;
        return;
    }
    double el = t - b->t0;
    uint64_t total = p->total > p->done ? p->total : p->done;
    double rate = el > 1e-3 ? (double)p->done / el : 0;
    char done[32], all[32], r[32], eta[32], text[200];
    human(done, sizeof done, (double)p->done);
    human(all, sizeof all, (double)total);
    human(r, sizeof r, rate);
    if (rate <= 0)
        snprintf(r, sizeof r, "--");
    if (p->finished)
        snprintf(eta, sizeof eta, "in %.1f s", el);
    else if (rate > 0) {
        unsigned s = (unsigned)((double)(total - p->done) / rate + 0.5);
        snprintf(eta, sizeof eta, "ETA %u:%02u", s / 60, s % 60);
    } else
        snprintf(eta, sizeof eta, "ETA --:--");
    int n = snprintf(text, sizeof text, "myvmm: %s: %s: %s / %s %3u%% %s/s %s", b->name, b->what,
                     done, all, (unsigned)(total ? p->done * 100 / total : 100), r, eta);
    if (n < 0)
        return;
    /* one row: a wrapped line could not be redrawn with \r */
    size_t len = (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    size_t cols = (size_t)columns();
    if (len > cols - 1)
        len = cols - 1;
    write_all("\r", 1);
    write_all(text, len);
    write_all(p->finished ? "\033[K\n" : "\033[K", p->finished ? 4 : 3);
    bar_shown = !p->finished;
}

void bh_progress_bar_update(void *ctx, const struct bh_progress *p)
{
    struct bh_progress_bar *b = ctx;
    if (!tty)
        return;
    double t = now();
    flockfile(stderr); /* the line, and this bar's own state */
    if (!b->active && !p->finished && p->total >= b->min_total) { /* small jobs stay quiet */
        b->active = 1;
        b->t0 = t;
        b->drawn_at = 0;
    }
    /* at most 10 redraws a second, and always the end */
    if (b->active && !mid_line && (p->finished || t - b->drawn_at >= 0.1)) {
        b->drawn_at = t;
        draw(b, p, t);
    }
    if (p->finished)
        b->active = 0;
    funlockfile(stderr);
}
