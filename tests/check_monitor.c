/* check_monitor.c: the exit loop: hypercalls, faults and their messages,
 * halting, the instruction limit, slices, the MMIO console, line-whole
 * prefixed output, and --trace-exits. */
#include <unistd.h>

#include "monitor_test_util.h"

static const char *const dump_hdr = "$r";

START_TEST(dump_processor_state)
{
    struct mt_prog p = {0};
    mt_li(&p, 1, 6);
    mt_li(&p, 2, (uint32_t)-3);
    mt_emit(&p, ISA_ADD, 1, 2, 4, 0, 0); /* $4 = 3 */
    mt_emit(&p, ISA_DUMP_PROCESSOR_STATE, 0, 0, 0, 0, 0);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    const char *out = mt_run(&t);
    ck_assert_int_eq(t.st, BH_VM_EXITED);
    /* expected: every register as the VM holds it, signed decimal */
    char want[2048] = "";
    size_t n = 0;
    for (unsigned r = 0; r < 32; r++) {
        int32_t v = r == V0 ? -3 : bh_vm_reg(t.vm, r); /* $v0 became 10 after the dump */
        n += (size_t)snprintf(want + n, sizeof want - n, "%s%u=%d\n", dump_hdr, r, v);
    }
    ck_assert_str_eq(out, want);
    ck_assert_ptr_nonnull(strstr(out, "$r4=3\n"));
    ck_assert_ptr_nonnull(strstr(out, "$r2=-3\n"));
    mt_end(&t);
}
END_TEST

START_TEST(snapshot_hypercall_writes_file)
{
    char path[] = "/tmp/bh_monsnapXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    unlink(path);
    struct mt_prog p = {0};
    uint32_t s = mt_string(&p, path);
    mt_li(&p, T0, 77);
    mt_emit(&p, ISA_SNAPSHOT, 0, 0, 0, 0, s);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    mt_run(&t);
    ck_assert_msg(t.st == BH_VM_EXITED, "%s", t.msg);
    ck_assert_int_eq(access(path, R_OK), 0);
    unlink(path);
    mt_end(&t);
}
END_TEST

START_TEST(snapshot_unwritable_stops_vm)
{
    struct mt_prog p = {0};
    uint32_t s = mt_string(&p, "/nonexistent-dir/snap.bin");
    mt_emit(&p, ISA_SNAPSHOT, 0, 0, 0, 0, s);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    mt_run(&t);
    ck_assert_int_eq(t.st, BH_VM_FAULTED);
    ck_assert_msg(strstr(t.msg, "SNAPSHOT failed") != NULL, "%s", t.msg);
    mt_end(&t);
}
END_TEST

/* Each fault stops the VM with its MIPS name and the PC. */
static const struct {
    enum isa_op op;
    uint32_t rs, rt, rd, imm;
    const char *name;
} faults[] = {
    {ISA_LW, 0, T0, 0, 3, "(AdEL)"},
    {ISA_SW, 0, T0, 0, 0x100, "(AdES)"},
    {ISA_ADD, S0, S0, T0, 0, "(Ov)"},
    {ISA_BREAK, 0, 0, 0, 0, "(Bp)"},
    {ISA_TEQ, 0, 0, 0, 0, "(Tr)"},
    {ISA_INVALID, 0, 0, 0, 0, "(RI)"},
};

START_TEST(fault_kinds)
{
    struct mt_prog p = {0};
    mt_li(&p, S0, 0x7fffffffu);
    mt_syscall(&p, 11); /* print something first: it must come out */
    if (faults[_i].op == ISA_INVALID) p.w[p.n++] = 0xfc000000u; /* opcode 0x3f: nothing */
    else mt_emit(&p, faults[_i].op, faults[_i].rs, faults[_i].rt, faults[_i].rd, 0, faults[_i].imm);
    uint32_t fault_pc = BH_TEXT_BASE + 4 * (p.n - 1);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    mt_run(&t);
    ck_assert_int_eq(t.st, BH_VM_FAULTED);
    ck_assert_int_eq(bh_monitor_status(t.vm), BH_STATUS_FAULT);
    ck_assert_msg(strstr(t.msg, faults[_i].name) != NULL, "%s", t.msg);
    char pc[32];
    snprintf(pc, sizeof pc, "PC 0x%08x", fault_pc);
    ck_assert_msg(strstr(t.msg, pc) != NULL, "want %s in: %s", pc, t.msg);
    ck_assert_uint_eq(t.outlen, 1); /* the char printed before the fault */
    mt_end(&t);
}
END_TEST

START_TEST(halt_at_end_of_text)
{
    struct mt_prog p = {0};
    mt_li(&p, A0, 9);
    mt_syscall(&p, 1);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    ck_assert_str_eq(mt_run(&t), "9");
    ck_assert_int_eq(t.st, BH_VM_EXITED);
    ck_assert_int_eq(bh_monitor_status(t.vm), 0);
    mt_end(&t);
}
END_TEST

START_TEST(instruction_limit)
{
    struct mt_prog p = {0};
    mt_emit(&p, ISA_ADDIU, T0, T0, 0, 0, 1);
    mt_emit(&p, ISA_BEQ, 0, 0, 0, 0, (uint32_t)-2); /* loop forever */
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    bh_vm_ctl(t.vm)->max_instructions = 5000;
    mt_run(&t);
    ck_assert_int_eq(t.st, BH_VM_LIMIT);
    ck_assert_int_eq(bh_monitor_status(t.vm), BH_STATUS_LIMIT);
    ck_assert_msg(strstr(t.msg, "instruction limit of 5000 reached") != NULL, "%s", t.msg);
    /* stops at the first budget check at or after the limit */
    ck_assert_uint_ge(bh_vm_icount(t.vm), 5000);
    ck_assert_uint_le(bh_vm_icount(t.vm), 5002);
    /* a stopped VM stays stopped */
    ck_assert_int_eq(bh_monitor_step(t.vm, 100, t.msg, sizeof t.msg), BH_VM_LIMIT);
    mt_end(&t);
}
END_TEST

/* The same program gives the same output and count whatever the slice. */
START_TEST(slices_do_not_change_results)
{
    struct mt_prog p = {0};
    mt_li(&p, S0, 0);
    mt_li(&p, S1, 300);
    /* loop: s0 += 1; print s0 % 7 every time; until s0 == s1 */
    uint32_t loop = p.n;
    mt_emit(&p, ISA_ADDIU, S0, S0, 0, 0, 1);
    mt_li(&p, T0, 7);
    mt_emit(&p, ISA_DIV, S0, T0, 0, 0, 0);
    mt_emit(&p, ISA_MFHI, 0, 0, A0, 0, 0);
    mt_syscall(&p, 1);
    mt_emit(&p, ISA_BNE, S0, S1, 0, 0, (uint32_t)((int32_t)loop - (int32_t)p.n - 1));
    mt_syscall(&p, 30);
    mt_syscall(&p, 10);
    char *first = NULL;
    uint64_t count = 0;
    int64_t slices[] = {1, 7, 100, 1000000};
    for (int k = 0; k < 4; k++) {
        struct mt_vm t;
        mt_start(&t, &p, NULL, NULL);
        do t.st = bh_monitor_step(t.vm, slices[k], t.msg, sizeof t.msg);
        while (t.st == BH_VM_RUNNING);
        fflush(t.out);
        ck_assert_int_eq(t.st, BH_VM_EXITED);
        if (!first) {
            first = strdup(t.outbuf);
            count = bh_vm_icount(t.vm);
            ck_assert_uint_eq(strlen(first), 300);
        } else {
            ck_assert_str_eq(t.outbuf, first);
            ck_assert_uint_eq(bh_vm_icount(t.vm), count);
        }
        mt_end(&t);
    }
    free(first);
}
END_TEST

/* Memory-mapped console: poll the receiver, echo each byte through the
 * transmitter, until end of input (ready stays 0: the limit stops it). */
START_TEST(mmio_console_echo)
{
    struct mt_prog p = {0};
    mt_li(&p, S0, BH_MMIO_BASE);
    uint32_t poll_at = p.n;
    mt_emit(&p, ISA_LW, S0, T0, 0, 0, 0);            /* receiver control */
    mt_emit(&p, ISA_ANDI, T0, T0, 0, 0, 1);
    mt_emit(&p, ISA_BEQ, T0, 0, 0, 0, (uint32_t)((int32_t)poll_at - (int32_t)p.n - 1));
    mt_emit(&p, ISA_LW, S0, T1, 0, 0, 4);            /* receiver data */
    mt_emit(&p, ISA_LW, S0, T2, 0, 0, 8);            /* transmitter control */
    mt_emit(&p, ISA_SW, S0, T1, 0, 0, 12);           /* transmitter data */
    mt_emit(&p, ISA_BEQ, 0, 0, 0, 0, (uint32_t)((int32_t)poll_at - (int32_t)p.n - 1));
    struct mt_vm t;
    mt_start(&t, &p, "echo me\n", NULL);
    bh_vm_ctl(t.vm)->max_instructions = 20000;
    ck_assert_str_eq(mt_run(&t), "echo me\n");
    ck_assert_int_eq(t.st, BH_VM_LIMIT);
    ck_assert_int_eq(bh_vm_reg(t.vm, T2) & 1, 1); /* transmitter ready */
    struct bh_console *d = bh_vm_console(t.vm);
    ck_assert_uint_eq(d->in_consumed, 8);
    ck_assert_uint_eq(d->rcv_ctrl & BH_CON_CTRL_READY, 0);
    mt_end(&t);
}
END_TEST

START_TEST(mmio_receiver_interrupt_bit)
{
    struct mt_prog p = {0};
    mt_li(&p, S0, BH_MMIO_BASE);
    mt_li(&p, T0, BH_CON_CTRL_IE);
    mt_emit(&p, ISA_SW, S0, T0, 0, 0, 0); /* enable receiver interrupts */
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, "x", NULL);
    mt_run(&t);
    struct bh_console *d = bh_vm_console(t.vm);
    ck_assert_uint_eq(d->rcv_ctrl & BH_CON_CTRL_IE, BH_CON_CTRL_IE);
    bh_console_poll(d);
    /* the receiver is wired to hardware interrupt 1: Cause IP3 */
    ck_assert_uint_eq(bh_vm_c0(t.vm, 13) & 0x800u, 0x800u);
    mt_end(&t);
}
END_TEST

/* With a prefix, lines stay whole and each starts with it; a prompt
 * flushed before a read is continued without a second prefix. */
START_TEST(prefixed_lines)
{
    struct bh_console d;
    bh_console_init(&d);
    d.hold_lines = 1; /* a running VM that shares the output */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    bh_console_attach(&d, NULL, out, "vm1 | ");
    bh_console_write(&d, "ab", 2);
    fflush(out);
    ck_assert_uint_eq(len, 0); /* nothing until the line ends */
    bh_console_write(&d, "c\nde", 4);
    bh_console_flush(&d);           /* as before an input read */
    bh_console_printf(&d, "f%d\n", 1);
    bh_console_flush(&d);
    ck_assert_str_eq(buf, "vm1 | abc\nvm1 | def1\n");
    ck_assert_uint_eq(d.out_bytes, 2 + 4 + 3);
    /* a VM that stops mid-line gets its line ended (only with a prefix) */
    bh_console_write(&d, "g", 1);
    bh_console_close_output(&d);
    ck_assert_str_eq(buf, "vm1 | abc\nvm1 | def1\nvm1 | g\n");
    bh_console_attach(&d, NULL, NULL, "");
    bh_console_write(&d, "h", 1);
    bh_console_close_output(&d);
    ck_assert_str_eq(buf, "vm1 | abc\nvm1 | def1\nvm1 | g\nh");
    bh_console_free(&d);
    fclose(out);
    free(buf);
}
END_TEST

START_TEST(trace_exits_output)
{
    struct mt_prog p = {0};
    mt_li(&p, A0, 5);
    mt_syscall(&p, 1);
    mt_emit(&p, ISA_DUMP_PROCESSOR_STATE, 0, 0, 0, 0, 0);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    char *tb = NULL;
    size_t tl = 0;
    FILE *diag = open_memstream(&tb, &tl);
    bh_vm_ctl(t.vm)->diag = diag;
    bh_vm_ctl(t.vm)->trace_exits = 1;
    mt_run(&t);
    fclose(diag);
    ck_assert_msg(strstr(tb, "exit syscall at 0x00400010 after 5 instructions") != NULL, "%s", tb);
    ck_assert_msg(strstr(tb, "1 print_int: emulated") != NULL, "%s", tb);
    ck_assert_msg(strstr(tb, "exit hypercall DUMP_PROCESSOR_STATE at 0x00400014") != NULL, "%s", tb);
    ck_assert_msg(strstr(tb, "10 exit: exited") != NULL, "%s", tb);
    free(tb);
    mt_end(&t);
}
END_TEST

Suite *monitor_suite(void)
{
    Suite *s = suite_create("monitor");
    TCase *tc = tcase_create("exits");
    tcase_add_test(tc, dump_processor_state);
    tcase_add_test(tc, snapshot_hypercall_writes_file);
    tcase_add_test(tc, snapshot_unwritable_stops_vm);
    tcase_add_loop_test(tc, fault_kinds, 0, (int)(sizeof faults / sizeof faults[0]));
    tcase_add_test(tc, halt_at_end_of_text);
    tcase_add_test(tc, instruction_limit);
    tcase_add_test(tc, slices_do_not_change_results);
    tcase_add_test(tc, trace_exits_output);
    suite_add_tcase(s, tc);
    tc = tcase_create("devices");
    tcase_add_test(tc, mmio_console_echo);
    tcase_add_test(tc, mmio_receiver_interrupt_bit);
    tcase_add_test(tc, prefixed_lines);
    suite_add_tcase(s, tc);
    return s;
}
