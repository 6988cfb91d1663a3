/* parser.y: babyasm's grammar.  A file is a list of lines; a line is
 * labels, then at most one statement (an instruction or a directive with
 * its operands), then the end of the line.  The actions only build
 * statements: meaning (which operands an instruction takes, what a
 * directive does) is decided by the passes, which give better messages
 * than a grammar could.  A line with a syntax error is skipped up to its
 * end (error NEWLINE), so every error of a file is reported in one run. */
%define api.pure full
%define api.prefix {asm_yy}
%define parse.error detailed
%locations
%expect 0
%param {struct asm_parse *ps}

%code requires {
#include <stdint.h>
#include "parse.h"
}

%code provides {
int asm_yylex(ASM_YYSTYPE *lval, ASM_YYLTYPE *lloc, struct asm_parse *ps);
}

%code {
#include <stdlib.h>
#include <string.h>

static void asm_yyerror(ASM_YYLTYPE *loc, struct asm_parse *ps, const char *msg)
{
    /* The lexer already said what is wrong with this line. */
    if (ps->err_line == loc->first_line)
        return;
    asm_error(ps->c, ps->file, loc->first_line, loc->first_column, "%s", msg);
}

/* Move a malloc'ed token string into the run's arena. */
static const char *keep(struct asm_parse *ps, char *s)
{
    const char *k = asm_strndup(&ps->c->arena, s, strlen(s));
    free(s);
    return k;
}

static void push_opnd(struct asm_parse *ps, const struct asm_opnd *o)
{
    if (ps->nops == ps->opcap) {
        int cap = ps->opcap ? ps->opcap * 2 : 8;
        struct asm_opnd *v = realloc(ps->ops, (size_t)cap * sizeof *v);
        if (!v)
            return;
        ps->ops = v;
        ps->opcap = cap;
    }
    ps->ops[ps->nops++] = *o;
}

static void push_stmt(struct asm_parse *ps, int kind, const char *name, const ASM_YYLTYPE *loc)
{
    struct asm_stmt *s = asm_stmts_push(ps->out);
    if (!s)
        return;
    s->kind = (uint8_t)kind;
    s->name = name;
    s->file = ps->file;
    s->line = loc->first_line;
    s->col = loc->first_column;
    s->nops = ps->nops;
    if (ps->nops) {
        s->ops = asm_alloc(&ps->c->arena, (size_t)ps->nops * sizeof *s->ops);
        if (s->ops)
            memcpy(s->ops, ps->ops, (size_t)ps->nops * sizeof *s->ops);
        else
            s->nops = 0;
    }
    ps->nops = 0;
}

/* A statement the parser reduced before it saw the error later on the same
 * line is dropped (its labels stay, so they are not reported undefined). */
static void drop_line(struct asm_parse *ps, int line)
{
    struct asm_stmts *o = ps->out;
    size_t i = o->n, keep;
    while (i > 0 && o->v[i - 1].line == line && o->v[i - 1].file == ps->file)
        i--;
    keep = i;
    for (size_t k = i; k < o->n; k++)
        if (o->v[k].kind == STMT_LABEL)
            o->v[keep++] = o->v[k];
    o->n = keep;
}

static struct asm_opnd opnd_at(int kind, const ASM_YYLTYPE *loc)
{
    struct asm_opnd o;
    memset(&o, 0, sizeof o);
    o.kind = (uint8_t)kind;
    o.reg = -1;
    o.col = loc->first_column;
    return o;
}
}

%union {
    char *str;
    int64_t num;
    double fnum;
    struct { char *p; size_t n; } bytes;
    struct asm_expr expr;
    struct asm_opnd opnd;
    int reg;
}

%token <str> IDENT "identifier"
%token <str> MCALL "macro call"
%token <str> ARG "macro parameter"
%token <num> INT "integer"
%token <num> NEGINT "negative integer"
%token <fnum> FLOAT "floating-point number"
%token <reg> REG "register"
%token <reg> FREG "FP register"
%token <bytes> STRING "string"
%token NEWLINE "end of line"
%token BAD "invalid token"
%token END 0 "end of file"

%type <expr> expr atom
%type <opnd> operand
%type <str> base_name

%destructor { free($$); } <str>
%destructor { free($$.p); } <bytes>

/* "lw $t0, 4 ($sp)": the offset and the base are one operand (shift). */
%precedence EXPR_ALONE
%precedence '('

%%

file
    : %empty
    | file line
    ;

line
    : labels stmt NEWLINE    { ps->nops = 0; }
    | error NEWLINE          { ps->nops = 0; drop_line(ps, @2.first_line); yyerrok; }
    ;

labels
    : %empty
    | labels IDENT ':'       { push_stmt(ps, STMT_LABEL, keep(ps, $2), &@2); }
    ;

stmt
    : %empty
    | IDENT opt_operands     { push_stmt(ps, STMT_OP, keep(ps, $1), &@1); }
    | MCALL '(' opt_operands ')'  { push_stmt(ps, STMT_CALL, keep(ps, $1), &@1); }
    | IDENT MCALL '(' opt_operands ')'
        {   /* ".macro name(%a, %b)": the name becomes the first operand */
            struct asm_opnd o = opnd_at(OPND_EXPR, &@2);
            o.e.sym = keep(ps, $2);
            push_opnd(ps, &o);
            memmove(ps->ops + 1, ps->ops, (size_t)(ps->nops - 1) * sizeof *ps->ops);
            ps->ops[0] = o;
            push_stmt(ps, STMT_OP, keep(ps, $1), &@1);
        }
    ;

opt_operands
    : %empty
    | operands
    ;

operands
    : operand                { push_opnd(ps, &$1); }
    | operands operand       { push_opnd(ps, &$2); }
    | operands ',' operand   { push_opnd(ps, &$3); }
    ;

operand
    : REG                    { $$ = opnd_at(OPND_REG, &@1); $$.reg = $1; }
    | FREG                   { $$ = opnd_at(OPND_FREG, &@1); $$.reg = $1; }
    | expr %prec EXPR_ALONE  { $$ = opnd_at(OPND_EXPR, &@1); $$.e = $1; }
    | expr ':' expr          { $$ = opnd_at(OPND_EXPR, &@1); $$.e = $1; $$.has_count = 1; $$.count = $3; }
    | FLOAT                  { $$ = opnd_at(OPND_FLOAT, &@1); $$.f = $1; }
    | FLOAT ':' expr         { $$ = opnd_at(OPND_FLOAT, &@1); $$.f = $1; $$.has_count = 1; $$.count = $3; }
    | STRING                 { $$ = opnd_at(OPND_STR, &@1);
                               $$.str = asm_strndup(&ps->c->arena, $1.p, $1.n);
                               $$.slen = $1.n; free($1.p); }
    | '(' REG ')'            { $$ = opnd_at(OPND_MEM, &@1); $$.reg = $2; }
    | '(' base_name ')'      { $$ = opnd_at(OPND_MEM, &@1); $$.base_name = keep(ps, $2); }
    | expr '(' REG ')'       { $$ = opnd_at(OPND_MEM, &@1); $$.e = $1; $$.has_expr = 1; $$.reg = $3; }
    | expr '(' base_name ')' { $$ = opnd_at(OPND_MEM, &@1); $$.e = $1; $$.has_expr = 1;
                               $$.base_name = keep(ps, $3); }
    ;

base_name
    : IDENT
    | ARG
    ;

expr
    : atom
    | expr '+' atom          { $$ = $1; $$.val += $3.val;
                               if ($3.sym) { if ($$.sym) { asm_error(ps->c, ps->file, @3.first_line, @3.first_column, "only one label may appear in an expression"); } else $$.sym = $3.sym; } }
    | expr '-' atom          { $$ = $1; $$.val -= $3.val;
                               if ($3.sym) asm_error(ps->c, ps->file, @3.first_line, @3.first_column, "a label cannot be subtracted"); }
    ;

atom
    : INT                    { $$.sym = NULL; $$.val = $1; }
    | NEGINT                 { $$.sym = NULL; $$.val = $1; }
    | IDENT                  { $$.sym = keep(ps, $1); $$.val = 0; }
    | ARG                    { $$.sym = keep(ps, $1); $$.val = 0; }
    ;

%%

int asm_parse_file(struct asm_ctx *c, int f, struct asm_stmts *out)
{
    struct asm_parse ps;
    memset(&ps, 0, sizeof ps);
    ps.c = c;
    ps.file = f;
    ps.buf = c->files[f].buf;
    ps.end = ps.buf + c->files[f].len;
    ps.cur = ps.lstart = ps.buf;
    ps.line = 1;
    ps.prev = NEWLINE;
    ps.out = out;
    int rc = asm_yyparse(&ps);
    free(ps.ops);
    return rc ? -1 : 0;
}
