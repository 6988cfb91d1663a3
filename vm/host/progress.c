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

void bh_progress_bar_update(void *ctx, const struct bh_progress *p)
{
    struct bh_progress_bar *b = ctx;
    if (!tty)
        return;
    double t = now();
    if (!b->active) {
        if (p->finished || p->total < b->min_total)
            return; /* small jobs stay quiet */
        b->active = 1;
        b->t0 = t;
        b->drawn_at = 0;
    }
    /* at most 10 redraws a second, and always the last state */
    if (!p->finished && t - b->drawn_at < 0.1)
        return;
    b->drawn_at = t;
    double el = t - b->t0;
    uint64_t total = p->total > p->done ? p->total : p->done;
    double rate = el > 1e-3 ? (double)p->done / el : 0;
    char done[32], all[32], r[32], eta[32];
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
    char line[256];
    int n = snprintf(line, sizeof line, "\rmyvmm: %s: %s: %s / %s %3u%% %s/s %s\033[K%s", b->name,
                     b->what, done, all, (unsigned)(total ? p->done * 100 / total : 100), r, eta,
                     p->finished ? "\n" : "");
    if (n < 0)
        return;
    flockfile(stderr);
    if (!mid_line) {
        write_all(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        bar_shown = !p->finished;
    }
    funlockfile(stderr);
    if (p->finished)
        b->active = 0;
}
