/* tty.c: the terminal in raw mode for --console raw (tty.h). */
#include "host/tty.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "bh_util.h"

static struct termios saved;
static int saved_fd = -1;

static void restore(void)
{
    if (saved_fd >= 0)
        tcsetattr(saved_fd, TCSAFLUSH, &saved);
}

int bh_tty_raw(int fd, char *err, size_t errlen)
{
    if (!isatty(fd))
        return bh_errf(err, errlen, "--console raw needs a terminal on stdin");
    struct termios t;
    if (tcgetattr(fd, &t) != 0)
        return bh_errf(err, errlen, "--console raw: %s", strerror(errno));
    if (saved_fd < 0) {
        saved = t;
        saved_fd = fd;
        atexit(restore);
    }
    /* No canonical lines, no echo: each byte is readable as it is typed.
     * Output processing and signals stay: "\n" still starts a new line,
     * Ctrl-C still stops myvmm. */
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    t.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSAFLUSH, &t) != 0)
        return bh_errf(err, errlen, "--console raw: %s", strerror(errno));
    return 0;
}
