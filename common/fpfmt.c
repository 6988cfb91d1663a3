/* fpfmt.c: the text of print_float/print_double and read_float/read_double
 * as SPIM and MARS have it (bh_fpfmt.h says what each style does).
 *
 * MARS's digits are Java's (JDK 19+): the shortest decimal that reads back
 * to the value, the closest to it among those of that length (ties to an
 * even last digit), and at least two digits considered when one would do
 * (so 4.9E-324, not 5.0E-324).  They are found here with the C library
 * alone: for each length p, "%.*e" gives the closest p-digit decimal;
 * when it does not read back, its neighbour on the other side of v may
 * still (the interval of values that read back is lopsided at a power of
 * two), so that one is tried too.  C's text functions run in the "C"
 * locale here (nothing calls setlocale), so the decimal point is '.'. */
#include "bh_fpfmt.h"

#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits d[0..nd) (no leading zero, no trailing zeros) and exponent x:
 * value = d[0].d[1]d[2]... * 10^x. */
struct dec {
    char d[24];
    int nd;
    int x;
};

/* Parse "%.*e" output ("-1.2345e+06") into dec; the sign is dropped. */
static void dec_from_e(const char *s, struct dec *out)
{
    out->nd = 0;
    if (*s == '-')
        s++;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && out->nd < (int)sizeof out->d - 1)
            out->d[out->nd++] = *s;
    out->x = *s == 'e' ? atoi(s + 1) : 0;
    while (out->nd > 1 && out->d[out->nd - 1] == '0')
        out->nd--;
    out->d[out->nd] = '\0';
}

/* The decimal of p digits next to dec (p digits long, trailing zeros
 * included) by one unit in the last place, up (+1) or down (-1).
 * Returns 0, or -1 when there is none (down from 1.000...). */
static int dec_step(const char *digits, int p, int x, int dir, char *text, size_t n)
{
    char d[24];
    memcpy(d, digits, (size_t)p);
    int i = p - 1;
    if (dir > 0) {
        while (i >= 0 && d[i] == '9')
            d[i--] = '0';
        if (i < 0) { /* 9.99 -> 10.0: 1.00 one decade up */
            d[0] = '1';
            x++;
        } else {
            d[i]++;
        }
    } else {
        while (i >= 0 && d[i] == '0')
            d[i--] = '9';
        if (i < 0)
            return -1;
        d[i]--;
        if (d[0] == '0') { /* 1.00 -> 0.999: 9.99 one decade down */
            memmove(d, d + 1, (size_t)p - 1);
            d[p - 1] = '9';
            x--;
        }
    }
    snprintf(text, n, "%c.%.*se%d", d[0], p - 1, d + 1, x);
    return 0;
}

static int reads_back(const char *s, double v, int is_float)
{
    return is_float ? strtof(s, NULL) == (float)v : strtod(s, NULL) == v;
}

/* The closest p-digit decimal to v that reads back to v, into s as "%e"
 * text; 0 when no p-digit decimal does. */
static int closest_of_len(double v, int p, int is_float, char *s, size_t n)
{
    snprintf(s, n, "%.*e", p - 1, v);
    if (reads_back(s, v, is_float))
        return 1;
    /* The closest p-digit decimal lies on one side of v; its neighbour on
     * the other side may still read back (the interval of values that read
     * back to v is lopsided when v is a power of two). */
    struct dec c;
    char digits[24], alt[48];
    dec_from_e(s, &c);
    memset(digits, '0', sizeof digits);
    memcpy(digits, c.d, (size_t)c.nd);
    int dir = strtod(s, NULL) < v ? 1 : -1;
    if (dec_step(digits, p, c.x, dir, alt, sizeof alt) != 0 || !reads_back(alt, v, is_float))
        return 0;
    snprintf(s, n, "%s", alt);
    return 1;
}

/* Shortest round-tripping digits of a finite nonzero |v|; is_float: the
 * value is a float (widened exactly), read back with strtof. */
static void shortest(double v, int is_float, struct dec *out)
{
    int maxp = is_float ? 9 : 17;
    char s[48];
    int p = 1;
    while (p < maxp && !closest_of_len(v, p, is_float, s, sizeof s))
        p++;
    if (p == maxp)
        closest_of_len(v, p, is_float, s, sizeof s); /* always reads back */
    else if (p == 1)
        closest_of_len(v, 2, is_float, s, sizeof s); /* Java weighs two digits
                                                        when one would do */
    dec_from_e(s, out);
}

/* Java's layout of sign and digits. */
static size_t java_layout(char *buf, size_t n, int neg, const struct dec *d)
{
    char t[BH_FP_TEXT_MAX];
    size_t k = 0;
    if (neg)
        t[k++] = '-';
    if (d->x >= -3 && d->x < 7) {
        if (d->x < 0) {
            t[k++] = '0';
            t[k++] = '.';
            for (int i = -1; i > d->x; i--)
                t[k++] = '0';
            for (int i = 0; i < d->nd; i++)
                t[k++] = d->d[i];
        } else {
            int i = 0;
            for (; i <= d->x; i++)
                t[k++] = i < d->nd ? d->d[i] : '0';
            t[k++] = '.';
            if (i >= d->nd)
                t[k++] = '0';
            for (; i < d->nd; i++)
                t[k++] = d->d[i];
        }
        t[k] = '\0';
    } else {
        t[k++] = d->d[0];
        t[k++] = '.';
        if (d->nd == 1)
            t[k++] = '0';
        for (int i = 1; i < d->nd; i++)
            t[k++] = d->d[i];
        snprintf(t + k, sizeof t - k, "E%d", d->x);
    }
    return (size_t)snprintf(buf, n, "%s", t);
}

static size_t java_fmt(char *buf, size_t n, double v, int is_float)
{
    if (isnan(v))
        return (size_t)snprintf(buf, n, "NaN");
    if (isinf(v))
        return (size_t)snprintf(buf, n, "%sInfinity", v < 0 ? "-" : "");
    if (v == 0)
        return (size_t)snprintf(buf, n, "%s0.0", signbit(v) ? "-" : "");
    struct dec d;
    shortest(fabs(v), is_float, &d);
    return java_layout(buf, n, signbit(v) != 0, &d);
}

/* The host's rounding mode and flags are the guest's business (FCSR):
 * work under round-to-nearest and give them back untouched. */
#define WITH_NEAREST(stmt)                                                                         \
    do {                                                                                           \
        fenv_t env_;                                                                               \
        fegetenv(&env_);                                                                           \
        fesetround(FE_TONEAREST);                                                                  \
        stmt;                                                                                      \
        fesetenv(&env_);                                                                           \
    } while (0)

size_t bh_fmt_float(char *buf, size_t n, float v, enum bh_fp_style s)
{
    size_t r;
    if (s == BH_FP_MARS)
        WITH_NEAREST(r = java_fmt(buf, n, v, 1));
    else
        WITH_NEAREST(r = (size_t)snprintf(buf, n, "%.8f", (double)v));
    return r;
}

size_t bh_fmt_double(char *buf, size_t n, double v, enum bh_fp_style s)
{
    size_t r;
    if (s == BH_FP_MARS)
        WITH_NEAREST(r = java_fmt(buf, n, v, 0));
    else
        WITH_NEAREST(r = (size_t)snprintf(buf, n, "%.18g", v));
    return r;
}

/* ---- reading ---- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_xdigit(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Java's Float/Double.parseFloat syntax on t[0..n) (already trimmed).
 * Returns 1 with *num_len = the length of the number without its f/F/d/D
 * suffix, 2 for NaN, 3 for Infinity (sign in *neg), 0 when refused. */
static int java_syntax(const char *t, size_t n, size_t *num_len, int *neg)
{
    size_t i = 0;
    *neg = 0;
    if (i < n && (t[i] == '+' || t[i] == '-'))
        *neg = t[i++] == '-';
    if (n - i == 3 && memcmp(t + i, "NaN", 3) == 0)
        return 2;
    if (n - i == 8 && memcmp(t + i, "Infinity", 8) == 0)
        return 3;
    size_t digits = 0;
    if (n - i >= 2 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')) {
        i += 2;
        for (; i < n && is_xdigit(t[i]); i++)
            digits++;
        if (i < n && t[i] == '.')
            for (i++; i < n && is_xdigit(t[i]); i++)
                digits++;
        if (!digits || i >= n || (t[i] != 'p' && t[i] != 'P'))
            return 0; /* hex needs digits and a binary exponent */
        i++;
    } else {
        for (; i < n && is_digit(t[i]); i++)
            digits++;
        if (i < n && t[i] == '.')
            for (i++; i < n && is_digit(t[i]); i++)
                digits++;
        if (!digits)
            return 0;
        if (i == n || (t[i] != 'e' && t[i] != 'E'))
            goto suffix;
        i++;
    }
    if (i < n && (t[i] == '+' || t[i] == '-'))
        i++;
    if (i == n || !is_digit(t[i]))
        return 0;
    while (i < n && is_digit(t[i]))
        i++;
suffix:
    *num_len = i;
    if (i < n && (t[i] == 'f' || t[i] == 'F' || t[i] == 'd' || t[i] == 'D'))
        i++;
    return i == n ? 1 : 0;
}

/* A NUL-terminated copy of s[0..n): into small when it fits, else malloc'd
 * (*heap set).  NULL when memory runs out. */
static char *cstr(const char *s, size_t n, char *small, size_t cap, char **heap)
{
    char *p = small;
    *heap = NULL;
    if (n >= cap) {
        p = *heap = malloc(n + 1);
        if (!p)
            return NULL;
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Read line[0..len) in style s; is_float: the result is a float (SPIM
 * still reads a double and narrows it, as (float)atof does; Java rounds
 * the decimal to float once). */
static int parse(const char *line, size_t len, double *d, float *f, int is_float,
                 enum bh_fp_style s)
{
    char small[264], *heap, *p;
    if (s == BH_FP_SPIM) {
        const char *nul = memchr(line, '\0', len);
        if (nul)
            len = (size_t)(nul - line);
        if (!(p = cstr(line, len, small, sizeof small, &heap)))
            return -1;
        double v = strtod(p, NULL);
        if (is_float)
            *f = (float)v;
        else
            *d = v;
        free(heap);
        return 0;
    }
    /* Java's String.trim: every char up to U+0020 (NUL included) goes. */
    while (len && (unsigned char)line[0] <= ' ')
        line++, len--;
    while (len && (unsigned char)line[len - 1] <= ' ')
        len--;
    size_t num_len;
    int neg;
    switch (java_syntax(line, len, &num_len, &neg)) {
    case 0:
        return -1;
    case 2: /* Java's one NaN, whatever the sign */
        if (is_float)
            *f = NAN;
        else
            *d = NAN;
        return 0;
    case 3:
        if (is_float)
            *f = neg ? -INFINITY : INFINITY;
        else
            *d = neg ? -INFINITY : INFINITY;
        return 0;
    }
    if (!(p = cstr(line, num_len, small, sizeof small, &heap)))
        return -1;
    if (is_float)
        *f = strtof(p, NULL);
    else
        *d = strtod(p, NULL);
    free(heap);
    return 0;
}

int bh_parse_float(const char *line, size_t len, float *out, enum bh_fp_style s)
{
    int r;
    float f = 0;
    WITH_NEAREST(r = parse(line, len, NULL, &f, 1, s));
    if (r == 0)
        *out = f;
    return r;
}

int bh_parse_double(const char *line, size_t len, double *out, enum bh_fp_style s)
{
    int r;
    double d = 0;
    WITH_NEAREST(r = parse(line, len, &d, NULL, 0, s));
    if (r == 0)
        *out = d;
    return r;
}
