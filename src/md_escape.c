/*
 * md_escape.c - escapers for the Markdown report (see md_escape.h).
 *
 * The rule throughout: a value from an input is data, never markup.  Inline
 * text is backslash-escaped character by character (CommonMark guarantees an
 * escaped punctuation character is literal, so no emphasis, link, HTML tag,
 * table pipe or heading can start inside it); code is fenced with a backtick
 * run longer than any run it contains; Mermaid labels are written as they
 * are except for the few characters Mermaid acts on, which become entity
 * codes.  A value cut to a length ends at a word boundary when one is
 * near (md_cut_len).
 *
 * Decoding and the set of hidden characters are utf8.c's, shared with the
 * terminal and JSON writers; neither asks the locale, so a report comes out
 * the same on every machine.
 */
#include "md_escape.h"

#include <stdio.h>
#include <string.h>

#include "json_safe.h"
#include "utf8.h"

/*
 * ASCII punctuation that Markdown (CommonMark, GFM tables and
 * strikethrough, GitLab math) acts on anywhere in a line, and the extra
 * characters that only matter where a line starts (headings, lists, block
 * quotes, setext underlines).  Parentheses and "!" only act after "]",
 * which is always escaped.
 */
static const char md_special[] = "\\`*_[]<>&|~$";
static const char md_line_start[] = "#+-=>!";

void
md_visible_escape(struct pm_buf *out, unsigned cp, int invalid,
                  const char *backslash)
{
    pm_buf_adds(out, backslash);
    if (invalid || cp < 0x20 || cp == 0x7F)
        pm_buf_addf(out, "x%02x", cp);
    else if (cp > 0xFFFF)
        pm_buf_addf(out, "U%08x", cp);
    else
        pm_buf_addf(out, "u%04x", cp);
}

static void
visible_escape(struct pm_buf *out, unsigned cp, int invalid, int md_backslash)
{
    md_visible_escape(out, cp, invalid, md_backslash ? "\\\\" : "\\");
}

static int
isalnum_ascii(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 'A' && cp <= 'Z');
}

static int
is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

size_t
md_cut_len(const char *text, size_t max_chars, int *cut)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t len = strlen((const char *)p);
    *cut = 0;
    if (max_chars == 0)
        return len;
    size_t at = 0, chars = 0;
    while (at < len && chars < max_chars) {
        unsigned cp;
        size_t n = utf8_decode(p + at, len - at, &cp);
        at += n ? n : 1;
        chars++;
    }
    if (at >= len)
        return len;
    *cut = 1;
    /* Back to the last space, or to just after the last , ; / & ? or =
     * (a list, a URL) when that is later, as long as at least half of what
     * fits is kept; else a hard cut. */
    size_t lo = at / 2;
    for (size_t k = at; k > lo; k--) {
        if (is_space_byte(p[k])) {
            while (k > 0 && is_space_byte(p[k - 1]))
                k--;
            return k;
        }
        if (strchr(",;/&?=", p[k - 1]))
            return k;
    }
    return at;
}

/*
 * Shared walker for inline text and table cells.  Line breaks and tabs
 * become one space; leading spaces are dropped (they could start an
 * indented code block after a line break in a list or quote).
 */
void
md_escape_inline(struct pm_buf *out, const char *text, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    int cut;
    size_t len = md_cut_len((const char *)p, max_chars, &cut);
    int at_start = 1;
    while (len > 0) {
        unsigned cp;
        size_t n = utf8_decode(p, len, &cp);
        if (n == 0) {
            visible_escape(out, cp, 1, 1);
            n = 1;
        } else if (cp == '\n' || cp == '\r' || cp == '\t' || cp == ' ') {
            if (!at_start && out->len && out->data[out->len - 1] != ' ')
                pm_buf_addc(out, ' ');
        } else if (unicode_is_hidden(cp)) {
            visible_escape(out, cp, 0, 1);
        } else if (cp < 0x80 && (strchr(md_special, (int)cp) ||
                                 (at_start && strchr(md_line_start, (int)cp)))) {
            pm_buf_addc(out, '\\');
            pm_buf_addc(out, (char)cp);
        } else if (at_start && cp >= '0' && cp <= '9') {
            /* "1." or "1)" would start an ordered list. */
            size_t d = 0;
            while (d < len && p[d] >= '0' && p[d] <= '9')
                d++;
            pm_buf_add(out, p, d);
            if (d < len && (p[d] == '.' || p[d] == ')'))
                pm_buf_addc(out, '\\');
            n = d;
        } else {
            pm_buf_add(out, p, n);
        }
        if (cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r')
            at_start = 0;
        p += n;
        len -= n;
    }
    if (cut)
        pm_buf_adds(out, "…");
}

void
md_escape_table_cell(struct pm_buf *out, const char *text, size_t max_chars)
{
    size_t before = out->len;
    md_escape_inline(out, text, max_chars);
    if (out->len == before)
        pm_buf_adds(out, "—");
}

size_t
md_fence_for(const char *text)
{
    size_t longest = 0, run = 0;
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '`') {
            if (++run > longest)
                longest = run;
        } else {
            run = 0;
        }
    }
    return longest + 1 < 3 ? 3 : longest + 1;
}

static void
fence(struct pm_buf *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pm_buf_addc(out, '`');
}

void
md_code_block(struct pm_buf *out, const char *info, const char *text)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t len = strlen((const char *)p);
    size_t n = md_fence_for((const char *)p);
    fence(out, n);
    if (info)
        pm_buf_adds(out, info);
    pm_buf_addc(out, '\n');
    while (len > 0) {
        unsigned cp;
        size_t k = utf8_decode(p, len, &cp);
        if (k == 0) {
            visible_escape(out, cp, 1, 0);
            k = 1;
        } else if (cp == '\n' || cp == '\t') {
            pm_buf_addc(out, (char)cp);
        } else if (cp == '\r') {
            if (!(len > 1 && p[1] == '\n'))
                pm_buf_addc(out, '\n');
        } else if (unicode_is_hidden(cp)) {
            visible_escape(out, cp, 0, 0);
        } else {
            pm_buf_add(out, p, k);
        }
        p += k;
        len -= k;
    }
    if (out->len && out->data[out->len - 1] != '\n')
        pm_buf_addc(out, '\n');
    fence(out, n);
    pm_buf_addc(out, '\n');
}

/*
 * What Mermaid acts on in a sequence diagram's text: '#' starts a comment
 * (and "#123;" an entity code), ';' ends a statement, "%%" a comment, '<'
 * '>' '&' are HTML to its renderer, and a backtick could close the
 * Markdown fence.  Everything else, quotes and braces included, is read
 * as text to the end of the line.
 */
static int
mermaid_safe(unsigned cp)
{
    return cp >= 0x20 && !unicode_is_hidden(cp) && cp != 0xFFFD &&
           !(cp < 0x80 && strchr("#;%<>&`", (int)cp));
}

void
mermaid_label(struct pm_buf *out, const char *text, size_t max_chars,
              int alias)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    int cut;
    size_t len = md_cut_len((const char *)p, max_chars, &cut);
    while (len > 0) {
        unsigned cp;
        size_t n = utf8_decode(p, len, &cp);
        if (n == 0)
            n = 1, cp = 0xFFFD;
        else if (cp == '\n' || cp == '\r' || cp == '\t')
            cp = ' ';
        else if (unicode_is_hidden(cp))
            cp = 0xFFFD;
        if (mermaid_safe(cp) && cp < 0x80)
            pm_buf_addc(out, (char)cp);
        else if (mermaid_safe(cp))
            pm_buf_add(out, p, n);
        else if (alias)
            pm_buf_addc(out, '_');
        else
            pm_buf_addf(out, "#%u;", unicode_is_hidden(cp) ? 0xFFFDu : cp);
        p += n;
        len -= n;
    }
    if (cut)
        pm_buf_adds(out, "...");
}

void
mermaid_quoted(struct pm_buf *out, const char *text, size_t max_chars)
{
    static const char plain[] = " .:/-_,+=@!?*'()~";
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    int cut;
    size_t len = md_cut_len((const char *)p, max_chars, &cut);
    while (len > 0) {
        unsigned cp;
        size_t n = utf8_decode(p, len, &cp);
        int invalid = n == 0;
        if (invalid)
            n = 1, cp = p[0];
        if (invalid || unicode_is_hidden(cp))
            md_visible_escape(out, cp, invalid, "#92;");
        else if (cp >= 0x80 || isalnum_ascii(cp) || strchr(plain, (int)cp))
            pm_buf_add(out, p, n);
        else
            pm_buf_addf(out, "#%u;", cp);
        p += n;
        len -= n;
    }
    if (cut)
        pm_buf_adds(out, "...");
}

void
html_escape(struct pm_buf *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&': pm_buf_adds(out, "&amp;"); break;
        case '<': pm_buf_adds(out, "&lt;"); break;
        case '>': pm_buf_adds(out, "&gt;"); break;
        case '"': pm_buf_adds(out, "&quot;"); break;
        case '\'': pm_buf_adds(out, "&#39;"); break;
        default: pm_buf_addc(out, *p); break;
        }
    }
}

void
js_string_literal(struct pm_buf *out, const char *text)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t len = strlen((const char *)p);
    pm_buf_addc(out, '"');
    while (len > 0) {
        unsigned cp;
        size_t n = utf8_decode(p, len, &cp);
        if (n == 0)
            n = 1, cp = 0xFFFD;
        if (cp == '"' || cp == '\\') {
            pm_buf_addc(out, '\\');
            pm_buf_addc(out, (char)cp);
        } else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' ||
                   cp == 0x2028 || cp == 0x2029 || cp == 0x7F || cp == 0xFFFD ||
                   unicode_is_hidden(cp)) {
            json_add_u_escape(out, cp);
        } else {
            pm_buf_add(out, p, n);
        }
        p += n;
        len -= n;
    }
    pm_buf_addc(out, '"');
}
