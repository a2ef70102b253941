/*
 * fuzz_redact.c - libFuzzer harness for report redaction (src/redact.c,
 * src/redact_code.c): the input as text, as JavaScript source and, when
 * it parses, as JSON data.  Whatever the input, valid UTF-8 stays valid
 * UTF-8 (a secret is never cut inside a character), the output is never
 * longer than the input plus "[redacted]" per input byte, and redacted
 * JSON still prints and parses.  Time per input is bounded by the
 * harness timeout, which catches a scan that is not linear.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "fuzz_common.h"
#include "md_escape.h"
#include "redact.h"
#include "utf8.h"

static int
valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (l == 0)
            return 0;
        i += l;
    }
    return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    FUZZ_ASSERT(text != NULL, "out of memory");
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text);
    int utf8 = valid_utf8(text, len);
    struct pm_buf b;
    pm_buf_init(&b);

    redact_text(&b, text);
    FUZZ_ASSERT(!utf8 || valid_utf8(b.data, b.len),
                "redact_text cut a UTF-8 character");
    FUZZ_ASSERT(b.len <= len * (1 + strlen(REDACTED)), "redact_text grew");

    pm_buf_reset(&b);
    redact_code(&b, text);
    FUZZ_ASSERT(!utf8 || valid_utf8(b.data, b.len),
                "redact_code cut a UTF-8 character");
    FUZZ_ASSERT(b.len <= len * (1 + strlen(REDACTED)), "redact_code grew");
    pm_buf_release(&b);

    cJSON *j = cJSON_Parse(text);
    if (j) {
        redact_json(j);
        char *out = cJSON_PrintUnformatted(j);
        FUZZ_ASSERT(out != NULL, "redacted JSON does not print");
        cJSON *again = cJSON_Parse(out);
        FUZZ_ASSERT(again != NULL, "redacted JSON does not parse");
        cJSON_Delete(again);
        free(out);
        cJSON_Delete(j);
    }
    free(text);
    return 0;
}
