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
#define BH_ASM_DELAYED_BRANCHES 16u
#define BH_ASM_DELAYED_LOADS 32u
/* SPIM's bare machine (spim -bare): machine instructions only, no
 * pseudo-instructions, no value that needs 32 bits (lui and ori) where an
 * instruction holds 16, $at an ordinary register, and .data at 0x10000000
 * (docs/assembler.md, The bare machine). */
#define BH_ASM_BARE 8u

/* Assemble src (len bytes, need not be NUL-terminated) named path.
 * Returns 0 and fills img when there were no errors; -1 otherwise
 * (res->diag says why; img is left empty). */
int bh_asm_source(const char *path, const char *src, size_t len, unsigned flags,
                  struct bh_image *img, struct bh_asm_result *res);
/* Assemble n sources as one program, in order, as SPIM loads its
 * exception file and then the program: one symbol table (a label defined
 * in two files is an error; SPIM keeps labels without .globl local to
 * their file), each file starting in .text.  The dialect follows the last
 * one (the program).  Returns as bh_asm_source. */
struct bh_asm_input {
    const char *path;
    const char *src;
    size_t len;
};
int bh_asm_sources(const struct bh_asm_input *in, int n, unsigned flags, struct bh_image *img,
                   struct bh_asm_result *res);
int bh_asm_file(const char *path, unsigned flags, struct bh_image *img,
                struct bh_asm_result *res);
void bh_asm_result_free(struct bh_asm_result *res);

/* The image as an ELF executable for debuggers (babyasm --elf): ELF32
 * little-endian MIPS32, its entry, each segment a section and a PT_LOAD,
 * every label in .symtab, and its line table as DWARF 3 (asm/dwarf.h).
 * comp_dir: the folder the source's name is relative to.  On success *out
 * is malloc'ed (caller frees) and 0 is returned; on failure -1 and a
 * message in err. */
int bh_elf_write(const struct bh_image *img, const char *comp_dir, uint8_t **out, size_t *outlen,
                 char *err, size_t errlen);

/* Disassemble an image as source that babyasm assembles back to the same image. */
int bh_disasm_image(const struct bh_image *img, struct bh_buf *out, char *err, size_t errlen);

#endif
