/*
 * json_pos.h - strict JSON parsing with positions for error messages.
 *
 * cJSON parses leniently (it accepts leading zeros, raw control characters
 * and invalid UTF-8) and reports only an error pointer.  json_parse_located
 * first checks the text against RFC 8259 with a recursion-bounded validator
 * that knows what it expected at each point, then lets cJSON build the tree.
 * A bad input therefore yields "SRC:LINE:COL: expected ',' or '}' after an
 * object member" instead of a bare offset, and cJSON never sees input it
 * would misread.
 *
 * Columns are 1-based and count Unicode code points (a tab is one column);
 * lines are 1-based.
 */
#ifndef PM_JSON_POS_H
#define PM_JSON_POS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "err.h"

/* Deepest nesting accepted, counting the outermost value; cJSON's own limit. */
#define PM_JSON_DEPTH_MAX 1000
/* Longest number text cJSON reads correctly (its number buffer is 64 bytes). */
#define PM_JSON_NUMBER_MAX 63
/* Members of the outermost object whose positions are remembered. */
#define PM_JSON_MEMBERS_MAX 32

/* A member of the outermost object, as byte offsets into the text. */
struct pm_json_member {
    size_t key_off; /* first byte after the key's opening quote */
    size_t key_len; /* raw key length, escapes not decoded */
    size_t val_off; /* first byte of the member's value */
    size_t val_end; /* one past its last byte */
};

struct pm_json_doc {
    cJSON *root;       /* the parsed value; owned, freed by json_doc_free */
    const char *text;  /* the text parsed (borrowed, must outlive lookups) */
    size_t len;
    long line, col;    /* position of text[0] in the input */
    int nmembers;
    struct pm_json_member members[PM_JSON_MEMBERS_MAX];
    long nul_escapes;  /* \u0000 escapes: cJSON ends a string there */
    size_t nul_first;  /* offsets of the first and last of them */
    size_t nul_last;
};

/*
 * Parse text[0..len) as exactly one JSON value (surrounding whitespace
 * allowed).  line/col give the position of text[0] in the input named src,
 * for error messages; end_name names the unit ("line", "entry") in the
 * message for input that stops early.  On success doc->root holds the tree.
 * Errors: PM_ERR_PARSE with SRC:LINE:COL and what was expected, PM_ERR_LIMIT
 * for nesting deeper than PM_JSON_DEPTH_MAX or an over-long number.
 */
enum pm_rc json_parse_located(const char *text, size_t len, const char *src,
                              long line, long col, const char *end_name,
                              struct pm_json_doc *doc, struct pm_err *err);

void json_doc_free(struct pm_json_doc *doc);

/*
 * Append the compact form of text[0..len), one JSON value that
 * json_parse_located accepted, to out: whitespace outside strings dropped,
 * key order, duplicate keys and number text kept as written, \/ and \u
 * escapes of characters that need no escaping decoded to UTF-8, control
 * characters escaped the way cJSON prints them.  Unlike a cJSON round trip
 * this keeps integers beyond 2^53 exact and \u0000 inside strings.
 */
struct pm_buf;
void json_compact(const char *text, size_t len, struct pm_buf *out);

/*
 * Advance *line / *col (the position of text[0]) to the position of
 * text[off]; text[0..off) must be valid UTF-8.
 */
void json_position(const char *text, size_t off, long *line, long *col);

/*
 * Position of the value of the outermost object's member named key (first
 * occurrence), or of the start of the text when that member is unknown.
 */
void json_member_position(const struct pm_json_doc *doc, const char *key,
                          long *line, long *col);

#endif
