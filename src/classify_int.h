/*
 * classify_int.h - state shared by classify.c (checks, names, helper calls)
 * and classify_sinks.c (sinks and replies) while one handler is analysed.
 */
#ifndef PM_CLASSIFY_INT_H
#define PM_CLASSIFY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"

#define NAMES_MAX 48
#define HELPER_DEPTH_MAX 4
#define HELPER_BUDGET 64
#define SPAN_TOKENS_MAX 48
#define TAINT_SCAN_MAX 4096   /* tokens searched for event.data in one range */
#define RHS_TAINT_MAX 512     /* longest assignment followed for taint */
#define WALK_MAX 256          /* tokens walked back to an enclosing call */
#define HELPER_BODY_MAX 50000 /* larger helper functions are not followed */

enum role { ROLE_NONE, ROLE_EVENT, ROLE_ORIGIN, ROLE_DATA, ROLE_SOURCE };

struct nameset {
    uint32_t off[NAMES_MAX];
    uint32_t len[NAMES_MAX];
    int n;
};

struct shared {
    int budget;
    size_t visiting[HELPER_DEPTH_MAX + 1];
    int nvisiting;
};

struct cls {
    struct js_script *s;
    const struct js_tokens *t;
    struct nameset ev, org, dat, src;
    size_t a, b;  /* body tokens */
    int depth;
    struct shared *sh;
    struct pm_handler_facts *out;
    int rank;     /* rank of the check in out */
};

/* Token k is '.' or '?.'. */
int cls_is_dot(const struct js_tokens *t, size_t k);
/* Token k is an identifier in the NULL-terminated list. */
int cls_ident_in(const struct js_tokens *t, size_t k, const char *const *list);
/* One past `ev.source` / a source alias starting at k, or 0. */
size_t cls_source_ref_end(const struct cls *c, size_t k);
/* Tokens [a, b) mention event.data or a name derived from it. */
int cls_range_tainted(const struct cls *c, size_t a, size_t b);
/* Arguments [*a, *b) of the call whose '(' is at open; 0 if not a call. */
int cls_call_args(const struct cls *c, size_t open, size_t *a, size_t *b);
/* classify_refs.c: the name sets and event references (see there). */
int cls_names_has(const struct cls *c, const struct nameset *ns, size_t k);
void cls_names_add(const struct cls *c, struct nameset *ns, size_t k);
int cls_is_var(const struct cls *c, size_t k, const struct nameset *ns);
int cls_is_cmp(const struct js_tokens *t, size_t k);
int cls_is_nullish_operand(const struct js_tokens *t, size_t k);
size_t cls_prop_end(const struct js_tokens *t, size_t k, const char *name);
size_t cls_event_ref_end(const struct cls *c, size_t k);
size_t cls_skip_original_event(const struct js_tokens *t, size_t k);
size_t cls_origin_ref_end(const struct cls *c, size_t k);
size_t cls_data_ref_end(const struct cls *c, size_t k);
/* Record the sink or reply that token k starts, if any. */
void cls_scan_sinks(struct cls *c, size_t k);

#endif
