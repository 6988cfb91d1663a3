/* asm_int.h: babyasm's private structures, shared by the lexer, the parser,
 * the front end (.include/.eqv/.macro), the two passes and the listing.
 *
 * Nothing here is global: one struct asm_ctx holds a whole run, so myvmm can
 * assemble several files (even on several threads) with the same code.
 */
#ifndef BH_ASM_INT_H
#define BH_ASM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "babyasm.h"
#include "image.h"

/* ---- arena: every string and array of a run, freed at once ------------ */
struct asm_arena_blk;
struct asm_arena {
    struct asm_arena_blk *head;
};
void *asm_alloc(struct asm_arena *a, size_t n);
char *asm_strndup(struct asm_arena *a, const char *s, size_t n);
void asm_arena_free(struct asm_arena *a);

/* ---- statements, as the parser produces them ------------------------- */
enum asm_opnd_kind {
    OPND_REG,   /* $t0                                         */
    OPND_EXPR,  /* 5, 'a', label, label+4, %arg                 */
    OPND_MEM,   /* expr(base), (base)                           */
    OPND_STR,   /* "text" (bytes, may hold NULs)                */
    OPND_FLOAT, /* 1.5 (.float/.double)                         */
    OPND_FREG   /* $f0 ... $f31                                 */
};

struct asm_expr {
    const char *sym; /* NULL: a constant; "%x" is a macro parameter */
    int64_t val;     /* the constant, or the offset added to sym */
};

struct asm_opnd {
    uint8_t kind;       /* enum asm_opnd_kind */
    uint8_t has_count;  /* "value:count" in .word/.half/.byte */
    uint8_t has_expr;   /* MEM: an offset was written ("4($sp)") */
    int reg;            /* REG, FREG; MEM base (-1: base_name says) */
    const char *base_name; /* MEM base written as a name (.eqv or %arg) */
    struct asm_expr e;  /* EXPR; MEM offset */
    struct asm_expr count;
    const char *str;    /* STR bytes */
    size_t slen;
    double f;           /* FLOAT */
    int col;            /* 1-based column, for diagnostics */
};

enum asm_stmt_kind { STMT_LABEL, STMT_OP, STMT_CALL };

struct asm_stmt {
    uint8_t kind;       /* enum asm_stmt_kind; CALL: "name(args)" */
    const char *name;   /* label, mnemonic or directive (".word") */
    struct asm_opnd *ops;
    int nops;
    int file, line, col;
    int macro_line;     /* >0: expanded from a macro called at this line */
};

struct asm_stmts {
    struct asm_stmt *v;
    size_t n, cap;
};
struct asm_stmt *asm_stmts_push(struct asm_stmts *s);

/* ---- source files ------------------------------------------------------- */
struct asm_file {
    const char *path;
    char *buf;          /* NUL-terminated copy of the text */
    size_t len;
    uint32_t *lines;    /* offsets of line starts, built on first diagnostic */
    uint32_t nlines;
    uint32_t strid;     /* offset of path in the image strings (pass 2) */
};

/* ---- symbols: an open-addressing hash table ---------------------------- */
struct asm_sym {
    const char *name;
    uint32_t value;
    uint32_t value2;    /* the address pass 2 gives it: must equal value */
    uint8_t seg;        /* enum bh_seg, or BH_SEG_COUNT for absolute */
    uint8_t defined;
    uint8_t global;
    uint8_t comm;       /* .comm/.lcomm/.extern: allocated after the data */
    uint32_t size;      /* .comm/.extern size */
    int file, line, col;/* where defined */
    size_t def_stmt;    /* index of the defining statement (SIZE_MAX: .comm) */
};

struct asm_symtab {
    struct asm_sym *v;  /* in order of first appearance */
    uint32_t n, cap;
    uint32_t *slots;    /* index+1 into v, 0 = empty */
    uint32_t nslots;
};
struct asm_sym *asm_sym_find(const struct asm_symtab *t, const char *name);
struct asm_sym *asm_sym_get(struct asm_symtab *t, const char *name); /* creates */
void asm_symtab_free(struct asm_symtab *t);

/* ---- the budget: what one run may consume ------------------------------
 * A macro that calls itself twice, a file that includes itself twice or a
 * few .space lines would otherwise make the assembler run for hours and
 * fill the memory.  The limits are far above real programs (docs/assembler.md);
 * front.c charges statements and included bytes, emit.c the output. */
#ifndef ASM_MAX_STMTS /* the fuzz build (Makefile) sets smaller ones, for speed */
#define ASM_MAX_STMTS 2000000u         /* statements after .include and macro expansion */
#define ASM_MAX_OPNDS 8000000u         /* their operands */
#define ASM_MAX_INCLUDED (64u << 20)   /* bytes of included text */
#define ASM_MAX_INCLUDES 65536u        /* .include directives carried out */
#define ASM_MAX_OUTPUT (16u << 20)     /* bytes of all segments together */
#endif

struct asm_budget {
    uint64_t stmts, opnds, included, includes;
    int spent; /* a limit was hit and reported: expansion or output stops there */
};

/* ---- one run ------------------------------------------------------------ */
struct asm_segstate {
    uint32_t base, pc;
    int based;          /* base fixed (by an address or a first emission) */
    int auto_align;     /* .align 0 turns SPIM's auto-alignment off */
    int explicit_pc;    /* pc was just given by ".data ADDR": no silent alignment */
    struct bh_buf bytes;
    struct bh_line *lines;
    uint32_t nlines, lcap;
};

struct asm_ctx {
    struct asm_arena arena;
    struct bh_asm_result *res;
    unsigned flags;
    struct asm_file *files;
    int nfiles, fcap;
    struct asm_stmts prog;     /* after .include/.eqv/.macro */
    struct asm_budget budget;
    struct asm_symtab syms;
    int pass;                  /* 1 or 2 */
    int seg;                   /* current enum bh_seg */
    struct asm_segstate segs[BH_SEG_COUNT];
    int noat;                  /* .set noat */
    /* $at is only worth a warning when the program both names it and
     * uses a pseudo-instruction that writes it (pass 2 records both). */
    const struct asm_stmt *at_hand;   /* first statement naming $at outside .set noat */
    int at_hand_col;
    const struct asm_stmt *at_pseudo; /* first expansion that writes $at */
    int stmt_names_at;                /* the current statement names $at itself */
    int startup;               /* emit SPIM's start-up code */
    const struct asm_stmt *cur;/* statement being assembled */
    size_t cur_index;          /* its index in prog */
    int cur_first;             /* next text word is the statement's first */
    uint32_t list_addr;        /* listing: where a data directive's first byte went */
    int list_set;
    struct bh_buf strings;     /* the image string table (pass 2) */
    const char **pending;      /* labels not yet followed by data (auto-align moves them) */
    int npending, pcap;
    int macro_count;           /* unique labels per macro expansion */
    const char *sug_for, *sug; /* the last unknown instruction's name and its "did you mean" */
    /* GNU as line directives (the disassembler writes them so a round trip
     * keeps the line table): .file "name" renames the main file in the
     * image, .file N "name" names file N, .loc N line starts a statement. */
    const char *main_name;
    const char *loc_names[256];
    int loc_file, loc_line, loc_fresh;
    struct bh_buf dtext;       /* diagnostics, unsorted */
    struct asm_diagrec *drec;  /* one per diagnostic, sorted by place at the end */
    size_t ndrec, dcap;
};

struct asm_diagrec {
    int file, line, col;
    size_t seq, off, len;
};
void asm_diag_flush(struct asm_ctx *c);

/* diag.c */
void asm_diag(struct asm_ctx *c, int file, int line, int col, const char *kind,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
#define asm_error(c, f, l, col, ...) asm_diag(c, f, l, col, "error", __VA_ARGS__)
#define asm_warning(c, f, l, col, ...) asm_diag(c, f, l, col, "warning", __VA_ARGS__)
#define asm_note(c, f, l, col, ...) asm_diag(c, f, l, col, "note", __VA_ARGS__)
int asm_edit_distance(const char *a, const char *b, int limit);
int asm_add_file(struct asm_ctx *c, const char *path, const char *src, size_t len);
const char *asm_line_text(struct asm_ctx *c, int file, int line, size_t *len);

/* parse.c (with the generated parser and lexer): parse file index f into out. */
int asm_parse_file(struct asm_ctx *c, int f, struct asm_stmts *out);

/* front.c: .include, .eqv and .macro, turning parsed files into c->prog. */
int asm_front(struct asm_ctx *c, struct asm_stmts *main_stmts);

/* pass.c: the two passes, the directives and the image they build. */
int asm_passes(struct asm_ctx *c, struct bh_image *img);

/* emit.c: the output of a run, below both pass.c and expand.c.  Bytes go
 * to the current segment at its location counter; pass 1 only counts. */
static inline int asm_seg_is_text(int seg)
{
    return seg == BH_SEG_TEXT || seg == BH_SEG_KTEXT;
}
int asm_out_room(struct asm_ctx *c, uint64_t n);
void asm_emit_word(struct asm_ctx *c, uint32_t w);
void asm_put_bytes(struct asm_ctx *c, const void *p, size_t n);
void asm_align_to(struct asm_ctx *c, uint32_t a, int move_labels);
void asm_fill_to(struct asm_segstate *g);
void asm_listing_src(struct asm_ctx *c, const struct asm_stmt *s);
int asm_eval(struct asm_ctx *c, const struct asm_expr *e, int col, uint32_t *out);
int asm_sym_known(const struct asm_ctx *c, const struct asm_expr *e);
uint32_t asm_snapshot_string(struct asm_ctx *c, const char *s, size_t n);

/* expand.c: one instruction statement (machine or pseudo) -> words. */
void asm_instruction(struct asm_ctx *c, const struct asm_stmt *s);
void asm_at_report(struct asm_ctx *c); /* after pass 2: the $at warning, if due */

/* Errors found in both passes are reported in pass 2 only. */
#define ERR(c, col, ...)                                                                    \
    do {                                                                                    \
        if ((c)->pass == 2)                                                                 \
            asm_error(c, (c)->cur->file, (c)->cur->line, col, __VA_ARGS__);                 \
    } while (0)
#define WARN(c, col, ...)                                                                   \
    do {                                                                                    \
        if ((c)->pass == 2)                                                                 \
            asm_warning(c, (c)->cur->file, (c)->cur->line, col, __VA_ARGS__);               \
    } while (0)

#endif
