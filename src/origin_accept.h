/*
 * origin_accept.h - would a listener's origin check let a given sender
 * origin through?  The check is the one analysis stored for the listener
 * (its class, listeners.check_kind, and its text as written,
 * listeners.check_expr); the answer is accepted, rejected or unknown, with
 * a sentence saying why.  Pure functions over strings (no store), below the
 * analysis passes that store the verdicts (static_edges.c) and the rules
 * that quote them (suggest.c).
 */
#ifndef PM_ORIGIN_ACCEPT_H
#define PM_ORIGIN_ACCEPT_H

#include <stddef.h>

enum pm_accept {
    PM_ACCEPT_UNKNOWN = 0, /* the check cannot be judged from its text */
    PM_ACCEPT_YES = 1,
    PM_ACCEPT_NO = 2,
};

/* "unknown", "accepted", "rejected". */
const char *accept_name(enum pm_accept a);

/*
 * Judge check (class check_kind, text check_expr; either may be NULL)
 * against the serialized origin `origin`.  why (whysz bytes, may be NULL)
 * gets one line: "equals 'https://a.example'", "contains
 * 'http://127.0.0.1'", "no origin check", ...
 *
 * What is read from the text: its string literals and regex literals.
 * strict: the origin equals one of the literals (a regex literal is
 * matched); indexOf/includes: the origin contains the literal (or, for
 * 'literal'.indexOf(origin), the literal contains the origin);
 * startsWith/endsWith: prefix/suffix; regex-unanchored, search, match: the
 * JavaScript regex (or the string, which search and match take as one) is
 * translated to a POSIX ERE and run; none and source: accepted.  A check
 * without the literal its class needs (a comparison with a variable, an
 * allow-list held elsewhere, a RegExp built at run time), a regex using
 * what POSIX lacks (lookaround, backreferences) and the class unknown give
 * PM_ACCEPT_UNKNOWN.
 */
enum pm_accept origin_accept(const char *check_kind, const char *check_expr,
                             const char *origin, char *why, size_t whysz);

/*
 * A foreign origin the check accepts, built from its literals the way an
 * attacker would register one (`http://127.0.0.1.evil.example` for a
 * substring or prefix test on `http://127.0.0.1`, `https://evila.example`
 * for a suffix test on `a.example`, `https://evil.example` when there is no
 * check): a valid origin, not same-site with any literal's host.  1 and
 * the origin in out; 0 when none of the candidates passes.
 */
int origin_accept_foreign(const char *check_kind, const char *check_expr,
                          char *out, size_t outsz);

#endif
