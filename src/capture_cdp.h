/*
 * capture_cdp.h - a Chromium child process driven over the Chrome DevTools
 * Protocol on --remote-debugging-pipe.
 *
 * The browser reads commands from its fd 3 and writes responses and events
 * to its fd 4; each message is one JSON text followed by a NUL byte.  This
 * module owns the process (fork/exec in its own process group, a fresh
 * temporary profile, stderr to a log file inside the profile), the framing,
 * and the shutdown (Browser.close, then SIGTERM/SIGKILL to the group, then
 * the profile directory is removed).  It knows nothing about what the
 * commands mean: src/capture.c does.
 */
#ifndef PM_CAPTURE_CDP_H
#define PM_CAPTURE_CDP_H

#include <sys/types.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"

/* Largest protocol message accepted (response bodies can be big). */
#define CDP_MAX_MESSAGE (256u * 1024 * 1024)

struct cdp {
    pid_t pid;           /* browser process (group leader); 0 when reaped */
    pid_t pgid;          /* its process group (helpers, renderers) */
    int to_browser;      /* write end: browser's fd 3 */
    int from_browser;    /* read end: browser's fd 4 */
    struct pm_buf in;    /* bytes read, not yet split into messages */
    size_t in_off;       /* in.data[0..in_off) is already taken */
    int skipping;        /* discarding an oversized message up to its NUL */
    int next_id;
    int exited;          /* the browser closed the pipe or exited */
    int exit_status;     /* waitpid status once reaped */
    char profile[256];   /* temporary --user-data-dir, removed at shutdown */
    const char *extra_arg; /* one more command-line flag for cdp_launch, or NULL */
};

/*
 * Find a Chromium binary: `explicit_path` when given (must be executable),
 * else chromium, chromium-browser, google-chrome, google-chrome-stable on
 * PATH.  Writes the path into out.
 */
enum pm_rc cdp_find_browser(const char *explicit_path, char *out, size_t outsz,
                            struct pm_err *err);

/*
 * Start the browser (headless unless headful) with a fresh profile.  Run as
 * root, the browser runs as $PMSCOPE_BROWSER_USER (default nobody) with its
 * sandbox, when that user can reach the profile; else as root with
 * --no-sandbox and a warning on stderr.  verbose says which on stderr.
 */
enum pm_rc cdp_launch(struct cdp *c, const char *browser, int headful,
                      int verbose, struct pm_err *err);

/*
 * The Target.setAutoAttach parameters every session of a capture or a
 * verification gets: attach to each child target, paused until it is set
 * up (waitForDebuggerOnStart), flattened into the one pipe.
 */
cJSON *cdp_autoattach_params(void);

/*
 * Send one command.  params is consumed (may be NULL); session may be NULL
 * for the browser target.  Returns the command id, or -1 when the pipe is
 * closed (the browser is gone; c->exited is set).
 */
int cdp_send(struct cdp *c, const char *session, const char *method,
             cJSON *params);

/*
 * Wait up to timeout_ms for the next message and return it in *msg (caller
 * frees with cJSON_Delete).  *msg is NULL on timeout or when a signal
 * interrupted the wait.  Returns PM_ERR_IO once the browser has closed the
 * pipe (c->exited set).  Unparseable or oversized messages are dropped.
 */
enum pm_rc cdp_read(struct cdp *c, int timeout_ms, cJSON **msg,
                    struct pm_err *err);

/* Has the browser process exited?  Reaps it without blocking. */
int cdp_browser_gone(struct cdp *c);

/*
 * Last lines of the browser's stderr log (for crash reports), into out;
 * waits up to a second for the browser to finish exiting first.
 */
void cdp_log_tail(struct cdp *c, char *out, size_t outsz);

/*
 * Close the browser (Browser.close, then signals to its process group),
 * reap it, remove the temporary profile.  Safe to call twice.
 */
void cdp_shutdown(struct cdp *c);

#endif
