/*
 * outfile.h - the one way pmscope writes a file the user named (report,
 * capture trace, capture HAR).  It refuses the workspace and its SQLite
 * companions (-wal, -shm, -journal), symbolic links, devices, FIFOs and
 * directories; says whether the target exists so an interactive caller
 * can ask before replacing it; and writes through a fresh mkstemp file
 * in the target's directory (mode 0600 until committed, fsync'd, then
 * renamed over the target), so a planted FILE.tmp or a crash can neither
 * redirect the write nor leave half a file.
 */
#ifndef PM_OUTFILE_H
#define PM_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "err.h"

enum pm_out_target {
    PM_OUT_NEW,     /* nothing is there yet */
    PM_OUT_EXISTS,  /* a regular file that writing would replace */
    PM_OUT_REFUSED  /* never written: err says why */
};

/* Replace an existing regular file without asking (the CLI's -o). */
#define PM_OUT_OVERWRITE 1

struct pm_outfile {
    FILE *fp;     /* write the content here */
    char *path;   /* the target */
    char *tmp;    /* the temporary file in the target's directory */
    mode_t mode;  /* the file's mode once committed */
};

/*
 * Classify path as a target.  workspace (may be NULL) is the open
 * workspace: the path may name neither it nor its companions, by name or
 * by inode (a hard link).
 */
enum pm_out_target outfile_target(const char *path, const char *workspace,
                                  struct pm_err *err);

/*
 * Start writing path.  Without PM_OUT_OVERWRITE an existing file is an
 * error.  mode is applied (minus the umask) at commit; until then the
 * temporary file is 0600.
 */
enum pm_rc outfile_open(struct pm_outfile *of, const char *path,
                        const char *workspace, mode_t mode, int flags,
                        struct pm_err *err);

/* Flush, fsync, chmod and rename over the target; discards on failure. */
enum pm_rc outfile_commit(struct pm_outfile *of, struct pm_err *err);

/* Remove the temporary file; the target stays as it was. */
void outfile_discard(struct pm_outfile *of);

#endif
