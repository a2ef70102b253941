/*
 * fuzz_jsscan.c - libFuzzer harness for the JavaScript tokenizer
 * (src/jsscan.c) and the static analysis built on it (src/analyze.c):
 * tokens must lie inside the input in order, bracket partners must point at
 * each other, string values must decode within their buffer, and the
 * listener/send scan and inline-script finder must terminate on anything.
 */
#include <string.h>

#include "analyze.h"
#include "fuzz_common.h"
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
    return 0;
}
