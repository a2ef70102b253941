/*
 * filter_int.h - private interface between the three parts of the filter
 * language: filter_lex.c (characters, words, errors at a column), under
 * filter_term.c (one term: keys, values, SQL templates), under filter.c
 * (and/or/not, SQL generation, the public API).  Calls run only downwards.
 */
#ifndef PM_FILTER_INT_H
#define PM_FILTER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* A value to bind; or, for range, the caller's id bounds (filter_bind). */
enum filter_range { FR_NONE, FR_LO, FR_HI };

struct filter_param {
    int is_int;
    int64_t num;
    char *text;
    enum filter_range range;
};

enum filter_node_kind { FN_ATOM, FN_AND, FN_OR, FN_NOT };

struct filter_node {
    enum filter_node_kind kind;
    /* FN_AND / FN_OR: kids; FN_NOT: kids[0] */
    struct filter_node **kids;
    int nkids;
    /* FN_ATOM: a static SQL template and its values, in placeholder order */
    const char *sql;
    struct filter_param params[4];
    int nparams;
};

struct filter_parser {
    const char *s;
    size_t len;
    size_t pos;
    int depth;
    int terms;
    struct pm_err *err;
};

/* ---- filter_lex.c ------------------------------------------------------- */

/*
 * Record a syntax error at byte offset pos of the expression (reported as
 * a 1-based character column); returns PM_ERR_USAGE.
 */
enum pm_rc filter_parse_error(struct filter_parser *p, size_t pos,
                              const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Length of the well-formed UTF-8 sequence at s[i] (1..4), or 0 when the
 * byte there does not start one (a column counts one of either).
 */
size_t filter_utf8_seq_len(const unsigned char *s, size_t len, size_t i);

/* A blank: space, tab, newline, carriage return, vertical tab, form feed. */
int filter_is_space(char c);

/* The byte at the current position, '\0' at the end. */
char filter_peek(const struct filter_parser *p);

/* A character that ends an unquoted word or value (blank, paren, end). */
int filter_is_terminator(char c);

/* Length of the unquoted word at byte offset pos. */
size_t filter_word_len(const struct filter_parser *p, size_t pos);

/* ---- filter_term.c ------------------------------------------------------ */

/*
 * Parse one term (anything but an operator or a parenthesis) at the
 * current position into an FN_ATOM node; counts it against
 * FILTER_MAX_TERMS.
 */
enum pm_rc filter_parse_term(struct filter_parser *p,
                             struct filter_node **out);

#endif
