/*
 * fuzz_filter.c - libFuzzer harness for the filter language (src/filter.c,
 * src/filter_term.c).  Every expression that compiles must yield SQL that
 * SQLite accepts and that binds exactly filter_param_count values: it is
 * run against a real workspace holding a few messages, both as a count and
 * as a page, the two ways ls and the TUI use it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "filter.h"
#include "fuzz_common.h"
#include "ingest.h"
#include "store_query.h"

static const char trace[] =
    "{\"v\":1,\"type\":\"meta\",\"tool\":\"fuzz\",\"tool_version\":\"1\","
    "\"start_url\":\"https://a.example/\",\"started\":\"2026-11-25T10:00:00Z\"}\n"
    "{\"v\":1,\"type\":\"frame\",\"id\":\"F1\",\"kind\":\"top\","
    "\"url\":\"https://a.example/\",\"parent\":null,\"opener\":null,\"ts\":0}\n"
    "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\","
    "\"url\":\"https://w.example:8443/w\",\"parent\":\"F1\",\"ts\":1}\n"
    "{\"v\":1,\"type\":\"listener\",\"frame\":\"F2\",\"script_url\":"
    "\"https://w.example:8443/w.js\",\"line\":1,\"col\":1,\"source\":"
    "\"function(e){ if (e.origin.indexOf('a.example') > -1) "
    "document.body.innerHTML = e.data.html }\"}\n"
    "{\"v\":1,\"type\":\"message\",\"id\":\"M1\",\"ts\":2,\"sender\":\"F1\","
    "\"receiver\":\"F2\",\"target_origin\":\"*\",\"via\":\"window\","
    "\"data\":{\"html\":\"<b>it's; DROP TABLE messages; --\",\"n\":7}}\n"
    "{\"v\":1,\"type\":\"message\",\"id\":\"M2\",\"ts\":3,\"sender\":\"F2\","
    "\"receiver\":\"F1\",\"target_origin\":\"https://a.example\","
    "\"via\":\"port\",\"port\":\"ch-1\",\"data\":\"100% a_b \\\"q\\\"\"}\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct pm_store *st = fuzz_workspace();
    const char *path = fuzz_temp_path("filter.jsonl");
    fuzz_write_file(path, (const uint8_t *)trace, sizeof trace - 1);
    struct pm_import_opts opts = {.format = "trace", .quiet = 1};
    struct pm_import_result res;
    struct pm_err err = PM_ERR_INIT;
    FUZZ_ASSERT(ingest_file(st, path, &opts, &res, &err) == PM_OK,
                "cannot import the filter harness's trace");
    return 0;
}

static int
count_row(const struct pm_message_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FILTER_MAX_LEN * 2)
        return 0;
    char *expr = malloc(size + 1);
    FUZZ_ASSERT(expr != NULL, "out of memory");
    memcpy(expr, data, size);
    expr[size] = '\0';

    struct pm_filter *f = NULL;
    struct pm_err err = PM_ERR_INIT;
    struct pm_buf b;
    pm_buf_init(&b);
    if (filter_compile(expr, &f, &err) != PM_OK) {
        FUZZ_ASSERT(f == NULL, "failed compile returned a filter");
        FUZZ_ASSERT(err.rc == PM_ERR_USAGE, "compile error of a wrong class");
        FUZZ_ASSERT(err.col >= 1, "compile error without a column");
        filter_error_caret(expr, &err, "  ", &b);
        for (size_t i = 0; i < b.len; i++)
            FUZZ_ASSERT((unsigned char)b.data[i] >= 0x20 || b.data[i] == '\n',
                        "control byte in the error caret");
    } else {
        filter_explain(f, &b);
        struct pm_store *st = fuzz_workspace();
        int64_t count = -1;
        struct pm_err qerr = PM_ERR_INIT;
        if (store_count_messages(st, f, &count, &qerr) != PM_OK) {
            fprintf(stderr, "filter %s\n%s\nfails: %s\n", expr, b.data,
                    qerr.msg);
            FUZZ_ASSERT(0, "compiled filter does not run");
        }
        FUZZ_ASSERT(count >= 0 && count <= 2, "count out of range");
        int rows = 0;
        FUZZ_ASSERT(store_page_messages(st, f, 0, 0, 10, count_row, &rows,
                                        &qerr) == PM_OK,
                    "compiled filter does not page");
        FUZZ_ASSERT(rows == count, "page and count disagree");
        filter_free(f);
    }
    pm_buf_release(&b);
    free(expr);
    return 0;
}
