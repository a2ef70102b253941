/*
 * json_safe.h - JSON text that is safe to print: JSON only requires C0
 * controls to be escaped, so cJSON leaves C1 controls (U+0080..U+009F,
 * which some terminals obey), bidi overrides and line separators raw.  These
 * helpers rewrite them as \uXXXX; they can only occur inside JSON strings,
 * so the text still parses to the same value.
 */
#ifndef PM_JSON_SAFE_H
#define PM_JSON_SAFE_H

#include <stdio.h>

#include "buf.h"

/* Rewrite b in place (md_is_hidden_char decides what is escaped). */
void json_escape_hidden(struct pm_buf *b);

/* puts(json) with json_escape_hidden applied. */
void json_puts_safe(const char *json, FILE *fp);

#endif
