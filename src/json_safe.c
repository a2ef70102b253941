/*
 * json_safe.c - escape the characters JSON lets through raw but a terminal
 * or a reader must not get raw (see json_safe.h).  Used for `ls --json` and
 * the JSON report; the Markdown report has its own escapers (md_escape.c).
 */
#include "json_safe.h"

#include <string.h>

#include "md_escape.h"

void
json_escape_hidden(struct pm_buf *b)
{
    const unsigned char *s = (const unsigned char *)b->data;
    size_t i = 0;
    /* Fast path: nothing to do for ASCII-only text. */
    while (i < b->len && s[i] < 0x80)
        i++;
    if (i == b->len)
        return;
    struct pm_buf out;
    pm_buf_init(&out);
    pm_buf_add(&out, b->data, i);
    while (i < b->len) {
        unsigned cp;
        size_t n = md_utf8_decode(s + i, b->len - i, &cp);
        if (n > 1 && md_is_hidden_char(cp))
            pm_buf_addf(&out, "\\u%04x", cp);
        else
            pm_buf_add(&out, s + i, n ? n : 1);
        i += n ? n : 1;
    }
    pm_buf_release(b);
    *b = out;
}

void
json_puts_safe(const char *json, FILE *fp)
{
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_adds(&b, json);
    json_escape_hidden(&b);
    fwrite(b.data, 1, b.len, fp);
    fputc('\n', fp);
    pm_buf_release(&b);
}
