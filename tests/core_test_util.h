/* core_test_util.h -- what the core's unit suites (check_cpu, check_pairs,
 * check_fpu) share: an instruction word from its fields, and a segment of
 * an in-memory image made from an array of words.  Header-only. */
#ifndef BH_CORE_TEST_UTIL_H
#define BH_CORE_TEST_UTIL_H

#include <stdlib.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"

/* The word for op with these fields (isa_encode). */
static inline uint32_t E(enum isa_op op, unsigned rs, unsigned rt, unsigned rd, unsigned sa,
                         uint32_t imm)
{
    struct isa_fields f = {rs, rt, rd, sa, imm};
    return isa_encode(op, &f);
}

/* Segment s holds w[0..n) at addr; *buf (freed first) owns the bytes. */
static inline void put_words(struct bh_segment *s, uint8_t **buf, uint32_t addr, const uint32_t *w,
                             size_t n)
{
    free(*buf);
    *buf = malloc(n * 4 + 1);
    for (size_t i = 0; i < n; i++)
        bh_put32(*buf + 4 * i, w[i]);
    s->addr = addr;
    s->size = (uint32_t)(n * 4);
    s->bytes = *buf;
}

#endif
