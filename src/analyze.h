/*
 * analyze.h - static analysis of postMessage code: finds message listeners
 * and postMessage send sites in a script, and classifies each handler's
 * origin check, the sinks event.data reaches, and whether it replies.
 *
 * These are pure functions over strings (no store, no I/O), so they are
 * unit-tested on snippets; analyze_pass.c applies them to a workspace.
 */
#ifndef PM_ANALYZE_H
#define PM_ANALYZE_H

#include <stddef.h>

/* Origin-check classes, from safe to unknown (see check_kind_name). */
enum pm_check_kind {
    PM_CHECK_NONE,
    PM_CHECK_STRICT,      /* ===, switch, allow-list lookup, Set/Map, location.origin */
    PM_CHECK_INDEXOF,     /* origin.indexOf(s) / 'literal'.indexOf(origin) */
    PM_CHECK_INCLUDES,    /* origin.includes(s) / 'literal'.includes(origin) */
    PM_CHECK_REGEX,       /* regex without ^ and $, or with an unescaped '.' */
    PM_CHECK_STARTSWITH,  /* startsWith without a trailing '/' */
    PM_CHECK_ENDSWITH,
    PM_CHECK_SEARCH,      /* origin.search(string): the string is a regex */
    PM_CHECK_MATCH,       /* origin.match(string): the string is a regex */
    PM_CHECK_SOURCE,      /* only event.source identity is checked */
    PM_CHECK_UNKNOWN,     /* checked, but not in a way the scanner can judge */
    PM_CHECK__COUNT
};

/* "none", "strict", "indexOf", "includes", "regex-unanchored", ... */
const char *check_kind_name(enum pm_check_kind k);
/* Parse a name back; -1 when unknown. */
int check_kind_parse(const char *name);
/* 1 for none, source and the flawed classes (not strict, not unknown). */
int check_kind_is_weak(enum pm_check_kind k);

/* Sinks event.data can reach, as bits. */
enum pm_sink {
    PM_SINK_INNERHTML = 1u << 0,
    PM_SINK_OUTERHTML = 1u << 1,
    PM_SINK_INSERTADJACENTHTML = 1u << 2,
    PM_SINK_DOCUMENT_WRITE = 1u << 3,
    PM_SINK_EVAL = 1u << 4,
    PM_SINK_FUNCTION = 1u << 5,
    PM_SINK_SETTIMEOUT = 1u << 6,
    PM_SINK_SETINTERVAL = 1u << 7,
    PM_SINK_LOCATION = 1u << 8,
    PM_SINK_WINDOW_OPEN = 1u << 9,
    PM_SINK_SRC = 1u << 10,
    PM_SINK_HREF = 1u << 11,
    PM_SINK_JQUERY_HTML = 1u << 12,
    PM_SINK_JQUERY = 1u << 13,
    PM_SINK_LOCALSTORAGE = 1u << 14,
    PM_SINK_SESSIONSTORAGE = 1u << 15,
    PM_SINK_COOKIE = 1u << 16,
    PM_SINK_FETCH = 1u << 17,
    PM_SINK_XHR = 1u << 18,
    PM_SINK_POSTMESSAGE = 1u << 19,
};
#define PM_SINK_COUNT 20

/* Comma-separated sink names ("innerHTML,eval"), "" for none. */
void sinks_format(unsigned sinks, char *out, size_t outsz);
/* Name of one sink bit, NULL for an unknown bit. */
const char *sink_name(unsigned bit);
/* Parse a comma-separated list; unknown names are ignored. */
unsigned sinks_parse(const char *list);

/* What the analysis says about one handler. */
struct pm_handler_facts {
    enum pm_check_kind check;
    char check_expr[256];        /* the check as written, "" for none */
    long check_line, check_col;  /* position of the check, 0 = none */
    unsigned sinks;              /* enum pm_sink bits */
    int replies;                 /* calls event.source.postMessage */
    char reply_target[128];      /* targetOrigin of the reply as written */
};

struct pm_found_listener {
    long line, col;         /* position of the handler function (or registration) */
    const char *code;       /* handler text, borrowed from the script */
    size_t code_len;
    const char *how;        /* "addEventListener", "onmessage", "jquery", "attachEvent" */
    const char *target;     /* what receives: "window", "port" (MessagePort), "worker" */
    struct pm_handler_facts facts;
};

struct pm_found_send {
    long line, col;
    char target_expr[128];  /* receiver: "window.parent", "e.source", "window" */
    char target_origin[256];
    int has_target_origin;  /* the targetOrigin is a literal (value above) */
    char snippet[256];      /* the call as written, truncated */
};

typedef void (*pm_listener_found_fn)(const struct pm_found_listener *l,
                                     void *ctx);
typedef void (*pm_send_found_fn)(const struct pm_found_send *s, void *ctx);

/*
 * Scan one script: call on_listener for every message listener registered
 * in it and on_send for every postMessage call (either may be NULL).
 * first_line/first_col give the script's position in its file (inline
 * scripts in HTML); pass 1, 1 for a script file.
 */
void analyze_script(const char *src, size_t n, long first_line,
                    long first_col, pm_listener_found_fn on_listener,
                    pm_send_found_fn on_send, void *ctx);

/*
 * Classify a handler recorded by its source text (a trace's listener code:
 * "function (e) {...}", "e => ...", "onMessage(e) {...}").  A code that
 * holds no function (bound or native functions) gives PM_CHECK_UNKNOWN.
 */
void analyze_handler_code(const char *code, size_t n,
                          struct pm_handler_facts *out);

/*
 * Find the inline scripts of an HTML document and call fn for each with
 * its text and the line:col where it starts.  Scripts with a src attribute
 * or a non-JavaScript type are skipped.
 */
typedef void (*pm_inline_script_fn)(const char *src, size_t n, long line,
                                    long col, void *ctx);
void html_each_inline_script(const char *html, size_t n,
                             pm_inline_script_fn fn, void *ctx);

#endif
