/* signals.c: the host's signal handlers (signals.h): each one bumps its
 * counter or notes the stop, nothing else.  The counters are lock-free
 * atomics: safe in a handler, and read by every VM's thread. */
#include "host/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

static atomic_ulong counts[BH_SIGNAL_COUNT];

static const int signo[BH_SIGNAL_COUNT] = {SIGUSR1, SIGUSR2};

static void on_signal(int sig)
{
    for (int s = 0; s < BH_SIGNAL_COUNT; s++)
        if (signo[s] == sig)
            atomic_fetch_add_explicit(&counts[s], 1, memory_order_relaxed);
}

void bh_signals_catch(enum bh_signal s)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* a blocking console read goes on */
    sigaction(signo[s], &sa, NULL);
}

unsigned long bh_signals_count(enum bh_signal s)
{
    return atomic_load_explicit(&counts[s], memory_order_relaxed);
}

int bh_signals_take(enum bh_signal s, unsigned long *seen)
{
    unsigned long n = bh_signals_count(s);
    if (n == *seen)
        return 0;
    *seen = n;
    return 1;
}

static atomic_int stop_signo;
static int stop_pipe[2] = {-1, -1};
static const int stop_signals[] = {SIGTERM, SIGINT, SIGHUP};

static void on_stop(int sig)
{
    int none = 0, e = errno;
    atomic_compare_exchange_strong(&stop_signo, &none, sig);
    if (stop_pipe[1] >= 0) {
        ssize_t r = write(stop_pipe[1], "", 1); /* full: it is readable anyway */
        (void)r;
    }
    errno = e;
}

void bh_signals_catch_stop(void)
{
    if (stop_pipe[0] < 0 && pipe(stop_pipe) == 0)
        for (int k = 0; k < 2; k++) {
            fcntl(stop_pipe[k], F_SETFL, fcntl(stop_pipe[k], F_GETFL) | O_NONBLOCK);
            fcntl(stop_pipe[k], F_SETFD, FD_CLOEXEC);
        }
    for (size_t k = 0; k < sizeof stop_signals / sizeof stop_signals[0]; k++) {
        struct sigaction old, sa;
        if (sigaction(stop_signals[k], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop;
        sigemptyset(&sa.sa_mask);
        /* No SA_RESTART: a blocking poll or read returns EINTR to its loop. */
        sa.sa_flags = SA_RESETHAND;
        sigaction(stop_signals[k], &sa, NULL);
    }
}

int bh_signals_stopped(void)
{
    return atomic_load(&stop_signo);
}

int bh_signals_stop_fd(void)
{
    return stop_pipe[0];
}

const char *bh_signals_name(int signo)
{
    switch (signo) {
    case SIGTERM:
        return "SIGTERM";
    case SIGINT:
        return "SIGINT";
    case SIGHUP:
        return "SIGHUP";
    }
    return "a signal";
}
