/* fault.c: turn a fault exit into a message a learner can act on: what
 * happened in MIPS's own words (AdEL, Ov...), where (PC, label+offset,
 * file:line and the source text), and with which address. */
#include <stdio.h>
#include <string.h>

#include "image.h"
#include "machine/vm_internal.h"

void bh_fault_where(const struct bh_vm *vm, uint32_t addr, char *buf, size_t n)
{
    const struct bh_image *img = bh_vm_image(vm);
    const struct bh_symbol *s = img ? bh_image_symbol_before(img, addr) : NULL;
    if (!s) {
        snprintf(buf, n, "0x%08x", addr);
        return;
    }
    const char *name = bh_image_str(img, s->name);
    if (addr == s->value) snprintf(buf, n, "%s", name);
    else snprintf(buf, n, "%s+%u", name, addr - s->value);
}

void bh_source_text(const char *path, uint32_t lineno, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return;
    uint32_t cur = 1;
    int c;
    size_t len = 0;
    while ((c = getc(f)) != EOF) {
        if (c == '\n') {
            if (cur++ == lineno) break;
            continue;
        }
        if (cur == lineno && len + 1 < n) buf[len++] = (char)(c == '\t' ? ' ' : c);
    }
    fclose(f);
    while (len && (buf[len - 1] == '\r' || buf[len - 1] == ' ')) len--;
    buf[len] = '\0';
}

/* Why a data address faulted: the access size comes from the faulting
 * instruction, so a learner reads "not aligned to 4 bytes" or "not mapped"
 * rather than a guess. */
static unsigned access_size(const struct bh_exit *ex)
{
    switch (isa_decode(ex->word)) {
    case ISA_LW: case ISA_SW: case ISA_LL: case ISA_SC: return 4;
    case ISA_LH: case ISA_LHU: case ISA_SH: return 2;
    default: return 1;
    }
}

/* A fetch fault: the PC itself, or the target of the jump at the PC (the
 * core reports a jump to nowhere at the jump, where its source line is). */
static int is_fetch(const struct bh_exit *ex)
{
    if (ex->badvaddr == ex->pc) return 1;
    enum isa_op op = isa_decode(ex->word);
    return op == ISA_JR || op == ISA_JALR || op == ISA_J || op == ISA_JAL;
}

static const char *addr_reason(const struct bh_exit *ex, char *buf, size_t n)
{
    unsigned size = access_size(ex);
    if (size > 1 && (ex->badvaddr & (size - 1)))
        snprintf(buf, n, "not aligned to %u bytes", size);
    else
        snprintf(buf, n, "not mapped (no memory there)");
    return buf;
}

/* The FP exception: the instruction's Cause bits (BH_FP_*), named. */
static void fpe_what(uint32_t cause, char *buf, size_t n)
{
    static const char *const names[] = {"inexact", "underflow", "overflow", "division by zero",
                                        "invalid operation"};
    if (cause & BH_FP_E) {
        snprintf(buf, n, "floating-point exception (FPE): unimplemented operation (a double in an "
                         "odd register, or an FP instruction this FPU does not have)");
        return;
    }
    int k = snprintf(buf, n, "floating-point exception (FPE):");
    const char *sep = " ";
    for (unsigned b = 5; b-- > 0;)
        if (cause >> b & 1u && k >= 0 && (size_t)k < n) {
            k += snprintf(buf + k, n - (size_t)k, "%s%s", sep, names[b]);
            sep = ", ";
        }
    if (k >= 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, " (enabled in FCSR)");
}

static void what(const struct bh_exit *ex, char *buf, size_t n)
{
    char why[48];
    switch (ex->exc) {
    case BH_EXC_ADEL:
        if (is_fetch(ex))
            snprintf(buf, n, "address error on instruction fetch (AdEL): no code at 0x%08x%s",
                     ex->badvaddr, ex->badvaddr & 3 ? " (unaligned)" : "");
        else
            snprintf(buf, n, "address error on load (AdEL): address 0x%08x is %s", ex->badvaddr,
                     addr_reason(ex, why, sizeof why));
        break;
    case BH_EXC_ADES:
        if (ex->flags & BH_EXITF_TEXT)
            snprintf(buf, n, "address error on store (AdES): 0x%08x is read-only program text",
                     ex->badvaddr);
        else
            snprintf(buf, n, "address error on store (AdES): address 0x%08x is %s", ex->badvaddr,
                     addr_reason(ex, why, sizeof why));
        break;
    case BH_EXC_DBE:
        if (ex->flags & BH_EXITF_MEMLIMIT)
            snprintf(buf, n,
                     "memory limit exceeded: touching address 0x%08x needs a page beyond the "
                     "VM's limit (raise it with --memory or vm_memory)",
                     ex->badvaddr);
        else
            snprintf(buf, n, "bus error on data access (DBE) at address 0x%08x", ex->badvaddr);
        break;
    case BH_EXC_IBE:
        snprintf(buf, n, "bus error on instruction fetch (IBE) at address 0x%08x", ex->badvaddr);
        break;
    case BH_EXC_RI:
        snprintf(buf, n, "reserved instruction (RI): 0x%08x is not an instruction", ex->word);
        break;
    case BH_EXC_OV: snprintf(buf, n, "arithmetic overflow (Ov)"); break;
    case BH_EXC_BP: snprintf(buf, n, "breakpoint (Bp): break %u", ex->code); break;
    case BH_EXC_TR: snprintf(buf, n, "trap (Tr): a trap condition held"); break;
    case BH_EXC_FPE: fpe_what(ex->code, buf, n); break;
    case BH_EXC_CPU:
        snprintf(buf, n, "coprocessor unusable (CpU): coprocessor %u is not enabled (Status.CU%u)",
                 ex->code, ex->code);
        break;
    case -1: buf[0] = '\0'; break; /* the caller says what */
    default: snprintf(buf, n, "exception %d (%s)", ex->exc, bh_vm_exc_name(ex->exc)); break;
    }
}

/* What to do next about a fault, appended to msg where there is an
 * obvious next step (docs/messages.md lists them). */
static void add_help(const struct bh_exit *ex, char *msg, size_t msglen)
{
    unsigned size = access_size(ex);
    switch (ex->exc) {
    case BH_EXC_ADEL:
    case BH_EXC_ADES:
        if (is_fetch(ex))
            bh_err_help(msg, msglen, "a jump went where there is no code: --trace shows where the "
                                     "target address came from");
        else if (size == 4 && (ex->badvaddr & 3))
            bh_err_help(msg, msglen, "a word's address is a multiple of 4: .align 2 before the "
                                     "data aligns it");
        else if (size == 2 && (ex->badvaddr & 1))
            bh_err_help(msg, msglen, "a halfword's address is a multiple of 2: .align 1 before "
                                     "the data aligns it");
        else
            bh_err_help(msg, msglen, "the register holds no address of memory: --trace shows "
                                     "where its value came from");
        break;
    case BH_EXC_OV:
        bh_err_help(msg, msglen, "add, addi and sub stop on signed overflow; addu, addiu and "
                                 "subu wrap around");
        break;
    case BH_EXC_RI:
        bh_err_help(msg, msglen, "the program ran into data (a .word in .text, or a jump to "
                                 "it): docs/isa.md lists the instructions");
        break;
    case BH_EXC_BP:
    case BH_EXC_TR:
        bh_err_help(msg, msglen, "a handler in .ktext at 0x80000180 lets the program take it "
                                 "itself (docs/tour/02-traps-and-faults.md)");
        break;
    default: break;
    }
}

/* The privileged machine: the mode the fault came from and the vector
 * that had no handler (Status says both). */
static void priv_where(struct bh_vm *vm, char *buf, size_t n)
{
    uint32_t st = bh_core_c0(vm->core, BH_C0_STATUS);
    int user = (st & BH_ST_KSU) == BH_ST_UM && !(st & (BH_ST_EXL | BH_ST_ERL));
    snprintf(buf, n, " in %s mode%s, and no handler at its vector 0x%08x (Status.BEV = %d)",
             user ? "user" : "kernel", st & BH_ST_EXL ? " (inside the handler: Status.EXL)" : "",
             st & BH_ST_BEV ? BH_VEC_BEV_GENERAL : BH_VEC_GENERAL, st & BH_ST_BEV ? 1 : 0);
}

void bh_fault_message(struct bh_vm *vm, const struct bh_exit *ex, char *msg, size_t msglen)
{
    char kind[256], where[160], text[200] = "", mode[128] = "";
    what(ex, kind, sizeof kind);
    if (ex->flags & BH_EXITF_WEDGED)
        snprintf(mode, sizeof mode, " in the guest's handler, again and again without an "
                                    "instruction retiring (the machine is wedged)");
    else if (ex->exc >= 0 && bh_core_priv(vm->core))
        priv_where(vm, mode, sizeof mode);
    bh_fault_where(vm, ex->pc, where, sizeof where);
    const struct bh_image *img = bh_vm_image(vm);
    const struct bh_line *l = img ? bh_image_line_at(img, ex->pc) : NULL;
    int n = snprintf(msg, msglen, "%s%s at PC 0x%08x", kind, mode, ex->pc);
    if (n < 0 || (size_t)n >= msglen) return;
    if (strcmp(where, "") && where[0] != '0')
        n += snprintf(msg + n, msglen - (size_t)n, " (%s)", where);
    if (l && (size_t)n < msglen) {
        const char *file = bh_image_str(img, l->file);
        bh_source_text(file, l->line, text, sizeof text);
        n += snprintf(msg + n, msglen - (size_t)n, "\n  %s:%u:%s%s", file, l->line,
                      text[0] ? " " : "", text);
    }
    add_help(ex, msg, msglen);
}
