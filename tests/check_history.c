/* check_history.c: time travel (vm/state/history.c, control.c's
 * bh_ctl_goto).  A program that reads numbers, writes memory, grows its
 * heap and prints runs to its end with history on; then, at thousands of
 * random targets (a seeded generator), goto / back / step mixes must give
 * exactly the state (bh_snapshot_state_hash) and the output so far of a
 * straight run single-stepped to the same count (interpreted and with the
 * translation tier), the console must show the output once; keyboard
 * input must come back at the count it arrived at; the ring must stay
 * within its limit; reverse-continue walks back through a breakpoint's
 * hits; the monitor's commands answer; two VMs keep two timelines. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asm_test_util.h"
#include "babyasm.h"
#include "host/control.h"
#include "host/hmp.h"
#include "host/monitor.h"
#include "image.h"
#include "machine/machine.h"
#include "state/history.h"
#include "state/snapshot.h"
#include "vm.h"

/* Reads n, then a number per round; each round writes 100 words, grows
 * the heap by 256 bytes and stores there, prints the round and a space.
 * The keyboard variant reads its numbers' digits from the MMIO receiver,
 * polling its ready bit. */
static const char *prog_syscall =
    "        .data\n"
    "buf:    .space 4096\n"
    "        .text\n"
    "main:   li $v0, 5\n"
    "        syscall\n"
    "        move $s0, $v0\n"
    "        li $s1, 0\n"
    "        la $s2, buf\n"
    "outer:  li $v0, 5\n"
    "        syscall\n"
    "        move $t3, $v0\n"
    "        li $v0, 9\n"
    "        li $a0, 256\n"
    "        syscall\n"
    "        sw $s1, 0($v0)\n"
    "        li $t0, 0\n"
    "inner:  mul $t1, $t0, $t3\n"
    "        addu $t1, $t1, $s1\n"
    "        andi $t2, $t0, 1023\n"
    "        sll $t2, $t2, 2\n"
    "        addu $t2, $t2, $s2\n"
    "        sw $t1, 0($t2)\n"
    "        addiu $t0, $t0, 1\n"
    "        blt $t0, 100, inner\n"
    "        move $a0, $s1\n"
    "        li $v0, 1\n"
    "        syscall\n"
    "        li $a0, 32\n"
    "        li $v0, 11\n"
    "        syscall\n"
    "        addiu $s1, $s1, 1\n"
    "        blt $s1, $s0, outer\n"
    "        li $v0, 10\n"
    "        syscall\n";

static const char *prog_keyboard =
    "        .text\n"
    "main:   li $s0, 0\n"          /* sum of the digits */
    "        li $s1, 0\n"          /* characters read */
    "        li $s3, 0xffff0000\n"
    "wait:   lw $t0, 0($s3)\n"     /* receiver control: ready? */
    "        andi $t0, $t0, 1\n"
    "        addiu $s4, $s4, 1\n"  /* polls: depend on when input arrived */
    "        beqz $t0, wait\n"
    "        lw $t1, 4($s3)\n"
    "        beq $t1, 10, done\n"
    "        addu $s0, $s0, $t1\n"
    "        addiu $s1, $s1, 1\n"
    "        move $a0, $t1\n"
    "        li $v0, 11\n"
    "        syscall\n"
    "        li $t2, 0\n"
    "spin:   addiu $t2, $t2, 1\n"
    "        blt $t2, 200, spin\n"
    "        j wait\n"
    "done:   move $a0, $s0\n"
    "        li $v0, 1\n"
    "        syscall\n"
    "        li $v0, 10\n"
    "        syscall\n";

struct run {
    struct bh_image img;
    struct bh_asm_result res;
    struct bh_vm *vm;
    FILE *in, *out;
    char *outbuf;
    size_t outlen;
};

static void start(struct run *r, const char *prog, const char *input)
{
    memset(r, 0, sizeof *r);
    ck_assert_int_eq(asm_str(prog, &r->img, &r->res), 0);
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "vm1";
    o.seed = 1;
    char err[256];
    ck_assert_msg(bh_vm_create(&r->img, &o, &r->vm, err, sizeof err) == 0, "%s", err);
    r->in = fmemopen((void *)input, strlen(input), "r");
    r->out = open_memstream(&r->outbuf, &r->outlen);
    ck_assert_ptr_nonnull(r->in);
    ck_assert_ptr_nonnull(r->out);
    bh_console_attach(bh_vm_console(r->vm), r->in, r->out, "");
}

static void finish(struct run *r)
{
    bh_vm_destroy(r->vm);
    fclose(r->in);
    fclose(r->out);
    free(r->outbuf);
    bh_image_free(&r->img);
    bh_asm_result_free(&r->res);
}

/* The straight run: single-stepped to its end, the state hash and the
 * console's bytes out at every count. */
struct ref {
    uint64_t n; /* counts 0..n-1 recorded; n-1 is the last before the end */
    uint64_t *hash, *out;
    char *output;
    size_t outlen;
};

static void reference(struct ref *f, const char *prog, const char *input)
{
    struct run r;
    start(&r, prog, input);
    size_t cap = 1 << 16;
    f->hash = malloc(cap * sizeof *f->hash);
    f->out = malloc(cap * sizeof *f->out);
    char msg[1024];
    for (;;) {
        uint64_t ic = bh_vm_icount(r.vm);
        ck_assert_uint_eq(ic, f->n);
        if (f->n == cap) {
            cap *= 2;
            f->hash = realloc(f->hash, cap * sizeof *f->hash);
            f->out = realloc(f->out, cap * sizeof *f->out);
        }
        f->hash[f->n] = bh_snapshot_state_hash(r.vm);
        f->out[f->n++] = bh_vm_console(r.vm)->out_bytes;
        if (bh_monitor_single(r.vm, msg, sizeof msg) != BH_VM_RUNNING) break;
    }
    bh_console_flush(bh_vm_console(r.vm));
    fflush(r.out);
    f->output = malloc(r.outlen + 1);
    memcpy(f->output, r.outbuf, r.outlen + 1);
    f->outlen = r.outlen;
    finish(&r);
}

static void ref_free(struct ref *f)
{
    free(f->hash);
    free(f->out);
    free(f->output);
}

/* The VM under test, held paused as the scheduler parks it. */
static struct run t;
static struct bh_ctl ctl;

static void hold(void)
{
    ctl.vms[0].reason = BH_CTL_REQUEST;
    ctl.vms[0].parked = 1;
}

static void start_history(const char *prog, const char *input, uint64_t interval, uint64_t limit)
{
    start(&t, prog, input);
    char err[512];
    ck_assert_int_eq(bh_ctl_init(&ctl, 1, err, sizeof err), 0);
    bh_ctl_attach(&ctl, 0, t.vm, "vm1");
    ctl.vms[0].hist = bh_history_new(t.vm, interval, limit, err, sizeof err);
    ck_assert_msg(ctl.vms[0].hist != NULL, "%s", err);
    hold();
}

/* Run as the scheduler does: slices of budget, a tick after each, up to
 * (not into) the program's end at count stop. */
static void run_until(uint64_t stop, int64_t budget)
{
    char msg[1024], err[256];
    while (bh_vm_icount(t.vm) < stop) {
        uint64_t left = stop - bh_vm_icount(t.vm);
        int64_t b = left / 2 < (uint64_t)budget ? (int64_t)(left / 2) : budget;
        enum bh_vm_state st = left > 64 ? bh_monitor_step(t.vm, b, msg, sizeof msg)
                                        : bh_monitor_single(t.vm, msg, sizeof msg);
        ck_assert_msg(st == BH_VM_RUNNING, "stopped at %llu: %s",
                      (unsigned long long)bh_vm_icount(t.vm), msg);
        ck_assert_int_eq(bh_history_tick(ctl.vms[0].hist, err, sizeof err), 0);
    }
    ck_assert_uint_eq(bh_vm_icount(t.vm), stop);
}

static void end_history(void)
{
    bh_history_free(ctl.vms[0].hist);
    bh_ctl_destroy(&ctl);
    finish(&t);
}

static void same_as_straight(const struct ref *f, const char *what)
{
    uint64_t ic = bh_vm_icount(t.vm);
    ck_assert_msg(ic < f->n, "%s: at %llu, past the end", what, (unsigned long long)ic);
    ck_assert_msg(bh_snapshot_state_hash(t.vm) == f->hash[ic],
                  "%s: the state at %llu differs from the straight run's", what,
                  (unsigned long long)ic);
    ck_assert_msg(bh_vm_console(t.vm)->out_bytes == f->out[ic],
                  "%s: %llu bytes out at %llu, the straight run %llu", what,
                  (unsigned long long)bh_vm_console(t.vm)->out_bytes, (unsigned long long)ic,
                  (unsigned long long)f->out[ic]);
}

static uint64_t rng_state;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

static char input_syscall[512];

static const char *make_input(void)
{
    size_t k = (size_t)snprintf(input_syscall, sizeof input_syscall, "40\n");
    for (int i = 0; i < 40; i++)
        k += (size_t)snprintf(input_syscall + k, sizeof input_syscall - k, "%d\n", i * 7 - 50);
    return input_syscall;
}

/* Going back and forth at random points, thousands of times. */
static void fuzz(const char *prog, const char *input, uint64_t interval, unsigned ops, int jit)
{
    struct ref f = {0};
    reference(&f, prog, input);
    ck_assert_uint_gt(f.n, 500);
    start_history(prog, input, interval, 64u << 20);
    char jerr[256];
    /* The translation tier (x86-64 builds; elsewhere it interprets) */
    if (jit) ck_assert_msg(bh_vm_jit(t.vm, 1, 1u << 20, jerr, sizeof jerr) == 0, "%s", jerr);
    uint64_t end = f.n - 1; /* the count of the final exit's syscall */
    run_until(end / 2, 997);
    same_as_straight(&f, "the first half");
    char err[768];
    rng_state = 0x9e3779b97f4a7c15ull;
    uint64_t present = end / 2;
    for (unsigned k = 0; k < ops; k++) {
        uint64_t now = bh_vm_icount(t.vm);
        switch (rnd(4)) {
        case 0: { /* goto anywhere reached */
            uint64_t to = rnd(present + 1);
            ck_assert_msg(bh_ctl_goto(&ctl, 0, to, err, sizeof err) == 0, "goto %llu: %s",
                          (unsigned long long)to, err);
            ck_assert_uint_eq(bh_vm_icount(t.vm), to);
            same_as_straight(&f, "goto");
            break;
        }
        case 1: { /* back a little */
            uint64_t n = 1 + rnd(now < 50 ? now + 1 : 50);
            if (n > now) break;
            ck_assert_msg(bh_ctl_goto(&ctl, 0, now - n, err, sizeof err) == 0, "back: %s", err);
            same_as_straight(&f, "back");
            break;
        }
        case 2: { /* step forward a few */
            unsigned n = 1 + (unsigned)rnd(20);
            for (unsigned s = 0; s < n && bh_vm_icount(t.vm) < end; s++)
                ck_assert_int_eq(bh_ctl_step(&ctl, 0, err, sizeof err), 0);
            present = bh_history_present(ctl.vms[0].hist) > present
                          ? bh_history_present(ctl.vms[0].hist) : present;
            same_as_straight(&f, "step");
            break;
        }
        default: /* run on, past the present sometimes (new input, checkpoints) */
            if (now < end) {
                uint64_t to = now + rnd(end - now < 3000 ? end - now : 3000);
                run_until(to, 97 + rnd(900));
                if (to > present) present = to;
                same_as_straight(&f, "run");
            }
            break;
        }
    }
    run_until(end, 1000);
    char msg[1024];
    ck_assert_int_eq(bh_monitor_single(t.vm, msg, sizeof msg), BH_VM_EXITED);
    bh_console_flush(bh_vm_console(t.vm));
    fflush(t.out);
    /* Every byte shown once, in order: the straight run's output. */
    ck_assert_uint_eq(t.outlen, f.outlen);
    ck_assert_msg(memcmp(t.outbuf, f.output, f.outlen) == 0, "output differs: '%s' vs '%s'",
                  t.outbuf, f.output);
    end_history();
    ref_free(&f);
}

START_TEST(back_and_forth_as_a_straight_run_syscalls)
{
    fuzz(prog_syscall, make_input(), 5000, 2000, 0);
}
END_TEST

START_TEST(back_and_forth_as_a_straight_run_jit)
{
    fuzz(prog_syscall, make_input(), 5000, 1000, 1);
}
END_TEST

/* Input that ends early: the end of input is recorded and replayed too
 * (read_int finds nothing from the third round on; with no input at all,
 * the first read finds its end). */
START_TEST(back_and_forth_past_the_end_of_input)
{
    fuzz(prog_syscall, "40\n1\n2\n", 5000, 500, 0);
    fuzz(prog_syscall, "", 300, 200, 0);
}
END_TEST

START_TEST(back_and_forth_as_a_straight_run_keyboard)
{
    fuzz(prog_keyboard, "314159265358979323846264338327950288419716939937510582\n", 3000, 1500, 0);
}
END_TEST

/* Input that arrives while the guest polls the keyboard: the count it
 * arrived at is part of the state (the polls counted in $s4), so a
 * replay must deliver it exactly then, not when it could. */
START_TEST(input_replays_at_the_count_it_arrived)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    start_history(prog_keyboard, "", 2500, 64u << 20);
    FILE *in = fdopen(fds[0], "r");
    bh_console_attach(bh_vm_console(t.vm), in, NULL, NULL);
    struct point {
        uint64_t ic, hash, out;
    } pts[4096];
    unsigned n = 0;
    static const char *chunks[] = {"12", "3", "45", "6", "\n"};
    unsigned next = 0;
    char msg[1024], err[768];
    rng_state = 42;
    enum bh_vm_state st = BH_VM_RUNNING;
    while (st == BH_VM_RUNNING && n < 4096) {
        if (next < 5 && rnd(40) == 0) { /* arrives between two slices */
            ck_assert_int_eq(write(fds[1], chunks[next], strlen(chunks[next])),
                             (int)strlen(chunks[next]));
            next++;
        }
        st = bh_monitor_step(t.vm, 50 + (int64_t)rnd(400), msg, sizeof msg);
        ck_assert_int_eq(bh_history_tick(ctl.vms[0].hist, err, sizeof err), 0);
        if (st == BH_VM_RUNNING)
            pts[n++] = (struct point){bh_vm_icount(t.vm), bh_snapshot_state_hash(t.vm),
                                      bh_vm_console(t.vm)->out_bytes};
    }
    ck_assert_int_eq(st, BH_VM_EXITED);
    ck_assert_uint_gt(n, 100);
    ck_assert_uint_gt((uint64_t)bh_vm_reg(t.vm, 20), 1000); /* it polled */
    for (unsigned k = 0; k < 400; k++) {
        const struct point *p = &pts[rnd(n)];
        ck_assert_msg(bh_ctl_goto(&ctl, 0, p->ic, err, sizeof err) == 0, "%s", err);
        ck_assert_msg(bh_snapshot_state_hash(t.vm) == p->hash,
                      "the state at %llu differs from the first run's", (unsigned long long)p->ic);
        ck_assert_uint_eq(bh_vm_console(t.vm)->out_bytes, p->out);
    }
    close(fds[1]);
    end_history();
    fclose(in);
}
END_TEST

START_TEST(the_ring_stays_within_its_limit)
{
    const char *input = make_input();
    /* One checkpoint's size, then a limit of about three. */
    start_history(prog_syscall, input, 2000, 64u << 20);
    uint64_t one = bh_history_bytes(ctl.vms[0].hist);
    end_history();
    uint64_t limit = one * 3 + one / 2;
    start_history(prog_syscall, input, 2000, limit);
    run_until(30000, 500);
    ck_assert_uint_le(bh_history_bytes(ctl.vms[0].hist), limit);
    uint64_t oldest = bh_history_oldest(ctl.vms[0].hist);
    ck_assert_uint_gt(oldest, 20000);
    char err[768];
    ck_assert_int_eq(bh_ctl_goto(&ctl, 0, oldest - 1, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "is before the oldest kept") != NULL, "%s", err);
    ck_assert_uint_eq(bh_vm_icount(t.vm), 30000); /* refused: unchanged */
    ck_assert_int_eq(bh_ctl_goto(&ctl, 0, 30001, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "beyond the furthest the VM ran (30000;") != NULL, "%s", err);
    ck_assert_int_eq(bh_ctl_goto(&ctl, 0, oldest, err, sizeof err), 0);
    ck_assert_uint_eq(bh_vm_icount(t.vm), oldest);
    end_history();
}
END_TEST

START_TEST(the_monitor_goes_back)
{
    start_history(prog_syscall, make_input(), 1000, 1u << 20);
    struct bh_hmp h;
    bh_hmp_init(&h, &ctl, NULL);
    struct bh_buf out = {0};
    ck_assert_int_eq(bh_hmp_exec(&h, "step 40", &out), 0);
    uint32_t t3 = (uint32_t)bh_vm_reg(t.vm, 11), pc = bh_vm_pc(t.vm);
    ck_assert_int_eq(bh_hmp_exec(&h, "step 3", &out), 0);
    out.len = 0;
    ck_assert_int_eq(bh_hmp_exec(&h, "back 3", &out), 0);
    bh_buf_put8(&out, 0);
    ck_assert_msg(strstr((char *)out.data, "vm1: instruction 40") != NULL, "%s", out.data);
    ck_assert_uint_eq(bh_vm_pc(t.vm), pc);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(t.vm, 11), t3);
    out.len = 0;
    ck_assert_int_eq(bh_hmp_exec(&h, "history", &out), 0);
    bh_buf_put8(&out, 0);
    ck_assert_msg(strstr((char *)out.data, "history: instructions 0 to 43 (now at 40)") != NULL,
                  "%s", out.data);
    out.len = 0;
    ck_assert_int_eq(bh_hmp_exec(&h, "goto 44", &out), -1);
    ck_assert_int_eq(bh_hmp_exec(&h, "goto x", &out), -1);
    ck_assert_int_eq(bh_hmp_exec(&h, "back 41", &out), -1);
    bh_buf_put8(&out, 0);
    ck_assert_msg(strstr((char *)out.data, "beyond the furthest the VM ran (43;") &&
                      strstr((char *)out.data, "expected an instruction count, not 'x'") &&
                      strstr((char *)out.data, "fewer than 41"),
                  "%s", out.data);
    bh_buf_free(&out);
    end_history();
}
END_TEST

/* reverse-continue walks back through the breakpoint's hits, newest
 * first, across checkpoints, then stops at the start of the history. */
START_TEST(reverse_continue_finds_the_hits_before)
{
    start_history(prog_syscall, make_input(), 1000, 1u << 20);
    uint32_t inner = bh_image_symbol_named(&t.img, "inner")->value;
    static uint64_t hits[8192];
    unsigned n = 0;
    char err[768];
    for (int k = 0; k < 7000; k++) {
        if (bh_vm_pc(t.vm) == inner) hits[n++] = bh_vm_icount(t.vm);
        ck_assert_int_eq(bh_ctl_step(&ctl, 0, err, sizeof err), 0);
    }
    ck_assert_uint_ge(n, 3);
    ck_assert_int_eq(bh_vm_break(t.vm, inner, 1), 0);
    for (unsigned k = 0; k < 3; k++) {
        ck_assert_msg(bh_ctl_reverse(&ctl, 0, err, sizeof err) == 0, "%s", err);
        ck_assert_uint_eq(bh_vm_icount(t.vm), hits[n - 1 - k]);
        ck_assert_uint_eq(bh_vm_pc(t.vm), inner);
        ck_assert_int_eq(bh_ctl_state(&ctl, 0), BH_CTL_BREAK);
    }
    ck_assert_int_eq(bh_vm_break(t.vm, inner, 0), 0);
    ck_assert_int_eq(bh_ctl_reverse(&ctl, 0, err, sizeof err), 1);
    ck_assert_uint_eq(bh_vm_icount(t.vm), 0);
    end_history();
}
END_TEST

/* Two VMs, two timelines: sending one back leaves the other where it is. */
START_TEST(each_vm_has_its_own_timeline)
{
    struct run r[2];
    struct bh_ctl c2;
    char err[768];
    ck_assert_int_eq(bh_ctl_init(&c2, 2, err, sizeof err), 0);
    for (int i = 0; i < 2; i++) {
        start(&r[i], prog_syscall, make_input());
        bh_ctl_attach(&c2, (size_t)i, r[i].vm, i ? "vm2" : "vm1");
        c2.vms[i].hist = bh_history_new(r[i].vm, 1000, 1u << 20, err, sizeof err);
        ck_assert_msg(c2.vms[i].hist != NULL, "%s", err);
        c2.vms[i].reason = BH_CTL_REQUEST;
        c2.vms[i].parked = 1;
    }
    for (int k = 0; k < 3000; k++) ck_assert_int_eq(bh_ctl_step(&c2, 0, err, sizeof err), 0);
    for (int k = 0; k < 5000; k++) ck_assert_int_eq(bh_ctl_step(&c2, 1, err, sizeof err), 0);
    uint64_t h2 = bh_snapshot_state_hash(r[1].vm);
    ck_assert_int_eq(bh_ctl_goto(&c2, 0, 100, err, sizeof err), 0);
    ck_assert_uint_eq(bh_vm_icount(r[0].vm), 100);
    ck_assert_uint_eq(bh_vm_icount(r[1].vm), 5000);
    ck_assert_uint_eq(bh_snapshot_state_hash(r[1].vm), h2);
    ck_assert_int_eq(bh_ctl_goto(&c2, 1, 4000, err, sizeof err), 0);
    ck_assert_uint_eq(bh_vm_icount(r[1].vm), 4000);
    ck_assert_int_eq(bh_ctl_goto(&c2, 0, 4000, err, sizeof err), -1); /* vm1 ran 3000 */
    ck_assert_msg(strstr(err, "beyond the furthest the VM ran (3000;") != NULL, "%s", err);
    for (int i = 0; i < 2; i++) bh_history_free(c2.vms[i].hist);
    bh_ctl_destroy(&c2);
    for (int i = 0; i < 2; i++) finish(&r[i]);
}
END_TEST

START_TEST(a_vm_with_a_network_card_is_refused)
{
    struct run r;
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(asm_str(prog_keyboard, &r.img, &r.res), 0);
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "vm1";
    o.net = 1;
    char err[512];
    ck_assert_msg(bh_vm_create(&r.img, &o, &r.vm, err, sizeof err) == 0, "%s", err);
    ck_assert_ptr_null(bh_history_new(r.vm, 1000, 1u << 20, err, sizeof err));
    ck_assert_msg(strstr(err, "a VM with a network card cannot go back in time") != NULL, "%s",
                  err);
    bh_vm_destroy(r.vm);
    bh_image_free(&r.img);
    bh_asm_result_free(&r.res);
}
END_TEST

Suite *history_suite(void)
{
    Suite *s = suite_create("history");
    TCase *tc = tcase_create("time travel");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, back_and_forth_as_a_straight_run_syscalls);
    tcase_add_test(tc, back_and_forth_as_a_straight_run_jit);
    tcase_add_test(tc, back_and_forth_past_the_end_of_input);
    tcase_add_test(tc, back_and_forth_as_a_straight_run_keyboard);
    tcase_add_test(tc, input_replays_at_the_count_it_arrived);
    tcase_add_test(tc, the_ring_stays_within_its_limit);
    tcase_add_test(tc, the_monitor_goes_back);
    tcase_add_test(tc, reverse_continue_finds_the_hits_before);
    tcase_add_test(tc, each_vm_has_its_own_timeline);
    tcase_add_test(tc, a_vm_with_a_network_card_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
