/*
 * filter.c - compiles the filter language (grammar and semantics in
 * filter.h) into a parameterized SQL WHERE fragment over messages m.
 *
 * A recursive-descent parser builds a small tree (and/or groups are
 * flattened, double negations cancel), then the tree is printed as SQL.
 * Every value the user typed becomes a bound parameter; the SQL text is
 * assembled only from the string literals below.  Nesting is bounded
 * (FILTER_MAX_DEPTH) because both this parser and SQLite's parser stack are.
 *
 *   expr    := and_expr ( ('or' | '||') and_expr )*
 *   and_expr:= unary ( [ 'and' | '&&' ] unary )*
 *   unary   := ( 'not' | '!' | '-' ) unary | primary
 *   primary := '(' expr ')' | atom
 */
#include "filter.h"

#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "origin.h"
#include "store_int.h"

struct filter_param {
    int is_int;
    int64_t num;
    char *text;
};

enum filter_node_kind { FN_ATOM, FN_AND, FN_OR, FN_NOT };

struct filter_node {
    enum filter_node_kind kind;
    /* FN_AND / FN_OR: kids; FN_NOT: kids[0] */
    struct filter_node **kids;
    int nkids;
    /* FN_ATOM: a static SQL template and its values, in placeholder order */
    const char *sql;
    struct filter_param params[2];
    int nparams;
};

struct pm_filter {
    char *text;
    char *sql;
    struct filter_param *params;
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

/* ---- SQL templates ------------------------------------------------------ */

#define LIKE_ESC " ESCAPE '\\'"

/*
 * Plans (SQLite 3.40, 200k messages, keyset pages of 500 by m.id): an exact
 * origin is a scalar subquery (origins.text is unique), so to: walks
 * messages_receiver_origin in rowid order with no sort.  A substring may
 * name several origins: IN (list) drives the origin index and sorts, which
 * is fastest for the rare origins analysts look for.  origin: and visit:
 * test two columns; left to itself SQLite runs a MULTI-INDEX OR and sorts
 * every match for every page, so the unary + keeps them on the rowid scan
 * (4-14x faster over a full listing, 2 ms for a first page).
 */
static const char sql_from_exact[] =
    "m.sender_origin_id = (SELECT o.id FROM origins o WHERE o.text = ?)";
static const char sql_from_like[] =
    "m.sender_origin_id IN (SELECT o.id FROM origins o WHERE o.text LIKE ?"
    LIKE_ESC ")";
static const char sql_to_exact[] =
    "m.receiver_origin_id = (SELECT o.id FROM origins o WHERE o.text = ?)";
static const char sql_to_like[] =
    "m.receiver_origin_id IN (SELECT o.id FROM origins o WHERE o.text LIKE ?"
    LIKE_ESC ")";
static const char sql_origin_exact[] =
    "(+m.sender_origin_id = (SELECT o.id FROM origins o WHERE o.text = ?)"
    " OR +m.receiver_origin_id = (SELECT o.id FROM origins o"
    " WHERE o.text = ?))";
static const char sql_origin_like[] =
    "(+m.sender_origin_id IN (SELECT o.id FROM origins o WHERE o.text LIKE ?"
    LIKE_ESC ") OR +m.receiver_origin_id IN (SELECT o.id FROM origins o"
    " WHERE o.text LIKE ?" LIKE_ESC "))";
static const char sql_target_exact[] = "m.target_origin = ?";
static const char sql_target_origin[] =
    "(m.target_origin = ? OR m.target_origin LIKE ?" LIKE_ESC ")";
static const char sql_target_like[] = "m.target_origin LIKE ?" LIKE_ESC;
static const char sql_via[] = "m.via = ?";
static const char sql_port[] = "m.port = ?";
static const char sql_check[] =
    "(m.listener_id IN (SELECT l.id FROM listeners l WHERE l.check_kind = ?)"
    " OR (m.listener_id IS NULL AND m.receiver_window_id IN"
    " (SELECT l.window_id FROM listeners l WHERE l.check_kind = ?)))";
static const char sql_check_weak[] =
    "(m.listener_id IN (SELECT l.id FROM listeners l"
    " WHERE l.check_kind NOT IN ('strict', 'unknown'))"
    " OR (m.listener_id IS NULL AND m.receiver_window_id IN"
    " (SELECT l.window_id FROM listeners l"
    " WHERE l.check_kind NOT IN ('strict', 'unknown'))))";
static const char sql_sink[] =
    "(m.listener_id IN (SELECT l.id FROM listeners l"
    " WHERE ',' || replace(l.sinks, ' ', '') || ',' LIKE ?" LIKE_ESC ")"
    " OR (m.listener_id IS NULL AND m.receiver_window_id IN"
    " (SELECT l.window_id FROM listeners l"
    " WHERE ',' || replace(l.sinks, ' ', '') || ',' LIKE ?" LIKE_ESC ")))";
static const char sql_sink_any[] =
    "(m.listener_id IN (SELECT l.id FROM listeners l"
    " WHERE coalesce(l.sinks, '') <> '')"
    " OR (m.listener_id IS NULL AND m.receiver_window_id IN"
    " (SELECT l.window_id FROM listeners l"
    " WHERE coalesce(l.sinks, '') <> '')))";
static const char sql_data_like[] = "m.data_json LIKE ?" LIKE_ESC;
static const char sql_data_regex[] = "regexp(?, m.data_json)";
static const char sql_fts[] =
    "m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)";
static const char sql_id[] = "m.id = ?";
static const char sql_flow[] = "m.flow_id = ?";
static const char sql_source[] = "m.source_id = ?";
static const char sql_visit[] =
    "(+m.sender_window_id IN (SELECT w.id FROM windows w WHERE w.visit_id = ?)"
    " OR +m.receiver_window_id IN (SELECT w.id FROM windows w"
    " WHERE w.visit_id = ?))";
/* A list, not a correlated EXISTS: findings are few, lookups by rowid. */
static const char sql_marked[] =
    "m.id IN (SELECT f.subject_id FROM findings f"
    " WHERE f.subject_kind = 'message' AND f.status <> 'dismissed')";
static const char sql_size_gt[] = "m.size > ?";
static const char sql_size_ge[] = "m.size >= ?";
static const char sql_size_lt[] = "m.size < ?";
static const char sql_size_le[] = "m.size <= ?";
static const char sql_size_eq[] = "m.size = ?";

/* Origin check classes, for case-insensitive input ("indexof"). */
static const char *const check_kinds[] = {
    "none",     "strict",   "indexOf", "includes", "regex-unanchored",
    "startsWith", "endsWith", "search", "match",    "source",
    "unknown",
};

static const char *const via_kinds[] = {"window", "port", "broadcast",
                                        "worker"};

enum filter_key {
    KEY_ORIGIN, KEY_FROM, KEY_TO, KEY_TARGET, KEY_VIA, KEY_PORT, KEY_CHECK,
    KEY_SINK, KEY_DATA, KEY_SIZE, KEY_ID, KEY_FLOW, KEY_SOURCE, KEY_VISIT,
};

static const struct {
    const char *name;
    enum filter_key key;
} filter_keys[] = {
    {"origin", KEY_ORIGIN}, {"from", KEY_FROM},     {"to", KEY_TO},
    {"target", KEY_TARGET}, {"via", KEY_VIA},       {"port", KEY_PORT},
    {"check", KEY_CHECK},   {"sink", KEY_SINK},     {"data", KEY_DATA},
    {"size", KEY_SIZE},     {"id", KEY_ID},         {"flow", KEY_FLOW},
    {"source", KEY_SOURCE}, {"visit", KEY_VISIT},
};

#define KEY_LIST "origin, from, to, target, via, port, check, sink, data, " \
                 "size, id, flow, source, visit"

/* ---- characters and columns --------------------------------------------- */

/*
 * Length of the well-formed UTF-8 sequence at s[i] (1..4), or 0 when the
 * byte there does not start one.  Columns count one per sequence and one
 * per stray byte, the same way filter_error_caret draws them.
 */
static size_t
utf8_seq_len(const unsigned char *s, size_t len, size_t i)
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
        size_t n = utf8_seq_len((const unsigned char *)s, len, i);
        i += n ? n : 1;
        col++;
    }
    return col;
}

static enum pm_rc
parse_error(struct filter_parser *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum pm_rc
parse_error(struct filter_parser *p, size_t pos, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pm_err_at(p->err, PM_ERR_USAGE, "filter", 1,
                     column_of(p->s, p->len, pos), "%s", msg);
}

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/* A character that ends an unquoted word or value. */
static int
is_terminator(char c)
{
    return c == '\0' || is_space(c) || c == '(' || c == ')';
}

static void
skip_space(struct filter_parser *p)
{
    while (p->pos < p->len && is_space(p->s[p->pos]))
        p->pos++;
}

static char
peek(const struct filter_parser *p)
{
    return p->pos < p->len ? p->s[p->pos] : '\0';
}

/* Length of the unquoted word at pos. */
static size_t
word_len(const struct filter_parser *p, size_t pos)
{
    size_t n = 0;
    while (pos + n < p->len && !is_terminator(p->s[pos + n]))
        n++;
    return n;
}

static int
word_is(const struct filter_parser *p, size_t pos, const char *kw)
{
    size_t n = word_len(p, pos);
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

/* ---- values ----------------------------------------------------------- */

/*
 * Read a quoted string starting at p->pos (which holds ' or ").  Inside,
 * a backslash escapes the quote character and itself; anything else is
 * literal.  The closing quote must be followed by a blank, a parenthesis
 * or the end.
 */
static enum pm_rc
read_quoted(struct filter_parser *p, struct pm_buf *out)
{
    size_t start = p->pos;
    char q = p->s[p->pos++];
    for (;;) {
        if (p->pos >= p->len)
            return parse_error(p, start,
                               "unterminated quote; expected a closing %c", q);
        char c = p->s[p->pos++];
        if (c == '\\' && p->pos < p->len &&
            (p->s[p->pos] == q || p->s[p->pos] == '\\')) {
            pm_buf_addc(out, p->s[p->pos++]);
        } else if (c == q) {
            break;
        } else {
            pm_buf_addc(out, c);
        }
    }
    if (!is_terminator(peek(p)))
        return parse_error(p, p->pos,
                           "expected a blank or ')' after the closing quote");
    return PM_OK;
}

/* A key's value: quoted, or the unquoted word up to a blank or paren. */
static enum pm_rc
read_value(struct filter_parser *p, struct pm_buf *out, int *quoted)
{
    char c = peek(p);
    *quoted = (c == '"' || c == '\'');
    if (*quoted)
        return read_quoted(p, out);
    size_t n = word_len(p, p->pos);
    pm_buf_add(out, p->s + p->pos, n);
    p->pos += n;
    return PM_OK;
}

/* Escape LIKE's metacharacters (and the escape itself) with a backslash. */
static void
like_escape(struct pm_buf *out, const char *v)
{
    for (; *v; v++) {
        if (*v == '%' || *v == '_' || *v == '\\')
            pm_buf_addc(out, '\\');
        pm_buf_addc(out, *v);
    }
}

static char *
like_pattern(const char *prefix, const char *v, const char *suffix)
{
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_adds(&b, prefix);
    like_escape(&b, v);
    pm_buf_adds(&b, suffix);
    return pm_buf_detach(&b);
}

/* Parse a non-negative decimal integer that fits in int64. */
static int
parse_count(const char *v, int64_t *out)
{
    int64_t n = 0;
    if (*v == '\0')
        return -1;
    for (; *v; v++) {
        if (*v < '0' || *v > '9')
            return -1;
        if (n > (INT64_MAX - (*v - '0')) / 10)
            return -1;
        n = n * 10 + (*v - '0');
    }
    *out = n;
    return 0;
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

static struct filter_node *
atom_new(const char *sql)
{
    struct filter_node *n = xcalloc(1, sizeof *n);
    n->kind = FN_ATOM;
    n->sql = sql;
    return n;
}

/* Append a text value (ownership of v passes to the node). */
static void
atom_text(struct filter_node *n, char *v)
{
    n->params[n->nparams].is_int = 0;
    n->params[n->nparams].text = v;
    n->nparams++;
}

static void
atom_int(struct filter_node *n, int64_t v)
{
    n->params[n->nparams].is_int = 1;
    n->params[n->nparams].num = v;
    n->nparams++;
}

/* Add kid to an and/or group, splicing in a group of the same kind. */
static void
group_add(struct filter_node *g, struct filter_node *kid)
{
    if (kid->kind == g->kind) {
        g->kids = xrealloc(g->kids, sizeof *g->kids *
                                        (size_t)(g->nkids + kid->nkids));
        for (int i = 0; i < kid->nkids; i++)
            g->kids[g->nkids++] = kid->kids[i];
        kid->nkids = 0;
        node_free(kid);
        return;
    }
    g->kids = xrealloc(g->kids, sizeof *g->kids * (size_t)(g->nkids + 1));
    g->kids[g->nkids++] = kid;
}

/* ---- atoms -------------------------------------------------------------- */

/*
 * The node for an origin value of from:/to:/origin: (which picks the
 * templates).  With a scheme the value is normalized to an origin and
 * compared exactly; otherwise it is a substring of host[:port].
 */
static enum pm_rc
atom_origin(struct filter_parser *p, size_t vpos, const char *v,
            const char *exact, const char *like, int twice,
            struct filter_node **out)
{
    char *param;
    const char *sql;
    if (strcasecmp(v, "null") == 0) {
        param = xstrdup("null");
        sql = exact;
    } else if (strstr(v, "://") != NULL) {
        char norm[PM_ORIGIN_MAX];
        struct pm_err oerr = PM_ERR_INIT;
        if (origin_from_url(v, NULL, norm, &oerr) != PM_OK)
            return parse_error(p, vpos,
                               "expected an origin like https://a.example: %s",
                               oerr.msg);
        param = xstrdup(norm);
        sql = exact;
    } else {
        param = like_pattern("%://%", v, "%");
        sql = like;
    }
    struct filter_node *n = atom_new(sql);
    if (twice)
        atom_text(n, xstrdup(param));
    atom_text(n, param);
    *out = n;
    return PM_OK;
}

static enum pm_rc
atom_target(struct filter_parser *p, size_t vpos, const char *v,
            struct filter_node **out)
{
    struct filter_node *n;
    if (strcmp(v, "*") == 0) {
        n = atom_new(sql_target_exact);
        atom_text(n, xstrdup("*"));
    } else if (strstr(v, "://") != NULL) {
        char norm[PM_ORIGIN_MAX];
        struct pm_err oerr = PM_ERR_INIT;
        if (origin_from_url(v, NULL, norm, &oerr) != PM_OK)
            return parse_error(p, vpos,
                               "expected '*' or an origin like "
                               "https://a.example: %s",
                               oerr.msg);
        n = atom_new(sql_target_origin);
        atom_text(n, xstrdup(norm));
        atom_text(n, like_pattern("", norm, "/%"));
    } else {
        n = atom_new(sql_target_like);
        atom_text(n, like_pattern("%", v, "%"));
    }
    *out = n;
    return PM_OK;
}

static enum pm_rc
atom_regex(struct filter_parser *p, struct filter_node **out)
{
    size_t open = p->pos;
    if (peek(p) != '/')
        return parse_error(p, p->pos, "expected /regex/ after 'data~'");
    p->pos++;
    struct pm_buf re;
    pm_buf_init(&re);
    for (;;) {
        if (p->pos >= p->len) {
            pm_buf_release(&re);
            return parse_error(p, open,
                               "unterminated regex; expected a closing /");
        }
        char c = p->s[p->pos++];
        if (c == '/')
            break;
        if (c == '\\' && p->pos < p->len) {
            char d = p->s[p->pos++];
            if (d >= '1' && d <= '9') {
                pm_buf_release(&re);
                return parse_error(p, p->pos - 2,
                                   "back-references are not supported in "
                                   "data~/regex/");
            }
            if (d != '/')
                pm_buf_addc(&re, '\\');
            pm_buf_addc(&re, d);
            continue;
        }
        pm_buf_addc(&re, c);
    }
    if (re.len == 0) {
        pm_buf_release(&re);
        return parse_error(p, open, "empty regex; expected a pattern "
                                    "between the slashes");
    }
    regex_t rx;
    int rc = regcomp(&rx, re.data, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &rx, why, sizeof why);
        pm_buf_release(&re);
        return parse_error(p, open + 1, "bad regex: %s", why);
    }
    regfree(&rx);
    if (!is_terminator(peek(p))) {
        pm_buf_release(&re);
        return parse_error(p, p->pos,
                           "expected a blank or ')' after the closing /");
    }
    struct filter_node *n = atom_new(sql_data_regex);
    atom_text(n, pm_buf_detach(&re));
    *out = n;
    return PM_OK;
}

/* size>N, size>=N, size<N, size<=N, size=N, size:N */
static enum pm_rc
atom_size(struct filter_parser *p, struct filter_node **out)
{
    const char *sql;
    size_t oppos = p->pos;
    char c = peek(p);
    char d = p->pos + 1 < p->len ? p->s[p->pos + 1] : '\0';
    if (c == '>' && d == '=') {
        sql = sql_size_ge;
        p->pos += 2;
    } else if (c == '<' && d == '=') {
        sql = sql_size_le;
        p->pos += 2;
    } else if (c == '>') {
        sql = sql_size_gt;
        p->pos++;
    } else if (c == '<') {
        sql = sql_size_lt;
        p->pos++;
    } else if (c == '=' || c == ':') {
        sql = sql_size_eq;
        p->pos++;
    } else {
        return parse_error(p, oppos,
                           "expected >, >=, <, <=, = or : after 'size'");
    }
    size_t vpos = p->pos;
    size_t n = word_len(p, vpos);
    char *v = xstrndup(p->s + vpos, n);
    int64_t num;
    int bad = parse_count(v, &num);
    free(v);
    if (bad)
        return parse_error(p, vpos,
                           "bad number; expected a byte count like 1000");
    p->pos += n;
    struct filter_node *node = atom_new(sql);
    atom_int(node, num);
    *out = node;
    return PM_OK;
}

/* True when an FTS5 tokenizer (unicode61) would find a token in v. */
static int
has_token_chars(const char *v)
{
    for (const unsigned char *u = (const unsigned char *)v; *u; u++)
        if (isalnum(*u) || *u >= 0x80)
            return 1;
    return 0;
}

/*
 * A bare word or quoted phrase: an FTS5 query with the text as one string
 * (doubling '"'), so nothing the user types is FTS5 syntax.  A bare word
 * ending in '*' is a prefix query.  Text without token characters cannot be
 * found through the index and is matched as a substring instead.
 */
static struct filter_node *
atom_text_search(const char *v, int quoted)
{
    size_t n = strlen(v);
    int prefix = !quoted && n > 1 && v[n - 1] == '*';
    char *word = xstrndup(v, prefix ? n - 1 : n);
    struct filter_node *node;
    if (!has_token_chars(word)) {
        node = atom_new(sql_data_like);
        atom_text(node, like_pattern("%", v, "%"));
        free(word);
        return node;
    }
    struct pm_buf q;
    pm_buf_init(&q);
    pm_buf_addc(&q, '"');
    for (const char *c = word; *c; c++) {
        if (*c == '"')
            pm_buf_addc(&q, '"');
        pm_buf_addc(&q, *c);
    }
    pm_buf_addc(&q, '"');
    if (prefix)
        pm_buf_addc(&q, '*');
    free(word);
    node = atom_new(sql_fts);
    atom_text(node, pm_buf_detach(&q));
    return node;
}

static const char *
canonical_name(const char *v, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(v, names[i]) == 0)
            return names[i];
    return NULL;
}

static enum pm_rc
atom_int_key(struct filter_parser *p, size_t vpos, const char *key,
             const char *v, const char *sql, int twice,
             struct filter_node **out)
{
    int64_t num;
    if (parse_count(v, &num) != 0)
        return parse_error(p, vpos,
                           "bad number after '%s:'; expected a "
                           "non-negative integer",
                           key);
    struct filter_node *n = atom_new(sql);
    atom_int(n, num);
    if (twice)
        atom_int(n, num);
    *out = n;
    return PM_OK;
}

/* key:value once the key is known; p->pos is just after the ':'. */
static enum pm_rc
atom_keyed(struct filter_parser *p, enum filter_key key, const char *keyname,
           struct filter_node **out)
{
    if (key == KEY_SIZE) {
        p->pos--; /* atom_size reads "size:N" from the ':' as "=" */
        return atom_size(p, out);
    }
    size_t vpos = p->pos;
    struct pm_buf vb;
    pm_buf_init(&vb);
    int quoted;
    if (read_value(p, &vb, &quoted)) {
        pm_buf_release(&vb);
        return p->err->rc;
    }
    if (vb.len == 0) {
        pm_buf_release(&vb);
        return parse_error(p, vpos, "empty value after '%s:'", keyname);
    }
    const char *v = vb.data;
    enum pm_rc rc = PM_OK;
    struct filter_node *n = NULL;
    const char *canon;
    switch (key) {
    case KEY_ORIGIN:
        rc = atom_origin(p, vpos, v, sql_origin_exact, sql_origin_like, 1, &n);
        break;
    case KEY_FROM:
        rc = atom_origin(p, vpos, v, sql_from_exact, sql_from_like, 0, &n);
        break;
    case KEY_TO:
        rc = atom_origin(p, vpos, v, sql_to_exact, sql_to_like, 0, &n);
        break;
    case KEY_TARGET:
        rc = atom_target(p, vpos, v, &n);
        break;
    case KEY_VIA:
        canon = canonical_name(v, via_kinds,
                               sizeof via_kinds / sizeof via_kinds[0]);
        if (canon == NULL) {
            rc = parse_error(p, vpos, "unknown via '%.40s'; expected window, "
                                      "port, broadcast or worker", v);
            break;
        }
        n = atom_new(sql_via);
        atom_text(n, xstrdup(canon));
        break;
    case KEY_PORT:
        n = atom_new(sql_port);
        atom_text(n, xstrdup(v));
        break;
    case KEY_CHECK:
        if (strcasecmp(v, "weak") == 0) {
            n = atom_new(sql_check_weak);
            break;
        }
        if (strcasecmp(v, "regex") == 0)
            v = "regex-unanchored";
        canon = canonical_name(v, check_kinds,
                               sizeof check_kinds / sizeof check_kinds[0]);
        n = atom_new(sql_check);
        atom_text(n, xstrdup(canon ? canon : v));
        atom_text(n, xstrdup(canon ? canon : v));
        break;
    case KEY_SINK:
        if (!quoted && strcmp(v, "*") == 0) {
            n = atom_new(sql_sink_any);
            break;
        }
        n = atom_new(sql_sink);
        atom_text(n, like_pattern("%,", v, ",%"));
        atom_text(n, like_pattern("%,", v, ",%"));
        break;
    case KEY_DATA:
        n = atom_new(sql_data_like);
        atom_text(n, like_pattern("%", v, "%"));
        break;
    case KEY_ID:
        rc = atom_int_key(p, vpos, keyname, v, sql_id, 0, &n);
        break;
    case KEY_FLOW:
        rc = atom_int_key(p, vpos, keyname, v, sql_flow, 0, &n);
        break;
    case KEY_SOURCE:
        rc = atom_int_key(p, vpos, keyname, v, sql_source, 0, &n);
        break;
    case KEY_VISIT:
        rc = atom_int_key(p, vpos, keyname, v, sql_visit, 1, &n);
        break;
    case KEY_SIZE:
        break;
    }
    pm_buf_release(&vb);
    if (rc != PM_OK)
        return rc;
    *out = n;
    return PM_OK;
}

/* One term that is not an operator or a parenthesis. */
static enum pm_rc
parse_atom(struct filter_parser *p, struct filter_node **out)
{
    size_t start = p->pos;
    char c = peek(p);
    if (++p->terms > FILTER_MAX_TERMS)
        return parse_error(p, start, "too many terms (at most %d)",
                           FILTER_MAX_TERMS);
    if (c == '"' || c == '\'') {
        struct pm_buf vb;
        pm_buf_init(&vb);
        if (read_quoted(p, &vb)) {
            pm_buf_release(&vb);
            return p->err->rc;
        }
        if (vb.len == 0) {
            pm_buf_release(&vb);
            return parse_error(p, start,
                               "empty quotes; expected text between them");
        }
        if (!has_token_chars(vb.data)) {
            /* Punctuation only: the index has no token for it. */
            struct filter_node *n = atom_new(sql_data_like);
            atom_text(n, like_pattern("%", vb.data, "%"));
            pm_buf_release(&vb);
            *out = n;
            return PM_OK;
        }
        *out = atom_text_search(vb.data, 1);
        pm_buf_release(&vb);
        return PM_OK;
    }
    /* A key is letters followed by ':' (or '~' / a comparison). */
    size_t k = 0;
    while (start + k < p->len && isalpha((unsigned char)p->s[start + k]))
        k++;
    char after = start + k < p->len ? p->s[start + k] : '\0';
    if (k > 0 && k <= 16 && after == ':') {
        char name[17];
        memcpy(name, p->s + start, k);
        name[k] = '\0';
        for (size_t i = 0; i < sizeof filter_keys / sizeof filter_keys[0];
             i++) {
            if (strcasecmp(name, filter_keys[i].name) == 0) {
                p->pos = start + k + 1;
                return atom_keyed(p, filter_keys[i].key, filter_keys[i].name,
                                  out);
            }
        }
    }
    if (k > 0 && after == ':')
        return parse_error(p, start,
                           "unknown key '%.*s:'; expected one of " KEY_LIST
                           " (quote the word to search for it as text)",
                           (int)(k > 40 ? 40 : k), p->s + start);
    if (k == 4 && strncasecmp(p->s + start, "data", 4) == 0 && after == '~') {
        p->pos = start + 5;
        return atom_regex(p, out);
    }
    if (k == 4 && strncasecmp(p->s + start, "size", 4) == 0 &&
        (after == '<' || after == '>' || after == '=')) {
        p->pos = start + 4;
        return atom_size(p, out);
    }
    size_t n = word_len(p, start);
    if (n == 6 && strncasecmp(p->s + start, "marked", 6) == 0) {
        p->pos += n;
        *out = atom_new(sql_marked);
        return PM_OK;
    }
    char *w = xstrndup(p->s + start, n);
    p->pos += n;
    *out = atom_text_search(w, 0);
    free(w);
    return PM_OK;
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
        return parse_error(p, pos, "expected a term before %s", found);
    return parse_error(p, pos, "expected a term after '%s', found %s", after,
                       found);
}

static enum pm_rc
enter(struct filter_parser *p, size_t pos)
{
    if (++p->depth > FILTER_MAX_DEPTH)
        return parse_error(p, pos,
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
    char c = peek(p);
    if (kw == KW_NOT || c == '!' || c == '-') {
        const char *op = kw == KW_NOT ? "not" : c == '!' ? "!" : "-";
        p->pos += kw == KW_NOT ? 3 : 1;
        if (enter(p, pos))
            return p->err->rc;
        struct filter_node *kid = NULL;
        if (parse_unary(p, op, &kid))
            return p->err->rc;
        p->depth--;
        if (kid->kind == FN_NOT) {
            /* not not A = A */
            *out = kid->kids[0];
            kid->nkids = 0;
            node_free(kid);
            return PM_OK;
        }
        struct filter_node *n = xcalloc(1, sizeof *n);
        n->kind = FN_NOT;
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
        if (peek(p) != ')') {
            node_free(inner);
            return parse_error(p, pos, "unbalanced '('; expected ')' "
                                       "to close it");
        }
        p->pos++;
        p->depth--;
        *out = inner;
        return PM_OK;
    }
    return parse_atom(p, out);
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
        char c = peek(p);
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
        return parse_error(&p, FILTER_MAX_LEN,
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
            parse_error(&p, p.pos, "unbalanced ')'; no '(' to close");
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
    sqlite3_stmt *s = stmt;
    int idx = first_index;
    for (int i = 0; f && i < f->nparams; i++, idx++) {
        const struct filter_param *fp = &f->params[i];
        int rc = fp->is_int
                     ? sqlite3_bind_int64(s, idx, fp->num)
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
    const unsigned char *s = (const unsigned char *)(expr ? expr : "");
    size_t len = strlen((const char *)s);
    long col = 1;
    long want = err->col > 0 ? err->col : 1;
    pm_buf_adds(out, indent);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(s, len, i);
        if (n == 0 || s[i] < 0x20 || s[i] == 0x7f ||
            (n == 2 && s[i] == 0xC2 && s[i + 1] < 0xA0))
            pm_buf_addc(out, s[i] == '\t' ? ' ' : '?');
        else
            pm_buf_add(out, s + i, n);
        i += n ? n : 1;
        col++;
    }
    pm_buf_addc(out, '\n');
    pm_buf_adds(out, indent);
    for (long c = 1; c < want && c < col + 1; c++)
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
