/*
 * import_ctx.c - an importer's reports while it runs: warnings about the
 * records it skips (counted; the first few printed, escaped for the
 * terminal) and a progress line on stderr.  Every importer calls these and
 * the driver (import.c) starts and ends the progress line; this file calls
 * neither, so the driver can reach the importers through the registry
 * without a loop of calls.
 */
#include "import_ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "term_text.h"

#define WARN_PRINT_MAX 5

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
import_progress_start(struct pm_import_ctx *ctx, int show)
{
    if (show && isatty(STDERR_FILENO))
        ctx->started = now_seconds();
}

void
import_progress_end(struct pm_import_ctx *ctx)
{
    if (ctx->progress_shown)
        fprintf(stderr, "\r\033[K");
}

void
import_progress(struct pm_import_ctx *ctx, int64_t bytes_done)
{
    if (ctx->started == 0)
        return; /* quiet, or stderr is not a terminal */
    double t = now_seconds();
    if (t - ctx->started < 1.0 || t - ctx->last_progress < 0.1)
        return;
    ctx->last_progress = t;
    ctx->progress_shown = 1;
    if (ctx->size > 0)
        fprintf(stderr, "\r%s: %.0f%% (%.1f MB)", ctx->path,
                100.0 * (double)bytes_done / (double)ctx->size,
                (double)bytes_done / 1e6);
    else
        fprintf(stderr, "\r%s: %.1f MB", ctx->path, (double)bytes_done / 1e6);
    fflush(stderr);
}

void
import_warn(struct pm_import_ctx *ctx, const char *fmt, ...)
{
    ctx->warnings++;
    if (ctx->warnings > WARN_PRINT_MAX)
        return;
    /* The path (a file name, a URL) and the message quote input: escape
     * them for the terminal like everything else pmscope shows. */
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct pm_buf b;
    pm_buf_init(&b);
    term_text_fits(&b, ctx->path, 1 << 30, 0);
    pm_buf_adds(&b, ": warning: ");
    term_text_fits(&b, msg, 1 << 30, 0);
    fprintf(stderr, "%s\n", b.data);
    pm_buf_release(&b);
}
