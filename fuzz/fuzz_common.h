/*
 * fuzz_common.h - shared plumbing of the libFuzzer harnesses: a scratch
 * workspace per process, and running one importer over bytes the way
 * importers/import.c does, but ending in a rollback so every input starts
 * from the same empty workspace (a crash found by the fuzzer then replays
 * from the input file alone).
 */
#ifndef PM_FUZZ_COMMON_H
#define PM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A temporary path (in $TMPDIR) unique to this process, removed at exit. */
const char *fuzz_temp_path(const char *suffix);

/* The process's scratch workspace, created on first use, removed at exit. */
struct pm_store *fuzz_workspace(void);

/* Write data to path (truncating); aborts on I/O failure. */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size);

/*
 * Import the file at path with the importer named format (and the
 * post-import analysis) into the scratch workspace, then roll back.  Errors
 * of the input are expected; an internal error or a bad error message
 * aborts, which the fuzzer reports as a crash.
 */
void fuzz_import_path(const char *format, const char *path);

/* A read-only stream over data (no copy, no file): close with fclose. */
FILE *fuzz_open_bytes(const uint8_t *data, size_t size);

/* fuzz_import_path on the bytes in memory. */
void fuzz_import_bytes(const char *format, const uint8_t *data, size_t size);

/* Abort with a message when cond is false (an invariant the fuzzer broke). */
#define FUZZ_ASSERT(cond, what)                                            \
    do {                                                                   \
        if (!(cond))                                                       \
            fuzz_fail(__FILE__, __LINE__, what);                           \
    } while (0)
void fuzz_fail(const char *file, int line, const char *what)
    __attribute__((noreturn));

#endif
