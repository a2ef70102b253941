/*
 * verify_run.c - `v` in view 5: `pmscope verify` on the selected finding,
 * with the terminal handed to it the way a shell escape does it (curses
 * suspended, the program run as a child of this one, Enter to come back).
 *
 * Why a child and not a call: a verification drives a headless Chromium
 * for up to its timeout; in a child its pipes, its browser processes and
 * its signals stay out of the UI process, and the user reads its progress
 * and verdict exactly as the CLI prints them.  The verdict is kept with
 * the finding, so view 5 shows it once the views reload.
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "screen.h"

/* Run `pmscope verify -w WS ID`; the child's exit status, -1 if none. */
static int
verify_child(const char *ws_path, long long finding_id)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", finding_id);
    struct sigaction ign, old_int, old_quit;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    /* ^C is for the child now (the terminal is cooked), not for the UI */
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        execl("/proc/self/exe", "pmscope", "verify", "-w", ws_path, id,
              (char *)NULL);
        fprintf(stderr, "pmscope: cannot run verify: %s\n", strerror(errno));
        _exit(127);
    }
    int status = -1;
    if (pid > 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
action_verify(struct ui_app *app)
{
    struct ui_subject s;
    if (!ui_selected_subject(app, &s) || s.finding_id <= 0) {
        ui_status(app, 1, "no finding selected");
        return UI_REDRAW;
    }
    if (app->ws_path == NULL) {
        ui_status(app, 1, "verify needs the workspace's path");
        return UI_REDRAW;
    }
    def_prog_mode();
    endwin();
    printf("pmscope verify finding %lld (headless Chromium, responses "
           "replayed from the workspace)\n", (long long)s.finding_id);
    fflush(stdout);
    int rc = verify_child(app->ws_path, (long long)s.finding_id);
    printf("\n[verify exited %d; press Enter to return to pmscope]", rc);
    fflush(stdout);
    int c;
    while ((c = getchar()) != EOF && c != '\n')
        ;
    clearerr(stdin);
    reset_prog_mode();
    clearok(curscr, TRUE);
    refresh();
    ui_status(app, rc == 0 ? 0 : 1, "verify of finding #%lld exited %d; its "
              "verdict is on the finding's line",
              (long long)s.finding_id, rc);
    return UI_REDRAW | UI_INVALIDATE;
}
