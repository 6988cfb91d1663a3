/* jit.c: the translation tier (jit.h, docs/jit.md): blocks of the
 * SPIM-style machine's text translated to x86-64 code with x64emit.h.
 *
 * Guest-to-host register convention (stage 1: no register caching):
 *
 *     rbx  -> struct bh_core (cs): the whole guest state at fixed displacements
 *             [rbx + 4*i]  guest $i (cpu.r[i], cpu at offset 0)
 *             [rbx + HI], [rbx + LO], [rbx + PC]
 *             [rbx + ICOUNT] (u64), [rbx + CHECK_AT] (u64, jit_check_at)
 *             [rbx + TLB + 16*k] the soft TLB entry k: rtag, wtag, addend
 *             [rbx + ENTRY] -> the block of each text word, or NULL (jr, jalr)
 *     eax, ecx, edx, esi: scratch, dead between guest instructions
 *     eax at exit: 1 arrived by a taken branch, 0 stopped before an
 *                  instruction left to the interpreter
 *
 * Each guest instruction loads its operands from cs->cpu.r and stores its
 * result there, so at every instruction boundary the guest state in cs is
 * exact except cs->cpu.pc and cs->icount, which every exit writes: a fault,
 * a miss of the soft TLB, anything unusual is a side exit to the
 * interpreter *before* the instruction (icount += the ones before it, pc
 * = it), which then runs it with its own slow paths and fault reporting.
 *
 * A block starts at a taken branch's target and runs straight on through
 * not-taken branches (they end nothing in the interpreter either) up to an
 * unconditional jump, a branch-likely, an instruction the translator does
 * not handle, or BLOCK_MAX instructions.  Each taken exit adds its count,
 * compares icount with jit_check_at (the interpreter's check at a taken
 * branch) and jumps to the next block when it is translated (chaining, a
 * patched jmp rel32 as TCG's goto_tb), else returns to the interpreter. */
#include "core/jit.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "bh_util.h"
#include "core/cpu.h"
#include "core/cpu_priv.h"
#include "core/x64emit.h"

#define BLOCK_MAX 64u
/* The most one block can take: BLOCK_MAX instructions of at most 96
 * bytes, each with a cold exit of 32, and the last exit. */
#define BLOCK_BYTES (BLOCK_MAX * (96u + 32u) + 128u)
#define DECLINED UINT32_MAX

#define OFF_R(i) ((int32_t)(offsetof(struct bh_core, cpu.r) + 4u * (unsigned)(i)))
#define OFF_HI ((int32_t)offsetof(struct bh_core, cpu.hi))
#define OFF_LO ((int32_t)offsetof(struct bh_core, cpu.lo))
#define OFF_PC ((int32_t)offsetof(struct bh_core, cpu.pc))
#define OFF_ICOUNT ((int32_t)offsetof(struct bh_core, icount))
#define OFF_CHECK ((int32_t)offsetof(struct bh_core, jit_check_at))
#define OFF_MIX ((int32_t)offsetof(struct bh_core, mix))
#define OFF_TLB ((int32_t)offsetof(struct bh_core, mem.tlb))
#define OFF_ENTRY ((int32_t)offsetof(struct bh_core, jit_entry))
_Static_assert(sizeof(struct bh_tlb_entry) == 16, "the TLB index is scaled by a shift of 4");
_Static_assert(offsetof(struct bh_core, cpu) == 0, "guest registers at rbx + 4*i");

enum { RAX = X64_RAX, RCX = X64_RCX, RDX = X64_RDX, RBX = X64_RBX, RSI = X64_RSI, RDI = X64_RDI };

/* A direct exit not chained yet: its jmp rel32, and the word it goes to. */
struct pending {
    uint32_t target;
    uint8_t *rel32;
};

struct bh_jit {
    uint8_t *code; /* the cache: the two stubs, then blocks */
    size_t size, used, stubs;
    int (*enter)(struct bh_core *cs, const uint8_t *block); /* the entry stub */
    const uint8_t *exit;                                     /* the exit stub */
    unsigned threshold;
    uint32_t n;      /* text words */
    uint32_t *hits;  /* arrivals at each word; DECLINED when it cannot start a block */
    uint8_t **entry; /* each word's block, or NULL */
    struct pending *pend;
    size_t npend, pend_cap;
    struct bh_jit_stats st;
    /* The last block translated, for the hook (--jit-dump): where each
     * guest instruction's host code starts, each exit out of line. */
    uint32_t word[BLOCK_MAX], insn_off[BLOCK_MAX + 1];
    uint32_t exit_off[2 * BLOCK_MAX + 1], exit_pc[2 * BLOCK_MAX + 1];
    unsigned nexits;
    uint32_t ninsns, nbytes;
};

/* One block being emitted. */
struct emit {
    struct x64_buf b;
    struct bh_core *cs;
    uint32_t k;       /* instructions before the current one */
    int tally;        /* --stats: count each instruction by op in cs->mix */
    struct cold {     /* side exits out of line, after the block */
        uint8_t *rel32;
        uint32_t k, pc;
    } cold[2 * BLOCK_MAX];
    unsigned ncold;
    struct pending out[BLOCK_MAX + 1]; /* its direct exits: a branch each, two for the last */
    unsigned nout;
};

static uint32_t pc_of(const struct emit *e, uint32_t i) { return e->cs->text.base + 4u * i; }

/* ---- the pieces of a block ---------------------------------------------------- */

/* Retire k instructions, set pc, return `how` through the exit stub. */
static void exit_to(struct emit *e, uint32_t k, uint32_t pc, int how, struct bh_jit *j)
{
    if (k)
        x64_alu64_mem_imm(&e->b, X64_ADD, RBX, OFF_ICOUNT, (int32_t)k);
    x64_store_imm32(&e->b, RBX, OFF_PC, pc);
    x64_mov_imm32(&e->b, RAX, (uint32_t)how);
    uint8_t *r = x64_jmp(&e->b);
    if (r)
        x64_patch(r, j->exit);
}

/* Leave before the current instruction when the flags say cc. */
static void side_exit_if(struct emit *e, enum x64_cc cc, uint32_t i)
{
    uint8_t *r = x64_jcc(&e->b, cc);
    if (e->ncold < sizeof e->cold / sizeof e->cold[0])
        e->cold[e->ncold++] = (struct cold){r, e->k, pc_of(e, i)};
    else
        e->b.full = 1;
}

/* A taken branch to word t (retiring k instructions in all): the budget
 * check, then the chain slot (to the exit below until t is translated). */
static void taken_exit(struct emit *e, struct bh_jit *j, uint32_t k, uint32_t t)
{
    x64_alu64_mem_imm(&e->b, X64_ADD, RBX, OFF_ICOUNT, (int32_t)k);
    x64_load64(&e->b, RAX, RBX, X64_NOINDEX, OFF_ICOUNT);
    x64_alu64_mem(&e->b, X64_CMP, RAX, RBX, X64_NOINDEX, OFF_CHECK);
    uint8_t *due = x64_jcc(&e->b, X64_AE);
    uint8_t *chain = t < j->n ? x64_jmp(&e->b) : NULL;
    uint8_t *out = e->b.p;
    exit_to(e, 0, pc_of(e, t), 1, j);
    if (e->b.full)
        return;
    x64_patch(due, out);
    if (chain) {
        x64_patch(chain, out);
        if (e->nout < sizeof e->out / sizeof e->out[0])
            e->out[e->nout++] = (struct pending){t, chain};
    }
}

/* Count word i's instruction in cs->mix (--stats), once it retires. */
static void tally(struct emit *e, uint32_t i)
{
    const struct bh_code *c = &e->cs->text;
    if (!e->tally || c->tally[i].isa >= ISA_COUNT)
        return;
    x64_load64(&e->b, RSI, RBX, X64_NOINDEX, OFF_MIX);
    x64_alu64_mem_imm(&e->b, X64_ADD, RSI, (int32_t)(8u * c->tally[i].isa), 1);
}

static void ld(struct emit *e, int reg, unsigned r) { x64_load32(&e->b, reg, RBX, X64_NOINDEX, OFF_R(r)); }
static void st(struct emit *e, unsigned r, int reg)
{
    if (r) /* $zero: the interpreter writes its sink, which nothing reads */
        x64_store32(&e->b, RBX, X64_NOINDEX, OFF_R(r), reg);
}

/* eax = the guest address rs + imm, rax = its host address when the soft
 * TLB hits for an access of size bytes (wr: the write tag); a miss or a
 * misaligned address leaves for the interpreter before word i. */
static void tlb_hit(struct emit *e, uint32_t w, unsigned size, int wr, uint32_t i)
{
    ld(e, RAX, ISA_RS(w));
    if (ISA_SIMM(w))
        x64_alu_imm(&e->b, X64_ADD, RAX, ISA_SIMM(w));
    x64_mov(&e->b, RCX, RAX);
    x64_shift_imm(&e->b, X64_SHR, RCX, BH_PAGE_SHIFT - 4);
    x64_alu_imm(&e->b, X64_AND, RCX, (int32_t)((BH_TLB_SIZE - 1u) << 4));
    x64_mov(&e->b, RDX, RAX);
    x64_alu_imm(&e->b, X64_AND, RDX, (int32_t)(BH_PAGE_MASK | (size - 1u)));
    x64_alu_mem(&e->b, X64_CMP, RDX, RBX, RCX,
                OFF_TLB + (int32_t)(wr ? offsetof(struct bh_tlb_entry, wtag)
                                       : offsetof(struct bh_tlb_entry, rtag)));
    side_exit_if(e, X64_NE, i);
    x64_alu64_mem(&e->b, X64_ADD, RAX, RBX, RCX,
                  OFF_TLB + (int32_t)offsetof(struct bh_tlb_entry, addend));
}

/* rd = rs op rt, or (imm) rt = rs op imm. */
static void alu3(struct emit *e, enum x64_alu op, uint32_t w)
{
    ld(e, RAX, ISA_RS(w));
    x64_alu_mem(&e->b, op, RAX, RBX, X64_NOINDEX, OFF_R(ISA_RT(w)));
    st(e, ISA_RD(w), RAX);
}
static void alui(struct emit *e, enum x64_alu op, uint32_t w, int32_t imm)
{
    ld(e, RAX, ISA_RS(w));
    x64_alu_imm(&e->b, op, RAX, imm);
    st(e, ISA_RT(w), RAX);
}
/* rd = (rs cc rt) as 0 or 1; imm: rt = (rs cc imm). */
static void setcc(struct emit *e, enum x64_cc cc, uint32_t w, int imm)
{
    ld(e, RAX, ISA_RS(w));
    if (imm)
        x64_alu_imm(&e->b, X64_CMP, RAX, ISA_SIMM(w));
    else
        x64_alu_mem(&e->b, X64_CMP, RAX, RBX, X64_NOINDEX, OFF_R(ISA_RT(w)));
    x64_setcc(&e->b, cc, RAX);
    x64_movzx8(&e->b, RAX, RAX);
    st(e, imm ? ISA_RT(w) : ISA_RD(w), RAX);
}
/* hi:lo = the 64-bit product in rax (and rd = lo for mul). */
static void product(struct emit *e, uint32_t w, int sign, int to_rd)
{
    ld(e, RAX, ISA_RS(w));
    ld(e, RCX, ISA_RT(w));
    if (sign) {
        x64_movsxd(&e->b, RAX, RAX);
        x64_movsxd(&e->b, RCX, RCX);
    }
    x64_imul64(&e->b, RAX, RCX);
    x64_store32(&e->b, RBX, X64_NOINDEX, OFF_LO, RAX);
    if (to_rd)
        st(e, ISA_RD(w), RAX);
    x64_shr64_imm(&e->b, RAX, 32);
    x64_store32(&e->b, RBX, X64_NOINDEX, OFF_HI, RAX);
}
/* div, divu: by zero nothing changes (SPIM 8.0); INT_MIN / -1 leaves for
 * the interpreter (the host's idiv would trap). */
static void divide(struct emit *e, uint32_t w, int sign, uint32_t i)
{
    ld(e, RCX, ISA_RT(w));
    x64_test(&e->b, RCX, RCX);
    uint8_t *zero = x64_jcc(&e->b, X64_E);
    ld(e, RAX, ISA_RS(w));
    if (sign) {
        x64_alu_imm(&e->b, X64_CMP, RCX, -1);
        uint8_t *fine = x64_jcc(&e->b, X64_NE);
        x64_alu_imm(&e->b, X64_CMP, RAX, INT32_MIN);
        side_exit_if(e, X64_E, i);
        if (fine)
            x64_patch(fine, e->b.p);
        x64_cdq(&e->b);
        x64_idiv(&e->b, RCX);
    } else {
        x64_alu(&e->b, X64_XOR, RDX, RDX);
        x64_div(&e->b, RCX);
    }
    x64_store32(&e->b, RBX, X64_NOINDEX, OFF_LO, RAX);
    x64_store32(&e->b, RBX, X64_NOINDEX, OFF_HI, RDX);
    if (zero)
        x64_patch(zero, e->b.p);
}

/* The condition under which branch op (rs compared with rt, or with 0)
 * is taken. */
static enum x64_cc branch_cc(enum isa_op op)
{
    switch (op) {
    case ISA_BEQ: case ISA_BEQL: return X64_E;
    case ISA_BNE: case ISA_BNEL: return X64_NE;
    case ISA_BLEZ: case ISA_BLEZL: return X64_LE;
    case ISA_BGTZ: case ISA_BGTZL: return X64_G;
    case ISA_BLTZ: case ISA_BLTZL: case ISA_BLTZAL: return X64_L;
    default: return X64_GE; /* bgez, bgezl, bgezal */
    }
}

static int is_likely(enum isa_op op)
{
    return op == ISA_BEQL || op == ISA_BNEL || op == ISA_BLEZL || op == ISA_BGTZL ||
           op == ISA_BLTZL || op == ISA_BGEZL;
}

/* Word i, a conditional branch: 1 when the block goes on after it. */
static int branch(struct emit *e, struct bh_jit *j, uint32_t w, enum isa_op op, uint32_t i)
{
    enum x64_cc cc = branch_cc(op);
    int64_t t = (int64_t)i + 1 + ISA_SIMM(w);
    tally(e, i);
    ld(e, RAX, ISA_RS(w));
    if (op == ISA_BEQ || op == ISA_BNE || op == ISA_BEQL || op == ISA_BNEL)
        x64_alu_mem(&e->b, X64_CMP, RAX, RBX, X64_NOINDEX, OFF_R(ISA_RT(w)));
    else
        x64_alu_imm(&e->b, X64_CMP, RAX, 0);
    if (op == ISA_BLTZAL || op == ISA_BGEZAL) {
        /* $ra is written taken or not, after rs was compared (bltzal
         * $ra); mov keeps the flags */
        x64_mov_imm32(&e->b, RCX, pc_of(e, i) + 4u);
        st(e, 31, RCX);
    }
    uint8_t *not_taken = x64_jcc(&e->b, (enum x64_cc)(cc ^ 1)); /* the opposite condition */
    taken_exit(e, j, e->k + 1, (uint32_t)t);
    if (not_taken && !e->b.full)
        x64_patch(not_taken, e->b.p);
    if (is_likely(op)) { /* not taken: the next word is skipped, a taken branch */
        taken_exit(e, j, e->k + 1, i + 2);
        return 0;
    }
    return 1;
}

/* Translate word i (the block's k-th instruction): 1 when it was
 * translated and the block goes on, 0 when it ended the block (a jump),
 * -1 when the interpreter must run it (the block ends before it). */
static int insn(struct emit *e, struct bh_jit *j, uint32_t i)
{
    const struct bh_code *c = &e->cs->text;
    uint32_t w = bh_get32(c->words + 4u * i);
    enum isa_op op = isa_decode(w);
    int wrap = (c->flags & BH_CODE_WRAP) != 0;
    switch (op) {
    case ISA_SLL: case ISA_SRL: case ISA_SRA:
        if (ISA_RD(w)) {
            ld(e, RAX, ISA_RT(w));
            x64_shift_imm(&e->b, op == ISA_SLL ? X64_SHL : op == ISA_SRL ? X64_SHR : X64_SAR, RAX,
                          ISA_SA(w));
            st(e, ISA_RD(w), RAX);
        }
        break;
    case ISA_SLLV: case ISA_SRLV: case ISA_SRAV:
        ld(e, RCX, ISA_RS(w));
        ld(e, RAX, ISA_RT(w));
        x64_shift_cl(&e->b, op == ISA_SLLV ? X64_SHL : op == ISA_SRLV ? X64_SHR : X64_SAR, RAX);
        st(e, ISA_RD(w), RAX);
        break;
    case ISA_MOVZ: case ISA_MOVN: {
        ld(e, RAX, ISA_RT(w));
        x64_test(&e->b, RAX, RAX);
        uint8_t *skip = x64_jcc(&e->b, op == ISA_MOVZ ? X64_NE : X64_E);
        ld(e, RAX, ISA_RS(w));
        st(e, ISA_RD(w), RAX);
        if (skip)
            x64_patch(skip, e->b.p);
        break;
    }
    case ISA_SYNC:
        break;
    case ISA_MFHI: case ISA_MFLO:
        x64_load32(&e->b, RAX, RBX, X64_NOINDEX, op == ISA_MFHI ? OFF_HI : OFF_LO);
        st(e, ISA_RD(w), RAX);
        break;
    case ISA_MTHI: case ISA_MTLO:
        ld(e, RAX, ISA_RS(w));
        x64_store32(&e->b, RBX, X64_NOINDEX, op == ISA_MTHI ? OFF_HI : OFF_LO, RAX);
        break;
    case ISA_MULT: product(e, w, 1, 0); break;
    case ISA_MULTU: product(e, w, 0, 0); break;
    case ISA_MUL: product(e, w, 1, 1); break;
    case ISA_DIV: divide(e, w, 1, i); break;
    case ISA_DIVU: divide(e, w, 0, i); break;
    case ISA_ADD: case ISA_SUB:
        ld(e, RAX, ISA_RS(w));
        x64_alu_mem(&e->b, op == ISA_ADD ? X64_ADD : X64_SUB, RAX, RBX, X64_NOINDEX, OFF_R(ISA_RT(w)));
        if (!wrap)
            side_exit_if(e, X64_O, i); /* Ov: the interpreter raises it */
        st(e, ISA_RD(w), RAX);
        break;
    case ISA_ADDU: alu3(e, X64_ADD, w); break;
    case ISA_SUBU: alu3(e, X64_SUB, w); break;
    case ISA_AND: alu3(e, X64_AND, w); break;
    case ISA_OR: alu3(e, X64_OR, w); break;
    case ISA_XOR: alu3(e, X64_XOR, w); break;
    case ISA_NOR:
        ld(e, RAX, ISA_RS(w));
        x64_alu_mem(&e->b, X64_OR, RAX, RBX, X64_NOINDEX, OFF_R(ISA_RT(w)));
        x64_not(&e->b, RAX);
        st(e, ISA_RD(w), RAX);
        break;
    case ISA_SLT: setcc(e, X64_L, w, 0); break;
    case ISA_SLTU: setcc(e, X64_B, w, 0); break;
    case ISA_ADDI:
        ld(e, RAX, ISA_RS(w));
        x64_alu_imm(&e->b, X64_ADD, RAX, ISA_SIMM(w));
        if (!wrap)
            side_exit_if(e, X64_O, i);
        st(e, ISA_RT(w), RAX);
        break;
    case ISA_ADDIU: alui(e, X64_ADD, w, ISA_SIMM(w)); break;
    case ISA_SLTI: setcc(e, X64_L, w, 1); break;
    case ISA_SLTIU: setcc(e, X64_B, w, 1); break;
    case ISA_ANDI: alui(e, X64_AND, w, (int32_t)ISA_IMM(w)); break;
    case ISA_ORI: alui(e, X64_OR, w, (int32_t)ISA_IMM(w)); break;
    case ISA_XORI: alui(e, X64_XOR, w, (int32_t)ISA_IMM(w)); break;
    case ISA_LUI:
        if (ISA_RT(w))
            x64_store_imm32(&e->b, RBX, OFF_R(ISA_RT(w)), ISA_IMM(w) << 16);
        break;
    case ISA_LB: case ISA_LBU: case ISA_LH: case ISA_LHU: case ISA_LW: {
        unsigned size = op == ISA_LW ? 4 : op == ISA_LH || op == ISA_LHU ? 2 : 1;
        tlb_hit(e, w, size, 0, i);
        if (size == 4)
            x64_load32(&e->b, RDX, RAX, X64_NOINDEX, 0);
        else if (size == 2)
            x64_load16(&e->b, RDX, RAX, X64_NOINDEX, 0, op == ISA_LH);
        else
            x64_load8(&e->b, RDX, RAX, X64_NOINDEX, 0, op == ISA_LB);
        st(e, ISA_RT(w), RDX);
        break;
    }
    case ISA_SB: case ISA_SH: case ISA_SW: {
        unsigned size = op == ISA_SW ? 4 : op == ISA_SH ? 2 : 1;
        tlb_hit(e, w, size, 1, i);
        ld(e, RDX, ISA_RT(w));
        if (size == 4)
            x64_store32(&e->b, RAX, X64_NOINDEX, 0, RDX);
        else if (size == 2)
            x64_store16(&e->b, RAX, X64_NOINDEX, 0, RDX);
        else
            x64_store8(&e->b, RAX, X64_NOINDEX, 0, RDX);
        break;
    }
    case ISA_BEQ: case ISA_BNE: case ISA_BLEZ: case ISA_BGTZ: case ISA_BLTZ: case ISA_BGEZ:
    case ISA_BLTZAL: case ISA_BGEZAL: case ISA_BEQL: case ISA_BNEL: case ISA_BLEZL:
    case ISA_BGTZL: case ISA_BLTZL: case ISA_BGEZL: {
        int64_t t = (int64_t)i + 1 + ISA_SIMM(w);
        if (t < 0 || t > (int64_t)j->n || (is_likely(op) && i + 2 > j->n))
            return -1; /* a far branch, or a likely one skipping past the end: the interpreter's */
        return branch(e, j, w, op, i);
    }
    case ISA_J: case ISA_JAL: {
        uint32_t target = ((pc_of(e, i) + 4u) & 0xf0000000u) | ISA_TARGET(w) << 2;
        uint32_t t = (target - c->base) / 4u;
        if (target < c->base || t > j->n)
            return -1;
        tally(e, i);
        if (op == ISA_JAL) {
            x64_mov_imm32(&e->b, RAX, pc_of(e, i) + 4u);
            st(e, 31, RAX);
        }
        taken_exit(e, j, e->k + 1, t);
        return 0;
    }
    case ISA_JR: case ISA_JALR: {
        /* In text (aligned, index <= n: the test of cpu.c's JUMP_REG),
         * else the interpreter's slow path runs it. */
        ld(e, RAX, ISA_RS(w));
        x64_mov(&e->b, RCX, RAX);
        x64_alu_imm(&e->b, X64_SUB, RCX, (int32_t)c->base);
        x64_mov(&e->b, RDX, RCX);
        x64_alu_imm(&e->b, X64_AND, RDX, 3);
        side_exit_if(e, X64_NE, i);
        x64_shift_imm(&e->b, X64_SHR, RCX, 2);
        x64_alu_imm(&e->b, X64_CMP, RCX, (int32_t)j->n);
        side_exit_if(e, X64_A, i);
        tally(e, i);
        if (op == ISA_JALR) {
            x64_mov_imm32(&e->b, RDX, pc_of(e, i) + 4u);
            st(e, ISA_RD(w), RDX);
        }
        /* A taken branch: the budget check, then straight on to the
         * target's block when it has one (the table of every word's
         * block, indexed by ecx), else back to the interpreter. */
        x64_store32(&e->b, RBX, X64_NOINDEX, OFF_PC, RAX);
        x64_alu64_mem_imm(&e->b, X64_ADD, RBX, OFF_ICOUNT, (int32_t)(e->k + 1));
        x64_mov_imm32(&e->b, RAX, 1);
        x64_load64(&e->b, RDX, RBX, X64_NOINDEX, OFF_ICOUNT);
        x64_alu64_mem(&e->b, X64_CMP, RDX, RBX, X64_NOINDEX, OFF_CHECK);
        uint8_t *due = x64_jcc(&e->b, X64_AE);
        x64_load64(&e->b, RSI, RBX, X64_NOINDEX, OFF_ENTRY);
        x64_shift_imm(&e->b, X64_SHL, RCX, 3);
        x64_load64(&e->b, RDX, RSI, RCX, 0);
        x64_test64(&e->b, RDX, RDX);
        uint8_t *none = x64_jcc(&e->b, X64_E);
        x64_jmp_reg(&e->b, RDX);
        uint8_t *r = x64_jmp(&e->b);
        if (r) {
            x64_patch(due, r - 1);
            x64_patch(none, r - 1);
            x64_patch(r, j->exit);
        }
        return 0;
    }
    default:
        return -1;
    }
    tally(e, i);
    return 1;
}

/* ---- the cache ------------------------------------------------------------------ */

static int protect(struct bh_jit *j, int prot) { return mprotect(j->code, j->size, prot); }

/* The entry stub: int enter(cs, block) keeps rbx (callee-saved) and
 * points it at cs; the exit stub gives it back and returns eax. */
static void emit_stubs(struct bh_jit *j)
{
    struct x64_buf b = {j->code, j->code + j->size, 0};
    j->enter = NULL;
    uint8_t *enter = b.p;
    x64_push(&b, RBX);
    x64_mov64(&b, RBX, RDI);
    x64_jmp_reg(&b, RSI);
    j->exit = b.p;
    x64_pop(&b, RBX);
    x64_ret(&b);
    j->stubs = j->used = (size_t)(b.p - j->code);
    /* A data pointer to code: POSIX (dlsym) guarantees the conversion. */
    memcpy(&j->enter, &enter, sizeof enter);
}

void bh_jit_flush(struct bh_jit *j)
{
    if (!j)
        return;
    j->used = j->stubs;
    j->npend = 0;
    memset(j->entry, 0, (size_t)j->n * sizeof *j->entry);
    memset(j->hits, 0, (size_t)j->n * sizeof *j->hits);
    j->st.flushes++;
}

static void chain_to(struct bh_jit *j, uint8_t *rel32, const uint8_t *block)
{
    x64_patch(rel32, block);
    j->st.chains++;
}

/* Remember (or at once patch) block exit p. */
static int note_exit(struct bh_jit *j, const struct pending *p)
{
    if (j->entry[p->target]) {
        chain_to(j, p->rel32, j->entry[p->target]);
        return 0;
    }
    if (j->npend == j->pend_cap) {
        size_t cap = j->pend_cap ? 2 * j->pend_cap : 64;
        struct pending *n = realloc(j->pend, cap * sizeof *n);
        if (!n)
            return -1;
        j->pend = n;
        j->pend_cap = cap;
    }
    j->pend[j->npend++] = *p;
    return 0;
}

/* Translate the block at word i0: its code, or NULL when its first
 * instruction is one the interpreter must run.  j->insn_off and
 * j->exit_* describe it for the hook. */
static uint8_t *translate(struct bh_core *cs, struct bh_jit *j, uint32_t i0)
{
    if (j->size - j->used < BLOCK_BYTES)
        bh_jit_flush(j);
    if (protect(j, PROT_READ | PROT_WRITE) != 0)
        return NULL;
    struct emit e;
    memset(&e, 0, sizeof e);
    e.b = (struct x64_buf){j->code + j->used, j->code + j->size, 0};
    e.cs = cs;
    e.tally = cs->mix != NULL;
    uint8_t *start = e.b.p;
    uint32_t i = i0;
    int r = 1;
    j->nexits = 0;
    for (; r == 1 && !e.b.full; i++, e.k++) {
        j->insn_off[e.k] = (uint32_t)(e.b.p - start);
        if (i >= j->n || e.k == BLOCK_MAX || (r = insn(&e, j, i)) < 0) {
            if (e.k) {
                j->exit_off[j->nexits] = (uint32_t)(e.b.p - start);
                j->exit_pc[j->nexits++] = pc_of(&e, i);
                exit_to(&e, e.k, pc_of(&e, i), 0, j);
            }
            break;
        }
    }
    j->insn_off[e.k] = j->nexits ? j->exit_off[0] : (uint32_t)(e.b.p - start);
    for (unsigned q = 0; q < e.ncold && !e.b.full; q++) {
        if (e.cold[q].rel32)
            x64_patch(e.cold[q].rel32, e.b.p);
        j->exit_off[j->nexits] = (uint32_t)(e.b.p - start);
        j->exit_pc[j->nexits++] = e.cold[q].pc;
        exit_to(&e, e.cold[q].k, e.cold[q].pc, 0, j);
    }
    uint8_t *block = NULL;
    if (e.k && !e.b.full) {
        block = start;
        j->ninsns = e.k;
        j->nbytes = (uint32_t)(e.b.p - start);
        j->used += (size_t)(e.b.p - start);
        j->entry[i0] = block;
        j->st.blocks++;
        j->st.code_bytes += (uint64_t)(e.b.p - start);
        /* exits waiting for this block, then this block's own */
        for (size_t q = 0; q < j->npend;)
            if (j->pend[q].target == i0) {
                chain_to(j, j->pend[q].rel32, block);
                j->pend[q] = j->pend[--j->npend];
            } else {
                q++;
            }
        /* out of memory for the list: that exit stays unchained, which
         * costs only time */
        for (unsigned q = 0; q < e.nout; q++)
            if (note_exit(j, &e.out[q]) != 0)
                break;
    }
    if (protect(j, PROT_READ | PROT_EXEC) != 0)
        return NULL;
    return block;
}

/* Hand the block just translated at word i to the hook (--jit-dump). */
static void tell(struct bh_core *cs, struct bh_jit *j, uint32_t i, const uint8_t *block,
                 uint64_t ns)
{
    for (uint32_t k = 0; k < j->ninsns; k++)
        j->word[k] = bh_get32(cs->text.words + 4u * (i + k));
    struct bh_jit_block b = {.pc = cs->text.base + 4u * i,
                             .ninsns = j->ninsns,
                             .words = j->word,
                             .insn_off = j->insn_off,
                             .nexits = j->nexits,
                             .exit_off = j->exit_off,
                             .exit_pc = j->exit_pc,
                             .code = block,
                             .size = j->nbytes,
                             .cache_off = (uint32_t)(block - j->code),
                             .exit_stub = (uint32_t)(j->exit - j->code),
                             .ns = ns};
    cs->on_jit_block(cs->jit_block_opaque, &b);
}

int bh_jit_arrive(struct bh_core *cs)
{
    struct bh_jit *j = cs->jit;
    uint32_t off = cs->cpu.pc - cs->text.base;
    if ((off & 3u) || off / 4u >= j->n || cs->nbrk)
        return -1;
    uint32_t i = off / 4u;
    const uint8_t *block = j->entry[i];
    if (!block) {
        if (j->hits[i] == DECLINED || ++j->hits[i] < j->threshold)
            return -1;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        block = translate(cs, j, i);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        uint64_t ns = (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
        j->st.ns += ns;
        if (!block) {
            j->hits[i] = DECLINED;
            return -1;
        }
        if (cs->on_jit_block)
            tell(cs, j, i, block, ns);
    }
    uint64_t before = cs->icount;
    int how = j->enter(cs, block);
    j->st.insns += cs->icount - before;
    return how;
}

int bh_jit_new(struct bh_core *cs, unsigned threshold, size_t cache_bytes, char *err,
               size_t errlen)
{
    if (cache_bytes < BH_JIT_CACHE_MIN)
        return bh_errf(err, errlen, "the code cache needs at least %u bytes, not %zu",
                       (unsigned)BH_JIT_CACHE_MIN, cache_bytes);
    struct bh_jit *j = calloc(1, sizeof *j);
    if (!j)
        return bh_errf(err, errlen, "out of memory");
    j->n = cs->text.n;
    j->threshold = threshold ? threshold : 1;
    j->size = cache_bytes;
    j->hits = calloc((size_t)j->n + 1, sizeof *j->hits);
    j->entry = calloc((size_t)j->n + 1, sizeof *j->entry);
    /* Written while PROT_READ | PROT_WRITE, run while PROT_READ |
     * PROT_EXEC: never both (W^X). */
    j->code = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (j->code == MAP_FAILED)
        j->code = NULL;
    if (!j->hits || !j->entry || !j->code) {
        bh_jit_free(j);
        return bh_errf(err, errlen, "out of memory for the code cache (%zu bytes)", cache_bytes);
    }
    emit_stubs(j);
    if (protect(j, PROT_READ | PROT_EXEC) != 0) {
        bh_jit_free(j);
        return bh_errf(err, errlen, "the code cache cannot be made executable");
    }
    bh_jit_free(cs->jit);
    cs->jit = j;
    cs->jit_entry = (const void *const *)j->entry;
    return 0;
}

void bh_jit_free(struct bh_jit *j)
{
    if (!j)
        return;
    if (j->code)
        munmap(j->code, j->size);
    free(j->hits);
    free(j->entry);
    free(j->pend);
    free(j);
}

void bh_jit_stats(const struct bh_jit *j, struct bh_jit_stats *st)
{
    *st = j->st;
    st->cache_used = j->used - j->stubs;
}
