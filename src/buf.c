/*
 * buf.c - growable byte string.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static char buf_empty[1];

void
pm_buf_init(struct pm_buf *b)
{
    b->data = buf_empty;
    b->len = 0;
    b->cap = 0;
}

void
pm_buf_release(struct pm_buf *b)
{
    if (b->cap)
        free(b->data);
    pm_buf_init(b);
}

void
pm_buf_reset(struct pm_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

void
pm_buf_grow(struct pm_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap < ((size_t)1 << 40) ? cap * 2 : need;
    if (b->cap == 0) {
        b->data = xmalloc(cap);
        b->data[0] = '\0';
    } else {
        b->data = xrealloc(b->data, cap);
    }
    b->cap = cap;
}

void
pm_buf_add(struct pm_buf *b, const void *p, size_t n)
{
    pm_buf_grow(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
pm_buf_adds(struct pm_buf *b, const char *s)
{
    pm_buf_add(b, s, strlen(s));
}

void
pm_buf_addc(struct pm_buf *b, char c)
{
    pm_buf_add(b, &c, 1);
}

void
pm_buf_addf(struct pm_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        pm_buf_add(b, small, (size_t)n);
        return;
    }
    pm_buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *
pm_buf_detach(struct pm_buf *b)
{
    char *s = b->cap ? b->data : xstrdup("");
    pm_buf_init(b);
    return s;
}
