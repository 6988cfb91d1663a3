/* check_syscall.c: the syscalls as SPIM 8.0 / MARS define them, driven
 * through bh_monitor_step on hand-encoded programs with the console on
 * memory streams; the syscall table against the dispatcher and the traces;
 * and the --fs-root sandbox of syscalls 13-16. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/syscall.h"
#include "monitor_test_util.h"

START_TEST(print_family)
{
    struct mt_prog p = {0};
    uint32_t s = mt_data(&p, "hi there\n", 10);
    mt_li(&p, A0, (uint32_t)-5);  mt_syscall(&p, 1);
    mt_li(&p, A0, 'x');           mt_syscall(&p, 11);
    mt_li(&p, A0, s);             mt_syscall(&p, 4);
    mt_li(&p, A0, 0xdeadbeefu);   mt_syscall(&p, 34);
    mt_li(&p, A0, 0x80000005u);   mt_syscall(&p, 35);
    mt_li(&p, A0, 0xfffffffeu);   mt_syscall(&p, 36);
    mt_li(&p, A0, 7);             mt_syscall(&p, 17);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    const char *out = mt_run(&t);
    char want[200];
    snprintf(want, sizeof want, "%d%c%s0x%08x%s%u", -5, 'x', "hi there\n", 0xdeadbeefu,
             "10000000000000000000000000000101", 0xfffffffeu);
    ck_assert_str_eq(out, want);
    ck_assert_int_eq(t.st, BH_VM_EXITED);
    ck_assert_int_eq(bh_monitor_status(t.vm), 7);
    mt_end(&t);
}
END_TEST

/* read_int: a whole line, atol; "3 4" gives 3 and the 4 is lost; 0 at EOF */
START_TEST(read_int_lines)
{
    struct mt_prog p = {0};
    for (int i = 0; i < 4; i++) {
        mt_syscall(&p, 5);
        mt_move(&p, A0, V0);
        mt_syscall(&p, 1);
        mt_li(&p, A0, ',');
        mt_syscall(&p, 11);
    }
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, "3 4\n  -12\nabc\n", NULL);
    ck_assert_str_eq(mt_run(&t), "3,-12,0,0,");
    ck_assert_int_eq(t.st, BH_VM_EXITED);
    ck_assert_int_eq(bh_monitor_status(t.vm), 0);
    mt_end(&t);
}
END_TEST

/* read_string: fgets: n-1 chars at most, keeps the newline, rest stays */
START_TEST(read_string_fgets)
{
    struct mt_prog p = {0};
    uint8_t zero[16] = {0};
    uint32_t buf = mt_data(&p, zero, 16);
    for (int i = 0; i < 4; i++) {
        mt_li(&p, A0, buf);
        mt_li(&p, A1, 4);
        mt_syscall(&p, 8);
        mt_li(&p, A0, buf);
        mt_syscall(&p, 4);
        mt_li(&p, A0, '|');
        mt_syscall(&p, 11);
    }
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, "hello\nab\n", NULL);
    /* "hel" | "lo\n" | "ab\n" | at end of input: empty */
    ck_assert_str_eq(mt_run(&t), "hel|lo\n|ab\n||");
    mt_end(&t);
}
END_TEST

START_TEST(read_char_eof)
{
    struct mt_prog p = {0};
    for (int i = 0; i < 3; i++) {
        mt_syscall(&p, 12);
        mt_move(&p, A0, V0);
        mt_syscall(&p, 1);
        mt_li(&p, A0, ' ');
        mt_syscall(&p, 11);
    }
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, "ab", NULL);
    char want[64];
    snprintf(want, sizeof want, "%d %d %d ", 'a', 'b', 10);
    ck_assert_str_eq(mt_run(&t), want);
    mt_end(&t);
}
END_TEST

START_TEST(sbrk_rounds_and_grows)
{
    struct mt_prog p = {0};
    mt_li(&p, A0, 5);    mt_syscall(&p, 9); mt_move(&p, S0, V0);
    mt_li(&p, A0, 100);  mt_syscall(&p, 9); mt_move(&p, S1, V0);
    mt_li(&p, A0, 0);    mt_syscall(&p, 9); mt_move(&p, T2, V0);
    /* the heap is usable memory: store and load through it */
    mt_li(&p, T0, 12345);
    mt_emit(&p, ISA_SW, S0, T0, 0, 0, 0);
    mt_emit(&p, ISA_LW, S0, T1, 0, 0, 0);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    uint32_t brk0 = bh_vm_brk(t.vm);
    mt_run(&t);
    ck_assert_int_eq(t.st, BH_VM_EXITED);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(t.vm, S0), brk0);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(t.vm, S1), brk0 + 8); /* 5 rounded up to 8 */
    ck_assert_uint_eq((uint32_t)bh_vm_reg(t.vm, T2), brk0 + 108);
    ck_assert_int_eq(bh_vm_reg(t.vm, T1), 12345);
    mt_end(&t);
}
END_TEST

START_TEST(sbrk_beyond_memory_limit_faults)
{
    struct mt_prog p = {0};
    mt_li(&p, A0, 0x7ff00000u); /* far more than 64 MiB */
    mt_syscall(&p, 9);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    mt_run(&t);
    ck_assert_int_eq(t.st, BH_VM_FAULTED);
    ck_assert_ptr_nonnull(strstr(t.msg, "memory limit exceeded"));
    ck_assert_int_eq(bh_monitor_status(t.vm), BH_STATUS_FAULT);
    mt_end(&t);
}
END_TEST

/* time: derived from the instruction count; sleep advances it exactly */
START_TEST(virtual_clock)
{
    struct mt_prog p = {0};
    mt_syscall(&p, 30);
    mt_move(&p, S0, A0);
    mt_move(&p, S1, A1);
    mt_li(&p, A0, 1500);
    mt_syscall(&p, 32);
    mt_syscall(&p, 30);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    mt_run(&t);
    uint64_t t1 = (uint64_t)(uint32_t)bh_vm_reg(t.vm, S1) << 32 | (uint32_t)bh_vm_reg(t.vm, S0);
    uint64_t t2 = (uint64_t)(uint32_t)bh_vm_reg(t.vm, A1) << 32 | (uint32_t)bh_vm_reg(t.vm, A0);
    ck_assert_uint_eq(t1, BH_PV_EPOCH_MS); /* 3 instructions: well under 1 ms */
    ck_assert_uint_eq(t2 - t1, 1500);
    mt_end(&t);
}
END_TEST

/* MARS random numbers are java.util.Random: new Random(42).nextInt() is
 * -1170105035; nextInt(bound) stays in range; unseeded ids come from --seed. */
START_TEST(random_java_compatible)
{
    struct mt_prog p = {0};
    mt_li(&p, A0, 3);
    mt_li(&p, A1, 42);
    mt_syscall(&p, 40);
    mt_li(&p, A0, 3);
    mt_syscall(&p, 41);
    mt_move(&p, S0, A0);
    for (int i = 0; i < 20; i++) {
        mt_li(&p, A0, 3);
        mt_li(&p, A1, 7);
        mt_syscall(&p, 42);
        mt_syscall(&p, 1);
    }
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    const char *out = mt_run(&t);
    ck_assert_int_eq(bh_vm_reg(t.vm, S0), -1170105035);
    ck_assert_uint_eq(strlen(out), 20);
    for (int i = 0; i < 20; i++) ck_assert(out[i] >= '0' && out[i] <= '6');
    /* the same program gives the same numbers */
    char first[32];
    snprintf(first, sizeof first, "%s", out);
    mt_end(&t);
    mt_start(&t, &p, NULL, NULL);
    ck_assert_str_eq(mt_run(&t), first);
    mt_end(&t);
}
END_TEST

START_TEST(random_bad_bound_faults)
{
    struct mt_prog p = {0};
    mt_li(&p, A0, 0);
    mt_li(&p, A1, 0);
    mt_syscall(&p, 42);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    mt_run(&t);
    ck_assert_int_eq(t.st, BH_VM_FAULTED);
    ck_assert_ptr_nonnull(strstr(t.msg, "upper bound"));
    mt_end(&t);
}
END_TEST

START_TEST(bad_syscall)
{
    struct mt_prog p = {0};
    mt_li(&p, A0, 1);
    mt_syscall(&p, 99);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    mt_run(&t);
    ck_assert_int_eq(t.st, BH_VM_FAULTED);
    ck_assert_msg(strstr(t.msg, "bad syscall 99") != NULL, "%s", t.msg);
    /* the PC named is the syscall instruction's: 0x00400000 + 4 words */
    ck_assert_msg(strstr(t.msg, "PC 0x00400010") != NULL, "%s", t.msg);
    mt_end(&t);
}
END_TEST

/* Non-blocking: a read without input returns WAITING, consumes nothing,
 * and counts the syscall once when it finally runs. */
START_TEST(nonblocking_read_waits)
{
    struct mt_prog p = {0};
    mt_syscall(&p, 5);
    mt_move(&p, A0, V0);
    mt_syscall(&p, 1);
    mt_syscall(&p, 10);
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    struct mt_vm t;
    mt_start(&t, &p, NULL, NULL);
    FILE *in = fdopen(fds[0], "r");
    bh_console_attach(bh_vm_console(t.vm), in, NULL, NULL);
    bh_vm_ctl(t.vm)->nonblock = 1;
    ck_assert_int_eq(bh_monitor_step(t.vm, 1000, t.msg, sizeof t.msg), BH_VM_WAITING);
    uint64_t ic = bh_vm_icount(t.vm);
    ck_assert_uint_eq(ic, 2); /* lui+ori; the syscall was undone */
    ck_assert_uint_eq(bh_vm_pc(t.vm), BH_TEXT_BASE + 8);
    ck_assert_int_eq(bh_monitor_step(t.vm, 1000, t.msg, sizeof t.msg), BH_VM_WAITING);
    ck_assert_uint_eq(bh_vm_icount(t.vm), ic);
    ck_assert_int_eq(write(fds[1], "4", 1), 1); /* half a line: still waiting */
    ck_assert_int_eq(bh_monitor_step(t.vm, 1000, t.msg, sizeof t.msg), BH_VM_WAITING);
    ck_assert_int_eq(write(fds[1], "2\n", 2), 2);
    ck_assert_int_eq(bh_monitor_step(t.vm, 1000, t.msg, sizeof t.msg), BH_VM_EXITED);
    ck_assert_uint_eq(bh_vm_icount(t.vm), 2 + 1 + 1 + 2 + 1 + 2 + 1);
    fflush(t.out);
    ck_assert_str_eq(t.outbuf, "42");
    close(fds[1]);
    mt_end(&t);
    fclose(in);
}
END_TEST

/* ---- the syscall table, as --trace and --trace-exits show it ---- */

/* The nth line of text holding word (0 first), copied into out. */
static const char *nth_line_with(const char *text, const char *word, int nth, char *out, size_t n)
{
    while (*text) {
        size_t len = strcspn(text, "\n");
        snprintf(out, n, "%.*s", (int)len, text);
        if (strstr(out, word) && nth-- == 0)
            return out;
        text += len + (text[len] == '\n');
    }
    return NULL;
}

/* The program for table_matches_dispatcher: argument registers as the
 * table says syscall n reads them (anything, for a number it lacks), then
 * syscall n when with_call, then the end of text (exit 0). */
static void table_prog(struct mt_prog *p, int32_t n, int with_call)
{
    const struct bh_syscall_info *s = bh_syscall_info(n);
    uint32_t str = mt_data(p, "f.txt", 6);
    uint8_t zero[16] = {0};
    uint32_t buf = mt_data(p, zero, 16);
    for (int a = 0; a < 3; a++) {
        uint32_t v = 3; /* an int, a count, a generator id */
        switch (s ? s->args[a] : BH_SYS_INT) {
        case BH_SYS_NONE:
            v = 0;
            break;
        case BH_SYS_CHAR:
            v = 'c';
            break;
        case BH_SYS_STR:
            v = str;
            break;
        case BH_SYS_BUF:
            v = buf;
            break;
        case BH_SYS_FD:
            v = 1;
            break;
        case BH_SYS_FLAGS:
            v = 0;
            break;
        default:
            break;
        }
        mt_li(p, A0 + (uint32_t)a, v);
    }
    mt_li(p, V0, (uint32_t)n);
    if (with_call)
        mt_emit(p, ISA_SYSCALL, 0, 0, 0, 0, 0);
}

/* Every number 0-255 and a few beyond: the dispatcher handles it exactly
 * when the table has an entry, --trace-exits names it from that entry,
 * and a syscall writes no register but the results its entry names
 * (compared with the same program without the syscall). */
START_TEST(table_matches_dispatcher)
{
    int32_t extra[] = {-1, 256, 1000, INT32_MAX, INT32_MIN};
    int handled_count = 0;
    for (int i = 0; i < 256 + (int)(sizeof extra / sizeof extra[0]); i++) {
        int32_t n = i < 256 ? i : extra[i - 256];
        const struct bh_syscall_info *s = bh_syscall_info(n);
        struct mt_prog without = {0}, with = {0};
        table_prog(&without, n, 0);
        table_prog(&with, n, 1);
        struct mt_vm b, t;
        mt_start(&b, &without, NULL, NULL);
        mt_run(&b);
        mt_start(&t, &with, "1\nabc\n", NULL);
        char *tb = NULL;
        size_t tl = 0;
        FILE *diag = open_memstream(&tb, &tl);
        bh_vm_ctl(t.vm)->diag = diag;
        bh_vm_ctl(t.vm)->trace_exits = 1;
        mt_run(&t);
        fclose(diag);

        int handled = !(t.st == BH_VM_FAULTED && strstr(t.msg, "bad syscall"));
        ck_assert_msg(handled == (s != NULL), "syscall %d: %s by the dispatcher, %s in the table",
                      n, handled ? "handled" : "refused", s ? s->name : "not");
        handled_count += handled;
        char want[64];
        snprintf(want, sizeof want, ": %d %s: ", n, s ? s->name : "unknown");
        ck_assert_msg(strstr(tb, want) != NULL, "syscall %d: '%s' not in --trace-exits: %s", n,
                      want, tb);
        ck_assert_str_eq(bh_trace_syscall_name(n), s ? s->name : "unknown");
        if (s && t.st != BH_VM_FAULTED) {
            for (unsigned r = 1; r < 32; r++)
                ck_assert_msg((s->results >> r & 1) || bh_vm_reg(t.vm, r) == bh_vm_reg(b.vm, r),
                              "syscall %d %s wrote $%s, not among its results", n, s->name,
                              isa_reg_names[r]);
            ck_assert_int_eq(bh_vm_hi(t.vm), bh_vm_hi(b.vm));
            ck_assert_int_eq(bh_vm_lo(t.vm), bh_vm_lo(b.vm));
        }
        free(tb);
        mt_end(&b);
        mt_end(&t);
    }
    ck_assert_int_gt(handled_count, 20); /* SPIM's and MARS's, at least */
}
END_TEST

/* --trace prints a syscall's line after the monitor emulated it: the
 * result registers show, even when the value did not change ($v0 = 5
 * before and after read_int reads "5"). */
START_TEST(trace_shows_syscall_results)
{
    struct mt_prog p = {0};
    mt_syscall(&p, 5);
    mt_syscall(&p, 5);
    mt_syscall(&p, 30);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, "42\n5\n", NULL);
    char *tb = NULL;
    size_t tl = 0;
    FILE *diag = open_memstream(&tb, &tl);
    bh_vm_ctl(t.vm)->diag = diag;
    bh_vm_ctl(t.vm)->trace = 1;
    mt_run(&t);
    fclose(diag);
    ck_assert_int_eq(t.st, BH_VM_EXITED);
    char l[256];
    ck_assert_ptr_nonnull(nth_line_with(tb, "syscall", 0, l, sizeof l));
    ck_assert_msg(strstr(l, " $v0=42") && !strstr(l, "$a0"), "read_int: '%s'", l);
    ck_assert_ptr_nonnull(nth_line_with(tb, "syscall", 1, l, sizeof l));
    ck_assert_msg(strstr(l, " $v0=5"), "read_int of an unchanged $v0: '%s'", l);
    ck_assert_ptr_nonnull(nth_line_with(tb, "syscall", 2, l, sizeof l));
    ck_assert_msg(strstr(l, " $a0=") && strstr(l, " $a1=") && !strstr(l, "$v0"), "time: '%s'", l);
    ck_assert_ptr_nonnull(nth_line_with(tb, "syscall", 3, l, sizeof l));
    ck_assert_msg(!strchr(l, '$'), "exit: '%s'", l);
    ck_assert_ptr_null(nth_line_with(tb, "syscall", 4, l, sizeof l));
    free(tb);
    mt_end(&t);
}
END_TEST

/* ---- files ---- */

static char root[64], outside[64];

static void fs_setup(void)
{
    strcpy(root, "/tmp/bh_fsrootXXXXXX");
    strcpy(outside, "/tmp/bh_fsoutXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(root));
    ck_assert_ptr_nonnull(mkdtemp(outside));
    char p[128];
    snprintf(p, sizeof p, "%s/secret.txt", outside);
    FILE *f = fopen(p, "w");
    fputs("secret\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/sub", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/link", root);
    ck_assert_int_eq(symlink(outside, p), 0);
    snprintf(p, sizeof p, "%s/filelink", root);
    char target[128];
    snprintf(target, sizeof target, "%s/secret.txt", outside);
    ck_assert_int_eq(symlink(target, p), 0);
}

static void fs_teardown(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, outside);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(sandbox_refuses_escapes)
{
    int rfd = open(root, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(rfd, 0);
    char abs[128], rel[160];
    snprintf(abs, sizeof abs, "%s/secret.txt", outside);
    const char *out_name = strrchr(outside, '/') + 1;
    snprintf(rel, sizeof rel, "../%s/secret.txt", out_name);
    const char *bad[] = {abs, rel, "..", "sub/../../x", "link/secret.txt", "filelink", "", "sub", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int fd = bh_fsys_open_beneath(rfd, bad[i], O_RDONLY, 0);
        ck_assert_msg(fd < 0, "'%s' was opened", bad[i]);
    }
    /* and the legitimate ones work */
    int fd = bh_fsys_open_beneath(rfd, "sub/new.txt", O_WRONLY | O_CREAT, 0644);
    ck_assert_int_ge(fd, 0);
    close(fd);
    fd = bh_fsys_open_beneath(rfd, "./sub//new.txt", O_RDONLY, 0);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_lt(bh_fsys_open_beneath(-1, "sub/new.txt", O_RDONLY, 0), 0);
    close(rfd);
}
END_TEST

/* Guest program: open(name, 1), write 5 bytes, close; open(name, 9),
 * append 5; open(name, 0), read up to 64 into buf, print it. */
static void file_prog(struct mt_prog *p, const char *name)
{
    uint32_t fname = mt_data(p, name, (uint32_t)strlen(name) + 1);
    uint32_t text = mt_data(p, "hello", 5);
    uint8_t zero[64] = {0};
    uint32_t buf = mt_data(p, zero, 64);
    for (int pass = 0; pass < 2; pass++) {
        mt_li(p, A0, fname);
        mt_li(p, A1, pass ? 9 : 1);
        mt_li(p, A2, 0);
        mt_syscall(p, 13);
        mt_move(p, S0, V0);
        mt_move(p, A0, S0);
        mt_li(p, A1, text);
        mt_li(p, A2, 5);
        mt_syscall(p, 15);
        mt_move(p, A0, S0);
        mt_syscall(p, 16);
    }
    mt_li(p, A0, fname);
    mt_li(p, A1, 0);
    mt_syscall(p, 13);
    mt_move(p, S1, V0);
    mt_move(p, A0, S1);
    mt_li(p, A1, buf);
    mt_li(p, A2, 64);
    mt_syscall(p, 14);
    mt_move(p, T2, V0);
    mt_li(p, A0, buf);
    mt_syscall(p, 4);
    mt_syscall(p, 10);
}

START_TEST(files_inside_root)
{
    struct mt_prog p = {0};
    file_prog(&p, "sub/f.txt");
    struct mt_vm t;
    mt_start(&t, &p, NULL, root);
    ck_assert_str_eq(mt_run(&t), "hellohello");
    ck_assert_int_eq(bh_vm_reg(t.vm, S0), 3);  /* descriptors from 3, reused after close */
    ck_assert_int_eq(bh_vm_reg(t.vm, S1), 3);
    ck_assert_int_eq(bh_vm_reg(t.vm, T2), 10); /* bytes read */
    /* the open file is described for a snapshot: path, flags, offset */
    struct bh_pv *d = &t.vm->pv;
    ck_assert_int_eq(d->files[0].used, 1);
    ck_assert_str_eq(d->files[0].path, "sub/f.txt");
    ck_assert_int_eq(d->files[0].flags, 0);
    ck_assert_uint_eq(d->files[0].offset, 10);
    mt_end(&t);
    char path[128];
    snprintf(path, sizeof path, "%s/sub/f.txt", root);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_size, 10);
}
END_TEST

START_TEST(files_refused_without_root_or_outside)
{
    char rel[160];
    snprintf(rel, sizeof rel, "../%s/secret.txt", strrchr(outside, '/') + 1);
    const char *names[] = {"f.txt", rel, "link/secret.txt"};
    for (int i = 0; i < 3; i++) {
        struct mt_prog p = {0};
        file_prog(&p, names[i]);
        struct mt_vm t;
        mt_start(&t, &p, NULL, i == 0 ? NULL : root);
        const char *out = mt_run(&t);
        ck_assert_int_eq(bh_vm_reg(t.vm, S0), -1);
        ck_assert_int_eq(bh_vm_reg(t.vm, S1), -1);
        ck_assert_int_eq(bh_vm_reg(t.vm, T2), -1);
        ck_assert_str_eq(out, "");
        mt_end(&t);
    }
}
END_TEST

/* fd 0/1/2 are the console */
START_TEST(console_descriptors)
{
    struct mt_prog p = {0};
    uint8_t zero[16] = {0};
    uint32_t buf = mt_data(&p, zero, 16);
    mt_li(&p, A0, 0); mt_li(&p, A1, buf); mt_li(&p, A2, 16); mt_syscall(&p, 14);
    mt_move(&p, S0, V0);
    mt_li(&p, A0, 1); mt_li(&p, A1, buf); mt_move(&p, A2, S0); mt_syscall(&p, 15);
    mt_li(&p, A0, 2); mt_li(&p, A1, buf); mt_li(&p, A2, 2); mt_syscall(&p, 15);
    mt_syscall(&p, 10);
    struct mt_vm t;
    mt_start(&t, &p, "line one\nline two\n", NULL);
    ck_assert_str_eq(mt_run(&t), "line one\nli");
    ck_assert_int_eq(bh_vm_reg(t.vm, S0), 9);
    mt_end(&t);
}
END_TEST

Suite *syscall_suite(void)
{
    Suite *s = suite_create("syscall");
    TCase *tc = tcase_create("console");
    tcase_add_test(tc, print_family);
    tcase_add_test(tc, read_int_lines);
    tcase_add_test(tc, read_string_fgets);
    tcase_add_test(tc, read_char_eof);
    tcase_add_test(tc, nonblocking_read_waits);
    tcase_add_test(tc, console_descriptors);
    suite_add_tcase(s, tc);
    tc = tcase_create("memory_time_random");
    tcase_add_test(tc, sbrk_rounds_and_grows);
    tcase_add_test(tc, sbrk_beyond_memory_limit_faults);
    tcase_add_test(tc, virtual_clock);
    tcase_add_test(tc, random_java_compatible);
    tcase_add_test(tc, random_bad_bound_faults);
    tcase_add_test(tc, bad_syscall);
    suite_add_tcase(s, tc);
    tc = tcase_create("table");
    tcase_add_test(tc, table_matches_dispatcher);
    tcase_add_test(tc, trace_shows_syscall_results);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_add_checked_fixture(tc, fs_setup, fs_teardown);
    tcase_add_test(tc, sandbox_refuses_escapes);
    tcase_add_test(tc, files_inside_root);
    tcase_add_test(tc, files_refused_without_root_or_outside);
    suite_add_tcase(s, tc);
    return s;
}
