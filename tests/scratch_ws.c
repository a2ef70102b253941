/*
 * scratch_ws.c - temporary workspaces for unit tests (see scratch_ws.h).
 * Everything lives in one mkdtemp directory so the WAL side files and the
 * inputs a test writes go away with it, and parallel test binaries never
 * share a path.
 */
#include "scratch_ws.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "err.h"

int
scratch_ws_open(struct scratch_ws *w, const char *tag)
{
    memset(w, 0, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "/tmp/pmscope-test-%s-XXXXXX", tag);
    if (mkdtemp(w->dir) == NULL) {
        perror("mkdtemp");
        return -1;
    }
    scratch_ws_file(w, "ws.pmscope", w->path, sizeof w->path);
    struct pm_err err = PM_ERR_INIT;
    if (store_open(w->path, PM_STORE_CREATE, &w->st, &err) != PM_OK) {
        fprintf(stderr, "scratch workspace %s: %s\n", w->path, err.msg);
        rmdir(w->dir);
        return -1;
    }
    return 0;
}

void
scratch_ws_file(const struct scratch_ws *w, const char *name, char *out,
                size_t outsz)
{
    snprintf(out, outsz, "%s/%s", w->dir, name);
}

void
scratch_ws_close(struct scratch_ws *w)
{
    store_close(w->st);
    w->st = NULL;
    DIR *d = opendir(w->dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[400];
            snprintf(p, sizeof p, "%s/%s", w->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(w->dir);
}

const char *
scratch_ws_rows(const struct scratch_ws *w, const char *sql,
                const char *null_text)
{
    static char out[16384];
    size_t o = 0;
    sqlite3_stmt *s;
    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(store_db(w->st), sql, -1, &s, NULL),
                     SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            const unsigned char *v = sqlite3_column_text(s, c);
            o += (size_t)snprintf(out + o, sizeof out - o, "%s%s",
                                  c ? "|" : "",
                                  v ? (const char *)v : null_text);
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "\n");
    }
    sqlite3_finalize(s);
    return out;
}

int
scratch_import_setup(void **state, const char *tag, const char *input_name)
{
    struct scratch_import *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    if (scratch_ws_open(&f->sw, tag) != 0) {
        free(f);
        return -1;
    }
    scratch_ws_file(&f->sw, input_name, f->input, sizeof f->input);
    *state = f;
    return 0;
}

int
scratch_import_teardown(void **state)
{
    struct scratch_import *f = *state;
    scratch_ws_close(&f->sw);
    free(f);
    return 0;
}

enum pm_rc
scratch_import(struct scratch_import *f, const char *path, int force)
{
    struct pm_import_opts opts = {.quiet = 1, .force = force};
    pm_err_init(&f->err);
    enum pm_rc rc = ingest_file(f->sw.st, path, &opts, &f->res, &f->err);
    pm_err_format(&f->err, f->errtext, sizeof f->errtext);
    return rc;
}
