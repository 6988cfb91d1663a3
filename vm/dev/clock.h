/* clock.h: the real-time clock and the interval timer, two devices on the
 * contract of dev.h that read the VM's virtual clock (bh_clock_src).
 *
 * rtc (8 bytes), read-only, the virtual time in microseconds since 1970:
 *   +0x0 time_lo  low word; reading it latches the high word
 *   +0x4 time_hi  the high word latched by the last time_lo read
 * timer (16 bytes), an interrupt every period microseconds of virtual time:
 *   +0x0 period   read/write: the interval in microseconds (0: stopped);
 *                 writing it starts a new interval from now
 *   +0x4 ctrl     read/write: bit 0 enable (0 -> 1 starts an interval from
 *                 now), bit 1 interrupt enable
 *   +0x8 status   bit 0 expired: set at each expiration; write 1 to clear
 *                 it (and lower the interrupt line)
 *   +0xc ticks    read-only: expirations since the machine started
 * The interrupt line is high while ctrl.IE and status.expired are both 1.
 * Word accesses only; anything else is a bus error.
 *
 * The timer does not count by itself: it has a deadline (virtual ns), the
 * monitor runs the core no further than it (bh_timer_deadline) and then
 * lets the timer see the time (bh_timer_tick), as a hypervisor arms a
 * host timer for a guest's timer and injects the interrupt when it fires.
 *
 * SERIALIZED STATE (bh_clock_save / bh_clock_load, the CLOCK section):
 * the rtc's latched word, the timer's registers and its deadline.  NOT
 * serialized: the clock source and the IRQ wiring (the machine's). */
#ifndef BH_CLOCK_H
#define BH_CLOCK_H

#include <stdint.h>

#include "bh_util.h"
#include "dev/dev.h"

#define BH_RTC_MMIO_SIZE   8u
#define BH_RTC_TIME_LO     0x0u
#define BH_RTC_TIME_HI     0x4u
#define BH_TIMER_MMIO_SIZE 16u
#define BH_TIMER_PERIOD    0x0u
#define BH_TIMER_CTRL      0x4u
#define BH_TIMER_STATUS    0x8u
#define BH_TIMER_TICKS     0xcu
#define BH_TIMER_CTRL_EN   1u
#define BH_TIMER_CTRL_IE   2u
#define BH_TIMER_EXPIRED   1u

struct bh_clock {
    struct bh_clock_src src;
    uint32_t rtc_hi;  /* latched by a time_lo read */
    uint32_t period;  /* microseconds */
    uint32_t ctrl, status;
    uint64_t next_ns; /* the deadline while running */
    uint64_t ticks;
    struct bh_irq irq;
};

extern const struct bh_dev_region bh_rtc_region;   /* opaque: struct bh_clock */
extern const struct bh_dev_region bh_timer_region; /* opaque: struct bh_clock */

/* The next expiration in virtual ns, UINT64_MAX while stopped. */
uint64_t bh_timer_deadline(const struct bh_clock *c);
/* Let the timer see the time: expirations up to now set status and raise
 * the line.  Returns the number of expirations (0 most of the time). */
uint64_t bh_timer_tick(struct bh_clock *c);

#define BH_CLOCK_STATE_VERSION 1u
#define BH_CLOCK_STATE_SIZE 32u
int bh_clock_save(const struct bh_clock *c, struct bh_buf *b);
/* Validates the whole body before changing c (c may be NULL: check only). */
int bh_clock_load(struct bh_clock *c, struct bh_rd *r, uint32_t version, char *err, size_t errlen);

#endif
