/*
 * findings.c - the findings workflow (see findings.h): parsing what the user
 * names, one hand mark per subject, default titles, and one transaction per
 * action.  The SQL is in src/store_findings.c.
 */
#include "findings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "origin.h"
#include "numarg.h"

#define TITLE_MAX 200

const char *const findings_kinds[] = {
    "message", "listener", "send_site", "window", "edge", NULL,
};
const char *const findings_severities[] = {
    "critical", "high", "medium", "low", "info", NULL,
};
const char *const findings_statuses[] = {
    "suggested", "confirmed", "dismissed", NULL,
};

const char *
findings_kind_name(const char *text)
{
    if (text == NULL)
        return NULL;
    char norm[16];
    size_t n = strlen(text);
    if (n == 0 || n >= sizeof norm)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        norm[i] = text[i] == '-' ? '_' : (char)tolower((unsigned char)text[i]);
    if (strcmp(norm, "sendsite") == 0 || strcmp(norm, "send") == 0)
        return "send_site";
    if (strcmp(norm, "msg") == 0)
        return "message";
    for (int i = 0; findings_kinds[i]; i++)
        if (strcmp(norm, findings_kinds[i]) == 0)
            return findings_kinds[i];
    return NULL;
}

/* The one word of list that text equals or uniquely prefixes, or NULL. */
static const char *
unique_prefix(const char *const *list, const char *text)
{
    const char *hit = NULL;
    size_t n = text ? strlen(text) : 0;
    if (n == 0)
        return NULL;
    for (int i = 0; list[i]; i++) {
        if (strcasecmp(list[i], text) == 0)
            return list[i];
        if (strncasecmp(list[i], text, n) == 0) {
            if (hit)
                return NULL;
            hit = list[i];
        }
    }
    return hit;
}

const char *
findings_severity_name(const char *text)
{
    return unique_prefix(findings_severities, text);
}

const char *
findings_status_name(const char *text)
{
    return unique_prefix(findings_statuses, text);
}

enum pm_rc
findings_status_mask(const char *list, unsigned *mask, struct pm_err *err)
{
    *mask = 0;
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        char word[32];
        if (n >= sizeof word)
            n = sizeof word - 1;
        memcpy(word, p, n);
        word[n] = '\0';
        const char *s = findings_status_name(word);
        if (strcasecmp(word, "all") == 0)
            *mask |= PM_FST_ALL;
        else if (s && strcmp(s, "suggested") == 0)
            *mask |= PM_FST_SUGGESTED;
        else if (s && strcmp(s, "confirmed") == 0)
            *mask |= PM_FST_CONFIRMED;
        else if (s && strcmp(s, "dismissed") == 0)
            *mask |= PM_FST_DISMISSED;
        else
            return pm_err_set(err, PM_ERR_USAGE,
                              "unknown status '%s'; expected suggested, "
                              "confirmed, dismissed or all", word);
        p += strcspn(p, ",");
        if (*p == ',')
            p++;
    }
    if (*mask == 0)
        return pm_err_set(err, PM_ERR_USAGE,
                          "expected a status: suggested, confirmed, "
                          "dismissed or all");
    return PM_OK;
}

/* Positive decimal id with nothing after it; 0 when text is not one. */
static int64_t
parse_positive(const char *text)
{
    long long v;
    if (numarg_whole(text, 1, INT64_MAX, &v))
        return 0;
    return (int64_t)v;
}

enum pm_rc
findings_parse_id(const char *text, int64_t *id, struct pm_err *err)
{
    const char *p = text && text[0] == '#' ? text + 1 : text;
    *id = parse_positive(p);
    if (*id == 0)
        return pm_err_set(err, PM_ERR_USAGE,
                          "expected a finding id (a positive number), got '%s'",
                          text ? text : "");
    return PM_OK;
}

static void
edge_key(const struct pm_subject *subj, char key[48])
{
    snprintf(key, 48, "%lld>%lld", (long long)subj->id, (long long)subj->to_id);
}

/* One side of an edge: an origin id, "null", or a URL/origin text. */
static enum pm_rc
parse_edge_end(struct pm_store *st, const char *text, int64_t *id,
               struct pm_err *err)
{
    *id = parse_positive(text);
    if (*id)
        return PM_OK;
    char origin[PM_ORIGIN_MAX];
    if (strcmp(text, "null") == 0) {
        snprintf(origin, sizeof origin, "null");
    } else {
        struct pm_err oerr = PM_ERR_INIT;
        if (origin_from_url(text, NULL, origin, &oerr) != PM_OK)
            return pm_err_set(err, PM_ERR_USAGE,
                              "expected an origin id or an origin in edge, "
                              "got '%s': %s", text, oerr.msg);
    }
    if (store_lookup_origin(st, origin, id, err))
        return err->rc;
    if (*id == 0)
        return pm_err_set(err, PM_ERR_NOTFOUND,
                          "no origin %s in the workspace", origin);
    return PM_OK;
}

enum pm_rc
findings_parse_subject(struct pm_store *st, const char *kind, const char *id,
                       struct pm_subject *out, struct pm_err *err)
{
    memset(out, 0, sizeof *out);
    out->kind = findings_kind_name(kind);
    if (out->kind == NULL)
        return pm_err_set(err, PM_ERR_USAGE,
                          "unknown kind '%s'; expected message, listener, "
                          "send_site, window or edge", kind ? kind : "");
    if (strcmp(out->kind, "edge") == 0) {
        const char *gt = id ? strchr(id, '>') : NULL;
        if (gt == NULL)
            return pm_err_set(err, PM_ERR_USAGE,
                              "expected an edge as SENDER>RECEIVER (origin "
                              "ids or origins), got '%s'", id ? id : "");
        size_t n = (size_t)(gt - id);
        if (n > 0 && id[n - 1] == '-')
            n--;
        char *from = xstrndup(id, n);
        enum pm_rc rc = parse_edge_end(st, from, &out->id, err);
        free(from);
        if (rc == PM_OK)
            rc = parse_edge_end(st, gt + 1, &out->to_id, err);
        if (rc != PM_OK)
            return rc;
        char key[48], *desc;
        edge_key(out, key);
        if (store_subject_describe(st, "edge", out->id, key, &desc, err))
            return err->rc;
        free(desc);
        return PM_OK;
    }
    out->id = parse_positive(id);
    if (out->id == 0)
        return pm_err_set(err, PM_ERR_USAGE,
                          "expected a %s id (a positive number), got '%s'",
                          out->kind, id ? id : "");
    char *desc;
    if (store_subject_describe(st, out->kind, out->id, NULL, &desc, err))
        return err->rc;
    free(desc);
    return PM_OK;
}

struct hand_mark {
    int64_t id;
    int count;
    int64_t suggested_id; /* first analysis finding that is not dismissed */
};

static int
hand_mark_cb(const struct pm_finding_row *r, void *ctx)
{
    struct hand_mark *h = ctx;
    if (r->rule == NULL) {
        if (h->id == 0)
            h->id = r->id;
        h->count++;
    } else if (h->suggested_id == 0 &&
               !(r->status && strcmp(r->status, "dismissed") == 0)) {
        h->suggested_id = r->id;
    }
    return 0;
}

/* Update an existing hand mark; fields NULL stay as they are. */
static enum pm_rc
update_mark(struct pm_store *st, int64_t fid, const char *severity,
            const char *title, const char *note, struct pm_err *err)
{
    if ((severity && store_finding_set(st, fid, "severity", severity, err)) ||
        store_finding_set(st, fid, "status", "confirmed", err))
        return err->rc;
    if (title && title[0] && store_finding_set(st, fid, "title", title, err))
        return err->rc;
    if (note && store_finding_set(st, fid, "note", note[0] ? note : NULL, err))
        return err->rc;
    return PM_OK;
}

enum pm_rc
findings_mark(struct pm_store *st, const struct pm_subject *subj,
              const char *severity, const char *title, const char *note,
              int64_t *fid, int *created, struct pm_err *err)
{
    const char *sev = severity ? findings_severity_name(severity) : NULL;
    *fid = 0;
    *created = 0;
    if (severity && sev == NULL)
        return pm_err_set(err, PM_ERR_USAGE,
                          "unknown severity '%s'; expected critical, high, "
                          "medium, low or info", severity ? severity : "");
    char key[48];
    const char *keyp = NULL;
    if (strcmp(subj->kind, "edge") == 0) {
        edge_key(subj, key);
        keyp = key;
    }
    char *desc = NULL;
    if (store_subject_describe(st, subj->kind, subj->id, keyp, &desc, err))
        return err->rc;
    if (store_begin(st, err)) {
        free(desc);
        return err->rc;
    }
    struct hand_mark h = {0, 0, 0};
    if (store_each_subject_finding(st, subj->kind, subj->id, keyp,
                                   hand_mark_cb, &h, err))
        goto fail;
    if (h.id) {
        if (update_mark(st, h.id, sev, title, note, err))
            goto fail;
        *fid = h.id;
    } else if (h.suggested_id) {
        /*
         * Analysis already flagged the subject: marking it confirms that
         * finding, whose title and severity say what is wrong.  An empty
         * note keeps the analysis' evidence.
         */
        if (update_mark(st, h.suggested_id, sev, title,
                        note && note[0] ? note : NULL, err))
            goto fail;
        *fid = h.suggested_id;
    } else {
        char t[TITLE_MAX + 8];
        if (title == NULL || title[0] == '\0') {
            snprintf(t, sizeof t, "%.*s", TITLE_MAX, desc);
            title = t;
        }
        struct pm_finding_rec rec = {
            .subject_kind = subj->kind,
            .subject_id = subj->id,
            .subject_key = keyp,
            .rule = NULL,
            .severity = sev ? sev : "medium",
            .status = "confirmed",
            .title = title,
            .note = note && note[0] ? note : NULL,
        };
        if (store_add_finding(st, &rec, fid, err))
            goto fail;
        *created = 1;
    }
    free(desc);
    return store_commit(st, err);
fail:
    free(desc);
    store_rollback(st);
    return err->rc;
}

/* Run one store write as its own transaction. */
static enum pm_rc
write_one(struct pm_store *st, int64_t fid, const char *field,
          const char *value, struct pm_err *err)
{
    if (store_begin(st, err))
        return err->rc;
    enum pm_rc rc = field ? store_finding_set(st, fid, field, value, err)
                          : store_delete_finding(st, fid, err);
    if (rc == PM_OK)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}

enum pm_rc
findings_unmark(struct pm_store *st, int64_t fid, struct pm_err *err)
{
    return write_one(st, fid, NULL, NULL, err);
}

struct id_list {
    int64_t ids[64];
    int n;
    int more;
};

static int
collect_hand_marks(const struct pm_finding_row *r, void *ctx)
{
    struct id_list *l = ctx;
    if (r->rule != NULL)
        return 0;
    if (l->n == (int)(sizeof l->ids / sizeof l->ids[0])) {
        l->more = 1;
        return 1;
    }
    l->ids[l->n++] = r->id;
    return 0;
}

enum pm_rc
findings_unmark_subject(struct pm_store *st, const struct pm_subject *subj,
                        int *removed, struct pm_err *err)
{
    char key[48];
    const char *keyp = NULL;
    *removed = 0;
    if (strcmp(subj->kind, "edge") == 0) {
        edge_key(subj, key);
        keyp = key;
    }
    if (store_begin(st, err))
        return err->rc;
    struct id_list l;
    do {
        l.n = 0;
        l.more = 0;
        if (store_each_subject_finding(st, subj->kind, subj->id, keyp,
                                       collect_hand_marks, &l, err))
            goto fail;
        for (int i = 0; i < l.n; i++)
            if (store_delete_finding(st, l.ids[i], err))
                goto fail;
        *removed += l.n;
    } while (l.more);
    if (*removed == 0) {
        store_rollback(st);
        if (keyp)
            return pm_err_set(err, PM_ERR_NOTFOUND,
                              "no hand-marked finding on edge %s; suggested "
                              "findings are dismissed, not unmarked", keyp);
        return pm_err_set(err, PM_ERR_NOTFOUND,
                          "no hand-marked finding on %s %lld; suggested "
                          "findings are dismissed, not unmarked",
                          subj->kind, (long long)subj->id);
    }
    return store_commit(st, err);
fail:
    store_rollback(st);
    return err->rc;
}

enum pm_rc
findings_set_note(struct pm_store *st, int64_t fid, const char *note,
                  struct pm_err *err)
{
    return write_one(st, fid, "note", note && note[0] ? note : NULL, err);
}

enum pm_rc
findings_set_status(struct pm_store *st, int64_t fid, const char *status,
                    struct pm_err *err)
{
    const char *s = findings_status_name(status);
    if (s == NULL || strcasecmp(s, status ? status : "") != 0)
        return pm_err_set(err, PM_ERR_USAGE,
                          "unknown status '%s'; expected suggested, "
                          "confirmed or dismissed", status ? status : "");
    return write_one(st, fid, "status", s, err);
}

enum pm_rc
findings_set_severity(struct pm_store *st, int64_t fid, const char *severity,
                      struct pm_err *err)
{
    const char *s = findings_severity_name(severity);
    if (s == NULL)
        return pm_err_set(err, PM_ERR_USAGE,
                          "unknown severity '%s'; expected critical, high, "
                          "medium, low or info", severity ? severity : "");
    return write_one(st, fid, "severity", s, err);
}

enum pm_rc
findings_set_title(struct pm_store *st, int64_t fid, const char *title,
                   struct pm_err *err)
{
    if (title == NULL || title[0] == '\0')
        return pm_err_set(err, PM_ERR_USAGE, "a title cannot be empty");
    return write_one(st, fid, "title", title, err);
}

enum pm_rc
findings_each(struct pm_store *st, unsigned status_mask, int by_severity,
              int64_t after_id, int64_t limit, pm_finding_cb cb, void *ctx,
              struct pm_err *err)
{
    return store_each_finding(st, status_mask, by_severity, after_id, limit,
                              cb, ctx, err);
}

char *
findings_subject_label(const struct pm_finding_row *r)
{
    struct pm_buf b;
    pm_buf_init(&b);
    if (r->subject_key && strcmp(r->subject_kind, "edge") == 0)
        pm_buf_addf(&b, "edge %s", r->subject_key);
    else
        pm_buf_addf(&b, "%s %lld", r->subject_kind, (long long)r->subject_id);
    return pm_buf_detach(&b);
}
