/*
 * store_evidence.c - which recorded message a listener finding shows as
 * its evidence, and why.
 *
 * The first message a listener received is usually its own site's
 * harmless traffic (a banner from the legitimate parent); a report that
 * shows it proves nothing, while an attack the recording holds goes
 * unseen.  So the evidence is the message an analyst would pick: one from
 * a site the listener should not trust - neither the receiver's own site
 * nor the site of the top window of its tree (the page that embeds it, or
 * opened it) - and, for an HTML sink, one whose data carries markup.  Only
 * when no such message reached the listener is the first one shown, and
 * the reason says it is the shape of a legitimate message.
 */
#include "store_evidence.h"

#include <stdio.h>
#include <string.h>

#include "origin.h"
#include "store_int.h"

/* Messages looked at per finding: enough for any attack in a recording,
 * bounded for a listener that received a million. */
#define EVIDENCE_CANDIDATES 5000

struct evidence_pick {
    const char *receiver, *top;   /* origins that are the listener's site */
    int html_sink;
    int64_t first_id, foreign_id, markup_id;
    char first_sender[PM_ORIGIN_MAX], foreign_sender[PM_ORIGIN_MAX];
    char markup_sender[PM_ORIGIN_MAX];
};

static int
trusted(const struct evidence_pick *p, const char *sender)
{
    return (p->receiver && origin_same_site(sender, p->receiver)) ||
           (p->top && origin_same_site(sender, p->top));
}

/* store_row_fn: one candidate (id, sender origin, data prefix). */
static int
evidence_row(sqlite3_stmt *s, void *ctx)
{
    struct evidence_pick *p = ctx;
    int64_t id = sqlite3_column_int64(s, 0);
    const char *sender = store_col_text(s, 1);
    const char *data = store_col_text(s, 2);
    if (p->first_id == 0) {
        p->first_id = id;
        snprintf(p->first_sender, sizeof p->first_sender, "%s",
                 sender ? sender : "");
    }
    if (sender == NULL || strcmp(sender, "null") == 0 || trusted(p, sender))
        return 0;
    if (p->foreign_id == 0) {
        p->foreign_id = id;
        snprintf(p->foreign_sender, sizeof p->foreign_sender, "%s", sender);
    }
    if (p->html_sink && data && strchr(data, '<')) {
        p->markup_id = id;
        snprintf(p->markup_sender, sizeof p->markup_sender, "%s", sender);
        return 1; /* nothing ranks higher */
    }
    return 0;
}

/* store_row_fn: receiver origin, top origin, sinks of the listener. */
struct listener_site {
    char receiver[PM_ORIGIN_MAX], top[PM_ORIGIN_MAX];
    int html_sink;
};

static int
listener_site_row(sqlite3_stmt *s, void *ctx)
{
    struct listener_site *l = ctx;
    const char *r = store_col_text(s, 0), *t = store_col_text(s, 1);
    const char *sinks = store_col_text(s, 2);
    snprintf(l->receiver, sizeof l->receiver, "%s", r ? r : "");
    snprintf(l->top, sizeof l->top, "%s", t ? t : "");
    l->html_sink = sinks && (strstr(sinks, "innerHTML") ||
                             strstr(sinks, "outerHTML") ||
                             strstr(sinks, "insertAdjacentHTML") ||
                             strstr(sinks, "document.write"));
    return 0;
}

enum pm_rc
store_pick_listener_evidence(struct pm_store *st, int64_t listener_id,
                             int64_t *message_id, char *why, size_t whysz,
                             struct pm_err *err)
{
    /* the listener's origin, and the origin of the top of its tree
     * (following parents, then openers) */
    static const char site_sql[] =
        "WITH RECURSIVE up(id, depth) AS ("
        " SELECT l.window_id, 0 FROM listeners l WHERE l.id = ?1"
        " UNION ALL"
        " SELECT coalesce(w.parent_id, w.opener_id), up.depth + 1"
        " FROM up JOIN windows w ON w.id = up.id"
        " WHERE coalesce(w.parent_id, w.opener_id) IS NOT NULL"
        " AND up.depth < 64)"
        "SELECT (SELECT o.text FROM listeners l JOIN windows w"
        "  ON w.id = l.window_id JOIN origins o"
        "  ON o.id = coalesce(l.origin_id, w.origin_id) WHERE l.id = ?1),"
        " (SELECT o.text FROM up JOIN windows w ON w.id = up.id"
        "  JOIN origins o ON o.id = w.origin_id ORDER BY up.depth DESC"
        "  LIMIT 1),"
        " (SELECT sinks FROM listeners WHERE id = ?1)";
    static const char by_listener[] =
        "SELECT m.id, o.text, substr(m.data_json, 1, 16384) FROM messages m"
        " LEFT JOIN origins o ON o.id = m.sender_origin_id"
        " WHERE m.listener_id = ?1 ORDER BY m.id LIMIT ?2";
    static const char by_window[] =
        "SELECT m.id, o.text, substr(m.data_json, 1, 16384) FROM messages m"
        " JOIN listeners l ON l.id = ?1"
        " LEFT JOIN origins o ON o.id = m.sender_origin_id"
        " WHERE m.receiver_window_id = l.window_id"
        " AND m.via = coalesce(l.target, m.via)"
        " AND l.doc IN (0, m.receiver_doc) ORDER BY m.id LIMIT ?2";
    struct listener_site site = {0};
    int found = 0;
    *message_id = 0;
    why[0] = '\0';
    if (store_one_fmt(st, err, "reading listener site", listener_site_row,
                      &site, &found, site_sql, "I", listener_id))
        return err->rc;
    struct evidence_pick p = {
        .receiver = site.receiver[0] ? site.receiver : NULL,
        .top = site.top[0] ? site.top : NULL,
        .html_sink = site.html_sink,
    };
    if (store_each_fmt(st, err, "choosing evidence", evidence_row, &p,
                       by_listener, "Ii", listener_id, EVIDENCE_CANDIDATES))
        return err->rc;
    if (p.first_id == 0 &&
        store_each_fmt(st, err, "choosing evidence", evidence_row, &p,
                       by_window, "Ii", listener_id, EVIDENCE_CANDIDATES))
        return err->rc;
    const char *site_text = p.top ? p.top : p.receiver ? p.receiver : "?";
    if (p.markup_id) {
        *message_id = p.markup_id;
        snprintf(why, whysz,
                 "chosen because it came from %s, a site other than the "
                 "receiver's and its page's (%s), and carries markup for "
                 "the listener's HTML sink",
                 p.markup_sender, site_text);
    } else if (p.foreign_id) {
        *message_id = p.foreign_id;
        snprintf(why, whysz,
                 "chosen because it came from %s, a site other than the "
                 "receiver's and its page's (%s)",
                 p.foreign_sender, site_text);
    } else if (p.first_id) {
        *message_id = p.first_id;
        snprintf(why, whysz,
                 "chosen because no message from another site reached "
                 "this listener: it is the first one it received%s%s, and "
                 "shows the shape of a legitimate message",
                 p.first_sender[0] ? ", from " : "", p.first_sender);
    }
    return PM_OK;
}
