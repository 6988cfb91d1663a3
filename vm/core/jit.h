/* jit.h: the translation tier (docs/jit.md): hot blocks of the
 * SPIM-style machine's text translated to x86-64 code, run by the core
 * (cpu.c) at a taken branch's target once it has arrived there
 * `threshold` times.  The pre-decoded interpreter stays the reference and
 * runs everything the translator declines.
 *
 * Contract with cpu.c: bh_jit_arrive is called at a taken branch's target
 * (cs->cpu.pc, cs->icount exact) with cs->jit_check_at the icount at which
 * the core must look at events (budget, timer, interrupts), greater than
 * cs->icount.  Translated code runs until it needs the interpreter and
 * leaves cs->cpu.pc, cs->icount and every register exact, as the
 * interpreter would have them at that pc.  It checks jit_check_at at each
 * taken branch, where the interpreter checks its own. */
#ifndef BH_JIT_H
#define BH_JIT_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h" /* struct bh_jit_stats */

struct bh_core;
struct bh_jit;

/* Turn the tier on for core cs (threshold arrivals >= 1, a code cache of
 * cache_bytes): 0, or -1 with a message in err. */
int bh_jit_new(struct bh_core *cs, unsigned threshold, size_t cache_bytes, char *err,
               size_t errlen);
void bh_jit_free(struct bh_jit *j);
/* Drop every translation (a store into text, a restore, a breakpoint set). */
void bh_jit_flush(struct bh_jit *j);
/* bh_jit_arrive, the run loop's call, is declared in cpu_priv.h (cpu.c
 * includes no jit.h: jit.c includes cpu.h). */
void bh_jit_stats(const struct bh_jit *j, struct bh_jit_stats *st);

#endif
