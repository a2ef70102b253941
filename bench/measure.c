/*
 * measure.c - run one command and report its wall time and peak RSS.
 *
 *   measure [-i IN] [-o OUT] -- CMD ARGS...
 *
 * Forks, optionally redirects stdin/stdout, execs CMD and reaps it with
 * wait4, whose rusage carries the largest RSS of the child and of the
 * descendants it waited for.  Prints one line on stderr:
 *
 *   measure: wall=SECONDS user=SECONDS sys=SECONDS maxrss_kb=KB rc=N
 *
 * and exits with the command's status (128+signal when it was killed).
 * Used by bench/run.sh so the benchmark needs no /usr/bin/time.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
redirect(const char *path, int fd, int flags)
{
    int f = open(path, flags, 0644);
    if (f < 0 || dup2(f, fd) < 0)
        return -1;
    close(f);
    return 0;
}

int
main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-i") == 0 && i + 1 < argc)
            in = argv[++i];
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else
            break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: measure [-i IN] [-o OUT] -- CMD ARGS...\n");
        return 2;
    }
    double t0 = now_seconds();
    pid_t pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return 3;
    }
    if (pid == 0) {
        if ((in && redirect(in, 0, O_RDONLY) < 0) ||
            (out && redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC) < 0)) {
            perror("measure: redirect");
            _exit(127);
        }
        execvp(argv[i], argv + i);
        perror("measure: exec");
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("measure: wait4");
        return 3;
    }
    double wall = now_seconds() - t0;
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    fprintf(stderr, "measure: wall=%.3f user=%.3f sys=%.3f maxrss_kb=%ld rc=%d\n",
            wall, (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
            ru.ru_maxrss, rc);
    return rc;
}
