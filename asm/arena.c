/* arena.c: the memory of one assembler run.  Statements, operands and
 * names live until the run ends, so one arena freed at once is simpler
 * and faster than tracking each allocation (100,000-line files). */
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

struct asm_arena_blk {
    struct asm_arena_blk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK (64u * 1024u)

void *asm_alloc(struct asm_arena *a, size_t n)
{
    n = (n + 15u) & ~(size_t)15u;
    struct asm_arena_blk *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *asm_strndup(struct asm_arena *a, const char *s, size_t n)
{
    char *d = asm_alloc(a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

void asm_arena_free(struct asm_arena *a)
{
    while (a->head) {
        struct asm_arena_blk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

struct asm_stmt *asm_stmts_push(struct asm_stmts *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        struct asm_stmt *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return NULL;
        s->v = v;
        s->cap = cap;
    }
    struct asm_stmt *st = &s->v[s->n++];
    memset(st, 0, sizeof *st);
    return st;
}
