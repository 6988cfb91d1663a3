/* signals.c: the host's signal handlers (signals.h): each one bumps its
 * counter, nothing else.  The counters are lock-free atomics: safe in a
 * handler, and read by every VM's thread. */
#include "host/signals.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>

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
