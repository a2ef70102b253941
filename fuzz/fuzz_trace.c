/*
 * fuzz_trace.c - libFuzzer harness for the trace JSONL importer
 * (importers/trace.c): the whole import into a scratch workspace,
 * including message correlation and the post-import analysis of listener
 * code, rolled back after each input.
 */
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import_bytes("trace", data, size);
    return 0;
}
