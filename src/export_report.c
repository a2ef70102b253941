/*
 * export_report.c - export_report (export.h): builds the report model
 * (src/export.c) and hands it to the renderer of the chosen format
 * (src/export_md.c, src/export_json.c).  It sits above all three, so the
 * model never calls a renderer and the renderers only call down into the
 * model for each finding's details.
 */
#include "export.h"
#include "export_int.h"

enum pm_rc
export_report(struct pm_store *st, const struct pm_export_opts *o,
              FILE *out, long *count, struct pm_err *err)
{
    struct rep_report r;
    enum pm_rc rc = export_model_build(st, o, &r, err);
    if (rc == PM_OK)
        rc = o->format == PM_EXPORT_JSON ? export_render_json(st, &r, out, err)
                                         : export_render_md(st, &r, out, err);
    *count = r.nf;
    export_model_release(&r);
    return rc;
}
