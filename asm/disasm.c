/* disasm.c: an image back to source that babyasm assembles into the same
 * image (filled in below). */
#include "asm_int.h"

int bh_disasm_image(const struct bh_image *img, struct bh_buf *out, char *err, size_t errlen)
{
    (void)img;
    (void)out;
    return bh_errf(err, errlen, "disassembly not implemented yet");
}
