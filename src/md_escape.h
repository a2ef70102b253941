/*
 * md_escape.h - escapers that keep untrusted text inert inside a Markdown
 * report (CommonMark plus the GFM table and Mermaid extensions GitHub and
 * GitLab render).
 *
 * Every function appends to a struct pm_buf and never fails.  Input is
 * treated as bytes that are probably UTF-8: invalid bytes and the characters
 * utf8.h's unicode_is_hidden lists (C0/C1 controls, bidi controls,
 * zero-width and other invisible characters, tag characters) are shown as
 * visible escapes (\x1b, \u202e, \u200d, \U000e0041), so a value can
 * neither reorder the text around it nor hide from the reader.
 */
#ifndef PM_MD_ESCAPE_H
#define PM_MD_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/*
 * Visible spelling of a hidden character or invalid byte (invalid set, cp
 * its value), as the terminal spells them: x1b for a C0 control, DEL or
 * an invalid byte, u202e, U000e0041 above U+FFFF, each after backslash
 * (what the output writes for a backslash: "\", "\\" in dot, "#92;").
 */
void md_visible_escape(struct pm_buf *out, unsigned cp, int invalid,
                       const char *backslash);

/*
 * Inline text (paragraphs, headings, list items): every ASCII punctuation
 * character that Markdown or HTML could act on is backslash-escaped, line
 * breaks become a space, so the text always renders literally on one line.
 * max_chars > 0 cuts the text (see md_cut_len) and appends "…".
 */
void md_escape_inline(struct pm_buf *out, const char *text, size_t max_chars);

/*
 * Bytes of text to keep so that at most max_chars characters remain
 * (0 = no limit); *cut says whether anything is left out.  A cut falls at
 * the last space or just after the last , ; / & ? or = (lists, URLs),
 * whichever is later, when that keeps at least half of max_chars; only a
 * value with no such place is cut mid-word.
 */
size_t md_cut_len(const char *text, size_t max_chars, int *cut);

/* A GFM table cell: md_escape_inline plus nothing that can end the cell
 * ("|" is escaped; an empty value becomes a dash). */
void md_escape_table_cell(struct pm_buf *out, const char *text,
                          size_t max_chars);

/*
 * Number of backticks for a fence around text: one more than the longest
 * backtick run inside it, at least 3.
 */
size_t md_fence_for(const char *text);

/*
 * Append text as a fenced code block with info string info (NULL = none):
 * fence, text with control and bidi characters made visible, newline, fence.
 */
void md_code_block(struct pm_buf *out, const char *info, const char *text);

/*
 * Text of a Mermaid sequence-diagram label, readable as it is in the raw
 * Markdown: Mermaid takes a message's text literally to the end of the
 * line, so quotes, braces and punctuation pass; only what Mermaid or the
 * fence acts on (# ; % < > & and the backtick) becomes an entity code
 * ("#60;"), and controls, bidi characters and invalid bytes "#65533;".
 * With alias set (participant names), those characters become "_"
 * instead.  Cut like md_cut_len, with "...".
 */
void mermaid_label(struct pm_buf *out, const char *text, size_t max_chars,
                   int alias);

/*
 * Text of a quoted Mermaid flowchart label (node["..."], edge|"..."|): only
 * letters, digits, space and . : / - _ , + = @ ! ? * ' ( ) ~ and non-ASCII
 * characters stay as they are; every other ASCII character (the quote,
 * brackets, # ; % < > & $ the backtick and the backslash) becomes a
 * numeric entity code ("#34;"), which Mermaid shows as that character, so
 * the label can neither end its string, start a comment, a markdown or
 * math string nor carry HTML.  Hidden characters and invalid bytes are
 * spelled as visible escapes whose backslash is coded too ("#92;u202e").
 * Cut like md_cut_len, with "...".
 */
void mermaid_quoted(struct pm_buf *out, const char *text, size_t max_chars);

/* HTML text or attribute value: & < > " ' become entities. */
void html_escape(struct pm_buf *out, const char *text);

/*
 * A JSON string literal safe inside an HTML <script> element: quotes and
 * backslashes escaped, and < > & U+2028 U+2029 and controls as \uXXXX, so
 * neither "</script>" nor "<!--" can appear.
 */
void js_string_literal(struct pm_buf *out, const char *text);

#endif
