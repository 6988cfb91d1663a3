/* symtab.c: the symbol table, a hash table with open addressing (linear
 * probing, FNV-1a), so a 100,000-label program costs no more per label
 * than a small one.  Symbols keep their order of first appearance, which
 * is the order the image's symbol section lists them in. */
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

struct asm_sym *asm_sym_find(const struct asm_symtab *t, const char *name)
{
    if (!t->nslots)
        return NULL;
    uint32_t mask = t->nslots - 1;
    for (uint32_t i = hash(name) & mask;; i = (i + 1) & mask) {
        uint32_t k = t->slots[i];
        if (!k)
            return NULL;
        if (strcmp(t->v[k - 1].name, name) == 0)
            return &t->v[k - 1];
    }
}

static int grow(struct asm_symtab *t)
{
    uint32_t ns = t->nslots ? t->nslots * 2 : 1024;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t k = 0; k < t->n; k++) {
        uint32_t i = hash(t->v[k].name) & (ns - 1);
        while (slots[i])
            i = (i + 1) & (ns - 1);
        slots[i] = k + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = ns;
    return 0;
}

struct asm_sym *asm_sym_get(struct asm_symtab *t, const char *name)
{
    struct asm_sym *s = asm_sym_find(t, name);
    if (s)
        return s;
    if ((t->n + 1) * 2 > t->nslots && grow(t))
        return NULL;
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 256;
        struct asm_sym *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return NULL;
        t->v = v;
        t->cap = cap;
    }
    s = &t->v[t->n];
    memset(s, 0, sizeof *s);
    s->name = name;
    uint32_t mask = t->nslots - 1;
    uint32_t i = hash(name) & mask;
    while (t->slots[i])
        i = (i + 1) & mask;
    t->slots[i] = ++t->n;
    return s;
}

void asm_symtab_free(struct asm_symtab *t)
{
    free(t->v);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
