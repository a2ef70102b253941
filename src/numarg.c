/*
 * numarg.c - strict parsing of numbers from the command line; see
 * numarg.h.  Every numeric option of every command goes through here, so
 * "-1", "1e3", " 5", "0x10" and values past the range are refused the
 * same way everywhere (exit 2, naming the option and what it takes).
 */
#include "numarg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "term_text.h"

int
numarg_whole(const char *text, long long lo, long long hi, long long *out)
{
    if (text == NULL || text[0] == '\0')
        return -1;
    for (const char *p = text; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int
numarg_decimal(const char *text, double lo, double hi, double *out)
{
    if (text == NULL)
        return -1;
    const char *p = text;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (digits == 0 || *p)
        return -1;
    errno = 0;
    char *end;
    double v = strtod(text, &end);
    if (errno || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

int
numarg_usage(const char *option, const char *text, const char *expected)
{
    struct pm_buf b;
    pm_buf_init(&b);
    term_text_fits(&b, text ? text : "", 80, TT_ELLIPSIS);
    fprintf(stderr, "pmscope: bad %s '%s': expected %s\n", option, b.data,
            expected);
    pm_buf_release(&b);
    return 2;
}
