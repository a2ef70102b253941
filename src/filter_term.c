/*
 * filter_term.c - one term of the filter language (filter.h): the key
 * table, value syntax (quotes, numbers, /regex/), and the SQL template each
 * term compiles to.  Values become bound parameters of the node; LIKE
 * patterns escape % and _ so user text always matches literally.
 */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vocab.h"
#include "buf.h"
#include "filter.h"
#include "filter_int.h"
#include "mem.h"
#include "origin.h"
#include "regex_guard.h"

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
 * (4-14x faster over a full listing, 2 ms for a first page).  check: and
 * sink: likewise: without the + SQLite ORs messages_listener lookups (every
 * message without a listener matches "listener_id IS NULL") and sorts the
 * whole match set per page: 900 ms for a first page on 1M messages.
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
/*
 * A LIKE on m.target_origin cannot use its index, so a target that matched
 * nothing read every message (1.3 s on 1 M).  The distinct targetOrigins
 * are few: TARGET_VALUES hops from one to the next through messages_target
 * (one seek each) and keeps those the value matches.  Each message is then
 * tested against that list on the rowid scan (a list of several values
 * walked through the index would have to be sorted: 0.25 s for 100 k
 * matches), and NO_MATCH_ENDS_SCAN ends the scan before it starts when
 * the list is empty.
 */
#define TARGET_VALUES(cond)                                                  \
    "(WITH RECURSIVE t(v) AS"                                                \
    " (SELECT min(target_origin) FROM messages UNION ALL"                    \
    " SELECT (SELECT min(target_origin) FROM messages"                       \
    " WHERE target_origin > t.v) FROM t WHERE t.v IS NOT NULL)"              \
    " SELECT v FROM t WHERE " cond ")"
/*
 * An upper bound on m.id that is the largest id when the test holds and
 * below every id when it does not: SQLite evaluates a rowid bound once
 * before the scan, where a constant term beside the scan would be tested
 * on every row.
 */
#define NO_MATCH_ENDS_SCAN(test)                                             \
    " AND m.id <= CASE WHEN " test " THEN 9223372036854775807 ELSE -1 END"
#define TARGET_IN(cond)                                                      \
    "(+m.target_origin IN " TARGET_VALUES(cond)                              \
    NO_MATCH_ENDS_SCAN("EXISTS " TARGET_VALUES(cond)) ")"
static const char sql_target_origin[] =
    TARGET_IN("v = ? OR v LIKE ?" LIKE_ESC);
static const char sql_target_like[] = TARGET_IN("v LIKE ?" LIKE_ESC);
static const char sql_via[] = "m.via = ?";
static const char sql_port[] = "m.port = ?";
/*
 * A message matches a listener condition through the listener analysis
 * attributed it to, else through the listeners of its receiving window that
 * it reached: those on its channel (a window message the window's own
 * listeners, a port message its ports'; a listener of unknown target every
 * channel) and of the document it was delivered to (a frame that navigated
 * keeps its window row; a listener of unknown document, doc 0, reaches
 * every document).  The lists stay uncorrelated, so SQLite builds each
 * (window, channel[, document]) list once per statement, not per message.
 */
#define CHANNELS                                                             \
    "(SELECT 'window' AS via UNION ALL SELECT 'port' UNION ALL SELECT"       \
    " 'broadcast' UNION ALL SELECT 'worker') c"                              \
    " ON coalesce(l.target, c.via) = c.via"
#define REACHED_BY(cond)                                                     \
    "(+m.listener_id IN (SELECT l.id FROM listeners l WHERE " cond ")"       \
    " OR (+m.listener_id IS NULL AND ((+m.receiver_window_id, +m.via) IN"    \
    " (SELECT l.window_id, c.via FROM listeners l JOIN " CHANNELS            \
    " WHERE l.doc = 0 AND " cond ")"                                         \
    " OR (+m.receiver_window_id, +m.via, +m.receiver_doc) IN"                \
    " (SELECT l.window_id, c.via, l.doc FROM listeners l JOIN " CHANNELS     \
    " WHERE l.doc <> 0 AND " cond "))))"
static const char sql_check[] = REACHED_BY("l.check_kind = ?");
static const char sql_check_weak[] =
    REACHED_BY("l.check_kind NOT IN ('strict', 'unknown')");
static const char sql_sink[] =
    REACHED_BY("',' || replace(l.sinks, ' ', '') || ',' LIKE ?" LIKE_ESC);
static const char sql_sink_any[] = REACHED_BY("coalesce(l.sinks, '') <> ''");
static const char sql_listener[] = REACHED_BY("l.id = ?");
/* No unary +: a window's messages are few next to an origin's, and the two
 * window indexes find them (a rare window's first page 0.3 ms, where the
 * rowid scan took 6 ms on 1M messages; a busy one's 5.7 against 0.4). */
static const char sql_window[] =
    "(m.sender_window_id = ? OR m.receiver_window_id = ?)";
static const char sql_data_like[] = "m.data_json LIKE ?" LIKE_ESC;
static const char sql_data_regex[] = "regexp(?, m.data_json)";
/*
 * The rowid range is the caller's (filter_bind_range): bounded inside the
 * subquery, a count slice or a page reads the index's matches in that
 * range only, instead of every match for every slice (a word with 166 746
 * matches in 1 M messages took 161 s to count in slices).
 */
static const char sql_fts[] =
    "m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?"
    " AND rowid > ? AND rowid <= ?)";
static const char sql_id[] = "m.id = ?";
static const char sql_flow[] = "m.flow_id = ?";
static const char sql_source[] = "m.source_id = ?";
/* the call recorded at the sender (a trace's send record) */
static const char sql_send[] = "m.send_site_id = ?";
static const char sql_visit[] =
    "(+m.sender_window_id IN (SELECT w.id FROM windows w WHERE w.visit_id = ?)"
    " OR +m.receiver_window_id IN (SELECT w.id FROM windows w"
    " WHERE w.visit_id = ?))";
/* A list, not a correlated EXISTS: findings are few, lookups by rowid. */
static const char sql_marked[] =
    "m.id IN (SELECT f.subject_id FROM findings f"
    " WHERE f.subject_kind = 'message' AND f.status <> 'dismissed')";
/*
 * Without statistics SQLite walks a range of messages_size only to sort it,
 * so a range stays on the rowid scan; messages_size's min or max (one seek)
 * ends a range that matches nothing before the scan starts.
 */
static const char sql_size_gt[] =
    "(m.size > ?" NO_MATCH_ENDS_SCAN("(SELECT max(size) FROM messages) > ?") ")";
static const char sql_size_ge[] =
    "(m.size >= ?" NO_MATCH_ENDS_SCAN("(SELECT max(size) FROM messages) >= ?") ")";
static const char sql_size_lt[] =
    "(m.size < ?" NO_MATCH_ENDS_SCAN("(SELECT min(size) FROM messages) < ?") ")";
static const char sql_size_le[] =
    "(m.size <= ?" NO_MATCH_ENDS_SCAN("(SELECT min(size) FROM messages) <= ?") ")";
static const char sql_size_eq[] = "m.size = ?";

static const char *const via_kinds[] = {"window", "port", "broadcast",
                                        "worker"};

/* KEY_ID: every key:N whose value is one id bound to each placeholder. */
enum filter_key {
    KEY_ORIGIN, KEY_FROM, KEY_TO, KEY_TARGET, KEY_VIA, KEY_PORT, KEY_CHECK,
    KEY_SINK, KEY_DATA, KEY_SIZE, KEY_ID,
};

struct filter_key_def {
    const char *name;
    enum filter_key key;
    const char *id_sql; /* KEY_ID: the template */
    int id_copies;      /* KEY_ID: its placeholders */
};

static const struct filter_key_def filter_keys[] = {
    {"origin", KEY_ORIGIN, NULL, 0}, {"from", KEY_FROM, NULL, 0},
    {"to", KEY_TO, NULL, 0},         {"target", KEY_TARGET, NULL, 0},
    {"via", KEY_VIA, NULL, 0},       {"port", KEY_PORT, NULL, 0},
    {"check", KEY_CHECK, NULL, 0},   {"sink", KEY_SINK, NULL, 0},
    {"data", KEY_DATA, NULL, 0},     {"size", KEY_SIZE, NULL, 0},
    {"id", KEY_ID, sql_id, 1},       {"flow", KEY_ID, sql_flow, 1},
    {"source", KEY_ID, sql_source, 1},
    {"visit", KEY_ID, sql_visit, 2},
    {"listener", KEY_ID, sql_listener, 3},
    {"window", KEY_ID, sql_window, 2},
    {"send", KEY_ID, sql_send, 1},
};

#define KEY_LIST "origin, from, to, target, via, port, check, sink, data, " \
                 "size, id, flow, source, visit, listener, window, send"

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
            return filter_parse_error(p, start,
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
    if (!filter_is_terminator(filter_peek(p)))
        return filter_parse_error(p, p->pos,
                           "expected a blank or ')' after the closing quote");
    return PM_OK;
}

/* A key's value: quoted, or the unquoted word up to a blank or paren. */
static enum pm_rc
read_value(struct filter_parser *p, struct pm_buf *out, int *quoted)
{
    char c = filter_peek(p);
    *quoted = (c == '"' || c == '\'');
    if (*quoted)
        return read_quoted(p, out);
    size_t n = filter_word_len(p, p->pos);
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

/* ---- nodes ------------------------------------------------------------- */

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

/* Append v for each of the three placeholders of a REACHED_BY template. */
static void
atom_text_reached(struct filter_node *n, char *v)
{
    atom_text(n, v);
    atom_text(n, xstrdup(v));
    atom_text(n, xstrdup(v));
}

/* Append the placeholder of one of the caller's id bounds. */
static void
atom_range(struct filter_node *n, enum filter_range which)
{
    n->params[n->nparams].is_int = 1;
    n->params[n->nparams].range = which;
    n->nparams++;
}

static void
atom_int(struct filter_node *n, int64_t v)
{
    n->params[n->nparams].is_int = 1;
    n->params[n->nparams].num = v;
    n->nparams++;
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
            return filter_parse_error(p, vpos,
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
            return filter_parse_error(p, vpos,
                               "expected '*' or an origin like "
                               "https://a.example: %s",
                               oerr.msg);
        n = atom_new(sql_target_origin);
        for (int copy = 0; copy < 2; copy++) { /* list, then emptiness */
            atom_text(n, xstrdup(norm));
            atom_text(n, like_pattern("", norm, "/%"));
        }
    } else {
        n = atom_new(sql_target_like);
        atom_text(n, like_pattern("%", v, "%"));
        atom_text(n, like_pattern("%", v, "%"));
    }
    *out = n;
    return PM_OK;
}

static enum pm_rc
atom_regex(struct filter_parser *p, struct filter_node **out)
{
    size_t open = p->pos;
    if (filter_peek(p) != '/')
        return filter_parse_error(p, p->pos, "expected /regex/ after 'data~'");
    p->pos++;
    struct pm_buf re;
    pm_buf_init(&re);
    for (;;) {
        if (p->pos >= p->len) {
            pm_buf_release(&re);
            return filter_parse_error(p, open,
                               "unterminated regex; expected a closing /");
        }
        char c = p->s[p->pos++];
        if (c == '/')
            break;
        if (c == '\\' && p->pos < p->len) {
            char d = p->s[p->pos++];
            if (d >= '1' && d <= '9') {
                pm_buf_release(&re);
                return filter_parse_error(p, p->pos - 2,
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
        return filter_parse_error(p, open, "empty regex; expected a pattern "
                                    "between the slashes");
    }
    size_t bad;
    const char *too_costly;
    if (regex_guard(re.data, &bad, &too_costly) != 0) {
        pm_buf_release(&re);
        /* offsets in re are close to the input's (only \/ was shortened) */
        return filter_parse_error(p, open + 1 + bad, "regex refused: %s",
                                  too_costly);
    }
    regex_t rx;
    int rc = regcomp(&rx, re.data, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &rx, why, sizeof why);
        pm_buf_release(&re);
        return filter_parse_error(p, open + 1, "bad regex: %s", why);
    }
    regfree(&rx);
    if (!filter_is_terminator(filter_peek(p))) {
        pm_buf_release(&re);
        return filter_parse_error(p, p->pos,
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
    char c = filter_peek(p);
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
        return filter_parse_error(p, oppos,
                           "expected >, >=, <, <=, = or : after 'size'");
    }
    size_t vpos = p->pos;
    size_t n = filter_word_len(p, vpos);
    char *v = xstrndup(p->s + vpos, n);
    int64_t num;
    int bad = parse_count(v, &num);
    free(v);
    if (bad)
        return filter_parse_error(p, vpos,
                           "bad number; expected a byte count like 1000");
    p->pos += n;
    struct filter_node *node = atom_new(sql);
    atom_int(node, num);
    if (sql != sql_size_eq) /* the min/max guard's copy */
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
    atom_range(node, FR_LO);
    atom_range(node, FR_HI);
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

/* The sink name v stands for (any case), or NULL: a sink: value. */
static const char *
canonical_sink(const char *v)
{
    for (int i = 0; i < PM_SINK_COUNT; i++)
        if (strcasecmp(v, sink_name(1u << i)) == 0)
            return sink_name(1u << i);
    return NULL;
}

/*
 * "unknown KEY 'V'; expected a, b, ... or LAST" at the value: a value of a
 * key with a fixed set of values that is none of them.
 */
static enum pm_rc
unknown_value(struct filter_parser *p, size_t vpos, const char *key,
              const char *v, const char *const *names, size_t n,
              const char *last)
{
    struct pm_buf list;
    pm_buf_init(&list);
    for (size_t i = 0; i < n; i++)
        pm_buf_addf(&list, "%s, ", names[i]);
    pm_buf_adds(&list, "or ");
    pm_buf_adds(&list, last);
    enum pm_rc rc = filter_parse_error(p, vpos, "unknown %s '%.40s'; expected %s",
                                       key, v, list.data);
    pm_buf_release(&list);
    return rc;
}

/* key:N for sql, with N bound to each of its copies placeholders. */
static enum pm_rc
atom_int_key(struct filter_parser *p, size_t vpos, const char *key,
             const char *v, const char *sql, int copies,
             struct filter_node **out)
{
    int64_t num;
    if (parse_count(v, &num) != 0)
        return filter_parse_error(p, vpos,
                           "bad number after '%s:'; expected a "
                           "non-negative integer",
                           key);
    struct filter_node *n = atom_new(sql);
    for (int i = 0; i < copies; i++)
        atom_int(n, num);
    *out = n;
    return PM_OK;
}

/* key:value once the key is known; p->pos is just after the ':'. */
static enum pm_rc
atom_keyed(struct filter_parser *p, const struct filter_key_def *def,
           struct filter_node **out)
{
    enum filter_key key = def->key;
    const char *keyname = def->name;
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
        return filter_parse_error(p, vpos, "empty value after '%s:'", keyname);
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
            rc = filter_parse_error(p, vpos, "unknown via '%.40s'; expected window, "
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
        /* vocab.c's names: any case, and "regex" for regex-unanchored. */
        int kind = check_kind_parse(v);
        if (kind < 0) {
            const char *kinds[PM_CHECK__COUNT];
            for (int i = 0; i < PM_CHECK__COUNT; i++)
                kinds[i] = check_kind_name((enum pm_check_kind)i);
            rc = unknown_value(p, vpos, "check", v, kinds, PM_CHECK__COUNT,
                               "weak");
            break;
        }
        n = atom_new(sql_check);
        atom_text_reached(n, xstrdup(check_kind_name((enum pm_check_kind)kind)));
        break;
    case KEY_SINK:
        if (!quoted && strcmp(v, "*") == 0) {
            n = atom_new(sql_sink_any);
            break;
        }
        canon = canonical_sink(v);
        if (canon == NULL) {
            const char *sinks[PM_SINK_COUNT];
            for (int i = 0; i < PM_SINK_COUNT; i++)
                sinks[i] = sink_name(1u << i);
            rc = unknown_value(p, vpos, "sink", v, sinks, PM_SINK_COUNT, "*");
            break;
        }
        n = atom_new(sql_sink);
        atom_text_reached(n, like_pattern("%,", canon, ",%"));
        break;
    case KEY_DATA:
        n = atom_new(sql_data_like);
        atom_text(n, like_pattern("%", v, "%"));
        break;
    case KEY_ID:
        rc = atom_int_key(p, vpos, keyname, v, def->id_sql, def->id_copies,
                          &n);
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
enum pm_rc
filter_parse_term(struct filter_parser *p, struct filter_node **out)
{
    size_t start = p->pos;
    char c = filter_peek(p);
    if (++p->terms > FILTER_MAX_TERMS)
        return filter_parse_error(p, start, "too many terms (at most %d)",
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
            return filter_parse_error(p, start,
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
                return atom_keyed(p, &filter_keys[i], out);
            }
        }
    }
    if (k > 0 && after == ':')
        return filter_parse_error(p, start,
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
    size_t n = filter_word_len(p, start);
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
