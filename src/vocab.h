/*
 * vocab.h - the names analysis results are stored and shown under: origin
 * check classes and sinks.  The store, the filter language and every output
 * use them as words, so they live below the analysis that produces them.
 */
#ifndef PM_VOCAB_H
#define PM_VOCAB_H

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

/*
 * The check expression stored for a handler that never reads its event
 * (no parameter used, no `arguments`, no window.event): class none, but
 * nothing it does depends on a message, so no finding is suggested.
 */
#define PM_CHECK_EXPR_IGNORES_EVENT "the handler never reads the event"

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

#endif
