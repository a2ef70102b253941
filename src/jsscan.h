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

/*
 * 12 bytes a token: the array is the largest thing the analysis holds (a
 * minified bundle has one token every 2-4 bytes), so positions are not
 * kept per token but per line (js_token_pos).
 */
struct js_token {
    uint32_t off;           /* bytes in the source */
    uint32_t len : 28;      /* bytes (JS_SRC_MAX fits) */
    uint32_t type : 3;      /* enum js_tok_type */
    uint32_t nl_before : 1; /* a line break precedes this token (for ASI) */
    int32_t match;          /* index of the partner bracket, -1 when none */
};

/* The first token starting on a line, and where that line starts. */
struct js_line {
    uint32_t tok;
    uint32_t line;  /* 1-based */
    uint32_t start; /* offset of the line's first byte */
};

struct js_tokens {
    const char *src; /* borrowed; must outlive the tokens */
    size_t srclen;   /* bytes tokenized */
    struct js_token *v;
    size_t n, cap;
    struct js_line *lines; /* one per line holding a token, in order */
    size_t nlines, lines_cap;
    uint32_t first_line;   /* line of src[0] */
    uint32_t col_base;     /* columns before src[0] on that line */
};

/* Largest script the tokenizer accepts (token lengths are 28-bit). */
#define JS_SRC_MAX (((size_t)1 << 28) - 1)

/*
 * Most token memory (tokens and line entries, JS_TOKENS_MAX of them
 * together) a script of n bytes may use: twice its length plus
 * JS_TOKENS_SLACK, so that an import's peak memory stays within three
 * times its largest entry plus 64 MB (docs/testing.md).  Minified code has
 * a token every 2-2.5 bytes, 5-6 times its size in tokens; the budget
 * covers all of such a script up to about 6 MB, and the first 2n + 24 MiB
 * worth of tokens of a larger one.  The rest of the script is not tokenized, as
 * past JS_SRC_MAX.
 */
#define JS_TOKENS_SLACK ((size_t)24 << 20)
#define JS_TOKENS_MAX(n) ((2 * (size_t)(n) + JS_TOKENS_SLACK) / sizeof(struct js_token))

/*
 * Tokenize src[0..n) into out (which must be zeroed or released before).
 * Never fails on malformed input: an unterminated string, comment, regex or
 * template ends at the end of the input (or, for strings, at the line end).
 * Inputs longer than JS_SRC_MAX are tokenized up to that length only, and
 * at most JS_TOKENS_MAX(n) tokens are kept.
 * first_line/first_col give the position of src[0] in the enclosing file
 * (for scripts inline in HTML); pass 1, 1 otherwise.
 */
void js_tokenize(const char *src, size_t n, long first_line, long first_col,
                 struct js_tokens *out);
void js_tokens_release(struct js_tokens *t);

/* Line and column (1-based, columns count bytes) where token i starts. */
void js_token_pos(const struct js_tokens *t, size_t i, long *line, long *col);

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
