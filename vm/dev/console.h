/* console.h: the console device: the terminal a VM sees through syscalls
 * (the machine's paravirtual exits call it) and through the memory-mapped
 * registers of SPIM's -mapped_io and MARS's Keyboard and Display tool.
 *
 * Built on the device contract alone (dev.h): it owns its registers and
 * its host streams, raises its two interrupt lines, and knows nothing of
 * the CPU or the VM.
 *
 * Input is read from the host into a queue and consumed from there, so the
 * bytes the host delivered but the guest has not read are part of the
 * VM's state (a snapshot keeps them) and a non-blocking step can ask "is
 * a whole line there?" without losing anything.  Output is gathered line
 * by line and each complete line is written with one fwrite and flushed,
 * so lines of VMs running on several threads never interleave, and a
 * line reaches a pipe or a file as soon as the guest ends it.
 *
 * SERIALIZED STATE (bh_console_save / bh_console_load): the input queue,
 * end of input, bytes consumed and written, the unfinished output line,
 * whether the host shows part of a line, the four MMIO registers.
 * NOT serialized (host resources, reattached on restore): the streams, the
 * prefix, the hold flags, intr_fd, the IRQ wiring. */
#ifndef BH_CONSOLE_H
#define BH_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bh_util.h"
#include "dev/dev.h"

/* Registers (SPIM -mapped_io; MARS Keyboard and Display) */
#define BH_CON_MMIO_SIZE  16u
#define BH_CON_RCV_CTRL   0x0u /* bit 0 ready, bit 1 interrupt enable */
#define BH_CON_RCV_DATA   0x4u /* low byte */
#define BH_CON_TX_CTRL    0x8u /* bit 0 ready, bit 1 interrupt enable */
#define BH_CON_TX_DATA    0xcu /* low byte */
#define BH_CON_CTRL_READY 1u
#define BH_CON_CTRL_IE    2u

#define BH_CON_PREFIX_MAX 32
#define BH_CON_LINE_MAX   4096 /* a longer unfinished line is written out in pieces */

struct bh_console {
    /* input */
    FILE *in;                  /* host input stream (default stdin) */
    int in_fd;                 /* fileno(in) when it is a real fd, else -1: read(2)
                                  is used on it so a non-blocking step can poll */
    int in_eof;
    uint8_t *inq;              /* queued input bytes (malloc'ed) */
    uint32_t inq_len, inq_cap;
    uint64_t in_consumed;
    int in_held;               /* the input is still another VM's: reads wait until
                                  the scheduler hands it over (sched.c) */
    int intr_fd;               /* -1, or an fd the host makes readable when a blocking
                                  read must give its thread back (a stop signal): the
                                  read then finds nothing, as a non-blocking one */

    /* output */
    FILE *out;                 /* host output stream (default stdout) */
    char prefix[BH_CON_PREFIX_MAX]; /* e.g. "vm1 | ": starts every output line */
    uint8_t *outline;          /* the unfinished line (malloc'ed) */
    uint32_t outline_len, outline_cap;
    uint64_t out_bytes;
    int out_midline;           /* the host already shows part of the current line
                                  (flushed before an input read): no new prefix */
    int out_error;             /* a host write failed (errno value) */
    int hold_lines;            /* the VM runs and shares the output with others: an
                                  unfinished line waits for its end (the monitor sets it) */
    int screen;                /* the host is a terminal in raw mode (--console raw): the
                                  transmitter's bytes go out at once, and MARS's display
                                  controls (form feed: clear; bell: move the cursor to the
                                  x, y in the word's high bits) become terminal escapes */

    struct bh_con_tape *tape;  /* time travel (state/history.c), or NULL: off, free */

    /* registers and interrupts */
    uint32_t rcv_ctrl, rcv_data, tx_ctrl, tx_data;
    struct bh_irq irq_rcv, irq_tx;
};

/* Time travel (state/history.c): with a tape, every chunk of host input
 * the VM reads is recorded with the instruction count it arrived at, and
 * a VM sent back in time reads the recorded chunks again (each at its
 * count, none before it) instead of the host's, until it passes live_from
 * (the furthest it ever ran), after which it reads the host again.  Output
 * the host already shows (out_bytes below out_high) is not written twice. */
struct bh_con_chunk {
    uint64_t icount; /* when it arrived */
    uint64_t end;    /* its end in bytes */
    int eof;         /* the host input ended here (after the bytes) */
};
struct bh_con_tape {
    uint64_t (*now)(void *ctx); /* the VM's instruction count */
    void *ctx;
    struct bh_buf bytes; /* every chunk's bytes, one after the other */
    struct bh_con_chunk *chunk;
    size_t n, ncap;
    size_t next;       /* the chunk the next read takes (replay while < n) */
    uint64_t live_from; /* from this count on, input is the host's */
    uint64_t out_high;  /* output bytes the host has been shown */
};

/* Defaults: stdin, stdout, no prefix, transmitter ready, lines unwired.
 * Cannot fail; bh_console_free releases what it later allocates. */
void bh_console_init(struct bh_console *con);
void bh_console_free(struct bh_console *con);
/* The register region for the machine to place (at BH_MMIO_BASE); its
 * callbacks take the console as their opaque pointer. */
extern const struct bh_dev_region bh_console_region;

/* Attach the console to host streams.  NULL keeps the current stream;
 * prefix NULL keeps the current prefix, "" removes it. */
void bh_console_attach(struct bh_console *con, FILE *in, FILE *out, const char *prefix);

/* Output: bytes go to the line buffer; each complete line is written to
 * out with the prefix in one fwrite, and flushed. */
void bh_console_write(struct bh_console *con, const void *p, size_t n);
void bh_console_printf(struct bh_console *con, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Write out the unfinished line (before waiting for input, at exit). */
void bh_console_flush(struct bh_console *con);
/* The VM stopped: flush, and with a prefix end an unfinished line so the
 * next VM's line starts on its own (without a prefix, the bytes stay
 * exactly the guest's). */
void bh_console_close_output(struct bh_console *con);

/* Input.  Make sure the queue holds a whole line (or what is left before
 * end of input).  block = 0: read only what is available now.  Returns 1
 * when a line (or end of input) is there, 0 when not yet (with block = 1
 * only when intr_fd or a signal interrupted the wait). */
int bh_console_want_line(struct bh_console *con, int block);
/* Same for at least one byte. */
int bh_console_want_byte(struct bh_console *con, int block);
/* Take n bytes off the front of the queue. */
void bh_console_consume(struct bh_console *con, uint32_t n);
/* Hand the input that `from` read from the host but did not consume to
 * `to`, which reads the same host stream and has not read yet (VMs run one
 * after the other on one stdin: the next VM gets the rest of the line
 * buffer, as if it had read the stream itself). */
void bh_console_pass_input(struct bh_console *to, struct bh_console *from);

/* Re-evaluate the registers' ready bits and set the interrupt lines (the
 * monitor calls this between time slices).  Never blocks. */
void bh_console_poll(struct bh_console *con);

/* Serialization (mirror images, field by field).  Version 1 is the
 * leading part of the DEV section of snapshot format 1, and the whole
 * CONSOLE section since.  load validates everything before it changes
 * con; the unfinished line is not restored (the process that took the
 * snapshot wrote it out when it stopped). */
#define BH_CONSOLE_STATE_VERSION 1u
int bh_console_save(const struct bh_console *con, struct bh_buf *b);
int bh_console_load(struct bh_console *con, struct bh_rd *r, uint32_t version, char *err,
                    size_t errlen);

#endif
