/* bh_fpfmt.h: the text of the floating-point syscalls, as SPIM 8.0 and
 * MARS 4.5 write and read it (print_float 2, print_double 3, read_float 6,
 * read_double 7).  Pure functions: no I/O, no VM types.
 *
 * SPIM (syscall.cc): print_float is C's "%.8f" of the float, print_double
 * "%.18g" of the double (so 1.5f prints "1.50000000", 0.1 prints
 * "0.100000000000000006", NaN "nan" or "-nan", infinity "inf" / "-inf").
 * read_float is (float)atof(line) and read_double atof(line): leading
 * white space, then the longest prefix C's strtod accepts (decimal, hex,
 * "inf", "nan"); anything else gives 0.0.  SPIM never refuses a line.
 *
 * MARS (Java): print_float is Float.toString, print_double Double.toString
 * as JDK 19 and later define them (the shortest decimal that reads back to
 * the same value, the closest one of that length; "1.0", "1.0E10",
 * "1.0E-5", "NaN", "Infinity", "-0.0"; plain notation from 10^-3 up to but
 * not including 10^7).  JDK 17 and older print one digit more for a few
 * values (JDK-4511638).  read_float/read_double are Float.parseFloat /
 * Double.parseDouble of the line with everything up to U+0020 trimmed at
 * both ends: Java's syntax only (optional sign, "NaN", "Infinity", decimal
 * with optional exponent, hex with a required 'p' exponent, an optional
 * f/F/d/D suffix).  Any other line is refused (-1): MARS then stops the
 * program with "invalid float input (syscall 6)" / "invalid double input
 * (syscall 7)".  (At the end of input MARS 4.5 stops too, on a
 * NullPointerException; spim reads an empty line, so 0.0.)
 *
 * The results do not depend on the caller's rounding mode, and the host's
 * floating-point flags are left as they were (the guest's FCSR may mirror
 * them). */
#ifndef BH_FPFMT_H
#define BH_FPFMT_H

#include <stddef.h>

enum bh_fp_style { BH_FP_SPIM, BH_FP_MARS };

/* A buffer of this size holds any text bh_fmt_float/bh_fmt_double write
 * (the longest is SPIM's "%.8f" of -FLT_MAX: 49 characters). */
#define BH_FP_TEXT_MAX 64

/* The text print_float (syscall 2) / print_double (syscall 3) writes for v,
 * as SPIM 8.0 or MARS 4.5 prints it; NUL-terminated; returns strlen.  A
 * buffer shorter than BH_FP_TEXT_MAX may truncate the text (as snprintf
 * does: the return value is still the full length). */
size_t bh_fmt_float(char *buf, size_t n, float v, enum bh_fp_style s);
size_t bh_fmt_double(char *buf, size_t n, double v, enum bh_fp_style s);

/* Convert one input line (without or with its newline) as read_float
 * (syscall 6) / read_double (7) does: returns 0 and sets *out, or -1 when the
 * style refuses the text.  BH_FP_SPIM never refuses (a line that is not a
 * number gives 0.0; the text stops at the first NUL, as atof's does).
 * BH_FP_MARS refuses what Java refuses; the caller then stops the program as
 * MARS does.  -1 also when memory runs out (a line longer than 255 bytes
 * needs a copy). */
int bh_parse_float(const char *line, size_t len, float *out, enum bh_fp_style s);
int bh_parse_double(const char *line, size_t len, double *out, enum bh_fp_style s);

#endif
