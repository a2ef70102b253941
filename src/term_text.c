/*
 * term_text.c - the terminal-text sanitizer: strict UTF-8 decoding, escapes
 * for control characters, bidi controls and invalid bytes, and wcwidth-based
 * measuring and truncation.  See term_text.h for the contract.
 */
#include "term_text.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

/*
 * Decode one UTF-8 sequence at s (n >= 1 bytes available).  Returns its
 * length and stores the code point, or returns 0 for an invalid lead byte,
 * truncated sequence, overlong form, surrogate or value above U+10FFFF.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned b = s[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        *cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        *cp = b & 0x0F;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        *cp = b & 0x07;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        unsigned c = s[i];
        if (i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF))
            return 0;
        *cp = (*cp << 6) | (c & 0x3F);
    }
    return len;
}

/* Code points that reorder, hide or separate text: shown as escapes. */
static int
is_format_control(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) ||       /* C1 controls */
           (cp >= 0x202A && cp <= 0x202E) ||   /* bidi embeddings/overrides */
           (cp >= 0x2066 && cp <= 0x2069) ||   /* bidi isolates */
           cp == 0x200E || cp == 0x200F ||     /* LRM, RLM */
           cp == 0x061C ||                     /* Arabic letter mark */
           cp == 0x2028 || cp == 0x2029 ||     /* line/paragraph separator */
           cp == 0xFEFF ||                     /* BOM, zero-width no-break */
           (cp >= 0xFFF9 && cp <= 0xFFFB);     /* interlinear annotation */
}

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
    int w = (flags & TT_ASCII) || is_format_control(cp) ? -1 : wcwidth((wchar_t)cp);
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
