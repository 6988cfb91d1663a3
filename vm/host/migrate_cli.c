/* migrate_cli.c: myvmm's live-migration options (migrate_cli.h): parsing
 * and checking their values (addresses through net.h) and their lines of
 * --help.  Nothing here prints. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "host/migrate_cli.h"
#include "machine/config.h"
#include "state/net.h"

static int named(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* "--opt VALUE" or "--opt=VALUE" */
static const char *value_of(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

static int positive(const char *v, uint64_t *out)
{
    char *end;
    if (!v || *v < '0' || *v > '9')
        return -1;
    errno = 0;
    *out = strtoull(v, &end, 10);
    return errno || *end ? -1 : 0;
}

int bh_migrate_cli_option(int argc, char **argv, int *i, struct bh_mig_cli *o, char *err,
                          size_t errlen)
{
    const char *a = argv[*i], *v;
    char host[256], port[8];
    uint64_t n;
    if (named(a, "--migrate")) {
        if (!(v = value_of(argc, argv, i, "--migrate")) || !*v)
            return bh_errf(err, errlen, "--migrate needs [NAME=]tcp:HOST:PORT");
        const char *eq = strchr(v, '=');
        o->to_name[0] = '\0';
        if (eq && strncmp(v, "tcp:", 4) != 0) {
            if ((size_t)(eq - v) >= sizeof o->to_name || eq == v)
                return bh_errf(err, errlen, "--migrate: bad VM name in '%s'", v);
            memcpy(o->to_name, v, (size_t)(eq - v));
            o->to_name[eq - v] = '\0';
            v = eq + 1;
        }
        if (bh_net_parse_addr(v, host, sizeof host, port, sizeof port, err, errlen))
            return -1;
        o->to = v;
    } else if (named(a, "--migrate-after")) {
        if (positive(v = value_of(argc, argv, i, "--migrate-after"), &o->after) || !o->after)
            return bh_errf(err, errlen, "--migrate-after needs a positive number of instructions");
    } else if (named(a, "--max-downtime")) {
        char *end;
        v = value_of(argc, argv, i, "--max-downtime");
        double ms = v ? strtod(v, &end) : -1;
        if (!v || end == v || (*end && strcmp(end, "ms") != 0) || !(ms > 0))
            return bh_errf(err, errlen, "--max-downtime needs milliseconds (e.g. 30), not '%s'",
                           v ? v : "");
        o->max_downtime = ms / 1000.0;
    } else if (named(a, "--max-bandwidth")) {
        v = value_of(argc, argv, i, "--max-bandwidth");
        if (!v || bh_parse_size(v, &o->max_bandwidth) || !o->max_bandwidth)
            return bh_errf(err, errlen, "--max-bandwidth needs bytes per second like 10M, not '%s'",
                           v ? v : "");
    } else if (named(a, "--max-rounds")) {
        if (positive(v = value_of(argc, argv, i, "--max-rounds"), &n) || !n || n > 1000)
            return bh_errf(err, errlen, "--max-rounds needs a number from 1 to 1000");
        o->max_rounds = (unsigned)n;
    } else if (named(a, "--incoming")) {
        if (!(v = value_of(argc, argv, i, "--incoming")) ||
            bh_net_parse_addr(v, host, sizeof host, port, sizeof port, err, errlen))
            return v ? -1 : bh_errf(err, errlen, "--incoming needs tcp:HOST:PORT");
        if (o->incoming && strcmp(o->incoming, v) != 0)
            return bh_errf(err, errlen, "--incoming: one address per myvmm ('%s', then '%s')",
                           o->incoming, v);
        o->incoming = v;
        o->incoming_count++;
    } else if (strcmp(a, "--incoming-prefix") == 0) {
        o->prefix = 1;
    } else {
        return 0;
    }
    return 1;
}

const char *bh_migrate_cli_usage(void)
{
    return "live migration (docs/migration-protocol.md):\n"
           "  --incoming tcp:HOST:PORT   receive a running VM there and run it (give it N\n"
           "                         times to receive N VMs, one after another; their\n"
           "                         output lines then start with 'NAME | ')\n"
           "  --incoming-prefix      start the received VM's lines with 'NAME | ' (as a\n"
           "                         source running several VMs does)\n"
           "  --migrate [NAME=]tcp:HOST:PORT  send the VM (or VM NAME) there when triggered:\n"
           "                         by --migrate-after, SIGUSR2, or the guest (syscall\n"
           "                         60); after a failed attempt SIGUSR2 tries again\n"
           "  --migrate-after N      start the migration after N instructions\n"
           "  --max-downtime MS      pause budget for the switch-over (default 30)\n"
           "  --max-bandwidth SIZE   bytes per second the migration may send (e.g. 10M)\n"
           "  --max-rounds N         pre-copy rounds before switching over anyway (default 30)\n";
}
