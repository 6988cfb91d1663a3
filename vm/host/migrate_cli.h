/* migrate_cli.h: myvmm's live-migration options (--migrate, --incoming,
 * --max-*): the command line is the host's; the state machines they drive
 * are in vm/state (migrate.h). */
#ifndef BH_MIGRATE_CLI_H
#define BH_MIGRATE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "host/options.h"

/* The migration options of myvmm's command line. */
struct bh_mig_cli {
    const char *to;         /* --migrate [NAME=]tcp:HOST:PORT: the address */
    char to_name[64];       /* NAME, or "" for the only VM */
    uint64_t after;         /* --migrate-after N */
    double max_downtime;    /* --max-downtime MS, in seconds (0: default) */
    uint64_t max_bandwidth; /* --max-bandwidth SIZE (bytes per second) */
    unsigned max_rounds;    /* --max-rounds N */
    const char *incoming;   /* --incoming tcp:HOST:PORT */
    int incoming_count;     /* how many times --incoming was given: VMs to receive */
    int prefix;             /* --incoming-prefix: "NAME | " before each output line */
    const char *psk_file;   /* --migrate-psk FILE: the key both sides share */
    int insecure;           /* --insecure: no key even off loopback */
    const char *gen_psk;    /* --gen-psk FILE: write a new key there and exit */
    const char *log;        /* --migrate-log FILE: the per-round table (CSV) */
};
/* The migration rows of the option table (options.h), filling o. */
struct bh_option_set bh_migrate_cli_options(struct bh_mig_cli *o);

#endif
