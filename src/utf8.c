/*
 * utf8.c - strict UTF-8 decoding, the hidden-character table and repair of
 * invalid text (see utf8.h).
 */
#include "utf8.h"

size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned b = s[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF, v;
    *cp = b;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        v = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        v = b & 0x0F;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        v = b & 0x07;
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
        v = (v << 6) | (c & 0x3F);
    }
    *cp = v;
    return len;
}

/*
 * Hidden code points as sorted, disjoint ranges: controls, Unicode's format
 * (Cf) characters and the other default-ignorable characters that render
 * as nothing.  Printable letters, marks and spaces are never listed.
 */
static const struct {
    unsigned lo, hi;
} hidden_ranges[] = {
    {0x0000, 0x001F},   /* C0 controls */
    {0x007F, 0x009F},   /* DEL, C1 controls */
    {0x00AD, 0x00AD},   /* soft hyphen */
    {0x034F, 0x034F},   /* combining grapheme joiner */
    {0x0600, 0x0605},   /* Arabic prepended number signs */
    {0x061C, 0x061C},   /* Arabic letter mark */
    {0x06DD, 0x06DD},   /* Arabic end of ayah */
    {0x070F, 0x070F},   /* Syriac abbreviation mark */
    {0x0890, 0x0891},   /* Arabic pound/piastre marks above */
    {0x08E2, 0x08E2},   /* Arabic disputed end of ayah */
    {0x115F, 0x1160},   /* Hangul choseong/jungseong fillers */
    {0x17B4, 0x17B5},   /* Khmer inherent vowels */
    {0x180B, 0x180F},   /* Mongolian variation selectors, vowel separator */
    {0x200B, 0x200F},   /* ZWSP, ZWNJ, ZWJ, LRM, RLM */
    {0x2028, 0x202E},   /* line/paragraph separators, bidi embeddings */
    {0x2060, 0x206F},   /* word joiner, invisible operators, bidi isolates */
    {0x3164, 0x3164},   /* Hangul filler */
    {0xFE00, 0xFE0F},   /* variation selectors */
    {0xFEFF, 0xFEFF},   /* BOM, zero-width no-break space */
    {0xFFA0, 0xFFA0},   /* halfwidth Hangul filler */
    {0xFFF9, 0xFFFB},   /* interlinear annotation */
    {0x110BD, 0x110BD}, /* Kaithi number sign */
    {0x110CD, 0x110CD}, /* Kaithi number sign above */
    {0x13430, 0x1343F}, /* Egyptian hieroglyph format controls */
    {0x1BCA0, 0x1BCA3}, /* shorthand format controls */
    {0x1D173, 0x1D17A}, /* musical symbol format controls */
    {0xE0000, 0xE0FFF}, /* tag characters, variation selectors 17-256 */
};

int
unicode_is_hidden(unsigned cp)
{
    size_t lo = 0, hi = sizeof hidden_ranges / sizeof hidden_ranges[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < hidden_ranges[mid].lo)
            hi = mid;
        else if (cp > hidden_ranges[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

size_t
utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, len;
    unsigned cp;
    while (i < n && p[i] < 0x80)
        i++;
    while (i < n && (len = utf8_decode(p + i, n - i, &cp)) > 0)
        i += len;
    return i;
}

size_t
utf8_repair(struct pm_buf *out, const char *s, size_t n, size_t *first_bad)
{
    size_t bad = 0, i = 0;
    while (i < n) {
        size_t run = i + utf8_valid_prefix(s + i, n - i);
        pm_buf_add(out, s + i, run - i);
        if (run == n)
            break;
        if (bad++ == 0 && first_bad)
            *first_bad = run;
        pm_buf_adds(out, "\xef\xbf\xbd");
        i = run + 1;
    }
    return bad;
}
