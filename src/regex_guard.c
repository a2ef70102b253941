/*
 * regex_guard.c - the expanded-size estimate of regex_guard.h.
 *
 * A recursive descent over the ERE grammar that only measures: size of a
 * sequence = sum of (atom size x repeat factor), a group's size is the sum
 * of its alternatives, a bracket expression or escaped character counts 1.
 * Factors follow how glibc expands repeats: * and ? keep one copy, + two,
 * {m,n} n+1.  A repeat right after a repeat (a++, a*{9}) is undefined in
 * POSIX and doubles glibc's tree each time, so it is refused outright.
 */
#include "regex_guard.h"

#include <string.h>

struct guard {
    const char *s;
    size_t i, n;
    int depth;
    size_t at;
    const char *why;
};

static long guard_alt(struct guard *g);
static int guard_fail(struct guard *g, size_t at, const char *why);

/* *total += size; -1 (refused at the current position) past the limit. */
static int
guard_add(struct guard *g, long *total, long size)
{
    *total += size;
    if (*total <= REGEX_EXPANDED_MAX)
        return 0;
    return guard_fail(g, g->i > 0 ? g->i - 1 : 0,
                      "the pattern is too large once its repeats are "
                      "copied out");
}

static int
guard_fail(struct guard *g, size_t at, const char *why)
{
    if (g->why == NULL) {
        g->at = at;
        g->why = why;
    }
    return -1;
}

/* Skip a bracket expression starting at '['; stops past its ']'. */
static void
guard_bracket(struct guard *g)
{
    g->i++;
    if (g->i < g->n && g->s[g->i] == '^')
        g->i++;
    if (g->i < g->n && g->s[g->i] == ']')
        g->i++;
    while (g->i < g->n && g->s[g->i] != ']') {
        if (g->s[g->i] == '[' && g->i + 1 < g->n &&
            strchr(":.=", g->s[g->i + 1]) != NULL) {
            char close = g->s[g->i + 1];
            g->i += 2;
            while (g->i + 1 < g->n &&
                   !(g->s[g->i] == close && g->s[g->i + 1] == ']'))
                g->i++;
            g->i += 2;
            continue;
        }
        g->i++;
    }
    if (g->i < g->n)
        g->i++;
}

/* Parse {m}, {m,}, {m,n} or {,n} (glibc reads it as {0,n}) at g->i; the
 * copies it asks for, 0 if it is not an interval (then '{' is left for
 * regcomp to judge), -1 on refusal. */
static long
guard_interval(struct guard *g)
{
    size_t j = g->i + 1;
    long m = 0, n = -1;
    int digits = 0;
    /* values saturate: any count past the limit is refused the same */
    while (j < g->n && g->s[j] >= '0' && g->s[j] <= '9') {
        if (m <= 100000)
            m = m * 10 + (g->s[j] - '0');
        j++;
        digits++;
    }
    if (!digits && !(j < g->n && g->s[j] == ','))
        return 0;
    if (j < g->n && g->s[j] == ',') {
        j++;
        if (j < g->n && g->s[j] >= '0' && g->s[j] <= '9') {
            n = 0;
            while (j < g->n && g->s[j] >= '0' && g->s[j] <= '9') {
                if (n <= 100000)
                    n = n * 10 + (g->s[j] - '0');
                j++;
            }
        }
    }
    if (j >= g->n || g->s[j] != '}')
        return 0;
    long most = n > m ? n : m;
    if (most > REGEX_REPEAT_MAX)
        return guard_fail(g, g->i, "a repeat count over 255");
    g->i = j + 1;
    return most + 1;
}

/* A concatenation, up to '|', ')' or the end. */
static long
guard_seq(struct guard *g)
{
    long total = 0;
    while (g->i < g->n && g->s[g->i] != '|' && g->s[g->i] != ')') {
        long size = 1;
        char c = g->s[g->i];
        if (c == '(') {
            if (++g->depth > REGEX_GROUP_DEPTH_MAX)
                return guard_fail(g, g->i, "groups nested deeper than 32");
            g->i++;
            size = guard_alt(g);
            if (size < 0)
                return -1;
            g->depth--;
            if (g->i < g->n)
                g->i++; /* ')' */
        } else if (c == '[') {
            guard_bracket(g);
        } else if (c == '\\') {
            g->i += g->i + 1 < g->n ? 2 : 1;
        } else {
            g->i++;
        }
        int repeats = 0;
        while (g->i < g->n && strchr("*+?{", g->s[g->i]) != NULL) {
            size_t at = g->i;
            long factor;
            if (g->s[g->i] == '{') {
                factor = guard_interval(g);
                if (factor < 0)
                    return -1;
                if (factor == 0)
                    break;
            } else {
                factor = g->s[g->i] == '+' ? 2 : 1;
                g->i++;
            }
            if (repeats++ > 0)
                return guard_fail(g, at, "a repeat right after a repeat");
            size *= factor;
            if (size > REGEX_EXPANDED_MAX)
                break;
        }
        if (guard_add(g, &total, size))
            return -1;
    }
    return total;
}

/* Alternatives separated by '|', up to ')' or the end. */
static long
guard_alt(struct guard *g)
{
    long total = guard_seq(g);
    while (total >= 0 && g->i < g->n && g->s[g->i] == '|') {
        g->i++;
        long more = guard_seq(g);
        if (more < 0 || guard_add(g, &total, more))
            return -1;
    }
    return total;
}

int
regex_guard(const char *re, size_t *at, const char **why)
{
    struct guard g = {.s = re, .n = strlen(re)};
    long total = 0;
    while (g.i < g.n) {
        long size = guard_alt(&g);
        if (size < 0 || guard_add(&g, &total, size)) {
            *at = g.at;
            *why = g.why;
            return -1;
        }
        if (g.i < g.n)
            g.i++; /* an unmatched ')', literal to glibc */
    }
    return 0;
}
