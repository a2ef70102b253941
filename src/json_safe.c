/*
 * json_safe.c - make JSON text valid UTF-8 and escape the characters JSON
 * lets through raw but a terminal or a reader must not get raw (see
 * json_safe.h).  Used for `ls --json`, the JSON report and the capture's
 * trace and HAR; the Markdown
 * report has its own escapers (md_escape.c), which share the same
 * hidden-character table (utf8.c).
 */
#include "json_safe.h"

#include <string.h>

#include "utf8.h"

void
json_add_u_escape(struct pm_buf *out, unsigned cp)
{
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        pm_buf_addf(out, "\\u%04x\\u%04x", 0xD800 + (cp >> 10),
                    0xDC00 + (cp & 0x3FF));
    } else {
        pm_buf_addf(out, "\\u%04x", cp);
    }
}

void
json_escape_hidden(struct pm_buf *b)
{
    const unsigned char *s = (const unsigned char *)b->data;
    size_t i = 0;
    /* Fast path: nothing to do for printable ASCII. */
    while (i < b->len && s[i] < 0x7F)
        i++;
    if (i == b->len)
        return;
    struct pm_buf out;
    pm_buf_init(&out);
    pm_buf_add(&out, b->data, i);
    while (i < b->len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, b->len - i, &cp);
        if (n == 0)
            json_add_u_escape(&out, 0xFFFD);
        else if (cp >= 0x7F && unicode_is_hidden(cp))
            json_add_u_escape(&out, cp);
        else
            pm_buf_add(&out, s + i, n);
        i += n ? n : 1;
    }
    pm_buf_release(b);
    *b = out;
}

int
json_puts_safe(const char *json, FILE *fp)
{
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_adds(&b, json);
    json_escape_hidden(&b);
    int rc = fwrite(b.data, 1, b.len, fp) != b.len || fputc('\n', fp) == EOF
                 ? -1 : 0;
    pm_buf_release(&b);
    return rc;
}
