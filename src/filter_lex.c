/*
 * filter_lex.c - the character level of the filter language (filter.h),
 * shared by the expression parser (filter.c) and the term parser
 * (filter_term.c): blanks and word boundaries, and syntax errors placed at
 * a character column.  It calls neither of them, so both depend on it and
 * not on each other's internals.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "filter_int.h"

/*
 * Length of the well-formed UTF-8 sequence at s[i] (1..4), or 0 when the
 * byte there does not start one.  Columns count one per sequence and one
 * per stray byte, the same way filter_error_caret draws them.
 */
size_t
filter_utf8_seq_len(const unsigned char *s, size_t len, size_t i)
{
    unsigned char c = s[i];
    size_t n;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > len)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

static long
column_of(const char *s, size_t len, size_t pos)
{
    long col = 1;
    size_t i = 0;
    while (i < pos && i < len) {
        size_t n = filter_utf8_seq_len((const unsigned char *)s, len, i);
        i += n ? n : 1;
        col++;
    }
    return col;
}

enum pm_rc
filter_parse_error(struct filter_parser *p, size_t pos, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pm_err_at(p->err, PM_ERR_USAGE, "filter", 1,
                     column_of(p->s, p->len, pos), "%s", msg);
}

int
filter_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/* A character that ends an unquoted word or value. */
int
filter_is_terminator(char c)
{
    return c == '\0' || filter_is_space(c) || c == '(' || c == ')';
}

char
filter_peek(const struct filter_parser *p)
{
    return p->pos < p->len ? p->s[p->pos] : '\0';
}

/* Length of the unquoted word at pos. */
size_t
filter_word_len(const struct filter_parser *p, size_t pos)
{
    size_t n = 0;
    while (pos + n < p->len && !filter_is_terminator(p->s[pos + n]))
        n++;
    return n;
}
