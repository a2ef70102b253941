/*
 * filter.h - the message filter language shared by the TUI's filter bar and
 * `pmscope ls messages --filter EXPR`.
 *
 * An expression compiles to a WHERE fragment over the messages table under
 * the alias `m`, plus the values it binds.  User text never reaches the SQL
 * text: every value is a `?` parameter.  The fragment uses plain `?`
 * placeholders only, so a caller can put it anywhere in a statement and
 * append its own, e.g.
 *
 *     "SELECT ... FROM messages m WHERE <filter_sql> AND m.id > ?
 *      ORDER BY m.id LIMIT ?"
 *
 * then bind the filter's values from index 1 (filter_bind returns the next
 * free index) and its own after them.
 *
 * Syntax (keys and operators are case-insensitive):
 *
 *   origin:V      sender or receiver origin matches V
 *   from:V        sender origin matches V
 *   to:V          receiver origin matches V
 *                 V with a scheme ("https://a.example:8443") is normalized
 *                 to an origin and matched exactly; "null" matches opaque
 *                 origins; anything else is a substring of the origin's
 *                 host[:port] ("example", "a.example:8443")
 *   target:V      targetOrigin: "*" exactly, a scheme value as that origin
 *                 (with or without a path), else a substring
 *   via:V         window | port | broadcast | worker
 *   port:V        MessagePort channel id, exactly
 *   check:V       origin check class of the receiving listener (none,
 *                 strict, indexOf, ...): the message's own listener when
 *                 known, else any listener of the receiving window;
 *                 check:weak = any class but strict and unknown
 *   sink:V        a sink name of that listener, whole name ("innerHTML");
 *                 sink:* = the listener reaches any sink
 *   data:V        substring of the message data (JSON text)
 *   data~/RE/     POSIX extended regex over the data, case-insensitive
 *                 ("\/" for a slash; back-references are refused)
 *   size>N        also >=, <, <=, =, size:N (bytes of the JSON data)
 *   id:N flow:N source:N visit:N
 *   marked        a finding about the message that is not dismissed
 *   word          full-text search of the data (FTS5 token; "word*" is a
 *                 prefix); a word of punctuation only is a substring
 *   "a b"         a phrase ('...' also quotes); values quote the same way
 *   A B           both (implicit and); also `A and B`, `A && B`
 *   A or B        either; also `A || B`
 *   not A         also `!A`, `-A`; true whenever A is not, including
 *                 for unknown fields (`not target:*` keeps messages whose
 *                 targetOrigin is unknown); quote a word starting with '-'
 *   ( ... )       grouping; and binds tighter than or
 *
 * Limits: FILTER_MAX_LEN bytes, FILTER_MAX_DEPTH nested parentheses and
 * negations, FILTER_MAX_TERMS terms.  The depth bound is set by SQLite
 * (3.40's parser has a fixed 100-entry stack): the worst shape, alternating
 * and/or groups around the largest atom, overflows it at 24 levels; 16
 * leaves room for the statement a caller wraps the fragment in.
 */
#ifndef PM_FILTER_H
#define PM_FILTER_H

#include <stdint.h>

#include "buf.h"
#include "err.h"

#define FILTER_MAX_LEN 4096
#define FILTER_MAX_DEPTH 16
#define FILTER_MAX_TERMS 256

struct pm_filter;

/*
 * Compile expr.  An empty or blank expression matches every message.  On a
 * syntax error returns PM_ERR_USAGE, *out stays NULL, err->src is "filter",
 * err->line 1 and err->col the 1-based column (in characters) of the error,
 * and err->msg says what was expected there.
 */
enum pm_rc filter_compile(const char *expr, struct pm_filter **out,
                          struct pm_err *err);

/* The WHERE fragment over alias m ("1" for the empty filter). */
const char *filter_sql(const struct pm_filter *f);

/* Number of `?` placeholders in filter_sql. */
int filter_param_count(const struct pm_filter *f);

/*
 * Bind the filter's values to stmt (a sqlite3_stmt *) at first_index,
 * first_index + 1, ...  Returns the next free index, or -1 when SQLite
 * refused a binding (the statement has fewer parameters).  Values are
 * copied, so the filter may be freed before the statement runs.
 */
int filter_bind(const struct pm_filter *f, void *stmt, int first_index);
/* filter_bind for a caller that reads only ids in (after_id, upto_id]: the
 * terms that can use the bounds inside their own subqueries do (a word's
 * full-text matches), so a slice or page costs its range, not the table. */
int filter_bind_range(const struct pm_filter *f, void *stmt, int first_index,
                      int64_t after_id, int64_t upto_id);

/*
 * Debug and test view: the SQL, then one line per value,
 * "  ?1 = 'text'" or "  ?2 = 42" (quotes inside text doubled).
 */
void filter_explain(const struct pm_filter *f, struct pm_buf *out);

/* The expression as the user typed it. */
const char *filter_text(const struct pm_filter *f);

/*
 * Two lines for showing a compile error under the expression: expr escaped
 * for the terminal (term_text), then a caret under err->col; each
 * line starts with indent and ends with '\n'.
 */
void filter_error_caret(const char *expr, const struct pm_err *err,
                        const char *indent, struct pm_buf *out);

void filter_free(struct pm_filter *f);

#endif
