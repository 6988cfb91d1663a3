/* config.h: VM config files (docs/config.md).
 *
 *   # comment
 *   vm_binary = prog.s
 *   vm_exec_slice_in_instructions=100
 *
 * One key=value per line, spaces around '=' allowed, CRLF accepted.  Every
 * error names the file and the line.  Relative paths are resolved against
 * the config file's folder, so a config works from any current directory. */
#ifndef BH_CONFIG_H
#define BH_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "dev/display.h"

#define BH_CONFIG_DEFAULT_SLICE  100000
#define BH_CONFIG_DEFAULT_MEMORY (64ull << 20)
#define BH_CONFIG_DEFAULT_WEIGHT 1

/* Which keys a file set (bits of bh_config.set). */
enum {
    BH_CFG_BINARY = 1u << 0, BH_CFG_SNAPSHOT = 1u << 1, BH_CFG_SLICE = 1u << 2,
    BH_CFG_NAME = 1u << 3, BH_CFG_MEMORY = 1u << 4, BH_CFG_STDIN = 1u << 5,
    BH_CFG_STDOUT = 1u << 6, BH_CFG_MAXINSN = 1u << 7, BH_CFG_WEIGHT = 1u << 8,
    BH_CFG_DIALECT = 1u << 9, BH_CFG_MACHINE = 1u << 10, BH_CFG_DISPLAY_BASE = 1u << 11,
    BH_CFG_DISPLAY_UNIT = 1u << 12, BH_CFG_DISPLAY_SIZE = 1u << 13, BH_CFG_DISK = 1u << 14,
    BH_CFG_NET = 1u << 15, BH_CFG_MAC = 1u << 16
};

struct bh_config {
    char *path;              /* the config file itself */
    char *binary;            /* vm_binary (resolved path; required) */
    char *snapshot;          /* vm_snapshot (resolved path) or NULL */
    int64_t slice;           /* vm_exec_slice_in_instructions */
    char *name;              /* vm_name or NULL (the CLI numbers VMs vm1, vm2...) */
    uint64_t memory;         /* vm_memory in bytes */
    char *stdin_path;        /* vm_stdin (resolved) or NULL */
    char *stdout_path;       /* vm_stdout (resolved) or NULL */
    uint64_t max_instructions; /* vm_max_instructions, 0 = no limit */
    uint32_t weight;         /* vm_weight */
    int dialect;             /* vm_dialect: BH_DIALECT_SPIM / _MARS (include/vm.h) */
    int machine;             /* vm_machine: BH_MACHINE_SPIM (default) / _BARE (include/vm.h) */
    struct bh_display_geom display; /* vm_display_base, _unit, _size (MARS's defaults) */
    char *disk;              /* vm_disk: the disk image (resolved path) or NULL */
    char *net;               /* vm_net: the switch the VM's network card plugs into, or NULL */
    char *mac;               /* vm_mac: its MAC address (checked), or NULL: from the VM's name */
    unsigned set;            /* BH_CFG_* bits of the keys present */
};

/* Parse text (len bytes) read from path.  0 on success; -1 with
 * "path:line: message" in err.  cfg is filled with defaults first. */
int bh_config_parse(const char *path, const char *text, size_t len,
                    struct bh_config *cfg, char *err, size_t errlen);
int bh_config_load(const char *path, struct bh_config *cfg, char *err, size_t errlen);
void bh_config_free(struct bh_config *cfg);

/* Does buf look like a config file (its first meaningful line is key=value)? */
int bh_config_looks_like(const uint8_t *buf, size_t len);

/* "4096", "64K", "16M", "1G" (also "16MB", "16MiB"; powers of 1024) -> bytes.
 * -1 when malformed or zero. */
int bh_parse_size(const char *s, uint64_t *out);

#endif
