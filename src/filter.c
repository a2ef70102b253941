/*
 * filter.c - compiles the filter language (grammar and semantics in
 * filter.h) into a parameterized SQL WHERE fragment over messages m.
 *
 * A recursive-descent parser builds a small tree (and/or groups are
 * flattened, double negations cancel), then the tree is printed as SQL.
 * The terms themselves (keys, values, their SQL templates) are
 * filter_term.c's; blanks, words and error columns are filter_lex.c's.
 * Every value the user typed becomes a bound parameter; the SQL text is
 * assembled only from string literals.  Nesting is bounded
 * (FILTER_MAX_DEPTH) because both this parser and SQLite's parser stack are.
 *
 *   expr    := and_expr ( ('or' | '||') and_expr )*
 *   and_expr:= unary ( [ 'and' | '&&' ] unary )*
 *   unary   := ( 'not' | '!' | '-' ) unary | primary
 *   primary := '(' expr ')' | term
 */
#include "filter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter_int.h"
#include "mem.h"
#include "store_int.h"
#include "term_text.h"

struct pm_filter {
    char *text;
    char *sql;
    struct filter_param *params;
    int nparams;
};

/* ---- words -------------------------------------------------------------- */

static void
skip_space(struct filter_parser *p)
{
    while (p->pos < p->len && filter_is_space(p->s[p->pos]))
        p->pos++;
}

static int
word_is(const struct filter_parser *p, size_t pos, const char *kw)
{
    size_t n = filter_word_len(p, pos);
    return n == strlen(kw) && strncasecmp(p->s + pos, kw, n) == 0;
}

enum filter_kw { KW_NONE, KW_AND, KW_OR, KW_NOT };

/* The operator keyword at the current position (after blanks), if any. */
static enum filter_kw
peek_keyword(struct filter_parser *p)
{
    skip_space(p);
    if (word_is(p, p->pos, "and") || word_is(p, p->pos, "&&"))
        return KW_AND;
    if (word_is(p, p->pos, "or") || word_is(p, p->pos, "||"))
        return KW_OR;
    if (word_is(p, p->pos, "not"))
        return KW_NOT;
    return KW_NONE;
}

/* ---- tree --------------------------------------------------------------- */

static void
node_free(struct filter_node *n)
{
    if (n == NULL)
        return;
    for (int i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    for (int i = 0; i < n->nparams; i++)
        free(n->params[i].text);
    free(n);
}

/* Add kid to an and/or group, splicing in a group of the same kind. */
static void
group_add(struct filter_node *g, struct filter_node *kid)
{
    /* kid is a parsed node, never NULL; kids is an array of pointers
     * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
    if (kid->kind == g->kind) {
        /* NOLINTNEXTLINE(bugprone-sizeof-expression) */
        g->kids = xrealloc(g->kids, sizeof *g->kids *
                                        (size_t)(g->nkids + kid->nkids));
        for (int i = 0; i < kid->nkids; i++)
            g->kids[g->nkids++] = kid->kids[i];
        kid->nkids = 0;
        node_free(kid);
        return;
    }
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): array of pointers */
    g->kids = xrealloc(g->kids, sizeof *g->kids * (size_t)(g->nkids + 1));
    g->kids[g->nkids++] = kid;
}

/* ---- expressions -------------------------------------------------------- */

static enum pm_rc parse_or(struct filter_parser *p, const char *after,
                           struct filter_node **out);

/*
 * Complain that a term is missing at the current position; after names
 * the operator before it (NULL at the start).
 */
static enum pm_rc
missing_term(struct filter_parser *p, const char *after)
{
    size_t pos = p->pos;
    enum filter_kw kw = peek_keyword(p);
    const char *found = pos >= p->len      ? "the end"
                        : p->s[pos] == ')' ? "')'"
                        : kw == KW_AND     ? "'and'"
                        : kw == KW_OR      ? "'or'"
                                           : "something else";
    if (after == NULL)
        return filter_parse_error(p, pos, "expected a term before %s", found);
    return filter_parse_error(p, pos, "expected a term after '%s', found %s", after,
                       found);
}

static enum pm_rc
enter(struct filter_parser *p, size_t pos)
{
    if (++p->depth > FILTER_MAX_DEPTH)
        return filter_parse_error(p, pos,
                           "filter nested too deeply (at most %d levels of "
                           "parentheses and negations)",
                           FILTER_MAX_DEPTH);
    return PM_OK;
}

static enum pm_rc
parse_unary(struct filter_parser *p, const char *after,
            struct filter_node **out)
{
    enum filter_kw kw = peek_keyword(p);
    size_t pos = p->pos;
    char c = filter_peek(p);
    if (kw == KW_NOT || c == '!' || c == '-') {
        const char *op = kw == KW_NOT ? "not" : c == '!' ? "!" : "-";
        p->pos += kw == KW_NOT ? 3 : 1;
        if (enter(p, pos))
            return p->err->rc;
        struct filter_node *kid = NULL;
        if (parse_unary(p, op, &kid))
            return p->err->rc;
        p->depth--;
        /* parse_unary sets kid when it succeeds
         * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
        if (kid->kind == FN_NOT) {
            /* not not A = A */
            *out = kid->kids[0];
            kid->nkids = 0;
            node_free(kid);
            return PM_OK;
        }
        struct filter_node *n = xcalloc(1, sizeof *n);
        n->kind = FN_NOT;
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): array of pointers */
        n->kids = xmalloc(sizeof *n->kids);
        n->kids[0] = kid;
        n->nkids = 1;
        *out = n;
        return PM_OK;
    }
    if (c == '\0' || c == ')' || kw == KW_AND || kw == KW_OR)
        return missing_term(p, after);
    if (c == '(') {
        if (enter(p, pos))
            return p->err->rc;
        p->pos++;
        struct filter_node *inner = NULL;
        if (parse_or(p, "(", &inner))
            return p->err->rc;
        skip_space(p);
        if (filter_peek(p) != ')') {
            node_free(inner);
            return filter_parse_error(p, pos, "unbalanced '('; expected ')' "
                                       "to close it");
        }
        p->pos++;
        p->depth--;
        *out = inner;
        return PM_OK;
    }
    return filter_parse_term(p, out);
}

static enum pm_rc
parse_and(struct filter_parser *p, const char *after, struct filter_node **out)
{
    struct filter_node *first = NULL;
    if (parse_unary(p, after, &first))
        return p->err->rc;
    struct filter_node *g = NULL;
    for (;;) {
        enum filter_kw kw = peek_keyword(p);
        char c = filter_peek(p);
        if (c == '\0' || c == ')' || kw == KW_OR)
            break;
        const char *op = NULL;
        if (kw == KW_AND) {
            op = "and";
            p->pos += p->s[p->pos] == '&' ? 2 : 3;
        }
        struct filter_node *next = NULL;
        if (parse_unary(p, op ? op : after, &next)) {
            node_free(g ? g : first);
            return p->err->rc;
        }
        if (g == NULL) {
            g = xcalloc(1, sizeof *g);
            g->kind = FN_AND;
            group_add(g, first);
        }
        group_add(g, next);
    }
    *out = g ? g : first;
    return PM_OK;
}

static enum pm_rc
parse_or(struct filter_parser *p, const char *after, struct filter_node **out)
{
    struct filter_node *first = NULL;
    if (parse_and(p, after, &first))
        return p->err->rc;
    struct filter_node *g = NULL;
    while (peek_keyword(p) == KW_OR) {
        p->pos += 2;
        struct filter_node *next = NULL;
        if (parse_and(p, "or", &next)) {
            node_free(g ? g : first);
            return p->err->rc;
        }
        if (g == NULL) {
            g = xcalloc(1, sizeof *g);
            g->kind = FN_OR;
            group_add(g, first);
        }
        group_add(g, next);
    }
    *out = g ? g : first;
    return PM_OK;
}

/* ---- SQL generation ----------------------------------------------------- */

static void
emit(const struct filter_node *n, struct pm_buf *sql, struct pm_filter *f)
{
    switch (n->kind) {
    case FN_ATOM:
        pm_buf_adds(sql, n->sql);
        for (int i = 0; i < n->nparams; i++) {
            struct filter_param *fp = &f->params[f->nparams++];
            fp->is_int = n->params[i].is_int;
            fp->num = n->params[i].num;
            fp->range = n->params[i].range;
            fp->text = n->params[i].text ? xstrdup(n->params[i].text) : NULL;
        }
        break;
    case FN_NOT:
        /*
         * "x IS NOT TRUE", not "NOT x": an atom over a column that is NULL
         * (unknown sender, no targetOrigin) is NULL, and NOT NULL would drop
         * the row; `not target:*` must keep messages without a targetOrigin.
         * Inside and/or a NULL already acts as false (and/or are monotone),
         * so converting at each negation gives plain two-valued logic.
         */
        if (n->kids[0]->kind == FN_ATOM)
            pm_buf_addc(sql, '(');
        emit(n->kids[0], sql, f);
        if (n->kids[0]->kind == FN_ATOM)
            pm_buf_addc(sql, ')');
        pm_buf_adds(sql, " IS NOT TRUE");
        break;
    case FN_AND:
    case FN_OR:
        pm_buf_addc(sql, '(');
        for (int i = 0; i < n->nkids; i++) {
            if (i > 0)
                pm_buf_adds(sql, n->kind == FN_AND ? " AND " : " OR ");
            emit(n->kids[i], sql, f);
        }
        pm_buf_addc(sql, ')');
        break;
    }
}

static int
count_params(const struct filter_node *n)
{
    int c = n->kind == FN_ATOM ? n->nparams : 0;
    for (int i = 0; i < n->nkids; i++)
        c += count_params(n->kids[i]);
    return c;
}

enum pm_rc
filter_compile(const char *expr, struct pm_filter **out, struct pm_err *err)
{
    *out = NULL;
    if (expr == NULL)
        expr = "";
    struct filter_parser p = {expr, strlen(expr), 0, 0, 0, err};
    if (p.len > FILTER_MAX_LEN)
        return filter_parse_error(&p, FILTER_MAX_LEN,
                           "filter too long (%zu bytes; at most %d)", p.len,
                           FILTER_MAX_LEN);
    struct pm_filter *f = xcalloc(1, sizeof *f);
    f->text = xstrdup(expr);
    skip_space(&p);
    if (p.pos == p.len) {
        f->sql = xstrdup("1");
        *out = f;
        return PM_OK;
    }
    struct filter_node *root = NULL;
    if (parse_or(&p, NULL, &root) == PM_OK) {
        skip_space(&p);
        if (p.pos < p.len) {
            /* parse_or stops only at the end or at ')'. */
            filter_parse_error(&p, p.pos, "unbalanced ')'; no '(' to close");
            node_free(root);
            root = NULL;
        }
    }
    if (root == NULL) {
        filter_free(f);
        return err->rc;
    }
    int n = count_params(root);
    f->params = xcalloc(n > 0 ? (size_t)n : 1, sizeof *f->params);
    struct pm_buf sql;
    pm_buf_init(&sql);
    emit(root, &sql, f);
    f->sql = pm_buf_detach(&sql);
    node_free(root);
    *out = f;
    return PM_OK;
}

const char *
filter_sql(const struct pm_filter *f)
{
    return f ? f->sql : "1";
}

int
filter_param_count(const struct pm_filter *f)
{
    return f ? f->nparams : 0;
}

const char *
filter_text(const struct pm_filter *f)
{
    return f ? f->text : "";
}

int
filter_bind(const struct pm_filter *f, void *stmt, int first_index)
{
    return filter_bind_range(f, stmt, first_index, 0, INT64_MAX);
}

int
filter_bind_range(const struct pm_filter *f, void *stmt, int first_index,
                  int64_t after_id, int64_t upto_id)
{
    sqlite3_stmt *s = stmt;
    int idx = first_index;
    for (int i = 0; f && i < f->nparams; i++, idx++) {
        const struct filter_param *fp = &f->params[i];
        int64_t num = fp->range == FR_LO   ? after_id
                      : fp->range == FR_HI ? upto_id
                                           : fp->num;
        int rc = fp->is_int
                     ? sqlite3_bind_int64(s, idx, num)
                     : sqlite3_bind_text(s, idx, fp->text, -1,
                                         SQLITE_TRANSIENT);
        if (rc != SQLITE_OK)
            return -1;
    }
    return idx;
}

void
filter_explain(const struct pm_filter *f, struct pm_buf *out)
{
    pm_buf_adds(out, filter_sql(f));
    for (int i = 0; f && i < f->nparams; i++) {
        const struct filter_param *fp = &f->params[i];
        if (fp->range != FR_NONE) {
            pm_buf_addf(out, "\n  ?%d = %s", i + 1,
                        fp->range == FR_LO ? "(after id)" : "(up to id)");
            continue;
        }
        if (fp->is_int) {
            pm_buf_addf(out, "\n  ?%d = %lld", i + 1, (long long)fp->num);
            continue;
        }
        pm_buf_addf(out, "\n  ?%d = '", i + 1);
        for (const char *c = fp->text; *c; c++) {
            if (*c == '\'')
                pm_buf_addc(out, '\'');
            pm_buf_addc(out, *c);
        }
        pm_buf_addc(out, '\'');
    }
}

void
filter_error_caret(const char *expr, const struct pm_err *err,
                   const char *indent, struct pm_buf *out)
{
    const char *p = expr ? expr : "", *end = p + strlen(p);
    long want = err->col > 0 ? err->col : 1, ch = 1;
    int caret = 0;
    struct term_piece piece;
    pm_buf_adds(out, indent);
    /* Characters are counted as column_of counts them (one per invalid
     * byte); the caret moves by the columns each one takes once escaped. */
    while (term_text_next(&p, end, 0, &piece)) {
        if (ch++ < want)
            caret += piece.cols;
        pm_buf_add(out, piece.text, piece.len);
    }
    pm_buf_addc(out, '\n');
    pm_buf_adds(out, indent);
    for (int c = 0; c < caret; c++)
        pm_buf_addc(out, ' ');
    pm_buf_adds(out, "^\n");
}

void
filter_free(struct pm_filter *f)
{
    if (f == NULL)
        return;
    for (int i = 0; i < f->nparams; i++)
        free(f->params[i].text);
    free(f->params);
    free(f->sql);
    free(f->text);
    free(f);
}
