/*
 * openwpm_frames.c - the frame map of one OpenWPM visit: (tab, frame) ->
 * workspace window, and the windows it adds.  Both halves of the OpenWPM
 * importer use it: importers/openwpm.c for navigations and document
 * requests, importers/openwpm_js.c for frames only a javascript row names.
 * It calls neither of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "openwpm_int.h"

/* FNV-1a over s, continuing from h (0 = start); NULL hashes as "". */
uint64_t
owpm_hash(uint64_t h, const char *s)
{
    if (h == 0)
        h = 1469598103934665603ULL;
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    h ^= 0xff; /* field separator */
    h *= 1099511628211ULL;
    return h;
}

/* The frame (tab, frame) of the current visit; NULL when not seen yet. */
struct owpm_frame *
owpm_frame_find(struct owpm_run *r, int64_t tab, int64_t frame)
{
    for (size_t i = 0; i < r->nframes; i++)
        if (r->frames[i].tab == tab && r->frames[i].frame == frame)
            return &r->frames[i];
    return NULL;
}

/*
 * Add a window for a frame first seen in this visit.  frame 0 is a tab's top
 * document: a popup when the tab has an opener tab, else a top window.  The
 * opener of a popup is the opener tab's top window: OpenWPM records the
 * opener tab, not the frame inside it that called window.open.
 */
enum pm_rc
owpm_frame_add(struct owpm_run *r, const struct owpm_new_frame *nf,
               struct owpm_frame **out, struct pm_err *err)
{
    *out = NULL;
    if (r->nframes >= OWPM_FRAMES_MAX) {
        import_warn(r->ctx, "visit %lld: more than %d frames; frame %lld of "
                    "tab %lld skipped", (long long)r->visit, OWPM_FRAMES_MAX,
                    (long long)nf->frame, (long long)nf->tab);
        return PM_OK;
    }
    struct owpm_frame *parent = NULL, *opener = NULL;
    const char *kind = "top", *how = NULL;
    if (nf->frame != 0) {
        kind = "iframe";
        if (nf->parent_frame >= 0)
            parent = owpm_frame_find(r, nf->tab, nf->parent_frame);
        how = parent ? (nf->parent_is_ancestor ? "inferred" : "known")
                     : "unknown";
    } else if (nf->opener_tab >= 0 && nf->opener_tab != nf->tab) {
        kind = "popup";
        opener = owpm_frame_find(r, nf->opener_tab, 0);
    }
    /* Look parent/opener up before the array may move. */
    int64_t parent_id = parent ? parent->window_id : 0;
    int64_t opener_id = opener ? opener->window_id : 0;
    char inherit[PM_ORIGIN_MAX] = "";
    if (parent || opener)
        snprintf(inherit, sizeof inherit, "%s",
                 parent ? parent->origin : opener->origin);

    if (r->nframes == r->capframes) {
        r->capframes = r->capframes ? 2 * r->capframes : 16;
        r->frames = xrealloc(r->frames, r->capframes * sizeof *r->frames);
    }
    struct owpm_frame *f = &r->frames[r->nframes];
    memset(f, 0, sizeof *f);
    f->tab = nf->tab;
    f->frame = nf->frame;
    f->url = xstrdup(nf->url ? nf->url : "");
    if (nf->url) {
        struct pm_err oerr = PM_ERR_INIT;
        if (origin_from_url(nf->url, inherit[0] ? inherit : NULL, f->origin,
                            &oerr) != PM_OK)
            f->origin[0] = '\0';
    }
    char ext[96];
    snprintf(ext, sizeof ext, "v%lld/t%lld/f%lld", (long long)r->visit,
             (long long)nf->tab, (long long)nf->frame);
    struct pm_window_rec w = {
        .source_id = r->ctx->source_id,
        .ext_id = ext,
        .kind = kind,
        .url = nf->url,
        .origin = f->origin[0] ? f->origin : NULL,
        .parent_id = parent_id,
        .parent_how = how,
        .opener_id = opener_id,
        .first_seen = nf->ts,
        .visit_id = r->visit,
    };
    if (store_add_window(r->ctx->st, &w, &f->window_id, err)) {
        free(f->url);
        return err->rc;
    }
    r->nframes++;
    *out = f;
    return PM_OK;
}
