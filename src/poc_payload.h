/*
 * poc_payload.h - the message a proof of concept sends, derived from the
 * listener's handler code: the guards on the path from the handler's
 * start to its sink (data.type === 'greeting', data.cmd == 'run',
 * JSON.parse of the data, data.action in handlers, switch cases, early
 * returns) satisfied with their constants, and a canary where the sink
 * reads.
 *
 * The result is JavaScript text for an HTML <script> element: every
 * constant taken from the handler is re-encoded (js_string_literal) or is
 * a number, true, false or null, so nothing from the input reaches the
 * page unescaped.  The canary is the page's own variable `canary`, which
 * export_poc.c defines for the sink's kind.
 */
#ifndef PM_POC_PAYLOAD_H
#define PM_POC_PAYLOAD_H

enum poc_sink_kind {
    POC_SINK_NONE,     /* no sink found in the handler */
    POC_SINK_HTML,     /* innerHTML, outerHTML, insertAdjacentHTML, document.write */
    POC_SINK_CODE,     /* eval, Function, setTimeout/setInterval with a string */
    POC_SINK_LOCATION, /* location, location.href, assign, replace, window.open */
    POC_SINK_STORAGE,  /* localStorage / sessionStorage setItem */
    POC_SINK_REPLY     /* event.source.postMessage: a reply to the sender */
};

struct poc_payload {
    enum poc_sink_kind kind;
    char sink[32];      /* the sink as written: "innerHTML", "eval", ... */
    char *data_js;      /* JS expression of the data to post; NULL = none */
    int stringify;      /* the handler JSON.parses the data: post a string */
    int guards;         /* guards satisfied with their constants */
    int canary_placed;  /* the canary sits where the sink reads */
    char *unmet;        /* why the payload is incomplete, NULL when it is not */
    char event[64];     /* the handler's event parameter, "" = none */
    int sink_row;       /* the sink's line in the code, 0-based; -1 = none */
};

/*
 * Derive the payload from the handler's code (a function as written).
 * Returns 0 and fills p when the handler parsed and a sink or reply was
 * found whose guards could all be satisfied; -1 otherwise, with p->unmet
 * saying why (the caller then falls back to the recorded message).
 * Release with poc_payload_free in both cases.
 */
int poc_payload_build(const char *code, struct poc_payload *p);
void poc_payload_free(struct poc_payload *p);

/* "html", "code", "location", "storage", "reply", "none". */
const char *poc_sink_kind_name(enum poc_sink_kind k);

#endif
