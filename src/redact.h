/*
 * redact.h - keep secrets out of exported reports.
 *
 * A report is shared (tickets, chat, bug bounty platforms), a workspace is
 * not.  By default the exporter passes every value from an input through
 * these functions: cookies and Authorization headers, values of fields whose
 * name says they are secret (token, secret, password, session, key, auth,
 * cookie, csrf, ...), and values that look like credentials wherever they
 * appear (JWTs, long hex strings, long base64 strings with mixed case and
 * digits, "Bearer ..." values) become "[redacted]".
 *
 * The rules err on the side of hiding: a long hash in a script URL is
 * redacted too.  `pmscope export --no-redact` skips all of this.
 */
#ifndef PM_REDACT_H
#define PM_REDACT_H

#include "buf.h"

#define REDACTED "[redacted]"

struct cJSON;

/*
 * 1 when a field, parameter or header name names a secret.  The name is
 * split into words at non-alphanumerics and lower-to-upper case changes
 * ("accessToken", "X-Auth-Token", "api_key"), and any word, or the whole
 * name, from the list counts.  "monkey" or "keyboard" do not.
 */
int redact_is_sensitive_name(const char *name);

/* 1 for a header whose value is always a secret (Cookie, Set-Cookie,
 * Authorization, Proxy-Authorization) or whose name is sensitive. */
int redact_is_secret_header(const char *name);

/* 1 when the whole value looks like a credential (JWT, long hex or
 * base64, "Bearer x"). */
int redact_is_token_value(const char *value);

/*
 * Copy text to out with credentials replaced: token-like runs anywhere,
 * the value after a sensitive name followed by '=' or ':' (query strings,
 * cookies, "token: x", embedded JSON), the word after Bearer/Basic, and
 * the rest of a "Cookie:" / "Authorization:" ... header line.
 */
void redact_text(struct pm_buf *out, const char *text);

/* Redact a parsed JSON value in place: member values with sensitive names,
 * secret headers written as ["Cookie", v] or {"name": "Cookie", "value": v},
 * token-like strings, and redact_text on every other string. */
void redact_json(struct cJSON *node);

#endif
