/*
 * redact.h - keep secrets and personal data out of exported reports.
 *
 * A report is shared (tickets, chat, bug bounty platforms), a workspace is
 * not.  By default the exporter passes every value from an input through
 * these functions.  What is hidden is decided by one table, redact_rules[]:
 * each rule says what it matches, where it applies (data keys, URL and form
 * parameters, "name: value" text, source code), and carries an example the
 * rule must redact and one it must keep (tests/test_redact.c runs them all;
 * docs/findings-and-report.md lists the same rules).
 *
 * Only values are hidden, never the structure around them: a key, a
 * parameter name, a URL's scheme, host and path, and every identifier and
 * expression of source code stay, so a report still says where a secret
 * was.  `pmscope export --no-redact` skips all of this.
 */
#ifndef PM_REDACT_H
#define PM_REDACT_H

#include "buf.h"

#define REDACTED "[redacted]"

struct cJSON;

/* Where a name rule applies (bits of struct redact_rule.where). */
enum redact_where {
    REDACT_IN_DATA = 1 << 0,  /* a JSON member name, a {"name","value"}
                                 pair, a quoted key in text */
    REDACT_IN_PARAM = 1 << 1, /* a URL query, fragment or ;path parameter,
                                 or a pair of a&b=c form data */
    REDACT_IN_TEXT = 1 << 2,  /* "name: value" / "name = value" in text */
    REDACT_IN_CODE = 1 << 3,  /* a literal assigned to or compared with the
                                 name in source code */
};

enum redact_kind {
    REDACT_NAMES,  /* values of fields whose name matches */
    REDACT_HEADER, /* values of the always-secret HTTP headers */
    REDACT_VALUE,  /* values that look like a secret wherever they are */
};

/* How a rule's examples are run: as text, JSON data or source code. */
enum redact_example_kind {
    REDACT_EX_TEXT,
    REDACT_EX_JSON,
    REDACT_EX_CODE,
};

struct redact_rule {
    const char *name;      /* short name, as in the docs */
    const char *matches;   /* what it matches, one sentence */
    enum redact_kind kind;
    unsigned where;        /* REDACT_IN_* for REDACT_NAMES */
    /* REDACT_NAMES: a name matches when one of its words (split at
     * non-alphanumerics and lower-to-upper case changes) is in words, or
     * the whole name without separators, lower-cased, is in whole or ends
     * with one of suffixes. */
    const char *const *words, *const *whole, *const *suffixes;
    /* REDACT_VALUE: length of the secret starting at s (0 = none); s is
     * at the start of a word of text; in_url says it is inside a URL. */
    size_t (*value_len)(const char *s, int in_url);
    enum redact_example_kind example_kind;
    const char *example;   /* must be redacted ... */
    const char *redacted;  /* ... into exactly this */
    const char *kept;      /* must come out unchanged */
};

extern const struct redact_rule redact_rules[];
extern const int redact_nrules;

/*
 * The first REDACT_NAMES rule that matches a field, parameter or header
 * name in one of the places in where (REDACT_IN_* bits); NULL for none.
 * "monkey" or "keyboard" match nothing.
 */
const struct redact_rule *redact_name_rule(const char *name, unsigned where);

/* 1 when a data key names a secret or personal data (REDACT_IN_DATA). */
int redact_is_sensitive_name(const char *name);

/* 1 for a header whose value is always a secret (Cookie, Set-Cookie,
 * Authorization, Proxy-Authorization) or whose name is sensitive. */
int redact_is_secret_header(const char *name);

/* 1 when the whole value looks like a credential (JWT, long hex or
 * base64, "Bearer x"). */
int redact_is_token_value(const char *value);

/*
 * Copy text to out with secret values replaced: the value rules anywhere
 * (long hex and base64 runs only outside URLs), the value after a
 * matching name followed by '=' or ':', the password of a URL's userinfo,
 * and the rest of a "Cookie:" / "Authorization:" ... header line.
 */
void redact_text(struct pm_buf *out, const char *text);

/*
 * Copy JavaScript source to out with secret values replaced: a string or
 * number literal assigned to, compared with or keyed by a name that
 * matches a REDACT_IN_CODE rule becomes "[redacted]"; every other string
 * literal and comment goes through redact_text.  Identifiers, operators
 * and expressions are never changed.
 */
void redact_code(struct pm_buf *out, const char *code);

/* Redact a parsed JSON value in place: member values whose names match,
 * secret headers and name/value pairs written as ["Cookie", v] or
 * {"name": "Cookie", "value": v}, token-like strings, and redact_text on
 * every other string. */
void redact_json(struct cJSON *node);

#endif
