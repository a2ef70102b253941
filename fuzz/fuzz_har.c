/*
 * fuzz_har.c - libFuzzer harness for the HAR importer: the streaming
 * splitter (importers/har_split.c) over the whole file, the entry importer
 * (importers/har.c, har_frames.c) over every entry it hands back, and the
 * post-import analysis of the scripts and pages stored.  The splitter is
 * also driven alone with a tiny read size so items straddle chunk borders.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "har_split.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import_bytes("har", data, size);

    FILE *fp = fuzz_open_bytes(data, size);
    struct har_split *sp = har_split_new(fp, "fuzz-input", 7);
    struct har_item item;
    struct pm_err err = PM_ERR_INIT;
    long entries = 0;
    enum pm_rc rc;
    while ((rc = har_split_next(sp, &item, &err)) == PM_OK &&
           item.kind != HAR_ITEM_END) {
        FUZZ_ASSERT(item.len > 0 && item.text != NULL, "empty item");
        FUZZ_ASSERT(item.text[0] == '{', "an item is not an object");
        if (item.kind == HAR_ITEM_ENTRY) {
            FUZZ_ASSERT(item.index == entries, "entries out of order");
            entries++;
        }
    }
    /* After an error the count includes the entry that failed. */
    if (rc == PM_OK)
        FUZZ_ASSERT(entries == har_split_entry_count(sp),
                    "entry count differs");
    else
        FUZZ_ASSERT(err.msg[0] != '\0', "error without a message");
    har_split_free(sp);
    fclose(fp);
    return 0;
}
