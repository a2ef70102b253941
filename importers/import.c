/*
 * import.c - the import driver.  Owns the transaction around an importer:
 * hash the input, detect its format by content, refuse a repeat unless
 * forced, then BEGIN; add the source row; run the importer; run the
 * post-import analysis; COMMIT.  Any error rolls back, so the workspace is
 * byte-for-byte what it was before.
 */
#include "import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze_pass.h"
#include "importer.h"
#include "sha256.h"
#include "term_text.h"

#define PROBE_BYTES 65536
#define WARN_PRINT_MAX 5

/*
 * Analysis passes run after every import, inside its transaction, so a
 * workspace never holds an import without its derived facts.
 */
typedef enum pm_rc (*post_import_fn)(struct pm_store *st, int64_t source_id,
                                     struct pm_err *err);
static const post_import_fn post_import[] = {
    analyze_after_import,
    NULL,
};

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
    double pct = ctx->size > 0 ? 100.0 * (double)bytes_done / (double)ctx->size : 0;
    fprintf(stderr, "\r%s: %.0f%% (%.1f MB)", ctx->path, pct,
            (double)bytes_done / 1e6);
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

const char *
import_format_names(void)
{
    static char names[256];
    if (names[0])
        return names;
    size_t o = 0;
    for (int i = 0; pm_importers[i]; i++) {
        int n = snprintf(names + o, sizeof names - o, "%s%s (%s)",
                         i ? ", " : "", pm_importers[i]->name,
                         pm_importers[i]->description);
        if (n < 0 || (size_t)n >= sizeof names - o)
            break;
        o += (size_t)n;
    }
    return names;
}

/* Hash the whole file and keep its first bytes for probing. */
static enum pm_rc
import_scan(FILE *fp, const char *path, char hex[PM_SHA256_HEX],
            unsigned char *head, size_t *headlen, int64_t *size,
            struct pm_err *err)
{
    static unsigned char chunk[1 << 16];
    struct pm_sha256 *h = sha256_new();
    size_t n, total = 0;
    *headlen = 0;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (*headlen < PROBE_BYTES) {
            size_t take = PROBE_BYTES - *headlen < n ? PROBE_BYTES - *headlen : n;
            memcpy(head + *headlen, chunk, take);
            *headlen += take;
        }
        sha256_update(h, chunk, n);
        total += n;
    }
    sha256_finish(h, hex);
    if (ferror(fp))
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "read error: %s",
                         strerror(errno));
    *size = (int64_t)total;
    rewind(fp);
    return PM_OK;
}

static const struct pm_importer *
import_detect(const unsigned char *head, size_t n)
{
    const struct pm_importer *best = NULL;
    int best_score = 0;
    for (int i = 0; pm_importers[i]; i++) {
        int s = pm_importers[i]->probe(head, n);
        if (s > best_score) {
            best_score = s;
            best = pm_importers[i];
        }
    }
    return best;
}

enum pm_rc
import_file(struct pm_store *st, const char *path,
            const struct pm_import_opts *opts, struct pm_import_result *res,
            struct pm_err *err)
{
    static unsigned char head[PROBE_BYTES];
    memset(res, 0, sizeof *res);

    struct stat sb;
    if (stat(path, &sb) != 0)
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot open: %s",
                         strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "is a directory");
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot open: %s",
                         strerror(errno));

    char hex[PM_SHA256_HEX];
    size_t headlen = 0;
    int64_t size = 0;
    const struct pm_importer *imp = NULL;
    if (import_scan(fp, path, hex, head, &headlen, &size, err))
        goto out;
    if (size == 0) {
        pm_err_at(err, PM_ERR_FORMAT, path, 0, 0,
                  "file is empty; pmscope reads %s", import_format_names());
        goto out;
    }
    if (opts->format) {
        imp = importer_find(opts->format);
        if (imp == NULL) {
            pm_err_set(err, PM_ERR_USAGE, "unknown format '%s'; known: %s",
                       opts->format, import_format_names());
            goto out;
        }
    } else {
        imp = import_detect(head, headlen);
        if (imp == NULL) {
            pm_err_at(err, PM_ERR_FORMAT, path, 0, 0,
                      "not a format pmscope reads; it reads %s (use --format "
                      "to force one)",
                      import_format_names());
            goto out;
        }
    }
    snprintf(res->format, sizeof res->format, "%s", imp->name);

    int64_t earlier;
    if (store_find_source(st, hex, &earlier, err))
        goto out;
    if (earlier && !opts->force) {
        res->skipped = 1;
        res->source_id = earlier;
        goto out;
    }

    struct pm_import_ctx ctx = {
        .st = st, .path = opts->source_name ? opts->source_name : path,
        .file = path, .fp = fp, .size = size,
    };
    if (!opts->quiet && isatty(STDERR_FILENO))
        ctx.started = now_seconds();
    if (store_begin(st, err))
        goto out;
    struct pm_source_rec src = {
        .path = ctx.path, .format = imp->name, .sha256 = hex, .size = size,
    };
    if (store_add_source(st, &src, &ctx.source_id, err) ||
        imp->run(&ctx, err))
        goto fail;
    if (ctx.tool[0] && store_source_set_tool(st, ctx.source_id, ctx.tool, err))
        goto fail;
    for (int i = 0; post_import[i]; i++)
        if (post_import[i](st, ctx.source_id, err))
            goto fail;
    if (store_source_update_counts(st, ctx.source_id, err) ||
        store_commit(st, err))
        goto fail;
    if (ctx.progress_shown)
        fprintf(stderr, "\r\033[K");
    res->source_id = ctx.source_id;
    res->warnings = ctx.warnings;
    fclose(fp);
    return PM_OK;

fail:
    if (ctx.progress_shown)
        fprintf(stderr, "\r\033[K");
    store_rollback(st);
out:
    fclose(fp);
    return err->rc;
}
