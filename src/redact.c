/*
 * redact.c - secret and personal-data redaction for exported reports (see
 * redact.h): the rule table, name matching, the value rules, and the text
 * and JSON walkers that apply them.  Source code has its own walker in
 * redact_code.c.
 *
 * Pure functions over strings and cJSON trees; no state, no allocation that
 * outlives a call except what is appended to the caller's buffer.
 */
#include "redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mem.h"

#define TOKEN_MIN_LEN 32
#define NAME_MAX_LEN 128

/* ---- value rules --------------------------------------------------------- */

static int
b64_char(unsigned char c)
{
    return isalnum(c) || c == '+' || c == '/' || c == '_' || c == '-';
}

/* A JWT: three base64url segments, the first starting "eyJ" ('{"'). */
static size_t
jwt_len(const char *s)
{
    if (strncmp(s, "eyJ", 3) != 0)
        return 0;
    size_t i = 0;
    int dots = 0;
    for (;;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '_' || c == '-') {
            i++;
        } else if (c == '.' && dots < 2) {
            dots++;
            i++;
        } else {
            break;
        }
    }
    return dots == 2 && i >= 16 ? i : 0;
}

/* Length of the run of base64 characters at s, and what it mixes. */
static size_t
b64_run(const char *s, int *hex, int *mixed)
{
    size_t i = 0;
    int all_hex = 1, up = 0, lo = 0, dig = 0;
    while (b64_char((unsigned char)s[i])) {
        unsigned char c = (unsigned char)s[i];
        if (!isxdigit(c))
            all_hex = 0;
        up |= isupper(c) != 0;
        lo |= islower(c) != 0;
        dig |= isdigit(c) != 0;
        i++;
    }
    *hex = all_hex && dig;
    *mixed = up && lo && dig;
    return i;
}

static size_t
rule_jwt(const char *s, int in_url)
{
    (void)in_url;
    return jwt_len(s);
}

/* 32 or more hex digits with a digit among them; not inside a URL, where
 * such runs are build hashes of script and asset names. */
static size_t
rule_hex(const char *s, int in_url)
{
    int hex, mixed;
    size_t n = b64_run(s, &hex, &mixed);
    return !in_url && hex && n >= TOKEN_MIN_LEN ? n : 0;
}

/* 32 or more base64 characters mixing upper case, lower case and digits,
 * with '=' padding; not inside a URL (opaque build and resource ids). */
static size_t
rule_base64(const char *s, int in_url)
{
    int hex, mixed;
    size_t n = b64_run(s, &hex, &mixed);
    if (in_url || !mixed || n < TOKEN_MIN_LEN)
        return 0;
    while (s[n] == '=')
        n++;
    return n;
}

static int
email_local_char(unsigned char c)
{
    return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
           c == '-';
}

/* local@domain.tld, the top-level domain of letters; not the user part of
 * a URL's userinfo ("https://ada@host"), which url-password handles.  The
 * local part is at most 64 characters (RFC 5321), which also keeps a long
 * dotted run from being rescanned at each of its words. */
static size_t
rule_email(const char *s, int in_url)
{
    (void)in_url;
    size_t i = 0;
    while (i <= 64 && email_local_char((unsigned char)s[i]))
        i++;
    if (i == 0 || s[i] != '@')
        return 0;
    size_t at = i++, label = 0, tld = 0;
    int dots = 0;
    for (;; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-') {
            label++;
            tld = isalpha(c) && tld == label - 1 ? tld + 1 : 0;
        } else if (c == '.' && label > 0 && isalnum((unsigned char)s[i + 1])) {
            dots++;
            label = 0;
            tld = 0;
        } else {
            break;
        }
    }
    return i > at + 1 && dots > 0 && tld >= 2 && tld == label ? i : 0;
}

/* The credential after "Bearer " (any case, any length) or "Basic " (8
 * or more base64 characters, so "a basic idea" stays); value_rule_at
 * checks what precedes it. */
static size_t
rule_auth_scheme(const char *s, int in_url)
{
    (void)in_url;
    size_t n = 0;
    while (b64_char((unsigned char)s[n]) || s[n] == '.' || s[n] == '~')
        n++;
    while (s[n] == '=')
        n++;
    return n;
}

/* The password of a URL's userinfo, "https://user:PASSWORD@host". */
static size_t
rule_url_password(const char *s, int in_url)
{
    (void)in_url;
    size_t n = 0;
    while (s[n] && s[n] != '@' && s[n] != '/' && s[n] != '?' && s[n] != '#' &&
           !isspace((unsigned char)s[n]) && s[n] != '"' && s[n] != '\'')
        n++;
    return s[n] == '@' ? n : 0;
}

/* ---- the table ------------------------------------------------------------ */

static const char *const secret_words[] = {
    "token", "tokens", "secret", "secrets", "password", "passwd", "pwd", "pw",
    "pass", "passcode", "passphrase", "session", "sessionid", "sid", "key",
    "apikey", "auth", "authorization", "cookie", "cookies", "jwt", "bearer",
    "credential", "credentials", "csrf", "xsrf", "signature", "private",
    "otp", NULL,
};
static const char *const secret_suffixes[] = {
    "token", "secret", "password", NULL,
};
static const char *const session_suffixes[] = {"sessid", "sessionid", NULL};
static const char *const payment_words[] = {"pin", "cvv", "cvc", "ssn", NULL};
static const char *const payment_whole[] = {
    "ticket", "samlresponse", "samlrequest", "oauthverifier", "creditcard",
    "creditcardnumber", "cardnumber", "ccnumber", "iban", NULL,
};
static const char *const oauth_whole[] = {"code", "state", NULL};
static const char *const personal_words[] = {
    "email", "phone", "birthdate", "birthday", NULL,
};
static const char *const personal_whole[] = {
    "name", "firstname", "lastname", "fullname", "givenname", "familyname",
    "middlename", "surname", "displayname", "username", "mail",
    "emailaddress", "phonenumber", "mobile", "telephone", "tel", "address",
    "streetaddress", "street", "postalcode", "zipcode", "dateofbirth", "dob",
    NULL,
};

#define IN_ALL (REDACT_IN_DATA | REDACT_IN_PARAM | REDACT_IN_TEXT | REDACT_IN_CODE)

const struct redact_rule redact_rules[] = {
    {"secret-name",
     "values of fields whose name has a word token, secret, password, "
     "passwd, pwd, pw, pass, passcode, passphrase, session, sessionid, sid, "
     "key, apikey, auth, authorization, cookie, jwt, bearer, credential, "
     "csrf, xsrf, signature, private or otp, or ends in token, secret or "
     "password (accessToken, X-Auth-Token, api_key, accesstoken)",
     REDACT_NAMES, IN_ALL, secret_words, NULL, secret_suffixes, NULL,
     REDACT_EX_CODE, "var pw = \"hunter2\"; login(pw);",
     "var pw = \"[redacted]\"; login(pw);",
     "window.demoState.authToken = data.token;"},
    {"session-id",
     "session identifiers: names ending in sessid or sessionid (PHPSESSID, "
     "jsessionid, ASPSESSIONID), also as a ;jsessionid= path parameter",
     REDACT_NAMES, IN_ALL, NULL, NULL, session_suffixes, NULL,
     REDACT_EX_TEXT, "https://app.example/cart;jsessionid=1A2B3C?step=2",
     "https://app.example/cart;jsessionid=[redacted]?step=2",
     "https://app.example/cart;view=full?step=2"},
    {"login-and-payment",
     "data keys pin, cvv, cvc, ssn (as words), ticket, SAMLResponse, "
     "SAMLRequest, oauth_verifier, credit_card, card_number, cc_number, iban",
     REDACT_NAMES, REDACT_IN_DATA | REDACT_IN_PARAM | REDACT_IN_CODE,
     payment_words, payment_whole, NULL, NULL, REDACT_EX_JSON,
     "{\"cvv\":\"123\",\"credit_card\":\"4111111111111111\",\"last4\":\"1111\"}",
     "{\"cvv\":\"[redacted]\",\"credit_card\":\"[redacted]\",\"last4\":\"1111\"}",
     "{\"spinner\":true,\"tickets\":2}"},
    {"oauth-param",
     "OAuth code and state as URL parameters and in a=b&c=d form data "
     "(not as JSON keys, where code and state are ordinary words)",
     REDACT_NAMES, REDACT_IN_PARAM, NULL, oauth_whole, NULL, NULL,
     REDACT_EX_TEXT, "https://app.example/cb?code=4/P7q7W91&state=af0ifjs",
     "https://app.example/cb?code=[redacted]&state=[redacted]",
     "{\"code\": \"render(data)\", \"state\": \"open\"}"},
    {"personal-data",
     "values of keys naming a person's data: name, firstName, lastName, "
     "fullName, givenName, familyName, middleName, surname, displayName, "
     "username, mail, emailAddress, phoneNumber, mobile, telephone, tel, "
     "address, streetAddress, street, postalCode, zipCode, dateOfBirth, dob "
     "(whole names), and any with a word email, phone, birthdate, birthday",
     REDACT_NAMES, REDACT_IN_DATA | REDACT_IN_PARAM | REDACT_IN_CODE,
     personal_words,
     personal_whole, NULL, NULL, REDACT_EX_JSON,
     "{\"type\":\"profile\",\"firstName\":\"Ada\",\"user_email\":\"x\"}",
     "{\"type\":\"profile\",\"firstName\":\"[redacted]\","
     "\"user_email\":\"[redacted]\"}",
     "{\"fileName\":\"a.txt\",\"hostname\":\"a.example\"}"},
    {"secret-header",
     "the value of Cookie, Set-Cookie, Authorization and Proxy-Authorization "
     "header lines, and of such headers written as data ([\"Cookie\", v], "
     "{\"name\": \"Cookie\", \"value\": v})",
     REDACT_HEADER, 0, NULL, NULL, NULL, NULL, REDACT_EX_TEXT,
     "GET / HTTP/1.1\nCookie: a=1; theme=dark\nAccept: */*",
     "GET / HTTP/1.1\nCookie: [redacted]\nAccept: */*",
     "Accept: */*\nCache-Control: no-cache"},
    {"auth-scheme",
     "the credential after Bearer, or after Basic when it is 8 or more "
     "base64 characters",
     REDACT_VALUE, 0, NULL, NULL, NULL, rule_auth_scheme, REDACT_EX_TEXT,
     "sent Bearer xyz to it", "sent Bearer [redacted] to it",
     "a basic idea"},
    {"url-password",
     "the password in a URL's userinfo (https://user:PASSWORD@host)",
     REDACT_VALUE, 0, NULL, NULL, NULL, rule_url_password, REDACT_EX_TEXT,
     "clone https://ada:s3cret@git.example/repo",
     "clone https://ada:[redacted]@git.example/repo",
     "clone https://ada@git.example/repo"},
    {"jwt", "JSON Web Tokens (three base64url parts, the first eyJ...)",
     REDACT_VALUE, 0, NULL, NULL, NULL, rule_jwt, REDACT_EX_TEXT,
     "https://a.example/?t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
     "https://a.example/?t=[redacted]", "version 1.2.3 of eyJ.x"},
    {"email", "e-mail addresses anywhere", REDACT_VALUE, 0, NULL, NULL, NULL,
     rule_email, REDACT_EX_TEXT, "write to ada.l@example.com today",
     "write to [redacted] today", "npm i left-pad@1.3.0"},
    {"hex-run",
     "runs of 32 or more hex digits, except inside a URL (build hashes in "
     "script names)",
     REDACT_VALUE, 0, NULL, NULL, NULL, rule_hex, REDACT_EX_TEXT,
     "id 0123456789abcdef0123456789abcdef", "id [redacted]",
     "https://cdn.example/app.0123456789abcdef0123456789abcdef.js"},
    {"base64-run",
     "runs of 32 or more base64 characters mixing upper case, lower case "
     "and digits, except inside a URL (opaque resource ids)",
     REDACT_VALUE, 0, NULL, NULL, NULL, rule_base64, REDACT_EX_TEXT,
     "k QWxhZGRpbjpvcGVuIHNlc2FtZTEyMzQ1Njc4OTA= end", "k [redacted] end",
     "https://www.gstatic.example/og/_/js/rs=AA2YrTtyZ8Bp0Qx1Lm3NcVb7Hd9Kq2Wf4"},
};
const int redact_nrules = (int)(sizeof redact_rules / sizeof redact_rules[0]);

/* ---- names ----------------------------------------------------------------- */

static int
in_list(const char *const *list, const char *w, size_t n)
{
    char low[NAME_MAX_LEN];
    if (list == NULL || n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    low[n] = '\0';
    for (int i = 0; list[i]; i++)
        if (strcmp(low, list[i]) == 0)
            return 1;
    return 0;
}

static int
ends_with_any(const char *const *list, const char *joined, size_t n)
{
    if (list == NULL)
        return 0;
    for (int i = 0; list[i]; i++) {
        size_t k = strlen(list[i]);
        if (n >= k && strncasecmp(joined + n - k, list[i], k) == 0)
            return 1;
    }
    return 0;
}

/* 1 when one of name's words is in words: split at non-alphanumerics and
 * lower-to-upper case changes ("accessToken", "X-Auth-Token"). */
static int
word_in(const char *const *words, const char *name, size_t len)
{
    if (words == NULL)
        return 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        unsigned char c = i < len ? (unsigned char)name[i] : '\0';
        int boundary = c == '\0' || !isalnum(c);
        int camel = i > start && isupper(c) &&
                    islower((unsigned char)name[i - 1]);
        if (boundary || camel) {
            if (in_list(words, name + start, i - start))
                return 1;
            start = boundary ? i + 1 : i;
        }
    }
    return 0;
}

/* The name rule for the len bytes at name, or NULL. */
static const struct redact_rule *
name_rule_n(const char *name, size_t len, unsigned where)
{
    if (len == 0 || len >= NAME_MAX_LEN)
        return NULL;
    /* The whole name without separators: "Api-Key" -> "apikey". */
    char joined[NAME_MAX_LEN];
    size_t j = 0;
    for (size_t i = 0; i < len; i++)
        if (isalnum((unsigned char)name[i]))
            joined[j++] = name[i];
    joined[j] = '\0';
    for (int r = 0; r < redact_nrules; r++) {
        const struct redact_rule *rule = &redact_rules[r];
        if (rule->kind != REDACT_NAMES || (rule->where & where) == 0)
            continue;
        if (in_list(rule->whole, joined, j) ||
            ends_with_any(rule->suffixes, joined, j) ||
            word_in(rule->words, name, len))
            return rule;
    }
    return NULL;
}

const struct redact_rule *
redact_name_rule(const char *name, unsigned where)
{
    return name ? name_rule_n(name, strlen(name), where) : NULL;
}

int
redact_is_sensitive_name(const char *name)
{
    return redact_name_rule(name, REDACT_IN_DATA) != NULL;
}

int
redact_is_secret_header(const char *name)
{
    static const char *const always[] = {
        "cookie", "set-cookie", "authorization", "proxy-authorization", NULL,
    };
    if (name == NULL)
        return 0;
    for (int i = 0; always[i]; i++)
        if (strcasecmp(name, always[i]) == 0)
            return 1;
    return redact_name_rule(name, REDACT_IN_DATA | REDACT_IN_PARAM) != NULL;
}

int
redact_is_token_value(const char *v)
{
    if (v == NULL)
        return 0;
    if (strncasecmp(v, "bearer ", 7) == 0 || strncmp(v, "Basic ", 6) == 0)
        return 1;
    size_t n = jwt_len(v);
    if (n == 0)
        n = rule_hex(v, 0);
    if (n == 0)
        n = rule_base64(v, 0);
    return n > 0 && v[n] == '\0';
}

/* ---- text ------------------------------------------------------------------ */

static int
name_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-';
}

/* Characters that end a value after "name=" / "name:". */
static int
value_end(unsigned char c)
{
    return c == '\0' || c == '&' || c == ';' || c == ',' || c == '"' ||
           c == '\'' || c == '}' || c == ']' || c == '#' || c == '<' ||
           c == '>' || isspace(c);
}

/* Where a URL ends inside text. */
static int
url_end(unsigned char c)
{
    return c == '\0' || isspace(c) || c == '"' || c == '\'' || c == '<' ||
           c == '>' || c == '`';
}

struct text_scan {
    const char *s;
    int in_url;   /* inside scheme://... */
    int in_query; /* past the URL's '?' or '#' */
};

/* The value rule at word start i (preceded by what the rule needs). */
static size_t
value_rule_at(const struct text_scan *t, size_t i)
{
    const char *s = t->s;
    for (int r = 0; r < redact_nrules; r++) {
        const struct redact_rule *rule = &redact_rules[r];
        if (rule->kind != REDACT_VALUE)
            continue;
        if (rule->value_len == rule_auth_scheme) {
            int bearer = i >= 7 && strncasecmp(s + i - 7, "bearer ", 7) == 0;
            int basic = i >= 6 && strncmp(s + i - 6, "Basic ", 6) == 0;
            if (!bearer && !basic)
                continue;
            size_t n = rule_auth_scheme(s + i, t->in_url);
            if (n > 0 && (bearer || n >= 8))
                return n;
            continue;
        }
        if (rule->value_len == rule_url_password) {
            /* scheme://user:HERE@ */
            if (!t->in_url || i == 0 || s[i - 1] != ':')
                continue;
            size_t k = i - 1;
            while (k > 0 && s[k - 1] != '/' && s[k - 1] != '@' &&
                   s[k - 1] != ':' && !url_end((unsigned char)s[k - 1]))
                k--;
            if (k < 3 || strncmp(s + k - 3, "://", 3) != 0)
                continue;
        }
        if (rule->value_len == rule_email &&
            (i >= 3 && strncmp(s + i - 3, "://", 3) == 0))
            continue;
        size_t n = rule->value_len(s + i, t->in_url);
        if (n)
            return n;
    }
    return 0;
}

/*
 * At s + i, a name of n characters: when it is followed by '=' or ':' and
 * a value, and a rule for its place (data, parameter, text) matches it,
 * returns the offset of the value from s + i and its length in *vlen;
 * else 0.
 */
static size_t
name_value_at(const struct text_scan *t, size_t i, size_t n, size_t *vlen)
{
    const char *s = t->s + i;
    char prev = i > 0 ? t->s[i - 1] : '\0';
    unsigned where;
    size_t k = n;
    int quoted = (prev == '"' || prev == '\'') && s[n] == prev;
    if (quoted) {
        where = REDACT_IN_DATA;
        k++;
    } else if (s[n] == '=' &&
               ((t->in_url && strchr("?&#;", prev) && prev) ||
                (!t->in_url && prev && strchr("?&#", prev)))) {
        where = REDACT_IN_PARAM;
    } else if (t->in_url) {
        return 0; /* inside a URL only parameters name values */
    } else {
        where = REDACT_IN_TEXT;
    }
    while (s[k] == ' ')
        k++;
    if (s[k] != '=' && s[k] != ':')
        return 0;
    if (where == REDACT_IN_PARAM || (where == REDACT_IN_TEXT && k == n &&
                                     s[k] == '=' && prev == '\0')) {
        size_t v = n + 1, e = v;
        while (!value_end((unsigned char)s[e]) &&
               !(t->in_url && !t->in_query && s[e] == '?'))
            e++;
        /* "code=x&state=y" at the start of a string is form data. */
        if (where == REDACT_IN_TEXT && s[e] == '&')
            where = REDACT_IN_PARAM;
        if (name_rule_n(s, n, where) == NULL || e == v)
            return 0;
        *vlen = e - v;
        return v;
    }
    if (name_rule_n(s, n, where) == NULL)
        return 0;
    k++;
    while (s[k] == ' ')
        k++;
    if (s[k] == '"' || s[k] == '\'') {
        /* A quoted value runs to its closing quote. */
        char q = s[k++];
        size_t v = k;
        while (s[k] && s[k] != q && s[k] != '\n')
            k += s[k] == '\\' && s[k + 1] ? 2 : 1;
        if (k == v)
            return 0;
        *vlen = k - v;
        return v;
    }
    size_t v = k;
    /* "Authorization: Bearer x" redacts the scheme's credential too. */
    if (strncasecmp(s + v, "bearer ", 7) == 0)
        k += 7;
    else if (strncasecmp(s + v, "basic ", 6) == 0)
        k += 6;
    while (!value_end((unsigned char)s[k]))
        k++;
    if (k == v)
        return 0;
    *vlen = k - v;
    return v;
}

/*
 * At a line start: "Cookie: a=1; b=2" and the other always-secret headers
 * lose their whole value up to the end of the line.  Returns the bytes
 * consumed (0 when s is not such a header line).
 */
static size_t
secret_header_line(struct pm_buf *out, const char *s, size_t name_len)
{
    char name[NAME_MAX_LEN];
    if (name_len >= sizeof name || s[name_len] != ':')
        return 0;
    memcpy(name, s, name_len);
    name[name_len] = '\0';
    if (!redact_is_secret_header(name))
        return 0;
    size_t i = name_len + 1;
    while (s[i] == ' ')
        i++;
    size_t v = i;
    while (s[i] && s[i] != '\n' && s[i] != '\r')
        i++;
    if (i == v)
        return 0;
    pm_buf_add(out, s, v);
    pm_buf_adds(out, REDACTED);
    return i;
}

/* At s + i, "scheme://" (letters, digits, + - .): its length, else 0. */
static size_t
url_scheme_len(const char *s, size_t n)
{
    if (!isalpha((unsigned char)s[0]) || strncmp(s + n, "://", 3) != 0)
        return 0;
    return n + 3;
}

void
redact_text(struct pm_buf *out, const char *text)
{
    struct text_scan t = {.s = text ? text : ""};
    const char *s = t.s;
    size_t i = 0;
    while (s[i]) {
        unsigned char c = (unsigned char)s[i];
        if (t.in_url && url_end(c))
            t.in_url = 0;
        if (t.in_url && (c == '?' || c == '#'))
            t.in_query = 1;
        int run_start = i == 0 || !b64_char((unsigned char)s[i - 1]);
        if ((run_start && b64_char(c)) ||
            (t.in_url && i > 0 && s[i - 1] == ':' && c != '/')) {
            size_t v = value_rule_at(&t, i);
            if (v) {
                pm_buf_adds(out, REDACTED);
                i += v;
                continue;
            }
        }
        if (run_start && name_char(c)) {
            size_t n = 0;
            while (name_char((unsigned char)s[i + n]))
                n++;
            size_t h = (i == 0 || s[i - 1] == '\n')
                           ? secret_header_line(out, s + i, n)
                           : 0;
            if (h) {
                i += h;
                continue;
            }
            size_t sl = t.in_url ? 0 : url_scheme_len(s + i, n);
            if (sl) {
                pm_buf_add(out, s + i, sl);
                i += sl;
                t.in_url = 1;
                t.in_query = 0;
                continue;
            }
            size_t vlen = 0;
            size_t voff = name_value_at(&t, i, n, &vlen);
            if (voff) {
                pm_buf_add(out, s + i, voff);
                pm_buf_adds(out, REDACTED);
                i += voff + vlen;
                continue;
            }
            pm_buf_add(out, s + i, n);
            i += n;
            continue;
        }
        if (run_start && b64_char(c)) {
            /* Copy the whole run so a secret is never matched mid-run. */
            size_t k = i;
            while (b64_char((unsigned char)s[k]))
                k++;
            pm_buf_add(out, s + i, k - i);
            i = k;
            continue;
        }
        pm_buf_addc(out, (char)c);
        i++;
    }
}

/* ---- JSON ------------------------------------------------------------------ */

static void
redact_string_node(cJSON *node)
{
    const char *v = node->valuestring;
    if (v == NULL)
        return;
    if (redact_is_token_value(v)) {
        cJSON_SetValuestring(node, REDACTED);
        return;
    }
    struct pm_buf b;
    pm_buf_init(&b);
    redact_text(&b, v);
    if (strcmp(b.data, v) != 0)
        cJSON_SetValuestring(node, b.data);
    pm_buf_release(&b);
}

/*
 * Fields as data: a ["Cookie", "a=1"] pair or a {"name": "Cookie",
 * "value": "a=1"} object (HAR's headers, query strings and form fields).
 * Returns the value node to redact whole, or NULL.
 */
static cJSON *
pair_value(cJSON *node)
{
    cJSON *name, *value;
    if (cJSON_IsArray(node) && cJSON_GetArraySize(node) == 2) {
        name = cJSON_GetArrayItem(node, 0);
        value = cJSON_GetArrayItem(node, 1);
    } else if (cJSON_IsObject(node)) {
        name = cJSON_GetObjectItemCaseSensitive(node, "name");
        value = cJSON_GetObjectItemCaseSensitive(node, "value");
    } else {
        return NULL;
    }
    if (cJSON_IsString(name) && cJSON_IsString(value) &&
        redact_is_secret_header(name->valuestring))
        return value;
    return NULL;
}

void
redact_json(cJSON *node)
{
    if (node == NULL)
        return;
    if (cJSON_IsString(node)) {
        redact_string_node(node);
        return;
    }
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return;
    cJSON *pv = pair_value(node);
    if (pv)
        cJSON_SetValuestring(pv, REDACTED);
    int is_object = cJSON_IsObject(node);
    /* In a {"name": N, "value": V} pair, "name" names the field. */
    int name_is_field = is_object &&
                        cJSON_GetObjectItemCaseSensitive(node, "value") != NULL;
    for (cJSON *c = node->child; c; c = c->next) {
        if (is_object && c->string && !cJSON_IsNull(c) &&
            !(name_is_field && strcmp(c->string, "name") == 0) &&
            redact_is_sensitive_name(c->string)) {
            cJSON *r = cJSON_CreateString(REDACTED);
            r->string = xstrdup(c->string); /* freed by cJSON_Delete */
            cJSON_ReplaceItemViaPointer(node, c, r);
            c = r;
            continue;
        }
        redact_json(c);
    }
}
