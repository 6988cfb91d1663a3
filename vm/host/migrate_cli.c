/* migrate_cli.c: myvmm's live-migration options (migrate_cli.h): their
 * rows of the option table with their lines of --help, and the checks of
 * their values (addresses through net.h).  Nothing here prints. */
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "host/migrate_cli.h"
#include "machine/config.h"
#include "state/net.h"

enum {
    MIG_INCOMING,
    MIG_PREFIX,
    MIG_TO,
    MIG_AFTER,
    MIG_DOWNTIME,
    MIG_BANDWIDTH,
    MIG_ROUNDS,
    MIG_PSK,
    MIG_INSECURE,
    MIG_GEN_PSK,
    MIG_LOG
};

static const struct bh_option rows[] = {
    {NULL, 0, BH_OPT_NONE, -1, "live migration (docs/migration-protocol.md):\n"},
    {"incoming", 0, BH_OPT_VALUE, MIG_INCOMING,
     "  --incoming tcp:HOST:PORT   receive a running VM there and run it; given N\n"
     "                         times, receive N VMs, each as it arrives (the one\n"
     "                         running pauses meanwhile), and run them one after\n"
     "                         another in that order; their lines then start\n"
     "                         with 'NAME | '\n"},
    {"incoming-prefix", 0, BH_OPT_NONE, MIG_PREFIX,
     "  --incoming-prefix      start the received VM's lines with 'NAME | ' (as a\n"
     "                         source running several VMs does)\n"},
    {"migrate", 0, BH_OPT_VALUE, MIG_TO,
     "  --migrate [NAME=]tcp:HOST:PORT  send the VM (or VM NAME) there when triggered:\n"
     "                         by --migrate-after, SIGUSR2, or the guest (syscall\n"
     "                         60); after a failed attempt SIGUSR2 tries again\n"},
    {"migrate-after", 0, BH_OPT_VALUE, MIG_AFTER,
     "  --migrate-after N      start the migration after N instructions\n"},
    {"max-downtime", 0, BH_OPT_VALUE, MIG_DOWNTIME,
     "  --max-downtime MS      pause budget for the switch-over (default 30)\n"},
    {"max-bandwidth", 0, BH_OPT_VALUE, MIG_BANDWIDTH,
     "  --max-bandwidth SIZE   bytes per second the migration may send (e.g. 10M)\n"},
    {"migrate-log", 0, BH_OPT_VALUE, MIG_LOG,
     "  --migrate-log FILE     write each round of --migrate there as CSV: attempt,\n"
     "                         round, pages sent, seconds, dirty pages per second,\n"
     "                         dirty pages left, downtime in ms (the final round)\n"},
    {"max-rounds", 0, BH_OPT_VALUE, MIG_ROUNDS,
     "  --max-rounds N         pre-copy rounds before switching over anyway (default 30)\n"},
    {"migrate-psk", 0, BH_OPT_VALUE, MIG_PSK,
     "  --migrate-psk FILE     the key both sides must hold (random bytes, mode 0600):\n"
     "                         each proves it has it, every message is authenticated\n"
     "                         and a recorded stream cannot be replayed; without it\n"
     "                         migration stays on loopback\n"},
    {"insecure", 0, BH_OPT_NONE, MIG_INSECURE,
     "  --insecure             migrate without a key, or link a LAN (--net-link), off\n"
     "                         loopback too (anyone who reaches the port can send a VM\n"
     "                         or read this one, or join the LAN)\n"},
    {"gen-psk", 0, BH_OPT_VALUE, MIG_GEN_PSK,
     "  --gen-psk FILE         write a new key for --migrate-psk (32 random bytes,\n"
     "                         mode 0600; never over an existing file), then exit\n"},
};

static int apply(void *ctx, int id, const char *v, char *err, size_t errlen)
{
    struct bh_mig_cli *o = ctx;
    char host[256], port[8];
    uint64_t n;
    if (id == MIG_TO) {
        if (!v || !*v)
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
    } else if (id == MIG_AFTER) {
        if (bh_options_number(v, 10, &o->after) || !o->after)
            return bh_errf(err, errlen, "--migrate-after needs a positive number of instructions");
    } else if (id == MIG_DOWNTIME) {
        char *end;
        double ms = v ? strtod(v, &end) : -1;
        if (!v || end == v || (*end && strcmp(end, "ms") != 0) || !(ms > 0))
            return bh_errf(err, errlen, "--max-downtime needs milliseconds (e.g. 30), not '%s'",
                           v ? v : "");
        o->max_downtime = ms / 1000.0;
    } else if (id == MIG_BANDWIDTH) {
        if (!v || bh_parse_size(v, &o->max_bandwidth) || !o->max_bandwidth)
            return bh_errf(err, errlen, "--max-bandwidth needs bytes per second like 10M, not '%s'",
                           v ? v : "");
    } else if (id == MIG_ROUNDS) {
        if (bh_options_number(v, 10, &n) || !n || n > 1000)
            return bh_errf(err, errlen, "--max-rounds needs a number from 1 to 1000");
        o->max_rounds = (unsigned)n;
    } else if (id == MIG_INCOMING) {
        if (!v || bh_net_parse_addr(v, host, sizeof host, port, sizeof port, err, errlen))
            return v ? -1 : bh_errf(err, errlen, "--incoming needs tcp:HOST:PORT");
        if (o->incoming && strcmp(o->incoming, v) != 0)
            return bh_errf(err, errlen, "--incoming: one address per myvmm ('%s', then '%s')",
                           o->incoming, v);
        o->incoming = v;
        o->incoming_count++;
    } else if (id == MIG_PREFIX) {
        o->prefix = 1;
    } else if (id == MIG_PSK || id == MIG_GEN_PSK) {
        if (!v || !*v)
            return bh_errf(err, errlen, "--%s needs a FILE",
                           id == MIG_PSK ? "migrate-psk" : "gen-psk");
        *(id == MIG_PSK ? &o->psk_file : &o->gen_psk) = v;
    } else if (id == MIG_LOG) {
        if (!v || !*v)
            return bh_errf(err, errlen, "--migrate-log needs a FILE");
        o->log = v;
    } else if (id == MIG_INSECURE) {
        o->insecure = 1;
    }
    return 0;
}

struct bh_option_set bh_migrate_cli_options(struct bh_mig_cli *o)
{
    return (struct bh_option_set){rows, sizeof rows / sizeof rows[0], apply, o};
}
