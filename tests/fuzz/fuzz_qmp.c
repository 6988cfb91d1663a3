/* fuzz_qmp.c: libFuzzer target for QMP's command dispatcher and the human
 * monitor's interpreter behind human-monitor-command (vm/host/qmp_proto.c,
 * vm/host/hmp.c), without sockets.
 *
 * The input is lines of QMP, answered one after another as one client's
 * session, against a VM of a small looping program held paused as the
 * scheduler would park it (there is no scheduler here: after each line a
 * VM the line gave back to the scheduler is parked again, and one that
 * quit is made whole).  Every answer must be one JSON object on one line
 * ending in "\r\n", with "return" or "error".  Snapshots go through ops
 * that refuse, so no input writes files.  No crash, leak or sanitizer
 * report.
 *
 * BH_FUZZ_WRITE_SEED=dir writes seeds there: a negotiated session with
 * every command, and human-monitor-command lines of every monitor command.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "babyasm.h"
#include "host/qmp_proto.h"
#include "machine/machine.h"
#include "vm.h"

static const char program[] = "\t.data\nmsg:\t.asciiz \"hi\\n\"\nn:\t.word 3\n"
                              "\t.text\nmain:\tlw $t1, n\nloop:\taddi $t0, $t0, 1\n"
                              "\tsw $t0, n\n\tmtc1 $t0, $f2\n\tj loop\n";
static struct bh_image img;
static struct bh_vm *vm;
static struct bh_ctl ctl;
static struct bh_qmp q;

static int refuse(void *ctx, size_t i, const char *path, char *err, size_t errlen)
{
    (void)ctx;
    (void)i;
    (void)path;
    return bh_errf(err, errlen, "not in the fuzzer");
}

static void setup(void)
{
    if (vm) return;
    struct bh_asm_result res;
    struct bh_vm_opts o;
    char err[256];
    memset(&res, 0, sizeof res);
    if (bh_asm_source("fuzz.s", program, sizeof program - 1, 0, &img, &res) != 0) abort();
    bh_asm_result_free(&res);
    bh_vm_opts_init(&o);
    o.name = "vm1";
    o.mem_limit = 1u << 20;
    if (bh_vm_create(&img, &o, &vm, err, sizeof err) != 0 || bh_ctl_init(&ctl, 1, err, sizeof err))
        abort();
    bh_ctl_attach(&ctl, 0, vm, "vm1");
    struct bh_hmp_ops ops = {.savevm = refuse, .loadvm = refuse};
    bh_qmp_init(&q, &ctl, &ops);
}

/* What the scheduler would do between two lines: park a VM given back to
 * it, end nothing (the program loops for ever; quit is undone). */
static void park(void)
{
    pthread_mutex_lock(&ctl.mu);
    struct bh_ctl_vm *v = &ctl.vms[0];
    if (v->reason == BH_CTL_RUNNING) v->reason = BH_CTL_REQUEST;
    v->want_pause = v->want_quit = 0;
    v->parked = 1;
    char buf[64];
    while (read(v->wake[0], buf, sizeof buf) > 0) {
    }
    pthread_mutex_unlock(&ctl.mu);
    bh_vm_ctl(vm)->state = BH_VM_RUNNING;
    q.quit = 0;
}

static void check_answer(const struct bh_buf *out, size_t from)
{
    const char *p = (const char *)out->data + from;
    size_t n = out->len - from;
    if (n < 2 || p[n - 2] != '\r' || p[n - 1] != '\n' || memchr(p, '\n', n - 1)) abort();
    json_error_t e;
    json_t *j = json_loadb(p, n - 2, 0, &e);
    if (!j || !json_is_object(j) || (!json_object_get(j, "return") && !json_object_get(j, "error")))
        abort();
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    park();
    struct bh_qmp_session s = {0};
    struct bh_buf out = {0};
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != '\n') continue;
        if (i > start) {
            size_t from = out.len;
            bh_qmp_handle(&q, &s, (const char *)data + start, i - start, &out);
            check_answer(&out, from);
            park();
        }
        start = i + 1;
    }
    bh_buf_free(&out);
    /* the next input starts without breakpoints */
    bh_hmp_exec(&q.hmp, "delete", &out);
    bh_buf_free(&out);
    return 0;
}

static int write_seed(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    fputs(text, f);
    return fclose(f) != 0;
}

static int write_seeds(const char *dir)
{
    static const char *const hmp[] = {
        "step 3", "break loop", "break fuzz.s:6", "break 0x400000", "continue", "stop",
        "delete 1", "delete", "info registers", "info breakpoints", "info vms",
        "print $t0", "print $f2", "print hi", "print msg", "x/4w $sp", "x/2s msg",
        "x/8b n", "x/3h n+2", "disas", "disas main+4", "list", "vm vm1", "savevm f",
        "loadvm f", "help", "quit",
    };
    struct bh_buf b = {0};
    bh_buf_printf(&b, "{\"execute\": \"qmp_capabilities\"}\n");
    for (size_t k = 0; k < sizeof hmp / sizeof hmp[0]; k++)
        bh_buf_printf(&b, "{\"execute\": \"human-monitor-command\", \"arguments\": "
                          "{\"command-line\": \"%s\"}, \"id\": %zu}\n", hmp[k], k);
    bh_buf_append(&b, "", 1);
    int rc = write_seed(dir, "hmp", (const char *)b.data);
    bh_buf_free(&b);
    rc |= write_seed(dir, "commands",
                     "{\"execute\": \"query-status\"}\n"
                     "{\"execute\": \"qmp_capabilities\"}\n"
                     "{\"execute\": \"query-status\", \"arguments\": {\"vm\": \"vm1\"}, \"id\": 1}\n"
                     "{\"execute\": \"stop\"}\n{\"execute\": \"cont\", \"arguments\": {\"vm\": \"vm1\"}}\n"
                     "{\"execute\": \"query-vms\"}\n{\"execute\": \"query-stats\"}\n"
                     "{\"execute\": \"snapshot-save\", \"arguments\": {\"file\": \"x\"}}\n"
                     "{\"execute\": \"snapshot-load\", \"arguments\": {\"file\": 1}}\n"
                     "{\"execute\": \"quit\", \"id\": [1]}\n{\"execute\": 3}\n[]\n{bad\n");
    return rc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *seed = getenv("BH_FUZZ_WRITE_SEED");
    if (seed) exit(write_seeds(seed));
    return 0;
}
