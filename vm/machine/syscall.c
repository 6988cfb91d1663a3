/* syscall.c: the system calls a guest makes with `syscall`, as SPIM 8.0
 * does them (1-17) plus the MARS ones course programs use (30-42): one
 * small handler each, found through the table syscall.def declares.
 *
 * Reads never block in non-blocking mode: when a read needs input that has
 * not arrived, the call returns BH_VM_WAITING and the monitor rewinds the
 * VM to the syscall so it runs again later.  Nothing is consumed before we
 * know the whole request can be served, so a retry sees the same state. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_fpfmt.h"
#include "bh_util.h"
#include "machine/syscall.h"
#include "machine/vm_internal.h"

enum { V0 = 2, A0 = 4, A1 = 5, A2 = 6 };

#define READ_INT_MAX 255 /* SPIM reads a line of at most this many chars */

/* Every handler gets what the bodies use: the VM, its console, $a0 and
 * $a1 as read before the call, and the buffer for a fault message. */
#define SYSCALL_HANDLER(fn)                                                                        \
    static enum bh_vm_state fn(struct bh_vm *vm, struct bh_console *con, int32_t a0, int32_t a1,       \
                               char *msg, size_t msglen)
typedef enum bh_vm_state sys_handler(struct bh_vm *vm, struct bh_console *con, int32_t a0, int32_t a1,
                                     char *msg, size_t msglen);

static int32_t reg(struct bh_vm *vm, unsigned r) { return bh_core_reg(vm->core, r); }

static enum bh_vm_state fault_at_syscall(struct bh_vm *vm, char *msg, size_t msglen,
                                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static enum bh_vm_state fault_at_syscall(struct bh_vm *vm, char *msg, size_t msglen,
                                         const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* The PC is past the syscall: name the syscall itself. */
    struct bh_exit ex = {.kind = BH_EXIT_FAULT, .exc = -1, .pc = bh_core_pc(vm->core) - 4};
    char where[1024];
    bh_fault_message(vm, &ex, where, sizeof where);
    snprintf(msg, msglen, "%s%s", what, where);
    return BH_VM_FAULTED;
}

/* print_string: the guest string in page-sized pieces (never past a page
 * boundary, so a string that ends before an unmapped page is fine). */
static int print_string(struct bh_vm *vm, uint32_t addr)
{
    struct bh_console *con = &vm->con;
    char buf[BH_PAGE_SIZE];
    for (;;) {
        uint32_t room = BH_PAGE_SIZE - (addr & (BH_PAGE_SIZE - 1));
        if (bh_vm_read(vm, addr, buf, room) != 0) return -1;
        char *nul = memchr(buf, '\0', room);
        size_t n = nul ? (size_t)(nul - buf) : room;
        bh_console_write(con, buf, n);
        if (nul) return 0;
        addr += room;
        if (addr == 0) return -1; /* wrapped around the address space */
    }
}

/* Length of the first line in the queue (with its newline), at most max. */
static uint32_t line_len(const struct bh_console *con, uint32_t max)
{
    uint32_t n = con->inq_len < max ? con->inq_len : max;
    if (n == 0)
        return 0; /* an empty queue may have no buffer at all (after a restore) */
    const uint8_t *nl = memchr(con->inq, '\n', n);
    return nl ? (uint32_t)(nl - con->inq) + 1 : n;
}

static int need_line(struct bh_vm *vm)
{
    struct bh_console *con = &vm->con;
    bh_console_flush(con); /* the prompt must show before we wait */
    return bh_console_want_line(con, !vm->ctl.nonblock);
}

static void print_binary(struct bh_console *con, uint32_t v)
{
    char s[33];
    for (int i = 0; i < 32; i++) s[i] = (char)('0' + ((v >> (31 - i)) & 1u));
    s[32] = '\0';
    bh_console_write(con, s, 32);
}

SYSCALL_HANDLER(sys_sbrk)
{
    int32_t req = reg(vm, A0);
    uint32_t old = bh_vm_brk(vm);
    if (req < 0)
        return fault_at_syscall(vm, msg, msglen, "sbrk with a negative size (%d)", req);
    uint64_t size = ((uint64_t)(uint32_t)req + 3u) & ~3ull;
    uint64_t end = (uint64_t)old + size;
    /* Pages the new heap may need beyond what is in use: refuse now, with a
     * clear message, rather than fault later on the first store. */
    uint64_t first_new = ((uint64_t)old + BH_PAGE_SIZE - 1) / BH_PAGE_SIZE;
    uint64_t last = (end + BH_PAGE_SIZE - 1) / BH_PAGE_SIZE;
    uint64_t need = last > first_new ? last - first_new : 0;
    if (end >= BH_VM_SP_INIT - (1u << 20) || vm->mem->pages + need > vm->mem->limit_pages)
        return fault_at_syscall(vm, msg, msglen,
                                "memory limit exceeded: sbrk(%d) would need %llu more KiB "
                                "(limit %llu MiB; raise it with --memory or vm_memory)",
                                req, (unsigned long long)need * 4,
                                (unsigned long long)(bh_vm_mem_limit(vm) >> 20));
    bh_vm_set_brk(vm, (uint32_t)end);
    bh_core_set_reg(vm->core, V0, (int32_t)old);
    return BH_VM_RUNNING;
}

/* print_int and print unsigned, as printf's %d and %u would print them,
 * without printf (the syscall kernel of make bench prints a number per
 * two exits: vsnprintf was a quarter of its host instructions). */
static void print_dec(struct bh_console *con, int32_t v, int is_signed)
{
    char buf[12], *p = buf + sizeof buf;
    uint32_t u = is_signed && v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (is_signed && v < 0)
        *--p = '-';
    bh_console_write(con, p, (size_t)(buf + sizeof buf - p));
}

SYSCALL_HANDLER(sys_print_int)
{
    print_dec(con, a0, 1);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_print_string)
{
    if (print_string(vm, (uint32_t)a0) != 0)
        return fault_at_syscall(vm, msg, msglen,
                                "print_string: the string at 0x%08x runs into unmapped memory",
                                (uint32_t)a0);
    return BH_VM_RUNNING;
}

/* MARS reads every console input a whole line at a time (Java's
 * readLine): the line without its newline into buf (cap bytes with the
 * NUL; a longer line is cut), all of it consumed.  Returns its length, or
 * -1 at the end of input (MARS stops the program there). */
static long mars_line(struct bh_console *con, char *buf, size_t cap)
{
    if (!con->inq_len)
        return -1;
    uint32_t n = line_len(con, con->inq_len);
    uint32_t text = n && con->inq[n - 1] == '\n' ? n - 1 : n;
    size_t keep = text < cap - 1 ? text : cap - 1;
    memcpy(buf, con->inq, keep);
    buf[keep] = '\0';
    bh_console_consume(con, n);
    return (long)keep;
}

/* MARS's read_int: the line, trimmed, must be a decimal integer
 * (Java's Integer), else MARS stops the program. */
static enum bh_vm_state mars_read_int(struct bh_vm *vm, struct bh_console *con, char *msg,
                                      size_t msglen)
{
    char buf[READ_INT_MAX + 1];
    if (mars_line(con, buf, sizeof buf) < 0)
        return fault_at_syscall(vm, msg, msglen, "read_int: end of input (MARS stops here)");
    char *p = buf, *end;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    errno = 0;
    long v = strtol(p, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\r')
        end++;
    if (end == p || *end || errno || v < INT32_MIN || v > INT32_MAX || *p == ' ')
        return fault_at_syscall(vm, msg, msglen,
                                "read_int: '%s' is not an integer (MARS stops here)", buf);
    bh_core_set_reg(vm->core, V0, (int32_t)v);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_read_int) /* a whole line, atol; 0 at end of input */
{
    if (!need_line(vm))
        return BH_VM_WAITING;
    if (vm->mars)
        return mars_read_int(vm, con, msg, msglen);
    uint32_t n = line_len(con, READ_INT_MAX);
    char buf[READ_INT_MAX + 1];
    if (n)
        memcpy(buf, con->inq, n);
    buf[n] = '\0';
    bh_console_consume(con, n);
    bh_core_set_reg(vm->core, V0, (int32_t)strtol(buf, NULL, 10));
    return BH_VM_RUNNING;
}

/* ---- floating point: $f12 in, $f0 out (FR=0: a double is $fN:$fN+1) ---- */

static double fpr_double(const struct bh_vm *vm, unsigned r)
{
    uint64_t b = (uint64_t)bh_core_fpr(vm->core, r + 1) << 32 | bh_core_fpr(vm->core, r);
    double d;
    memcpy(&d, &b, 8);
    return d;
}
static void set_fpr_double(struct bh_vm *vm, unsigned r, double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    bh_core_set_fpr(vm->core, r, (uint32_t)b);
    bh_core_set_fpr(vm->core, r + 1, (uint32_t)(b >> 32));
}
static void set_fpr_float(struct bh_vm *vm, unsigned r, float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    bh_core_set_fpr(vm->core, r, b);
}
static enum bh_fp_style fp_style(const struct bh_vm *vm)
{
    return vm->mars ? BH_FP_MARS : BH_FP_SPIM;
}

SYSCALL_HANDLER(sys_print_float)
{
    uint32_t b = bh_core_fpr(vm->core, 12);
    float f;
    memcpy(&f, &b, 4);
    char buf[BH_FP_TEXT_MAX];
    size_t n = bh_fmt_float(buf, sizeof buf, f, fp_style(vm));
    bh_console_write(con, buf, n < sizeof buf ? n : sizeof buf - 1);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_print_double)
{
    char buf[BH_FP_TEXT_MAX];
    size_t n = bh_fmt_double(buf, sizeof buf, fpr_double(vm, 12), fp_style(vm));
    bh_console_write(con, buf, n < sizeof buf ? n : sizeof buf - 1);
    return BH_VM_RUNNING;
}

/* read_float / read_double: the line as read_int takes it (SPIM), or a
 * whole line that must be a float (MARS stops the program otherwise).
 * 1 with the value in *out, 0 when the VM must wait or stop (*st). */
static int read_fp_line(struct bh_vm *vm, struct bh_console *con, int dbl, double *out,
                        enum bh_vm_state *st, char *msg, size_t msglen)
{
    *out = 0.0;
    if (!need_line(vm)) {
        *st = BH_VM_WAITING;
        return 0;
    }
    char buf[READ_INT_MAX + 1];
    const char *name = dbl ? "read_double" : "read_float";
    if (vm->mars) {
        long len = mars_line(con, buf, sizeof buf);
        if (len < 0) {
            *st = fault_at_syscall(vm, msg, msglen, "%s: end of input (MARS stops here)", name);
            return 0;
        }
        float f = 0;
        int rc = dbl ? bh_parse_double(buf, (size_t)len, out, BH_FP_MARS)
                     : bh_parse_float(buf, (size_t)len, &f, BH_FP_MARS);
        if (rc) {
            *st = fault_at_syscall(vm, msg, msglen,
                                   "%s: '%s' is not a %s: invalid %s input (syscall %d), MARS "
                                   "stops here",
                                   name, buf, dbl ? "double" : "float", dbl ? "double" : "float",
                                   dbl ? 7 : 6);
            return 0;
        }
        if (!dbl)
            *out = f;
        return 1;
    }
    uint32_t n = line_len(con, READ_INT_MAX);
    if (n)
        memcpy(buf, con->inq, n);
    buf[n] = '\0';
    bh_console_consume(con, n);
    float f = 0;
    if (dbl)
        bh_parse_double(buf, n, out, BH_FP_SPIM);
    else if (bh_parse_float(buf, n, &f, BH_FP_SPIM) == 0)
        *out = f;
    return 1;
}

SYSCALL_HANDLER(sys_read_float)
{
    double v;
    enum bh_vm_state st = BH_VM_RUNNING;
    if (!read_fp_line(vm, con, 0, &v, &st, msg, msglen))
        return st;
    set_fpr_float(vm, 0, (float)v); /* exact: the parser rounded to float */
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_read_double)
{
    double v;
    enum bh_vm_state st = BH_VM_RUNNING;
    if (!read_fp_line(vm, con, 1, &v, &st, msg, msglen))
        return st;
    set_fpr_double(vm, 0, v);
    return BH_VM_RUNNING;
}

/* MARS's read_string: at most $a1 - 1 characters of the line, then a
 * newline if there is room, then the NUL; the rest of the line is lost. */
static enum bh_vm_state mars_read_string(struct bh_vm *vm, struct bh_console *con, int32_t a0,
                                         int32_t a1, char *msg, size_t msglen)
{
    uint32_t max = a1 > 0 ? (uint32_t)a1 - 1 : 0;
    char *buf = malloc((size_t)max + 2);
    if (!buf)
        return fault_at_syscall(vm, msg, msglen, "read_string: out of host memory");
    long n = mars_line(con, buf, (size_t)max + 1);
    if (n < 0) {
        free(buf);
        return fault_at_syscall(vm, msg, msglen, "read_string: end of input (MARS stops here)");
    }
    if ((uint32_t)n < max)
        buf[n++] = '\n';
    buf[n] = '\0';
    int rc = bh_vm_write(vm, (uint32_t)a0, buf, (uint32_t)n + (a1 > 0));
    free(buf);
    if (rc != 0)
        return fault_at_syscall(vm, msg, msglen, "read_string: cannot write %ld bytes at 0x%08x",
                                n + 1, (uint32_t)a0);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_read_string) /* fgets(a0, a1) */
{
    if (vm->mars) {
        if (!need_line(vm))
            return BH_VM_WAITING;
        return mars_read_string(vm, con, a0, a1, msg, msglen);
    }
    if (a1 < 1)
        return BH_VM_RUNNING;
    if (!need_line(vm))
        return BH_VM_WAITING;
    uint32_t n = line_len(con, (uint32_t)a1 - 1);
    char *buf = malloc(n + 1);
    if (!buf)
        return fault_at_syscall(vm, msg, msglen, "read_string: out of host memory");
    if (n)
        memcpy(buf, con->inq, n);
    buf[n] = '\0';
    int rc = bh_vm_write(vm, (uint32_t)a0, buf, n + 1);
    free(buf);
    if (rc != 0)
        return fault_at_syscall(vm, msg, msglen, "read_string: cannot write %u bytes at 0x%08x",
                                n + 1, (uint32_t)a0);
    bh_console_consume(con, n);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_exit)
{
    vm->ctl.exited = 1;
    vm->ctl.exit_status = 0;
    return BH_VM_EXITED;
}

SYSCALL_HANDLER(sys_print_char)
{
    uint8_t c = (uint8_t)a0;
    bh_console_write(con, &c, 1);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_read_char) /* one byte; 10 at end of input */
{
    if (vm->mars) { /* MARS: the first character of a whole line */
        if (!need_line(vm))
            return BH_VM_WAITING;
        char buf[2];
        long n = mars_line(con, buf, sizeof buf);
        if (n <= 0)
            return fault_at_syscall(vm, msg, msglen, "read_char: %s (MARS stops here)",
                                    n < 0 ? "end of input" : "an empty line");
        bh_core_set_reg(vm->core, V0, (uint8_t)buf[0]);
        return BH_VM_RUNNING;
    }
    bh_console_flush(con);
    if (!bh_console_want_byte(con, !vm->ctl.nonblock))
        return BH_VM_WAITING;
    if (con->inq_len) {
        bh_core_set_reg(vm->core, V0, con->inq[0]);
        bh_console_consume(con, 1);
    } else {
        bh_core_set_reg(vm->core, V0, '\n');
    }
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_open)
{
    char path[BH_PV_PATH_MAX];
    long n = bh_vm_read_str(vm, (uint32_t)a0, path, sizeof path);
    bh_core_set_reg(vm->core, V0, n < 0 ? -1 : bh_fsys_open(vm, path, a1));
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_read)
{
    int waiting = 0;
    int32_t r = bh_fsys_read(vm, a0, (uint32_t)a1, reg(vm, A2), &waiting);
    if (waiting)
        return BH_VM_WAITING;
    bh_core_set_reg(vm->core, V0, r);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_write)
{
    bh_core_set_reg(vm->core, V0, bh_fsys_write(vm, a0, (uint32_t)a1, reg(vm, A2)));
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_close)
{
    bh_core_set_reg(vm->core, V0, bh_fsys_close(vm, a0));
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_exit2)
{
    vm->ctl.exited = 1;
    vm->ctl.exit_status = a0;
    return BH_VM_EXITED;
}

SYSCALL_HANDLER(sys_time) /* MARS time: virtual ms, from the instruction count */
{
    uint64_t ms = bh_pv_time_ms(&vm->pv, bh_core_icount(vm->core));
    bh_core_set_reg(vm->core, A0, (int32_t)(uint32_t)ms);
    bh_core_set_reg(vm->core, A1, (int32_t)(uint32_t)(ms >> 32));
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_sleep) /* MARS sleep: only the virtual clock moves */
{
    if (a0 > 0)
        vm->pv.sleep_ms += (uint64_t)a0;
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_print_hex)
{
    bh_console_printf(con, "0x%08x", (uint32_t)a0);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_print_binary)
{
    print_binary(con, (uint32_t)a0);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_print_unsigned)
{
    print_dec(con, a0, 0);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_set_seed)
{
    bh_pv_rng_seed(&vm->pv, a0, (uint64_t)(int64_t)a1);
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_random_int)
{
    bh_core_set_reg(vm->core, A0, bh_pv_rng_int(&vm->pv, a0));
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_random_int_range)
{
    if (a1 <= 0)
        return fault_at_syscall(
            vm, msg, msglen, "random int range: the upper bound $a1 must be positive, not %d", a1);
    bh_core_set_reg(vm->core, A0, bh_pv_rng_below(&vm->pv, a0, a1));
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_random_float)
{
    set_fpr_float(vm, 0, bh_pv_rng_float(&vm->pv, a0));
    return BH_VM_RUNNING;
}

SYSCALL_HANDLER(sys_random_double)
{
    set_fpr_double(vm, 0, bh_pv_rng_double(&vm->pv, a0));
    return BH_VM_RUNNING;
}

/* request migration (ours): 0 asked, -1 no --migrate destination */
SYSCALL_HANDLER(sys_request_migration)
{
    if (vm->ctl.mig_armed)
        vm->ctl.mig_request = 1;
    bh_core_set_reg(vm->core, V0, vm->ctl.mig_armed ? 0 : -1);
    return BH_VM_RUNNING;
}

/* Indexed by number: a lookup is one bounds check and one load.  A number
 * listed twice is an initializer override, an error with -Wextra -Werror. */
static const struct {
    sys_handler *fn;
    struct bh_syscall_info info;
} table[BH_SYSCALL_LIMIT] = {
#define SYSCALL(num, name, handler, a0, a1, a2, res, what)                                         \
    [num] = {handler, {#name, {BH_SYS_##a0, BH_SYS_##a1, BH_SYS_##a2}, BH_SYS_RES_##res, what}},
#include "machine/syscall.def"
#undef SYSCALL
};

const struct bh_syscall_info *bh_syscall_info(int32_t n)
{
    return n >= 0 && n < BH_SYSCALL_LIMIT && table[n].fn ? &table[n].info : NULL;
}

enum bh_vm_state bh_syscall(struct bh_vm *vm, char *msg, size_t msglen)
{
    struct bh_console *con = &vm->con;
    int32_t num = reg(vm, V0), a0 = reg(vm, A0), a1 = reg(vm, A1);
    if (!bh_syscall_info(num)) {
        fault_at_syscall(vm, msg, msglen, "bad syscall %d ($v0 is not a system call number)", num);
        bh_err_help(msg, msglen, "set $v0 to a syscall number first: docs/myvmm.md, Syscalls, "
                                 "lists them");
        return BH_VM_FAULTED;
    }
    return table[num].fn(vm, con, a0, a1, msg, msglen);
}
