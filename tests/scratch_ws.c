/*
 * scratch_ws.c - temporary workspaces for unit tests (see scratch_ws.h).
 * Everything lives in one mkdtemp directory so the WAL side files and the
 * inputs a test writes go away with it, and parallel test binaries never
 * share a path.
 */
#include "scratch_ws.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
