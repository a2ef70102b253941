/*
 * capture_cdp.c - the Chromium child process and the DevTools pipe
 * (see capture_cdp.h).  Commands are written with blocking writes (they are
 * small); the read side is non-blocking and polled so that the capture loop
 * can wake up for its deadlines and for signals.  Run as root, the browser
 * is handed to an unprivileged user with its sandbox on (see
 * browser_user_pick).
 */
#include "capture_cdp.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "tmpclean.h"

static int
executable(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
           access(path, X_OK) == 0;
}

enum pm_rc
cdp_find_browser(const char *explicit_path, char *out, size_t outsz,
                 struct pm_err *err)
{
    static const char *const names[] = {
        "chromium", "chromium-browser", "google-chrome",
        "google-chrome-stable", NULL,
    };
    if (explicit_path) {
        if (!executable(explicit_path))
            return pm_err_set(err, PM_ERR_USAGE,
                              "--chromium %s: not an executable file",
                              explicit_path);
        snprintf(out, outsz, "%s", explicit_path);
        return PM_OK;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (int i = 0; names[i]; i++) {
        const char *p = path;
        while (*p) {
            const char *end = strchr(p, ':');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            char cand[4096];
            if (n > 0 && n < 2048) {
                snprintf(cand, sizeof cand, "%.*s/%s", (int)n, p, names[i]);
                if (executable(cand)) {
                    snprintf(out, outsz, "%s", cand);
                    return PM_OK;
                }
            }
            p += n;
            if (*p == ':')
                p++;
        }
    }
    return pm_err_set(err, PM_ERR_USAGE,
                      "no Chromium found on PATH (looked for chromium, "
                      "chromium-browser, google-chrome); install it "
                      "(Debian: apt-get install chromium) or pass --chromium PATH");
}

/* Move fd to exactly `target` in the child (handles fd == target). */
static int
child_fd_to(int fd, int target)
{
    if (fd == target) {
        int fl = fcntl(fd, F_GETFD);
        return fl < 0 ? -1 : fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
    }
    return dup2(fd, target) < 0 ? -1 : 0;
}

/*
 * Who runs the browser.  As root, Chromium's sandbox refuses to start, and
 * without the sandbox a hostile page's renderer would run as root; so root
 * hands the browser to an unprivileged account ($PMSCOPE_BROWSER_USER, else
 * "nobody") whenever that account can reach the profile directory.
 */
struct browser_user {
    uid_t uid;
    gid_t gid;
    int drop;     /* 1: setuid to uid/gid in the child */
    int picked;   /* browser_user_pick ran */
    char name[64];
    char why[160]; /* why not dropped, for the warning */
};

/* Can uid/gid read, write and enter dir?  Asked in a child that has
 * dropped to them, so every parent directory's permissions count. */
static int
user_reaches(const struct browser_user *u, const char *dir)
{
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        if (setgroups(0, NULL) != 0 || setgid(u->gid) != 0 ||
            setuid(u->uid) != 0)
            _exit(1);
        _exit(access(dir, R_OK | W_OK | X_OK) == 0 ? 0 : 1);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void
browser_user_pick(struct browser_user *u, const char *profile)
{
    memset(u, 0, sizeof *u);
    u->picked = 1;
    const char *name = getenv("PMSCOPE_BROWSER_USER");
    if (!name || !*name)
        name = "nobody";
    snprintf(u->name, sizeof u->name, "%s", name);
    struct passwd *pw = getpwnam(name);
    if (!pw || pw->pw_uid == 0) {
        snprintf(u->why, sizeof u->why, "there is no unprivileged user '%s'",
                 u->name);
        return;
    }
    u->uid = pw->pw_uid;
    u->gid = pw->pw_gid;
    if (chown(profile, u->uid, u->gid) == 0 && user_reaches(u, profile))
        u->drop = 1;
    else
        snprintf(u->why, sizeof u->why, "user '%s' cannot reach the "
                 "profile directory", u->name);
}

/* One start of the browser; sandbox 0 adds --no-sandbox. */
static enum pm_rc
cdp_launch_once(struct cdp *c, const char *browser, int headful,
                struct browser_user *u, int sandbox, struct pm_err *err)
{
    const char *extra = c->extra_arg; /* set by the caller before launch */
    memset(c, 0, sizeof *c);
    c->extra_arg = extra;
    c->to_browser = c->from_browser = -1;
    c->next_id = 1;
    pm_buf_init(&c->in);

    const char *tmp = tmpclean_dir();
    /* profiles of captures killed before their cleanup go first */
    tmpclean_stale("pmscope-profile", 1);
    if (tmpclean_template(c->profile, sizeof c->profile, "pmscope-profile") ||
        !mkdtemp(c->profile)) {
        c->profile[0] = '\0';
        return pm_err_set(err, PM_ERR_IO, "cannot create a temporary profile "
                          "directory in %s: %s", tmp, strerror(errno));
    }
    if (!u->picked && geteuid() == 0)
        browser_user_pick(u, c->profile);
    else if (u->drop && chown(c->profile, u->uid, u->gid) != 0)
        u->drop = 0;
    char logpath[300];
    snprintf(logpath, sizeof logpath, "%s/browser.log", c->profile);
    int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    int cmd[2], ev[2];
    if (pipe2(cmd, O_CLOEXEC) < 0 || pipe2(ev, O_CLOEXEC) < 0) {
        if (logfd >= 0)
            close(logfd);
        return pm_err_set(err, PM_ERR_IO, "pipe: %s", strerror(errno));
    }
    char udd[300];
    snprintf(udd, sizeof udd, "--user-data-dir=%s", c->profile);
    const char *argv[32];
    int n = 0;
    argv[n++] = browser;
    if (!headful)
        argv[n++] = "--headless";
    argv[n++] = "--remote-debugging-pipe";
    argv[n++] = udd;
    argv[n++] = "--no-first-run";
    argv[n++] = "--no-default-browser-check";
    argv[n++] = "--disable-gpu";
    argv[n++] = "--disable-quic";
    argv[n++] = "--disable-background-networking";
    argv[n++] = "--disable-component-update";
    argv[n++] = "--disable-sync";
    argv[n++] = "--disable-extensions";
    argv[n++] = "--disable-default-apps";
    argv[n++] = "--disable-popup-blocking";
    argv[n++] = "--mute-audio";
    if (c->extra_arg)
        argv[n++] = c->extra_arg;
    if (!sandbox || (geteuid() == 0 && !u->drop))
        argv[n++] = "--no-sandbox";
    argv[n++] = "about:blank";
    argv[n] = NULL;

    pid_t pid = fork();
    if (pid < 0) {
        close(cmd[0]); close(cmd[1]); close(ev[0]); close(ev[1]);
        if (logfd >= 0)
            close(logfd);
        return pm_err_set(err, PM_ERR_IO, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        /* child: own process group so shutdown reaches every helper */
        setpgid(0, 0);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        /* the browser's own temporary files go inside the profile too */
        setenv("TMPDIR", c->profile, 1);
        if (u->drop) {
            setenv("HOME", c->profile, 1);
            if (setgroups(0, NULL) != 0 || setgid(u->gid) != 0 ||
                setuid(u->uid) != 0)
                _exit(126);
        }
        /*
         * Park every descriptor we hand on above 10 first, so that the
         * dup2 calls onto 0-4 cannot clobber one another.
         */
        int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        int null_hi = devnull >= 0 ? fcntl(devnull, F_DUPFD_CLOEXEC, 10) : -1;
        int log_hi = logfd >= 0 ? fcntl(logfd, F_DUPFD_CLOEXEC, 10) : null_hi;
        int rd = fcntl(cmd[0], F_DUPFD_CLOEXEC, 10);
        int wr = fcntl(ev[1], F_DUPFD_CLOEXEC, 10);
        if (rd < 0 || wr < 0 || null_hi < 0 || log_hi < 0 ||
            child_fd_to(rd, 3) < 0 || child_fd_to(wr, 4) < 0 ||
            dup2(null_hi, 0) < 0 || dup2(log_hi, 1) < 0 || dup2(log_hi, 2) < 0)
            _exit(127);
        execv(browser, (char *const *)argv);
        dprintf(2, "exec %s: %s\n", browser, strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    c->pgid = pid;
    close(cmd[0]);
    close(ev[1]);
    if (logfd >= 0)
        close(logfd);
    c->pid = pid;
    c->to_browser = cmd[1];
    c->from_browser = ev[0];
    fcntl(c->from_browser, F_SETFL,
          fcntl(c->from_browser, F_GETFL) | O_NONBLOCK);
    return PM_OK;
}

/* Does the browser answer a first command within ms? */
static int
cdp_answers(struct cdp *c, long ms)
{
    int id = cdp_send(c, NULL, "Browser.getVersion", NULL);
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (id > 0) {
        cJSON *msg = NULL;
        struct pm_err rerr = PM_ERR_INIT;
        if (cdp_read(c, 100, &msg, &rerr) != PM_OK)
            return 0;
        if (msg) {
            const cJSON *mid = cJSON_GetObjectItemCaseSensitive(msg, "id");
            int hit = cJSON_IsNumber(mid) && mid->valueint == id;
            cJSON_Delete(msg);
            if (hit)
                return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) * 1000 +
                (t.tv_nsec - t0.tv_nsec) / 1000000 > ms)
            return 1; /* slow, but alive: the capture's own limits judge it */
    }
    return 0;
}

enum pm_rc
cdp_launch(struct cdp *c, const char *browser, int headful, int verbose,
           struct pm_err *err)
{
    struct browser_user u;
    memset(&u, 0, sizeof u);
    if (cdp_launch_once(c, browser, headful, &u, 1, err) != PM_OK)
        return err->rc;
    if (geteuid() != 0)
        return PM_OK;
    if (!u.drop) {
        fprintf(stderr, "capture: warning: running as root and %s (%s), so "
                "Chromium runs as root with its sandbox off (--no-sandbox): "
                "a hostile page's renderer is not contained; run pmscope as "
                "a normal user, or set PMSCOPE_BROWSER_USER to an account "
                "that can reach $TMPDIR\n", u.why, c->profile);
        return PM_OK;
    }
    if (cdp_answers(c, 15000)) {
        if (verbose)
            fprintf(stderr, "capture: Chromium runs as user %s, "
                    "sandboxed\n", u.name);
        return PM_OK;
    }
    /* Only a sandbox that cannot start is worth a second try. */
    char tail[1024];
    cdp_log_tail(c, tail, sizeof tail);
    if (!strcasestr(tail, "sandbox"))
        return PM_OK; /* the capture loop reports the failure */
    cdp_shutdown(c);
    fprintf(stderr, "capture: warning: Chromium's sandbox cannot start on "
            "this system; running it without (--no-sandbox), as user %s, "
            "not as root\n", u.name);
    return cdp_launch_once(c, browser, headful, &u, 0, err);
}

int
cdp_send(struct cdp *c, const char *session, const char *method,
         cJSON *params)
{
    if (c->to_browser < 0) {
        cJSON_Delete(params);
        return -1;
    }
    int id = c->next_id++;
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddNumberToObject(msg, "id", id);
    cJSON_AddStringToObject(msg, "method", method);
    if (session)
        cJSON_AddStringToObject(msg, "sessionId", session);
    cJSON_AddItemToObject(msg, "params",
                          params ? params : cJSON_CreateObject());
    char *text = cJSON_PrintUnformatted(msg);
    cJSON_Delete(msg);
    size_t len = strlen(text) + 1; /* the NUL is the frame terminator */
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(c->to_browser, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            free(text);
            close(c->to_browser);
            c->to_browser = -1;
            c->exited = 1;
            return -1;
        }
        off += (size_t)w;
    }
    free(text);
    return id;
}

/* Take one complete message off the front of c->in, or NULL. */
static cJSON *
cdp_take_message(struct cdp *c)
{
    for (;;) {
        if (!c->in.data)
            return NULL;
        char *start = c->in.data + c->in_off;
        size_t avail = c->in.len - c->in_off;
        char *nul = avail ? memchr(start, '\0', avail) : NULL;
        if (!nul) {
            /* drop what was taken: one move per read, not per message */
            if (c->in_off) {
                memmove(c->in.data, start, avail);
                c->in.len = avail;
                c->in.data[c->in.len] = '\0';
                c->in_off = 0;
            }
            if (c->in.len > CDP_MAX_MESSAGE) {
                /* oversized: drop what we have and skip to its end */
                c->skipping = 1;
                pm_buf_reset(&c->in);
            }
            return NULL;
        }
        size_t n = (size_t)(nul - start);
        cJSON *msg = NULL;
        if (!c->skipping)
            msg = cJSON_ParseWithLength(start, n);
        c->skipping = 0;
        c->in_off += n + 1;
        if (msg)
            return msg;
    }
}

enum pm_rc
cdp_read(struct cdp *c, int timeout_ms, cJSON **msg, struct pm_err *err)
{
    *msg = cdp_take_message(c);
    if (*msg)
        return PM_OK;
    if (c->from_browser < 0)
        return pm_err_set(err, PM_ERR_IO, "the browser closed the pipe");
    struct pollfd pfd = { .fd = c->from_browser, .events = POLLIN };
    int r = poll(&pfd, 1, timeout_ms < 0 ? 0 : timeout_ms);
    if (r <= 0)
        return PM_OK; /* timeout or EINTR */
    for (;;) {
        char chunk[65536];
        ssize_t got = read(c->from_browser, chunk, sizeof chunk);
        if (got > 0) {
            if (c->skipping) {
                char *nul = memchr(chunk, '\0', (size_t)got);
                if (!nul)
                    continue;
                c->skipping = 0;
                size_t rest = (size_t)(chunk + got - nul - 1);
                pm_buf_add(&c->in, nul + 1, rest);
                continue;
            }
            pm_buf_add(&c->in, chunk, (size_t)got);
            if (c->in.len > CDP_MAX_MESSAGE && !memchr(c->in.data, '\0',
                                                        c->in.len)) {
                c->skipping = 1;
                pm_buf_reset(&c->in);
            }
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        /* EOF or error: the browser is gone */
        close(c->from_browser);
        c->from_browser = -1;
        c->exited = 1;
        break;
    }
    *msg = cdp_take_message(c);
    if (!*msg && c->from_browser < 0)
        return pm_err_set(err, PM_ERR_IO, "the browser closed the pipe");
    return PM_OK;
}

int
cdp_browser_gone(struct cdp *c)
{
    if (c->pid <= 0)
        return 1;
    int status;
    pid_t r = waitpid(c->pid, &status, WNOHANG);
    if (r == c->pid) {
        c->exit_status = status;
        c->pid = 0;
        c->exited = 1;
        return 1;
    }
    return 0;
}

static int wait_gone(struct cdp *c, long ms);

void
cdp_log_tail(struct cdp *c, char *out, size_t outsz)
{
    out[0] = '\0';
    if (!c->profile[0] || outsz < 2)
        return;
    wait_gone(c, 1000); /* its last words may still be on their way */
    char path[300];
    snprintf(path, sizeof path, "%s/browser.log", c->profile);
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char buf[8192];
    if (fseek(f, -(long)(sizeof buf - 1), SEEK_END) != 0)
        rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /*
     * The last two lines that are not D-Bus noise, without Chromium's
     * "[pid:tid:time:LEVEL:file:line] " prefix, joined by " | ".
     */
    const char *keep[2] = { NULL, NULL };
    size_t keep_len[2] = { 0, 0 };
    char *line = buf;
    while (line < buf + n) {
        char *nl = memchr(line, '\n', (size_t)(buf + n - line));
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        const char *text = line;
        if (line[0] == '[') {
            const char *close = memchr(line, ']', len);
            if (close && close + 1 < line + len) {
                text = close + 1 + (close[1] == ' ');
                len -= (size_t)(text - line);
            }
        }
        if (len > 0 && !memmem(line, (size_t)(text - line) + len, "dbus", 4) &&
            !memmem(text, len, "unexpected operator", 19)) {
            keep[0] = keep[1];
            keep_len[0] = keep_len[1];
            keep[1] = text;
            keep_len[1] = len;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    size_t o = 0;
    for (int k = 0; k < 2; k++) {
        if (!keep[k])
            continue;
        if (o > 0 && o + 3 < outsz) {
            memcpy(out + o, " | ", 3);
            o += 3;
        }
        for (size_t i = 0; i < keep_len[k] && o + 1 < outsz; i++) {
            unsigned char ch = (unsigned char)keep[k][i];
            out[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
        }
    }
    out[o] = '\0';
}

static int
remove_entry(const char *path, const struct stat *sb, int flag,
             struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void
sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Wait up to ms for the browser to exit. */
static int
wait_gone(struct cdp *c, long ms)
{
    for (long t = 0; t < ms; t += 20) {
        if (cdp_browser_gone(c))
            return 1;
        sleep_ms(20);
    }
    return cdp_browser_gone(c);
}

void
cdp_shutdown(struct cdp *c)
{
    if (c->pid > 0) {
        if (!c->exited && c->to_browser >= 0)
            cdp_send(c, NULL, "Browser.close", NULL);
        if (!wait_gone(c, 2000)) {
            kill(-c->pgid, SIGTERM);
            if (!wait_gone(c, 2000)) {
                kill(-c->pgid, SIGKILL);
                wait_gone(c, 2000);
            }
        }
    }
    if (c->pgid > 0) {
        /*
         * Helpers (zygotes, renderers) outlive a leader that crashed or
         * was killed; they must be gone before the profile is removed or
         * they write into it again.
         */
        kill(-c->pgid, SIGKILL);
        for (int i = 0; i < 100 && kill(-c->pgid, 0) == 0; i++)
            sleep_ms(20);
        c->pgid = 0;
    }
    if (c->to_browser >= 0)
        close(c->to_browser);
    if (c->from_browser >= 0)
        close(c->from_browser);
    c->to_browser = c->from_browser = -1;
    if (c->profile[0]) {
        nftw(c->profile, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        c->profile[0] = '\0';
    }
    pm_buf_release(&c->in);
}

cJSON *
cdp_autoattach_params(void)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddBoolToObject(p, "autoAttach", 1);
    cJSON_AddBoolToObject(p, "waitForDebuggerOnStart", 1);
    cJSON_AddBoolToObject(p, "flatten", 1);
    return p;
}
