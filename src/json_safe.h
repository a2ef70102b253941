/*
 * json_safe.h - JSON text that is valid UTF-8 and safe to print.  JSON only
 * requires C0 controls to be escaped, and cJSON copies every other byte of
 * a string as it is: invalid UTF-8 (a file name with byte 0x9b), DEL, C1
 * controls (which some terminals obey), bidi overrides, zero-width and tag
 * characters would reach the reader raw.  json_escape_hidden rewrites them
 * as \uXXXX (invalid bytes as \ufffd); they can only occur inside JSON
 * strings, so the text stays JSON.  Every JSON pmscope writes (`ls --json`,
 * the JSON report, the trace and HAR a capture records) passes through it.
 */
#ifndef PM_JSON_SAFE_H
#define PM_JSON_SAFE_H

#include <stdio.h>

#include "buf.h"

/* Rewrite b in place (utf8.h's unicode_is_hidden decides what is escaped;
 * an invalid byte becomes \ufffd). */
void json_escape_hidden(struct pm_buf *b);

/* puts(json) with json_escape_hidden applied; 0, or -1 on a write error. */
int json_puts_safe(const char *json, FILE *fp);

/* Append cp as a JSON escape: \u200d, or a surrogate pair above U+FFFF. */
void json_add_u_escape(struct pm_buf *out, unsigned cp);

#endif
