/* check_hmp.c: the human monitor's interpreter (vm/host/hmp.c) and QMP's
 * dispatcher (vm/host/qmp_proto.c), without a scheduler: the VM is held
 * paused as the scheduler would park it.  Errors say what was expected;
 * step, break, print and x read and drive the VM; QMP answers as QEMU's
 * specification words it. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "asm_test_util.h"
#include "babyasm.h"
#include "host/hmp.h"
#include "host/qmp_proto.h"
#include "image.h"
#include "machine/machine.h"
#include "vm.h"

static const char *prog = "        .data\n"
                          "msg:    .asciiz \"hi there\"\n"
                          "        .align 2\n"
                          "val:    .word 0x11223344, 7\n"
                          "        .text\n"
                          "main:   li $t0, 0\n"
                          "loop:   addiu $t0, $t0, 1\n"
                          "        j loop\n";

static struct bh_image img;
static struct bh_asm_result res;
static struct bh_vm *vm;
static struct bh_ctl ctl;
static struct bh_hmp h;
static struct bh_buf out;

static void hold(void) /* what the scheduler does for a pause */
{
    ctl.vms[0].reason = BH_CTL_REQUEST;
    ctl.vms[0].parked = 1;
}

static void setup(void)
{
    ck_assert_int_eq(asm_str(prog, &img, &res), 0);
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "vm1";
    char err[256];
    ck_assert_msg(bh_vm_create(&img, &o, &vm, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(bh_ctl_init(&ctl, 1, err, sizeof err), 0);
    bh_ctl_attach(&ctl, 0, vm, "vm1");
    hold();
    bh_hmp_init(&h, &ctl, NULL);
    memset(&out, 0, sizeof out);
}

static void teardown(void)
{
    bh_buf_free(&out);
    bh_ctl_destroy(&ctl);
    bh_vm_destroy(vm);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}

/* Run line; its answer as a C string (valid until the next call). */
static const char *run(const char *line, int want_rc)
{
    out.len = 0;
    int rc = bh_hmp_exec(&h, line, &out);
    bh_buf_put8(&out, 0);
    out.len--;
    ck_assert_msg(rc == want_rc, "'%s' returned %d: %s", line, rc, (char *)out.data);
    return (const char *)out.data;
}

#define ck_says(line, rc, text)                                                                    \
    do {                                                                                           \
        const char *got_ = run(line, rc);                                                          \
        ck_assert_msg(strstr(got_, text) != NULL, "'%s' says '%s', not '%s'", line, got_, text);   \
    } while (0)

static uint32_t sym(const char *name) { return bh_image_symbol_named(&img, name)->value; }

START_TEST(errors_say_what_was_expected)
{
    ck_says("break", -1, "expected break LABEL|ADDR|FILE:LINE");
    ck_says("break nowhere", -1, "'nowhere' is none of them");
    ck_says("break t.s:x", -1, "expected FILE:LINE with a line number");
    ck_says("break t.s:99", -1, "no instruction at t.s:99");
    ck_says("break 0x10", -1, "is not an instruction of the program");
    ck_says("x/3q msg", -1, "f one of w (words), h (halves), b (bytes), s (strings)");
    ck_says("x/0w msg", -1, "expected a count from 1 to 1024");
    ck_says("x/w val+2", -1, "is not aligned to 4 bytes");
    ck_says("x/w 0x1000", -1, "is not mapped");
    ck_says("step 0", -1, "expected a count from 1 to");
    ck_says("step two", -1, "not 'two'");
    ck_says("print $zz", -1, "expected a register ($t0, $8, $f2, hi, lo, pc)");
    ck_says("print", -1, "expected print $REG");
    ck_says("info", -1, "expected info registers|breakpoints|vms|migrate");
    ck_says("migrate", -1, "migrate: expected migrate tcp:HOST:PORT");
    ck_says("migrate tcp:127.0.0.1:1 more", -1, "migrate: expected migrate tcp:HOST:PORT");
    ck_says("migrate tcp:127.0.0.1:1", -1, "migrate: migration is not available here");
    ck_says("migrate_cancel now", -1, "migrate_cancel: expected no argument");
    ck_says("migrate_cancel", -1, "migrate_cancel: migration is not available here");
    ck_says("info migrate", 0, "vm1: migration status: none");
    ck_says("delete 9", -1, "no breakpoint 9");
    ck_says("vm vm7", -1, "no VM called 'vm7'");
    ck_says("stpe", -1, "did you mean 'step'?");
    ck_says("frobnicate", -1, "unknown command 'frobnicate' (help lists them)");
    ck_says("print/x $t0", -1, "only x takes one");
    ck_says("savevm f.snap", -1, "savevm: not available here");
    ck_assert_str_eq(run("   ", 0), "");
}
END_TEST

START_TEST(step_print_and_registers)
{
    uint64_t before = bh_vm_icount(vm);
    bh_vm_set_pc(vm, sym("main"));
    run("step 3", 0); /* li, addiu, j */
    ck_assert_uint_eq(bh_vm_icount(vm), before + 3);
    ck_assert_uint_eq(bh_vm_pc(vm), sym("loop"));
    ck_says("print $t0", 0, "$t0 = 1 (0x00000001)");
    ck_says("print $8", 0, "$8 = 1");
    bh_vm_set_hilo(vm, -2, 5);
    ck_says("print hi", 0, "hi = -2 (0xfffffffe)");
    ck_says("print lo", 0, "lo = 5");
    ck_says("print pc", 0, "pc = 4194");
    ck_says("print val", 0, "val = 0x1001000c");
    ck_says("print $f2", 0, "$f2 = 0x00000000 (float 0, double with $f3 0)");
    ck_says("info registers", 0, "t0    0x00000001");
    ck_says("info vms", 0, "* vm1: paused, ");
}
END_TEST

START_TEST(memory_and_disassembly)
{
    ck_says("x/s msg", 0, "<msg>: \"hi there\"");
    ck_says("x/2w val", 0, "0x1001000c <val>: 0x11223344 0x00000007");
    ck_says("x/2h val", 0, "0x3344 0x1122");
    ck_says("x/3b val", 0, "0x44 0x33 0x22");
    bh_vm_set_pc(vm, sym("loop"));
    ck_says("disas", 0, "=> 0x");
    ck_says("disas", 0, "<loop>: addiu $t0, $t0, 1   [t.s:7]");
    ck_says("disas main", 0, "<main>:");
}
END_TEST

START_TEST(breakpoints_by_label_address_and_line)
{
    ck_says("break loop", 0, "breakpoint 1 at 0x");
    ck_says("break t.s:8", 0, "breakpoint 2 at ");
    ck_says("break loop", -1, "breakpoint 1 is there already");
    char addr[32];
    snprintf(addr, sizeof addr, "break 0x%x", sym("main"));
    ck_says(addr, 0, "breakpoint 3 at ");
    ck_says("info breakpoints", 0, "2 vm1 0x");
    /* a run stops at loop now */
    struct bh_exit ex;
    bh_vm_set_pc(vm, sym("main") + 4);
    bh_vm_run(vm, 100, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_DEBUG);
    run("delete", 0);
    ck_assert_str_eq(run("info breakpoints", 0), "");
    bh_vm_run(vm, 100, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET); /* none left */
}
END_TEST

START_TEST(a_running_vm_is_refused)
{
    ctl.vms[0].reason = BH_CTL_RUNNING;
    ck_says("print $t0", -1, "print: vm1 is running (stop it first)");
    ck_says("step", -1, "running (stop it first)");
    ck_says("info registers", -1, "running (stop it first)");
    ck_says("info vms", 0, "vm1: running");
    hold();
}
END_TEST

START_TEST(completion_of_commands_and_labels)
{
    ck_assert_str_eq(bh_hmp_complete(&h, "st", 2, 0), "step");
    ck_assert_str_eq(bh_hmp_complete(&h, "st", 2, 1), "stop");
    ck_assert_ptr_null(bh_hmp_complete(&h, "st", 2, 2));
    ck_assert_str_eq(bh_hmp_complete(&h, "lo", 2, 1), "loop"); /* loadvm, then the label */
    ck_assert_ptr_null(bh_hmp_complete(&h, "zz", 2, 0));
    ck_assert_str_eq(bh_hmp_complete(&h, "mi", 2, 0), "migrate");
    ck_assert_str_eq(bh_hmp_complete(&h, "mi", 2, 1), "migrate_cancel");
    ck_assert_str_eq(bh_hmp_complete(&h, "mi", 2, 2), "migrate"); /* info's */
    ck_assert_ptr_null(bh_hmp_complete(&h, "mi", 2, 3));
    ck_assert_str_eq(bh_hmp_complete(&h, "reg", 3, 0), "registers");
}
END_TEST

/* ---- QMP ---- */

static struct bh_qmp q;
static struct bh_qmp_session sess;

static json_t *qmp(const char *line)
{
    out.len = 0;
    bh_qmp_handle(&q, &sess, line, strlen(line), &out);
    ck_assert_uint_ge(out.len, 2);
    ck_assert(out.data[out.len - 2] == '\r' && out.data[out.len - 1] == '\n');
    json_error_t e;
    json_t *j = json_loadb((const char *)out.data, out.len - 2, 0, &e);
    ck_assert_msg(j != NULL, "not JSON: %.*s", (int)out.len, out.data);
    return j;
}

static void ck_error(const char *line, const char *cls, const char *desc)
{
    json_t *j = qmp(line);
    const char *c = json_string_value(json_object_get(json_object_get(j, "error"), "class"));
    const char *d = json_string_value(json_object_get(json_object_get(j, "error"), "desc"));
    ck_assert_msg(c && !strcmp(c, cls) && d && strstr(d, desc), "%s -> %.*s", line, (int)out.len,
                  out.data);
    json_decref(j);
}

static void qsetup(void)
{
    setup();
    bh_qmp_init(&q, &ctl, NULL);
    memset(&sess, 0, sizeof sess);
}

START_TEST(qmp_negotiation_first)
{
    out.len = 0;
    bh_qmp_greeting(&out);
    ck_assert(strstr((char *)out.data, "{\"QMP\":{\"version\":{\"qemu\":{") != NULL);
    ck_error("{\"execute\":\"query-status\"}", "CommandNotFound",
             "Expecting capabilities negotiation with 'qmp_capabilities'");
    json_t *j = qmp("{\"execute\":\"qmp_capabilities\",\"id\":\"a\"}");
    json_t *want = json_pack("{s:{},s:s}", "return", "id", "a");
    ck_assert(json_equal(j, want));
    json_decref(j);
    json_decref(want);
    ck_error("{\"execute\":\"qmp_capabilities\"}", "CommandNotFound", "already complete");
}
END_TEST

START_TEST(qmp_answers_and_errors)
{
    sess.negotiated = 1;
    json_t *j = qmp("{\"execute\":\"query-status\",\"id\":{\"n\":[1]}}");
    json_t *want = json_pack("{s:{s:s,s:b},s:{s:[i]}}", "return", "status", "paused", "running", 0,
                             "id", "n", 1);
    ck_assert_msg(json_equal(j, want), "%.*s", (int)out.len, out.data);
    json_decref(j);
    json_decref(want);
    j = qmp("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"x/s msg\"}}");
    ck_assert(strstr(json_string_value(json_object_get(j, "return")), "\"hi there\"") != NULL);
    json_decref(j);
    j = qmp("{\"execute\":\"query-vms\"}");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "return"), 0), "name")), "vm1");
    json_decref(j);
    ck_error("{\"execute\":\"query-status\",\"arguments\":{\"vm\":1}}", "GenericError",
             "Invalid parameter type for 'vm', expected: string");
    ck_error("{\"execute\":\"snapshot-save\"}", "GenericError", "Parameter 'file' is missing");
    ck_error("{\"execute\":\"snapshot-save\",\"arguments\":{\"file\":\"f\"}}", "GenericError",
             "snapshots are not available here");
    ck_error("{\"execute\":\"stop\",\"arguments\":{\"x\":1}}", "GenericError", "Parameter 'x' is unexpected");
    ck_error("{\"execute\":\"nope\"}", "CommandNotFound", "The command nope has not been found");
    ck_error("{\"execute\":\"stop\"", "GenericError", "JSON parse error");
    ck_error("\"stop\"", "GenericError", "JSON parse error");
    ck_error("[]", "GenericError", "QMP input must be a JSON object");
    ck_error("{}", "GenericError", "QMP input lacks member 'execute'");
    ck_error("{\"execute\":\"stop\",\"arguments\":[]}", "GenericError", "must be an object");
}
END_TEST

START_TEST(qmp_events)
{
    struct bh_ctl_event e = {.kind = BH_CTL_EV_PAUSED, .vm = 0, .reason = BH_CTL_BREAK, .pc = 0x400024};
    out.len = 0;
    bh_qmp_event(&ctl, &e, 1700000000, 42, &out);
    bh_buf_put8(&out, 0);
    ck_assert_str_eq((char *)out.data,
                     "{\"event\":\"STOP\",\"data\":{\"vm\":\"vm1\",\"reason\":\"breakpoint\",\"pc\":4194340},"
                     "\"timestamp\":{\"seconds\":1700000000,\"microseconds\":42}}\r\n");
}
END_TEST

/* ---- migration: QMP's and the monitor's, over fake ops ---- */

static char mig_uri[64];
static int mig_cancels, mig_refuse;
static struct bh_mig_info mig_info;

static int fake_migrate(void *ctx, size_t i, const char *uri, char *err, size_t errlen)
{
    (void)ctx;
    ck_assert_uint_eq(i, 0);
    if (mig_refuse) return bh_errf(err, errlen, "a migration of this VM is already under way");
    snprintf(mig_uri, sizeof mig_uri, "%s", uri);
    return 0;
}

static int fake_cancel(void *ctx, size_t i)
{
    (void)ctx;
    (void)i;
    return mig_cancels++ == 0; /* one under way the first time only */
}

static void fake_query(void *ctx, size_t i, struct bh_mig_info *info)
{
    (void)ctx;
    (void)i;
    *info = mig_info;
}

static void msetup(void)
{
    setup();
    struct bh_hmp_ops ops = {.migrate = fake_migrate, .migrate_cancel = fake_cancel,
                             .query_migrate = fake_query};
    bh_qmp_init(&q, &ctl, &ops);
    bh_hmp_init(&h, &ctl, &ops);
    sess.negotiated = 1;
    mig_uri[0] = '\0';
    mig_cancels = mig_refuse = 0;
    memset(&mig_info, 0, sizeof mig_info);
}

static void ck_return(const char *line, const char *want_json)
{
    json_t *j = qmp(line), *want = json_loads(want_json, 0, NULL);
    ck_assert_msg(want && json_equal(json_object_get(j, "return"), want), "%s -> %.*s", line,
                  (int)out.len, out.data);
    json_decref(j);
    json_decref(want);
}

START_TEST(qmp_migrate_arguments)
{
    ck_error("{\"execute\":\"migrate\"}", "GenericError", "Parameter 'uri' is missing");
    ck_error("{\"execute\":\"migrate\",\"arguments\":{\"uri\":4}}", "GenericError",
             "Invalid parameter type for 'uri', expected: string");
    ck_error("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"tcp:h:1\",\"vm\":\"vm7\"}}",
             "GenericError", "no VM called 'vm7'");
    ck_error("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"\"}}", "GenericError",
             "expected a URI: tcp:HOST:PORT");
    ck_error("{\"execute\":\"migrate-cancel\",\"arguments\":{\"uri\":\"x\"}}", "GenericError",
             "Parameter 'uri' is unexpected");
    /* the VM is held paused by setup: a live migration moves a running one */
    ck_error("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"tcp:h:1\"}}", "GenericError",
             "vm1 is paused: a live migration moves a running VM");
    ck_assert_str_eq(mig_uri, "");
    ctl.vms[0].reason = BH_CTL_RUNNING;
    ck_return("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"tcp:h:1\"}}", "{}");
    ck_assert_str_eq(mig_uri, "tcp:h:1");
    mig_refuse = 1;
    ck_error("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"tcp:h:1\",\"vm\":\"vm1\"}}",
             "GenericError", "already under way");
    ck_return("{\"execute\":\"migrate-cancel\"}", "{}"); /* one under way */
    ck_return("{\"execute\":\"migrate-cancel\"}", "{}"); /* none: {} too, as QEMU */
    ctl.vms[0].reason = BH_CTL_ENDED;
    ck_error("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"tcp:h:1\"}}", "GenericError",
             "vm1 has ended");
    ctl.vms[0].migrated = 1;
    ck_error("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"tcp:h:1\"}}", "GenericError",
             "vm1 has already migrated");
    hold();
}
END_TEST

START_TEST(qmp_query_migrate_and_its_event)
{
    ck_return("{\"execute\":\"query-migrate\"}", "{\"status\":\"none\"}");
    mig_info = (struct bh_mig_info){.status = BH_MIG_SETUP, .total_time = 0.012};
    ck_return("{\"execute\":\"query-migrate\"}", "{\"status\":\"setup\",\"total-time\":12}");
    mig_info = (struct bh_mig_info){.status = BH_MIG_COMPLETED, .total_time = 0.5,
                                    .downtime = 0.0031, .transferred = 1000000, .total = 81920,
                                    .pages = 30, .rounds = 3};
    ck_return("{\"execute\":\"query-migrate\"}",
              "{\"status\":\"completed\",\"total-time\":500,\"downtime\":3,\"ram\":"
              "{\"transferred\":1000000,\"remaining\":0,\"total\":81920,\"normal\":30,"
              "\"normal-bytes\":122880,\"dirty-sync-count\":3,\"mbps\":16.0}}");
    mig_info.status = BH_MIG_FAILED;
    snprintf(mig_info.error, sizeof mig_info.error, "connect to tcp:h:1: refused");
    json_t *j = qmp("{\"execute\":\"query-migrate\",\"arguments\":{\"vm\":\"vm1\"}}");
    json_t *r = json_object_get(j, "return");
    ck_assert_str_eq(json_string_value(json_object_get(r, "error-desc")), "connect to tcp:h:1: refused");
    ck_assert_ptr_null(json_object_get(r, "downtime"));
    json_decref(j);
    ck_says("info migrate", 0, "vm1: migration status: failed");
    ck_says("info migrate", 0, "error: connect to tcp:h:1: refused");
    struct bh_ctl_event e = {.kind = BH_CTL_EV_MIGRATION, .vm = 0, .msg = "active"};
    out.len = 0;
    bh_qmp_event(&ctl, &e, 1700000000, 42, &out);
    bh_buf_put8(&out, 0);
    ck_assert_str_eq((char *)out.data,
                     "{\"event\":\"MIGRATION\",\"data\":{\"vm\":\"vm1\",\"status\":\"active\"},"
                     "\"timestamp\":{\"seconds\":1700000000,\"microseconds\":42}}\r\n");
}
END_TEST

START_TEST(hmp_migrate_shares_qmps)
{
    ck_says("migrate tcp:h:2", -1, "migrate: vm1 is paused");
    ctl.vms[0].reason = BH_CTL_RUNNING;
    ck_says("migrate tcp:h:2", 0, "vm1: migrating to tcp:h:2");
    ck_assert_str_eq(mig_uri, "tcp:h:2");
    ck_says("migrate_cancel", 0, "vm1: migration cancelled");
    ck_says("migrate_cancel", 0, "vm1: no migration under way");
    mig_info = (struct bh_mig_info){.status = BH_MIG_ACTIVE, .total_time = 0.25,
                                    .remaining = 8192, .rounds = 2};
    snprintf(mig_info.addr, sizeof mig_info.addr, "tcp:h:2");
    ck_says("info migrate", 0, "vm1: migration status: active\nto: tcp:h:2\ntotal time: 250 ms");
    ck_says("info migrate", 0, "remaining: 8 kbytes");
    hold();
}
END_TEST

Suite *hmp_suite(void)
{
    Suite *s = suite_create("hmp");
    TCase *tc = tcase_create("interpreter");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, errors_say_what_was_expected);
    tcase_add_test(tc, step_print_and_registers);
    tcase_add_test(tc, memory_and_disassembly);
    tcase_add_test(tc, breakpoints_by_label_address_and_line);
    tcase_add_test(tc, a_running_vm_is_refused);
    tcase_add_test(tc, completion_of_commands_and_labels);
    suite_add_tcase(s, tc);
    TCase *tq = tcase_create("qmp");
    tcase_add_checked_fixture(tq, qsetup, teardown);
    tcase_add_test(tq, qmp_negotiation_first);
    tcase_add_test(tq, qmp_answers_and_errors);
    tcase_add_test(tq, qmp_events);
    suite_add_tcase(s, tq);
    TCase *tm = tcase_create("migrate");
    tcase_add_checked_fixture(tm, msetup, teardown);
    tcase_add_test(tm, qmp_migrate_arguments);
    tcase_add_test(tm, qmp_query_migrate_and_its_event);
    tcase_add_test(tm, hmp_migrate_shares_qmps);
    suite_add_tcase(s, tm);
    return s;
}
