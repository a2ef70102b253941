/*
 * redact.c - credential redaction for exported reports (see redact.h).
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

static const char *const sensitive_words[] = {
    "token", "tokens", "secret", "secrets", "password", "passwd", "pwd",
    "passphrase", "session", "sessionid", "sid", "key", "apikey", "auth",
    "authorization", "cookie", "cookies", "jwt", "bearer", "credential",
    "credentials", "csrf", "xsrf", "signature", "private", "otp",
    NULL,
};

static int
sensitive_word(const char *w, size_t n)
{
    char low[NAME_MAX_LEN];
    if (n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    low[n] = '\0';
    for (int i = 0; sensitive_words[i]; i++)
        if (strcmp(low, sensitive_words[i]) == 0)
            return 1;
    return 0;
}

int
redact_is_sensitive_name(const char *name)
{
    if (name == NULL)
        return 0;
    size_t len = strlen(name);
    if (len == 0 || len >= NAME_MAX_LEN)
        return 0;
    /* The whole name without separators: "Api-Key" -> "apikey". */
    char joined[NAME_MAX_LEN];
    size_t j = 0;
    for (size_t i = 0; i < len; i++)
        /* name is a NUL-terminated copy (the analyzer does not follow
         * sensitive_assignment's memcpy)
         * NOLINTNEXTLINE(clang-analyzer-core.uninitialized.ArraySubscript) */
        if (isalnum((unsigned char)name[i]))
            joined[j++] = name[i];
    if (sensitive_word(joined, j))
        return 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        /* name is a NUL-terminated copy, as above
         * NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign) */
        unsigned char c = (unsigned char)name[i];
        int boundary = c == '\0' || !isalnum(c);
        int camel = i > start && isupper(c) &&
                    islower((unsigned char)name[i - 1]);
        if (boundary || camel) {
            if (sensitive_word(name + start, i - start))
                return 1;
            start = boundary ? i + 1 : i;
        }
    }
    return 0;
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
    return redact_is_sensitive_name(name);
}

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

/*
 * Length of a credential-looking run at s (0 when none): a JWT, >= 32 hex
 * digits, or >= 32 base64 characters with upper case, lower case and a
 * digit (plus '=' padding).  s must start a run (caller checks the
 * preceding character).
 */
static size_t
token_run_len(const char *s)
{
    size_t n = jwt_len(s);
    if (n)
        return n;
    size_t i = 0;
    int hex = 1, up = 0, lo = 0, dig = 0;
    while (b64_char((unsigned char)s[i])) {
        unsigned char c = (unsigned char)s[i];
        if (!isxdigit(c))
            hex = 0;
        up |= isupper(c) != 0;
        lo |= islower(c) != 0;
        dig |= isdigit(c) != 0;
        i++;
    }
    if (i < TOKEN_MIN_LEN)
        return 0;
    if (hex && dig) {
        return i;
    }
    if (up && lo && dig) {
        while (s[i] == '=')
            i++;
        return i;
    }
    return 0;
}

int
redact_is_token_value(const char *v)
{
    if (v == NULL)
        return 0;
    if (strncasecmp(v, "bearer ", 7) == 0 || strncasecmp(v, "basic ", 6) == 0)
        return 1;
    size_t n = token_run_len(v);
    return n > 0 && v[n] == '\0';
}

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

/*
 * At s, a name followed by '=' or ':' and a value: returns the offset of
 * the value and its length in *vlen when the name is sensitive, else 0.
 */
static size_t
sensitive_assignment(const char *s, size_t name_len, size_t *vlen)
{
    char name[NAME_MAX_LEN];
    if (name_len >= sizeof name)
        return 0;
    memcpy(name, s, name_len);
    name[name_len] = '\0';
    if (!redact_is_sensitive_name(name))
        return 0;
    size_t i = name_len;
    if (s[i] == '"' || s[i] == '\'')
        i++;
    while (s[i] == ' ')
        i++;
    if (s[i] != '=' && s[i] != ':')
        return 0;
    i++;
    while (s[i] == ' ')
        i++;
    if (s[i] == '"' || s[i] == '\'')
        i++;
    size_t v = i;
    /* "Authorization: Bearer x" redacts the scheme's credential too. */
    if (strncasecmp(s + v, "bearer ", 7) == 0 || strncasecmp(s + v, "basic ", 6) == 0)
        i += s[v + 1] == 'e' || s[v + 1] == 'E' ? 7 : 6;
    while (!value_end((unsigned char)s[i]))
        i++;
    if (i == v)
        return 0;
    *vlen = i - v;
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

void
redact_text(struct pm_buf *out, const char *text)
{
    const char *s = text ? text : "";
    size_t i = 0;
    while (s[i]) {
        unsigned char c = (unsigned char)s[i];
        int run_start = i == 0 || !b64_char((unsigned char)s[i - 1]);
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
            size_t vlen = 0;
            size_t voff = sensitive_assignment(s + i, n, &vlen);
            if (voff) {
                pm_buf_add(out, s + i, voff);
                pm_buf_adds(out, REDACTED);
                i += voff + vlen;
                continue;
            }
            if ((n == 6 && strncasecmp(s + i, "bearer", 6) == 0) ||
                (n == 5 && strncasecmp(s + i, "basic", 5) == 0)) {
                size_t j = i + n;
                if (s[j] == ' ' && !value_end((unsigned char)s[j + 1])) {
                    pm_buf_add(out, s + i, n + 1);
                    pm_buf_adds(out, REDACTED);
                    j++;
                    while (!value_end((unsigned char)s[j]))
                        j++;
                    i = j;
                    continue;
                }
            }
        }
        if (run_start && b64_char(c)) {
            size_t n = token_run_len(s + i);
            if (n) {
                pm_buf_adds(out, REDACTED);
                i += n;
                continue;
            }
            /* Copy the whole run so a token is never matched mid-run. */
            size_t k = i;
            while (b64_char((unsigned char)s[k]))
                k++;
            if (k > i && !name_char(c)) {
                pm_buf_add(out, s + i, k - i);
                i = k;
                continue;
            }
        }
        pm_buf_addc(out, (char)c);
        i++;
    }
}

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
 * Headers as data: a ["Cookie", "a=1"] pair or a {"name": "Cookie",
 * "value": "a=1"} object (HAR's form).  Returns the value node to redact
 * whole, or NULL.
 */
static cJSON *
header_value(cJSON *node)
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
    cJSON *hv = header_value(node);
    if (hv)
        cJSON_SetValuestring(hv, REDACTED);
    int is_object = cJSON_IsObject(node);
    for (cJSON *c = node->child; c; c = c->next) {
        if (is_object && c->string && redact_is_sensitive_name(c->string) &&
            !cJSON_IsNull(c)) {
            cJSON *r = cJSON_CreateString(REDACTED);
            r->string = xstrdup(c->string); /* freed by cJSON_Delete */
            cJSON_ReplaceItemViaPointer(node, c, r);
            c = r;
            continue;
        }
        redact_json(c);
    }
}
