/*
 * report_export.c - e in the TUI: the Markdown report of confirmed
 * findings (redacted), written where the export prompt (prompt.c) said;
 * the status line also says how many suggested findings it left out.
 */
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "outfile.h"
#include "screen.h"
#include "store_ui.h"

/*
 * Write the Markdown report of confirmed findings (redacted) to path
 * through outfile: never over the workspace, a symlink or a device, and
 * over an existing file only when the user said so (overwrite).
 */
int
report_export_write(struct ui_app *app, const char *path, int overwrite)
{
    struct pm_export_opts o = {0};
    struct pm_err err = PM_ERR_INIT;
    long count = 0;
    o.status_mask = PM_FST_CONFIRMED;
    o.redact = 1;
    o.format = PM_EXPORT_MD;
    const char *slash = app->ws_path ? strrchr(app->ws_path, '/') : NULL;
    o.workspace_name = slash ? slash + 1 : app->ws_path;
    o.out_name = path;
    struct pm_outfile of;
    if (outfile_open(&of, path, app->ws_path, 0644,
                     overwrite ? PM_OUT_OVERWRITE : 0, &err) == PM_OK) {
        if (export_report(app->st, &o, of.fp, &count, &err) == PM_OK)
            outfile_commit(&of, &err);
        else
            outfile_discard(&of);
    }
    if (err.rc != PM_OK) {
        char msg[700];
        pm_err_format(&err, msg, sizeof msg);
        ui_status(app, 1, "export failed: %s", msg);
    } else {
        /* Say what the report left out, so an empty report is not
         * mistaken for a clean workspace. */
        struct pm_ui_counts c;
        int64_t pending = 0;
        if (store_ui_counts(app->st, &c, &err) == PM_OK)
            pending = c.findings - c.confirmed;
        char left[128] = "";
        if (pending > 0)
            snprintf(left, sizeof left,
                     "; %lld suggested finding%s not reviewed %s left out "
                     "(confirm them with m)",
                     (long long)pending, pending == 1 ? "" : "s",
                     pending == 1 ? "was" : "were");
        ui_status(app, 0, "wrote %ld confirmed finding%s to %s (redacted)%s",
                  count, count == 1 ? "" : "s", path, left);
    }
    return UI_REDRAW;
}
