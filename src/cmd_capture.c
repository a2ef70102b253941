/*
 * cmd_capture.c - `pmscope capture URL [-o TRACE] [--duration S]
 * [--until-idle[=MS]] [--chromium PATH] [--har FILE] [--import -w WS]
 * [--headful] [--no-wrap] [-v]`: record a page's postMessage traffic with
 * Chromium (src/capture.c) and optionally import the result right away.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "cmd.h"
#include "cmd_util.h"
#include "outfile.h"
#include "ingest.h"
#include "numarg.h"

extern const struct pm_cmd pm_cmd_capture;

static int
capture_import(const char *wopt, const char *trace, const char *har)
{
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 1, 0, &st);
    if (rc)
        return rc;
    const char *files[2] = { trace, har };
    int worst = 0, imported = 0;
    for (int i = 0; i < 2; i++) {
        if (!files[i])
            continue;
        struct pm_import_opts io = {0};
        struct pm_import_result ir;
        struct pm_err err = PM_ERR_INIT;
        io.quiet = 1;
        if (ingest_file(st, files[i], &io, &ir, &err) != PM_OK) {
            int code = cmd_fail(&err);
            worst = code > worst ? code : worst;
            continue;
        }
        imported++;
        fprintf(stderr, "%s: imported as source %lld (%s, %ld warnings)\n",
                files[i], (long long)ir.source_id, ir.format, ir.warnings);
    }
    if (imported)
        store_close(st);
    else
        store_close_new(st); /* a workspace it created is not left behind */
    return worst;
}

static const struct option capture_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"duration", required_argument, NULL, 'd'},
    {"until-idle", optional_argument, NULL, 'i'},
    {"chromium", required_argument, NULL, 'c'},
    {"har", required_argument, NULL, 'H'},
    {"import", no_argument, NULL, 'I'},
    {"workspace", required_argument, NULL, 'w'},
    {"headful", no_argument, NULL, 'g'},
    {"verbose", no_argument, NULL, 'v'},
    {"no-wrap", no_argument, NULL, 'W'},
    {NULL, 0, NULL, 0},
};
static const char capture_optstring[] = "o:d:w:v";

static int
capture_exec(int argc, char **argv)
{
    struct capture_opts o;
    memset(&o, 0, sizeof o);
    o.duration_s = CAPTURE_DEFAULT_DURATION;
    o.out_path = "-";
    const char *wopt = NULL;
    int do_import = 0;
    int c;
    double v;
    while ((c = getopt_long(argc, argv, capture_optstring, capture_options,
                            NULL)) != -1) {
        switch (c) {
        case 'o': o.out_path = optarg; break;
        case 'd':
            if (numarg_decimal(optarg, 0.1, 86400, &v) < 0)
                return numarg_usage("--duration", optarg,
                                    "seconds between 0.1 and 86400");
            o.duration_s = v;
            break;
        case 'i':
            o.until_idle_ms = CAPTURE_DEFAULT_IDLE_MS;
            if (optarg) {
                if (numarg_decimal(optarg, 50, 3600000, &v) < 0)
                    return numarg_usage("--until-idle", optarg,
                                        "milliseconds between 50 and 3600000");
                o.until_idle_ms = (long)v;
            }
            break;
        case 'c': o.chromium = optarg; break;
        case 'H': o.har_path = optarg; break;
        case 'I': do_import = 1; break;
        case 'w': wopt = optarg; break;
        case 'g': o.headful = 1; break;
        case 'v': o.verbose = 1; break;
        case 'W': break; /* the default now: nothing is wrapped */
        default: return cmd_usage(&pm_cmd_capture);
        }
    }
    if (optind != argc - 1)
        return cmd_usage(&pm_cmd_capture);
    o.url = argv[optind];
    if (!strstr(o.url, "://") && strncmp(o.url, "about:", 6) != 0 &&
        strncmp(o.url, "data:", 5) != 0) {
        fprintf(stderr, "pmscope: capture: expected an absolute URL "
                "(http://..., https://..., file://...), got '%s'\n", o.url);
        return 2;
    }
    /* out_path is "-" or an optarg, never NULL
     * NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
    if (do_import && strcmp(o.out_path, "-") == 0) {
        fprintf(stderr, "pmscope: capture: --import needs -o FILE for the "
                "trace\n");
        return 2;
    }

    struct capture_result res;
    struct pm_err err = PM_ERR_INIT;
    /* Judge the output files before a capture that may take minutes. */
    o.workspace = do_import ? cmd_workspace_path(wopt) : NULL;
    if (o.har_path && strcmp(o.har_path, o.out_path) == 0) {
        fprintf(stderr, "pmscope: capture: -o and --har name the same "
                "file\n");
        return 2;
    }
    if ((strcmp(o.out_path, "-") != 0 &&
         outfile_target(o.out_path, o.workspace, &err) == PM_OUT_REFUSED) ||
        (o.har_path &&
         outfile_target(o.har_path, o.workspace, &err) == PM_OUT_REFUSED))
        return cmd_fail(&err);
    if (capture_run(&o, &res, &err) != PM_OK)
        return cmd_fail(&err);
    fprintf(stderr, "capture: stopped (%s) after %.1f s: %ld frames, "
            "%ld messages, %ld listeners, %ld sends (%ld not delivered), "
            "window messages seen at the sender %ld, at the receiver only %ld",
            res.stop_reason, res.elapsed_ms / 1000.0, res.frames,
            res.messages, res.listeners, res.sends, res.unmatched_sends,
            res.window_at_sender, res.window_at_receiver);
    if (o.har_path)
        fprintf(stderr, ", %ld HAR entries", res.har_entries);
    fprintf(stderr, "\n");
    if (res.dropped)
        fprintf(stderr, "capture: %ld hook records dropped: the page "
                "produced more than pmscope keeps in memory\n", res.dropped);
    int crashed = strcmp(res.stop_reason, "browser exited") == 0;
    if (crashed)
        fprintf(stderr, "capture: the browser exited unexpectedly; the trace "
                "holds what was recorded until then\n");
    int rc = do_import ? capture_import(wopt, o.out_path, o.har_path) : 0;
    return rc ? rc : crashed ? 1 : 0;
}

const struct pm_cmd pm_cmd_capture = {
    .name = "capture",
    .usage = "URL [-o|--output TRACE] [--duration S] [--until-idle[=MS]] "
             "[--chromium PATH] [--har FILE] [--import -w WS] [--headful] "
             "[--no-wrap] [-v|--verbose]",
    .summary = "record a page's postMessage traffic with Chromium",
    .help =
        "Starts Chromium (headless, fresh temporary profile) and loads URL.\n"
        "Every frame -- the page, its iframes in and out of process, popups\n"
        "it opens -- gets pmscope's hooks before its own scripts run; they\n"
        "record postMessage calls (targetOrigin, data), message deliveries\n"
        "(event.origin), MessagePort and BroadcastChannel traffic and message\n"
        "listeners (source text, script and line).  The trace (docs/trace-format.md) goes to\n"
        "-o TRACE, or to standard output.\n"
        "\n"
        "Recording stops after --duration seconds (default 10), or with\n"
        "--until-idle after MS milliseconds (default 2000) without a new\n"
        "frame or message, or on Ctrl-C; the trace is written in every case.\n"
        "--har FILE also writes a HAR 1.2 of the network traffic, bodies\n"
        "included.  --import imports the trace (and the HAR) into the\n"
        "workspace -w WS.  Chromium is looked up on PATH (chromium,\n"
        "chromium-browser, google-chrome) unless --chromium PATH is given.\n"
        "Popup blocking is off so that popups the page opens are recorded.\n"
        "\n"
        "Window postMessage calls are seen at the sender through DevTools\n"
        "breakpoints on the browser's native postMessage functions, whose\n"
        "condition records the call and never pauses: the page keeps its own\n"
        "window objects (--no-wrap is accepted and is the default).  The\n"
        "summary says how many window messages were seen at the sender and\n"
        "how many at the receiver only (no targetOrigin).\n"
        "\n"
        "A URL that cannot be loaded is an error (exit 1).  When the browser\n"
        "dies during the capture, the trace of what was seen until then is\n"
        "written and the exit code is 1.  See docs/capture.md.",
    .exec = capture_exec,
    .options = capture_options,
    .optstring = capture_optstring,
};
