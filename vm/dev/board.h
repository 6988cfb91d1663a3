/* board.h: the bare machine's board controller, a device on the contract
 * of dev.h with one register:
 *
 *   offset 0  POWER  write: power the machine off; the value written (its
 *                    low 8 bits) is the VM's exit status.  Reads 0.
 *
 * Any other offset of its 16-byte region is a bus error (DBE).  Powering
 * off tells the machine through a line it wires, as an interrupt line: the
 * device never knows what the machine does then (the monitor ends the VM
 * after the storing instruction retires).  The board has no state worth a
 * snapshot: once powered off, the VM is over. */
#ifndef BH_BOARD_H
#define BH_BOARD_H

#include <stdint.h>

#include "dev/dev.h"

#define BH_BOARD_POWER 0x0u
#define BH_BOARD_MMIO_SIZE 0x10u

struct bh_board {
    int off;         /* powered off */
    uint32_t status; /* the exit status written, 0..255 */
    /* The machine's power-off line (NULL: unwired, a unit test). */
    void (*power_off)(void *opaque);
    void *opaque;
};

/* The register region; its callbacks take the board as opaque pointer. */
extern const struct bh_dev_region bh_board_region;

#endif
