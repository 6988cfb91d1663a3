/* tty.h: the terminal for --console raw: keys reach the guest as they are
 * typed (no line editing, no echo), as a game on MARS's keyboard tool
 * expects; Ctrl-C still stops myvmm.  The terminal's settings come back
 * when myvmm exits (atexit; stop signals end myvmm through exit too). */
#ifndef BH_TTY_H
#define BH_TTY_H

#include <stddef.h>

/* Put the terminal on fd in raw mode: 0, or -1 with a message (fd is not
 * a terminal, or it refused). */
int bh_tty_raw(int fd, char *err, size_t errlen);

#endif
