/* lexer.re: babyasm's scanner (re2c).
 *
 * As in ninja's lexer.in.cc: small re2c blocks in small functions, the
 * cursor in a struct the caller passes (struct asm_parse), and the NUL
 * at the end of the buffer as the sentinel instead of YYFILL.  A NUL
 * byte before the end is an ordinary byte inside strings and comments.
 * Strings, character literals and comments are scanned by hand: their
 * bodies may hold any byte, and their escapes need located messages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa.h"
#include "parser.h"

/*!re2c
    re2c:define:YYCTYPE = "unsigned char";
    re2c:yyfill:enable = 0;
*/

static int col_of(const struct asm_parse *p, const char *at)
{
    return (int)(at - p->lstart) + 1;
}

static void set_loc(struct asm_parse *p, ASM_YYLTYPE *l)
{
    l->first_line = l->last_line = p->line;
    l->first_column = col_of(p, p->tok);
    l->last_column = col_of(p, p->cur);
}

static int lex_fail(struct asm_parse *p, const char *at, const char *fmt, const char *arg)
{
    asm_error(p->c, p->file, p->line, col_of(p, at), fmt, arg);
    p->err_line = p->line;
    return BAD;
}

/* A byte shown in a message: itself when printable, else \xNN. */
static const char *show_byte(char *buf, unsigned char b)
{
    if (b > 0x20 && b < 0x7f)
        snprintf(buf, 8, "%c", b);
    else
        snprintf(buf, 8, "\\x%02x", b);
    return buf;
}

/* One escape after a backslash at *s (pointing past the '\\').  Returns the
 * byte, or -1 after reporting a bad escape. */
static int lex_escape(struct asm_parse *p, const char **s)
{
    const char *bs = *s - 1;
    unsigned char ch = (unsigned char)**s;
    (*s)++;
    switch (ch) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    case '\\': return '\\';
    case '"': return '"';
    case '\'': return '\'';
    case 'x': {
        int v = 0, n = 0;
        while (n < 2) {
            char h = **s;
            int d = h >= '0' && h <= '9' ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (d < 0)
                break;
            v = v * 16 + d;
            (*s)++;
            n++;
        }
        if (n == 0) {
            asm_error(p->c, p->file, p->line, col_of(p, bs), "bad escape '\\x' (hex digits expected)");
            return -1;
        }
        return v;
    }
    default:
        if (ch >= '0' && ch <= '7') {
            int v = ch - '0', n = 1;
            while (n < 3 && **s >= '0' && **s <= '7') {
                v = v * 8 + (**s - '0');
                (*s)++;
                n++;
            }
            return v & 0xff;
        }
        {
            char b[8];
            if (ch == '\n' || (ch == 0 && *s - 1 >= p->end)) {
                (*s)--;
                return -1; /* the caller reports the unterminated literal */
            }
            asm_error(p->c, p->file, p->line, col_of(p, bs), "bad escape '\\%s'", show_byte(b, ch));
        }
        return -1;
    }
}

static int lex_string(struct asm_parse *p, ASM_YYSTYPE *lval)
{
    const char *s = p->tok + 1;
    size_t cap = 16, n = 0;
    char *out = malloc(cap);
    int bad = 0;
    for (;;) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\n' || (ch == 0 && s >= p->end)) {
            free(out);
            p->cur = s;
            return lex_fail(p, p->tok, "unterminated string%s", "");
        }
        s++;
        if (ch == '"')
            break;
        int v = ch;
        if (ch == '\\') {
            v = lex_escape(p, &s);
            if (v < 0) {
                if (*s == '\n' || (*s == 0 && s >= p->end))
                    continue; /* reported as unterminated on the next round */
                bad = 1;
                continue;
            }
        }
        if (n + 1 >= cap) {
            char *o = out ? realloc(out, cap *= 2) : NULL;
            if (!o) {
                free(out);
                out = NULL;
                break;
            }
            out = o;
        }
        if (out)
            out[n++] = (char)v;
    }
    p->cur = s;
    if (bad) {
        p->err_line = p->line;
        free(out);
        return BAD;
    }
    if (!out)
        return lex_fail(p, p->tok, "out of memory%s", "");
    out[n] = 0;
    lval->bytes.p = out;
    lval->bytes.n = n;
    return STRING;
}

static int lex_char(struct asm_parse *p, ASM_YYSTYPE *lval)
{
    const char *s = p->tok + 1;
    unsigned char ch = (unsigned char)*s;
    int v;
    if (ch == '\n' || ch == '\'' || (ch == 0 && s >= p->end)) {
        p->cur = s;
        return lex_fail(p, p->tok, "empty or unterminated character literal%s", "");
    }
    s++;
    v = ch;
    if (ch == '\\') {
        v = lex_escape(p, &s);
        if (v < 0) {
            p->cur = s;
            p->err_line = p->line;
            if (*s == '\n' || (*s == 0 && s >= p->end))
                return lex_fail(p, p->tok, "unterminated character literal%s", "");
            return BAD;
        }
    }
    if (*s != '\'') {
        p->cur = s;
        return lex_fail(p, p->tok, "unterminated character literal (one character between quotes)%s", "");
    }
    p->cur = s + 1;
    lval->num = v;
    return INT;
}

/* "# ..." to the end of the line: any bytes, NULs included. */
static void skip_comment(struct asm_parse *p)
{
    const char *s = p->cur;
    while (s < p->end && *s != '\n')
        s++;
    p->cur = s;
}

/* After SNAPSHOT: a file name as a bare word (snapshot_vm1.bin, dir/x.bin). */
static int lex_path(struct asm_parse *p, ASM_YYSTYPE *lval)
{
    const char *s = p->cur;
    while (s < p->end && *s != '\n' && *s != '\r' && *s != ' ' && *s != '\t' && *s != '#')
        s++;
    size_t n = (size_t)(s - p->tok);
    char *out = malloc(n + 1);
    if (!out)
        return lex_fail(p, p->tok, "out of memory%s", "");
    memcpy(out, p->tok, n);
    out[n] = 0;
    p->cur = s;
    lval->bytes.p = out;
    lval->bytes.n = n;
    return STRING;
}

static int lex_number(struct asm_parse *p, const char *s, const char *e, int neg, ASM_YYSTYPE *lval)
{
    char buf[40];
    size_t n = (size_t)(e - s);
    if (n >= sizeof buf)
        return lex_fail(p, p->tok, "integer out of range%s", "");
    memcpy(buf, s, n);
    buf[n] = 0;
    errno = 0;
    unsigned long long v = strtoull(buf, NULL, 0);
    if (errno || v > 0xffffffffull)
        return lex_fail(p, p->tok, "integer '%s' does not fit in 32 bits", buf);
    lval->num = neg ? -(int64_t)v : (int64_t)v;
    return neg ? NEGINT : INT;
}

static int lex_float(struct asm_parse *p, ASM_YYSTYPE *lval)
{
    char buf[64];
    size_t n = (size_t)(p->cur - p->tok);
    if (n >= sizeof buf)
        return lex_fail(p, p->tok, "number too long%s", "");
    memcpy(buf, p->tok, n);
    buf[n] = 0;
    lval->fnum = strtod(buf, NULL);
    return FLOAT;
}

/* A '-' directly after a value ("label-4") subtracts; elsewhere ("li $t0,
 * -5", "addi $t0 $t0 -1") it is the sign of a number.  Operands need no
 * commas, so the grammar alone cannot tell the two apart. */
static int minus_is_sign(const struct asm_parse *p)
{
    if (p->tok == p->lstart)
        return 1;
    unsigned char b = (unsigned char)p->tok[-1];
    return !(b == '_' || b == '.' || b == ')' || b == '\'' || (b >= '0' && b <= '9') ||
             (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'));
}

static int lex_ident(struct asm_parse *p, ASM_YYSTYPE *lval)
{
    size_t n = (size_t)(p->cur - p->tok);
    char *s = malloc(n + 1);
    if (!s)
        return lex_fail(p, p->tok, "out of memory%s", "");
    memcpy(s, p->tok, n);
    s[n] = 0;
    lval->str = s;
    int stmt_start = p->prev == NEWLINE || p->prev == ':';
    /* "name(" at the start of a statement, or after .macro: a macro call
     * or definition, not a "label($reg)" operand. */
    if (*p->cur == '(' && (stmt_start || p->prev_macro))
        return MCALL;
    if (stmt_start && strcmp(s, "SNAPSHOT") == 0)
        p->path_mode = 1;
    return IDENT;
}

static int lex_token(struct asm_parse *p, ASM_YYSTYPE *lval, ASM_YYLTYPE *lloc)
{
    for (;;) {
        p->tok = p->cur;
        if (p->path_mode) {
            while (*p->cur == ' ' || *p->cur == '\t')
                p->cur++;
            p->tok = p->cur;
            p->path_mode = 0;
            if (p->cur < p->end && *p->cur != '"' && *p->cur != '\n' && *p->cur != '\r' &&
                *p->cur != '#')
                return lex_path(p, lval);
        }
        const unsigned char *YYCURSOR = (const unsigned char *)p->cur;
        const unsigned char *YYMARKER = NULL;
        /*!re2c
            dec   = [0-9]+;
            hex   = "0" [xX] [0-9a-fA-F]+;
            exp   = [eE] [+-]? [0-9]+;
            flt   = [0-9]+ "." [0-9]* exp? | "." [0-9]+ exp? | [0-9]+ exp;
            ident = [a-zA-Z_.] [a-zA-Z0-9_.]*;

            "\x00" {
                p->cur = (const char *)YYCURSOR;
                if (p->tok >= p->end) {
                    p->cur = p->end;
                    return END;
                }
                return lex_fail(p, p->tok, "unexpected character '%s'", "\\x00");
            }
            [ \t\f\v\r]+ { p->cur = (const char *)YYCURSOR; continue; }
            "\n" { p->cur = (const char *)YYCURSOR; return NEWLINE; }
            "#" { p->cur = (const char *)YYCURSOR; skip_comment(p); continue; }
            "\"" { p->cur = (const char *)YYCURSOR; return lex_string(p, lval); }
            "'" { p->cur = (const char *)YYCURSOR; return lex_char(p, lval); }
            dec | hex { p->cur = (const char *)YYCURSOR; return lex_number(p, p->tok, p->cur, 0, lval); }
            "-" (dec | hex) {
                p->cur = (const char *)YYCURSOR;
                if (minus_is_sign(p))
                    return lex_number(p, p->tok + 1, p->cur, 1, lval);
                p->cur = p->tok + 1;
                return '-';
            }
            flt { p->cur = (const char *)YYCURSOR; return lex_float(p, lval); }
            "-" flt {
                p->cur = (const char *)YYCURSOR;
                if (minus_is_sign(p)) {
                    int t = lex_float(p, lval);
                    return t;
                }
                p->cur = p->tok + 1;
                return '-';
            }
            "$f" [0-9]+ {
                p->cur = (const char *)YYCURSOR;
                int r = isa_freg_number(p->tok, (size_t)(p->cur - p->tok));
                if (r < 0) {
                    char name[32];
                    size_t n = (size_t)(p->cur - p->tok);
                    snprintf(name, sizeof name, "%.*s", (int)(n < 31 ? n : 31), p->tok);
                    return lex_fail(p, p->tok, "unknown register '%s' (FP registers are $f0 to $f31)", name);
                }
                lval->reg = r;
                return FREG;
            }
            "$" [a-zA-Z0-9_]+ {
                p->cur = (const char *)YYCURSOR;
                int r = isa_reg_number(p->tok, (size_t)(p->cur - p->tok));
                if (r < 0) {
                    char name[32];
                    size_t n = (size_t)(p->cur - p->tok);
                    snprintf(name, sizeof name, "%.*s", (int)(n < 31 ? n : 31), p->tok);
                    return lex_fail(p, p->tok, "unknown register '%s'", name);
                }
                lval->reg = r;
                return REG;
            }
            "%" [a-zA-Z_] [a-zA-Z0-9_]* { p->cur = (const char *)YYCURSOR; return lex_ident(p, lval) == BAD ? BAD : ARG; }
            ident { p->cur = (const char *)YYCURSOR; return lex_ident(p, lval); }
            [(),:+-] { p->cur = (const char *)YYCURSOR; return (unsigned char)*p->tok; }
            * {
                char b[8];
                p->cur = (const char *)YYCURSOR;
                return lex_fail(p, p->tok, "unexpected character '%s'", show_byte(b, (unsigned char)*p->tok));
            }
        */
    }
}

int asm_yylex(ASM_YYSTYPE *lval, ASM_YYLTYPE *lloc, struct asm_parse *p)
{
    int t = lex_token(p, lval, lloc);
    if (t == END && !p->sent_eof_nl && p->prev != NEWLINE) {
        p->sent_eof_nl = 1; /* a last line without '\n' ends like the others */
        t = NEWLINE;
    }
    if (t == MCALL || t == ARG) {
        /* lex_ident set lval->str; MCALL is only decided there */
    }
    set_loc(p, lloc);
    p->prev_macro = t == IDENT && strcmp(lval->str, ".macro") == 0;
    p->prev = t;
    if (t == NEWLINE) {
        p->line++;
        p->lstart = p->cur;
    }
    return t;
}
