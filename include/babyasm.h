/* babyasm.h: the assembler as a library, used by babyasm and by myvmm
 * (which assembles text files on the fly).  It never prints: diagnostics
 * ("file:line:col: error: ...", the source line and a caret, all of a run)
 * are collected in diag for the caller to print. */
#ifndef BH_BABYASM_H
#define BH_BABYASM_H

#include "bh_util.h"
#include "image.h"

struct bh_asm_result {
    int errors;
    int warnings;
    struct bh_buf diag;    /* the text of every diagnostic, ready to print */
    struct bh_buf listing; /* filled when listing was asked for */
};

#define BH_ASM_LISTING 1u
/* The dialect the image records (BH_IMG_MARS): by default the file's own
 * convention, a `.asm` source is MARS's and anything else SPIM's; these
 * override it. */
#define BH_ASM_DIALECT_SPIM 2u
#define BH_ASM_DIALECT_MARS 4u
/* The image records that it is written for delay slots (BH_IMG_DELAYED_*):
 * myvmm then runs it with them, as with -delayed_branches, -delayed_loads. */
#define BH_ASM_DELAYED_BRANCHES 8u
#define BH_ASM_DELAYED_LOADS 16u

/* Assemble src (len bytes, need not be NUL-terminated) named path.
 * Returns 0 and fills img when there were no errors; -1 otherwise
 * (res->diag says why; img is left empty). */
int bh_asm_source(const char *path, const char *src, size_t len, unsigned flags,
                  struct bh_image *img, struct bh_asm_result *res);
int bh_asm_file(const char *path, unsigned flags, struct bh_image *img,
                struct bh_asm_result *res);
void bh_asm_result_free(struct bh_asm_result *res);

/* Disassemble an image as source that babyasm assembles back to the same image. */
int bh_disasm_image(const struct bh_image *img, struct bh_buf *out, char *err, size_t errlen);

#endif
