/*
 * har_split.c - the streaming HAR splitter (see har_split.h for the
 * contract).
 *
 * One resumable state machine validates the JSON grammar a byte at a time
 * and tracks where it is: the root object, log, log.entries, log.pages.
 * When an object opens at a place the importer wants (an element of
 * entries or pages, or log.creator) the splitter starts copying bytes into
 * one reused buffer, and hands the buffer back when that object closes.
 * The one scalar it keeps is log.version (its printable ASCII, cut short),
 * for the importer to warn about a version it does not know.
 * Copying is done per chunk span (memcpy), not per byte.  The only other
 * state is a small container stack (one byte per level), so memory does not
 * depend on the file's size or on the size of skipped values.
 */
#include "har_split.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"

#define SPLIT_CHUNK_DEFAULT (256 * 1024)

/* What is expected next. */
enum split_state {
    ST_VALUE,          /* a value (after ':' or ',' in an array, or at the top) */
    ST_VALUE_OR_CLOSE, /* after '[' */
    ST_KEY_OR_CLOSE,   /* after '{' */
    ST_KEY,            /* after ',' in an object */
    ST_COLON,
    ST_AFTER_VALUE,    /* ',' or the container's closing bracket */
    ST_END,            /* only whitespace until end of file */
    ST_STRING,
    ST_ESCAPE,         /* after a backslash */
    ST_HEX,            /* inside \uXXXX */
    ST_LOW_BACKSLASH,  /* a high surrogate needs "\u" + low surrogate */
    ST_LOW_U,
    ST_UTF8,           /* continuation bytes of a multi-byte character */
    ST_NUMBER,
    ST_LITERAL         /* true / false / null */
};

/* Number sub-states (RFC 8259 number grammar). */
enum num_state {
    NUM_MINUS, NUM_ZERO, NUM_INT, NUM_DOT, NUM_FRAC, NUM_E, NUM_ESIGN, NUM_EXP
};

/* Container stack entries: bit 0 = array, upper bits = role. */
#define C_ARRAY 1
#define ROLE_NONE (0 << 1)
#define ROLE_ROOT (1 << 1)
#define ROLE_LOG (2 << 1)
#define ROLE_ENTRIES (3 << 1)
#define ROLE_PAGES (4 << 1)
#define ROLE_MASK (7 << 1)

/* Keys of the root and log objects that matter. */
enum split_key {
    KEY_OTHER, KEY_LOG, KEY_ENTRIES, KEY_PAGES, KEY_CREATOR, KEY_VERSION
};

struct har_split {
    FILE *fp;
    const char *path;
    unsigned char *chunk;
    size_t chunk_size, pos, len;
    int started;               /* BOM check done */
    int bom_len;               /* bytes of a UTF-8 BOM seen so far */
    int eof;

    enum split_state state;
    enum num_state num;
    int str_is_key;
    int str_is_version;        /* the string is log.version's value */
    unsigned hex_val, hex_count;
    int need_low;              /* the \u escape being read must be a low surrogate */
    unsigned utf8_need;        /* continuation bytes still expected */
    unsigned char utf8_lo, utf8_hi; /* allowed range of the next continuation byte */
    const char *literal;       /* "true" / "false" / "null" */
    unsigned literal_pos;

    unsigned char stack[HAR_SPLIT_MAX_DEPTH];
    int depth;
    char key[16];              /* current key of a root/log object, truncated */
    size_t key_len;
    enum split_key key_id;

    long line, col;            /* position of the next byte */
    int64_t consumed;

    /* capture of the current item */
    int capturing;
    int cap_depth;             /* depth of the captured object's own level */
    size_t cap_from;           /* start of the not-yet-copied span in chunk */
    enum har_item_kind cap_kind;
    long cap_index, cap_line, cap_col;
    struct pm_buf cap;
    int ready;
    struct pm_err *err;        /* where errors go during har_split_next */

    int seen_log;
    long n_entries, n_pages;
    int has_version;
    char version[HAR_SPLIT_VERSION_MAX + 1];
    size_t version_len;
};

struct har_split *
har_split_new(FILE *fp, const char *path, size_t chunk)
{
    struct har_split *sp = xcalloc(1, sizeof *sp);
    sp->fp = fp;
    sp->path = path;
    sp->chunk_size = chunk ? chunk : SPLIT_CHUNK_DEFAULT;
    sp->chunk = xmalloc(sp->chunk_size);
    sp->state = ST_VALUE;
    sp->line = 1;
    sp->col = 1;
    pm_buf_init(&sp->cap);
    return sp;
}

void
har_split_free(struct har_split *sp)
{
    if (sp == NULL)
        return;
    pm_buf_release(&sp->cap);
    free(sp->chunk);
    free(sp);
}

#define SPLIT_KEEP_BUFFER (4u << 20)

void
har_split_trim(struct har_split *sp)
{
    if (!sp->capturing && sp->cap.cap > SPLIT_KEEP_BUFFER) {
        pm_buf_release(&sp->cap);
        pm_buf_init(&sp->cap);
    }
}

long
har_split_entry_count(const struct har_split *sp)
{
    return sp->n_entries;
}

const char *
har_split_log_version(struct har_split *sp)
{
    if (!sp->has_version)
        return NULL;
    sp->version[sp->version_len] = '\0';
    return sp->version;
}

/* One byte of log.version's string: printable ASCII kept, others '?'. */
static void
version_byte(struct har_split *sp, int c)
{
    if (sp->version_len < HAR_SPLIT_VERSION_MAX)
        sp->version[sp->version_len++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
}

/* Describe the byte c (or end of file, c < 0) for an error message. */
static void
describe_byte(int c, char *out, size_t n)
{
    if (c < 0)
        snprintf(out, n, "end of file");
    else if (c == '\n' || c == '\r')
        snprintf(out, n, "end of line");
    else if (c == '\'')
        snprintf(out, n, "\"'\"");
    else if (c > 0x20 && c < 0x7f)
        snprintf(out, n, "'%c'", c);
    else if (c == ' ' || c == '\t')
        snprintf(out, n, "white space");
    else
        snprintf(out, n, "byte 0x%02x", (unsigned)c);
}

/*
 * Record an error at the current position.  Inside a captured entry or page
 * the message names it too ("entry 12: ...").
 */
static enum pm_rc
split_fail(struct har_split *sp, enum pm_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum pm_rc
split_fail(struct har_split *sp, enum pm_rc rc, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *what = NULL;
    long col = sp->col;
    if (sp->state == ST_UTF8)
        col--; /* a continuation byte: report its character's column */
    if (sp->capturing && sp->cap_kind == HAR_ITEM_ENTRY)
        what = "entry";
    else if (sp->capturing && sp->cap_kind == HAR_ITEM_PAGE)
        what = "page";
    if (what)
        return pm_err_at(sp->err, rc, sp->path, sp->line, col,
                         "%s %ld: %s", what, sp->cap_index, msg);
    return pm_err_at(sp->err, rc, sp->path, sp->line, col, "%s", msg);
}

static enum pm_rc
fail_unexpected(struct har_split *sp, int c, const char *expected)
{
    char d[32];
    describe_byte(c, d, sizeof d);
    if (c < 0)
        return split_fail(sp, PM_ERR_PARSE,
                          "unexpected end of file: expected %s (the file "
                          "looks truncated)", expected);
    return split_fail(sp, PM_ERR_PARSE, "expected %s, found %s", expected, d);
}

/* Copy the pending span of the current chunk (cap_from..end) into cap. */
static enum pm_rc
capture_span(struct har_split *sp, size_t end)
{
    size_t n = end - sp->cap_from;
    if (sp->cap.len + n > HAR_SPLIT_MAX_ITEM)
        return split_fail(sp, PM_ERR_LIMIT, "larger than %zu MiB; pmscope "
                          "does not import items this large",
                          HAR_SPLIT_MAX_ITEM >> 20);
    pm_buf_add(&sp->cap, sp->chunk + sp->cap_from, n);
    sp->cap_from = end;
    return PM_OK;
}

/* A value just ended: expect ',' / close, or the end of the file. */
static void
value_done(struct har_split *sp)
{
    sp->state = sp->depth == 0 ? ST_END : ST_AFTER_VALUE;
}

/* Which key of the root/log object the string just read was. */
static enum split_key
classify_key(const struct har_split *sp)
{
    if (sp->key_len >= sizeof sp->key)
        return KEY_OTHER;
    int role = sp->stack[sp->depth - 1] & ROLE_MASK;
    if (role == ROLE_ROOT && sp->key_len == 3 && memcmp(sp->key, "log", 3) == 0)
        return KEY_LOG;
    if (role != ROLE_LOG)
        return KEY_OTHER;
    if (sp->key_len == 7 && memcmp(sp->key, "entries", 7) == 0)
        return KEY_ENTRIES;
    if (sp->key_len == 5 && memcmp(sp->key, "pages", 5) == 0)
        return KEY_PAGES;
    if (sp->key_len == 7 && memcmp(sp->key, "creator", 7) == 0)
        return KEY_CREATOR;
    if (sp->key_len == 7 && memcmp(sp->key, "version", 7) == 0)
        return KEY_VERSION;
    return KEY_OTHER;
}

/*
 * A container opens at the current byte (c is '{' or '[').  Decide its role
 * and whether it starts a captured item; pos is its offset in the chunk.
 */
static enum pm_rc
open_container(struct har_split *sp, int c, size_t pos)
{
    int is_array = c == '[';
    int parent = sp->depth ? sp->stack[sp->depth - 1] : -1;
    int prole = parent >= 0 ? (parent & ROLE_MASK) : -1;
    int role = ROLE_NONE;
    enum har_item_kind capture = HAR_ITEM_END;

    if (sp->depth >= HAR_SPLIT_MAX_DEPTH)
        return split_fail(sp, PM_ERR_LIMIT,
                          "nesting deeper than %d levels; pmscope does not "
                          "read inputs nested this deep", HAR_SPLIT_MAX_DEPTH);
    if (sp->capturing) {
        /* inside an item: plain JSON */
    } else if (parent < 0) {
        if (is_array)
            return split_fail(sp, PM_ERR_FORMAT, "expected '{' to start the "
                              "HAR object, found '['; not a HAR file");
        role = ROLE_ROOT;
    } else if (prole == ROLE_ROOT && sp->key_id == KEY_LOG) {
        if (is_array)
            return split_fail(sp, PM_ERR_FORMAT,
                              "expected \"log\" to be an object, found '['");
        role = ROLE_LOG;
        sp->seen_log = 1;
    } else if (prole == ROLE_LOG && sp->key_id == KEY_ENTRIES) {
        if (!is_array)
            return split_fail(sp, PM_ERR_PARSE,
                              "expected \"entries\" to be an array, found '{'");
        role = ROLE_ENTRIES;
    } else if (prole == ROLE_LOG && sp->key_id == KEY_PAGES) {
        if (!is_array)
            return split_fail(sp, PM_ERR_PARSE,
                              "expected \"pages\" to be an array, found '{'");
        role = ROLE_PAGES;
    } else if (prole == ROLE_LOG && sp->key_id == KEY_CREATOR && !is_array) {
        capture = HAR_ITEM_CREATOR;
    } else if (prole == ROLE_ENTRIES) {
        if (is_array)
            return split_fail(sp, PM_ERR_PARSE, "entry %ld: expected an entry "
                              "object, found '['", sp->n_entries);
        capture = HAR_ITEM_ENTRY;
    } else if (prole == ROLE_PAGES) {
        if (is_array)
            return split_fail(sp, PM_ERR_PARSE, "page %ld: expected a page "
                              "object, found '['", sp->n_pages);
        capture = HAR_ITEM_PAGE;
    }
    if (capture != HAR_ITEM_END) {
        sp->capturing = 1;
        sp->cap_kind = capture;
        sp->cap_depth = sp->depth;
        sp->cap_from = pos;
        sp->cap_line = sp->line;
        sp->cap_col = sp->col;
        sp->cap_index = capture == HAR_ITEM_ENTRY ? sp->n_entries++
                        : capture == HAR_ITEM_PAGE ? sp->n_pages++ : 0;
        pm_buf_reset(&sp->cap);
    }
    sp->stack[sp->depth++] = (unsigned char)(role | (is_array ? C_ARRAY : 0));
    sp->state = is_array ? ST_VALUE_OR_CLOSE : ST_KEY_OR_CLOSE;
    return PM_OK;
}

/* A container closes at byte offset pos of the chunk. */
static enum pm_rc
close_container(struct har_split *sp, size_t pos)
{
    sp->depth--;
    if (sp->capturing && sp->depth == sp->cap_depth) {
        if (capture_span(sp, pos + 1))
            return sp->err->rc;
        sp->capturing = 0;
        sp->ready = 1;
    }
    value_done(sp);
    return PM_OK;
}

/* A value other than an object/array is about to start in a place that
 * needs an object. */
static enum pm_rc
check_scalar_place(struct har_split *sp, int c)
{
    if (sp->capturing)
        return PM_OK;
    if (sp->depth == 0) {
        if (c == '<')
            return split_fail(sp, PM_ERR_FORMAT, "expected '{' to start the "
                              "HAR object, found '<'; this looks like an HTML "
                              "page, not a HAR file");
        return fail_unexpected(sp, c, "'{' to start the HAR object");
    }
    int prole = sp->stack[sp->depth - 1] & ROLE_MASK;
    char d[32];
    describe_byte(c, d, sizeof d);
    if (prole == ROLE_ENTRIES)
        return split_fail(sp, PM_ERR_PARSE, "entry %ld: expected an entry "
                          "object, found %s", sp->n_entries, d);
    if (prole == ROLE_PAGES)
        return split_fail(sp, PM_ERR_PARSE, "page %ld: expected a page "
                          "object, found %s", sp->n_pages, d);
    if (prole == ROLE_ROOT && sp->key_id == KEY_LOG)
        return split_fail(sp, PM_ERR_FORMAT, "expected \"log\" to be an object");
    return PM_OK;
}

/* Start of a value (any kind) at chunk offset pos. */
static enum pm_rc
start_value(struct har_split *sp, int c, size_t pos)
{
    if (c == '{' || c == '[')
        return open_container(sp, c, pos);
    if (check_scalar_place(sp, c))
        return sp->err->rc;
    switch (c) {
    case '"':
        sp->state = ST_STRING;
        sp->str_is_key = 0;
        sp->str_is_version = !sp->capturing && sp->depth > 0 &&
                             (sp->stack[sp->depth - 1] & ROLE_MASK) == ROLE_LOG &&
                             sp->key_id == KEY_VERSION;
        if (sp->str_is_version) {
            sp->has_version = 1;
            sp->version_len = 0;
        }
        return PM_OK;
    case '-':
        sp->state = ST_NUMBER;
        sp->num = NUM_MINUS;
        return PM_OK;
    case 't': sp->literal = "true"; break;
    case 'f': sp->literal = "false"; break;
    case 'n': sp->literal = "null"; break;
    default:
        if (c >= '0' && c <= '9') {
            sp->state = ST_NUMBER;
            sp->num = c == '0' ? NUM_ZERO : NUM_INT;
            return PM_OK;
        }
        return fail_unexpected(sp, c, "a value");
    }
    sp->state = ST_LITERAL;
    sp->literal_pos = 1;
    return PM_OK;
}

static int
is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A string's closing quote. */
static void
string_done(struct har_split *sp)
{
    if (sp->str_is_key) {
        if (sp->depth > 0 && !sp->capturing)
            sp->key_id = classify_key(sp);
        sp->state = ST_COLON;
    } else {
        value_done(sp);
    }
}

/* Bytes inside a string (after the opening quote, not escapes). */
static enum pm_rc
string_byte(struct har_split *sp, int c)
{
    if (c == '"') {
        string_done(sp);
        return PM_OK;
    }
    if (c == '\\') {
        sp->state = ST_ESCAPE;
        return PM_OK;
    }
    if (sp->str_is_key && sp->key_len < sizeof sp->key)
        sp->key[sp->key_len] = (char)c;
    if (sp->str_is_key)
        sp->key_len++;
    if (sp->str_is_version)
        version_byte(sp, c);
    if (c < 0x20) {
        if (c == '\n' || c == '\r')
            return split_fail(sp, PM_ERR_PARSE, "unescaped line break inside "
                              "a string; expected '\"' to close it first");
        return split_fail(sp, PM_ERR_PARSE, "control character 0x%02x inside "
                          "a string; it must be escaped", (unsigned)c);
    }
    if (c < 0x80)
        return PM_OK;
    /* UTF-8 lead byte: RFC 3629 / Unicode table 3-7 */
    sp->utf8_lo = 0x80;
    sp->utf8_hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
        sp->utf8_need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
        sp->utf8_need = 2;
        if (c == 0xe0)
            sp->utf8_lo = 0xa0;
        else if (c == 0xed)
            sp->utf8_hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        sp->utf8_need = 3;
        if (c == 0xf0)
            sp->utf8_lo = 0x90;
        else if (c == 0xf4)
            sp->utf8_hi = 0x8f;
    } else {
        return split_fail(sp, PM_ERR_PARSE, "invalid UTF-8 (byte 0x%02x) in a "
                          "string; HAR files must be UTF-8", (unsigned)c);
    }
    sp->state = ST_UTF8;
    return PM_OK;
}

/* After "\u" + 4 hex digits. */
static enum pm_rc
escape_done(struct har_split *sp)
{
    unsigned v = sp->hex_val;
    if (sp->need_low) {
        sp->need_low = 0;
        if (v < 0xdc00 || v > 0xdfff)
            return split_fail(sp, PM_ERR_PARSE, "expected a low surrogate "
                              "(\\udc00-\\udfff) after a high surrogate, found "
                              "\\u%04x", v);
        sp->state = ST_STRING;
        return PM_OK;
    }
    if (v >= 0xdc00 && v <= 0xdfff)
        return split_fail(sp, PM_ERR_PARSE, "unpaired low surrogate \\u%04x "
                          "in a string", v);
    if (v >= 0xd800 && v <= 0xdbff) {
        sp->need_low = 1;
        sp->state = ST_LOW_BACKSLASH;
        return PM_OK;
    }
    sp->state = ST_STRING;
    return PM_OK;
}

static enum pm_rc
number_byte(struct har_split *sp, int c, size_t pos, int *reprocess)
{
    int digit = c >= '0' && c <= '9';
    switch (sp->num) {
    case NUM_MINUS:
        if (!digit)
            return fail_unexpected(sp, c, "a digit after '-'");
        sp->num = c == '0' ? NUM_ZERO : NUM_INT;
        return PM_OK;
    case NUM_ZERO:
    case NUM_INT:
        if (digit && sp->num == NUM_INT)
            return PM_OK;
        if (digit)
            return split_fail(sp, PM_ERR_PARSE, "expected '.', 'e' or the end "
                              "of the number after a leading 0, found '%c'", c);
        if (c == '.') {
            sp->num = NUM_DOT;
            return PM_OK;
        }
        if (c == 'e' || c == 'E') {
            sp->num = NUM_E;
            return PM_OK;
        }
        break;
    case NUM_DOT:
        if (!digit)
            return fail_unexpected(sp, c, "a digit after '.'");
        sp->num = NUM_FRAC;
        return PM_OK;
    case NUM_FRAC:
        if (digit)
            return PM_OK;
        if (c == 'e' || c == 'E') {
            sp->num = NUM_E;
            return PM_OK;
        }
        break;
    case NUM_E:
        if (c == '+' || c == '-') {
            sp->num = NUM_ESIGN;
            return PM_OK;
        }
        /* fall through */
    case NUM_ESIGN:
        if (!digit)
            return fail_unexpected(sp, c, "a digit in the exponent");
        sp->num = NUM_EXP;
        return PM_OK;
    case NUM_EXP:
        if (digit)
            return PM_OK;
        break;
    }
    (void)pos;
    value_done(sp);
    *reprocess = 1;
    return PM_OK;
}

/* Feed one byte c at chunk offset pos. */
static enum pm_rc
split_byte(struct har_split *sp, int c, size_t pos)
{
    int reprocess;
again:
    reprocess = 0;
    switch (sp->state) {
    case ST_VALUE:
        if (is_ws(c))
            return PM_OK;
        return start_value(sp, c, pos);
    case ST_VALUE_OR_CLOSE:
        if (is_ws(c))
            return PM_OK;
        if (c == ']')
            return close_container(sp, pos);
        return start_value(sp, c, pos);
    case ST_KEY_OR_CLOSE:
    case ST_KEY:
        if (is_ws(c))
            return PM_OK;
        if (c == '}' && sp->state == ST_KEY_OR_CLOSE)
            return close_container(sp, pos);
        if (c != '"')
            return fail_unexpected(sp, c, sp->state == ST_KEY
                                   ? "'\"' to start a member name"
                                   : "'\"' to start a member name or '}'");
        sp->state = ST_STRING;
        sp->str_is_key = 1;
        sp->str_is_version = 0;
        sp->key_len = 0;
        return PM_OK;
    case ST_COLON:
        if (is_ws(c))
            return PM_OK;
        if (c != ':')
            return fail_unexpected(sp, c, "':' after a member name");
        sp->state = ST_VALUE;
        return PM_OK;
    case ST_AFTER_VALUE: {
        if (is_ws(c))
            return PM_OK;
        int arr = sp->stack[sp->depth - 1] & C_ARRAY;
        if (c == ',') {
            sp->state = arr ? ST_VALUE : ST_KEY;
            return PM_OK;
        }
        if (c == (arr ? ']' : '}'))
            return close_container(sp, pos);
        return fail_unexpected(sp, c, arr ? "',' or ']' after an array element"
                                          : "',' or '}' after an object member");
    }
    case ST_END:
        if (is_ws(c))
            return PM_OK;
        return fail_unexpected(sp, c, "the end of the file after the HAR object");
    case ST_STRING:
        return string_byte(sp, c);
    case ST_ESCAPE:
        switch (c) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n':
        case 'r': case 't':
            sp->state = ST_STRING;
            return PM_OK;
        case 'u':
            sp->state = ST_HEX;
            sp->hex_val = 0;
            sp->hex_count = 0;
            return PM_OK;
        default:
            return fail_unexpected(sp, c, "an escape (\\\" \\\\ \\/ \\b \\f \\n "
                                   "\\r \\t \\uXXXX) after '\\'");
        }
    case ST_HEX: {
        int h = hex_digit(c);
        if (h < 0)
            return fail_unexpected(sp, c, "4 hex digits after \\u");
        sp->hex_val = sp->hex_val * 16 + (unsigned)h;
        if (++sp->hex_count == 4)
            return escape_done(sp);
        return PM_OK;
    }
    case ST_LOW_BACKSLASH:
        if (c != '\\')
            return fail_unexpected(sp, c, "'\\u' and a low surrogate after a "
                                   "high surrogate escape");
        sp->state = ST_LOW_U;
        return PM_OK;
    case ST_LOW_U:
        if (c != 'u')
            return fail_unexpected(sp, c, "'\\u' and a low surrogate after a "
                                   "high surrogate escape");
        sp->state = ST_HEX;
        sp->hex_val = 0;
        sp->hex_count = 0;
        return PM_OK;
    case ST_UTF8:
        if (c < sp->utf8_lo || c > sp->utf8_hi)
            return split_fail(sp, PM_ERR_PARSE, "invalid UTF-8 (byte 0x%02x) "
                              "in a string; HAR files must be UTF-8",
                              (unsigned)c);
        sp->utf8_lo = 0x80;
        sp->utf8_hi = 0xbf;
        if (--sp->utf8_need == 0)
            sp->state = ST_STRING;
        return PM_OK;
    case ST_NUMBER:
        if (number_byte(sp, c, pos, &reprocess))
            return sp->err->rc;
        if (reprocess)
            goto again;
        return PM_OK;
    case ST_LITERAL:
        if (c != sp->literal[sp->literal_pos]) {
            char want[32];
            snprintf(want, sizeof want, "'%s'", sp->literal);
            return fail_unexpected(sp, c, want);
        }
        if (sp->literal[++sp->literal_pos] == '\0')
            value_done(sp);
        return PM_OK;
    }
    return PM_OK;
}

/* End of file reached: the state must be complete. */
static enum pm_rc
split_eof(struct har_split *sp)
{
    switch (sp->state) {
    case ST_END:
        break;
    case ST_VALUE:
        if (sp->depth == 0)
            return split_fail(sp, PM_ERR_FORMAT, "expected '{' to start the "
                              "HAR object, found only white space");
        return fail_unexpected(sp, -1, "a value");
    case ST_STRING:
    case ST_ESCAPE:
    case ST_HEX:
    case ST_LOW_BACKSLASH:
    case ST_LOW_U:
    case ST_UTF8:
        return fail_unexpected(sp, -1, "'\"' to close a string");
    case ST_AFTER_VALUE:
        return fail_unexpected(sp, -1, (sp->stack[sp->depth - 1] & C_ARRAY)
                               ? "',' or ']'" : "',' or '}'");
    case ST_KEY_OR_CLOSE:
        return fail_unexpected(sp, -1, "a member name or '}'");
    case ST_VALUE_OR_CLOSE:
        return fail_unexpected(sp, -1, "a value or ']'");
    case ST_KEY:
        return fail_unexpected(sp, -1, "a member name");
    case ST_COLON:
        return fail_unexpected(sp, -1, "':' after a member name");
    case ST_NUMBER:
        return fail_unexpected(sp, -1, "the rest of a number");
    case ST_LITERAL:
        return fail_unexpected(sp, -1, sp->literal[0] == 't' ? "'true'"
                               : sp->literal[0] == 'f' ? "'false'" : "'null'");
    default:
        return fail_unexpected(sp, -1, "the rest of the HAR object");
    }
    if (!sp->seen_log)
        return pm_err_at(sp->err, PM_ERR_FORMAT, sp->path, 0, 0,
                         "no \"log\" object; not a HAR file");
    return PM_OK;
}

/*
 * The first bytes of the file: skip a UTF-8 byte-order mark (it may straddle
 * chunks), refuse UTF-16 with a clear message.  *skip is set when c belongs
 * to the mark.
 */
static enum pm_rc
split_prefix(struct har_split *sp, int c, int *skip)
{
    static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};
    *skip = 0;
    if (sp->bom_len == 0 && (c == 0xff || c == 0xfe))
        return split_fail(sp, PM_ERR_FORMAT, "the file is UTF-16; pmscope "
                          "reads UTF-8 HAR files (convert it with iconv)");
    if (c == bom[sp->bom_len]) {
        *skip = 1;
        if (++sp->bom_len == 3)
            sp->started = 1;
        return PM_OK;
    }
    if (sp->bom_len > 0)
        return split_fail(sp, PM_ERR_PARSE, "incomplete UTF-8 byte-order mark "
                          "at the start of the file");
    sp->started = 1;
    return PM_OK;
}

/* Refill the chunk; at end of file set sp->eof. */
static enum pm_rc
split_fill(struct har_split *sp)
{
    if (sp->capturing && capture_span(sp, sp->len))
        return sp->err->rc;
    sp->len = fread(sp->chunk, 1, sp->chunk_size, sp->fp);
    sp->pos = 0;
    sp->cap_from = 0;
    if (sp->len == 0) {
        if (ferror(sp->fp))
            return pm_err_at(sp->err, PM_ERR_IO, sp->path, 0, 0,
                             "read error: %s", strerror(errno));
        sp->eof = 1;
        return PM_OK;
    }
    return PM_OK;
}

enum pm_rc
har_split_next(struct har_split *sp, struct har_item *item,
               struct pm_err *err)
{
    sp->err = err;
    memset(item, 0, sizeof *item);
    for (;;) {
        if (sp->pos == sp->len) {
            if (sp->eof || split_fill(sp))
                return err->rc;
            if (sp->eof) {
                if (split_eof(sp))
                    return err->rc;
                item->kind = HAR_ITEM_END;
                item->offset = sp->consumed;
                return PM_OK;
            }
            continue;
        }
        const unsigned char *b = sp->chunk;
        size_t pos = sp->pos, len = sp->len;
        while (pos < len) {
            if (sp->state == ST_STRING) {
                /* fast path: plain printable ASCII inside a string */
                size_t start = pos;
                if (sp->str_is_key) {
                    while (pos < len && b[pos] >= 0x20 && b[pos] < 0x80 &&
                           b[pos] != '"' && b[pos] != '\\') {
                        if (sp->key_len < sizeof sp->key)
                            sp->key[sp->key_len] = (char)b[pos];
                        sp->key_len++;
                        pos++;
                    }
                } else if (sp->str_is_version) {
                    while (pos < len && b[pos] >= 0x20 && b[pos] < 0x80 &&
                           b[pos] != '"' && b[pos] != '\\')
                        version_byte(sp, b[pos++]);
                } else {
                    while (pos < len && b[pos] >= 0x20 && b[pos] < 0x80 &&
                           b[pos] != '"' && b[pos] != '\\')
                        pos++;
                }
                sp->col += (long)(pos - start);
                sp->consumed += (int64_t)(pos - start);
                if (pos == len)
                    break;
            }
            int c = b[pos];
            int skip = 0;
            if (!sp->started && split_prefix(sp, c, &skip)) {
                sp->pos = pos;
                return err->rc;
            }
            if (skip) {
                pos++;
                sp->consumed++;
                continue;
            }
            if (split_byte(sp, c, pos)) {
                sp->pos = pos;
                return err->rc;
            }
            pos++;
            sp->consumed++;
            if (c == '\n') {
                sp->line++;
                sp->col = 1;
            } else if ((c & 0xc0) != 0x80) {
                sp->col++;
            }
            if (sp->ready) {
                sp->ready = 0;
                sp->pos = pos;
                sp->cap_from = pos;
                item->kind = sp->cap_kind;
                item->text = sp->cap.data;
                item->len = sp->cap.len;
                item->index = sp->cap_index;
                item->line = sp->cap_line;
                item->col = sp->cap_col;
                item->offset = sp->consumed;
                return PM_OK;
            }
        }
        sp->pos = pos;
    }
}
