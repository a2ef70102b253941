/*
 * cmd_export.c - `pmscope export [-o FILE] [--status S] [--format md|json]
 * [--no-redact]`: write the findings report.  The report is built in
 * memory and written to FILE.tmp, then renamed, so a failed export never
 * leaves half a report behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "export.h"
#include "findings.h"
#include "mem.h"

/*
 * Export into path.tmp (created with mode 0600 when the report is not
 * redacted), then rename it over path; on any error the temporary file is
 * removed and path is left as it was.
 */
static enum pm_rc
export_to_file(struct pm_store *st, const struct pm_export_opts *o,
               const char *path, long *count, struct pm_err *err)
{
    size_t n = strlen(path) + 8;
    char *tmp = xmalloc(n);
    snprintf(tmp, n, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, o->redact ? 0644 : 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fp == NULL) {
        pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot write report: %s",
                  strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return err->rc;
    }
    export_report(st, o, fp, count, err);
    if (fclose(fp) != 0 && err->rc == PM_OK)
        pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot write report: %s",
                  strerror(errno));
    if (err->rc == PM_OK && rename(tmp, path) != 0)
        pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot write report: %s",
                  strerror(errno));
    if (err->rc != PM_OK)
        unlink(tmp);
    free(tmp);
    return err->rc;
}

static int
export_exec(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"workspace", required_argument, NULL, 'w'},
        {"output", required_argument, NULL, 'o'},
        {"status", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"no-redact", no_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    extern const struct pm_cmd pm_cmd_export;
    const char *wopt = NULL, *output = NULL;
    struct pm_export_opts o = {
        .status_mask = PM_FST_CONFIRMED,
        .redact = 1,
        .format = PM_EXPORT_MD,
    };
    struct pm_err err = PM_ERR_INIT;
    int c;
    while ((c = getopt_long(argc, argv, "w:o:s:f:", longopts, NULL)) != -1) {
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

    struct stat ws_sb, out_sb;
    if (output && stat(ws, &ws_sb) == 0 && stat(output, &out_sb) == 0 &&
        ws_sb.st_dev == out_sb.st_dev && ws_sb.st_ino == out_sb.st_ino) {
        pm_err_set(&err, PM_ERR_USAGE,
                   "refusing to write the report over the workspace %s", ws);
        return cmd_fail(&err);
    }
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 1, &st);
    if (rc)
        return rc;
    long count = 0;
    if (output == NULL || strcmp(output, "-") == 0) {
        if (export_report(st, &o, stdout, &count, &err) == PM_OK &&
            fflush(stdout) != 0)
            pm_err_set(&err, PM_ERR_IO, "cannot write report to stdout");
    } else if (export_to_file(st, &o, output, &count, &err) == PM_OK) {
        fprintf(stderr, "%s: %ld finding%s%s\n", output, count,
                count == 1 ? "" : "s", o.redact ? "" : " (not redacted)");
    }
    store_close(st);
    return err.rc ? cmd_fail(&err) : 0;
}

const struct pm_cmd pm_cmd_export = {
    .name = "export",
    .usage = "[-w WS] [-o FILE] [--status S[,S...]|all] [--format md|json] "
             "[--no-redact]",
    .summary = "write the findings report (Markdown or JSON)",
    .help =
        "Writes one Markdown document (GitHub and GitLab render it) to FILE,\n"
        "or to stdout without -o: a summary table, then per finding its\n"
        "origins, the frame path from the top window to the receiver, the\n"
        "evidence message, the listener's code around its origin check, the\n"
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
        "Secrets are redacted by default: cookies, Authorization headers,\n"
        "values of fields named like token/secret/password/session/key,\n"
        "JWTs and long hex or base64 strings appear as [redacted].\n"
        "--no-redact keeps them (the file is then created with mode 0600).\n"
        "Set SOURCE_DATE_EPOCH for a reproducible 'generated' stamp.",
    .exec = export_exec,
};
