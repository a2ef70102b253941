/*
 * cmd_export.c - `pmscope export [-o FILE] [--status S] [--format md|json]
 * [--no-redact]`: write the findings report.  The report is built in
 * memory and written through outfile (a fresh temporary file, then a
 * rename), so a failed export never leaves half a report behind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_util.h"
#include "export.h"
#include "findings.h"
#include "outfile.h"
#include "term_text.h"

/*
 * Write the report to path through outfile (never over the workspace, a
 * symlink or a device; an existing regular file is replaced, as -o says).
 * An unredacted report is 0600, a redacted one 0644 minus the umask.
 */
static enum pm_rc
export_to_file(struct pm_store *st, const struct pm_export_opts *o,
               const char *path, const char *ws, long *count,
               struct pm_err *err)
{
    struct pm_outfile of;
    struct pm_export_opts named = *o;
    named.out_name = path;
    if (outfile_open(&of, path, ws, o->redact ? 0644 : 0600,
                     PM_OUT_OVERWRITE, err) != PM_OK)
        return err->rc;
    if (export_report(st, &named, of.fp, count, err) != PM_OK) {
        outfile_discard(&of);
        return err->rc;
    }
    return outfile_commit(&of, err);
}

static const struct option export_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"output", required_argument, NULL, 'o'},
    {"status", required_argument, NULL, 's'},
    {"format", required_argument, NULL, 'f'},
    {"no-redact", no_argument, NULL, 'R'},
    {NULL, 0, NULL, 0},
};
static const char export_optstring[] = "w:o:s:f:";

static int
export_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_export;
    const char *wopt = NULL, *output = NULL;
    struct pm_export_opts o = {
        .status_mask = PM_FST_CONFIRMED,
        .redact = 1,
        .format = PM_EXPORT_MD,
    };
    struct pm_err err = PM_ERR_INIT;
    int c;
    while ((c = getopt_long(argc, argv, export_optstring, export_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 'o': output = optarg; break;
        case 's':
            if (findings_status_mask(optarg, &o.status_mask, &err))
                return cmd_fail(&err);
            break;
        case 'f':
            if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0)
                o.format = PM_EXPORT_MD;
            else if (strcmp(optarg, "json") == 0)
                o.format = PM_EXPORT_JSON;
            else {
                pm_err_set(&err, PM_ERR_USAGE,
                           "unknown format '%s'; expected md or json", optarg);
                return cmd_fail(&err);
            }
            break;
        case 'R': o.redact = 0; break;
        default: return cmd_usage(&pm_cmd_export);
        }
    }
    if (optind != argc)
        return cmd_usage(&pm_cmd_export);
    const char *ws = cmd_workspace_path(wopt);
    const char *slash = strrchr(ws, '/');
    o.workspace_name = slash ? slash + 1 : ws;

    int to_stdout = output == NULL || strcmp(output, "-") == 0;
    if (!to_stdout && outfile_target(output, ws, &err) == PM_OUT_REFUSED)
        return cmd_fail(&err);
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 1, &st);
    if (rc)
        return rc;
    long count = 0;
    if (to_stdout) {
        if (export_report(st, &o, stdout, &count, &err) == PM_OK &&
            fflush(stdout) != 0)
            pm_err_at(&err, PM_ERR_IO, "standard output", 0, 0,
                      "cannot write the report: %s", strerror(errno));
    } else if (export_to_file(st, &o, output, ws, &count, &err) == PM_OK) {
        struct pm_buf note;
        pm_buf_init(&note);
        term_text_fits(&note, output, 1 << 30, 0);
        fprintf(stderr, "%s: %ld finding%s%s\n", note.data, count,
                count == 1 ? "" : "s", o.redact ? "" : " (not redacted)");
        pm_buf_release(&note);
    }
    store_close(st);
    return err.rc ? cmd_fail(&err) : 0;
}

const struct pm_cmd pm_cmd_export = {
    .name = "export",
    .usage = "[-w WS] [-o|--output FILE] [--status S[,S...]|all] [--format md|json] "
             "[--no-redact]",
    .summary = "write the findings report (Markdown or JSON)",
    .help =
        "Writes one Markdown document (GitHub and GitLab render it) to FILE,\n"
        "or to stdout without -o: a summary table, the origin graph around\n"
        "the findings' origins (a Mermaid flowchart, as `pmscope graph\n"
        "--mermaid` draws it), then per finding its origins, the frame\n"
        "path from the top window to the receiver, the evidence message,\n"
        "the listener's code around its origin check, the\n"
        "sinks, the send site, the analyst's note, a Mermaid sequence\n"
        "diagram of the message flow and, for a missing or flawed origin\n"
        "check, a proof-of-concept page; then the imported sources with\n"
        "their sha256.  --format json writes the same content as JSON.\n"
        "\n"
        "Which findings: by default the confirmed ones, i.e. the findings\n"
        "an analyst confirmed (`pmscope confirm`) or marked by hand\n"
        "(`pmscope mark`, which confirms at once).  Suggested findings\n"
        "nobody reviewed and dismissed ones are left out.  --status takes\n"
        "a comma-separated list of suggested, confirmed, dismissed, or all.\n"
        "\n"
        "Secrets and personal data are redacted by default: cookies,\n"
        "Authorization headers, values of fields named like token, secret,\n"
        "password, session or key, OAuth code and state parameters, URL\n"
        "passwords, names, e-mail addresses, phone numbers, JWTs, and long\n"
        "hex or base64 strings outside URLs appear as [redacted].  Code\n"
        "keeps its identifiers and expressions; only literal values go.\n"
        "The rules: docs/findings-and-report.md.  --no-redact keeps\n"
        "everything (the file is then created with mode 0600).\n"
        "\n"
        "-o replaces an existing regular file (as a shell redirection\n"
        "would), through a new temporary file renamed over it.  It refuses\n"
        "the workspace and its -wal/-shm/-journal files, a symbolic link\n"
        "(name the file it points to) and a device, FIFO or directory\n"
        "(use -o - for standard output).\n"
        "Set SOURCE_DATE_EPOCH for a reproducible 'generated' stamp.",
    .exec = export_exec,
    .options = export_options,
    .optstring = export_optstring,
};
