/* lan.h: the virtual LANs of this myvmm: one learning switch (switch.h)
 * per name that a VM's vm_net (or --net) gives, the VMs' network cards
 * plugged into their ports, --pcap NAME=FILE captures (pcap.h), and
 * --net-link NAME=SPEC links to another myvmm's switch (netlink.h).
 * docs/network.md. */
#ifndef BH_LAN_H
#define BH_LAN_H

#include <stddef.h>
#include <stdio.h>

#include "host/switch.h"

struct bh_vm;
struct bh_netlink;

struct bh_lan {
    struct bh_switch *sw;   /* NULL until a VM plugs in */
    char *name;
    char *pcap_path;        /* --pcap NAME=FILE, or NULL */
    FILE *pcap;             /* open while the switch lives */
    int pcap_failed;        /* a write failed: reported at the end */
    char *link_spec;        /* --net-link NAME=SPEC, or NULL */
    struct bh_netlink *link; /* running from bh_lans_start to bh_lans_stop */
    struct bh_lan *next;
};
struct bh_lans {
    struct bh_lan *list;
};

/* --pcap NAME=FILE: 0, or -1 with a message. */
int bh_lans_pcap_option(struct bh_lans *l, const char *v, char *err, size_t errlen);
/* --net-link NAME=SPEC: 0, or -1 with a message. */
int bh_lans_link_option(struct bh_lans *l, const char *v, char *err, size_t errlen);
/* Plug vm's network card into the switch called name (created on first
 * use, with its capture when --pcap names it); the card keeps the name
 * (its snapshots carry it).  0, or -1 with a message. */
int bh_lans_plug(struct bh_lans *l, struct bh_vm *vm, const char *name, char *err,
                 size_t errlen);
/* vm is away (away != 0: paused for its migration's switch-over, or
 * gone to the destination): its port is detached, frames for it are
 * dropped and counted there, broadcasts pass it by; or back (the
 * migration failed): attached again. */
void bh_lans_away(struct bh_vm *vm, int away);
/* vm arrived by migration: its card (if plugged) broadcasts one RARP
 * frame from its MAC, as QEMU announces a migrated VM, so that the
 * switches of the LAN (and of the source, over a --net-link) learn where
 * the MAC is now. */
void bh_lans_announce(struct bh_vm *vm);
/* The switches of every LAN an option names, made now (--incoming: the
 * links run before a VM arrives): 0, or -1 with a message. */
int bh_lans_open(struct bh_lans *l, char *err, size_t errlen);
/* After every VM plugged in: a --pcap or --net-link for a LAN no VM is on
 * is an error. */
int bh_lans_check(const struct bh_lans *l, char *err, size_t errlen);
/* Start the links (--net-link; off loopback only when insecure): 0, or -1
 * with a message. */
int bh_lans_start(struct bh_lans *l, int insecure, char *err, size_t errlen);
/* The VMs have ended: send what is queued for the links' peers and close
 * the links (before --stats, so their counts are final). */
void bh_lans_stop(struct bh_lans *l);
/* --stats: each switch's ports and MAC table. */
void bh_lans_report(struct bh_lans *l, FILE *f);
/* Stop the links, close the captures and free the switches (the VMs are gone): 0, or -1
 * with a message when a capture could not be written. */
int bh_lans_free(struct bh_lans *l, char *err, size_t errlen);

#endif
