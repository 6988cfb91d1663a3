/* syscall.h: what each system call is (syscall.def, one list): its name,
 * the kinds of its arguments and the registers it writes.
 *
 * The contract: a number below BH_SYSCALL_LIMIT with an entry is a syscall
 * the dispatcher (bh_syscall) emulates, and no other number is; whatever
 * names or describes a syscall (--trace, --trace-exits, the docs) asks
 * bh_syscall_info, so it cannot name one the dispatcher lacks. */
#ifndef BH_SYSCALL_H
#define BH_SYSCALL_H

#include <stdint.h>

/* Every syscall number is below this (the table is indexed by it). */
#define BH_SYSCALL_LIMIT 64

/* What an argument register holds. */
enum bh_sys_arg {
    BH_SYS_NONE,  /* not read */
    BH_SYS_INT,   /* a number */
    BH_SYS_CHAR,  /* a character (the low byte) */
    BH_SYS_STR,   /* the address of a NUL-terminated string */
    BH_SYS_BUF,   /* the address of a buffer */
    BH_SYS_LEN,   /* a size in bytes */
    BH_SYS_FD,    /* a file descriptor */
    BH_SYS_FLAGS, /* open's flags */
    BH_SYS_GEN,   /* the id of a random generator */
    BH_SYS_ARG_KINDS
};

/* The registers a syscall writes, as a mask of register numbers. */
#define BH_SYS_RES_NONE 0u
#define BH_SYS_RES_V0 (1u << 2)
#define BH_SYS_RES_A0 (1u << 4)
#define BH_SYS_RES_A0_A1 (BH_SYS_RES_A0 | 1u << 5)

struct bh_syscall_info {
    const char *name;
    uint8_t args[3];  /* enum bh_sys_arg of $a0, $a1, $a2 */
    uint32_t results; /* BH_SYS_RES_* */
    const char *what; /* one line for the docs */
};

/* The syscall numbered n, or NULL when no syscall has that number. */
const struct bh_syscall_info *bh_syscall_info(int32_t n);

#endif
