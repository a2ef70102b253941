/*
 * import.c - the import driver.  Owns the transaction around an importer:
 * read the input's first bytes and detect its format by content, then
 * BEGIN; refuse a repeat (same sha256) unless forced; add the source row;
 * run the importer; run the caller's steps (opts->after); COMMIT.  Any error
 * rolls back, so the workspace is byte-for-byte what it was before.  The
 * input is read once when it is a pipe or /dev/stdin (struct input).
 */
#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "importer.h"
#include "sha256.h"

#define PROBE_BYTES 65536

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

/*
 * The input as the importer reads it.  A regular file is hashed once
 * before the import (so a repeat is skipped without importing it) and
 * again as the importer reads it, so a file that changes meanwhile is
 * noticed.  A pipe, a FIFO or /dev/stdin can be read only once: its first
 * bytes are read for the format probe, then the importer reads a FILE that
 * replays them and continues the input, and the hash is taken as it goes.
 */
struct input {
    FILE *in;             /* the file as opened */
    FILE *view;           /* what the importer reads (fopencookie) */
    int regular;
    struct pm_sha256 *hash; /* bytes read from in so far */
    int64_t total;        /* how many */
    int64_t size;         /* a regular file's size (the first pass) */
    unsigned char *head;  /* first bytes, for the probe */
    size_t headlen;
    size_t replayed;      /* of head, handed to the importer (streams) */
    int read_errno;       /* a failed read, or 0 */
};

static size_t
input_read_raw(struct input *f, void *buf, size_t n)
{
    size_t got = fread(buf, 1, n, f->in);
    if (got == 0 && ferror(f->in)) {
        if (f->read_errno == 0)
            f->read_errno = errno ? errno : EIO;
        return 0;
    }
    sha256_update(f->hash, buf, got);
    f->total += (int64_t)got;
    return got;
}

static ssize_t
input_view_read(void *cookie, char *buf, size_t n)
{
    struct input *f = cookie;
    if (f->replayed < f->headlen) {
        size_t take = f->headlen - f->replayed < n ? f->headlen - f->replayed : n;
        memcpy(buf, f->head + f->replayed, take);
        f->replayed += take;
        return (ssize_t)take;
    }
    size_t got = input_read_raw(f, buf, n);
    if (got == 0 && f->read_errno)
        return -1;
    return (ssize_t)got;
}

/* Read to the end (what the importer left) into the hash; finish it. */
static enum pm_rc
input_finish(struct input *f, const char *path, char hex[PM_SHA256_HEX],
             struct pm_err *err)
{
    static unsigned char chunk[1 << 16];
    while (f->read_errno == 0 && input_read_raw(f, chunk, sizeof chunk) > 0)
        ;
    sha256_finish(f->hash, hex);
    f->hash = NULL;
    if (f->read_errno)
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "read error: %s",
                         strerror(f->read_errno));
    return PM_OK;
}

static void
input_close(struct input *f)
{
    if (f->view)
        fclose(f->view);
    if (f->in)
        fclose(f->in);
    if (f->hash) {
        char unused[PM_SHA256_HEX];
        sha256_finish(f->hash, unused);
    }
}

/*
 * Open path and read what the probe needs.  A regular file is read whole
 * for *prehash (hex) and its size, then rewound; a stream only up to
 * PROBE_BYTES.
 */
static enum pm_rc
input_open(struct input *f, const char *path, unsigned char *head,
           char prehash[PM_SHA256_HEX], struct pm_err *err)
{
    static unsigned char chunk[1 << 16];
    memset(f, 0, sizeof *f);
    f->head = head;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot open: %s",
                         strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "is a directory");
    f->in = fopen(path, "rb");
    if (f->in == NULL)
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot open: %s",
                         strerror(errno));
    if (fstat(fileno(f->in), &sb) != 0)
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot open: %s",
                         strerror(errno));
    f->regular = S_ISREG(sb.st_mode);
    f->hash = sha256_new();
    if (f->regular) {
        size_t n;
        while ((n = input_read_raw(f, chunk, sizeof chunk)) > 0) {
            if (f->headlen < PROBE_BYTES) {
                size_t take = PROBE_BYTES - f->headlen < n ? PROBE_BYTES - f->headlen : n;
                memcpy(head + f->headlen, chunk, take);
                f->headlen += take;
            }
        }
        if (f->read_errno)
            return pm_err_at(err, PM_ERR_IO, path, 0, 0, "read error: %s",
                             strerror(f->read_errno));
        sha256_finish(f->hash, prehash);
        f->hash = sha256_new();
        f->size = f->total;
        f->total = 0;
        rewind(f->in);
        f->replayed = f->headlen; /* the importer reads the file itself */
        return PM_OK;
    }
    size_t n;
    while (f->headlen < PROBE_BYTES &&
           (n = input_read_raw(f, head + f->headlen, PROBE_BYTES - f->headlen)) > 0)
        f->headlen += n;
    if (f->read_errno)
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "read error: %s",
                         strerror(f->read_errno));
    return PM_OK;
}

/* The FILE the importer reads: the head again, then the rest of the input. */
static enum pm_rc
input_view(struct input *f, const char *path, struct pm_err *err)
{
    cookie_io_functions_t io = {.read = input_view_read};
    f->view = fopencookie(f, "rb", io);
    if (f->view == NULL)
        return pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot read: %s",
                         strerror(errno));
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

static const char *
file_kind(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return "not a regular file";
    if (S_ISFIFO(sb.st_mode))
        return "a pipe";
    if (S_ISCHR(sb.st_mode))
        return "a character device";
    if (S_ISSOCK(sb.st_mode))
        return "a socket";
    return "not a regular file";
}

/*
 * The duplicate check runs inside the import's write transaction (BEGIN
 * IMMEDIATE), so of several pmscope processes importing the same content
 * at once exactly one adds it: a regular file is checked before the
 * importer runs, a stream (whose hash is known only at its end) after it,
 * and then rolled back.
 */
enum pm_rc
import_file(struct pm_store *st, const char *path,
            const struct pm_import_opts *opts, struct pm_import_result *res,
            struct pm_err *err)
{
    static unsigned char head[PROBE_BYTES];
    memset(res, 0, sizeof *res);

    struct input in;
    char prehash[PM_SHA256_HEX] = "", hex[PM_SHA256_HEX] = "";
    const struct pm_importer *imp = NULL;
    int in_txn = 0;
    struct pm_import_ctx ctx = {0};
    if (input_open(&in, path, head, prehash, err))
        goto out;
    if (in.headlen == 0) {
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
        imp = import_detect(head, in.headlen);
        if (imp == NULL) {
            pm_err_at(err, PM_ERR_FORMAT, path, 0, 0,
                      "not a format pmscope reads; it reads %s (use --format "
                      "to force one)",
                      import_format_names());
            goto out;
        }
    }
    snprintf(res->format, sizeof res->format, "%s", imp->name);
    if (imp->reads_by_name && !in.regular) {
        pm_err_at(err, PM_ERR_FORMAT, path, 0, 0,
                  "this is %s, and an %s is read in place by SQLite, so it "
                  "must be a regular file: save it to a file and import that",
                  file_kind(path), imp->description);
        goto out;
    }

    if (in.regular) {
        /* Quick check before taking the write lock; repeated inside it. */
        int64_t earlier;
        if (store_find_source(st, prehash, &earlier, err))
            goto out;
        if (earlier && !opts->force) {
            res->skipped = 1;
            res->source_id = earlier;
            goto out;
        }
    }

    ctx = (struct pm_import_ctx){
        .st = st, .path = opts->source_name ? opts->source_name : path,
        .file = path, .size = in.size,
    };
    import_progress_start(&ctx, !opts->quiet);
    if (store_begin(st, err))
        goto out;
    in_txn = 1;
    if (in.regular && !opts->force) {
        int64_t earlier;
        if (store_find_source(st, prehash, &earlier, err))
            goto fail;
        if (earlier) {
            res->skipped = 1;
            res->source_id = earlier;
            goto fail;
        }
    }
    struct pm_source_rec src = {
        .path = ctx.path, .format = imp->name, .sha256 = prehash,
        .size = ctx.size,
    };
    if (store_add_source(st, &src, &ctx.source_id, err) ||
        input_view(&in, path, err))
        goto fail;
    ctx.fp = in.view;
    if (imp->run(&ctx, err) || input_finish(&in, path, hex, err))
        goto fail;
    if (in.regular && strcmp(hex, prehash) != 0) {
        pm_err_at(err, PM_ERR_IO, path, 0, 0,
                  "the file changed while it was imported; import it again");
        goto fail;
    }
    if (!in.regular) {
        int64_t earlier;
        if (store_find_source(st, hex, &earlier, err))
            goto fail;
        if (earlier && !opts->force) {
            res->skipped = 1;
            res->source_id = earlier;
            goto fail;
        }
        if (store_source_set_content(st, ctx.source_id, hex, in.total, err))
            goto fail;
    }
    if (ctx.tool[0] && store_source_set_tool(st, ctx.source_id, ctx.tool, err))
        goto fail;
    for (const pm_import_step *step = opts->after; step && *step; step++)
        if ((*step)(st, ctx.source_id, err))
            goto fail;
    if (store_source_update_counts(st, ctx.source_id, err) ||
        store_commit(st, err))
        goto fail;
    import_progress_end(&ctx);
    res->source_id = ctx.source_id;
    res->warnings = ctx.warnings;
    input_close(&in);
    return PM_OK;

fail:
    import_progress_end(&ctx);
    if (in_txn)
        store_rollback(st);
out:
    input_close(&in);
    if (res->skipped) {
        res->warnings = 0;
        return PM_OK;
    }
    return err->rc;
}
