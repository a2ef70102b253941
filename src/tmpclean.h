/*
 * tmpclean.h - pmscope's temporary files and folders in $TMPDIR (a fetched
 * input, a capture's browser profile) carry the pid of the pmscope that
 * made them, PREFIX-PID-XXXXXX, so that one killed before it could clean
 * up (SIGKILL, a crash) leaves nothing behind for long: the next pmscope
 * that makes one removes those whose process is gone.
 */
#ifndef PM_TMPCLEAN_H
#define PM_TMPCLEAN_H

#include <stddef.h>

/* $TMPDIR, or /tmp when unset or empty. */
const char *tmpclean_dir(void);

/*
 * Write "DIR/PREFIX-PID-XXXXXX" (a mkstemp/mkdtemp template) into out.
 * Returns 0, or -1 when it does not fit.
 */
int tmpclean_template(char *out, size_t outsz, const char *prefix);

/*
 * Remove the entries of tmpclean_dir() named exactly PREFIX-PID-XXXXXX
 * (PID decimal, XXXXXX six letters or digits) whose process PID no longer
 * exists, that this user owns, and that are a directory (is_dir) or a
 * regular file.  Symbolic links are never followed: the entry is examined
 * with lstat, and a folder is removed depth-first without following the
 * links inside it.  Errors are ignored: cleaning is best effort.
 */
void tmpclean_stale(const char *prefix, int is_dir);

#endif
