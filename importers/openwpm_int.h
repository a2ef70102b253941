/*
 * openwpm_int.h - state shared by the parts of the OpenWPM importer:
 * importers/openwpm.c (the crawl database, visits, navigations, documents)
 * calls importers/openwpm_js.c (the meaning of javascript instrumentation
 * rows); both call importers/openwpm_frames.c (the frame map of a visit and
 * the windows it adds), which calls neither.  Private to those files.
 */
#ifndef PM_OPENWPM_INT_H
#define PM_OPENWPM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "importer.h"
#include "origin.h"

#define OWPM_LOG_CAP 500         /* maxLogCount in js-instruments.ts */
#define OWPM_ARGS_MAX (16 << 20) /* larger arguments are skipped */
#define OWPM_FRAMES_MAX 20000    /* frames per visit kept in the map */
#define OWPM_TEXT_SLOTS 6        /* column texts alive at once */

struct sqlite3;

/* One frame of the current visit: (tab_id, frame_id) -> workspace window. */
struct owpm_frame {
    int64_t tab, frame;
    int64_t window_id;
    char *url;
    char origin[PM_ORIGIN_MAX];
    int origin_reads; /* MessageEvent.origin gets seen in this frame */
};

/* A listener added in this visit, for the MessageEvent.origin hint. */
struct owpm_listener {
    uint64_t key;
    int64_t id;
    size_t frame;
    int has_code;
};

/* Calls logged per (frame, script, symbol), to report OpenWPM's cap. */
struct owpm_count {
    uint64_t key;
    long n;
};

/* The import of one crawl; everything per visit is reset between visits. */
struct owpm_run {
    struct pm_import_ctx *ctx;
    struct sqlite3 *db;
    double t0_ms;
    int64_t visit;
    int visit_has_navs;
    int64_t visits_done, visits_total;
    struct owpm_frame *frames;
    size_t nframes, capframes;
    struct owpm_listener *listeners;
    size_t nlisteners, caplisteners;
    struct owpm_count *counts;
    size_t ncounts, capcounts;
    struct pm_buf fix[OWPM_TEXT_SLOTS]; /* scratch for unmangled column text */
    long messages;
};

/* A frame to add to the visit's map (owpm_frame_add). */
struct owpm_new_frame {
    int64_t tab, frame;
    int64_t parent_frame;   /* -1 = none / not recorded */
    int parent_is_ancestor; /* parent_frame is an ancestor, maybe not the parent */
    int64_t opener_tab;     /* -1 = none */
    const char *url;
    double ts;
};

/* One javascript row, text already unmangled; NULL = absent. */
struct owpm_js_rec {
    int64_t id, tab, frame;
    const char *script_url, *script_line, *script_col;
    const char *document_url, *top_level_url;
    const char *symbol, *operation, *value, *arguments;
    double ts; /* ms since the crawl started, <0 unknown */
};

/* ---- openwpm_frames.c ---------------------------------------------------- */

/* FNV-1a over s, continuing from h (0 = start); NULL hashes as "". */
uint64_t owpm_hash(uint64_t h, const char *s);

struct owpm_frame *owpm_frame_find(struct owpm_run *r, int64_t tab,
                                   int64_t frame);
/* Add a window for a frame; *out NULL when the visit's map is full (warned). */
enum pm_rc owpm_frame_add(struct owpm_run *r, const struct owpm_new_frame *nf,
                          struct owpm_frame **out, struct pm_err *err);

/* ---- openwpm_js.c -------------------------------------------------------- */

/* Turn one javascript row into a message, a listener or a hint. */
enum pm_rc owpm_js_row(struct owpm_run *r, const struct owpm_js_rec *j,
                       struct pm_err *err);

#endif
