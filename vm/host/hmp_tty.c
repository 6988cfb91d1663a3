/* hmp_tty.c: the interactive monitor on the terminal (hmp_tty.h), with
 * libedit's readline interface.  Its thread reads the terminal through
 * a reader that also polls a pipe saying "every VM ended", so it can stop
 * while a line is half typed and still give the terminal back as it found
 * it. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "host/hmp_tty.h"

struct bh_hmp_tty {
    struct bh_hmp h;
    pthread_t thread;
    int stop[2]; /* bh_hmp_tty_finish writes a byte */
    int stopped; /* the stop pipe was readable */
    FILE *term;  /* libedit's output: fd 2 itself (stderr may be progress.c's stream) */
};

/* libedit's callbacks carry no context: one monitor per process. */
static struct bh_hmp_tty *the_tty;

static char *complete_one(const char *text, int state)
{
    static size_t k;
    if (!state) k = 0;
    const char *m = bh_hmp_complete(&the_tty->h, text, strlen(text), k++);
    return m ? strdup(m) : NULL;
}

static void say(struct bh_buf *out)
{
    fwrite(out->data, 1, out->len, stderr);
    fflush(stderr);
    out->len = 0;
}

static int all_ended(struct bh_ctl *c)
{
    for (size_t i = 0; i < c->n; i++)
        if (bh_ctl_state(c, i) != BH_CTL_ENDED) return 0;
    return 1;
}

/* libedit's reader: a character from stdin, or EOF when told to stop
 * (the prompt is left as it is, the terminal restored by readline). */
static int get_char(FILE *f)
{
    (void)f;
    for (;;) {
        struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0}, {the_tty->stop[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return EOF;
        }
        if (p[1].revents) {
            the_tty->stopped = 1;
            return EOF;
        }
        unsigned char c;
        ssize_t r = read(STDIN_FILENO, &c, 1);
        if (r == 1) return c;
        if (r == 0 || errno != EINTR) return EOF;
    }
}

static void *run(void *arg)
{
    struct bh_hmp_tty *t = arg;
    struct bh_hmp *h = &t->h;
    struct bh_buf out = {0};
    bh_ctl_wait(h->ctl, h->cur, -1);
    bh_hmp_stopped(h, h->cur, &out);
    say(&out);
    for (;;) {
        char *line = readline("(myvmm) ");
        if (t->stopped) {
            free(line);
            break;
        }
        if (!line) { /* end of input: as quit */
            fputc('\n', stderr);
            bh_hmp_exec(h, "quit", &out);
            break;
        }
        if (line[strspn(line, " \t")]) add_history(line);
        bh_hmp_exec(h, line, &out);
        free(line);
        say(&out);
        if (h->quit) break;
        if (h->resumed) { /* the guest has the terminal until it stops */
            bh_ctl_wait(h->ctl, h->cur, -1);
            bh_hmp_stopped(h, h->cur, &out);
            say(&out);
        }
        if (all_ended(h->ctl)) break;
    }
    bh_buf_free(&out);
    return NULL;
}

struct bh_hmp_tty *bh_hmp_tty_start(struct bh_ctl *ctl, const struct bh_hmp_ops *ops, char *err,
                                    size_t errlen)
{
    /* The guest's console reads ahead what stdin holds: a script piped in
     * would feed the guest; a terminal gives a line when it is typed. */
    if (!isatty(STDIN_FILENO)) {
        bh_errf(err, errlen, "--monitor stdio needs a terminal on stdin (the monitor and the "
                             "guest share it)" BH_HELP "from a script, drive myvmm through --qmp "
                             "and human-monitor-command (docs/qmp.md)");
        return NULL;
    }
    struct bh_hmp_tty *t = calloc(1, sizeof *t);
    if (!t) {
        bh_errf(err, errlen, "--monitor: out of memory");
        return NULL;
    }
    bh_hmp_init(&t->h, ctl, ops);
    if (pipe(t->stop) != 0) {
        bh_errf(err, errlen, "--monitor: %s", strerror(errno));
        free(t);
        return NULL;
    }
    int fd = dup(STDERR_FILENO);
    if (fd < 0 || !(t->term = fdopen(fd, "w"))) {
        bh_errf(err, errlen, "--monitor: %s", strerror(errno));
        if (fd >= 0) close(fd);
        close(t->stop[0]);
        close(t->stop[1]);
        free(t);
        return NULL;
    }
    the_tty = t;
    rl_readline_name = "myvmm";
    rl_instream = stdin;
    rl_outstream = t->term;
    rl_completion_entry_function = complete_one;
    rl_getc_function = get_char;
    int rc = pthread_create(&t->thread, NULL, run, t);
    if (rc != 0) {
        bh_errf(err, errlen, "--monitor: cannot start its thread: %s", strerror(rc));
        close(t->stop[0]);
        close(t->stop[1]);
        fclose(t->term);
        free(t);
        the_tty = NULL;
        return NULL;
    }
    return t;
}

void bh_hmp_tty_finish(struct bh_hmp_tty *t)
{
    if (!t) return;
    char b = 1;
    ssize_t r = write(t->stop[1], &b, 1);
    (void)r;
    pthread_join(t->thread, NULL);
    close(t->stop[0]);
    close(t->stop[1]);
    fclose(t->term);
    the_tty = NULL;
    free(t);
}
