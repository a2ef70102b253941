/*
 * term_text.c - the terminal-text sanitizer: escapes for invalid bytes and
 * for the characters utf8.c's unicode_is_hidden lists (controls, bidi
 * controls, zero-width and other invisible characters), and wcwidth-based
 * measuring and truncation.  See term_text.h for the contract.
 */
#include "term_text.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "utf8.h"

static void
piece_escape(struct term_piece *piece, const char *fmt, unsigned v)
{
    snprintf(piece->esc, sizeof piece->esc, fmt, v);
    piece->text = piece->esc;
    piece->len = strlen(piece->esc);
    piece->cols = (int)piece->len;
    piece->escaped = 1;
}

int
term_text_next(const char **p, const char *end, int flags,
               struct term_piece *piece)
{
    const unsigned char *s = (const unsigned char *)*p;
    if (*p >= end)
        return 0;
    size_t avail = (size_t)(end - *p);
    unsigned cp;
    size_t len = utf8_decode(s, avail, &cp);
    piece->escaped = 0;
    if (len == 0) {
        piece_escape(piece, "\\x%02x", s[0]);
        *p += 1;
        return 1;
    }
    *p += len;
    if (cp < 0x20 || cp == 0x7F) {
        switch (cp) {
        case '\n': piece_escape(piece, "\\n", 0); break;
        case '\r': piece_escape(piece, "\\r", 0); break;
        case '\t': piece_escape(piece, "\\t", 0); break;
        default: piece_escape(piece, "\\x%02x", cp); break;
        }
        return 1;
    }
    if (cp < 0x80) {
        piece->text = (const char *)s;
        piece->len = 1;
        piece->cols = 1;
        return 1;
    }
    int w = (flags & TT_ASCII) || unicode_is_hidden(cp) ? -1 : wcwidth((wchar_t)cp);
    if (w < 0) {
        piece_escape(piece, cp > 0xFFFF ? "\\U%08x" : "\\u%04x", cp);
        return 1;
    }
    piece->text = (const char *)s;
    piece->len = len;
    piece->cols = w;
    return 1;
}

size_t
term_text_width(const char *s, size_t n, int flags)
{
    const char *p = s, *end = s + n;
    struct term_piece piece;
    size_t cols = 0;
    while (term_text_next(&p, end, flags, &piece))
        cols += (size_t)piece.cols;
    return cols;
}

int
term_text_fit(struct pm_buf *out, const char *s, size_t n, int max_cols,
              int flags)
{
    const char *p = s, *end = s + n;
    struct term_piece piece;
    int used = 0;
    if (max_cols <= 0)
        return 0;
    /* With an ellipsis, reserve one column unless the whole text fits. */
    int limit = max_cols;
    if ((flags & TT_ELLIPSIS) && term_text_width(s, n, flags) > (size_t)max_cols)
        limit = max_cols - 1;
    int cut = 0;
    while (term_text_next(&p, end, flags, &piece)) {
        if (used + piece.cols > limit) {
            cut = 1;
            break;
        }
        pm_buf_add(out, piece.text, piece.len);
        used += piece.cols;
    }
    if (cut && (flags & TT_ELLIPSIS) && used < max_cols) {
        pm_buf_adds(out, (flags & TT_ASCII) ? "~" : "\xe2\x80\xa6");
        used++;
    }
    if (flags & TT_PAD)
        for (; used < max_cols; used++)
            pm_buf_addc(out, ' ');
    return used;
}

int
term_text_fits(struct pm_buf *out, const char *s, int max_cols, int flags)
{
    if (s == NULL)
        s = "";
    return term_text_fit(out, s, strlen(s), max_cols, flags);
}
