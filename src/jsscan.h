/*
 * jsscan.h - a JavaScript tokenizer for static postMessage analysis.
 *
 * It turns a script (possibly a multi-megabyte one-line bundle) into an
 * array of tokens with byte offsets and line:col, and pairs every bracket
 * with its partner so callers can skip a whole call or block in O(1).
 * Comments and whitespace are dropped; strings, template literal chunks and
 * regex literals are single tokens.  See jsscan.c for why this is not a
 * parser.
 */
#ifndef PM_JSSCAN_H
#define PM_JSSCAN_H

#include <stddef.h>
#include <stdint.h>

enum js_tok_type {
    JS_IDENT,    /* identifiers and keywords (also #private names) */
    JS_NUM,
    JS_STR,      /* '...' or "..." including the quotes */
    JS_TEMPLATE, /* one chunk of a template literal: `..${  or  }..${  or  }..` */
    JS_REGEX,    /* /.../flags */
    JS_PUNCT,
};

struct js_token {
    uint32_t off, len;  /* bytes in the source */
    uint32_t line, col; /* 1-based; col counts bytes */
    int32_t match;      /* index of the partner bracket, -1 when none */
    uint8_t type;       /* enum js_tok_type */
    uint8_t nl_before;  /* a line break precedes this token (for ASI) */
};

struct js_tokens {
    const char *src; /* borrowed; must outlive the tokens */
    size_t srclen;
    struct js_token *v;
    size_t n, cap;
};

/* Largest script the tokenizer accepts (offsets are 32-bit). */
#define JS_SRC_MAX ((size_t)256 << 20)

/*
 * Tokenize src[0..n) into out (which must be zeroed or released before).
 * Never fails on malformed input: an unterminated string, comment, regex or
 * template ends at the end of the input (or, for strings, at the line end).
 * Inputs longer than JS_SRC_MAX are tokenized up to that length only.
 * first_line/first_col give the position of src[0] in the enclosing file
 * (for scripts inline in HTML); pass 1, 1 otherwise.
 */
void js_tokenize(const char *src, size_t n, long first_line, long first_col,
                 struct js_tokens *out);
void js_tokens_release(struct js_tokens *t);

/* 1 when token i is the identifier or punctuator s (exact text).  Inline
 * so that strlen of a literal folds to a constant; the first byte is
 * compared before strlen because word lists call this with non-literals. */
static inline int
js_is(const struct js_tokens *t, size_t i, const char *s)
{
    if (i >= t->n)
        return 0;
    const struct js_token *v = &t->v[i];
    if (v->len == 0 || t->src[v->off] != s[0])
        return v->len == 0 && s[0] == '\0';
    size_t l = __builtin_strlen(s);
    return v->len == l && __builtin_memcmp(t->src + v->off, s, l) == 0;
}

/* 1 when token i is a punctuator equal to s. */
static inline int
js_is_punct(const struct js_tokens *t, size_t i, const char *s)
{
    return i < t->n && t->v[i].type == JS_PUNCT && js_is(t, i, s);
}

/* 1 when token i is an identifier equal to s. */
static inline int
js_is_ident(const struct js_tokens *t, size_t i, const char *s)
{
    return i < t->n && t->v[i].type == JS_IDENT && js_is(t, i, s);
}

/*
 * The value of a string or no-substitution template token with escapes
 * decoded (\n, \xHH, \uHHHH, \u{...} as UTF-8).  Returns 0 and fills out
 * (NUL-terminated, truncated to outsz-1) when token i is such a literal,
 * -1 otherwise.
 */
int js_string_value(const struct js_tokens *t, size_t i, char *out,
                    size_t outsz);

/* 1 when the token at i is a keyword after which '/' starts a regex. */
int js_keyword_before_expr(const char *s, size_t n);

#endif
