/* image.h: the program image babyasm writes and myvmm loads.
 *
 * In memory an image is a struct bh_image; on disk it is the little-endian
 * format of docs/image-format.md.  bh_image_write and bh_image_read mirror
 * each other; the reader validates every count, offset, opcode and register
 * field, so nothing past it ever sees a malformed image.
 */
#ifndef BH_IMAGE_H
#define BH_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define BH_IMAGE_VERSION 1

/* SPIM's memory map. */
#define BH_TEXT_BASE   0x00400000u
#define BH_DATA_BASE   0x10010000u
#define BH_GP_INIT     0x10008000u
#define BH_KTEXT_BASE  0x80000000u
#define BH_EXC_VECTOR  0x80000180u
#define BH_KDATA_BASE  0x90000000u
#define BH_MMIO_BASE   0xffff0000u

enum bh_seg { BH_SEG_TEXT, BH_SEG_DATA, BH_SEG_KTEXT, BH_SEG_KDATA, BH_SEG_COUNT };

struct bh_segment {
    uint32_t addr;   /* guest address of the first byte */
    uint32_t size;   /* bytes; text segments: a multiple of 4 */
    uint8_t *bytes;  /* little-endian contents (text: instruction words) */
};

enum bh_sym_kind { BH_SYM_TEXT, BH_SYM_DATA, BH_SYM_KTEXT, BH_SYM_KDATA, BH_SYM_ABS };
#define BH_SYM_GLOBAL 1u

struct bh_symbol {
    uint32_t name;   /* offset of a NUL-terminated name in strings */
    uint32_t value;  /* address (or value, for BH_SYM_ABS) */
    uint8_t kind;    /* enum bh_sym_kind */
    uint8_t flags;   /* BH_SYM_GLOBAL */
};

/* One entry per instruction word the assembler emitted, sorted by addr. */
struct bh_line {
    uint32_t addr;   /* address of the word */
    uint32_t line;   /* 1-based source line */
    uint32_t file;   /* offset of the source file name in strings */
    uint32_t flags;  /* BH_LINE_* */
};
#define BH_LINE_STMT 1u /* first word of a source statement */
#define BH_LINE_DATA 2u /* a data word in text (.word in .text, a jump table):
                           not checked as an instruction; executing it is RI */

/* Image flags */
#define BH_IMG_STARTUP 1u /* text begins with SPIM's start-up code that calls main */
#define BH_IMG_MARS    2u /* assembled in MARS's dialect: its syscalls behave as MARS's
                             where MARS and SPIM differ (docs/myvmm.md, "Dialects") */
#define BH_IMG_DELAYED_BRANCHES 4u /* written for branch delay slots (babyasm --delayed-branches) */
#define BH_IMG_DELAYED_LOADS    8u /* written for load delay slots (babyasm --delayed-loads) */
#define BH_IMG_FLAGS (BH_IMG_STARTUP | BH_IMG_MARS | BH_IMG_DELAYED_BRANCHES | BH_IMG_DELAYED_LOADS)

struct bh_image {
    uint32_t entry;  /* first PC */
    uint32_t flags;  /* BH_IMG_* */
    struct bh_segment seg[BH_SEG_COUNT];
    struct bh_symbol *symbols;
    uint32_t nsymbols;
    struct bh_line *lines;
    uint32_t nlines;
    char *strings;   /* NUL-terminated strings, back to back; strings[0] == '\0' */
    uint32_t strings_size;
    uint32_t source; /* offset of the main source file name in strings */
};

/* Serialize.  On success *out is malloc'ed (caller frees) and 0 is returned;
 * on failure -1 and a message in err. */
int bh_image_write(const struct bh_image *img, uint8_t **out, size_t *outlen,
                   char *err, size_t errlen);
/* Parse and validate.  On success img owns fresh allocations (bh_image_free);
 * on failure -1, img is left empty, and err says what is wrong. */
int bh_image_read(const uint8_t *buf, size_t len, struct bh_image *img,
                  char *err, size_t errlen);
/* Read a whole file and bh_image_read it; the message names the file. */
int bh_image_load(const char *path, struct bh_image *img, char *err, size_t errlen);
void bh_image_free(struct bh_image *img);
/* Does buf start with the image magic? */
int bh_image_is_image(const uint8_t *buf, size_t len);
/* A 64-bit identity of the image contents (text, data, entry), used by
 * snapshots and migration to refuse state taken from another program. */
uint64_t bh_image_hash(const struct bh_image *img);

/* Helpers for readers of images. */
const char *bh_image_str(const struct bh_image *img, uint32_t off); /* "" when out of range */
/* The source line entry for addr, or NULL. */
const struct bh_line *bh_image_line_at(const struct bh_image *img, uint32_t addr);
/* The symbol at or before addr in the same segment (for "label+off"), or NULL. */
const struct bh_symbol *bh_image_symbol_before(const struct bh_image *img, uint32_t addr);
const struct bh_symbol *bh_image_symbol_named(const struct bh_image *img, const char *name);

#endif
