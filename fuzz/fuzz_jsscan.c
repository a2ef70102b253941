/*
 * fuzz_jsscan.c - libFuzzer harness for the JavaScript tokenizer
 * (src/jsscan.c) and the static analysis built on it (src/analyze.c):
 * tokens must lie inside the input in order, bracket partners must point at
 * each other, string values must decode within their buffer, and the
 * listener/send scan and inline-script finder must terminate on anything.
 * The code pane's re-indenter (src/js_pretty.c) on the same input must
 * change only whitespace, stay within its output budget and map its lines
 * to source bytes in order; the marks (src/code_marks.c) must fall inside
 * the input.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "code_marks.h"
#include "fuzz_common.h"
#include "js_pretty.h"
#include "jsscan.h"

static void
on_listener(const struct pm_found_listener *l, void *ctx)
{
    (void)l;
    (*(size_t *)ctx)++;
}

static void
on_send(const struct pm_found_send *s, void *ctx)
{
    (void)s;
    (*(size_t *)ctx)++;
}

static void
on_inline(const char *src, size_t n, long line, long col, void *ctx)
{
    const char *html = ctx;
    (void)html;
    FUZZ_ASSERT(line >= 1 && col >= 1, "inline script position");
    size_t found = 0;
    analyze_script(src, n, line, col, on_listener, on_send, &found);
}

static int
blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

/* Re-indenting keeps every other byte, in order, and maps lines in order. */
static void
check_pretty(const char *src, size_t size)
{
    struct js_lines l;
    js_lines_pretty(src, size, &l);
    FUZZ_ASSERT(l.len <= JS_PRETTY_OUT_MAX(size), "pretty output over budget");
    FUZZ_ASSERT(l.start[l.n] == l.len, "line table does not end the text");
    size_t i = 0, o = 0;
    for (;;) {
        while (i < size && blank(src[i]))
            i++;
        while (o < l.len && blank(l.text[o]))
            o++;
        if (i == size || o == l.len)
            break;
        FUZZ_ASSERT(src[i] == l.text[o], "pretty output changed a byte");
        i++;
        o++;
    }
    FUZZ_ASSERT(i == size && o == l.len, "pretty output lost or added bytes");
    for (size_t k = 0; k < l.n; k++) {
        FUZZ_ASSERT(l.src[k] < size, "line maps past the input");
        FUZZ_ASSERT(k == 0 || l.src[k] >= l.src[k - 1], "lines map out of order");
        size_t f = js_lines_find(&l, l.src[k]);
        FUZZ_ASSERT(f >= k && l.src[f] == l.src[k],
                    "offset maps to the wrong line");
    }
    struct code_mark *m;
    size_t nm = code_marks_find(src, size, 1, 1, 1, 2, ~0u >> 1, &m);
    for (size_t k = 0; k < nm; k++)
        FUZZ_ASSERT(m[k].off < size, "mark past the input");
    long *line_no;
    unsigned *marks;
    code_marks_lines(&l, src, size, 1, 1, 1, 2, ~0u >> 1, &line_no, &marks);
    free(line_no);
    free(marks);
    free(m);
    js_lines_release(&l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    struct js_tokens t;
    memset(&t, 0, sizeof t);
    js_tokenize(src, size, 1, 1, &t);
    uint32_t prev_end = 0;
    for (size_t i = 0; i < t.n; i++) {
        const struct js_token *k = &t.v[i];
        FUZZ_ASSERT(k->off >= prev_end, "tokens overlap or go backwards");
        FUZZ_ASSERT((size_t)k->off + k->len <= size, "token past the input");
        long line, col;
        js_token_pos(&t, i, &line, &col);
        FUZZ_ASSERT(line >= 1 && col >= 1, "token position");
        prev_end = k->off + k->len;
        if (k->match >= 0) {
            FUZZ_ASSERT((size_t)k->match < t.n, "partner out of range");
            FUZZ_ASSERT(t.v[k->match].match == (int32_t)i,
                        "partners do not point at each other");
        }
        if (k->type == JS_STR || k->type == JS_TEMPLATE) {
            char val[64];
            if (js_string_value(&t, i, val, sizeof val) == 0)
                FUZZ_ASSERT(memchr(val, '\0', sizeof val) != NULL,
                            "string value not terminated");
        }
    }
    js_tokens_release(&t);

    size_t found = 0;
    analyze_script(src, size, 1, 1, on_listener, on_send, &found);
    struct pm_handler_facts facts;
    analyze_handler_code(src, size, &facts);
    html_each_inline_script(src, size, on_inline, (void *)src);
    check_pretty(src, size);
    return 0;
}
