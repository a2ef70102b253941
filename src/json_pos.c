/*
 * json_pos.c - strict JSON validation with "what was expected" messages and
 * byte offset to line/column conversion, in front of cJSON.
 *
 * The validator is a recursive descent over the bytes; recursion is bounded
 * by PM_JSON_DEPTH_MAX (1000 frames of a few dozen bytes), so a line of
 * 100 000 '[' stops at the 1001st with a column, after reading only it.  It
 * checks UTF-8 inside strings (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF) and surrogate pairs in \u escapes, both of which cJSON passes
 * through or mangles.
 */
#include "json_pos.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"

_Static_assert(PM_JSON_DEPTH_MAX <= CJSON_NESTING_LIMIT,
               "validator must not accept nesting cJSON refuses");

struct json_cursor {
    const unsigned char *s;
    size_t n;
    size_t i;
    int depth;
    const char *end_name;
    struct pm_json_doc *doc;
    /* first error */
    enum pm_rc rc;
    size_t err_off;
    char msg[160];
};

static int json_value(struct json_cursor *c);

static int
json_fail(struct json_cursor *c, enum pm_rc rc, size_t off, const char *msg)
{
    c->rc = rc;
    c->err_off = off;
    snprintf(c->msg, sizeof c->msg, "%s", msg);
    return -1;
}

/* "unexpected end of line inside a string (truncated file?)" */
static int
json_fail_end(struct json_cursor *c, const char *where)
{
    c->rc = PM_ERR_PARSE;
    c->err_off = c->n;
    snprintf(c->msg, sizeof c->msg, "unexpected end of %s%s (truncated file?)",
             c->end_name, where);
    return -1;
}

static void
json_skip_ws(struct json_cursor *c)
{
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' ||
                           c->s[c->i] == '\n' || c->s[c->i] == '\r'))
        c->i++;
}

static int
hex_value(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Read 4 hex digits after "\u" at c->i; -1 on error. */
static long
json_hex4(struct json_cursor *c)
{
    long v = 0;
    for (int k = 0; k < 4; k++) {
        if (c->i >= c->n)
            return json_fail_end(c, " inside a \\u escape");
        int h = hex_value(c->s[c->i]);
        if (h < 0)
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected 4 hex digits after \\u");
        v = v * 16 + h;
        c->i++;
    }
    return v;
}

/*
 * Length of the valid UTF-8 sequence at s[i], or 0 if it is not one
 * (RFC 3629 table: exact second-byte ranges exclude overlongs, surrogates
 * and code points above U+10FFFF).
 */
static size_t
utf8_seq_len(const unsigned char *s, size_t n, size_t i)
{
    unsigned char b = s[i];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (i + len > n)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (s[i + k] < 0x80 || s[i + k] > 0xBF)
            return 0;
    return len;
}

static int
json_fail_utf8(struct json_cursor *c)
{
    char m[64];
    snprintf(m, sizeof m, "invalid UTF-8 byte 0x%02x", c->s[c->i]);
    return json_fail(c, PM_ERR_PARSE, c->i, m);
}

/* A string starting at the opening quote c->s[c->i]. */
static int
json_string(struct json_cursor *c)
{
    c->i++;
    for (;;) {
        if (c->i >= c->n)
            return json_fail_end(c, " inside a string");
        unsigned char ch = c->s[c->i];
        if (ch == '"') {
            c->i++;
            return 0;
        }
        if (ch < 0x20) {
            char m[80];
            snprintf(m, sizeof m,
                     "control character U+%04X in a string must be escaped",
                     ch);
            return json_fail(c, PM_ERR_PARSE, c->i, m);
        }
        if (ch >= 0x80) {
            size_t len = utf8_seq_len(c->s, c->n, c->i);
            if (len == 0)
                return json_fail_utf8(c);
            c->i += len;
            continue;
        }
        if (ch != '\\') {
            c->i++;
            continue;
        }
        size_t esc = c->i;
        c->i++;
        if (c->i >= c->n)
            return json_fail_end(c, " inside a string");
        ch = c->s[c->i];
        if (strchr("\"\\/bfnrt", ch) && ch != '\0') {
            c->i++;
            continue;
        }
        if (ch != 'u')
            return json_fail(c, PM_ERR_PARSE, esc,
                             "invalid escape in string; expected one of "
                             "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
        c->i++;
        long u = json_hex4(c);
        if (u < 0)
            return -1;
        if (u == 0 && c->doc) {
            if (c->doc->nul_escapes++ == 0)
                c->doc->nul_first = esc;
            c->doc->nul_last = esc;
        }
        if (u >= 0xDC00 && u <= 0xDFFF)
            return json_fail(c, PM_ERR_PARSE, esc,
                             "unpaired low surrogate in \\u escape");
        if (u >= 0xD800 && u <= 0xDBFF) {
            size_t hi_at = esc;
            if (c->i + 1 >= c->n || c->s[c->i] != '\\' ||
                c->s[c->i + 1] != 'u')
                return json_fail(c, PM_ERR_PARSE, hi_at,
                                 "expected a \\uDC00-\\uDFFF low surrogate "
                                 "after this high surrogate");
            c->i += 2;
            long lo = json_hex4(c);
            if (lo < 0)
                return -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return json_fail(c, PM_ERR_PARSE, hi_at,
                                 "expected a \\uDC00-\\uDFFF low surrogate "
                                 "after this high surrogate");
        }
    }
}

static int
is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

static int
json_number(struct json_cursor *c)
{
    size_t start = c->i;
    if (c->s[c->i] == '-') {
        c->i++;
        if (c->i >= c->n)
            return json_fail_end(c, " inside a number");
        if (!is_digit(c->s[c->i]))
            return json_fail(c, PM_ERR_PARSE, c->i, "expected a digit after '-'");
    }
    if (c->s[c->i] == '0') {
        c->i++;
        if (c->i < c->n && is_digit(c->s[c->i]))
            return json_fail(c, PM_ERR_PARSE, start,
                             "numbers must not have leading zeros");
    } else {
        while (c->i < c->n && is_digit(c->s[c->i]))
            c->i++;
    }
    if (c->i < c->n && c->s[c->i] == '.') {
        c->i++;
        if (c->i >= c->n)
            return json_fail_end(c, " inside a number");
        if (!is_digit(c->s[c->i]))
            return json_fail(c, PM_ERR_PARSE, c->i, "expected a digit after '.'");
        while (c->i < c->n && is_digit(c->s[c->i]))
            c->i++;
    }
    if (c->i < c->n && (c->s[c->i] == 'e' || c->s[c->i] == 'E')) {
        c->i++;
        if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-'))
            c->i++;
        if (c->i >= c->n)
            return json_fail_end(c, " inside a number");
        if (!is_digit(c->s[c->i]))
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected a digit in the exponent");
        while (c->i < c->n && is_digit(c->s[c->i]))
            c->i++;
    }
    if (c->i - start > PM_JSON_NUMBER_MAX)
        return json_fail(c, PM_ERR_LIMIT, start,
                         "number longer than 63 characters");
    return 0;
}

static int
json_literal(struct json_cursor *c, const char *word)
{
    size_t len = strlen(word);
    for (size_t k = 0; k < len; k++) {
        if (c->i + k >= c->n)
            return json_fail_end(c, "");
        if (c->s[c->i + k] != (unsigned char)word[k])
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected a JSON value (object, array, string, "
                             "number, true, false or null)");
    }
    c->i += len;
    return 0;
}

static int
json_enter(struct json_cursor *c)
{
    if (++c->depth > PM_JSON_DEPTH_MAX) {
        char m[64];
        snprintf(m, sizeof m, "JSON nested deeper than %d levels",
                 PM_JSON_DEPTH_MAX);
        return json_fail(c, PM_ERR_LIMIT, c->i, m);
    }
    c->i++;
    return 0;
}

static int
json_object(struct json_cursor *c)
{
    if (json_enter(c))
        return -1;
    int outermost = c->depth == 1;
    json_skip_ws(c);
    if (c->i < c->n && c->s[c->i] == '}') {
        c->i++;
        c->depth--;
        return 0;
    }
    const char *want_key = "expected a string key or '}'";
    for (;;) {
        if (c->i >= c->n)
            return json_fail_end(c, " inside an object");
        if (c->s[c->i] == '\'')
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected a string key in double quotes");
        if (c->s[c->i] != '"')
            return json_fail(c, PM_ERR_PARSE, c->i, want_key);
        size_t key_off = c->i + 1;
        if (json_string(c))
            return -1;
        size_t key_len = c->i - 1 - key_off;
        json_skip_ws(c);
        if (c->i >= c->n)
            return json_fail_end(c, " inside an object");
        if (c->s[c->i] != ':')
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected ':' after an object key");
        c->i++;
        json_skip_ws(c);
        struct pm_json_member *m = NULL;
        if (outermost && c->doc && c->doc->nmembers < PM_JSON_MEMBERS_MAX) {
            m = &c->doc->members[c->doc->nmembers++];
            m->key_off = key_off;
            m->key_len = key_len;
            m->val_off = c->i;
        }
        if (json_value(c))
            return -1;
        if (m)
            m->val_end = c->i;
        json_skip_ws(c);
        if (c->i >= c->n)
            return json_fail_end(c, " inside an object");
        if (c->s[c->i] == '}') {
            c->i++;
            c->depth--;
            return 0;
        }
        if (c->s[c->i] != ',')
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected ',' or '}' after an object member");
        c->i++;
        json_skip_ws(c);
        want_key = "expected a string key after ',' (no trailing commas)";
    }
}

static int
json_array(struct json_cursor *c)
{
    if (json_enter(c))
        return -1;
    json_skip_ws(c);
    if (c->i < c->n && c->s[c->i] == ']') {
        c->i++;
        c->depth--;
        return 0;
    }
    for (;;) {
        if (json_value(c))
            return -1;
        json_skip_ws(c);
        if (c->i >= c->n)
            return json_fail_end(c, " inside an array");
        if (c->s[c->i] == ']') {
            c->i++;
            c->depth--;
            return 0;
        }
        if (c->s[c->i] != ',')
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected ',' or ']' after an array element");
        c->i++;
        json_skip_ws(c);
        if (c->i < c->n && c->s[c->i] == ']')
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected a value after ',' (no trailing commas)");
    }
}

static int
json_value(struct json_cursor *c)
{
    if (c->i >= c->n)
        return json_fail_end(c, ", expected a JSON value");
    unsigned char ch = c->s[c->i];
    switch (ch) {
    case '{':
        return json_object(c);
    case '[':
        return json_array(c);
    case '"':
        return json_string(c);
    case 't':
        return json_literal(c, "true");
    case 'f':
        return json_literal(c, "false");
    case 'n':
        return json_literal(c, "null");
    default:
        if (ch == '-' || is_digit(ch))
            return json_number(c);
        if (ch >= 0x80 && utf8_seq_len(c->s, c->n, c->i) == 0)
            return json_fail_utf8(c);
        if (ch == '\'')
            return json_fail(c, PM_ERR_PARSE, c->i,
                             "expected a JSON value (strings use double "
                             "quotes)");
        return json_fail(c, PM_ERR_PARSE, c->i,
                         "expected a JSON value (object, array, string, "
                         "number, true, false or null)");
    }
}

void
json_position(const char *text, size_t off, long *line, long *col)
{
    for (size_t k = 0; k < off; k++) {
        unsigned char ch = (unsigned char)text[k];
        if (ch == '\n') {
            (*line)++;
            *col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

void
json_member_position(const struct pm_json_doc *doc, const char *key,
                     long *line, long *col)
{
    *line = doc->line;
    *col = doc->col;
    size_t klen = strlen(key);
    for (int k = 0; k < doc->nmembers; k++) {
        const struct pm_json_member *m = &doc->members[k];
        if (m->key_len == klen && memcmp(doc->text + m->key_off, key, klen) == 0) {
            json_position(doc->text, m->val_off, line, col);
            return;
        }
    }
}

/* 4 hex digits at p (already validated). */
static unsigned
hex4_at(const char *p)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++)
        v = v * 16 + (unsigned)hex_value((unsigned char)p[k]);
    return v;
}

static void
compact_code_point(struct pm_buf *out, unsigned cp)
{
    char tmp[8];
    switch (cp) {
    case '"': pm_buf_add(out, "\\\"", 2); return;
    case '\\': pm_buf_add(out, "\\\\", 2); return;
    case '\b': pm_buf_add(out, "\\b", 2); return;
    case '\f': pm_buf_add(out, "\\f", 2); return;
    case '\n': pm_buf_add(out, "\\n", 2); return;
    case '\r': pm_buf_add(out, "\\r", 2); return;
    case '\t': pm_buf_add(out, "\\t", 2); return;
    default: break;
    }
    if (cp < 0x20) {
        snprintf(tmp, sizeof tmp, "\\u%04x", cp);
        pm_buf_add(out, tmp, 6);
    } else if (cp < 0x80) {
        pm_buf_addc(out, (char)cp);
    } else if (cp < 0x800) {
        pm_buf_addc(out, (char)(0xC0 | (cp >> 6)));
        pm_buf_addc(out, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        pm_buf_addc(out, (char)(0xE0 | (cp >> 12)));
        pm_buf_addc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
        pm_buf_addc(out, (char)(0x80 | (cp & 0x3F)));
    } else {
        pm_buf_addc(out, (char)(0xF0 | (cp >> 18)));
        pm_buf_addc(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
        pm_buf_addc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
        pm_buf_addc(out, (char)(0x80 | (cp & 0x3F)));
    }
}

void
json_compact(const char *text, size_t len, struct pm_buf *out)
{
    size_t i = 0;
    pm_buf_grow(out, len);
    while (i < len) {
        char ch = text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            i++;
            continue;
        }
        if (ch != '"') {
            size_t run = i + 1;
            while (run < len && text[run] != '"' && text[run] != ' ' &&
                   text[run] != '\t' && text[run] != '\n' && text[run] != '\r')
                run++;
            pm_buf_add(out, text + i, run - i);
            i = run;
            continue;
        }
        pm_buf_addc(out, '"');
        i++;
        for (;;) {
            size_t run = i;
            while (text[run] != '"' && text[run] != '\\')
                run++;
            pm_buf_add(out, text + i, run - i);
            i = run;
            if (text[i] == '"') {
                pm_buf_addc(out, '"');
                i++;
                break;
            }
            char e = text[i + 1];
            if (e != 'u' && e != '/') {
                pm_buf_add(out, text + i, 2);
                i += 2;
                continue;
            }
            if (e == '/') {
                pm_buf_addc(out, '/');
                i += 2;
                continue;
            }
            unsigned cp = hex4_at(text + i + 2);
            i += 6;
            if (cp == 0) {
                pm_buf_add(out, "\\u0000", 6);
                continue;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo = hex4_at(text + i + 2);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            compact_code_point(out, cp);
        }
    }
}

void
json_doc_free(struct pm_json_doc *doc)
{
    if (doc->root)
        cJSON_Delete(doc->root);
    doc->root = NULL;
}

enum pm_rc
json_parse_located(const char *text, size_t len, const char *src, long line,
                   long col, const char *end_name, struct pm_json_doc *doc,
                   struct pm_err *err)
{
    memset(doc, 0, sizeof *doc);
    doc->text = text;
    doc->len = len;
    doc->line = line;
    doc->col = col;
    struct json_cursor c = {
        .s = (const unsigned char *)text, .n = len,
        .end_name = end_name ? end_name : "input", .doc = doc,
    };
    json_skip_ws(&c);
    if (json_value(&c) == 0) {
        json_skip_ws(&c);
        if (c.i < c.n) {
            if (c.s[c.i] >= 0x80 && utf8_seq_len(c.s, c.n, c.i) == 0)
                json_fail_utf8(&c);
            else
                json_fail(&c, PM_ERR_PARSE, c.i,
                          "expected nothing after the JSON value");
        }
    }
    if (c.rc != PM_OK) {
        json_position(text, c.err_off, &line, &col);
        return pm_err_at(err, c.rc, src, line, col, "%s", c.msg);
    }
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (doc->root == NULL) {
        /* The validator accepted it, so this is cJSON running out of memory
         * or a disagreement between the two; report where cJSON stopped. */
        size_t off = end && end >= text && end <= text + len
                         ? (size_t)(end - text) : 0;
        json_position(text, off, &line, &col);
        return pm_err_at(err, PM_ERR_LIMIT, src, line, col,
                         "cannot build this JSON value (out of memory?)");
    }
    return PM_OK;
}
