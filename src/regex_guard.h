/*
 * regex_guard.h - bounds a POSIX extended regular expression before it
 * reaches regcomp.  glibc builds the regex by copying the subtree under
 * every repeat (x{255} is 255 copies, x+ two), so stacked or nested repeats
 * in a 100-byte pattern can ask for gigabytes.  The guard estimates the
 * expanded size and refuses what would not fit.
 */
#ifndef PM_REGEX_GUARD_H
#define PM_REGEX_GUARD_H

#include <stddef.h>

/* Largest expanded size accepted (atoms after repeats are copied out). */
#define REGEX_EXPANDED_MAX 20000
/* Largest repeat count in {m}, {m,}, {m,n} or {,n}. */
#define REGEX_REPEAT_MAX 255
/* Deepest nesting of groups. */
#define REGEX_GROUP_DEPTH_MAX 32

/*
 * 0 when the ERE re (NUL-terminated) may be compiled; -1 when it is too
 * costly, with *at the byte offset in re of the cause and *why a fixed
 * message ("a repeat count over 255", ...).  Syntax errors are left to
 * regcomp.
 */
int regex_guard(const char *re, size_t *at, const char **why);

#endif
