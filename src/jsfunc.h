/*
 * jsfunc.h - functions, expressions and name indexes over a script's
 * tokens (jsfunc.c), shared by the listener finder (analyze.c) and the
 * handler classifier (classify*.c).  Not used outside the analysis.
 */
#ifndef PM_JSFUNC_H
#define PM_JSFUNC_H

#include <stddef.h>
#include <stdint.h>

#include "jsscan.h"

/* A function in the token stream. */
struct js_func {
    size_t start;        /* first token (function/async/param/name) */
    size_t params_open;  /* '(' or the single parameter identifier */
    size_t params_close; /* ')' or == params_open for `x => ...` */
    size_t body_start;   /* '{' of a block body, or first expression token */
    size_t body_end;     /* one past the last body token */
};

/*
 * Name indexes, built once per script on first use and sorted by (hash,
 * position) so a lookup is a binary search even in bundles with thousands
 * of listeners and of functions called `t`.
 */
struct js_decl {
    uint32_t hash;
    uint32_t name_tok;
    uint32_t func_tok;   /* function: where js_func_at parses it; value: first token */
};

struct js_index {
    struct js_decl *v;
    size_t n;
    int built;
};

/*
 * Classifying a handler walks its body (and the helpers it calls), so
 * handlers nested inside handlers, or thousands of listeners sharing one
 * large helper, would cost the square of the script's size.  Each script
 * gets a budget of body tokens to walk, linear in its length; handlers and
 * helpers past it are reported as not analysed instead.
 */
#define CLASSIFY_WORK_PER_TOKEN 4
#define CLASSIFY_WORK_MIN 20000

struct jsm;

struct js_script {
    struct js_tokens t;
    const struct jsm *model; /* the parsed script (jsmodel.h) when there is one */
    struct js_index decls;  /* declared functions */
    struct js_index values; /* NAME = <value> assignments, { NAME: <value> } keys */
    size_t work_left;       /* body tokens that may still be walked */
};

/* Set s->work_left for a script of s->t.n tokens. */
void js_script_budget(struct js_script *s);

/* Free the script's tokens and indexes. */
void js_script_release(struct js_script *s);

/* Parse a function (expression, declaration, arrow or method) at token i. */
int js_func_at(const struct js_tokens *t, size_t i, struct js_func *f);

/*
 * One past the end of the expression starting at token i: stops at ',' or
 * ';' at depth 0, at a closing bracket of an enclosing group, at limit, or
 * at a line break where automatic semicolon insertion ends the statement.
 */
size_t js_expr_end(const struct js_tokens *t, size_t i, size_t limit);

/*
 * Find the function declared as name (function NAME, NAME = function/arrow,
 * NAME: function, method NAME(){}) nearest to token near.  1 when found.
 */
int js_resolve_function(struct js_script *s, const char *name, size_t len,
                        size_t near, struct js_func *f);

/*
 * The initializer of a variable named name (NAME = <tok>), the nearest to
 * token near: returns the index of its first token, or (size_t)-1.
 */
size_t js_resolve_value(struct js_script *s, const char *name, size_t len,
                        size_t near);

/* Bytes [start, end) of a script. */
struct js_window {
    size_t start, end;
};

/*
 * Where message code can be: for each token that names the message event
 * ('message', 'onmessage'), the outermost block around it that fits its
 * share of budget bytes (else its statement), merged and in order.  *out
 * (free it) gets the windows; returns how many (0: no such token).
 */
size_t js_message_windows(const struct js_tokens *t, size_t budget,
                          struct js_window **out);

/*
 * The value token of name when the script assigns it exactly once (NAME =
 * value, { NAME: value }), else (size_t)-1: a constant to rely on.
 */
size_t js_resolve_constant(struct js_script *s, const char *name, size_t len);

/*
 * The value tokens of up to max assignments to name (NAME = value, { NAME:
 * value }), in index order: what a variable assigned several times can
 * hold.  Returns how many.
 */
size_t js_values_named(struct js_script *s, const char *name, size_t len,
                       size_t *v, size_t max);

/* More than one function is declared as name in the script. */
int js_name_declared_again(struct js_script *s, const char *name, size_t len);

/* Index of the first token starting at or after byte off. */
size_t js_token_at(const struct js_tokens *t, size_t off);

/* Token k is a closing bracket: ')', ']' or '}'. */
int js_is_closer(const struct js_tokens *t, size_t k);

/* Copy the source text of tokens [a, b) into out, truncated, one line. */
void js_text(const struct js_tokens *t, size_t a, size_t b, char *out,
             size_t outsz);

#endif
