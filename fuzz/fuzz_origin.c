/*
 * fuzz_origin.c - libFuzzer harness for URL to origin serialization
 * (src/origin.c).  Input: URL, then optionally a NUL and the parent origin.
 * Checks that the result fits and is printable ASCII (non-ASCII hosts are
 * IDNA xn-- labels or visible escapes), and that serializing is idempotent:
 * the origin of an origin is itself (but for escaped hosts).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "origin.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = malloc(size + 1);
    FUZZ_ASSERT(url != NULL, "out of memory");
    memcpy(url, data, size);
    url[size] = '\0';
    size_t ul = strlen(url);
    const char *parent = ul + 1 < size + 1 && ul < size ? url + ul + 1 : NULL;

    char out[PM_ORIGIN_MAX];
    struct pm_err err = PM_ERR_INIT;
    enum pm_rc rc = origin_from_url(url, parent, out, &err);
    FUZZ_ASSERT(memchr(out, '\0', sizeof out) != NULL, "origin not terminated");
    if (rc != PM_OK) {
        FUZZ_ASSERT(out[0] == '\0', "failed parse left an origin");
        FUZZ_ASSERT(err.msg[0] != '\0', "error without a message");
    } else if (parent && strncmp(out, parent, PM_ORIGIN_MAX - 1) == 0) {
        /* about:blank and friends inherit the parent's origin as given
         * (cut to the buffer: a real origin always fits). */
    } else {
        FUZZ_ASSERT(out[0] != '\0', "empty origin");
        for (const unsigned char *p = (const unsigned char *)out; *p; p++)
            FUZZ_ASSERT(*p > 0x20 && *p < 0x7f, "non-ASCII or control byte "
                                                "in an origin");
        /* A host IDNA refuses is written with visible escapes (\u200b):
         * a display form, which reads back as a host cut at the "\". */
        if (strcmp(out, "null") != 0 && strchr(out, '\\') == NULL) {
            char again[PM_ORIGIN_MAX];
            struct pm_err err2 = PM_ERR_INIT;
            FUZZ_ASSERT(origin_from_url(out, NULL, again, &err2) == PM_OK,
                        "an origin does not parse");
            FUZZ_ASSERT(strcmp(out, again) == 0, "origin not idempotent");
        }
        FUZZ_ASSERT(origin_same_site(out, out) || strcmp(out, "null") == 0,
                    "origin not same-site with itself");
        if (parent)
            (void)origin_same_site(out, parent);
    }
    free(url);
    return 0;
}
