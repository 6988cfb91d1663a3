/* jit_dump.h: --jit-dump FILE (docs/jit.md): every block the translation
 * tier translates, written as it is translated: a header (the VM, the
 * guest range by label, its instruction and host byte counts, the time
 * taken), then each guest instruction (address, word, disassembly, source
 * line) followed by the host code made for it, disassembled with
 * Capstone, then the exits to the interpreter out of line.  One block's
 * lines stay together when several VMs translate at once. */
#ifndef BH_HOST_JIT_DUMP_H
#define BH_HOST_JIT_DUMP_H

#include <stddef.h>

#include "vm.h"

struct bh_jit_dump;

/* Open the dump on path ("-": stdout): NULL with a message in err. */
struct bh_jit_dump *bh_jit_dump_open(const char *path, char *err, size_t errlen);
/* Dump vm's blocks from now on (after bh_vm_jit): a VM the tier does not
 * run, or a build without it, gets one line saying so.  0, or -1 when out
 * of memory. */
int bh_jit_dump_attach(struct bh_jit_dump *d, struct bh_vm *vm);
/* Close it (NULL: nothing): 0, or -1 with a message when writing failed. */
int bh_jit_dump_close(struct bh_jit_dump *d, char *err, size_t errlen);

#endif
