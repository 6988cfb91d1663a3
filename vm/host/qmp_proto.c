/* qmp_proto.c: QMP's commands and answers (qmp_proto.h), on jansson.
 * Commands that drive VMs run under the monitors' lock (hmp.h), one
 * controller at a time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "host/qmp_proto.h"
#include "host/monitor.h"
#include "machine/machine.h"
#include "mem/mem.h"
#include "vm.h"

#define QMP_MAJOR 0
#define QMP_MINOR 3
#define QMP_MICRO 0

void bh_qmp_init(struct bh_qmp *q, struct bh_ctl *ctl, const struct bh_hmp_ops *ops)
{
    memset(q, 0, sizeof *q);
    q->ctl = ctl;
    bh_hmp_init(&q->hmp, ctl, ops);
}

/* j as one line, then j released. */
static void emit(json_t *j, struct bh_buf *out)
{
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (s) {
        bh_buf_printf(out, "%s\r\n", s);
        free(s);
    } else {
        bh_buf_printf(out, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"out of memory\"}}\r\n");
    }
    json_decref(j);
}

void bh_qmp_greeting(struct bh_buf *out)
{
    emit(json_pack("{s:{s:{s:{s:i,s:i,s:i},s:s},s:[]}}", "QMP", "version", "qemu", "micro",
                   QMP_MICRO, "minor", QMP_MINOR, "major", QMP_MAJOR, "package",
                   "baby_hypervisor " BH_VERSION, "capabilities"),
         out);
}

static json_t *error(const char *cls, const char *desc)
{
    return json_pack("{s:{s:s,s:s}}", "error", "class", cls, "desc", desc);
}

void bh_qmp_error_line(const char *cls, const char *desc, struct bh_buf *out)
{
    emit(error(cls, desc), out);
}

/* ---- the commands ---- */

/* A command's answer: 0 with *ret (a new reference), or -1 with *ret an
 * error object. */
typedef int (*qmp_fn)(struct bh_qmp *q, json_t *args, json_t **ret);

static int generic(json_t **ret, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int generic(json_t **ret, const char *fmt, ...)
{
    char desc[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(desc, sizeof desc, fmt, ap);
    va_end(ap);
    *ret = error("GenericError", desc);
    return -1;
}

/* The VMs a command applies to: "vm" names one; without it, every VM
 * when all is set, else the only one (several: an error). [*from, *to). */
static int which(struct bh_qmp *q, json_t *args, int all, size_t *from, size_t *to, json_t **ret)
{
    const char *name = json_string_value(json_object_get(args, "vm"));
    if (!name && all) {
        *from = 0;
        *to = q->ctl->n;
        return 0;
    }
    long i = bh_ctl_find(q->ctl, name);
    if (i < 0) {
        if (name) return generic(ret, "no VM called '%s' (query-vms lists them)", name);
        return generic(ret, "%zu VMs run: say which with \"vm\" (query-vms lists them)", q->ctl->n);
    }
    *from = (size_t)i;
    *to = *from + 1;
    return 0;
}

/* QEMU's RunState names for a VM's state. */
static const char *run_state(struct bh_ctl *c, size_t i)
{
    switch (bh_ctl_state(c, i)) {
    case BH_CTL_RUNNING: return "running";
    case BH_CTL_REQUEST: return "paused";
    case BH_CTL_START: return "prelaunch";
    case BH_CTL_BREAK:
    case BH_CTL_WATCH:
    case BH_CTL_STEP:
    case BH_CTL_FAULT: return "debug";
    case BH_CTL_ENDED: {
        pthread_mutex_lock(&c->mu);
        int migrated = c->vms[i].migrated;
        pthread_mutex_unlock(&c->mu);
        if (migrated) return "postmigrate";
        return bh_vm_ctl(c->vms[i].vm)->state == BH_VM_FAULTED ? "guest-panicked" : "shutdown";
    }
    }
    return "?";
}

static int cmd_query_status(struct bh_qmp *q, json_t *args, json_t **ret)
{
    size_t i, to;
    if (which(q, args, 0, &i, &to, ret) != 0) return -1;
    *ret = json_pack("{s:s,s:b}", "status", run_state(q->ctl, i), "running",
                     bh_ctl_state(q->ctl, i) == BH_CTL_RUNNING);
    return 0;
}

static int cmd_stop(struct bh_qmp *q, json_t *args, json_t **ret)
{
    size_t i, to;
    if (which(q, args, 1, &i, &to, ret) != 0) return -1;
    bh_hmp_lock();
    for (; i < to; i++) bh_ctl_pause(q->ctl, i, 1); /* an ended VM stays ended */
    bh_hmp_unlock();
    *ret = json_object();
    return 0;
}

static int cmd_cont(struct bh_qmp *q, json_t *args, json_t **ret)
{
    size_t i, to;
    char err[256];
    if (which(q, args, 1, &i, &to, ret) != 0) return -1;
    int rc = 0;
    bh_hmp_lock();
    for (; i < to; i++) {
        enum bh_ctl_reason r = bh_ctl_state(q->ctl, i);
        if (r == BH_CTL_RUNNING || r == BH_CTL_ENDED) continue; /* as QEMU: nothing to do */
        if (bh_ctl_resume(q->ctl, i, err, sizeof err) != 0) rc = generic(ret, "%s", err);
    }
    bh_hmp_unlock();
    if (rc == 0) *ret = json_object();
    return rc;
}

static int cmd_quit(struct bh_qmp *q, json_t *args, json_t **ret)
{
    (void)args;
    bh_hmp_lock();
    bh_ctl_quit(q->ctl);
    bh_hmp_unlock();
    q->quit = 1;
    *ret = json_object();
    return 0;
}

static int cmd_query_vms(struct bh_qmp *q, json_t *args, json_t **ret)
{
    (void)args;
    json_t *list = json_array();
    bh_hmp_lock(); /* no other front end resumes a VM while its counters are read */
    for (size_t i = 0; i < q->ctl->n; i++) {
        enum bh_ctl_reason r = bh_ctl_state(q->ctl, i);
        pthread_mutex_lock(&q->ctl->mu);
        json_int_t pauses = (json_int_t)q->ctl->vms[i].pauses;
        pthread_mutex_unlock(&q->ctl->mu);
        json_t *v = json_pack("{s:s,s:s,s:b,s:I}", "name", q->ctl->vms[i].name, "status",
                              run_state(q->ctl, i), "running", r == BH_CTL_RUNNING, "pauses",
                              pauses);
        /* A running VM's counters belong to its thread: given when it is not */
        if (v && r != BH_CTL_RUNNING) {
            struct bh_vm *vm = q->ctl->vms[i].vm;
            json_object_set_new(v, "instructions", json_integer((json_int_t)bh_vm_icount(vm)));
            json_object_set_new(v, "pc", json_integer(bh_vm_pc(vm)));
        }
        json_array_append_new(list, v);
    }
    bh_hmp_unlock();
    *ret = list;
    return 0;
}

static int cmd_query_stats(struct bh_qmp *q, json_t *args, json_t **ret)
{
    size_t i, to;
    if (which(q, args, 1, &i, &to, ret) != 0) return -1;
    json_t *list = json_array();
    bh_hmp_lock();
    for (; i < to; i++) {
        enum bh_ctl_reason r = bh_ctl_state(q->ctl, i);
        json_t *v = json_pack("{s:s,s:s}", "name", q->ctl->vms[i].name, "status",
                              run_state(q->ctl, i));
        if (v && r != BH_CTL_RUNNING) {
            struct bh_vm *vm = q->ctl->vms[i].vm;
            const struct bh_stats *st = bh_vm_stats(vm);
            json_object_set_new(v, "instructions", json_integer((json_int_t)bh_vm_icount(vm)));
            json_object_set_new(v, "syscalls", json_integer((json_int_t)st->nsyscalls));
            json_t *ex = json_object();
            static const char *const kinds[] = {"budget", "syscall", "hypercall", "fault", "halt"};
            for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0] && k < BH_STAT_EXITS; k++)
                json_object_set_new(ex, kinds[k], json_integer((json_int_t)st->nexits[k]));
            json_object_set_new(v, "exits", ex);
            json_object_set_new(v, "memory-pages",
                                json_integer((json_int_t)bh_mem_pages_in_use(bh_vm_mem(vm))));
        }
        json_array_append_new(list, v);
    }
    bh_hmp_unlock();
    *ret = list;
    return 0;
}

/* snapshot-save, snapshot-load: the VM paused meanwhile (and given back
 * to the scheduler after when it was running). */
static int snapshot_op(struct bh_qmp *q, json_t *args, int load, json_t **ret)
{
    size_t i, to;
    char err[768];
    if (which(q, args, 0, &i, &to, ret) != 0) return -1;
    const char *file = json_string_value(json_object_get(args, "file"));
    int (*op)(void *, size_t, const char *, char *, size_t) =
        load ? q->hmp.ops.loadvm : q->hmp.ops.savevm;
    if (!op) return generic(ret, "snapshots are not available here");
    bh_hmp_lock();
    int rc = 0, was_running = bh_ctl_state(q->ctl, i) == BH_CTL_RUNNING;
    if (bh_ctl_pause(q->ctl, i, 1) != 0) rc = generic(ret, "%s has ended", q->ctl->vms[i].name);
    else if (op(q->hmp.ops.ctx, i, file, err, sizeof err) != 0) rc = generic(ret, "%s", err);
    if (was_running && bh_ctl_state(q->ctl, i) != BH_CTL_ENDED)
        bh_ctl_resume(q->ctl, i, err, sizeof err);
    bh_hmp_unlock();
    if (rc == 0) *ret = json_object();
    return rc;
}

static int cmd_snapshot_save(struct bh_qmp *q, json_t *args, json_t **ret)
{
    return snapshot_op(q, args, 0, ret);
}

static int cmd_snapshot_load(struct bh_qmp *q, json_t *args, json_t **ret)
{
    return snapshot_op(q, args, 1, ret);
}

/* migrate, migrate-cancel, query-migrate: hmp.c's implementation, as
 * QEMU answers (migrate returns at once; the MIGRATION events follow). */
static int cmd_migrate(struct bh_qmp *q, json_t *args, json_t **ret)
{
    size_t i, to;
    char err[512];
    if (which(q, args, 0, &i, &to, ret) != 0) return -1;
    bh_hmp_lock();
    int rc = bh_hmp_migrate(&q->hmp, i, json_string_value(json_object_get(args, "uri")), err,
                            sizeof err);
    bh_hmp_unlock();
    if (rc != 0) return generic(ret, "%s", err);
    *ret = json_object();
    return 0;
}

static int cmd_migrate_cancel(struct bh_qmp *q, json_t *args, json_t **ret)
{
    size_t i, to;
    char err[512];
    if (which(q, args, 0, &i, &to, ret) != 0) return -1;
    bh_hmp_lock();
    int rc = bh_hmp_migrate_cancel(&q->hmp, i, err, sizeof err);
    bh_hmp_unlock();
    if (rc < 0) return generic(ret, "%s", err);
    *ret = json_object(); /* none under way: {} too, as QEMU */
    return 0;
}

static int cmd_query_migrate(struct bh_qmp *q, json_t *args, json_t **ret)
{
    size_t i, to;
    struct bh_mig_info m;
    if (which(q, args, 0, &i, &to, ret) != 0) return -1;
    bh_hmp_lock();
    bh_hmp_query_migrate(&q->hmp, i, &m);
    bh_hmp_unlock();
    json_t *r = json_pack("{s:s}", "status", bh_migrate_status_name(m.status));
    if (r && m.status != BH_MIG_NONE) {
        json_object_set_new(r, "total-time", json_integer((json_int_t)(m.total_time * 1000.0)));
        if (m.status == BH_MIG_COMPLETED)
            json_object_set_new(r, "downtime", json_integer((json_int_t)(m.downtime * 1000.0)));
        if (m.status == BH_MIG_FAILED)
            json_object_set_new(r, "error-desc", json_string(m.error));
        if (m.rounds) { /* once it went active: the pages it sent */
            double mbps = m.total_time > 0 ? (double)m.transferred * 8.0 / m.total_time / 1e6 : 0;
            json_object_set_new(
                r, "ram",
                json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "transferred",
                          (json_int_t)m.transferred, "remaining", (json_int_t)m.remaining,
                          "total", (json_int_t)m.total, "normal", (json_int_t)m.pages,
                          "normal-bytes", (json_int_t)(m.pages * BH_PAGE_SIZE),
                          "dirty-sync-count", (json_int_t)m.rounds, "mbps", mbps));
        }
    }
    *ret = r;
    return 0;
}

static int cmd_hmp(struct bh_qmp *q, json_t *args, json_t **ret)
{
    const char *name = json_string_value(json_object_get(args, "vm"));
    if (name) {
        long i = bh_ctl_find(q->ctl, name);
        if (i < 0) return generic(ret, "no VM called '%s' (query-vms lists them)", name);
        q->hmp.cur = (size_t)i;
    }
    struct bh_buf out = {0};
    bh_hmp_exec(&q->hmp, json_string_value(json_object_get(args, "command-line")), &out);
    /* As QEMU: the monitor's text is the answer, errors included. */
    *ret = json_stringn(out.data ? (const char *)out.data : "", out.len);
    bh_buf_free(&out);
    if (q->hmp.quit) q->quit = 1;
    return 0;
}

/* A command's arguments: name, jansson type, required. */
struct arg {
    const char *name;
    json_type type;
    int required;
};

#define VM_ARG {"vm", JSON_STRING, 0}
static const struct command {
    const char *name;
    qmp_fn fn;
    struct arg args[3];
} commands[] = {
    {"query-status", cmd_query_status, {VM_ARG}},
    {"stop", cmd_stop, {VM_ARG}},
    {"cont", cmd_cont, {VM_ARG}},
    {"quit", cmd_quit, {{0}}},
    {"query-vms", cmd_query_vms, {{0}}},
    {"query-stats", cmd_query_stats, {VM_ARG}},
    {"snapshot-save", cmd_snapshot_save, {{"file", JSON_STRING, 1}, VM_ARG}},
    {"snapshot-load", cmd_snapshot_load, {{"file", JSON_STRING, 1}, VM_ARG}},
    {"human-monitor-command", cmd_hmp, {{"command-line", JSON_STRING, 1}, VM_ARG}},
    {"migrate", cmd_migrate, {{"uri", JSON_STRING, 1}, VM_ARG}},
    {"migrate-cancel", cmd_migrate_cancel, {VM_ARG}},
    {"query-migrate", cmd_query_migrate, {VM_ARG}},
    {NULL, NULL, {{0}}},
};

static const char *type_name(json_type t)
{
    switch (t) {
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "int";
    case JSON_TRUE:
    case JSON_FALSE: return "bool";
    default: return "value";
    }
}

/* Unknown, missing or mistyped arguments: QEMU's words. */
static int check_args(const struct command *c, json_t *args, json_t **ret)
{
    const char *key;
    json_t *val;
    json_object_foreach(args, key, val) {
        const struct arg *a = c->args;
        while (a->name && strcmp(a->name, key)) a++;
        if (!a->name) return generic(ret, "Parameter '%s' is unexpected", key);
        if (json_typeof(val) != a->type)
            return generic(ret, "Invalid parameter type for '%s', expected: %s", key,
                           type_name(a->type));
    }
    for (const struct arg *a = c->args; a->name; a++)
        if (a->required && !json_object_get(args, a->name))
            return generic(ret, "Parameter '%s' is missing", a->name);
    return 0;
}

void bh_qmp_handle(struct bh_qmp *q, struct bh_qmp_session *s, const char *line, size_t len,
                   struct bh_buf *out)
{
    json_error_t jerr;
    json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr), *ret = NULL, *answer;
    if (!req) {
        char desc[256];
        snprintf(desc, sizeof desc, "JSON parse error, %s", jerr.text);
        emit(error("GenericError", desc), out);
        return;
    }
    json_t *id = json_object_get(req, "id");
    int rc = -1;
    if (!json_is_object(req)) {
        id = NULL;
        ret = error("GenericError", "QMP input must be a JSON object");
    } else {
        json_t *exec = json_object_get(req, "execute"), *args = json_object_get(req, "arguments");
        const char *key;
        json_t *val;
        json_object_foreach(req, key, val) {
            if (strcmp(key, "execute") && strcmp(key, "arguments") && strcmp(key, "id")) {
                char desc[256];
                snprintf(desc, sizeof desc, "QMP input member '%.100s' is unexpected", key);
                ret = error("GenericError", desc);
                break;
            }
        }
        if (ret) {
        } else if (!exec) {
            ret = error("GenericError", "QMP input lacks member 'execute'");
        } else if (!json_is_string(exec)) {
            ret = error("GenericError", "QMP input member 'execute' must be a string");
        } else if (args && !json_is_object(args)) {
            ret = error("GenericError", "QMP input member 'arguments' must be an object");
        } else {
            const char *name = json_string_value(exec);
            const struct command *c = commands;
            while (c->name && strcmp(c->name, name)) c++;
            if (!strcmp(name, "qmp_capabilities")) {
                if (s->negotiated) {
                    ret = error("CommandNotFound",
                                "Capabilities negotiation is already complete, command ignored");
                } else if (args && json_object_size(args)) {
                    ret = error("GenericError", "Parameter 'enable' is unexpected");
                } else {
                    s->negotiated = 1;
                    ret = json_object();
                    rc = 0;
                }
            } else if (!s->negotiated) {
                ret = error("CommandNotFound",
                            "Expecting capabilities negotiation with 'qmp_capabilities'");
            } else if (!c->name) {
                char desc[256];
                snprintf(desc, sizeof desc, "The command %.100s has not been found", name);
                ret = error("CommandNotFound", desc);
            } else {
                json_t *empty = args ? NULL : json_object();
                rc = check_args(c, args ? args : empty, &ret);
                if (rc == 0) rc = c->fn(q, args ? args : empty, &ret);
                json_decref(empty);
            }
        }
    }
    if (rc == 0) {
        answer = json_pack("{s:o}", "return", ret ? ret : json_object());
    } else {
        answer = ret;
    }
    if (answer && id) json_object_set(answer, "id", id);
    emit(answer, out);
    json_decref(req);
}

void bh_qmp_event(struct bh_ctl *ctl, const struct bh_ctl_event *e, long long seconds,
                  long usec, struct bh_buf *out)
{
    const char *name = ctl->vms[e->vm].name;
    json_t *data;
    const char *ev;
    static const char *const reasons[] = {"running", "request", "start", "breakpoint",
                                          "watchpoint", "step", "fault", "ended"};
    switch (e->kind) {
    case BH_CTL_EV_PAUSED:
        ev = "STOP";
        data = json_pack("{s:s,s:s,s:I}", "vm", name, "reason", reasons[e->reason], "pc",
                         (json_int_t)e->pc);
        break;
    case BH_CTL_EV_RESUMED:
        ev = "RESUME";
        data = json_pack("{s:s}", "vm", name);
        break;
    case BH_CTL_EV_ENDED: {
        int faulted = bh_vm_ctl(ctl->vms[e->vm].vm)->state == BH_VM_FAULTED;
        if (faulted) /* the fault first, then the end, as a guest panic in QEMU */
            emit(json_pack("{s:s,s:{s:s,s:s,s:I},s:{s:I,s:I}}", "event", "FAULT", "data", "vm",
                           name, "message", e->msg ? e->msg : "", "pc", (json_int_t)e->pc,
                           "timestamp", "seconds", (json_int_t)seconds, "microseconds",
                           (json_int_t)usec),
                 out);
        pthread_mutex_lock(&ctl->mu);
        int quit = ctl->vms[e->vm].want_quit, migrated = ctl->vms[e->vm].migrated;
        pthread_mutex_unlock(&ctl->mu);
        ev = "SHUTDOWN";
        data = json_pack("{s:s,s:b,s:s,s:i}", "vm", name, "guest", !quit && !migrated, "reason",
                         migrated ? "migrated"
                         : quit   ? "host-qmp-quit"
                         : faulted ? "guest-panic"
                                   : "guest-shutdown",
                         "status", e->status);
        break;
    }
    case BH_CTL_EV_MIGRATION:
        ev = "MIGRATION";
        data = json_pack("{s:s,s:s}", "vm", name, "status", e->msg);
        break;
    default: return;
    }
    emit(json_pack("{s:s,s:o,s:{s:I,s:I}}", "event", ev, "data", data, "timestamp", "seconds",
                   (json_int_t)seconds, "microseconds", (json_int_t)usec),
         out);
}
