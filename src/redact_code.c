/*
 * redact_code.c - redaction of JavaScript source in reports (listener
 * code, send-site snippets, origin-check and target expressions).
 *
 * Code is evidence: a reader must see which variable a listener writes and
 * which expression it compares, so only literal values are ever replaced.
 * A small tokenizer tracks the last name seen and whether an assignment
 * ('='), a key (':') or a comparison ('==', '===', '!=', '!==') follows
 * it; a string or number literal right after a name that a REDACT_IN_CODE
 * rule matches becomes "[redacted]" (`pw = "hunter2"`, `{password: 123}`,
 * `if (pin === "0000")`).  Other string literals and comments are text
 * and go through redact_text.  Regular expression literals are not told
 * from division; a quote inside one at worst makes the rest of its line
 * read as a string, which is then redacted as text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "redact.h"

static int
ident_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c == '$' || c >= 0x80;
}

static int
ident_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Redact the len bytes at s as text. */
static void
text_part(struct pm_buf *out, const char *s, size_t len)
{
    char *part = xstrndup(s, len);
    redact_text(out, part);
    free(part);
}

/* End of the string literal opening at s[0] (index of the closing quote,
 * or of the end of line / text when it does not close). */
static size_t
string_end(const char *s)
{
    char q = s[0];
    size_t i = 1;
    while (s[i] && s[i] != q) {
        if (s[i] == '\\' && s[i + 1])
            i++;
        else if (q != '`' && s[i] == '\n')
            break;
        i++;
    }
    return i;
}

/* The operator at s when it binds a value to the name before it:
 * '=' (not '=>' or '=='...), ':', '==', '===', '!=', '!=='.  Returns its
 * length, 0 for anything else. */
static size_t
binding_op(const char *s)
{
    if (s[0] == ':')
        return 1;
    if (s[0] == '=' && s[1] != '=' && s[1] != '>')
        return 1;
    if ((s[0] == '=' || s[0] == '!') && s[1] == '=')
        return s[2] == '=' ? 3 : 2;
    return 0;
}

void
redact_code(struct pm_buf *out, const char *code)
{
    const char *s = code ? code : "";
    size_t i = 0;
    const char *name = NULL; /* the last name, while only spaces follow */
    size_t name_len = 0;
    int secret = 0; /* a literal here is the value of a secret name */
    while (s[i]) {
        unsigned char c = (unsigned char)s[i];
        if (c == '/' && (s[i + 1] == '/' || s[i + 1] == '*')) {
            const char *end = s[i + 1] == '/' ? strchr(s + i, '\n')
                                              : strstr(s + i + 2, "*/");
            size_t n = end ? (size_t)(end - (s + i)) + (s[i + 1] == '*' ? 2 : 0)
                           : strlen(s + i);
            text_part(out, s + i, n);
            i += n;
            name = NULL;
            secret = 0;
            continue;
        }
        if (c == '"' || c == '\'' || c == '`') {
            size_t e = string_end(s + i);
            pm_buf_addc(out, (char)c);
            if (secret && e > 1)
                pm_buf_adds(out, REDACTED);
            else
                text_part(out, s + i + 1, e - 1);
            int closed = s[i + e] == (char)c;
            if (closed)
                pm_buf_addc(out, (char)c);
            /* A quoted key: {"password": "x"}. */
            name = s + i + 1;
            name_len = e - 1;
            secret = 0;
            i += e + (closed ? 1 : 0);
            continue;
        }
        if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[i + 1]))) {
            size_t n = 0;
            while (ident_char((unsigned char)s[i + n]) || s[i + n] == '.')
                n++;
            if (secret)
                pm_buf_adds(out, REDACTED);
            else
                pm_buf_add(out, s + i, n);
            i += n;
            name = NULL;
            secret = 0;
            continue;
        }
        if (ident_start(c)) {
            size_t n = 0;
            while (ident_char((unsigned char)s[i + n]))
                n++;
            pm_buf_add(out, s + i, n);
            name = s + i;
            name_len = n;
            secret = 0;
            i += n;
            continue;
        }
        size_t op = name ? binding_op(s + i) : 0;
        if (op) {
            char key[128];
            if (name_len < sizeof key) {
                memcpy(key, name, name_len);
                key[name_len] = '\0';
                secret = redact_name_rule(key, REDACT_IN_CODE) != NULL;
            }
            pm_buf_add(out, s + i, op);
            i += op;
            name = NULL;
            continue;
        }
        if (!isspace(c)) {
            name = NULL;
            secret = 0;
        }
        pm_buf_addc(out, (char)c);
        i++;
    }
}
