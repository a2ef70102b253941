/*
 * fuzz_common.c - the scratch workspace and import runner the importer
 * harnesses share (see fuzz_common.h).  It repeats importers/import.c's
 * sequence (source row, importer, post-import analysis, counts) so the
 * harnesses reach exactly the code a user's import reaches, but rolls back
 * instead of committing.
 */
#include "fuzz_common.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze_pass.h"
#include "err.h"
#include "importer.h"

#define FUZZ_MAX_TEMPS 8

static char *temps[FUZZ_MAX_TEMPS];
static int ntemps;
static struct pm_store *workspace;

void
fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

static void
fuzz_cleanup(void)
{
    store_close(workspace);
    workspace = NULL;
    for (int i = 0; i < ntemps; i++) {
        static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
        for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++) {
            char p[4200];
            snprintf(p, sizeof p, "%s%s", temps[i], tails[k]);
            unlink(p);
        }
        free(temps[i]);
    }
    ntemps = 0;
}

const char *
fuzz_temp_path(const char *suffix)
{
    for (int i = 0; i < ntemps; i++) {
        size_t tl = strlen(temps[i]), sl = strlen(suffix);
        if (tl >= sl && strcmp(temps[i] + tl - sl, suffix) == 0)
            return temps[i];
    }
    FUZZ_ASSERT(ntemps < FUZZ_MAX_TEMPS, "too many temporary files");
    /* Memory-backed /dev/shm by default: the importer harnesses touch the
     * scratch workspace for every input, and a disk costs them half their
     * speed in system calls. */
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || *dir == '\0')
        dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    char p[4096];
    snprintf(p, sizeof p, "%s/pmscope-fuzz-%ld-%s", dir, (long)getpid(),
             suffix);
    if (ntemps == 0)
        atexit(fuzz_cleanup);
    temps[ntemps] = strdup(p);
    FUZZ_ASSERT(temps[ntemps] != NULL, "out of memory");
    return temps[ntemps++];
}

struct pm_store *
fuzz_workspace(void)
{
    if (workspace)
        return workspace;
    const char *path = fuzz_temp_path("ws.pmscope");
    unlink(path);
    struct pm_err err = PM_ERR_INIT;
    if (store_open(path, PM_STORE_CREATE, &workspace, &err) != PM_OK) {
        fprintf(stderr, "cannot open scratch workspace: %s\n", err.msg);
        abort();
    }
    /* One process owns the scratch workspace: keep its lock between
     * transactions instead of taking it again for every input. */
    FUZZ_ASSERT(sqlite3_exec(store_db(workspace), "PRAGMA locking_mode=EXCLUSIVE",
                             NULL, NULL, NULL) == SQLITE_OK,
                "cannot lock the scratch workspace");
    return workspace;
}

void
fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    FUZZ_ASSERT(fp != NULL, "cannot create the input file");
    FUZZ_ASSERT(size == 0 || fwrite(data, 1, size, fp) == size,
                "cannot write the input file");
    FUZZ_ASSERT(fclose(fp) == 0, "cannot write the input file");
}

/* An error a user sees must be printable: no terminal control bytes. */
static void
fuzz_check_error(const struct pm_err *err)
{
    FUZZ_ASSERT(err->msg[0] != '\0', "error without a message");
    for (const unsigned char *p = (const unsigned char *)err->msg; *p; p++)
        FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f,
                    "control byte in an error message");
    FUZZ_ASSERT(err->rc == PM_ERR_PARSE || err->rc == PM_ERR_FORMAT ||
                    err->rc == PM_ERR_LIMIT || err->rc == PM_ERR_NOTFOUND,
                "input error of an internal, I/O or database class");
}

/* Import the stream fp (named path) and roll back; see fuzz_import_path. */
static void
fuzz_import_stream(const char *format, const char *path, FILE *fp)
{
    struct pm_store *st = fuzz_workspace();
    const struct pm_importer *imp = importer_find(format);
    FUZZ_ASSERT(imp != NULL, "unknown importer");
    fseek(fp, 0, SEEK_END);
    int64_t size = ftell(fp);
    rewind(fp);

    struct pm_err err = PM_ERR_INIT;
    struct pm_import_ctx ctx = {
        .st = st, .path = "fuzz-input", .file = path, .fp = fp, .size = size,
    };
    struct pm_source_rec src = {
        .path = ctx.path, .format = imp->name,
        .sha256 = "0000000000000000000000000000000000000000000000000000000000000000",
        .size = size,
    };
    FUZZ_ASSERT(store_begin(st, &err) == PM_OK, "store_begin failed");
    FUZZ_ASSERT(store_add_source(st, &src, &ctx.source_id, &err) == PM_OK,
                "store_add_source failed");
    /* Keep stderr quiet: warnings name the input and would flood the log. */
    if (imp->run(&ctx, &err) == PM_OK &&
        (ctx.tool[0] == '\0' ||
         store_source_set_tool(st, ctx.source_id, ctx.tool, &err) == PM_OK) &&
        analyze_after_import(st, ctx.source_id, &err) == PM_OK)
        store_source_update_counts(st, ctx.source_id, &err);
    if (err.rc != PM_OK)
        fuzz_check_error(&err);
    store_rollback(st);
}

void
fuzz_import_path(const char *format, const char *path)
{
    FILE *fp = fopen(path, "rb");
    FUZZ_ASSERT(fp != NULL, "cannot open the input file");
    fuzz_import_stream(format, path, fp);
    fclose(fp);
}

FILE *
fuzz_open_bytes(const uint8_t *data, size_t size)
{
    /* fmemopen refuses a zero-length buffer on older libcs */
    FILE *fp = size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
    FUZZ_ASSERT(fp != NULL, "cannot open the input in memory");
    return fp;
}

void
fuzz_import_bytes(const char *format, const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_open_bytes(data, size);
    fuzz_import_stream(format, "fuzz-input", fp);
    fclose(fp);
}
