/* board.c: the bare machine's board controller (board.h). */
#include "dev/board.h"

static int board_read(void *opaque, uint32_t offset, unsigned size, uint32_t *val)
{
    if (offset != BH_BOARD_POWER || size != 4)
        return -1;
    *val = 0;
    return 0;
}

static int board_write(void *opaque, uint32_t offset, unsigned size, uint32_t val)
{
    struct bh_board *b = opaque;
    if (offset != BH_BOARD_POWER || size != 4)
        return -1;
    b->off = 1;
    b->status = val & 0xffu;
    if (b->power_off)
        b->power_off(b->opaque);
    return 0;
}

static const char *const board_regs[] = {"power"};
const struct bh_dev_region bh_board_region = {"board", BH_BOARD_MMIO_SIZE, board_read, board_write,
                                              board_regs, 1};
