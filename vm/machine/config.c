/* config.c: the VM config file reader (key=value lines, docs/config.md).
 *
 * The original tool read `vm_exec_slice_in_instructions`, `vm_binary` and
 * `vm_snapshot`; the other keys are ours.  A typo must never be silently
 * ignored (a VM that runs with the wrong memory limit is worse than an
 * error), so unknown keys are errors with a "did you mean" hint. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bh_util.h"
#include "dev/nic.h"
#include "vm.h" /* BH_DIALECT_* */

enum key_type {
    K_PATH_IN, K_PATH_OUT, K_COUNT, K_SIZE, K_NAME, K_WEIGHT, K_DIALECT, K_MACHINE,
    K_DISPLAY_BASE, K_DISPLAY_PAIR, K_MAC
};

struct key_def {
    const char *name;
    enum key_type type;
    unsigned bit;
    size_t off; /* offset of the field in struct bh_config */
};

#define F(field) offsetof(struct bh_config, field)
static const struct key_def keys[] = {
    {"vm_binary", K_PATH_IN, BH_CFG_BINARY, F(binary)},
    {"vm_snapshot", K_PATH_OUT, BH_CFG_SNAPSHOT, F(snapshot)},
    {"vm_exec_slice_in_instructions", K_COUNT, BH_CFG_SLICE, F(slice)},
    {"vm_name", K_NAME, BH_CFG_NAME, F(name)},
    {"vm_memory", K_SIZE, BH_CFG_MEMORY, F(memory)},
    {"vm_stdin", K_PATH_IN, BH_CFG_STDIN, F(stdin_path)},
    {"vm_stdout", K_PATH_OUT, BH_CFG_STDOUT, F(stdout_path)},
    {"vm_max_instructions", K_COUNT, BH_CFG_MAXINSN, F(max_instructions)},
    {"vm_weight", K_WEIGHT, BH_CFG_WEIGHT, F(weight)},
    {"vm_dialect", K_DIALECT, BH_CFG_DIALECT, F(dialect)},
    {"vm_machine", K_MACHINE, BH_CFG_MACHINE, F(machine)},
    {"vm_display_base", K_DISPLAY_BASE, BH_CFG_DISPLAY_BASE, F(display)},
    {"vm_display_unit", K_DISPLAY_PAIR, BH_CFG_DISPLAY_UNIT, F(display)},
    {"vm_display_size", K_DISPLAY_PAIR, BH_CFG_DISPLAY_SIZE, F(display)},
    {"vm_disk", K_PATH_IN, BH_CFG_DISK, F(disk)},
    {"vm_net", K_NAME, BH_CFG_NET, F(net)},
    {"vm_mac", K_MAC, BH_CFG_MAC, F(mac)},
};
#undef F
#define NKEYS (sizeof keys / sizeof keys[0])

int bh_parse_size(const char *s, uint64_t *out)
{
    if (!isdigit((unsigned char)*s)) return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || v == 0) return -1;
    unsigned shift = 0;
    switch (toupper((unsigned char)*end)) {
    case 'K': shift = 10; end++; break;
    case 'M': shift = 20; end++; break;
    case 'G': shift = 30; end++; break;
    default: break;
    }
    if (shift) {
        if (*end == 'i' || *end == 'I') end++;
        if (*end == 'B' || *end == 'b') end++;
    }
    if (*end) return -1;
    if (v > (UINT64_MAX >> shift)) return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

/* dir of path + "/" + rel, unless rel is absolute or path has no folder. */
static char *resolve(const char *cfgpath, const char *rel)
{
    const char *slash = strrchr(cfgpath, '/');
    size_t dlen = (rel[0] == '/' || !slash) ? 0 : (size_t)(slash - cfgpath) + 1;
    size_t rlen = strlen(rel);
    char *p = malloc(dlen + rlen + 1);
    if (!p) return NULL;
    memcpy(p, cfgpath, dlen);
    memcpy(p + dlen, rel, rlen + 1);
    return p;
}

/* "WIDTHxHEIGHT" (decimal) into w and h: 0, or -1 when malformed. */
static int parse_pair(const char *s, uint32_t *w, uint32_t *h)
{
    char *end;
    if (!isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    unsigned long a = strtoul(s, &end, 10);
    if (errno || *end != 'x' || !isdigit((unsigned char)end[1]) || a > 0xffffu)
        return -1;
    unsigned long b = strtoul(end + 1, &end, 10);
    if (errno || *end || b > 0xffffu)
        return -1;
    *w = (uint32_t)a;
    *h = (uint32_t)b;
    return 0;
}

static int set_value(const struct key_def *k, struct bh_config *cfg, const char *val,
                     const char *path, unsigned line, char *err, size_t errlen)
{
    char *field = (char *)cfg + k->off;
    char *end;
    switch (k->type) {
    case K_PATH_IN:
    case K_PATH_OUT: {
        char *p = resolve(path, val);
        if (!p) return bh_errf(err, errlen, "%s:%u: out of memory", path, line);
        if (k->type == K_PATH_IN && access(p, R_OK) != 0) {
            int e = errno;
            bh_errf(err, errlen, "%s:%u: %s: cannot read '%s': %s", path, line, k->name, p,
                    strerror(e));
            free(p);
            return -1;
        }
        *(char **)field = p;
        return 0;
    }
    case K_COUNT: {
        errno = 0;
        long long v = strtoll(val, &end, 10);
        if (!isdigit((unsigned char)val[0]) || *end || errno || v <= 0)
            return bh_errf(err, errlen, "%s:%u: %s must be a positive whole number, not '%s'",
                           path, line, k->name, val);
        if (k->bit == BH_CFG_SLICE) cfg->slice = v;
        else cfg->max_instructions = (uint64_t)v;
        return 0;
    }
    case K_SIZE: {
        uint64_t v;
        if (bh_parse_size(val, &v) != 0)
            return bh_errf(err, errlen, "%s:%u: %s must be a size like 16M, 64M or 1G, not '%s'",
                           path, line, k->name, val);
        if (v < (64u << 10) || v > (4ull << 30))
            return bh_errf(err, errlen, "%s:%u: %s must be between 64K and 4G, not '%s'", path,
                           line, k->name, val);
        cfg->memory = v;
        return 0;
    }
    case K_NAME: {
        size_t n = strlen(val);
        int ok = n > 0 && n < 24;
        for (size_t i = 0; ok && i < n; i++)
            ok = isalnum((unsigned char)val[i]) || strchr("_.-", val[i]);
        if (!ok)
            return bh_errf(err, errlen,
                           "%s:%u: %s must be 1-23 letters, digits, '_', '.' or '-', not '%s'",
                           path, line, k->name, val);
        free(*(char **)field);
        if (!(*(char **)field = strdup(val))) return bh_errf(err, errlen, "%s:%u: out of memory", path, line);
        return 0;
    }
    case K_WEIGHT: {
        errno = 0;
        long v = strtol(val, &end, 10);
        if (!isdigit((unsigned char)val[0]) || *end || errno || v < 1 || v > 1000)
            return bh_errf(err, errlen, "%s:%u: %s must be a whole number from 1 to 1000, not '%s'",
                           path, line, k->name, val);
        cfg->weight = (uint32_t)v;
        return 0;
    }
    case K_DIALECT:
        if (!strcmp(val, "spim") || !strcmp(val, "mars")) {
            cfg->dialect = val[0] == 's' ? BH_DIALECT_SPIM : BH_DIALECT_MARS;
            return 0;
        }
        return bh_errf(err, errlen, "%s:%u: %s must be spim or mars, not '%s'", path, line, k->name,
                       val);
    case K_MACHINE:
        if (!strcmp(val, "spim") || !strcmp(val, "bare")) {
            cfg->machine = val[0] == 's' ? BH_MACHINE_SPIM : BH_MACHINE_BARE;
            return 0;
        }
        return bh_errf(err, errlen, "%s:%u: %s must be spim or bare, not '%s'", path, line, k->name,
                       val);
    case K_MAC: {
        uint8_t mac[6];
        if (bh_nic_parse_mac(val, mac) != 0)
            return bh_errf(err, errlen,
                           "%s:%u: %s must be a unicast MAC address like 02:00:00:00:00:01 (six "
                           "hex bytes, the first even), not '%s'",
                           path, line, k->name, val);
        free(cfg->mac);
        if (!(cfg->mac = strdup(val))) return bh_errf(err, errlen, "%s:%u: out of memory", path, line);
        return 0;
    }
    case K_DISPLAY_BASE: {
        char msg[256];
        errno = 0;
        unsigned long v = strtoul(val, &end, 16);
        if (strncmp(val, "0x", 2) != 0 || !isxdigit((unsigned char)val[2]) || *end || errno ||
            v > 0xffffffffu)
            return bh_errf(err, errlen, "%s:%u: %s must be an address like 0x10010000, not '%s'",
                           path, line, k->name, val);
        if (bh_display_check_base((uint32_t)v, msg, sizeof msg))
            return bh_errf(err, errlen, "%s:%u: %s: %s", path, line, k->name, msg);
        cfg->display.base = (uint32_t)v;
        return 0;
    }
    case K_DISPLAY_PAIR: {
        char msg[256];
        int unit = k->bit == BH_CFG_DISPLAY_UNIT;
        uint32_t w, h;
        if (parse_pair(val, &w, &h) != 0)
            return bh_errf(err, errlen, "%s:%u: %s must be WIDTHxHEIGHT in pixels, like %s, not '%s'",
                           path, line, k->name, unit ? "8x8" : "512x256", val);
        if (unit ? bh_display_check_unit(w, msg, sizeof msg) || bh_display_check_unit(h, msg, sizeof msg)
                 : bh_display_check_size(w, msg, sizeof msg) || bh_display_check_size(h, msg, sizeof msg))
            return bh_errf(err, errlen, "%s:%u: %s: %s", path, line, k->name, msg);
        if (unit) {
            cfg->display.unit_w = w;
            cfg->display.unit_h = h;
        } else {
            cfg->display.width = w;
            cfg->display.height = h;
        }
        return 0;
    }
    }
    return -1;
}

static int parse_line(char *s, const char *path, unsigned line, struct bh_config *cfg,
                      unsigned *seen_line, char *err, size_t errlen)
{
    char *hash = strchr(s, '#');
    if (hash) *hash = '\0';
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    if (!n) return 0;

    char *eq = strchr(s, '=');
    if (!eq) return bh_errf(err, errlen, "%s:%u: expected key=value, got '%s'", path, line, s);
    char *kend = eq;
    while (kend > s && isspace((unsigned char)kend[-1])) kend--;
    *kend = '\0';
    char *val = eq + 1;
    while (isspace((unsigned char)*val)) val++;
    if (!*s) return bh_errf(err, errlen, "%s:%u: missing key before '='", path, line);

    const struct key_def *k = NULL;
    size_t ki = 0;
    for (; ki < NKEYS; ki++)
        if (strcmp(keys[ki].name, s) == 0) { k = &keys[ki]; break; }
    if (!k) {
        const char *best = NULL;
        size_t bestd = 4; /* suggest only near misses */
        for (size_t i = 0; i < NKEYS; i++) {
            size_t d = bh_edit_distance(s, keys[i].name);
            if (d < bestd) { bestd = d; best = keys[i].name; }
        }
        if (best)
            return bh_errf(err, errlen, "%s:%u: unknown key '%s' (did you mean '%s'?)", path,
                           line, s, best);
        return bh_errf(err, errlen, "%s:%u: unknown key '%s' (see docs/config.md)", path, line, s);
    }
    if (cfg->set & k->bit)
        return bh_errf(err, errlen, "%s:%u: %s is set twice (first on line %u)", path, line,
                       k->name, seen_line[ki]);
    if (!*val) return bh_errf(err, errlen, "%s:%u: %s has no value", path, line, k->name);
    if (set_value(k, cfg, val, path, line, err, errlen) != 0) return -1;
    cfg->set |= k->bit;
    seen_line[ki] = line;
    return 0;
}

int bh_config_parse(const char *path, const char *text, size_t len, struct bh_config *cfg,
                    char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->slice = BH_CONFIG_DEFAULT_SLICE;
    cfg->memory = BH_CONFIG_DEFAULT_MEMORY;
    cfg->weight = BH_CONFIG_DEFAULT_WEIGHT;
    bh_display_geom_default(&cfg->display);
    cfg->path = strdup(path);
    if (!cfg->path) return bh_errf(err, errlen, "%s: out of memory", path);

    unsigned seen_line[NKEYS] = {0};
    unsigned line = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n') e++;
        line++;
        size_t n = e - pos;
        if (memchr(text + pos, '\0', n)) {
            bh_errf(err, errlen, "%s:%u: NUL byte in a config file", path, line);
            goto fail;
        }
        char *s = malloc(n + 1);
        if (!s) { bh_errf(err, errlen, "%s: out of memory", path); goto fail; }
        memcpy(s, text + pos, n);
        s[n] = '\0'; /* a trailing '\r' is whitespace and goes with the trim */
        int rc = parse_line(s, path, line, cfg, seen_line, err, errlen);
        free(s);
        if (rc) goto fail;
        pos = e + 1;
    }
    if (!(cfg->set & BH_CFG_BINARY)) {
        bh_errf(err, errlen, "%s:%u: vm_binary is missing (the program the VM runs)"
                BH_HELP "add a line vm_binary=PROG.s (docs/config.md lists the keys)", path,
                line ? line : 1);
        goto fail;
    }
    return 0;
fail:
    bh_config_free(cfg);
    return -1;
}

int bh_config_load(const char *path, struct bh_config *cfg, char *err, size_t errlen)
{
    uint8_t *buf;
    size_t len;
    memset(cfg, 0, sizeof *cfg);
    if (bh_read_file(path, &buf, &len, err, errlen) != 0) return -1;
    int rc = bh_config_parse(path, (const char *)buf, len, cfg, err, errlen);
    free(buf);
    return rc;
}

void bh_config_free(struct bh_config *cfg)
{
    free(cfg->path);
    free(cfg->binary);
    free(cfg->snapshot);
    free(cfg->name);
    free(cfg->stdin_path);
    free(cfg->stdout_path);
    free(cfg->disk);
    free(cfg->net);
    free(cfg->mac);
    memset(cfg, 0, sizeof *cfg);
}

int bh_config_looks_like(const uint8_t *buf, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && isspace(buf[i])) i++;
        if (i < len && buf[i] == '#') { /* comment line: skip it */
            while (i < len && buf[i] != '\n') i++;
            continue;
        }
        if (i >= len || !(isalpha(buf[i]) || buf[i] == '_')) return 0;
        while (i < len && (isalnum(buf[i]) || buf[i] == '_')) i++;
        while (i < len && (buf[i] == ' ' || buf[i] == '\t')) i++;
        return i < len && buf[i] == '=';
    }
    return 0;
}
