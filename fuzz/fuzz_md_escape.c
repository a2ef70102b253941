/*
 * fuzz_md_escape.c - libFuzzer harness for the report escapers
 * (src/md_escape.c).  Whatever the input, inline text stays on one line,
 * a table cell has no bare '|', no escaper lets an ESC byte, another C0
 * control, a bidi override or an invisible character (utf8.h) through, a
 * code fence is longer than any backtick run inside, a Mermaid label has no
 * < > & % backtick or line break and its '#' and ';' only in entity codes,
 * a flowchart's quoted label also no quote, bracket, brace, $, | or
 * backslash, HTML text has no markup characters, and a JSON string for
 * <script> cannot close the element.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_common.h"
#include "md_escape.h"
#include "utf8.h"

/* No raw control or bidi character anywhere in the output, except line
 * breaks and tabs inside a code block (code_ok). */
static void
check_visible(const struct pm_buf *b, int code_ok)
{
    const unsigned char *s = (const unsigned char *)b->data;
    size_t i = 0;
    while (i < b->len) {
        unsigned cp;
        size_t l = utf8_decode(s + i, b->len - i, &cp);
        FUZZ_ASSERT(l != 0, "escaper output is not UTF-8");
        if (!(code_ok && (cp == '\n' || cp == '\t')))
            FUZZ_ASSERT(!unicode_is_hidden(cp), "hidden character let through");
        i += l;
    }
}

/* Every '#' in a Mermaid label starts an entity code "#123;" and every
 * ';' ends one, so neither a comment nor a statement break gets in. */
static void
check_entity_codes(const struct pm_buf *b)
{
    for (size_t i = 0; i < b->len; i++) {
        if (b->data[i] == ';')
            FUZZ_ASSERT(0, "Mermaid label has a bare ;");
        if (b->data[i] != '#')
            continue;
        size_t d = i + 1;
        while (d < b->len && b->data[d] >= '0' && b->data[d] <= '9')
            d++;
        FUZZ_ASSERT(d > i + 1 && d < b->len && b->data[d] == ';',
                    "Mermaid label has a # outside an entity code");
        i = d;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    FUZZ_ASSERT(text != NULL, "out of memory");
    memcpy(text, data, size);
    text[size] = '\0';
    size_t max = size ? data[0] % 40 : 0;
    struct pm_buf b;
    pm_buf_init(&b);

    md_escape_inline(&b, text, max);
    check_visible(&b, 0);
    FUZZ_ASSERT(memchr(b.data, '\n', b.len) == NULL, "inline text has a newline");

    pm_buf_reset(&b);
    md_escape_table_cell(&b, text, max);
    check_visible(&b, 0);
    FUZZ_ASSERT(b.len > 0, "empty table cell");
    for (size_t i = 0; i < b.len; i++)
        if (b.data[i] == '|') {
            size_t bs = 0;
            while (bs < i && b.data[i - 1 - bs] == '\\')
                bs++;
            FUZZ_ASSERT(bs % 2 == 1, "bare | in a table cell");
        }

    pm_buf_reset(&b);
    md_code_block(&b, "text", text);
    check_visible(&b, 1);
    size_t fence = md_fence_for(text);
    FUZZ_ASSERT(fence >= 3, "fence shorter than 3");
    size_t run = 0;
    for (const char *p = text; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        FUZZ_ASSERT(run < fence, "fence not longer than a backtick run");
    }

    for (int alias = 0; alias < 2; alias++) {
        pm_buf_reset(&b);
        mermaid_label(&b, text, max, alias);
        check_visible(&b, 0);
        FUZZ_ASSERT(strpbrk(b.data, "<>&%`\n\r") == NULL,
                    "Mermaid label has a breaking character");
        if (alias)
            FUZZ_ASSERT(strpbrk(b.data, "#;") == NULL,
                        "Mermaid alias has # or ;");
        check_entity_codes(&b);
    }

    /* a flowchart's quoted label: nothing ends the string or acts */
    pm_buf_reset(&b);
    mermaid_quoted(&b, text, max);
    check_visible(&b, 0);
    FUZZ_ASSERT(strpbrk(b.data, "\"[]{}<>&%`$|\\\n\r") == NULL,
                "flowchart label has a breaking character");
    check_entity_codes(&b);

    pm_buf_reset(&b);
    html_escape(&b, text);
    FUZZ_ASSERT(strpbrk(b.data, "<>\"'") == NULL, "HTML markup let through");

    pm_buf_reset(&b);
    js_string_literal(&b, text);
    FUZZ_ASSERT(b.len >= 2 && b.data[0] == '"' && b.data[b.len - 1] == '"',
                "JSON string not quoted");
    FUZZ_ASSERT(strpbrk(b.data, "<>&\n\r") == NULL,
                "script-breaking character in a JSON string");

    pm_buf_release(&b);
    free(text);
    return 0;
}
