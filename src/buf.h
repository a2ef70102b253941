/*
 * buf.h - growable byte string (git's strbuf idea).  Always NUL-terminated,
 * may also hold binary data (len counts bytes, not up to the first NUL).
 */
#ifndef PM_BUF_H
#define PM_BUF_H

#include <stddef.h>

struct pm_buf {
    char *data; /* never NULL after pm_buf_init */
    size_t len;
    size_t cap;
};

void pm_buf_init(struct pm_buf *b);
void pm_buf_release(struct pm_buf *b);
void pm_buf_reset(struct pm_buf *b);
void pm_buf_grow(struct pm_buf *b, size_t extra);
void pm_buf_add(struct pm_buf *b, const void *p, size_t n);
void pm_buf_adds(struct pm_buf *b, const char *s);
void pm_buf_addc(struct pm_buf *b, char c);
void pm_buf_addf(struct pm_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hand the string to the caller (free() it); b is left empty. */
char *pm_buf_detach(struct pm_buf *b);

#endif
