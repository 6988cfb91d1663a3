/* front.c: the MARS conveniences that act before layout: .include (splice
 * another file's statements), .eqv (a name that stands for an operand) and
 * .macro/.end_macro (a named list of statements with %parameters).  They
 * work on parsed statements rather than text, so every statement keeps the
 * file and line it was written at, and diagnostics name the included file
 * or the macro body line. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asm_int.h"

#define MAX_DEPTH 32

struct macro {
    const char *name;
    int nparams;
    const char **params;
    struct asm_stmt *body;
    size_t nbody;
    struct macro *next;
};

/* One macro expansion or included file in progress, for the chain the
 * budget's error names; they live on the stack of the recursion. */
struct frame {
    const char *what;         /* the macro's name or the included path */
    int is_include;
    const struct asm_stmt *at; /* the call or the .include */
    const struct frame *up;
};

struct front {
    struct asm_ctx *c;
    const struct frame *top;
    struct asm_symtab eqv;     /* value = index into vals */
    struct asm_opnd *vals;
    uint32_t nvals, vcap;
    struct macro *macros;
};

/* Replace a name in an operand by what it stands for (an .eqv value or a
 * macro argument).  "NAME+4" keeps its offset; a register can only stand
 * alone or as a base. */
typedef const struct asm_opnd *(*lookup_fn)(void *ctx, const char *name);

static void subst_expr(struct asm_ctx *c, const struct asm_stmt *s, struct asm_expr *e, int col,
                       lookup_fn look, void *ctx, struct asm_opnd *whole)
{
    if (!e->sym)
        return;
    const struct asm_opnd *v = look(ctx, e->sym);
    if (!v)
        return;
    if (v->kind == OPND_EXPR) {
        e->sym = v->e.sym;
        e->val += v->e.val;
    } else if (whole && (v->kind == OPND_REG || v->kind == OPND_FREG || v->kind == OPND_STR ||
                         v->kind == OPND_MEM || v->kind == OPND_FLOAT) &&
               e->val == 0 && !whole->has_count) {
        int keep_col = whole->col;
        *whole = *v;
        whole->col = keep_col;
    } else {
        asm_error(c, s->file, s->line, col, "'%s' stands for an operand that cannot be used here",
                  e->sym);
    }
}

static void subst_opnd(struct asm_ctx *c, const struct asm_stmt *s, struct asm_opnd *o,
                       lookup_fn look, void *ctx)
{
    if (o->kind == OPND_EXPR) {
        if (o->has_count)
            subst_expr(c, s, &o->count, o->col, look, ctx, NULL);
        subst_expr(c, s, &o->e, o->col, look, ctx, o);
    } else if (o->kind == OPND_MEM) {
        subst_expr(c, s, &o->e, o->col, look, ctx, NULL);
        if (o->base_name) {
            const struct asm_opnd *v = look(ctx, o->base_name);
            if (v && v->kind == OPND_REG) {
                o->reg = v->reg;
                o->base_name = NULL;
            }
        }
    } else if (o->kind == OPND_FLOAT && o->has_count) {
        subst_expr(c, s, &o->count, o->col, look, ctx, NULL);
    }
}

static const struct asm_opnd *eqv_look(void *ctx, const char *name)
{
    struct front *f = ctx;
    const struct asm_sym *s = asm_sym_find(&f->eqv, name);
    return s ? &f->vals[s->value] : NULL;
}

/* Copy a statement's operands so substitution does not change the original
 * (a macro body is expanded many times). */
static int copy_ops(struct asm_ctx *c, struct asm_stmt *d, const struct asm_stmt *s)
{
    *d = *s;
    if (!s->nops)
        return 0;
    d->ops = asm_alloc(&c->arena, (size_t)s->nops * sizeof *d->ops);
    if (!d->ops)
        return -1;
    memcpy(d->ops, s->ops, (size_t)s->nops * sizeof *d->ops);
    return 0;
}

static int process(struct front *f, const struct asm_stmt *v, size_t n, int depth);

/* A limit of the budget was hit at statement s: one error at the outermost
 * use that led there, and a note with the chain from s outwards.  Links of
 * the same macro or file in a row are counted, not repeated: a recursive
 * macro makes 32.  Expansion stops (budget.spent), so no error follows
 * from the cut: a macro calling itself twice would otherwise report each
 * of its 2^32 leaves. */
static void over_budget(struct front *f, const struct asm_stmt *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void over_budget(struct front *f, const struct asm_stmt *s, const char *fmt, ...)
{
    struct asm_ctx *c = f->c;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->budget.spent = 1;
    const struct asm_stmt *outer = s;
    for (const struct frame *fr = f->top; fr; fr = fr->up)
        outer = fr->at;
    asm_error(c, outer->file, outer->line, outer->col, "%s", msg);
    if (!f->top)
        return;
    char chain[400];
    size_t len = 0;
    for (const struct frame *fr = f->top; fr && len < sizeof chain;) {
        int levels = 1;
        while (fr->up && fr->up->is_include == fr->is_include &&
               strcmp(fr->up->what, fr->what) == 0) {
            levels++;
            fr = fr->up;
        }
        char deep[32] = "";
        if (levels > 1)
            snprintf(deep, sizeof deep, " (%d levels deep)", levels);
        const char *fmt = fr->is_include ? "%s\"%s\"%s included at %s:%d"
                                         : "%smacro '%s'%s called at %s:%d";
        int n = snprintf(chain + len, sizeof chain - len, fmt, len ? ", in " : "in ", fr->what,
                         deep, c->files[fr->at->file].path, fr->at->line);
        len += n > 0 ? (size_t)n : 0;
        fr = fr->up;
    }
    asm_note(c, s->file, s->line, s->col, "%s", chain);
}

/* Charge statement s to the budget; nonzero when it does not fit. */
static int charge_stmt(struct front *f, const struct asm_stmt *s)
{
    struct asm_budget *b = &f->c->budget;
    if (++b->stmts > ASM_MAX_STMTS) {
        over_budget(f, s,
                    "expansion budget exceeded: more than %u statements after .include and "
                    "macro expansion",
                    ASM_MAX_STMTS);
        return -1;
    }
    b->opnds += (uint64_t)s->nops;
    if (b->opnds > ASM_MAX_OPNDS) {
        over_budget(f, s,
                    "expansion budget exceeded: more than %u operands after .include and "
                    "macro expansion",
                    ASM_MAX_OPNDS);
        return -1;
    }
    return 0;
}

static char *dir_join(const char *base, const char *rel)
{
    const char *slash = strrchr(base, '/');
    size_t dl = rel[0] == '/' || !slash ? 0 : (size_t)(slash - base + 1);
    size_t rl = strlen(rel);
    char *p = malloc(dl + rl + 1);
    if (!p)
        return NULL;
    memcpy(p, base, dl);
    memcpy(p + dl, rel, rl + 1);
    return p;
}

/* Read an included file of at most room bytes into *out (malloc'd).  Only
 * a regular file: a FIFO would block and /dev/zero never ends.  O_NONBLOCK
 * keeps open() itself from waiting for a FIFO's writer; fstat decides
 * before anything is read.  Returns 0, -1 with err set, or 1 when the file
 * is larger than room. */
static int read_include(const char *path, size_t room, uint8_t **out, size_t *len, char *err,
                        size_t errlen)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0)
        rc = bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = bh_errf(err, errlen, "%s: is a folder, not a file", path);
    else if (!S_ISREG(st.st_mode))
        rc = bh_errf(err, errlen, "%s: is not a regular file (a FIFO or a device?)", path);
    else if ((uint64_t)st.st_size > room)
        rc = 1;
    /* The file may grow while it is read: read at most room + 1 bytes. */
    size_t cap = (size_t)st.st_size + 1;
    uint8_t *buf = rc ? NULL : malloc(cap);
    if (!rc && !buf)
        rc = bh_errf(err, errlen, "%s: out of memory", path);
    size_t n = 0;
    while (!rc && n < cap) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            rc = bh_errf(err, errlen, "%s: %s", path, strerror(errno));
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (!rc && n == cap) /* do not chase a file that grows (or /proc, of size 0) */
        rc = bh_errf(err, errlen, "%s: longer than its size says (changing, or not a plain file)",
                     path);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int do_include(struct front *f, const struct asm_stmt *s, int depth)
{
    struct asm_ctx *c = f->c;
    if (s->nops != 1 || s->ops[0].kind != OPND_STR) {
        asm_error(c, s->file, s->line, s->col, "'.include' expects a file name in quotes");
        return 0;
    }
    if (depth >= MAX_DEPTH) {
        over_budget(f, s, ".include nested more than %d deep", MAX_DEPTH);
        return 0;
    }
    if (++c->budget.includes > ASM_MAX_INCLUDES) {
        over_budget(f, s, "include budget exceeded: more than %u .include directives carried out",
                    ASM_MAX_INCLUDES);
        return 0;
    }
    char *path = dir_join(c->files[s->file].path, s->ops[0].str);
    if (!path)
        return -1;
    uint8_t *buf;
    size_t len;
    char err[256];
    int rd = read_include(path, ASM_MAX_INCLUDED - c->budget.included, &buf, &len, err, sizeof err);
    if (rd) {
        if (rd > 0)
            over_budget(f, s,
                        "include budget exceeded: '%s' would take the included text past %u "
                        "bytes",
                        path, ASM_MAX_INCLUDED);
        else
            asm_error(c, s->file, s->line, s->ops[0].col, "cannot include: %s", err);
        free(path);
        return 0;
    }
    c->budget.included += len;
    int fi = asm_add_file(c, path, (const char *)buf, len);
    free(buf);
    free(path);
    if (fi < 0)
        return -1;
    struct asm_stmts sub = {0};
    asm_parse_file(c, fi, &sub);
    struct frame fr = {c->files[fi].path, 1, s, f->top};
    f->top = &fr;
    int rc = process(f, sub.v, sub.n, depth + 1);
    f->top = fr.up;
    free(sub.v);
    return rc;
}

static void do_eqv(struct front *f, const struct asm_stmt *s)
{
    struct asm_ctx *c = f->c;
    if (s->nops != 2 || s->ops[0].kind != OPND_EXPR || !s->ops[0].e.sym || s->ops[0].e.val) {
        asm_error(c, s->file, s->line, s->col, "'.eqv' expects a name and a value");
        return;
    }
    struct asm_opnd val = s->ops[1];
    subst_opnd(c, s, &val, eqv_look, f);
    struct asm_sym *e = asm_sym_get(&f->eqv, s->ops[0].e.sym);
    if (!e)
        return;
    if (!e->defined) {
        if (f->nvals == f->vcap) {
            uint32_t cap = f->vcap ? f->vcap * 2 : 16;
            struct asm_opnd *nv = realloc(f->vals, cap * sizeof *nv);
            if (!nv)
                return;
            f->vals = nv;
            f->vcap = cap;
        }
        e->value = f->nvals++;
        e->defined = 1;
    }
    f->vals[e->value] = val;
}

/* .macro name [(]%a, %b[)] ... .end_macro: returns how many statements of
 * v it consumed. */
static size_t do_macro(struct front *f, const struct asm_stmt *v, size_t n)
{
    struct asm_ctx *c = f->c;
    const struct asm_stmt *s = &v[0];
    size_t end = 1;
    while (end < n && !(v[end].kind == STMT_OP && strcmp(v[end].name, ".end_macro") == 0)) {
        if (v[end].kind == STMT_OP && strcmp(v[end].name, ".macro") == 0) {
            asm_error(c, v[end].file, v[end].line, v[end].col,
                      "'.macro' inside a macro definition (missing '.end_macro'?)");
        }
        end++;
    }
    if (end == n) {
        asm_error(c, s->file, s->line, s->col, "'.macro' without '.end_macro'");
        return n;
    }
    if (s->nops < 1 || s->ops[0].kind != OPND_EXPR || !s->ops[0].e.sym) {
        asm_error(c, s->file, s->line, s->col, "'.macro' expects a name");
        return end + 1;
    }
    struct macro *m = asm_alloc(&c->arena, sizeof *m);
    if (!m)
        return end + 1;
    m->name = s->ops[0].e.sym;
    m->nparams = s->nops - 1;
    m->params = asm_alloc(&c->arena, (size_t)(m->nparams + 1) * sizeof *m->params);
    for (int i = 1; i < s->nops; i++) {
        const struct asm_opnd *o = &s->ops[i];
        if (o->kind != OPND_EXPR || !o->e.sym || o->e.sym[0] != '%' || o->e.val) {
            asm_error(c, s->file, s->line, o->col, "macro parameters are written %%name");
            continue;
        }
        if (m->params)
            m->params[i - 1] = o->e.sym;
    }
    m->nbody = end - 1;
    m->body = asm_alloc(&c->arena, (m->nbody + 1) * sizeof *m->body);
    if (m->body)
        memcpy(m->body, v + 1, m->nbody * sizeof *m->body);
    m->next = f->macros;
    f->macros = m;
    return end + 1;
}

static const struct macro *find_macro(const struct front *f, const char *name, int nargs,
                                      int *exists)
{
    *exists = 0;
    for (const struct macro *m = f->macros; m; m = m->next)
        if (strcmp(m->name, name) == 0) {
            *exists = 1;
            if (m->nparams == nargs)
                return m;
        }
    return NULL;
}

struct expansion {
    const struct macro *m;
    const struct asm_stmt *call;
    char suffix[24];
    struct asm_ctx *c;
    struct asm_opnd tmp;
};

static const struct asm_opnd *arg_look(void *ctx, const char *name)
{
    struct expansion *x = ctx;
    for (int i = 0; i < x->m->nparams; i++)
        if (x->m->params[i] && strcmp(x->m->params[i], name) == 0)
            return &x->call->ops[i];
    /* A label defined in the body: unique to this expansion. */
    for (size_t i = 0; i < x->m->nbody; i++) {
        const struct asm_stmt *b = &x->m->body[i];
        if (b->kind == STMT_LABEL && strcmp(b->name, name) == 0) {
            size_t l = strlen(name), sl = strlen(x->suffix);
            char *nm = asm_alloc(&x->c->arena, l + sl + 1);
            if (!nm)
                return NULL;
            memcpy(nm, name, l);
            memcpy(nm + l, x->suffix, sl + 1);
            memset(&x->tmp, 0, sizeof x->tmp);
            x->tmp.kind = OPND_EXPR;
            x->tmp.e.sym = nm;
            return &x->tmp;
        }
    }
    return NULL;
}

static int expand_macro(struct front *f, const struct macro *m, const struct asm_stmt *call,
                        int depth)
{
    struct asm_ctx *c = f->c;
    if (depth >= MAX_DEPTH) {
        over_budget(f, call, "macro '%s' expands more than %d levels deep (recursive?)", m->name,
                    MAX_DEPTH);
        return 0;
    }
    struct expansion x = {.m = m, .call = call, .c = c};
    snprintf(x.suffix, sizeof x.suffix, "_M%d", c->macro_count++);
    struct asm_stmt *out = malloc((m->nbody + 1) * sizeof *out);
    if (!out)
        return -1;
    for (size_t i = 0; i < m->nbody; i++) {
        const struct asm_stmt *b = &m->body[i];
        if (copy_ops(c, &out[i], b)) {
            free(out);
            return -1;
        }
        out[i].macro_line = call->line;
        if (b->kind == STMT_LABEL) {
            const struct asm_opnd *r = arg_look(&x, b->name);
            if (r)
                out[i].name = r->e.sym;
        }
        for (int k = 0; k < out[i].nops; k++)
            subst_opnd(c, &out[i], &out[i].ops[k], arg_look, &x);
    }
    struct frame fr = {m->name, 0, call, f->top};
    f->top = &fr;
    int rc = process(f, out, m->nbody, depth + 1);
    f->top = fr.up;
    free(out);
    return rc;
}

static int process(struct front *f, const struct asm_stmt *v, size_t n, int depth)
{
    struct asm_ctx *c = f->c;
    for (size_t i = 0; i < n && !c->budget.spent; i++) {
        const struct asm_stmt *s = &v[i];
        if (charge_stmt(f, s))
            break;
        if (s->kind == STMT_OP && s->name[0] == '.') {
            if (strcmp(s->name, ".include") == 0) {
                if (do_include(f, s, depth))
                    return -1;
                continue;
            }
            if (strcmp(s->name, ".eqv") == 0) {
                do_eqv(f, s);
                continue;
            }
            if (strcmp(s->name, ".macro") == 0) {
                i += do_macro(f, v + i, n - i) - 1;
                continue;
            }
            if (strcmp(s->name, ".end_macro") == 0) {
                asm_error(c, s->file, s->line, s->col, "'.end_macro' without '.macro'");
                continue;
            }
        }
        if (s->kind == STMT_CALL || s->kind == STMT_OP) {
            int exists;
            const struct macro *m = find_macro(f, s->name, s->nops, &exists);
            if (m) {
                if (expand_macro(f, m, s, depth))
                    return -1;
                continue;
            }
            if (exists) {
                asm_error(c, s->file, s->line, s->col, "no macro '%s' takes %d argument%s",
                          s->name, s->nops, s->nops == 1 ? "" : "s");
                continue;
            }
            if (s->kind == STMT_CALL) {
                asm_error(c, s->file, s->line, s->col, "unknown macro '%s'", s->name);
                continue;
            }
        }
        struct asm_stmt *d = asm_stmts_push(&c->prog);
        if (!d)
            return -1;
        *d = *s; /* operands are shared unless an .eqv may change them */
        if (f->nvals) {
            if (copy_ops(c, d, s))
                return -1;
            for (int k = 0; k < d->nops; k++)
                subst_opnd(c, d, &d->ops[k], eqv_look, f);
        }
    }
    return 0;
}

int asm_front(struct asm_ctx *c, struct asm_stmts *main_stmts)
{
    struct front f = {.c = c};
    int rc = process(&f, main_stmts->v, main_stmts->n, 0);
    asm_symtab_free(&f.eqv);
    free(f.vals);
    return rc;
}
