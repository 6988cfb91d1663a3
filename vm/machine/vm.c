/* vm.c: building a VM from a program image (memory map, registers, the
 * start-up stack, devices), the decoder that turns text words into the
 * core's pre-decoded form, and the accessors of include/vm.h. */
#include "machine/vm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "bh_util.h"

/* SPIM 8.0's first sbrk returns 0x10020000 for any small program; we
 * never hand out a break inside .data, so a larger .data moves it up to
 * the page after its end. */
#define BH_BRK_MIN 0x10020000u
/* Status after SPIM's start-up: user mode, all interrupt masks set,
 * interrupts disabled (IE = 0). */
#define BH_STATUS_INIT 0x3000ff10u

void bh_vm_opts_init(struct bh_vm_opts *o)
{
    memset(o, 0, sizeof *o);
    o->mem_limit = BH_VM_DEFAULT_MEM;
}

/* ---- decoder ---------------------------------------------------------- */

static uint8_t dst(uint32_t r) { return (uint8_t)(r ? r : BH_REG_SINK); }

/* Decode the word at index i of a segment of n words at base.  Every
 * destination register goes to rd (remapped from $0 to the sink); rs and
 * rt stay sources.  Branch/jump targets become offsets in slots. */
static void decode(uint32_t w, uint32_t base, uint32_t i, uint32_t n, struct bh_dinsn *d)
{
    enum isa_op op = isa_decode(w);
    uint32_t op_out = op;
    memset(d, 0, sizeof *d);
    d->rs = (uint8_t)ISA_RS(w);
    d->rt = (uint8_t)ISA_RT(w);
    d->rd = dst(ISA_RD(w));
    d->sa = (uint8_t)ISA_SA(w);
    d->imm = ISA_SIMM(w);
    switch (op) {
    case ISA_SLL:
        if (ISA_RD(w) == 0)
            op_out = BH_DOP_NOP;
        break;
    case ISA_ADDI: case ISA_ADDIU: case ISA_SLTI: case ISA_SLTIU:
    case ISA_LB: case ISA_LH: case ISA_LWL: case ISA_LW: case ISA_LBU: case ISA_LHU: case ISA_LWR:
    case ISA_LL: case ISA_SC:
        d->rd = dst(ISA_RT(w));
        break;
    case ISA_ANDI: case ISA_ORI: case ISA_XORI:
        d->rd = dst(ISA_RT(w));
        d->imm = (int32_t)ISA_IMM(w);
        break;
    case ISA_LUI:
        d->rd = dst(ISA_RT(w));
        d->imm = (int32_t)(ISA_IMM(w) << 16);
        break;
    case ISA_MFC0:
        d->rd = dst(ISA_RT(w));
        d->sa = (uint8_t)ISA_RD(w); /* the cp0 register */
        break;
    case ISA_MTC0:
        d->sa = (uint8_t)ISA_RD(w);
        break;
    case ISA_BEQ: case ISA_BNE: case ISA_BLEZ: case ISA_BGTZ:
    case ISA_BLTZ: case ISA_BGEZ: case ISA_BLTZAL: case ISA_BGEZAL: {
        int64_t t = (int64_t)i + 1 + ISA_SIMM(w);
        if (t < 0 || t > (int64_t)n)
            op_out = BH_DOP_BRANCH_FAR;
        d->imm = (int32_t)(t - (int64_t)i - 1) * (int32_t)sizeof *d; /* from the next slot */
        if (op == ISA_BLTZAL || op == ISA_BGEZAL)
            d->rd = 31;
        break;
    }
    case ISA_J: case ISA_JAL: {
        uint32_t pc = base + 4 * i;
        uint32_t target = ((pc + 4) & 0xf0000000u) | ISA_TARGET(w) << 2;
        uint64_t off = (uint64_t)target - base;
        if (target < base || off / 4 > n)
            op_out = BH_DOP_JUMP_FAR;
        else
            d->imm = (int32_t)((int64_t)(off / 4) - (int64_t)i - 1) * (int32_t)sizeof *d;
        d->link = pc + 4;
        break;
    }
    case ISA_BREAK:
        d->imm = (int32_t)ISA_CODE(w);
        break;
    case ISA_SNAPSHOT: case ISA_DUMP_PROCESSOR_STATE:
        d->imm = (int32_t)ISA_IMM(w);
        break;
    default:
        break;
    }
    d->u.op = op_out;
}

/* Is op a plain ALU op of BH_FUSE_LIST? */
static int fusable(uintptr_t op)
{
    switch (op) {
#define X_FUSABLE(o) case ISA_##o:
        BH_FUSE_LIST(X_FUSABLE)
#undef X_FUSABLE
        return 1;
    default:
        return 0;
    }
}

/* Pair ALU ops with the beq/bne after them (BH_FUSE_LIST). */
static void fuse(struct bh_code *c)
{
#ifdef BH_NO_FUSE
    return;
#endif
    /* Skip-one and skip-two branches first: they look at the plain ops
     * after them. */
    for (uint32_t i = 0; i + 2 < c->n; i++) {
        uintptr_t br = c->d[i].u.op;
        if ((br != ISA_BEQ && br != ISA_BNE) || c->d[i].imm != 2 * (int32_t)sizeof *c->d)
            continue;
        /* Where an ALU op computes the condition just before, fusing the
         * two (below) is kept: skip-two is for conditions loaded or
         * computed earlier (the sieve's lbu; beq). */
        if (i > 0 && fusable(c->d[i - 1].u.op))
            continue;
        int bne = br == ISA_BNE;
        uintptr_t a = c->d[i + 1].u.op, b = c->d[i + 2].u.op;
#define X_SKIP2_CASE(x, y)                                                                         \
    if (a == ISA_##x && b == ISA_##y)                                                              \
        c->d[i].u.op = bne ? BH_DOP_BNE_SKIP2_##x##_##y : BH_DOP_BEQ_SKIP2_##x##_##y;
#define X_SKIP2_ROW(x) BH_SKIP_LIST2(X_SKIP2_CASE, x)
        BH_SKIP_LIST(X_SKIP2_ROW)
#undef X_SKIP2_ROW
#undef X_SKIP2_CASE
    }
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        uintptr_t br = c->d[i].u.op;
        if ((br != ISA_BEQ && br != ISA_BNE) || c->d[i].imm != (int32_t)sizeof *c->d)
            continue;
        int bne = br == ISA_BNE;
        switch (c->d[i + 1].u.op) {
#define X_SKIP_CASE(o)                                                                             \
    case ISA_##o:                                                                                  \
        c->d[i].u.op = bne ? BH_DOP_BNE_SKIP_##o : BH_DOP_BEQ_SKIP_##o;                            \
        break;
            BH_SKIP_LIST(X_SKIP_CASE)
#undef X_SKIP_CASE
        default:
            break;
        }
    }
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        /* Not onto skip-one forms: those never take a host branch, which
         * beats saving a dispatch when the guest branch is unpredictable. */
        uintptr_t br = c->d[i + 1].u.op;
        if (br != ISA_BEQ && br != ISA_BNE)
            continue;
        int bne = br == ISA_BNE;
        switch (c->d[i].u.op) {
#define X_FUSE_CASE(o)                                                                             \
    case ISA_##o:                                                                                  \
        c->d[i].u.op = bne ? BH_DOP_##o##_BNE : BH_DOP_##o##_BEQ;                                  \
        break;
            BH_FUSE_LIST(X_FUSE_CASE)
#undef X_FUSE_CASE
        default:
            break;
        }
    }
}

/* The position of a plain op in BH_PAIR_FIRST, or -1. */
static int pair_k(uintptr_t op)
{
    switch (op) {
#define X_PK_CASE(o)                                                                               \
    case ISA_##o:                                                                                  \
        return BH_PK_##o;
        BH_PAIR_FIRST(X_PK_CASE)
#undef X_PK_CASE
    default:
        return -1;
    }
}

_Static_assert(BH_FK_ADDIU == 0, "pair() takes BH_DOP_ADDIU_BEQ as the first fused op");

/* The position of a plain op in BH_TRIPLE_FIRST, or -1. */
static int triple_k(uintptr_t op)
{
    switch (op) {
#define X_TK_CASE(o)                                                                               \
    case ISA_##o:                                                                                  \
        return BH_TK_##o;
        BH_TRIPLE_FIRST(X_TK_CASE)
#undef X_TK_CASE
    default:
        return -1;
    }
}

/* The position of a plain op in BH_QUAD_FIRST, or -1. */
static int quad_k(uintptr_t op)
{
    switch (op) {
#define X_QK_CASE(o)                                                                               \
    case ISA_##o:                                                                                  \
        return BH_QK_##o;
        BH_QUAD_FIRST(X_QK_CASE)
#undef X_QK_CASE
    default:
        return -1;
    }
}

/* The position of a plain op in BH_QUAD_SECOND, or -1. */
static int quad2_k(uintptr_t op)
{
    switch (op) {
#define X_Q2K_CASE(o)                                                                              \
    case ISA_##o:                                                                                  \
        return BH_Q2K_##o;
        BH_QUAD_SECOND1(X_Q2K_CASE)
#undef X_Q2K_CASE
    default:
        return -1;
    }
}

static int is_fused(uintptr_t op)
{
    return op >= BH_DOP_ADDIU_BEQ && op < BH_DOP_ADDIU_BEQ + 2 * BH_FK_COUNT;
}

/* Pair adjacent plain ops of BH_PAIR_FIRST (after fuse(), which has
 * priority: an ALU op fused with its branch is no longer plain).  Pairs
 * overlap: each slot pairs with the next by the ops the loader decoded, so
 * a jump to any slot still runs pairs. */
static void pair(struct bh_code *c)
{
#ifdef BH_NO_FUSE
    return;
#endif
    if (c->n < 2)
        return;
    int next = pair_k(c->d[0].u.op);
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        int k1 = next;
        next = pair_k(c->d[i + 1].u.op); /* read before slot i+1 is rewritten */
        uintptr_t op2 = c->d[i + 1].u.op;
        int t = triple_k(c->d[i].u.op);
        int q1 = quad_k(c->d[i].u.op), q2 = quad2_k(op2);
        if (q1 >= 0 && q2 >= 0 && i + 2 < c->n && is_fused(c->d[i + 2].u.op))
            /* slot i+2 holds a fused op (never rewritten here) */
            c->d[i].u.op = (uintptr_t)BH_DOP_QUADS_BEGIN +
                           (uintptr_t)(q1 * BH_Q2K_COUNT + q2) * 2 * BH_FK_COUNT +
                           (c->d[i + 2].u.op - BH_DOP_ADDIU_BEQ);
        else if (k1 >= 0 && next >= 0)
            c->d[i].u.op = (uintptr_t)BH_DOP_PAIRS_BEGIN + (uintptr_t)(k1 * BH_PK_COUNT + next);
        else if (t >= 0 && is_fused(op2))
            /* a fused pair follows: the triple's index continues its order
             * (BH_DOP_ADDIU_BEQ is the first fused op: BH_FK_ADDIU == 0) */
            c->d[i].u.op = (uintptr_t)BH_DOP_TRIPLES_BEGIN +
                           (uintptr_t)t * 2 * BH_FK_COUNT + (op2 - BH_DOP_ADDIU_BEQ);
    }
}

static int decode_segment(struct bh_code *c, const struct bh_segment *s, char *err, size_t errlen)
{
    c->base = s->addr;
    c->n = s->size / 4;
    c->words = s->bytes;
    c->d = calloc((size_t)c->n + 1, sizeof *c->d);
    if (!c->d)
        return bh_errf(err, errlen, "out of memory decoding %u instructions", c->n);
    for (uint32_t i = 0; i < c->n; i++)
        decode(bh_get32(s->bytes + 4 * i), c->base, i, c->n, &c->d[i]);
    c->d[c->n].u.op = BH_DOP_END;
    fuse(c);
    pair(c);
    return 0;
}

/* Tally mode: each slot decoded alone (no superinstruction, so each
 * dispatch is one instruction) and preceded by BH_DOP_TALLY. */
static int tally_segment(struct bh_code *c)
{
    if (c->tally || !c->n)
        return 0;
    c->tally = calloc(c->n, sizeof *c->tally);
    if (!c->tally)
        return -1;
    for (uint32_t i = 0; i < c->n; i++) {
        uint32_t w = bh_get32(c->words + 4 * i);
        decode(w, c->base, i, c->n, &c->d[i]);
        c->tally[i].u.op = c->d[i].u.op;
        c->tally[i].isa = (uint32_t)isa_decode(w);
        c->d[i].u.op = BH_DOP_TALLY;
    }
    return 0;
}

int bh_vm_tally(struct bh_vm *vm)
{
    if (!vm->mix && !(vm->mix = calloc(ISA_COUNT, sizeof *vm->mix)))
        return -1;
    if (tally_segment(&vm->text) != 0 || tally_segment(&vm->ktext) != 0)
        return -1;
    vm->threaded = 0; /* thread the new ops at the next run */
    return 0;
}

/* ---- creation --------------------------------------------------------- */

/* SPIM's start-up stack: $sp -> argc, argv[0..argc-1], NULL, envp NULL,
 * then the strings up to BH_VM_STACK_TOP. */
static int build_stack(struct bh_vm *vm, int argc, char **argv, char *err, size_t errlen)
{
    uint32_t top = BH_VM_STACK_TOP;
    uint32_t *ptrs = calloc((size_t)argc + 1, sizeof *ptrs);
    if (!ptrs)
        return bh_errf(err, errlen, "out of memory");
    for (int i = argc - 1; i >= 0; i--) {
        size_t len = strlen(argv[i]) + 1;
        if (len > 65536 || top - 0x7f000000u < len) {
            free(ptrs);
            return bh_errf(err, errlen, "guest arguments are too long");
        }
        top -= (uint32_t)len;
        if (bh_mem_write(&vm->mem, top, argv[i], (uint32_t)len) != 0) {
            free(ptrs);
            return bh_errf(err, errlen, "memory limit too small for the guest arguments");
        }
        ptrs[i] = top;
    }
    top &= ~3u;
    /* argc, argv[], NULL, envp NULL */
    uint32_t words = 1 + (uint32_t)argc + 1 + 1;
    uint32_t sp = (top - 4 * words) & ~7u;
    uint8_t buf[4];
    int rc = 0;
    bh_put32(buf, (uint32_t)argc);
    rc |= bh_mem_write(&vm->mem, sp, buf, 4);
    for (int i = 0; i <= argc; i++) {
        bh_put32(buf, ptrs[i]);
        rc |= bh_mem_write(&vm->mem, sp + 4 + 4 * (uint32_t)i, buf, 4);
    }
    bh_put32(buf, 0);
    rc |= bh_mem_write(&vm->mem, sp + 4 + 4 * (uint32_t)argc + 4, buf, 4);
    free(ptrs);
    if (rc)
        return bh_errf(err, errlen, "memory limit too small for the stack");
    vm->cpu.r[29] = (int32_t)sp;
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The original v0.2 tool's instruction files (no labels, no data, only
 * register arithmetic and its two hypercalls) started with every register
 * zero, and their DUMP_PROCESSOR_STATE shows it.  Such a program cannot
 * touch memory, jump or call the monitor other than by hypercall, so it
 * never uses $sp or $gp as pointers: starting them at zero changes nothing
 * but the dump, which then matches the original tool's.  Every other
 * program gets SPIM's $gp and $sp. */
static int original_form(const struct bh_image *img)
{
    if (img->nsymbols || (img->flags & BH_IMG_STARTUP) || img->seg[BH_SEG_DATA].size ||
        img->seg[BH_SEG_KTEXT].size || img->seg[BH_SEG_KDATA].size)
        return 0;
    const struct bh_segment *t = &img->seg[BH_SEG_TEXT];
    for (uint32_t i = 0; i + 4 <= t->size; i += 4) {
        enum isa_op op = isa_decode(bh_get32(t->bytes + i));
        if (op == ISA_INVALID)
            return 0;
        const struct isa_info *in = &isa_table[op];
        switch (in->fmt) {
        case F_RD_RS_RT: case F_RD_RT_RS: case F_RD_RT_SA: case F_RD_RS: case F_RD:
        case F_RT_RS_SIMM: case F_RT_RS_UIMM: case F_RT_UIMM:
            if (op == ISA_MOVZ || op == ISA_MOVN || in->cls == ISA_CLASS_COP0)
                return 0;
            break;
        case F_NONE: case F_STR:
            if (in->cls != ISA_CLASS_HV)
                return 0;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

/* A device's interrupt line n is the CPU's hardware interrupt n (Cause
 * bit IP(n + 2), bit 8 + 2 + n). */
static void cpu_irq(void *opaque, unsigned line, int level)
{
    bh_vm_irq(opaque, 1u << (10 + line), level);
}

int bh_vm_create(const struct bh_image *img, const struct bh_vm_opts *o, struct bh_vm **out,
                 char *err, size_t errlen)
{
    struct bh_vm_opts defaults;
    if (!o) {
        bh_vm_opts_init(&defaults);
        o = &defaults;
    }
    *out = NULL;
    struct bh_vm *vm = calloc(1, sizeof *vm);
    if (!vm)
        return bh_errf(err, errlen, "out of memory");
    vm->img = img;
    vm->opts = *o;
    vm->opts.argc = 0;
    vm->opts.argv = NULL;
    vm->name = dup_or_null(o->name);
    vm->fs_root = dup_or_null(o->fs_root);
    vm->opts.name = vm->name;
    vm->opts.fs_root = vm->fs_root;
    if (!vm->opts.mem_limit)
        vm->opts.mem_limit = BH_VM_DEFAULT_MEM;
    int pv_ok = 0;

    if (bh_mem_init(&vm->mem, vm->opts.mem_limit, err, errlen) != 0)
        goto fail;
    if (img->seg[BH_SEG_TEXT].size % 4 || img->seg[BH_SEG_KTEXT].size % 4) {
        bh_errf(err, errlen, "text size is not a multiple of 4");
        goto fail;
    }
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        const struct bh_segment *g = &img->seg[s];
        if (!g->size)
            continue;
        int text = s == BH_SEG_TEXT || s == BH_SEG_KTEXT;
        if (bh_mem_load_bytes(&vm->mem, g->addr, g->bytes, g->size, !text, err, errlen) != 0)
            goto fail;
    }
    if (decode_segment(&vm->text, &img->seg[BH_SEG_TEXT], err, errlen) != 0 ||
        decode_segment(&vm->ktext, &img->seg[BH_SEG_KTEXT], err, errlen) != 0)
        goto fail;

    if (!original_form(img)) {
        vm->cpu.r[28] = (int32_t)BH_GP_INIT;
        vm->cpu.r[29] = (int32_t)BH_VM_SP_INIT;
    }
    vm->cpu.pc = img->entry;
    vm->cpu.c0[BH_C0_STATUS] = BH_STATUS_INIT;
    if (img->flags & BH_IMG_STARTUP) {
        char *noargs[1] = {(char *)"program"};
        int argc = o->argc > 0 && o->argv ? o->argc : 1;
        if (build_stack(vm, argc, o->argc > 0 && o->argv ? o->argv : noargs, err, errlen) != 0)
            goto fail;
    }
    const struct bh_segment *data = &img->seg[BH_SEG_DATA];
    uint64_t data_end = (uint64_t)data->addr + data->size;
    uint64_t brk = (data_end + BH_PAGE_SIZE - 1) & ~(uint64_t)(BH_PAGE_SIZE - 1);
    vm->brk = data->size && brk > BH_BRK_MIN ? (uint32_t)brk : BH_BRK_MIN;
    vm->img_hash = bh_image_hash(img);

    if (bh_pv_init(&vm->pv, vm->opts.seed, vm->fs_root, err, errlen) != 0)
        goto fail;
    pv_ok = 1;
    /* The board: the console's registers at BH_MMIO_BASE, its receiver on
     * hardware interrupt 1 (Cause IP3) and its transmitter on 0 (IP2), as
     * SPIM and MARS wire them. */
    bh_console_init(&vm->con);
    bh_vm_set_state(vm, BH_VM_RUNNING);
    vm->con.irq_rcv = (struct bh_irq){cpu_irq, vm, 1};
    vm->con.irq_tx = (struct bh_irq){cpu_irq, vm, 0};
    if (bh_mem_map_io(&vm->mem, BH_MMIO_BASE, bh_console_region.size, bh_console_region.read,
                      bh_console_region.write, &vm->con, err, errlen) != 0)
        goto fail;
    bh_vm_state_changed(vm);
    *out = vm;
    return 0;
fail:
    if (pv_ok)
        bh_pv_free(&vm->pv);
    free(vm->text.d);
    free(vm->ktext.d);
    bh_mem_free(&vm->mem);
    free(vm->name);
    free(vm->fs_root);
    free(vm);
    return -1;
}

void bh_vm_destroy(struct bh_vm *vm)
{
    if (!vm)
        return;
    bh_pv_free(&vm->pv);
    bh_console_free(&vm->con);
    free(vm->mix);
    free(vm->text.d);
    free(vm->ktext.d);
    free(vm->text.tally);
    free(vm->ktext.tally);
    bh_mem_free(&vm->mem);
    free(vm->name);
    free(vm->fs_root);
    free(vm);
}

int bh_vm_has_handler(const struct bh_vm *vm)
{
    return vm->ktext.n && BH_EXC_VECTOR >= vm->ktext.base &&
           (BH_EXC_VECTOR - vm->ktext.base) / 4 < vm->ktext.n;
}

void bh_vm_state_changed(struct bh_vm *vm)
{
    if (vm->timer_armed) {
        uint32_t count = (uint32_t)(vm->icount - vm->count_base);
        uint32_t delta = vm->cpu.c0[BH_C0_COMPARE] - count;
        vm->timer_at = vm->icount + (delta ? delta : (1ull << 32));
    }
    vm->check_now = 1;
    bh_mem_tlb_flush(&vm->mem);
}

/* ---- accessors ----------------------------------------------------------- */

int32_t bh_vm_reg(const struct bh_vm *vm, unsigned r) { return r && r < 32 ? vm->cpu.r[r] : 0; }
void bh_vm_set_reg(struct bh_vm *vm, unsigned r, int32_t v)
{
    if (r && r < 32)
        vm->cpu.r[r] = v;
}
int32_t bh_vm_hi(const struct bh_vm *vm) { return vm->cpu.hi; }
int32_t bh_vm_lo(const struct bh_vm *vm) { return vm->cpu.lo; }
void bh_vm_set_hilo(struct bh_vm *vm, int32_t hi, int32_t lo)
{
    vm->cpu.hi = hi;
    vm->cpu.lo = lo;
}
uint32_t bh_vm_pc(const struct bh_vm *vm) { return vm->cpu.pc; }
void bh_vm_set_pc(struct bh_vm *vm, uint32_t pc) { vm->cpu.pc = pc; }

uint32_t bh_vm_c0(const struct bh_vm *vm, unsigned r)
{
    if (r >= 32)
        return 0;
    if (r == BH_C0_COUNT)
        return (uint32_t)(vm->icount - vm->count_base);
    return vm->cpu.c0[r];
}

void bh_vm_set_c0(struct bh_vm *vm, unsigned r, uint32_t v)
{
    if (r >= 32)
        return;
    if (r == BH_C0_COUNT) {
        vm->count_base = vm->icount - v;
    } else if (r == BH_C0_COMPARE) {
        vm->cpu.c0[r] = v;
        vm->cpu.c0[BH_C0_CAUSE] &= ~BH_CAUSE_TIMER;
        vm->timer_armed = 1;
    } else {
        vm->cpu.c0[r] = v;
    }
    bh_vm_state_changed(vm);
}

void bh_vm_irq(struct bh_vm *vm, uint32_t cause_mask, int level)
{
    cause_mask &= BH_CAUSE_IP;
    if (level)
        vm->cpu.c0[BH_C0_CAUSE] |= cause_mask;
    else
        vm->cpu.c0[BH_C0_CAUSE] &= ~cause_mask;
    vm->check_now = 1;
}

uint64_t bh_vm_icount(const struct bh_vm *vm) { return vm->icount; }

int bh_vm_read(struct bh_vm *vm, uint32_t addr, void *dst, uint32_t n)
{
    return bh_mem_read(&vm->mem, addr, dst, n);
}

int bh_vm_write(struct bh_vm *vm, uint32_t addr, const void *src, uint32_t n)
{
    return bh_mem_write(&vm->mem, addr, src, n);
}

long bh_vm_read_str(struct bh_vm *vm, uint32_t addr, char *dst, size_t cap)
{
    for (size_t i = 0; i < cap; i++) {
        if (bh_mem_read(&vm->mem, addr + (uint32_t)i, dst + i, 1) != 0 || addr + i > 0xffffffffu)
            return -1;
        if (dst[i] == '\0')
            return (long)i;
    }
    if (cap)
        dst[cap - 1] = '\0';
    return -1;
}

uint32_t bh_vm_brk(const struct bh_vm *vm) { return vm->brk; }
void bh_vm_set_brk(struct bh_vm *vm, uint32_t brk) { vm->brk = brk; }
const struct bh_image *bh_vm_image(const struct bh_vm *vm) { return vm->img; }
uint64_t bh_vm_image_hash(const struct bh_vm *vm) { return vm->img_hash; }
const char *bh_vm_name(const struct bh_vm *vm) { return vm->name ? vm->name : ""; }
const char *bh_vm_fs_root(const struct bh_vm *vm) { return vm->fs_root; }
uint64_t bh_vm_seed(const struct bh_vm *vm) { return vm->opts.seed; }
uint64_t bh_vm_mem_limit(const struct bh_vm *vm) { return vm->opts.mem_limit; }
struct bh_console *bh_vm_console(struct bh_vm *vm) { return &vm->con; }
struct bh_vm_ctl *bh_vm_ctl(struct bh_vm *vm) { return &vm->ctl; }
struct bh_stats *bh_vm_stats(struct bh_vm *vm) { return &vm->stats; }
const uint64_t *bh_vm_mix(const struct bh_vm *vm) { return vm->mix; }

void bh_vm_set_state(struct bh_vm *vm, enum bh_vm_state st)
{
    vm->ctl.state = st;
    vm->con.hold_lines = st == BH_VM_RUNNING || st == BH_VM_WAITING;
}

void bh_vm_retry_syscall(struct bh_vm *vm)
{
    vm->cpu.pc -= 4;
    vm->icount--;
    if (vm->mix)
        vm->mix[ISA_SYSCALL]--; /* --stats: tallied again when it runs */
    bh_vm_state_changed(vm);
}
struct bh_mem *bh_vm_mem(struct bh_vm *vm) { return &vm->mem; }

const char *bh_vm_exc_name(int exc)
{
    switch (exc) {
    case BH_EXC_INT: return "Int";
    case BH_EXC_ADEL: return "AdEL";
    case BH_EXC_ADES: return "AdES";
    case BH_EXC_IBE: return "IBE";
    case BH_EXC_DBE: return "DBE";
    case BH_EXC_SYS: return "Sys";
    case BH_EXC_BP: return "Bp";
    case BH_EXC_RI: return "RI";
    case BH_EXC_OV: return "Ov";
    case BH_EXC_TR: return "Tr";
    default: return "?";
    }
}
