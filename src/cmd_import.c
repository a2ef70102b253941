/*
 * cmd_import.c - `pmscope import [-w WS] [--format F] [--force] FILE...`
 *
 * Each file is its own transaction: a bad file is reported and rolled back
 * while the others still import.  The exit code is the worst of the files.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "cmd_util.h"
#include "fetch.h"
#include "ingest.h"
#include "ls_out.h"

static const struct option import_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"format", required_argument, NULL, 'f'},
    {"force", no_argument, NULL, 'F'},
    {"quiet", no_argument, NULL, 'q'},
    FETCH_LONGOPTS,
    {NULL, 0, NULL, 0},
};
static const char import_optstring[] = "w:f:Fq";

static int
import_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_import;
    const char *wopt = NULL;
    struct pm_import_opts opts = {0};
    struct fetch_opts fopts;
    struct pm_err oerr = PM_ERR_INIT;
    fetch_opts_init(&fopts);
    int c;
    while ((c = getopt_long(argc, argv, import_optstring, import_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 'f': opts.format = optarg; break;
        case 'F': opts.force = 1; break;
        case 'q': opts.quiet = 1; break;
        case FETCH_OPT_MAX_SIZE: case FETCH_OPT_HEADER: case FETCH_OPT_TIMEOUT:
        case FETCH_OPT_CONNECT_TIMEOUT: case FETCH_OPT_CACERT:
            if (fetch_opts_set(&fopts, c, optarg, &oerr)) {
                fetch_opts_release(&fopts);
                return cmd_fail(&oerr);
            }
            break;
        default: fetch_opts_release(&fopts); return cmd_usage(&pm_cmd_import);
        }
    }
    fopts.progress = !opts.quiet;
    if (optind >= argc) {
        fetch_opts_release(&fopts);
        return cmd_usage(&pm_cmd_import);
    }

    struct pm_store *st;
    int rc = cmd_open_store(wopt, 1, 0, &st);
    if (rc) {
        fetch_opts_release(&fopts);
        return rc;
    }
    int worst = 0, imported = 0;
    for (int i = optind; i < argc; i++) {
        struct pm_err err = PM_ERR_INIT;
        struct pm_import_result res;
        if ((fetch_is_url(argv[i])
                 ? fetch_import(st, argv[i], &fopts, &opts, &res, &err)
                 : ingest_file(st, argv[i], &opts, &res, &err)) != PM_OK) {
            int code = cmd_fail(&err);
            if (code > worst)
                worst = code;
            continue;
        }
        imported++;
        /* A URL as recorded: no user name, password, query or fragment. */
        char url[FETCH_URL_MAX];
        struct pm_err derr = PM_ERR_INIT;
        const char *shown = argv[i];
        if (fetch_is_url(argv[i]))
            shown = fetch_display_url(argv[i], url, &derr) == PM_OK
                        ? url : "the URL";
        ls_put(stdout, shown); /* a file name can hold escapes too */
        if (res.skipped)
            printf(": already imported as source %lld (same sha256); "
                   "use --force to import again\n",
                   (long long)res.source_id);
        else
            printf(": imported as source %lld (%s%s%ld warnings)\n",
                   (long long)res.source_id, res.format, ", ",
                   res.warnings);
    }
    /* a workspace this command created and could fill with nothing is
     * not left behind */
    if (imported)
        store_close(st);
    else
        store_close_new(st);
    fetch_opts_release(&fopts);
    return worst;
}

const struct pm_cmd pm_cmd_import = {
    .name = "import",
    .usage = "[-w WS] [--format har|trace|openwpm] [--force] [-q|--quiet]\n"
             "       [--max-size SIZE] [--header 'NAME: VALUE']... [--timeout S]\n"
             "       [--connect-timeout S] [--cacert FILE] FILE|URL...",
    .summary = "import HAR, trace JSONL or crawl files into the workspace",
    .help =
        "The format is detected from the content, not the extension;\n"
        "--format overrides the detection.  Each file is imported in one\n"
        "transaction: a file with an error is reported as FILE:LINE:COL\n"
        "(or FILE: entry N) and leaves the workspace unchanged.  A file\n"
        "whose content (sha256) was imported before is skipped unless\n"
        "--force is given.  Analysis (listeners, origin checks, flows,\n"
        "suggested findings) runs after each import.  A long import or\n"
        "download shows its progress on a terminal; -q (--quiet) hides it.\n"
        "A HAR or trace may come through a pipe: /dev/stdin or a FIFO\n"
        "(read once).  When no file imports, a workspace that did not\n"
        "exist is not created.\n"
        "\n"
        "An http:// or https:// argument is downloaded (http and https\n"
        "only, also on redirects; at most 5 redirects; TLS verified) into\n"
        "a private temporary file, imported, and the file removed.  The\n"
        "source is recorded as scheme://host[:port]/path: user name,\n"
        "password, query and fragment are left out, since they often\n"
        "carry credentials (the line printed shows it the same way).\n"
        "--header adds a request header (e.g. an Authorization); it and a\n"
        "user name and password in the URL are sent to the URL's own\n"
        "origin only, until a redirect first leads elsewhere, and never\n"
        "stored.  A redirect from https to http is refused.  --max-size\n"
        "caps the body (default 1G; K, M, G suffixes), --timeout the\n"
        "whole transfer (default 300 s), --connect-timeout the\n"
        "connection (default 10 s); --cacert FILE trusts a PEM CA\n"
        "certificate in addition to the system's.",
    .exec = import_exec,
    .options = import_options,
    .optstring = import_optstring,
};
