/*
 * cmd_graph.c - `pmscope graph [-w WS] [--dot|--mermaid|--json] [-o FILE]`:
 * the origin graph for Graphviz, for Markdown (Mermaid) or for scripts.
 * The drawing is src/graph_out.c's; this file picks the format and the
 * output.  A file is written through outfile (never over the workspace, a
 * symlink or a device; a fresh temporary file renamed over the target), as
 * export writes its report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "cmd.h"
#include "cmd_util.h"
#include "graph_out.h"
#include "json_safe.h"
#include "outfile.h"

extern const struct pm_cmd pm_cmd_graph;

enum graph_format { GRAPH_DOT, GRAPH_MERMAID, GRAPH_JSON };

/* What Mermaid draws by default (maxEdges, maxTextSize): "secure" settings
 * that a diagram cannot raise, only the page that renders it. */
#define MERMAID_MAX_EDGES 500
#define MERMAID_MAX_TEXT 50000

static void
graph_render(struct pm_buf *out, const struct pm_graph *g,
             enum graph_format f)
{
    if (f == GRAPH_DOT) {
        graph_write_dot(out, g);
    } else if (f == GRAPH_MERMAID) {
        graph_write_mermaid(out, g);
    } else {
        cJSON *j = graph_to_json(g);
        char *text = cJSON_PrintUnformatted(j);
        cJSON_Delete(j);
        pm_buf_adds(out, text);
        pm_buf_addc(out, '\n');
        free(text);
        json_escape_hidden(out);
    }
}

/* Write the document to path (outfile) or standard output (path NULL). */
static enum pm_rc
graph_emit(const struct pm_buf *doc, const char *path, const char *ws,
           struct pm_err *err)
{
    if (path == NULL) {
        errno = 0;
        if (fwrite(doc->data, 1, doc->len, stdout) != doc->len ||
            fflush(stdout) != 0)
            return pm_err_at(err, PM_ERR_IO, "standard output", 0, 0,
                             "cannot write the graph: %s",
                             errno ? strerror(errno) : "write error");
        return PM_OK;
    }
    struct pm_outfile of;
    if (outfile_open(&of, path, ws, 0644, PM_OUT_OVERWRITE, err) != PM_OK)
        return err->rc;
    if (fwrite(doc->data, 1, doc->len, of.fp) != doc->len) {
        outfile_discard(&of);
        return pm_err_at(err, PM_ERR_IO, path, 0, 0,
                         "cannot write the graph: %s", strerror(errno));
    }
    return outfile_commit(&of, err);
}

static const struct option graph_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"output", required_argument, NULL, 'o'},
    {"dot", no_argument, NULL, 'D'},
    {"mermaid", no_argument, NULL, 'M'},
    {"json", no_argument, NULL, 'j'},
    {NULL, 0, NULL, 0},
};
static const char graph_optstring[] = "w:o:";

static int
graph_exec(int argc, char **argv)
{
    const char *wopt = NULL, *output = NULL;
    enum graph_format format = GRAPH_DOT;
    int formats = 0, c;
    while ((c = getopt_long(argc, argv, graph_optstring, graph_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 'o': output = optarg; break;
        case 'D': format = GRAPH_DOT; formats |= 1; break;
        case 'M': format = GRAPH_MERMAID; formats |= 2; break;
        case 'j': format = GRAPH_JSON; formats |= 4; break;
        default: return cmd_usage(&pm_cmd_graph);
        }
    }
    if (optind != argc)
        return cmd_usage(&pm_cmd_graph);
    if (formats & (formats - 1)) {
        cmd_error("graph: choose one of --dot, --mermaid and --json");
        return 2;
    }
    if (output && strcmp(output, "-") == 0)
        output = NULL;
    const char *ws = cmd_workspace_path(wopt);
    struct pm_err err = PM_ERR_INIT;
    if (output && outfile_target(output, ws, &err) == PM_OUT_REFUSED)
        return cmd_fail(&err);
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 1, &st);
    if (rc)
        return rc;
    struct pm_graph g;
    graph_init(&g);
    if (graph_load(&g, st, &err) != PM_OK) {
        graph_release(&g);
        store_close(st);
        return cmd_fail(&err);
    }
    store_close(st);
    struct pm_buf doc;
    pm_buf_init(&doc);
    graph_render(&doc, &g, format);
    if (format == GRAPH_MERMAID &&
        (g.nedges > MERMAID_MAX_EDGES || doc.len > MERMAID_MAX_TEXT))
        fprintf(stderr,
                "pmscope: warning: %zu edges, %zu characters: Mermaid draws "
                "at most %d edges and %d characters unless the page that "
                "renders it raises maxEdges and maxTextSize\n",
                g.nedges, doc.len, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT);
    graph_release(&g);
    graph_emit(&doc, output, ws, &err);
    pm_buf_release(&doc);
    return err.rc ? cmd_fail(&err) : 0;
}

const struct pm_cmd pm_cmd_graph = {
    .name = "graph",
    .usage = "[-w WS] [--dot|--mermaid|--json] [-o|--output FILE]",
    .summary = "write the origin graph for Graphviz, Mermaid or scripts",
    .help =
        "Writes the graph of origins: one node per origin, one arrow per\n"
        "sender -> receiver pair of message edges (solid, labelled with\n"
        "what marks it: \"3 observed (2 *)\" for recorded messages, of\n"
        "which two had targetOrigin '*', \"2 static sends\" for send sites\n"
        "whose receiver is a window of that origin, and the receiving\n"
        "listeners' verdicts on the sender: accepted, rejected, unknown),\n"
        "and one dashed arrow labelled \"embeds\" per frame (or popup)\n"
        "embedding.  Origins that a tab (a top window) showed come first\n"
        "and are drawn bold.  `pmscope ls edges` lists the same edges as\n"
        "text.\n"
        "\n"
        "--dot (the default) writes Graphviz (`pmscope graph | dot -Tsvg\n"
        "> graph.svg`), --mermaid a Mermaid flowchart for Markdown (put it\n"
        "in a ```mermaid block), --json {\"nodes\": [...], \"edges\":\n"
        "[...]} with every field of every edge.  Origins are escaped for\n"
        "each format: they can only ever be labels; hidden characters and\n"
        "invalid bytes show as visible escapes (\\u202e, \\x0a).  Mermaid\n"
        "draws at most 500 edges and 50000 characters by default: past\n"
        "that, --mermaid warns on stderr.  Graphviz's dot can take minutes on\n"
        "a graph of a thousand edges; `dot -Ksfdp` is much faster.\n"
        "\n"
        "-o writes FILE as export does: it replaces an existing regular\n"
        "file through a new temporary file renamed over it, and refuses\n"
        "the workspace and its -wal/-shm/-journal files, a symbolic link\n"
        "and a device, FIFO or directory (-o - is standard output).",
    .exec = graph_exec,
    .options = graph_options,
    .optstring = graph_optstring,
};
