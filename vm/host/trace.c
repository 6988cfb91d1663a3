/* trace.c: what --trace, --trace-exits and --stats print (to ctl.diag).
 *
 * --trace-exits shows the seam between core and monitor: each time the
 * core stopped, why, and what the monitor did about it.  --trace shows
 * each instruction with the registers it changed; it runs the core one
 * instruction at a time (bh_vm_step), which is slow but exact.  A syscall's
 * line waits until the monitor has emulated it, so it shows what the
 * syscall wrote (the result registers syscall.def names). */
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "isa.h"
#include "host/monitor.h"
#include "image.h"
#include "machine/syscall.h"
#include "mem/mem.h"

static const char *exit_name(enum bh_exit_kind k)
{
    switch (k) {
    case BH_EXIT_BUDGET: return "budget";
    case BH_EXIT_SYSCALL: return "syscall";
    case BH_EXIT_HYPERCALL: return "hypercall";
    case BH_EXIT_FAULT: return "fault";
    case BH_EXIT_HALT: return "halt";
    case BH_EXIT_POWEROFF: return "poweroff";
    case BH_EXIT_DEBUG: return "debug";
    }
    return "?";
}

const char *bh_trace_syscall_name(int32_t n)
{
    const struct bh_syscall_info *s = bh_syscall_info(n);
    return s ? s->name : "unknown";
}

void bh_trace_exit(struct bh_vm *vm, const struct bh_exit *ex, const char *handled)
{
    FILE *f = bh_vm_ctl(vm)->diag ? bh_vm_ctl(vm)->diag : stderr;
    char where[160];
    /* Syscall and hypercall exits report the PC past the instruction. */
    uint32_t at = (ex->kind == BH_EXIT_SYSCALL || ex->kind == BH_EXIT_HYPERCALL) ? ex->pc - 4
                                                                                 : ex->pc;
    bh_fault_where(vm, at, where, sizeof where);
    char detail[64] = "";
    if (ex->kind == BH_EXIT_HYPERCALL) {
        snprintf(detail, sizeof detail, " %s", ex->code == 0 ? "DUMP_PROCESSOR_STATE" : ex->code == 1 ? "SNAPSHOT" : "?");
    } else if (ex->kind == BH_EXIT_FAULT) {
        snprintf(detail, sizeof detail, " %s", bh_vm_exc_name(ex->exc));
    }
    char label[176] = "";
    if (strncmp(where, "0x", 2) != 0) snprintf(label, sizeof label, " (%s)", where);
    fprintf(f, "[%s] exit %s%s at 0x%08x%s after %llu instructions: %s\n", bh_vm_name(vm),
            exit_name(ex->kind), detail, at, label, (unsigned long long)bh_vm_icount(vm),
            handled ? handled : "");
}

/* --trace-exits: what the core did inside the guest between exits (an
 * exception or interrupt delivered to the guest's handler, an interrupt
 * line raised): not exits, the monitor never ran for them. */
static void trace_event(void *opaque, const struct bh_core_event *e)
{
    struct bh_vm *vm = opaque;
    FILE *f = bh_vm_ctl(vm)->diag ? bh_vm_ctl(vm)->diag : stderr;
    char ip[40] = "";
    for (unsigned i = 0, n = 0; i < 8; i++)
        if (e->ip >> (8 + i) & 1u)
            n += (unsigned)snprintf(ip + n, sizeof ip - n, "%sIP%u%s", n ? " " : "", i,
                                    i == 7 ? " (timer)" : "");
    if (e->kind == BH_EV_IRQ) {
        fprintf(f, "[%s] guest interrupt line %s raised after %llu instructions\n", bh_vm_name(vm),
                ip, (unsigned long long)e->icount);
        return;
    }
    char bad[40] = "";
    if (e->exc == BH_EXC_MOD || e->exc == BH_EXC_TLBL || e->exc == BH_EXC_TLBS ||
        e->exc == BH_EXC_ADEL || e->exc == BH_EXC_ADES)
        snprintf(bad, sizeof bad, ", BadVAddr 0x%08x", e->bad);
    char what[48] = "";
    if (e->exc == BH_EXC_INT)
        snprintf(what, sizeof what, " for %s", ip);
    else if (e->refill)
        snprintf(what, sizeof what, " (TLB refill)");
    fprintf(f, "[%s] guest exception %s%s%s at 0x%08x%s%s: to the guest's vector 0x%08x "
               "after %llu instructions\n",
            bh_vm_name(vm), bh_vm_exc_name(e->exc), what,
            e->user < 0 ? "" : e->user ? " in user mode" : " in kernel mode", e->epc,
            e->bd ? " (delay slot)" : "", bad, e->vector, (unsigned long long)e->icount);
}

/* --trace-exits: a device access.  The core left its fast path for the
 * bus (a device page is never in the soft TLB) and the device's callback
 * emulated the register: an MMIO exit (KVM_EXIT_MMIO), handled without
 * leaving bh_vm_run.  The pc is the accessing instruction's. */
static void trace_mmio(void *opaque, const struct bh_io_access *a)
{
    struct bh_vm *vm = opaque;
    FILE *f = bh_vm_ctl(vm)->diag ? bh_vm_ctl(vm)->diag : stderr;
    const struct bh_dev_region *d = a->region->dev;
    const char *reg = bh_dev_reg_name(d, a->offset & ~3u);
    char name[64];
    if (reg && (a->offset & 3u))
        snprintf(name, sizeof name, "%s.%s+%u", d->name, reg, a->offset & 3u);
    else if (reg)
        snprintf(name, sizeof name, "%s.%s", d->name, reg);
    else
        snprintf(name, sizeof name, "%s.+0x%x", d->name, a->offset);
    char val[48];
    if (!a->ok)
        snprintf(val, sizeof val, ": bus error");
    else if (reg && strstr(reg, "data") && a->val >= 0x20 && a->val < 0x7f)
        snprintf(val, sizeof val, " = 0x%x '%c'", a->val, (int)a->val);
    else
        snprintf(val, sizeof val, " = 0x%x", a->val);
    char where[160], label[176] = "";
    uint32_t pc = bh_vm_pc(vm);
    bh_fault_where(vm, pc, where, sizeof where);
    if (strncmp(where, "0x", 2) != 0)
        snprintf(label, sizeof label, " (%s)", where);
    fprintf(f, "[%s] mmio %s %s%s%s at 0x%08x%s after %llu instructions\n", bh_vm_name(vm),
            a->write ? "write" : "read", name, a->size == 4 ? "" : a->size == 2 ? " (half)" : " (byte)",
            val, pc, label, (unsigned long long)bh_vm_icount(vm));
}

void bh_trace_events_on(struct bh_vm *vm)
{
    bh_core_set_event_hook(bh_vm_core(vm), trace_event, vm);
    struct bh_mem *m = bh_vm_mem(vm);
    m->io_observer = trace_mmio;
    m->io_observer_ctx = vm;
}

struct sym_ctx {
    const struct bh_image *img;
};

static const char *sym_at(void *ctx, uint32_t addr)
{
    const struct bh_image *img = ((struct sym_ctx *)ctx)->img;
    const struct bh_symbol *s = img ? bh_image_symbol_before(img, addr) : NULL;
    return s && s->value == addr ? bh_image_str(img, s->name) : NULL;
}

static const char *str_at(void *ctx, uint32_t off)
{
    return bh_image_str(((struct sym_ctx *)ctx)->img, off);
}

/* Does the instruction (or syscall) write a double into an even/odd pair? */
static int writes_double(struct bh_vm *vm, const struct bh_trace_insn *t)
{
    enum isa_op op = t->have_word ? isa_decode(t->word) : ISA_INVALID;
    switch (op) {
    case ISA_CVT_D_S: case ISA_CVT_D_W: case ISA_LDC1: return 1;
    case ISA_CVT_S_D: case ISA_CVT_W_D: case ISA_ROUND_W_D: case ISA_TRUNC_W_D:
    case ISA_CEIL_W_D: case ISA_FLOOR_W_D: return 0;
    case ISA_SYSCALL: return bh_vm_reg(vm, 2) == 7 || bh_vm_reg(vm, 2) == 44; /* read_double, random_double */
    default:
        return isa_table[op].cls == ISA_CLASS_COP1_D && isa_table[op].fmt != F_CC_FS_FT;
    }
}

/* Does the instruction write a word (a conversion to integer)? */
static int writes_word(const struct bh_trace_insn *t)
{
    switch (t->have_word ? isa_decode(t->word) : ISA_INVALID) {
    case ISA_CVT_W_S: case ISA_CVT_W_D: case ISA_ROUND_W_S: case ISA_ROUND_W_D:
    case ISA_TRUNC_W_S: case ISA_TRUNC_W_D: case ISA_CEIL_W_S: case ISA_CEIL_W_D:
    case ISA_FLOOR_W_S: case ISA_FLOOR_W_D: return 1;
    default: return 0;
    }
}

/* The FP registers and FCSR that differ from t->fbefore: a double pair as
 * $fN:M=value (bits), a single register as $fN=value (bits), a word as
 * $fN=integer (bits). */
static void print_fp(struct bh_vm *vm, const struct bh_trace_insn *t, FILE *f)
{
    int dbl = writes_double(vm, t), word = writes_word(t);
    for (unsigned r = 0; r < 32; r++) {
        uint32_t now = bh_vm_fpr(vm, r);
        int changed = now != t->fbefore[r];
        if (dbl && !(r & 1u)) {
            uint32_t hi = bh_vm_fpr(vm, r + 1);
            if (!changed && hi == t->fbefore[r + 1])
                continue;
            uint64_t b = (uint64_t)hi << 32 | now;
            double d;
            memcpy(&d, &b, 8);
            fprintf(f, " $f%u:%u=%.17g (0x%016llx)", r, r + 1, d, (unsigned long long)b);
            r++;
            continue;
        }
        if (!changed)
            continue;
        float x;
        memcpy(&x, &now, 4);
        if (word)
            fprintf(f, " $f%u=%d (0x%08x)", r, (int32_t)now, now);
        else
            fprintf(f, " $f%u=%.9g (0x%08x)", r, (double)x, now);
    }
    if (bh_vm_fcsr(vm) != t->fbefore[32])
        fprintf(f, " fcsr=0x%08x", bh_vm_fcsr(vm));
}

/* The line of the instruction at t->pc: the registers that differ from
 * t->before, and those in the mask show even when their value did not. */
static void print_insn(struct bh_vm *vm, const struct bh_trace_insn *t, uint32_t show)
{
    FILE *f = bh_vm_ctl(vm)->diag ? bh_vm_ctl(vm)->diag : stderr;
    char where[160], dis[96] = "?";
    bh_fault_where(vm, t->pc, where, sizeof where);
    if (strncmp(where, "0x", 2) == 0)
        where[0] = '\0'; /* no label: the address says it */
    struct sym_ctx ctx = {bh_vm_image(vm)};
    if (t->have_word)
        isa_disasm(t->word, t->pc, dis, sizeof dis, sym_at, &ctx, str_at);
    const struct bh_line *l = ctx.img ? bh_image_line_at(ctx.img, t->pc) : NULL;
    char line[64] = "";
    if (l)
        snprintf(line, sizeof line, "%s:%u", bh_image_str(ctx.img, l->file), l->line);
    fprintf(f, "[%s] 0x%08x %-14s %-28s %-14s", bh_vm_name(vm), t->pc, where, dis, line);
    for (unsigned r = 0; r < 34; r++) {
        int32_t now = r < 32 ? bh_vm_reg(vm, r) : r == 32 ? bh_vm_hi(vm) : bh_vm_lo(vm);
        if (now == t->before[r] && !(r < 32 && show >> r & 1))
            continue;
        const char *name = r < 32 ? isa_reg_names[r] : r == 32 ? "hi" : "lo";
        fprintf(f, " $%s=%d", name, now);
    }
    print_fp(vm, t, f);
    fputc('\n', f);
}

void bh_trace_step(struct bh_vm *vm, struct bh_exit *ex, struct bh_trace_insn *t)
{
    for (unsigned r = 0; r < 32; r++)
        t->before[r] = bh_vm_reg(vm, r);
    t->before[32] = bh_vm_hi(vm);
    t->before[33] = bh_vm_lo(vm);
    for (unsigned r = 0; r < 32; r++)
        t->fbefore[r] = bh_vm_fpr(vm, r);
    t->fbefore[32] = bh_vm_fcsr(vm);
    t->pc = bh_vm_pc(vm);
    t->word = 0;
    uint8_t wb[4];
    t->have_word = bh_vm_read(vm, t->pc, wb, 4) == 0;
    if (t->have_word)
        t->word = bh_get32(wb);

    bh_vm_step(vm, ex);

    if (ex->kind == BH_EXIT_FAULT && ex->pc == t->pc)
        return; /* nothing retired */
    if (ex->kind == BH_EXIT_SYSCALL)
        return; /* bh_trace_syscall prints it */
    print_insn(vm, t, 0);
}

void bh_trace_syscall(struct bh_vm *vm, const struct bh_trace_insn *t, int32_t num,
                      enum bh_vm_state st)
{
    const struct bh_syscall_info *s = bh_syscall_info(num);
    /* A syscall that waits for input, faults or ends the VM wrote nothing. */
    print_insn(vm, t, s && st == BH_VM_RUNNING ? s->results : 0);
}

struct mix_ent {
    unsigned op;
    uint64_t n;
};

static int by_count(const void *a, const void *b)
{
    const struct mix_ent *x = a, *y = b;
    return x->n < y->n ? 1 : x->n > y->n ? -1 : (int)x->op - (int)y->op;
}

static void stats_lines(struct bh_vm *vm, double seconds, FILE *out)
{
    const struct bh_stats *st = bh_vm_stats(vm);
    const uint64_t *mix = bh_vm_mix(vm);
    uint64_t n = bh_vm_icount(vm);
    const char *name = bh_vm_name(vm);
    fprintf(out, "[%s] %llu instructions in %.3f s", name, (unsigned long long)n, seconds);
    if (seconds > 0) fprintf(out, " (%.1f MIPS)", (double)n / seconds / 1e6);
    fprintf(out, "\n[%s] exits: %llu budget, %llu syscall, %llu hypercall, %llu fault, %llu halt\n",
            name, (unsigned long long)st->nexits[BH_EXIT_BUDGET],
            (unsigned long long)st->nexits[BH_EXIT_SYSCALL],
            (unsigned long long)st->nexits[BH_EXIT_HYPERCALL],
            (unsigned long long)st->nexits[BH_EXIT_FAULT],
            (unsigned long long)st->nexits[BH_EXIT_HALT]);
    const struct bh_guest_events *g = bh_core_guest_events(bh_vm_core(vm));
    uint64_t nexc = 0, nirq = 0;
    for (int i = 0; i < 32; i++) nexc += g->exc[i];
    for (int i = 0; i < 8; i++) nirq += g->irq[i];
    if (nexc || nirq || bh_vm_machine(vm) == BH_MACHINE_BARE) {
        fprintf(out, "[%s] guest exceptions: %llu", name, (unsigned long long)nexc);
        const char *sep = " (";
        for (int i = 0; i < 32; i++)
            if (g->exc[i]) {
                fprintf(out, "%s%llu %s", sep, (unsigned long long)g->exc[i], bh_vm_exc_name(i));
                sep = ", ";
            }
        fprintf(out, "%s; interrupts raised: %llu", nexc ? ")" : "", (unsigned long long)nirq);
        sep = " (";
        for (int i = 0; i < 8; i++)
            if (g->irq[i]) {
                fprintf(out, "%s%llu IP%d%s", sep, (unsigned long long)g->irq[i], i,
                        i == 7 ? " timer" : "");
                sep = ", ";
            }
        fprintf(out, "%s\n", nirq ? ")" : "");
    }
    struct bh_jit_stats js;
    if (bh_vm_jit_stats(vm, &js) == 0)
        fprintf(out, "[%s] jit: %llu blocks translated, %llu bytes of host code (%llu in the cache), "
                     "%llu chain patches, %llu cache flushes, %.2f ms translating, %llu instructions "
                     "in translated code (%.1f%%)\n",
                name, (unsigned long long)js.blocks, (unsigned long long)js.code_bytes,
                (unsigned long long)js.cache_used, (unsigned long long)js.chains,
                (unsigned long long)js.flushes, (double)js.ns / 1e6, (unsigned long long)js.insns,
                n ? 100.0 * (double)js.insns / (double)n : 0.0);
    const struct bh_mem *m = bh_vm_mem(vm);
    uint64_t nio = 0;
    for (unsigned i = 0; i < m->nio; i++)
        nio += m->io[i].reads + m->io[i].writes;
    if (nio) {
        fprintf(out, "[%s] mmio: %llu device accesses (", name, (unsigned long long)nio);
        const char *sep = "";
        for (unsigned i = 0; i < m->nio; i++)
            if (m->io[i].reads + m->io[i].writes) {
                fprintf(out, "%s%s %llu read%s, %llu write%s", sep, m->io[i].dev->name,
                        (unsigned long long)m->io[i].reads, m->io[i].reads == 1 ? "" : "s",
                        (unsigned long long)m->io[i].writes, m->io[i].writes == 1 ? "" : "s");
                sep = "; ";
            }
        fprintf(out, ")\n");
    }
    const struct bh_disk *disk = bh_vm_disk(vm);
    if (disk) /* since the disk was opened, or the snapshot's counts */
        fprintf(out, "[%s] disk: %llu reads (%llu sectors), %llu writes (%llu sectors), %llu "
                     "flushes, %llu errors\n",
                name, (unsigned long long)disk->r.reads, (unsigned long long)disk->r.sectors_read,
                (unsigned long long)disk->r.writes, (unsigned long long)disk->r.sectors_written,
                (unsigned long long)disk->r.flushes, (unsigned long long)disk->r.errors);
    const struct bh_nic *nic = bh_vm_nic(vm);
    if (nic) { /* since the VM started, or the snapshot's counts */
        const uint8_t *m = nic->mac;
        fprintf(out, "[%s] nic %02x:%02x:%02x:%02x:%02x:%02x: %llu frames received (%llu bytes), "
                     "%llu sent (%llu bytes, %llu without a link), %llu errors\n",
                name, m[0], m[1], m[2], m[3], m[4], m[5], (unsigned long long)nic->r.rx_frames,
                (unsigned long long)nic->r.rx_bytes, (unsigned long long)nic->r.tx_frames,
                (unsigned long long)nic->r.tx_bytes, (unsigned long long)nic->r.tx_nolink,
                (unsigned long long)nic->r.errors);
    }
    if (bh_vm_machine(vm) == BH_MACHINE_BARE) {
        const struct bh_mmu_stats *t = &bh_vm_mem(vm)->mmu;
        fprintf(out, "[%s] tlb: %llu refills, %llu guest TLB writes, %llu shadow flushes (%llu entries)\n",
                name, (unsigned long long)t->refills, (unsigned long long)t->tlb_writes,
                (unsigned long long)t->flushes, (unsigned long long)t->flushed);
    }
    if (!mix)
        return;
    struct mix_ent e[ISA_COUNT];
    unsigned k = 0;
    uint64_t total = 0;
    for (unsigned op = 0; op < ISA_COUNT; op++)
        if (mix[op]) { e[k].op = op; e[k].n = mix[op]; total += mix[op]; k++; }
    qsort(e, k, sizeof e[0], by_count);
    uint64_t nfp = 0;
#define X_FP_COUNT(id, mn, val, fmt, sem) nfp += mix[ISA_##id];
    ISA_LIST_FP(X_FP_COUNT)
#undef X_FP_COUNT
    fprintf(out, "[%s] instruction mix", name);
    if (total != n) /* restored or arrived: counted since then */
        fprintf(out, " of the %llu run here", (unsigned long long)total);
    fputc(':', out);
    for (unsigned i = 0; i < k; i++)
        fprintf(out, "%s %s %llu (%.1f%%)", i ? "," : "",
                e[i].op ? isa_table[e[i].op].mnemonic : "invalid", (unsigned long long)e[i].n,
                100.0 * (double)e[i].n / (double)total);
    fputc('\n', out);
    if (nfp)
        fprintf(out, "[%s] floating point: %llu instructions (%.1f%% of the mix)\n", name,
                (unsigned long long)nfp, 100.0 * (double)nfp / (double)total);
}

/* The lines of one VM stay together, and whole, while other VMs' threads
 * print theirs (a line is made of several calls). */
void bh_trace_stats(struct bh_vm *vm, double seconds, FILE *out)
{
    flockfile(out);
    stats_lines(vm, seconds, out);
    funlockfile(out);
}
