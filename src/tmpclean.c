/*
 * tmpclean.c - naming pmscope's temporary entries after their process and
 * removing the ones a killed pmscope left; see tmpclean.h.
 */
#include "tmpclean.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

const char *
tmpclean_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && dir[0] ? dir : "/tmp";
}

int
tmpclean_template(char *out, size_t outsz, const char *prefix)
{
    int n = snprintf(out, outsz, "%s/%s-%ld-XXXXXX", tmpclean_dir(), prefix,
                     (long)getpid());
    return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* The pid in NAME if it is exactly PREFIX-PID-XXXXXX, else 0. */
static long
stale_name_pid(const char *name, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (strncmp(name, prefix, pl) != 0 || name[pl] != '-')
        return 0;
    const char *p = name + pl + 1;
    long pid = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 10) {
        pid = pid * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || *p != '-')
        return 0;
    p++;
    for (int i = 0; i < 6; i++, p++) {
        unsigned char ch = (unsigned char)*p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9')))
            return 0;
    }
    return *p == '\0' && pid > 0 ? pid : 0;
}

static int
remove_entry(const char *path, const struct stat *sb, int flag,
             struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    remove(path); /* a symbolic link is removed, not followed */
    return 0;
}

void
tmpclean_stale(const char *prefix, int is_dir)
{
    const char *dir = tmpclean_dir();
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = stale_name_pid(e->d_name, prefix);
        if (pid == 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* alive (or not ours to signal): in use */
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = xmalloc(n);
        snprintf(path, n, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(path, &sb) == 0 && sb.st_uid == geteuid()) {
            if (is_dir && S_ISDIR(sb.st_mode))
                nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
            else if (!is_dir && S_ISREG(sb.st_mode))
                unlink(path);
        }
        free(path);
    }
    closedir(d);
}
