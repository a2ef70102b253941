/*
 * main.c - entry point: the process-wide settings (locale, SIGXFSZ), then
 * the command line through the command table's dispatch (src/cmd.c).
 * With no command, pmscope opens the TUI on the default workspace.
 */
#include <locale.h>
#include <signal.h>

#include "cmd.h"

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /*
     * Past a file size limit (ulimit -f) a write fails with EFBIG, which
     * SQLite reports and the import rolls back; the default SIGXFSZ
     * action would kill the process with a half-written WAL instead.
     */
    signal(SIGXFSZ, SIG_IGN);
    return cmd_main(argc, argv);
}
