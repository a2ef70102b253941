/*
 * har_frames.h - rebuild windows and frames from HAR entries (private to the
 * HAR importer).
 *
 * HAR 1.2 has no frame concept, so the window tree is inferred from what
 * the file holds, strongest evidence first, and every parent link says how
 * sure it is (parent_how): Playwright's _frameref and WebPageTest's
 * _frame_id tie the navigations of one frame together; Chrome's _initiator
 * names the document (parser) or script (stack) that started a load;
 * <iframe src>, window.open(...), location.replace(...) and meta refresh
 * literals in earlier HTML and script bodies name what a document embeds,
 * opens or navigates to; Referer names the embedding document (or only its
 * origin), and the Referer of requests made from inside a document the
 * file did not record proves that document; pageref groups everything
 * under one top-level page.  When nothing decides, the parent is left
 * unknown: no link is invented.
 */
#ifndef PM_HAR_FRAMES_H
#define PM_HAR_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "har_classify.h"
#include "importer.h"

struct har_frames;

struct har_frames *har_frames_new(struct pm_import_ctx *ctx);
void har_frames_free(struct har_frames *f);

/* A log.pages[] record (met before or after its entries); ts is its
 * startedDateTime in ms since the epoch (<0 unknown). */
void har_frames_page(struct har_frames *f, const char *id, const char *title,
                     double ts);

/*
 * Place one entry: create or navigate the window a document load belongs
 * to, and find the window any request belongs to (*window_id, 0 = unknown).
 */
enum pm_rc har_frames_entry(struct har_frames *f, const struct har_entry *e,
                            int64_t *window_id, struct pm_err *err);

/*
 * Look into an entry's response body (HTML or script) for <iframe src> and
 * window.open(...) literals, remembered for later loads.  Call it right
 * after har_frames_entry for the same entry, with the window it returned.
 */
void har_frames_body(struct har_frames *f, const struct har_entry *e,
                     int64_t window_id, const char *body, size_t n);

/* After the last item: top windows for listed pages that loaded nothing.
 * base_ms is the epoch time that entry time stamps are relative to. */
enum pm_rc har_frames_finish(struct har_frames *f, double base_ms,
                             struct pm_err *err);

#endif
