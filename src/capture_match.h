/*
 * capture_match.h - matching what the hooks reported (capture_match.c) for
 * the trace writer (capture_trace.c).  Internal to the capture modules.
 */
#ifndef PM_CAPTURE_MATCH_H
#define PM_CAPTURE_MATCH_H

#include "capture_int.h"

/* A postMessage call seen at the sender (a "send" hook record). */
struct tr_send {
    int hook;
    int frame;
    double ts;
    const char *via, *rel, *to, *data, *origin, *port;
    const cJSON *ports;
    int msg;          /* matched message index, -1 */
    int failed;       /* the call threw (DataCloneError...): sent nothing */
    int bc_frames[16];/* broadcast: frames that got this send already */
    int nbc;
};

/* A message event seen at the receiver (a "deliver" hook record). */
struct tr_deliver {
    int hook;
    int frame;
    double ts;
    const char *via, *src, *origin, *data, *self_origin, *port;
    const cJSON *ports;
    int seq;
    int send;         /* matched send index, -1 */
    int sender;       /* resolved sender frame, -1 */
};

/* One MessagePort id in one frame; aliases join ids of the same port. */
struct tr_port {
    int frame;
    const char *id;
    int alias;        /* the same port under an earlier id, -1 */
    int peer;         /* the other end of its channel, -1 */
    int label;        /* channel label number, 0 = none yet */
};


struct tr_out;

/* Sends indexed by a hash of their data, in ts order within a hash. */
struct tr_cand {
    unsigned hash;
    int send;
};

/* MessagePort ids tracked (lookups are linear). */
#define TR_MAX_PORTS 4096

/* A send is matched with a delivery stamped up to this many ms before it
 * (renderer clocks differ); no clock correction moves a frame further. */
#define TR_MATCH_WINDOW_MS 1000.0

/* At most this many candidate sends are examined per delivery. */
#define TR_MAX_SCAN 2000

/* Matching state over one capture's hook records. */
struct tr {
    struct capture *cap;
    struct tr_send *sends;
    int nsends;
    struct tr_cand *cand;  /* nsends entries, sorted by (hash, send) */
    int *cursor;           /* per bucket start: first send not used up */
    struct tr_deliver *dels;
    int ndels;
    struct tr_port *ports;
    int nports, cap_ports;
    int labels;
    struct tr_out *out;    /* the writer's records (capture_trace.c) */
    int nout, cap_out;
};


/*
 * Index in t->dels (sorted by ts) of the window delivery the hooks
 * numbered seq in frame, the latest at or before ts (a frame's numbers
 * start again in each document it loads); -1 when there is none.
 */
int tr_window_delivery(const struct tr *t, int frame, int seq, double ts);

/*
 * Collect the hook records of t->cap, then match deliveries with sends
 * (window, BroadcastChannel, MessagePort) and resolve senders.  Where the
 * matches show a renderer's clock off, the times of its frames' records
 * in t->cap->hooks are corrected and the matching is done again.
 */
/* The frame that rel (relationOf in the hooks: self, parent, top, opener,
 * frames[i], popup:URL, source:SEQ...) names from frame f at ts, or -1. */
int tr_resolve(const struct tr *t, int f, const char *rel, double ts);

void tr_match(struct tr *t);
/* Free what tr_match built; t can be matched again. */
void tr_match_release(struct tr *t);

/* The port node for a per-realm port id in frame (created), or -1. */
int tr_port_node(struct tr *t, int frame, const char *id);
/* Label ("C1", ...) number of the channel of port node n; 0 = unknown. */
int tr_channel_label(struct tr *t, int n);
unsigned tr_hash(const char *str);

#endif
