/*
 * utf8.h - strict UTF-8 decoding, the one table of characters that must
 * never reach a reader raw, and repair of invalid text.
 *
 * Every place that shows or writes untrusted text (term_text for the
 * terminal, md_escape for the report, json_safe for JSON, origin for hosts)
 * asks unicode_is_hidden, so a character escaped in one output is escaped
 * in all of them.  Pure: no locale, no I/O.
 */
#ifndef PM_UTF8_H
#define PM_UTF8_H

#include <stddef.h>

#include "buf.h"

/*
 * Decode one UTF-8 sequence at s (n >= 1 bytes available).  Returns its
 * length (1..4) and stores the code point in *cp, or returns 0 for an
 * invalid lead byte, truncated sequence, overlong form, surrogate or value
 * above U+10FFFF (then *cp is the first byte's value).
 */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/*
 * 1 for code points a reader must see as an escape: C0 and C1 controls,
 * DEL, bidi embeddings/overrides/isolates and marks, line and paragraph
 * separators, and the invisible or zero-width characters that can hide
 * text or make two different strings look the same (soft hyphen,
 * U+200B..U+200D, word joiner and invisible operators, BOM, variation
 * selectors, Hangul fillers, tag characters U+E0000..U+E007F and the rest
 * of Unicode's format (Cf) characters).
 */
int unicode_is_hidden(unsigned cp);

/* Length of the longest valid UTF-8 prefix of s[0..n) (n when all valid). */
size_t utf8_valid_prefix(const char *s, size_t n);

/*
 * Append s[0..n) to out with every invalid byte replaced by U+FFFD.
 * Returns the number of bytes replaced; *first_bad (if not NULL) gets the
 * offset of the first one.
 */
size_t utf8_repair(struct pm_buf *out, const char *s, size_t n,
                   size_t *first_bad);

#endif
