/*
 * mem.h - allocation wrappers.  Running out of memory is not an error path
 * pmscope tries to recover from: the wrappers print and abort, so callers
 * never check for NULL.  Sizes that come from input are range-checked by the
 * caller first and reported as PM_ERR_LIMIT.
 */
#ifndef PM_MEM_H
#define PM_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* xstrdup, but NULL stays NULL (optional columns). */
char *xstrdup0(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
