/*
 * outfile.c - safe writing of user-named files (see outfile.h).
 *
 * The target is judged by lstat, never followed: a symbolic link is
 * refused rather than replaced or written through, since either would
 * write somewhere the user did not name (or replace a link they meant to
 * keep).  The workspace is recognised by its canonical name (realpath of
 * the directory plus the file name, so "./ws.pmscope", "../x/ws.pmscope"
 * and a not-yet-existing "ws.pmscope-wal" all match) and by inode.  The
 * content goes to a mkstemp file beside the target: O_EXCL and a random
 * name, so nothing planted there beforehand is opened.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

static const char *const ws_companions[] = {"", "-wal", "-shm", "-journal"};
#define NCOMPANIONS (sizeof ws_companions / sizeof ws_companions[0])

/* dirname(path) as a new string ("." when path has no slash). */
static char *
path_dir(const char *path)
{
    char *copy = xstrdup(path);
    char *d = xstrdup(dirname(copy));
    free(copy);
    return d;
}

/* The canonical name of path: realpath of its directory + its base name. */
static char *
path_canonical(const char *path)
{
    char *dir = path_dir(path);
    char *rdir = realpath(dir, NULL);
    free(dir);
    if (rdir == NULL)
        return NULL;
    char *copy = xstrdup(path);
    const char *base = basename(copy);
    size_t n = strlen(rdir) + strlen(base) + 2;
    char *out = xmalloc(n);
    snprintf(out, n, "%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir, base);
    free(rdir);
    free(copy);
    return out;
}

/* 1 when path (stat'ed as sb, or absent when sb is NULL) is the workspace
 * or one of its companions. */
static int
is_workspace_file(const char *path, const struct stat *sb,
                  const char *workspace)
{
    if (workspace == NULL || workspace[0] == '\0')
        return 0;
    char *target = path_canonical(path);
    char *ws = path_canonical(workspace);
    int hit = 0;
    for (size_t i = 0; i < NCOMPANIONS && !hit; i++) {
        size_t n = strlen(workspace) + 16;
        char *comp = xmalloc(n);
        snprintf(comp, n, "%s%s", workspace, ws_companions[i]);
        struct stat csb;
        if (sb && stat(comp, &csb) == 0 && csb.st_dev == sb->st_dev &&
            csb.st_ino == sb->st_ino)
            hit = 1;
        free(comp);
        if (!hit && target && ws) {
            size_t wl = strlen(ws);
            hit = strncmp(target, ws, wl) == 0 &&
                  strcmp(target + wl, ws_companions[i]) == 0;
        }
    }
    free(target);
    free(ws);
    return hit;
}

enum pm_out_target
outfile_target(const char *path, const char *workspace, struct pm_err *err)
{
    if (path == NULL || path[0] == '\0') {
        pm_err_set(err, PM_ERR_USAGE, "no file name given");
        return PM_OUT_REFUSED;
    }
    struct stat sb;
    int exists = lstat(path, &sb) == 0;
    if (!exists && errno != ENOENT) {
        pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot write: %s",
                  strerror(errno));
        return PM_OUT_REFUSED;
    }
    if (is_workspace_file(path, exists ? &sb : NULL, workspace)) {
        pm_err_set(err, PM_ERR_USAGE,
                   "refusing to write over the workspace %s (or its "
                   "-wal/-shm/-journal file)", workspace);
        return PM_OUT_REFUSED;
    }
    if (!exists)
        return PM_OUT_NEW;
    if (S_ISLNK(sb.st_mode)) {
        pm_err_at(err, PM_ERR_USAGE, path, 0, 0,
                  "is a symbolic link; refusing to replace it or write "
                  "through it (name the file it points to)");
        return PM_OUT_REFUSED;
    }
    if (!S_ISREG(sb.st_mode)) {
        pm_err_at(err, PM_ERR_USAGE, path, 0, 0,
                  "is not a regular file (a directory, device or FIFO); "
                  "use '-' for standard output");
        return PM_OUT_REFUSED;
    }
    return PM_OUT_EXISTS;
}

enum pm_rc
outfile_open(struct pm_outfile *of, const char *path, const char *workspace,
             mode_t mode, int flags, struct pm_err *err)
{
    memset(of, 0, sizeof *of);
    switch (outfile_target(path, workspace, err)) {
    case PM_OUT_REFUSED:
        return err->rc;
    case PM_OUT_EXISTS:
        if (!(flags & PM_OUT_OVERWRITE))
            return pm_err_at(err, PM_ERR_USAGE, path, 0, 0,
                             "exists; not replaced");
        break;
    case PM_OUT_NEW:
        break;
    }
    char *dir = path_dir(path);
    size_t n = strlen(dir) + 32;
    of->tmp = xmalloc(n);
    snprintf(of->tmp, n, "%s/.pmscope-out.XXXXXX", dir);
    free(dir);
    int fd = mkstemp(of->tmp); /* O_EXCL, mode 0600 */
    if (fd < 0) {
        pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot write: %s",
                  strerror(errno));
        free(of->tmp);
        of->tmp = NULL;
        return err->rc;
    }
    of->fp = fdopen(fd, "w");
    if (of->fp == NULL) {
        close(fd);
        outfile_discard(of);
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot write: %s",
                         strerror(errno));
    }
    mode_t mask = umask(077);
    umask(mask);
    of->mode = mode & ~mask;
    of->path = xstrdup(path);
    return PM_OK;
}

/* fsync the directory holding path, so the rename itself is durable. */
static void
sync_dir_of(const char *path)
{
    char *dir = path_dir(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

enum pm_rc
outfile_commit(struct pm_outfile *of, struct pm_err *err)
{
    int fd = fileno(of->fp);
    int failed = fflush(of->fp) != 0 || fsync(fd) != 0 ||
                 fchmod(fd, of->mode) != 0;
    int saved = errno;
    if (fclose(of->fp) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    of->fp = NULL;
    if (!failed && rename(of->tmp, of->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        pm_err_at(err, PM_ERR_IO, of->path, 0, 0, "cannot write: %s",
                  strerror(saved));
        outfile_discard(of);
        return err->rc;
    }
    sync_dir_of(of->path);
    free(of->tmp);
    free(of->path);
    of->tmp = of->path = NULL;
    return PM_OK;
}

void
outfile_discard(struct pm_outfile *of)
{
    if (of->fp)
        fclose(of->fp);
    if (of->tmp)
        unlink(of->tmp);
    free(of->tmp);
    free(of->path);
    memset(of, 0, sizeof *of);
}
