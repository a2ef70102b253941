/*
 * jsscan.c - the JavaScript tokenizer behind listener and send-site
 * analysis.
 *
 * Why hand-written and not a real parser: pmscope reads whatever pages
 * ship -- multi-megabyte minified bundles, code cut out of HTML, handler
 * sources printed by Function.prototype.toString, files that are truncated
 * or not even valid JavaScript.  A conforming parser rejects or chokes on
 * much of that, needs a grammar for every new syntax, and would be a large
 * dependency.  What the analysis needs is much less: the lexical structure
 * (strings, template literals with nested ${}, regex literals versus
 * division, comments) and matched brackets.  A single forward pass that
 * never fails gives exactly that at memory-bandwidth speed; the pattern
 * matching on the token stream lives in analyze.c and classify.c.
 *
 * Regex versus division is decided from the previous significant token, as
 * in the classic "sweet.js"/"esprima tokenizer" heuristic: after an
 * expression end (identifier that is not an operator keyword, number,
 * string, `)`, `]`) a slash divides, otherwise it starts a regex.  A `}`
 * counts as the end of a block (regex follows), which is right for the
 * statement positions where regexes appear in real code.
 */
#include "jsscan.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define TEMPLATE_DEPTH_MAX 256

static const unsigned char ident_tab[256] = {
    ['$'] = 1, ['_'] = 1,
    ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2,
    ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
};

static inline int
is_ident_start(unsigned char c)
{
    return ident_tab[c] == 1 || c >= 0x80 || c == '\\';
}

/* ident_tab with every byte >= 0x80 (UTF-8 letters) as part of a name. */
static unsigned char ident_part_tab[256];

static void
ident_part_init(void)
{
    if (ident_part_tab['a'])
        return;
    for (int c = 0; c < 256; c++)
        ident_part_tab[c] = ident_tab[c] != 0 || c >= 0x80;
}

static inline int
is_ident_part(unsigned char c)
{
    return ident_part_tab[c];
}

int
js_keyword_before_expr(const char *s, size_t n)
{
    static const char *const kw[] = {
        "return", "typeof", "instanceof", "in", "of", "new", "delete",
        "void", "throw", "case", "do", "else", "yield", "await", NULL,
    };
    for (int i = 0; kw[i]; i++)
        if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0)
            return 1;
    return 0;
}

/*
 * Length of the punctuator at p (rem bytes left): the longest of
 * >>>= ... === !== **= <<= >>= >>> &&= ||= ??= => == != <= >= && || ?? ?.
 * ++ -- += -= *= /= %= &= |= ^= << >> **, else 1.
 */
static size_t
punct_len(const char *p, size_t rem)
{
    char a = p[0], b = rem > 1 ? p[1] : 0, c = rem > 2 ? p[2] : 0,
         d = rem > 3 ? p[3] : 0;
    switch (a) {
    case '>':
        if (b == '>')
            return c == '>' ? (d == '=' ? 4 : 3) : (c == '=' ? 3 : 2);
        return b == '=' ? 2 : 1;
    case '<':
        if (b == '<')
            return c == '=' ? 3 : 2;
        return b == '=' ? 2 : 1;
    case '=':
        if (b == '=')
            return c == '=' ? 3 : 2;
        return b == '>' ? 2 : 1;
    case '!':
        if (b == '=')
            return c == '=' ? 3 : 2;
        return 1;
    case '.':
        return b == '.' && c == '.' ? 3 : 1;
    case '*':
        if (b == '*')
            return c == '=' ? 3 : 2;
        return b == '=' ? 2 : 1;
    case '&': case '|': case '?':
        if (b == a)
            return c == '=' ? 3 : 2;
        if (a == '?' && b == '.')
            return 2;
        return b == '=' && a != '?' ? 2 : 1;
    case '+': case '-':
        return b == a || b == '=' ? 2 : 1;
    case '/': case '%': case '^':
        return b == '=' ? 2 : 1;
    default:
        return 1;
    }
}

struct scanner {
    const char *s;
    size_t n, i;
    uint32_t line;
    size_t line_start; /* offset of the current line's first byte */
    int nl;            /* a newline was seen since the last token */
    struct js_tokens *out;
    /* bracket pairing */
    int32_t *stack;
    size_t sp, scap;
    /* template literal nesting: brace depth at each open ${ */
    size_t tstack[TEMPLATE_DEPTH_MAX];
    size_t tsp;
    size_t brace_depth;
};

static void
newline_at(struct scanner *sc, size_t pos)
{
    sc->line++;
    sc->line_start = pos + 1;
    sc->nl = 1;
}

/* Token t->n starts on line (which starts at line_start): note the line
 * when it is not the previous token's. */
static void
note_line(struct js_tokens *t, uint32_t line, size_t line_start)
{
    if (t->nlines > 0 && t->lines[t->nlines - 1].line == line)
        return;
    if (t->nlines == t->lines_cap) {
        t->lines_cap = t->lines_cap ? t->lines_cap * 2 : 64;
        t->lines = xrealloc(t->lines, t->lines_cap * sizeof *t->lines);
    }
    t->lines[t->nlines].tok = (uint32_t)t->n;
    t->lines[t->nlines].line = line;
    t->lines[t->nlines].start = (uint32_t)line_start;
    t->nlines++;
}

static void
emit(struct scanner *sc, enum js_tok_type type, size_t start, uint32_t line,
     size_t line_start)
{
    struct js_tokens *t = sc->out;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    note_line(t, line, line_start);
    struct js_token *k = &t->v[t->n];
    k->off = (uint32_t)start;
    k->len = (uint32_t)(sc->i - start);
    k->match = -1;
    k->type = (uint32_t)type;
    k->nl_before = sc->nl != 0;
    sc->nl = 0;

    if (type == JS_PUNCT && k->len == 1) {
        char c = sc->s[start];
        if (c == '(' || c == '[' || c == '{') {
            if (sc->sp == sc->scap) {
                sc->scap = sc->scap ? sc->scap * 2 : 256;
                sc->stack = xrealloc(sc->stack, sc->scap * sizeof *sc->stack);
            }
            sc->stack[sc->sp++] = (int32_t)t->n;
        } else if (c == ')' || c == ']' || c == '}') {
            char open = c == ')' ? '(' : c == ']' ? '[' : '{';
            /* Pop to the nearest matching opener; stray closers stay -1. */
            size_t j = sc->sp;
            while (j > 0 && sc->s[t->v[sc->stack[j - 1]].off] != open)
                j--;
            if (j > 0) {
                int32_t o = sc->stack[j - 1];
                t->v[o].match = (int32_t)t->n;
                k->match = o;
                sc->sp = j - 1;
            }
        }
    }
    t->n++;
}

/* Previous token allows a regex here (see the file comment). */
static int
regex_allowed(const struct scanner *sc)
{
    const struct js_tokens *t = sc->out;
    if (t->n == 0)
        return 1;
    const struct js_token *p = &t->v[t->n - 1];
    const char *ps = sc->s + p->off;
    switch (p->type) {
    case JS_IDENT:
        return js_keyword_before_expr(ps, p->len);
    case JS_NUM: case JS_STR: case JS_REGEX:
        return 0;
    case JS_TEMPLATE:
        return ps[p->len - 1] != '`' ? 1 : 0;
    default:
        if (p->len == 1 && ps[0] == ')' && p->match > 0) {
            /* `if (c) /re/.test(s)`: after a statement head a regex starts */
            const struct js_token *h = &t->v[p->match - 1];
            const char *hs = sc->s + h->off;
            return h->type == JS_IDENT &&
                   ((h->len == 2 && memcmp(hs, "if", 2) == 0) ||
                    (h->len == 3 && memcmp(hs, "for", 3) == 0) ||
                    (h->len == 4 && memcmp(hs, "with", 4) == 0) ||
                    (h->len == 5 && memcmp(hs, "while", 5) == 0));
        }
        if (p->len == 1 && (ps[0] == ')' || ps[0] == ']'))
            return 0;
        if (p->len == 2 && (memcmp(ps, "++", 2) == 0 || memcmp(ps, "--", 2) == 0))
            return 0;
        return 1;
    }
}

/* Scan a quoted string starting at sc->i (the quote). */
static void
scan_string(struct scanner *sc)
{
    char q = sc->s[sc->i++];
    while (sc->i < sc->n) {
        char c = sc->s[sc->i];
        if (c == q) {
            sc->i++;
            return;
        }
        if (c == '\\') {
            if (sc->i + 1 < sc->n && sc->s[sc->i + 1] == '\n')
                newline_at(sc, sc->i + 1);
            sc->i += 2;
            continue;
        }
        if (c == '\n')
            return; /* unterminated: stop at the line end */
        sc->i++;
    }
    if (sc->i > sc->n)
        sc->i = sc->n;
}

/*
 * Scan template characters from sc->i up to and including the closing
 * backtick or a `${` (which opens an expression).  Returns 1 when it stopped
 * at `${`.
 */
static int
scan_template_chars(struct scanner *sc)
{
    while (sc->i < sc->n) {
        char c = sc->s[sc->i];
        if (c == '`') {
            sc->i++;
            return 0;
        }
        if (c == '\\') {
            sc->i += 2;
            continue;
        }
        if (c == '$' && sc->i + 1 < sc->n && sc->s[sc->i + 1] == '{') {
            sc->i += 2;
            return 1;
        }
        if (c == '\n')
            newline_at(sc, sc->i);
        sc->i++;
    }
    if (sc->i > sc->n)
        sc->i = sc->n;
    return 0;
}

/* Try a regex literal at sc->i ('/'); 0 when it is not one (no end on the line). */
static int
scan_regex(struct scanner *sc)
{
    size_t j = sc->i + 1;
    int in_class = 0;
    while (j < sc->n) {
        char c = sc->s[j];
        if (c == '\n' || c == '\r')
            return 0;
        if (c == '\\') {
            j += 2;
            continue;
        }
        if (c == '[')
            in_class = 1;
        else if (c == ']')
            in_class = 0;
        else if (c == '/' && !in_class)
            break;
        j++;
    }
    if (j >= sc->n)
        return 0;
    j++;
    while (j < sc->n && is_ident_part((unsigned char)sc->s[j]))
        j++;
    sc->i = j;
    return 1;
}

static void
scan_number(struct scanner *sc, size_t start)
{
    const char *s = sc->s;
    int hex = sc->i < sc->n && s[start] == '0' &&
              (s[start + 1] == 'x' || s[start + 1] == 'X');
    while (sc->i < sc->n) {
        unsigned char c = (unsigned char)s[sc->i];
        if (is_ident_part(c) || c == '.')
            sc->i++;
        else if ((c == '+' || c == '-') && !hex &&
                 (s[sc->i - 1] == 'e' || s[sc->i - 1] == 'E'))
            sc->i++;
        else
            break;
    }
}

void
js_tokenize(const char *src, size_t n, long first_line, long first_col,
            struct js_tokens *out)
{
    if (n > JS_SRC_MAX)
        n = JS_SRC_MAX;
    ident_part_init();
    memset(out, 0, sizeof *out);
    out->src = src;
    out->srclen = n;
    size_t max_tokens = JS_TOKENS_MAX(n);
    /* minified code averages about one token per 2-4 bytes */
    out->cap = n / 3 + 64;
    out->v = xmalloc(out->cap * sizeof *out->v);
    out->first_line = (uint32_t)(first_line > 0 ? first_line : 1);
    out->col_base = (uint32_t)(first_col > 1 ? first_col - 1 : 0);
    struct scanner sc = {
        .s = src, .n = n, .line = out->first_line, .out = out,
    };
    /* A hashbang line is a comment. */
    if (n >= 2 && src[0] == '#' && src[1] == '!')
        while (sc.i < n && src[sc.i] != '\n')
            sc.i++;
    /* line entries are as large as tokens and count against the budget */
    while (sc.i < n && out->n + out->nlines < max_tokens) {
        unsigned char c = (unsigned char)src[sc.i];
        if (c == '\n') {
            newline_at(&sc, sc.i);
            sc.i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            sc.i++;
            continue;
        }
        size_t start = sc.i;
        uint32_t line = sc.line;
        size_t ls = sc.line_start;
        if (c == '/' && sc.i + 1 < n && src[sc.i + 1] == '/') {
            while (sc.i < n && src[sc.i] != '\n')
                sc.i++;
            continue;
        }
        if (c == '/' && sc.i + 1 < n && src[sc.i + 1] == '*') {
            sc.i += 2;
            while (sc.i < n && !(src[sc.i] == '*' && sc.i + 1 < n &&
                                 src[sc.i + 1] == '/')) {
                if (src[sc.i] == '\n')
                    newline_at(&sc, sc.i);
                sc.i++;
            }
            sc.i = sc.i + 2 <= n ? sc.i + 2 : n;
            continue;
        }
        if (is_ident_start(c) || (c == '#' && sc.i + 1 < n &&
                                  is_ident_start((unsigned char)src[sc.i + 1]))) {
            sc.i++;
            while (sc.i < n) {
                unsigned char d = (unsigned char)src[sc.i];
                if (is_ident_part(d))
                    sc.i++;
                else if (d == '\\' && sc.i + 1 < n)
                    sc.i += 2;
                else
                    break;
            }
            if (sc.i > n)
                sc.i = n;
            emit(&sc, JS_IDENT, start, line, ls);
            continue;
        }
        if (ident_tab[c] == 2 || (c == '.' && sc.i + 1 < n &&
                                  ident_tab[(unsigned char)src[sc.i + 1]] == 2)) {
            sc.i++;
            scan_number(&sc, start);
            emit(&sc, JS_NUM, start, line, ls);
            continue;
        }
        if (c == '"' || c == '\'') {
            scan_string(&sc);
            emit(&sc, JS_STR, start, line, ls);
            continue;
        }
        if (c == '`') {
            sc.i++;
            if (scan_template_chars(&sc) && sc.tsp < TEMPLATE_DEPTH_MAX)
                sc.tstack[sc.tsp++] = sc.brace_depth;
            emit(&sc, JS_TEMPLATE, start, line, ls);
            continue;
        }
        if (c == '}' && sc.tsp > 0 && sc.tstack[sc.tsp - 1] == sc.brace_depth) {
            sc.tsp--;
            sc.i++;
            if (scan_template_chars(&sc) && sc.tsp < TEMPLATE_DEPTH_MAX)
                sc.tstack[sc.tsp++] = sc.brace_depth;
            emit(&sc, JS_TEMPLATE, start, line, ls);
            continue;
        }
        if (c == '/' && regex_allowed(&sc) && scan_regex(&sc)) {
            emit(&sc, JS_REGEX, start, line, ls);
            continue;
        }
        if (c == '{')
            sc.brace_depth++;
        else if (c == '}' && sc.brace_depth > 0)
            sc.brace_depth--;
        size_t len = punct_len(src + sc.i, n - sc.i);
        /* "?." followed by a digit is a conditional, not optional chaining. */
        if (len == 2 && c == '?' && src[sc.i + 1] == '.' && sc.i + 2 < n &&
            ident_tab[(unsigned char)src[sc.i + 2]] == 2)
            len = 1;
        sc.i += len;
        emit(&sc, JS_PUNCT, start, line, ls);
    }
    free(sc.stack);
}

void
js_tokens_release(struct js_tokens *t)
{
    free(t->v);
    free(t->lines);
    memset(t, 0, sizeof *t);
}

void
js_token_pos(const struct js_tokens *t, size_t i, long *line, long *col)
{
    *line = 0;
    *col = 0;
    if (i >= t->n || t->nlines == 0)
        return;
    size_t lo = 0, hi = t->nlines; /* last line entry with tok <= i */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->lines[mid].tok <= i)
            lo = mid;
        else
            hi = mid;
    }
    const struct js_line *l = &t->lines[lo];
    *line = l->line;
    *col = (long)(t->v[i].off - l->start) + 1 +
           (l->line == t->first_line ? (long)t->col_base : 0);
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static size_t
put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        cp = 0xFFFD;
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int
js_string_value(const struct js_tokens *t, size_t i, char *out, size_t outsz)
{
    if (i >= t->n || outsz == 0)
        return -1;
    const struct js_token *k = &t->v[i];
    const char *s = t->src + k->off;
    size_t n = k->len;
    if (k->type == JS_TEMPLATE) {
        if (n < 2 || s[0] != '`' || s[n - 1] != '`')
            return -1; /* has substitutions */
    } else if (k->type != JS_STR) {
        return -1;
    }
    /* The value is s[1 .. end): up to the closing quote, or to the end of
     * the token when the string is unterminated.  Every read below stays
     * before end. */
    size_t end = n >= 2 && s[n - 1] == s[0] ? n - 1 : n;
    size_t o = 0;
    for (size_t j = 1; j < end && o + 5 < outsz; j++) {
        char c = s[j];
        if (c != '\\' || j + 1 >= end) {
            out[o++] = c;
            continue;
        }
        char e = s[++j];
        unsigned long cp = 0;
        switch (e) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'v': out[o++] = '\v'; break;
        case '0': out[o++] = '?'; break; /* keep the value a C string */
        case '\n': break;
        case 'x':
            if (j + 2 < end && hexval(s[j + 1]) >= 0 && hexval(s[j + 2]) >= 0) {
                cp = (unsigned long)hexval(s[j + 1]) * 16 +
                     (unsigned long)hexval(s[j + 2]);
                j += 2;
                o += put_utf8(out + o, cp);
            } else {
                out[o++] = 'x';
            }
            break;
        case 'u':
            if (j + 1 < end && s[j + 1] == '{') {
                size_t k2 = j + 2;
                while (k2 < end && hexval(s[k2]) >= 0 && cp <= 0x10FFFF)
                    cp = cp * 16 + (unsigned long)hexval(s[k2++]);
                if (k2 < end && s[k2] == '}') {
                    j = k2;
                    o += put_utf8(out + o, cp);
                    break;
                }
            } else if (j + 4 < end && hexval(s[j + 1]) >= 0 &&
                       hexval(s[j + 2]) >= 0 && hexval(s[j + 3]) >= 0 &&
                       hexval(s[j + 4]) >= 0) {
                for (int d = 1; d <= 4; d++)
                    cp = cp * 16 + (unsigned long)hexval(s[j + d]);
                j += 4;
                o += put_utf8(out + o, cp);
                break;
            }
            out[o++] = 'u';
            break;
        default:
            out[o++] = e;
        }
    }
    out[o] = '\0';
    return 0;
}
