/* lan.c: the LANs of this myvmm (lan.h). */
#include "host/lan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "dev/nic.h"
#include "host/netlink.h"
#include "host/pcap.h"
#include "machine/machine.h"

static struct bh_lan *find(const struct bh_lans *l, const char *name)
{
    for (struct bh_lan *n = l->list; n; n = n->next)
        if (!strcmp(n->name, name))
            return n;
    return NULL;
}

static struct bh_lan *add(struct bh_lans *l, const char *name, size_t len)
{
    struct bh_lan *n = calloc(1, sizeof *n);
    if (!n || !(n->name = strndup(name, len))) {
        free(n);
        return NULL;
    }
    struct bh_lan **at = &l->list;
    while (*at)
        at = &(*at)->next;
    *at = n; /* in the order they were named: --stats lists them so */
    return n;
}

/* LAN=VALUE of option opt (form: what VALUE is; example: one): the LAN
 * (added when new) and VALUE in *value, or NULL with a message. */
static struct bh_lan *lan_value(struct bh_lans *l, const char *v, const char *opt,
                                const char *form, const char *example, const char **value,
                                char *err, size_t errlen)
{
    const char *eq = v ? strchr(v, '=') : NULL;
    if (!eq || eq == v || !eq[1]) {
        bh_errf(err, errlen, "%s needs LAN=%s (e.g. lan0=%s), not '%s'", opt, form, example,
                v ? v : "");
        return NULL;
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
    if ((size_t)(eq - v) >= sizeof name || !bh_nic_lan_ok(name)) {
        bh_errf(err, errlen, "%s %.*s=...: a LAN's name is 1-%u letters, digits, '_', '.' or '-'",
                opt, (int)(eq - v), v, BH_NIC_LAN_MAX);
        return NULL;
    }
    struct bh_lan *n = find(l, name);
    if (!n && !(n = add(l, v, (size_t)(eq - v)))) {
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    *value = eq + 1;
    return n;
}

int bh_lans_pcap_option(struct bh_lans *l, const char *v, char *err, size_t errlen)
{
    const char *file;
    struct bh_lan *n = lan_value(l, v, "--pcap", "FILE", "lan0.pcap", &file, err, errlen);
    if (!n)
        return -1;
    if (n->pcap_path)
        return bh_errf(err, errlen, "--pcap %s is given twice", n->name);
    if (!(n->pcap_path = strdup(file)))
        return bh_errf(err, errlen, "out of memory");
    return 0;
}

int bh_lans_link_option(struct bh_lans *l, const char *v, char *err, size_t errlen)
{
    const char *spec;
    char e[400];
    struct bh_lan *n = lan_value(l, v, "--net-link", "[listen:]tcp:HOST:PORT",
                                  "tcp:127.0.0.1:5555", &spec, err, errlen);
    if (!n)
        return -1;
    if (n->link_spec)
        return bh_errf(err, errlen, "--net-link %s is given twice (a LAN has one link)", n->name);
    if (bh_netlink_check(spec, e, sizeof e) != 0)
        return bh_errf(err, errlen, "--net-link %s=%s: %s", n->name, spec, e);
    if (!(n->link_spec = strdup(spec)))
        return bh_errf(err, errlen, "out of memory");
    return 0;
}

static void tap(void *ctx, const void *frame, uint32_t len, uint64_t ns)
{
    struct bh_lan *n = ctx;
    if (!n->pcap_failed && bh_pcap_write(n->pcap, frame, len, ns) != 0)
        n->pcap_failed = errno ? errno : EIO;
}

static void link_send(void *opaque, const void *frame, uint32_t len, uint64_t ns)
{
    bh_switch_send(opaque, frame, len, ns);
}
static uint32_t link_recv(void *opaque, void *buf, uint32_t cap)
{
    return bh_switch_recv(opaque, buf, cap);
}

/* LAN n's switch, made (with its capture) when it has none: 0, or -1. */
static int open_switch(struct bh_lan *n, char *err, size_t errlen)
{
    if (n->sw)
        return 0;
    if (!(n->sw = bh_switch_new(n->name, BH_SWITCH_QUEUE)))
        return bh_errf(err, errlen, "out of memory");
    if (n->pcap_path) {
        if (!(n->pcap = bh_pcap_open(n->pcap_path, err, errlen)))
            return -1;
        bh_switch_set_tap(n->sw, tap, n);
    }
    return 0;
}

int bh_lans_plug(struct bh_lans *l, struct bh_vm *vm, const char *name, char *err,
                 size_t errlen)
{
    struct bh_lan *n = find(l, name);
    if (!n && !(n = add(l, name, strlen(name))))
        return bh_errf(err, errlen, "out of memory");
    if (open_switch(n, err, errlen))
        return -1;
    struct bh_switch_port *p = bh_switch_attach(n->sw, bh_vm_name(vm));
    if (!p)
        return bh_errf(err, errlen, "out of memory");
    struct bh_nic *nic = bh_vm_nic(vm);
    if (nic->lan != name) /* the card's LAN travels in its snapshots */
        snprintf(nic->lan, sizeof nic->lan, "%s", name);
    bh_vm_nic_plug(vm, &(struct bh_net_link){link_send, link_recv, p});
    return 0;
}

void bh_lans_away(struct bh_vm *vm, int away)
{
    struct bh_nic *nic = bh_vm_nic(vm);
    if (!nic || !nic->link.send)
        return;
    if (away)
        bh_switch_detach(nic->link.opaque);
    else
        bh_switch_reattach(nic->link.opaque);
}

void bh_lans_announce(struct bh_vm *vm)
{
    struct bh_nic *nic = bh_vm_nic(vm);
    if (!nic || !nic->link.send)
        return;
    /* QEMU's announce after a migration (net/announce.c): a RARP request
     * (EtherType 0x8035) from the card's MAC to the broadcast address,
     * asking for its own address, padded to 60 bytes. */
    static const uint8_t rarp[] = {0x80, 0x35, 0, 1, 8, 0, 6, 4, 0, 3};
    uint8_t f[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    memcpy(f + 6, nic->mac, 6);
    memcpy(f + 12, rarp, sizeof rarp);
    memcpy(f + 22, nic->mac, 6); /* sender's hardware address; its IP 0 */
    memcpy(f + 32, nic->mac, 6); /* target's hardware address; its IP 0 */
    nic->link.send(nic->link.opaque, f, sizeof f,
                   nic->clock.now_ns ? nic->clock.now_ns(nic->clock.opaque) : 0);
}

int bh_lans_open(struct bh_lans *l, char *err, size_t errlen)
{
    for (struct bh_lan *n = l->list; n; n = n->next)
        if (open_switch(n, err, errlen))
            return -1;
    return 0;
}

int bh_lans_check(const struct bh_lans *l, char *err, size_t errlen)
{
    for (const struct bh_lan *n = l->list; n; n = n->next)
        if (!n->sw)
            return bh_errf(err, errlen, "%s %s=%s: no VM is on %s" BH_HELP
                                        "plug VMs in with vm_net=%s in their configs",
                           n->pcap_path ? "--pcap" : "--net-link", n->name,
                           n->pcap_path ? n->pcap_path : n->link_spec, n->name, n->name);
    return 0;
}

int bh_lans_start(struct bh_lans *l, int insecure, char *err, size_t errlen)
{
    for (struct bh_lan *n = l->list; n; n = n->next)
        if (n->link_spec && !n->link &&
            !(n->link = bh_netlink_start(n->sw, n->link_spec, insecure, err, errlen)))
            return -1;
    return 0;
}

void bh_lans_stop(struct bh_lans *l)
{
    for (struct bh_lan *n = l->list; n; n = n->next) {
        bh_netlink_stop(n->link);
        n->link = NULL;
    }
}

void bh_lans_report(struct bh_lans *l, FILE *f)
{
    for (struct bh_lan *n = l->list; n; n = n->next)
        if (n->sw)
            bh_switch_report(n->sw, f);
}

int bh_lans_free(struct bh_lans *l, char *err, size_t errlen)
{
    int rc = 0;
    bh_lans_stop(l);
    while (l->list) {
        struct bh_lan *n = l->list;
        l->list = n->next;
        if (n->pcap && (fclose(n->pcap) != 0 || n->pcap_failed) && !rc)
            rc = bh_errf(err, errlen, "--pcap %s: writing failed: %s", n->pcap_path,
                         strerror(n->pcap_failed ? n->pcap_failed : errno));
        bh_switch_free(n->sw);
        free(n->name);
        free(n->pcap_path);
        free(n->link_spec);
        free(n);
    }
    return rc;
}
