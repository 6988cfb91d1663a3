/* dwarf.h: the DWARF debugging information of an image, for babyasm --elf
 * (asm/elf.c puts it in the ELF file): one compile unit for the program's
 * source and a line program that says, word by word, which file and line
 * each instruction came from.  DWARF version 3 (the version GNU as 2.40
 * writes for assembly; gdb 13 and readelf read it), 32-bit format,
 * 4-byte addresses, little-endian.
 *
 * Nothing here knows ELF: each section is a byte buffer.
 */
#ifndef BH_ASM_DWARF_H
#define BH_ASM_DWARF_H

#include <stdint.h>

#include "bh_util.h"
#include "image.h"

/* The line program's fixed parameters (its header carries them too). */
#define ASM_DWARF_VERSION 3
#define ASM_DWARF_MIN_INSN 4 /* every address step is a whole word */
#define ASM_DWARF_LINE_BASE (-5)
#define ASM_DWARF_LINE_RANGE 14
#define ASM_DWARF_OPCODE_BASE 13
#define ASM_DWARF_LANG_MIPS_ASM 0x8001 /* DW_LANG_Mips_Assembler */

/* LEB128: 7 bits a byte, low first, the top bit set on all but the last. */
void asm_dwarf_uleb(struct bh_buf *b, uint64_t v);
void asm_dwarf_sleb(struct bh_buf *b, int64_t v);

struct asm_dwarf {
    struct bh_buf abbrev; /* .debug_abbrev: the compile unit's one abbreviation */
    struct bh_buf info;   /* .debug_info: DW_TAG_compile_unit */
    struct bh_buf line;   /* .debug_line: the line program */
    struct bh_buf ranges; /* .debug_ranges: the text segments the unit covers */
};

/* The sections for img, whose source file (img->source, as it was given)
 * names the unit.  comp_dir: the folder a relative file name starts from;
 * producer: DW_AT_producer.  Returns 0, or -1 with a message in err (out of
 * memory); d is then freed. */
int asm_dwarf_build(const struct bh_image *img, const char *comp_dir, const char *producer,
                    struct asm_dwarf *d, char *err, size_t errlen);
void asm_dwarf_free(struct asm_dwarf *d);

#endif
