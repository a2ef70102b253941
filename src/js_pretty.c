/*
 * js_pretty.c - re-indent minified JavaScript from jsscan's token stream,
 * keeping a map from every output line back to its source byte.
 *
 * Why hand-written: no Debian package pretty-prints JavaScript for a C
 * program (the beautifiers are Node or Python programs), and what the
 * code pane needs is small -- readable lines and, for each, the source
 * offset it starts at, so the origin check and the sinks stay marked.
 * The tokens come from jsscan.c, the one lexer the analysis also uses, so
 * strings, template literals, regex literals and comments are never
 * re-read here: literals are copied byte for byte from their tokens, and
 * the gaps between tokens hold only whitespace and comments, which are
 * copied byte for byte too.  Only the whitespace between tokens changes.
 *
 * The layout is a single forward pass over the tokens with a stack of
 * open brackets: a block's statements go one a line, indented by depth; a
 * `;` or `,` inside parentheses (a for(;;) header, arguments) never
 * breaks; an object literal stays on one line when it is short and holds
 * no function, else one property a line; a statement-level comma (a
 * minifier's `a&&b(),c()`) breaks with the rest indented one step.
 * Whether `{` opens a block or an object is decided from the token before
 * it.  The pass is linear: every token is pushed and popped at most once,
 * indentation stops growing past INDENT_MAX, and past an output budget
 * the rest of the source follows as written.
 */
#include "js_pretty.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsscan.h"
#include "mem.h"

#define INDENT_MAX 24         /* deepest indentation shown, in steps */
#define INDENT_STEP 2         /* spaces a step */
#define INLINE_OBJECT_MAX 60  /* source bytes of an object kept on one line */

enum ctx_kind { CTX_BLOCK, CTX_SWITCH, CTX_OBJECT, CTX_INLINE, CTX_PAREN };

struct ctx {
    size_t open;       /* token index of the opening bracket (base: SIZE_MAX) */
    int kind;          /* enum ctx_kind */
    int indent;        /* level of the lines inside */
    int close_level;   /* level of the line holding the closing bracket */
    int ternary;       /* ?s still waiting for their : */
    unsigned cont : 1;         /* a statement-level comma: the rest one step in */
    unsigned stmt_start : 1;   /* the next token starts a statement */
    unsigned in_case : 1;      /* switch: after the first case label */
    unsigned case_pending : 1; /* switch: a case label waiting for its : */
    unsigned do_block : 1;     /* the block of a do-while */
    unsigned fn_body : 1;      /* a function's body: "}()" calls it */
};

struct pp {
    const char *s;
    size_t n;
    const struct js_tokens *t;
    struct js_lines *out;
    size_t text_cap, lines_cap;
    struct ctx *stack;
    size_t sp, stack_cap;
    int line_open;       /* the current line holds bytes */
    int want_break;      /* end the line before anything else is written */
    int line_level;      /* level the current line was opened at */
    long prev;           /* last token written, -1 before the first */
    int prev_unary;      /* it was a prefix operator: no space after it */
    int space_next;      /* a comment before the next token wants a space */
    int stmt_colon;      /* the last ':' ended a case or a label */
    int force_level;     /* level of the next new line when >= 0 */
    int done;            /* the rest was written as is */
    size_t budget;
};

/* ---- output ------------------------------------------------------------ */

static void
put(struct pp *p, const char *b, size_t len)
{
    struct js_lines *o = p->out;
    if (o->len + len + 1 > p->text_cap) {
        while (o->len + len + 1 > p->text_cap)
            p->text_cap = p->text_cap ? p->text_cap * 2 : 256;
        o->text = xrealloc(o->text, p->text_cap);
    }
    memcpy(o->text + o->len, b, len);
    o->len += len;
    o->text[o->len] = '\0';
}

/* Start a line showing source byte src_off, indented level steps. */
static void
open_line(struct pp *p, size_t src_off, int level)
{
    struct js_lines *o = p->out;
    if (o->n + 2 > p->lines_cap) {
        p->lines_cap = p->lines_cap ? p->lines_cap * 2 : 64;
        o->start = xrealloc(o->start, p->lines_cap * sizeof *o->start);
        o->src = xrealloc(o->src, p->lines_cap * sizeof *o->src);
    }
    o->start[o->n] = o->len;
    o->src[o->n] = src_off;
    o->n++;
    int shown = level > INDENT_MAX ? INDENT_MAX : level < 0 ? 0 : level;
    for (int i = 0; i < shown; i++)
        put(p, "  ", INDENT_STEP);
    p->line_open = 1;
}

/* End the current line before what comes next, unless that is a comment
 * on the same source line (see gap). */
static void
end_line(struct pp *p)
{
    p->want_break = p->line_open;
}

static void
flush_break(struct pp *p)
{
    if (p->want_break && p->line_open) {
        put(p, "\n", 1);
        p->line_open = 0;
    }
    p->want_break = 0;
}

/*
 * Write source bytes [off, off+len) on the current line (or a new one at
 * level, after a space when space is set).  Line breaks inside them (a
 * template literal, a comment) start lines of their own, not indented,
 * so the bytes stay as written.
 */
static void
write_src(struct pp *p, size_t off, size_t len, int level, int space)
{
    flush_break(p);
    if (!p->line_open) {
        open_line(p, off, level);
        p->line_level = level;
    } else if (space) {
        put(p, " ", 1);
    }
    const char *b = p->s + off;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(b + i, '\n', len - i);
        size_t seg = nl ? (size_t)(nl - (b + i)) : len - i;
        put(p, b + i, seg);
        i += seg;
        if (nl == NULL)
            break;
        put(p, "\n", 1);
        p->line_open = 0;
        i++;
        if (i < len)
            open_line(p, off + i, 0);
    }
}

/* The rest of the source from off, as written, on lines of its own. */
static void
write_rest(struct pp *p, size_t off)
{
    end_line(p);
    flush_break(p);
    size_t end = p->n;
    while (end > off && strchr(" \t\r\n\f\v", p->s[end - 1]))
        end--;
    if (end > off)
        write_src(p, off, end - off, 0, 0);
    end_line(p);
    flush_break(p);
    p->done = 1;
}

/* ---- tokens ------------------------------------------------------------ */

static const struct js_token *
tok(const struct pp *p, size_t i)
{
    return &p->t->v[i];
}

static int
is_p(const struct pp *p, long i, const char *s)
{
    return i >= 0 && js_is_punct(p->t, (size_t)i, s);
}

static int
is_id(const struct pp *p, long i, const char *s)
{
    return i >= 0 && js_is_ident(p->t, (size_t)i, s);
}

static int
is_word(const struct js_token *k)
{
    return k->type == JS_IDENT || k->type == JS_NUM;
}

/* An identifier that is an operator or statement keyword, not a value. */
static int
is_keyword(const struct pp *p, long i)
{
    static const char *const kw[] = {
        "if", "for", "while", "switch", "catch", "with", "var", "let",
        "const", "function", "else", "do", NULL,
    };
    const struct js_token *k = tok(p, (size_t)i);
    if (k->type != JS_IDENT)
        return 0;
    if (js_keyword_before_expr(p->s + k->off, k->len))
        return 1;
    for (int j = 0; kw[j]; j++)
        if (is_id(p, i, kw[j]))
            return 1;
    return 0;
}

/* Token i ends an expression (a following + or - is binary). */
static int
expr_end(const struct pp *p, long i)
{
    if (i < 0)
        return 0;
    const struct js_token *k = tok(p, (size_t)i);
    const char *s = p->s + k->off;
    switch (k->type) {
    case JS_IDENT:
        return !is_keyword(p, i);
    case JS_NUM: case JS_STR: case JS_REGEX:
        return 1;
    case JS_TEMPLATE:
        return s[k->len - 1] == '`';
    default:
        return is_p(p, i, ")") || is_p(p, i, "]") || is_p(p, i, "}") ||
               is_p(p, i, "++") || is_p(p, i, "--");
    }
}

/* A binary operator, = and its compounds included (not + - ? :). */
static int
is_binop(const struct pp *p, size_t i)
{
    const struct js_token *k = tok(p, i);
    if (k->type != JS_PUNCT)
        return 0;
    const char *s = p->s + k->off;
    if (k->len == 1)
        return strchr("=<>*/%&|^", s[0]) != NULL;
    if (s[0] == '?')
        return s[1] == '?';
    if (s[0] == '!')
        return s[1] == '=';
    if ((s[0] == '+' || s[0] == '-') && s[1] == s[0])
        return 0;
    return strchr("=<>+-*/%&|^", s[0]) != NULL;
}

/* Keywords written with a space before a '(' or '[' that follows. */
static int
spaced_keyword(const struct pp *p, long i)
{
    return is_keyword(p, i) && !is_id(p, i, "function");
}

/* The token at i can only start a statement (a line break before it
 * ended the previous one). */
static int
starts_statement(const struct pp *p, size_t i)
{
    const struct js_token *k = tok(p, i);
    const char *s = p->s + k->off;
    switch (k->type) {
    case JS_IDENT:
        return !is_id(p, (long)i, "in") && !is_id(p, (long)i, "of") &&
               !is_id(p, (long)i, "instanceof") && !is_id(p, (long)i, "else") &&
               !is_id(p, (long)i, "catch") && !is_id(p, (long)i, "finally");
    case JS_NUM: case JS_STR: case JS_REGEX:
        return 1;
    case JS_TEMPLATE:
        return s[0] == '`';
    default:
        return is_p(p, (long)i, "++") || is_p(p, (long)i, "--");
    }
}

/* Token i is the ')' ending the head of if, for, while or with. */
static int
after_head(const struct pp *p, long i)
{
    if (!is_p(p, i, ")"))
        return 0;
    long h = (long)tok(p, (size_t)i)->match - 1;
    return h >= 0 && (is_id(p, h, "if") || is_id(p, h, "for") ||
                      is_id(p, h, "while") || is_id(p, h, "with"));
}

/* A line break after token i ends the statement whatever follows
 * ("return\nx" returns nothing). */
static int
restricted(const struct pp *p, long i)
{
    return is_id(p, i, "return") || is_id(p, i, "break") ||
           is_id(p, i, "continue") || is_id(p, i, "throw");
}

/* ---- the bracket stack ------------------------------------------------- */

static struct ctx *
top(struct pp *p)
{
    return &p->stack[p->sp - 1];
}

static int
blockish(const struct ctx *c)
{
    return c->kind == CTX_BLOCK || c->kind == CTX_SWITCH;
}

static struct ctx *
push(struct pp *p, size_t open, int kind, int indent)
{
    if (p->sp == p->stack_cap) {
        p->stack_cap = p->stack_cap ? p->stack_cap * 2 : 32;
        p->stack = xrealloc(p->stack, p->stack_cap * sizeof *p->stack);
    }
    struct ctx *c = &p->stack[p->sp++];
    memset(c, 0, sizeof *c);
    c->open = open;
    c->kind = kind;
    c->indent = indent;
    c->close_level = p->line_level;
    c->stmt_start = 1;
    return c;
}

/*
 * Pop to the context token i closes (its partner from the tokenizer).
 * Returns a copy of it, or kind -1 when i closes nothing here (a stray
 * bracket), which then pops nothing.
 */
static struct ctx
pop_to(struct pp *p, size_t i)
{
    struct ctx none = {.kind = -1};
    int32_t m = tok(p, i)->match;
    if (m < 0)
        return none;
    size_t j = p->sp;
    while (j > 1 && p->stack[j - 1].open != (size_t)m)
        j--;
    if (j <= 1)
        return none;
    struct ctx c = p->stack[j - 1];
    p->sp = j - 1;
    return c;
}

/* Level of a new line in the current context. */
static int
level(struct pp *p, int is_case)
{
    struct ctx *c = top(p);
    int l = c->indent + (int)c->cont;
    if (c->kind == CTX_SWITCH && c->in_case && !is_case)
        l++;
    return l;
}

static void
end_statement(struct pp *p)
{
    end_line(p);
    struct ctx *c = top(p);
    c->cont = 0;
    c->ternary = 0;
    c->stmt_start = 1;
}

/* Write token i; space says whether a space separates it from the last. */
static void
write_tok(struct pp *p, size_t i, int space)
{
    const struct js_token *k = tok(p, i);
    int lv = p->force_level >= 0 ? p->force_level : level(p, 0);
    p->force_level = -1;
    write_src(p, k->off, k->len, lv, space);
    p->prev = (long)i;
    p->prev_unary = 0;
    p->space_next = 0;
    top(p)->stmt_start = 0;
}

/* ---- layout decisions -------------------------------------------------- */

/* Whether a space goes between the last token written and token i. */
static int
want_space(const struct pp *p, size_t i)
{
    if (p->space_next)
        return 1;
    if (p->prev < 0)
        return 0;
    long pi = p->prev;
    const struct js_token *P = tok(p, (size_t)pi), *C = tok(p, i);
    const char *ps = p->s + P->off, *cs = p->s + C->off;
    if (is_word(P) && is_word(C))
        return 1;
    if (p->prev_unary)   /* "- -x", "+ +x" would read as -- and ++ */
        return C->type == JS_PUNCT && (cs[0] == '+' || cs[0] == '-') &&
               cs[0] == ps[P->len - 1];
    if (C->type == JS_TEMPLATE && cs[0] == '}')
        return 0;
    if (P->type == JS_TEMPLATE && ps[P->len - 1] == '{')
        return 0;
    if (is_p(p, pi, "(") || is_p(p, pi, "[") || is_p(p, pi, "{") ||
        is_p(p, pi, ".") || is_p(p, pi, "?.") || is_p(p, pi, "..."))
        return 0;
    long ci = (long)i;
    if (is_p(p, ci, ")") || is_p(p, ci, "]") || is_p(p, ci, ",") ||
        is_p(p, ci, ";") || is_p(p, ci, "?.") || is_p(p, ci, "}"))
        return 0;
    if (is_p(p, ci, "."))   /* "1 .toString()" keeps its space */
        return P->type == JS_NUM && P->off + P->len < C->off;
    if (is_p(p, ci, "(") || is_p(p, ci, "[")) {
        if (P->type == JS_IDENT)
            return spaced_keyword(p, pi);
        if (P->type != JS_PUNCT)
            return 0;
        return !(is_p(p, pi, ")") || is_p(p, pi, "]") || is_p(p, pi, "}"));
    }
    if ((is_p(p, ci, "++") || is_p(p, ci, "--")) && expr_end(p, pi) &&
        !C->nl_before)
        return 0;
    if (C->type == JS_TEMPLATE && cs[0] == '`' &&
        ((P->type == JS_IDENT && !is_keyword(p, pi)) || is_p(p, pi, ")") ||
         is_p(p, pi, "]")))
        return 0; /* a tagged template */
    return 1;
}

/* The '{' at i opens a block (else an object literal). */
static int
opens_block(const struct pp *p, size_t i)
{
    if (i == 0)
        return 1;
    long pi = (long)i - 1;
    const struct js_token *P = tok(p, (size_t)pi);
    if (P->type == JS_IDENT) {
        if (is_id(p, pi, "else") || is_id(p, pi, "try") ||
            is_id(p, pi, "finally") || is_id(p, pi, "do"))
            return 1;
        return !js_keyword_before_expr(p->s + P->off, P->len);
    }
    if (P->type != JS_PUNCT)
        return 0;
    if (is_p(p, pi, ")") || is_p(p, pi, "=>") || is_p(p, pi, ";") ||
        is_p(p, pi, "{") || is_p(p, pi, "}"))
        return 1;
    return is_p(p, pi, ":") && p->stmt_colon;
}

/* The object literal opened at i fits on one line: short, no function. */
static int
inline_object(const struct pp *p, size_t i)
{
    int32_t m = tok(p, i)->match;
    if (m <= (int32_t)i ||
        tok(p, (size_t)m)->off - tok(p, i)->off > INLINE_OBJECT_MAX)
        return 0;
    for (size_t j = i + 1; j < (size_t)m; j++)
        if (is_id(p, (long)j, "function") || is_p(p, (long)j, "=>") ||
            is_p(p, (long)j, ";"))
            return 0;
    return 1;
}

static void
open_brace(struct pp *p, size_t i)
{
    const struct js_token *k = tok(p, i);
    write_tok(p, i, want_space(p, i));
    int empty = k->match == (int32_t)i + 1;
    if (opens_block(p, i)) {
        long h = is_p(p, (long)i - 1, ")") ? tok(p, i - 1)->match : -1;
        int is_switch = h >= 1 &&
                        is_id(p, h - 1, "switch");
        struct ctx *c = push(p, i, is_switch ? CTX_SWITCH : CTX_BLOCK,
                             p->line_level + 1);
        c->do_block = is_id(p, (long)i - 1, "do");
        c->fn_body = is_p(p, (long)i - 1, "=>") ||
                     is_id(p, h - 1, "function") ||
                     is_id(p, h - 2, "function");
    } else if (inline_object(p, i)) {
        push(p, i, CTX_INLINE, p->line_level + 1);
        return;
    } else {
        push(p, i, CTX_OBJECT, p->line_level + 1);
    }
    if (!empty)
        end_line(p);
}

/* After a block's '}': does the statement go on on this line? */
static int
continues_after_block(struct pp *p, const struct ctx *closed, size_t i)
{
    if (i + 1 >= p->t->n)
        return 0;
    long ni = (long)i + 1;
    if (is_id(p, ni, "else") || is_id(p, ni, "catch") ||
        is_id(p, ni, "finally") || (closed->do_block && is_id(p, ni, "while")))
        return 1;
    if (!blockish(top(p)))
        return 1;   /* a function or method body inside an expression */
    if (closed->fn_body && is_p(p, ni, "("))
        return 1;   /* !function(){...}() */
    return is_p(p, ni, ")") || is_p(p, ni, "]") || is_p(p, ni, ",") ||
           is_p(p, ni, ";") || is_p(p, ni, ".") || is_p(p, ni, "?.") ||
           is_p(p, ni, ":") || is_p(p, ni, "?") || is_binop(p, (size_t)ni);
}

static void
close_brace(struct pp *p, size_t i)
{
    struct ctx c = pop_to(p, i);
    if (c.kind < 0 || c.kind == CTX_INLINE) {
        write_tok(p, i, want_space(p, i));
        return;
    }
    if (p->prev != (long)c.open)
        end_line(p);
    p->force_level = c.close_level;
    write_tok(p, i, 0);
    if ((c.kind == CTX_BLOCK || c.kind == CTX_SWITCH) &&
        !continues_after_block(p, &c, i))
        end_statement(p);
}

static void
colon(struct pp *p, size_t i)
{
    struct ctx *c = top(p);
    if (c->ternary > 0) {
        c->ternary--;
        p->stmt_colon = 0;
        write_tok(p, i, 1);
        return;
    }
    write_tok(p, i, 0);
    p->stmt_colon = blockish(c);
    if (c->case_pending) {
        c->case_pending = 0;
        c->in_case = 1;
        end_statement(p);
    }
}

static void
punct(struct pp *p, size_t i)
{
    struct ctx *c = top(p);
    long pi = p->prev;
    long ci = (long)i;
    if (is_p(p, ci, "{")) {
        open_brace(p, i);
    } else if (is_p(p, ci, "}")) {
        close_brace(p, i);
    } else if (is_p(p, ci, "(") || is_p(p, ci, "[")) {
        write_tok(p, i, want_space(p, i));
        push(p, i, CTX_PAREN, p->line_level);
    } else if (is_p(p, ci, ")") || is_p(p, ci, "]")) {
        pop_to(p, i);
        write_tok(p, i, 0);
    } else if (is_p(p, ci, ";")) {
        write_tok(p, i, 0);
        if (blockish(c))
            end_statement(p);
    } else if (is_p(p, ci, ",")) {
        write_tok(p, i, 0);
        if (blockish(c)) {
            end_line(p);
            c->cont = 1;
        } else if (c->kind == CTX_OBJECT) {
            end_line(p);
        }
    } else if (is_p(p, ci, ":")) {
        colon(p, i);
    } else if (is_p(p, ci, "?")) {
        c->ternary++;
        write_tok(p, i, 1);
    } else {
        int unary = is_p(p, ci, "!") || is_p(p, ci, "~") || is_p(p, ci, "...") ||
                    ((is_p(p, ci, "+") || is_p(p, ci, "-")) && !expr_end(p, pi)) ||
                    ((is_p(p, ci, "++") || is_p(p, ci, "--")) &&
                     !(expr_end(p, pi) && !tok(p, i)->nl_before));
        int space = want_space(p, i);
        write_tok(p, i, space);
        p->prev_unary = unary;
    }
}

static void
token(struct pp *p, size_t i)
{
    struct ctx *c = top(p);
    const struct js_token *k = tok(p, i);
    /* A line break that ended a statement (no ';' before it). */
    if (blockish(c) && k->nl_before && p->prev >= 0 && p->line_open &&
        ((!is_p(p, p->prev, "}") && !after_head(p, p->prev) &&
          expr_end(p, p->prev) && starts_statement(p, i)) ||
         restricted(p, p->prev)))
        end_statement(p);
    if (c->kind == CTX_SWITCH && c->stmt_start &&
        (is_id(p, (long)i, "case") || is_id(p, (long)i, "default"))) {
        end_line(p);
        p->force_level = level(p, 1);
        c->case_pending = 1;
    }
    if (k->type == JS_PUNCT)
        punct(p, i);
    else
        write_tok(p, i, want_space(p, i));
}

/*
 * The whitespace and comments between tokens, src[a..b).  A line
 * comment on the line of the code before it stays there ("a(); // why");
 * a one-line block comment leads the code after it; any other comment
 * gets lines of its own.  Anything else in a gap (the untokenized end of
 * a huge input) is written as is, with the rest of the source.
 */
static void
gap(struct pp *p, size_t a, size_t b)
{
    const char *s = p->s;
    int nl = 0;
    size_t i = a;
    while (i < b && !p->done) {
        char ch = s[i];
        if (ch == '\n') {
            nl = 1;
            i++;
            continue;
        }
        if (strchr(" \t\r\f\v", ch)) {
            i++;
            continue;
        }
        if (p->out->len > p->budget) {
            write_rest(p, i);
            return;
        }
        int line = (ch == '/' && i + 1 < b && s[i + 1] == '/') ||
                   (i == 0 && ch == '#' && i + 1 < b && s[i + 1] == '!');
        if (!line && !(ch == '/' && i + 1 < b && s[i + 1] == '*')) {
            write_rest(p, i);
            return;
        }
        size_t e = i + 2;
        if (line) {
            while (e < b && s[e] != '\n')
                e++;
        } else {
            while (e + 1 < b && !(s[e] == '*' && s[e + 1] == '/'))
                e++;
            e = e + 1 < b ? e + 2 : b;
        }
        int multiline = memchr(s + i, '\n', e - i) != NULL;
        if (nl || multiline)
            end_line(p);
        else if (line)
            p->want_break = 0; /* "a(); // why" stays on its line */
        write_src(p, i, e - i, level(p, 0), 1);
        if (line || multiline)
            end_line(p);
        else
            p->space_next = 1; /* a block comment leads the code after it */
        nl = 0;
        i = e;
    }
}

/* ---- entry points ------------------------------------------------------ */

static void
finish(struct pp *p)
{
    struct js_lines *o = p->out;
    end_line(p);
    flush_break(p);
    if (o->start == NULL) {
        o->start = xmalloc(sizeof *o->start);
        o->src = NULL;
    }
    o->start[o->n] = o->len;
    if (o->text == NULL)
        o->text = xstrdup("");
}

void
js_lines_pretty(const char *src, size_t n, struct js_lines *out)
{
    memset(out, 0, sizeof *out);
    out->pretty = 1;
    struct js_tokens t;
    js_tokenize(src, n, 1, 1, &t);
    struct pp p = {
        .s = src, .n = n, .t = &t, .out = out, .prev = -1, .force_level = -1,
        .budget = JS_PRETTY_OUT_MAX(n) - n - 32768,
    };
    push(&p, SIZE_MAX, CTX_BLOCK, 0);
    size_t at = 0;
    for (size_t i = 0; i < t.n && !p.done; i++) {
        gap(&p, at, t.v[i].off);
        if (p.done)
            break;
        if (out->len > p.budget) {
            write_rest(&p, t.v[i].off);
            break;
        }
        token(&p, i);
        at = t.v[i].off + t.v[i].len;
    }
    if (!p.done)
        gap(&p, at, n);
    finish(&p);
    free(p.stack);
    js_tokens_release(&t);
}

void
js_lines_raw(const char *src, size_t n, struct js_lines *out)
{
    memset(out, 0, sizeof *out);
    struct pp p = {.s = src, .n = n, .out = out};
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(src + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (src + i)) : n - i;
        open_line(&p, i, 0);
        put(&p, src + i, len);
        put(&p, "\n", 1);
        p.line_open = 0;
        i += len + 1;
    }
    finish(&p);
}

int
js_pretty_is_minified(const char *src, size_t n)
{
    size_t on_long = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(src + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (src + i)) : n - i;
        if (len > JS_PRETTY_LONG_LINE)
            on_long += len;
        i += len + 1;
    }
    return n > 0 && on_long * 2 >= n;
}

size_t
js_lines_len(const struct js_lines *l, size_t i)
{
    if (i >= l->n)
        return 0;
    return l->start[i + 1] - l->start[i] - 1;
}

size_t
js_lines_find(const struct js_lines *l, size_t off)
{
    if (l->n == 0)
        return 0;
    size_t lo = 0, hi = l->n; /* the last line with src <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->src[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void
js_lines_release(struct js_lines *l)
{
    free(l->text);
    free(l->start);
    free(l->src);
    memset(l, 0, sizeof *l);
}
