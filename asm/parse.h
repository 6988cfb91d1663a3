/* parse.h: the state the re2c lexer and the bison parser share for one
 * file.  The parser gets it through %param, the lexer keeps its cursor in
 * it (no globals), and the grammar actions append statements to out. */
#ifndef BH_ASM_PARSE_H
#define BH_ASM_PARSE_H

#include "asm_int.h"

struct asm_parse {
    struct asm_ctx *c;
    int file;
    const char *buf, *end; /* buf[end - buf] == '\0' is the sentinel */
    const char *cur, *tok, *lstart;
    int line;
    int prev;              /* previous token kind: MCALL and "-5" depend on it */
    int prev_macro;        /* the previous token was the identifier ".macro" */
    int path_mode;         /* after SNAPSHOT: a bare word is a file name */
    int sent_eof_nl;       /* a last line without '\n' still ends with NEWLINE */
    int err_line;          /* the lexer reported an error on this line */
    int mdef_line, mdef_col;  /* the last ".macro" that starts a statement */
    const char *mdef_name;    /* its name (in the arena), if one followed */
    struct asm_stmts *out;
    struct asm_opnd *ops;  /* operands of the statement being parsed */
    int nops, opcap;
};

#endif
