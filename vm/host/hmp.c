/* hmp.c: the human monitor's commands (hmp.h), as QEMU's monitor and
 * SPIM's console name them: step, continue, break, delete, info, print,
 * x, disas, list, savevm, loadvm, migrate, migrate_cancel, quit.  Text
 * in, text out. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hmp.h"
#include "image.h"
#include "isa.h"
#include "vm.h"
#include "machine/machine.h"
#include "host/monitor.h"

#define MAX_ARGS 4
#ifndef BH_HMP_MAX_STEPS
#define BH_HMP_MAX_STEPS 1000000u /* step N: a learner's N, not a run (the fuzzer's is less) */
#endif
#define MAX_STEPS BH_HMP_MAX_STEPS
#define MAX_X 1024u        /* x/N: units shown at most */

struct args {
    char *v[MAX_ARGS];
    int n;
};

typedef int (*cmd_fn)(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out);

struct cmd {
    const char *name, *alias, *usage, *help;
    cmd_fn fn;
    int paused; /* needs VM cur paused */
};

static const struct cmd cmds[];

/* One controller at a time (control.h): every monitor's commands, and
 * QMP's own, run under this lock. */
static pthread_mutex_t cmd_mu = PTHREAD_MUTEX_INITIALIZER;
void bh_hmp_lock(void) { pthread_mutex_lock(&cmd_mu); }
void bh_hmp_unlock(void) { pthread_mutex_unlock(&cmd_mu); }

static int fail(struct bh_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct bh_buf *out, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bh_buf_printf(out, "%s\n", msg);
    return -1;
}

static struct bh_vm *cur_vm(struct bh_hmp *h) { return h->ctl->vms[h->cur].vm; }
static const char *cur_name(struct bh_hmp *h) { return h->ctl->vms[h->cur].name; }

/* ---- symbols and addresses ---- */

/* "main+8" for addr, or "" when no label comes before it in its segment. */
static void sym_off(const struct bh_image *img, uint32_t addr, char *buf, size_t n)
{
    const struct bh_symbol *s = bh_image_symbol_before(img, addr);
    buf[0] = '\0';
    if (!s || addr - s->value > 0xffffu) return;
    if (addr == s->value) snprintf(buf, n, "%s", bh_image_str(img, s->name));
    else snprintf(buf, n, "%s+%" PRIu32, bh_image_str(img, s->name), addr - s->value);
}

static const char *sym_exact(void *ctx, uint32_t addr)
{
    const struct bh_symbol *s = bh_image_symbol_before(ctx, addr);
    return s && s->value == addr ? bh_image_str(ctx, s->name) : NULL;
}

static const char *img_str(void *ctx, uint32_t off) { return bh_image_str(ctx, off); }

/* A register name ($t0, $8, $f2, hi, lo, pc; with or without $): its
 * value in *v.  0, or -1 when s names no register. */
static int reg_value(struct bh_vm *vm, const char *s, uint32_t *v, int *fp)
{
    const char *n = s[0] == '$' ? s + 1 : s;
    *fp = -1;
    if (!strcmp(n, "hi")) *v = (uint32_t)bh_vm_hi(vm);
    else if (!strcmp(n, "lo")) *v = (uint32_t)bh_vm_lo(vm);
    else if (!strcmp(n, "pc")) *v = bh_vm_pc(vm);
    else if (s[0] != '$') return -1;
    else {
        int r = isa_reg_number(s, strlen(s));
        if (r >= 0) { *v = (uint32_t)bh_vm_reg(vm, (unsigned)r); return 0; }
        if ((r = isa_freg_number(s, strlen(s))) < 0) return -1;
        *fp = r;
        *v = bh_vm_fpr(vm, (unsigned)r);
    }
    return 0;
}

/* An address: a number (0x400020, 4194336), a label, label+N, or a
 * register ($sp, pc).  0, or -1 with what was expected in out. */
static int address(struct bh_hmp *h, const char *what, const char *s, uint32_t *a,
                   struct bh_buf *out)
{
    struct bh_vm *vm = cur_vm(h);
    char name[128];
    const char *plus = strchr(s, '+');
    size_t len = plus ? (size_t)(plus - s) : strlen(s);
    uint64_t off = 0;
    char *end;
    if (plus) {
        errno = 0;
        off = strtoull(plus + 1, &end, 0);
        if (errno || *end || !isdigit((unsigned char)plus[1]) || off > 0xffffffffu)
            return fail(out, "%s: expected a number after '+', not '%s'", what, plus + 1);
    }
    if (len == 0 || len >= sizeof name)
        return fail(out, "%s: expected an address (0x400020), a label or a register, not '%s'",
                    what, s);
    memcpy(name, s, len);
    name[len] = '\0';
    uint32_t base;
    int fp;
    if (isdigit((unsigned char)name[0])) {
        errno = 0;
        uint64_t n = strtoull(name, &end, 0);
        if (errno || *end || n > 0xffffffffu)
            return fail(out, "%s: expected an address (0x400020), not '%s'", what, name);
        base = (uint32_t)n;
    } else if (reg_value(vm, name, &base, &fp) == 0) {
        if (fp >= 0) return fail(out, "%s: %s holds no address (a general register or pc does)",
                                 what, name);
    } else {
        const struct bh_symbol *sym = bh_image_symbol_named(bh_vm_image(vm), name);
        if (!sym)
            return fail(out, "%s: expected an address (0x400020), a label or a register: "
                             "'%s' is none of them", what, name);
        base = sym->value;
    }
    *a = base + (uint32_t)off;
    return 0;
}

static const struct bh_line *line_at(struct bh_vm *vm, uint32_t pc)
{
    const struct bh_line *l = bh_image_line_at(bh_vm_image(vm), pc);
    return l && l->addr == pc ? l : NULL;
}

/* One instruction after lead: "0x00400024 <main+8>: addi $t0, $t0, 1   [prog.s:12]". */
static void insn_line(struct bh_vm *vm, uint32_t pc, const char *lead, struct bh_buf *out)
{
    const struct bh_image *img = bh_vm_image(vm);
    uint8_t w[4];
    char sym[96], text[128];
    sym_off(img, pc, sym, sizeof sym);
    if (bh_vm_read(vm, pc, w, 4) != 0) snprintf(text, sizeof text, "(no memory here)");
    else isa_disasm(bh_get32(w), pc, text, sizeof text, sym_exact, (void *)img, img_str);
    bh_buf_printf(out, "%s0x%08" PRIx32 "%s%s%s: %s", lead, pc, sym[0] ? " <" : "",
                  sym, sym[0] ? ">" : "", text);
    const struct bh_line *l = line_at(vm, pc);
    if (l) bh_buf_printf(out, "   [%s:%" PRIu32 "]", bh_image_str(img, l->file), l->line);
    bh_buf_printf(out, "\n");
}

void bh_hmp_where(struct bh_hmp *h, size_t i, struct bh_buf *out)
{
    insn_line(h->ctl->vms[i].vm, bh_vm_pc(h->ctl->vms[i].vm), "", out);
}

static int break_num(const struct bh_hmp *h, size_t vm, uint32_t pc)
{
    for (unsigned k = 0; k < BH_HMP_MAX_BREAKS; k++)
        if (h->breaks[k].num && h->breaks[k].vm == vm && h->breaks[k].pc == pc)
            return (int)h->breaks[k].num;
    return 0;
}

void bh_hmp_stopped(struct bh_hmp *h, size_t i, struct bh_buf *out)
{
    struct bh_ctl_vm *v = &h->ctl->vms[i];
    enum bh_ctl_reason r = bh_ctl_state(h->ctl, i);
    if (r == BH_CTL_ENDED) {
        pthread_mutex_lock(&h->ctl->mu);
        int status = v->status, migrated = v->migrated;
        pthread_mutex_unlock(&h->ctl->mu);
        if (migrated)
            bh_buf_printf(out, "%s left: it migrated (info migrate)\n", v->name);
        else
            bh_buf_printf(out, "%s ended: %s (status %d)\n", v->name,
                          bh_monitor_state_name((enum bh_vm_state)bh_vm_ctl(v->vm)->state),
                          status);
        return;
    }
    if (r == BH_CTL_RUNNING) {
        bh_buf_printf(out, "%s is running\n", v->name);
        return;
    }
    if (r == BH_CTL_BREAK)
        bh_buf_printf(out, "%s: breakpoint %d\n", v->name, break_num(h, i, bh_vm_pc(v->vm)));
    else if (r == BH_CTL_WATCH)
        bh_buf_printf(out, "%s: watchpoint: %s of 0x%08" PRIx32 "\n", v->name,
                      v->watch_kind & BH_WATCH_WRITE ? "write" : "read", v->watch_addr);
    else if (r == BH_CTL_FAULT)
        bh_buf_printf(out, "%s: fault %s caught for the debugger (continuing ends the VM)\n",
                      v->name, bh_vm_exc_name(v->exc));
    else if (r == BH_CTL_START)
        bh_buf_printf(out, "%s: paused before its first instruction\n", v->name);
    else
        bh_buf_printf(out, "%s: paused\n", v->name);
    bh_hmp_where(h, i, out);
}

/* ---- commands ---- */

static int cmd_help(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)h;
    (void)fmt;
    (void)a;
    for (const struct cmd *c = cmds; c->name; c++)
        bh_buf_printf(out, "%-24s %s\n", c->usage, c->help);
    return 0;
}

static int cmd_step(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    uint64_t n = 1;
    char *end;
    if (a->n > 1) return fail(out, "step: expected step [N], not more words");
    if (a->n == 1) {
        errno = 0;
        n = strtoull(a->v[0], &end, 0);
        if (errno || *end || !isdigit((unsigned char)a->v[0][0]) || n == 0 || n > MAX_STEPS)
            return fail(out, "step: expected a count from 1 to %u, not '%s'", MAX_STEPS, a->v[0]);
    }
    char err[256];
    for (uint64_t k = 0; k < n; k++) {
        int rc = bh_ctl_step(h->ctl, h->cur, err, sizeof err);
        if (rc < 0) return fail(out, "step: %s", err);
        if (rc == 1) {
            /* The scheduler ends it at its next turn: say so when it has. */
            bh_ctl_wait(h->ctl, h->cur, 2000);
            bh_hmp_stopped(h, h->cur, out);
            return 0;
        }
        enum bh_ctl_reason r = bh_ctl_state(h->ctl, h->cur);
        if (r == BH_CTL_BREAK || r == BH_CTL_WATCH) {
            bh_hmp_stopped(h, h->cur, out);
            return 0;
        }
    }
    bh_hmp_where(h, h->cur, out);
    return 0;
}

static int cmd_continue(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    char err[256];
    if (a->n) return fail(out, "continue: expected no argument");
    if (bh_ctl_resume(h->ctl, h->cur, err, sizeof err) != 0) return fail(out, "continue: %s", err);
    h->resumed = 1;
    return 0;
}

static int cmd_stop(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    if (a->n) return fail(out, "stop: expected no argument");
    if (bh_ctl_pause(h->ctl, h->cur, 1) == 1) return fail(out, "stop: %s has ended", cur_name(h));
    bh_hmp_stopped(h, h->cur, out);
    return 0;
}

/* FILE:LINE: the first statement of that line in a file whose name is
 * FILE or ends in "/FILE". */
static int file_line(struct bh_hmp *h, const char *s, uint32_t *pc, struct bh_buf *out)
{
    const char *colon = strrchr(s, ':');
    char *end;
    errno = 0;
    unsigned long line = strtoul(colon + 1, &end, 10);
    if (errno || *end || !isdigit((unsigned char)colon[1]) || colon == s)
        return fail(out, "break: expected FILE:LINE with a line number, not '%s'", s);
    size_t flen = (size_t)(colon - s);
    const struct bh_image *img = bh_vm_image(cur_vm(h));
    for (uint32_t k = 0; k < img->nlines; k++) {
        const struct bh_line *l = &img->lines[k];
        const char *f = bh_image_str(img, l->file);
        size_t n = strlen(f);
        if (l->line != line || !(l->flags & BH_LINE_STMT) || n < flen ||
            memcmp(f + n - flen, s, flen) != 0 || (n > flen && f[n - flen - 1] != '/'))
            continue;
        *pc = l->addr;
        return 0;
    }
    return fail(out, "break: no instruction at %s (a line with an instruction of the program)", s);
}

static int cmd_break(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    if (a->n != 1) return fail(out, "break: expected break LABEL|ADDR|FILE:LINE");
    uint32_t pc = 0;
    if (strchr(a->v[0], ':') ? file_line(h, a->v[0], &pc, out) != 0
                             : address(h, "break", a->v[0], &pc, out) != 0)
        return -1;
    if (break_num(h, h->cur, pc)) return fail(out, "break: breakpoint %d is there already",
                                             break_num(h, h->cur, pc));
    unsigned k = 0;
    while (k < BH_HMP_MAX_BREAKS && h->breaks[k].num) k++;
    if (k == BH_HMP_MAX_BREAKS) return fail(out, "break: %d breakpoints at most: delete one",
                                            BH_HMP_MAX_BREAKS);
    if (bh_vm_break(cur_vm(h), pc, 1) != 0)
        return fail(out, "break: 0x%08" PRIx32 " is not an instruction of the program", pc);
    h->breaks[k].vm = h->cur;
    h->breaks[k].pc = pc;
    h->breaks[k].num = ++h->next_num;
    bh_buf_printf(out, "breakpoint %u at ", h->next_num);
    insn_line(cur_vm(h), pc, "", out);
    return 0;
}

static int cmd_delete(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    unsigned long n = 0;
    char *end;
    if (a->n > 1) return fail(out, "delete: expected delete [N]");
    if (a->n == 1) {
        errno = 0;
        n = strtoul(a->v[0], &end, 10);
        if (errno || *end || !isdigit((unsigned char)a->v[0][0]) || n == 0)
            return fail(out, "delete: expected a breakpoint number, not '%s'", a->v[0]);
    }
    int found = 0;
    for (unsigned k = 0; k < BH_HMP_MAX_BREAKS; k++) {
        if (!h->breaks[k].num || (n && h->breaks[k].num != n)) continue;
        bh_vm_break(h->ctl->vms[h->breaks[k].vm].vm, h->breaks[k].pc, 0);
        h->breaks[k].num = 0;
        found = 1;
    }
    if (n && !found) return fail(out, "delete: no breakpoint %lu (info breakpoints lists them)", n);
    return 0;
}

static void info_registers(struct bh_hmp *h, struct bh_buf *out)
{
    struct bh_vm *vm = cur_vm(h);
    char sym[96];
    sym_off(bh_vm_image(vm), bh_vm_pc(vm), sym, sizeof sym);
    bh_buf_printf(out, "pc    0x%08" PRIx32 "%s%s%s   hi 0x%08" PRIx32 "   lo 0x%08" PRIx32 "\n",
                  bh_vm_pc(vm), sym[0] ? " <" : "", sym, sym[0] ? ">" : "",
                  (uint32_t)bh_vm_hi(vm), (uint32_t)bh_vm_lo(vm));
    for (unsigned r = 0; r < 32; r++)
        bh_buf_printf(out, "%-5s 0x%08" PRIx32 "%s", isa_reg_names[r], (uint32_t)bh_vm_reg(vm, r),
                      r % 4 == 3 ? "\n" : "   ");
}

static void info_vms(struct bh_hmp *h, struct bh_buf *out)
{
    for (size_t i = 0; i < h->ctl->n; i++) {
        enum bh_ctl_reason r = bh_ctl_state(h->ctl, i);
        struct bh_vm *vm = h->ctl->vms[i].vm;
        bh_buf_printf(out, "%s%s: %s", i == h->cur ? "* " : "  ", h->ctl->vms[i].name,
                      r == BH_CTL_RUNNING ? "running" : r == BH_CTL_ENDED ? "ended" : "paused");
        /* A running VM's counters are its thread's: read only when it is not */
        if (r != BH_CTL_RUNNING)
            bh_buf_printf(out, ", %" PRIu64 " instructions, pc 0x%08" PRIx32, bh_vm_icount(vm),
                          bh_vm_pc(vm));
        bh_buf_printf(out, "\n");
    }
}

/* ---- live migration: the monitor's and QMP's one implementation ---- */

int bh_hmp_migrate(struct bh_hmp *h, size_t i, const char *uri, char *err, size_t errlen)
{
    if (!h->ops.migrate) return bh_errf(err, errlen, "migration is not available here");
    if (!uri || !*uri) return bh_errf(err, errlen, "expected a URI: tcp:HOST:PORT");
    enum bh_ctl_reason r = bh_ctl_state(h->ctl, i);
    const char *name = h->ctl->vms[i].name;
    if (r == BH_CTL_ENDED) {
        pthread_mutex_lock(&h->ctl->mu);
        int migrated = h->ctl->vms[i].migrated;
        pthread_mutex_unlock(&h->ctl->mu);
        return bh_errf(err, errlen, "%s has %s: there is nothing to migrate", name,
                       migrated ? "already migrated" : "ended");
    }
    if (r != BH_CTL_RUNNING)
        return bh_errf(err, errlen,
                       "%s is paused: a live migration moves a running VM (continue it first)",
                       name);
    return h->ops.migrate(h->ops.ctx, i, uri, err, errlen);
}

int bh_hmp_migrate_cancel(struct bh_hmp *h, size_t i, char *err, size_t errlen)
{
    if (!h->ops.migrate_cancel) return bh_errf(err, errlen, "migration is not available here");
    return h->ops.migrate_cancel(h->ops.ctx, i);
}

void bh_hmp_query_migrate(struct bh_hmp *h, size_t i, struct bh_mig_info *info)
{
    memset(info, 0, sizeof *info);
    if (h->ops.query_migrate) h->ops.query_migrate(h->ops.ctx, i, info);
}

static int cmd_migrate(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    char err[512];
    if (a->n != 1) return fail(out, "migrate: expected migrate tcp:HOST:PORT");
    if (bh_hmp_migrate(h, h->cur, a->v[0], err, sizeof err) != 0)
        return fail(out, "migrate: %s", err);
    bh_buf_printf(out, "%s: migrating to %s (info migrate shows how far)\n", cur_name(h),
                  a->v[0]);
    return 0;
}

static int cmd_migrate_cancel(struct bh_hmp *h, const char *fmt, struct args *a,
                              struct bh_buf *out)
{
    (void)fmt;
    char err[512];
    if (a->n) return fail(out, "migrate_cancel: expected no argument");
    int rc = bh_hmp_migrate_cancel(h, h->cur, err, sizeof err);
    if (rc < 0) return fail(out, "migrate_cancel: %s", err);
    bh_buf_printf(out, "%s: %s\n", cur_name(h),
                  rc ? "migration cancelled (the VM runs on here)" : "no migration under way");
    return 0;
}

static void info_migrate(struct bh_hmp *h, struct bh_buf *out)
{
    struct bh_mig_info m;
    bh_hmp_query_migrate(h, h->cur, &m);
    bh_buf_printf(out, "%s: migration status: %s\n", cur_name(h), bh_migrate_status_name(m.status));
    if (m.status == BH_MIG_NONE) return;
    bh_buf_printf(out, "to: %s\ntotal time: %.0f ms\n", m.addr, m.total_time * 1000.0);
    if (m.status == BH_MIG_COMPLETED)
        bh_buf_printf(out, "downtime: %.2f ms\n", m.downtime * 1000.0);
    bh_buf_printf(out,
                  "transferred: %" PRIu64 " kbytes\nremaining: %" PRIu64 " kbytes\n"
                  "total (pages in use at the start): %" PRIu64 " kbytes\n"
                  "pages sent: %" PRIu64 "\nrounds: %u\n",
                  m.transferred >> 10, m.remaining >> 10, m.total >> 10, m.pages, m.rounds);
    if (m.status == BH_MIG_FAILED) bh_buf_printf(out, "error: %s\n", m.error);
}

static int cmd_info(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    const char *what = a->n == 1 ? a->v[0] : "";
    if (!strcmp(what, "vms")) {
        info_vms(h, out);
        return 0;
    }
    if (!strcmp(what, "migrate")) {
        info_migrate(h, out);
        return 0;
    }
    if (!strcmp(what, "breakpoints") || !strcmp(what, "registers")) {
        enum bh_ctl_reason r = bh_ctl_state(h->ctl, h->cur);
        if (r == BH_CTL_RUNNING || r == BH_CTL_ENDED)
            return fail(out, "info %s: %s is %s", what, cur_name(h),
                        r == BH_CTL_ENDED ? "no longer running" : "running (stop it first)");
        if (what[0] == 'r') {
            info_registers(h, out);
            return 0;
        }
        for (unsigned k = 0; k < BH_HMP_MAX_BREAKS; k++)
            if (h->breaks[k].num) {
                bh_buf_printf(out, "%u %s ", h->breaks[k].num, h->ctl->vms[h->breaks[k].vm].name);
                insn_line(h->ctl->vms[h->breaks[k].vm].vm, h->breaks[k].pc, "", out);
            }
        return 0;
    }
    return fail(out, "info: expected info registers|breakpoints|vms|migrate");
}

static int cmd_print(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    if (a->n != 1) return fail(out, "print: expected print $REG ($t0, $f2, hi, lo, pc) or a label");
    struct bh_vm *vm = cur_vm(h);
    uint32_t v;
    int fp;
    if (reg_value(vm, a->v[0], &v, &fp) == 0) {
        if (fp >= 0) {
            float f;
            memcpy(&f, &v, sizeof f);
            bh_buf_printf(out, "%s = 0x%08" PRIx32 " (float %.9g", a->v[0], v, (double)f);
            if (fp % 2 == 0) {
                uint64_t bits = (uint64_t)bh_vm_fpr(vm, (unsigned)fp + 1) << 32 | v;
                double d;
                memcpy(&d, &bits, sizeof d);
                bh_buf_printf(out, ", double with $f%d %.17g", fp + 1, d);
            }
            bh_buf_printf(out, ")\n");
        } else {
            bh_buf_printf(out, "%s = %" PRId32 " (0x%08" PRIx32 ")\n", a->v[0], (int32_t)v, v);
        }
        return 0;
    }
    if (a->v[0][0] == '$')
        return fail(out, "print: expected a register ($t0, $8, $f2, hi, lo, pc), not '%s'", a->v[0]);
    uint32_t addr;
    if (address(h, "print", a->v[0], &addr, out) != 0) return -1;
    bh_buf_printf(out, "%s = 0x%08" PRIx32 "\n", a->v[0], addr);
    return 0;
}

static int cmd_x(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    /* fmt: what followed "x/": N then one of w h b s (both optional) */
    uint64_t n = 1;
    char unit = 'w';
    const char *f = fmt ? fmt : "";
    if (isdigit((unsigned char)*f)) {
        char *end;
        errno = 0;
        n = strtoull(f, &end, 10);
        if (errno || n == 0 || n > MAX_X) return fail(out, "x: expected a count from 1 to %u", MAX_X);
        f = end;
    }
    if (*f) unit = *f++;
    if (*f || !strchr("whbs", unit))
        return fail(out, "x: expected x/Nf ADDR, f one of w (words), h (halves), b (bytes), "
                         "s (strings), not 'x/%s'", fmt);
    if (a->n != 1) return fail(out, "x: expected x/Nf ADDR (an address, a label or a register)");
    uint32_t addr;
    if (address(h, "x", a->v[0], &addr, out) != 0) return -1;
    struct bh_vm *vm = cur_vm(h);
    const struct bh_image *img = bh_vm_image(vm);
    char sym[96];
    if (unit == 's') {
        for (uint64_t k = 0; k < n; k++) {
            char s[256];
            long len = bh_vm_read_str(vm, addr, s, sizeof s);
            if (len < 0) {
                /* unmapped, or longer than we show: what is readable, cut */
                size_t m = 0;
                while (m < sizeof s - 1 && bh_vm_read(vm, addr + (uint32_t)m, &s[m], 1) == 0 && s[m])
                    m++;
                if (m == 0 && bh_vm_read(vm, addr, s, 1) != 0)
                    return fail(out, "x: 0x%08" PRIx32 " is not mapped", addr);
                s[m] = '\0';
                len = (long)m;
            }
            sym_off(img, addr, sym, sizeof sym);
            bh_buf_printf(out, "0x%08" PRIx32 "%s%s%s: \"", addr, sym[0] ? " <" : "", sym,
                          sym[0] ? ">" : "");
            for (long i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == '\n') bh_buf_printf(out, "\\n");
                else if (c == '\t') bh_buf_printf(out, "\\t");
                else if (c == '"' || c == '\\') bh_buf_printf(out, "\\%c", c);
                else if (c < 32 || c > 126) bh_buf_printf(out, "\\x%02x", c);
                else bh_buf_printf(out, "%c", c);
            }
            bh_buf_printf(out, "\"\n");
            addr += (uint32_t)len + 1;
        }
        return 0;
    }
    unsigned size = unit == 'w' ? 4 : unit == 'h' ? 2 : 1, per_line = 16 / size;
    if (addr % size) return fail(out, "x: 0x%08" PRIx32 " is not aligned to %u bytes", addr, size);
    for (uint64_t k = 0; k < n; k++) {
        uint32_t at = addr + (uint32_t)(k * size);
        if (k % per_line == 0) {
            if (k) bh_buf_printf(out, "\n");
            sym_off(img, at, sym, sizeof sym);
            bh_buf_printf(out, "0x%08" PRIx32 "%s%s%s:", at, sym[0] ? " <" : "", sym,
                          sym[0] ? ">" : "");
        }
        uint8_t b[4];
        if (bh_vm_read(vm, at, b, size) != 0) {
            bh_buf_printf(out, "\n");
            return fail(out, "x: 0x%08" PRIx32 " is not mapped", at);
        }
        if (size == 4) bh_buf_printf(out, " 0x%08" PRIx32, bh_get32(b));
        else if (size == 2) bh_buf_printf(out, " 0x%04x", bh_get16(b));
        else bh_buf_printf(out, " 0x%02x", b[0]);
    }
    bh_buf_printf(out, "\n");
    return 0;
}

static int cmd_disas(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    struct bh_vm *vm = cur_vm(h);
    uint32_t pc = bh_vm_pc(vm), at = pc;
    if (a->n > 1) return fail(out, "disas: expected disas [ADDR]");
    if (a->n == 1 && address(h, "disas", a->v[0], &at, out) != 0) return -1;
    if (at % 4) return fail(out, "disas: 0x%08" PRIx32 " is not aligned to 4 bytes", at);
    for (int k = 0; k < 8; k++, at += 4) {
        uint8_t w[4];
        if (bh_vm_read(vm, at, w, 4) != 0) {
            if (k == 0) return fail(out, "disas: 0x%08" PRIx32 " is not mapped", at);
            break;
        }
        insn_line(vm, at, at == pc ? "=> " : "   ", out);
    }
    return 0;
}

static int cmd_list(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    if (a->n) return fail(out, "list: expected no argument (it lists the source around pc)");
    struct bh_vm *vm = cur_vm(h);
    const struct bh_image *img = bh_vm_image(vm);
    const struct bh_line *l = bh_image_line_at(img, bh_vm_pc(vm));
    if (!l || l->addr != bh_vm_pc(vm))
        return fail(out, "list: no source line for pc 0x%08" PRIx32, bh_vm_pc(vm));
    const char *path = bh_image_str(img, l->file);
    uint8_t *buf;
    size_t len;
    char err[512];
    if (bh_read_file(path, &buf, &len, err, sizeof err) != 0) return fail(out, "list: %s", err);
    uint32_t from = l->line > 5 ? l->line - 5 : 1, to = l->line + 5, line = 1;
    for (size_t i = 0; i < len && line <= to; line++) {
        size_t j = i;
        while (j < len && buf[j] != '\n') j++;
        if (line >= from)
            bh_buf_printf(out, "%s%5" PRIu32 "  %.*s\n", line == l->line ? "=>" : "  ", line,
                          (int)(j - i), (const char *)buf + i);
        i = j + 1;
    }
    free(buf);
    return 0;
}

static int cmd_vm(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    if (a->n != 1) return fail(out, "vm: expected vm NAME (info vms lists them)");
    long i = bh_ctl_find(h->ctl, a->v[0]);
    if (i < 0) return fail(out, "vm: no VM called '%s' (info vms lists them)", a->v[0]);
    h->cur = (size_t)i;
    return 0;
}

static int file_op(struct bh_hmp *h, const char *what, int (*op)(void *, size_t, const char *, char *, size_t),
                   struct args *a, const char *expected, struct bh_buf *out)
{
    char err[768];
    if (a->n != 1) return fail(out, "%s: expected %s", what, expected);
    if (!op) return fail(out, "%s: not available here", what);
    if (op(h->ops.ctx, h->cur, a->v[0], err, sizeof err) != 0) return fail(out, "%s: %s", what, err);
    return 0;
}

static int cmd_savevm(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    return file_op(h, "savevm", h->ops.savevm, a, "savevm FILE", out);
}

static int cmd_loadvm(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    if (file_op(h, "loadvm", h->ops.loadvm, a, "loadvm FILE", out) != 0) return -1;
    for (unsigned k = 0; k < BH_HMP_MAX_BREAKS; k++) /* the restored text has none */
        if (h->breaks[k].num && h->breaks[k].vm == h->cur)
            bh_vm_break(cur_vm(h), h->breaks[k].pc, 1);
    bh_hmp_where(h, h->cur, out);
    return 0;
}

/* ---- time travel (control.h's bh_ctl_goto, state/history.h) ---- */

static int to_icount(struct bh_hmp *h, const char *what, uint64_t target, struct bh_buf *out)
{
    char err[768];
    if (bh_ctl_goto(h->ctl, h->cur, target, err, sizeof err) != 0)
        return fail(out, "%s: %s", what, err);
    for (unsigned k = 0; k < BH_HMP_MAX_BREAKS; k++) /* the restored text has none */
        if (h->breaks[k].num && h->breaks[k].vm == h->cur)
            bh_vm_break(cur_vm(h), h->breaks[k].pc, 1);
    bh_buf_printf(out, "%s: instruction %" PRIu64 "\n", cur_name(h), bh_vm_icount(cur_vm(h)));
    bh_hmp_where(h, h->cur, out);
    return 0;
}

static int count_arg(const char *what, const char *s, uint64_t *n, struct bh_buf *out)
{
    char *end;
    errno = 0;
    *n = strtoull(s, &end, 0);
    if (errno || *end || !isdigit((unsigned char)s[0]))
        return fail(out, "%s: expected an instruction count, not '%s'", what, s);
    return 0;
}

static int cmd_back(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    uint64_t n = 1, now = bh_vm_icount(cur_vm(h));
    if (a->n > 1) return fail(out, "back: expected back [N]");
    if (a->n == 1 && count_arg("back", a->v[0], &n, out) != 0) return -1;
    if (n > now)
        return fail(out, "back: %s has run %" PRIu64 " instructions, fewer than %" PRIu64,
                    cur_name(h), now, n);
    return to_icount(h, "back", now - n, out);
}

static int cmd_goto(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    uint64_t t;
    if (a->n != 1) return fail(out, "goto: expected goto ICOUNT (history shows the span kept)");
    if (count_arg("goto", a->v[0], &t, out) != 0) return -1;
    return to_icount(h, "goto", t, out);
}

static int cmd_reverse(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    char err[768];
    if (a->n) return fail(out, "reverse-continue: expected no argument");
    int rc = bh_ctl_reverse(h->ctl, h->cur, err, sizeof err);
    if (rc < 0) return fail(out, "reverse-continue: %s", err);
    if (rc == 1) {
        bh_buf_printf(out, "%s: no breakpoint or watchpoint hit before: at the start of its "
                      "history, instruction %" PRIu64 "\n", cur_name(h), bh_vm_icount(cur_vm(h)));
        bh_hmp_where(h, h->cur, out);
    } else {
        bh_buf_printf(out, "%s: instruction %" PRIu64 "\n", cur_name(h), bh_vm_icount(cur_vm(h)));
        bh_hmp_stopped(h, h->cur, out);
    }
    return 0;
}

static int cmd_history(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    if (a->n) return fail(out, "history: expected no argument");
    struct bh_history *hist = h->ctl->vms[h->cur].hist;
    if (!hist) return fail(out, "history: %s keeps none (--history 0)", cur_name(h));
    bh_history_describe(hist, out);
    return 0;
}

static int cmd_quit(struct bh_hmp *h, const char *fmt, struct args *a, struct bh_buf *out)
{
    (void)fmt;
    if (a->n) return fail(out, "quit: expected no argument");
    bh_ctl_quit(h->ctl);
    h->quit = 1;
    return 0;
}

static const struct cmd cmds[] = {
    {"help", "h", "help", "this list", cmd_help, 0},
    {"step", "s", "step [N]", "run N instructions (1), then show the next", cmd_step, 1},
    {"continue", "c", "continue", "run until a breakpoint or the end", cmd_continue, 1},
    {"stop", NULL, "stop", "pause the VM", cmd_stop, 0},
    {"break", "b", "break LABEL|ADDR|FILE:LINE", "stop before that instruction", cmd_break, 1},
    {"delete", "d", "delete [N]", "remove breakpoint N (all without N)", cmd_delete, 0},
    {"info", "i", "info registers|breakpoints|vms|migrate", "show them", cmd_info, 0},
    {"print", "p", "print $REG|hi|lo|pc|LABEL", "a register's value, a label's address", cmd_print, 1},
    {"x", NULL, "x/Nf ADDR", "memory: N units, f: w words, h halves, b bytes, s strings", cmd_x, 1},
    {"disas", NULL, "disas [ADDR]", "8 instructions from ADDR (pc)", cmd_disas, 1},
    {"list", "l", "list", "the source around pc", cmd_list, 1},
    {"vm", NULL, "vm NAME", "make VM NAME the one commands apply to", cmd_vm, 0},
    {"savevm", NULL, "savevm FILE", "snapshot the VM to FILE", cmd_savevm, 1},
    {"loadvm", NULL, "loadvm FILE", "restore the VM from FILE (same program)", cmd_loadvm, 1},
    {"migrate", NULL, "migrate tcp:HOST:PORT", "live-migrate the VM to a myvmm --incoming there",
     cmd_migrate, 0},
    {"migrate_cancel", NULL, "migrate_cancel", "stop its migration: it runs on here",
     cmd_migrate_cancel, 0},
    {"back", NULL, "back [N]", "go back N instructions (1) in the VM's history", cmd_back, 1},
    {"goto", NULL, "goto ICOUNT", "go to instruction count ICOUNT in the history", cmd_goto, 1},
    {"reverse-continue", "rc", "reverse-continue", "back to the last breakpoint or watchpoint hit",
     cmd_reverse, 1},
    {"history", NULL, "history", "what the VM's history keeps, how far back", cmd_history, 1},
    {"quit", "q", "quit", "end every VM and myvmm", cmd_quit, 0},
    {NULL, NULL, NULL, NULL, NULL, 0},
};

void bh_hmp_init(struct bh_hmp *h, struct bh_ctl *ctl, const struct bh_hmp_ops *ops)
{
    memset(h, 0, sizeof *h);
    h->ctl = ctl;
    if (ops) h->ops = *ops;
}

static int exec_locked(struct bh_hmp *h, const char *line, struct bh_buf *out);

int bh_hmp_exec(struct bh_hmp *h, const char *line, struct bh_buf *out)
{
    bh_hmp_lock();
    int rc = exec_locked(h, line, out);
    bh_hmp_unlock();
    return rc;
}

static int exec_locked(struct bh_hmp *h, const char *line, struct bh_buf *out)
{
    char buf[1024];
    h->resumed = h->quit = 0;
    if (strlen(line) >= sizeof buf) return fail(out, "command too long (%zu bytes at most)", sizeof buf - 1);
    snprintf(buf, sizeof buf, "%s", line);
    char *save = NULL, *word = strtok_r(buf, " \t\r\n", &save);
    if (!word) return 0;
    char *fmt = NULL, *slash = strchr(word, '/');
    if (slash) {
        *slash = '\0';
        fmt = slash + 1;
    }
    struct args a = {{0}, 0};
    for (char *w; (w = strtok_r(NULL, " \t\r\n", &save));) {
        if (a.n == MAX_ARGS) return fail(out, "%s: too many words", word);
        a.v[a.n++] = w;
    }
    const struct cmd *c = cmds;
    while (c->name && strcmp(c->name, word) && !(c->alias && !strcmp(c->alias, word))) c++;
    if (!c->name) {
        const char *near = NULL;
        size_t best = 3;
        for (const struct cmd *k = cmds; k->name; k++) {
            size_t d = bh_edit_distance(word, k->name);
            if (d < best) { best = d; near = k->name; }
        }
        if (near) return fail(out, "unknown command '%s'; did you mean '%s'? (help lists them)", word, near);
        return fail(out, "unknown command '%s' (help lists them)", word);
    }
    if (fmt && c->fn != cmd_x) return fail(out, "%s: expected no /FORMAT (only x takes one)", c->name);
    if (h->ctl->n == 0) return fail(out, "%s: no VM", c->name);
    if (c->paused) {
        enum bh_ctl_reason r = bh_ctl_state(h->ctl, h->cur);
        if (r == BH_CTL_RUNNING || r == BH_CTL_ENDED)
            return fail(out, "%s: %s is %s", c->name, cur_name(h),
                        r == BH_CTL_ENDED ? "no longer running" : "running (stop it first)");
    }
    return c->fn(h, fmt, &a, out);
}

const char *bh_hmp_complete(const struct bh_hmp *h, const char *prefix, size_t len, size_t k)
{
    static const char *const topics[] = {"registers", "breakpoints", "vms", "migrate", NULL};
    for (const struct cmd *c = cmds; c->name; c++)
        if (!strncmp(c->name, prefix, len) && k-- == 0) return c->name;
    for (const char *const *t = topics; *t; t++) /* what info takes */
        if (!strncmp(*t, prefix, len) && k-- == 0) return *t;
    if (!h->ctl->n) return NULL;
    const struct bh_image *img = bh_vm_image(h->ctl->vms[h->cur].vm);
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const char *s = bh_image_str(img, img->symbols[i].name);
        if (!strncmp(s, prefix, len) && k-- == 0) return s;
    }
    return NULL;
}
