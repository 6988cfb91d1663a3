/* clock.c: the real-time clock and the interval timer (clock.h). */
#include "dev/clock.h"

static uint64_t now_ns(const struct bh_clock *c)
{
    return c->src.now_ns(c->src.opaque);
}

static void update_irq(struct bh_clock *c)
{
    bh_irq_set(&c->irq, (c->ctrl & BH_TIMER_CTRL_IE) && (c->status & BH_TIMER_EXPIRED));
}

static int rtc_read(void *opaque, uint32_t offset, unsigned size, uint32_t *val)
{
    struct bh_clock *c = opaque;
    if (size != 4)
        return -1;
    switch (offset) {
    case BH_RTC_TIME_LO: {
        uint64_t us = now_ns(c) / 1000u;
        c->rtc_hi = (uint32_t)(us >> 32);
        *val = (uint32_t)us;
        return 0;
    }
    case BH_RTC_TIME_HI: *val = c->rtc_hi; return 0;
    default: return -1;
    }
}

static int rtc_write(void *opaque, uint32_t offset, unsigned size, uint32_t val)
{
    return -1; /* read-only */
}

/* A new interval from now, when the timer runs. */
static void restart(struct bh_clock *c)
{
    c->next_ns = now_ns(c) + (uint64_t)c->period * 1000u;
}

static void tell_deadline(struct bh_clock *c)
{
    uint64_t dl = bh_timer_deadline(c);
    if (dl != UINT64_MAX && c->src.deadline)
        c->src.deadline(c->src.opaque, dl);
}

uint64_t bh_timer_deadline(const struct bh_clock *c)
{
    return (c->ctrl & BH_TIMER_CTRL_EN) && c->period ? c->next_ns : UINT64_MAX;
}

uint64_t bh_timer_tick(struct bh_clock *c)
{
    uint64_t dl = bh_timer_deadline(c);
    if (dl == UINT64_MAX)
        return 0;
    uint64_t now = now_ns(c);
    if (now < dl)
        return 0;
    /* Every period that ended by now (a virtual sleep can skip many). */
    uint64_t p = (uint64_t)c->period * 1000u, n = (now - dl) / p + 1;
    c->next_ns = dl + n * p;
    c->ticks += n;
    c->status |= BH_TIMER_EXPIRED;
    update_irq(c);
    return n;
}

static int timer_read(void *opaque, uint32_t offset, unsigned size, uint32_t *val)
{
    struct bh_clock *c = opaque;
    if (size != 4)
        return -1;
    switch (offset) {
    case BH_TIMER_PERIOD: *val = c->period; return 0;
    case BH_TIMER_CTRL: *val = c->ctrl; return 0;
    case BH_TIMER_STATUS: *val = c->status; return 0;
    case BH_TIMER_TICKS: *val = (uint32_t)c->ticks; return 0;
    default: return -1;
    }
}

static int timer_write(void *opaque, uint32_t offset, unsigned size, uint32_t val)
{
    struct bh_clock *c = opaque;
    if (size != 4)
        return -1;
    switch (offset) {
    case BH_TIMER_PERIOD:
        c->period = val;
        restart(c);
        break;
    case BH_TIMER_CTRL:
        if ((val & BH_TIMER_CTRL_EN) && !(c->ctrl & BH_TIMER_CTRL_EN))
            restart(c);
        c->ctrl = val & (BH_TIMER_CTRL_EN | BH_TIMER_CTRL_IE);
        break;
    case BH_TIMER_STATUS: c->status &= ~(val & BH_TIMER_EXPIRED); break;
    case BH_TIMER_TICKS: return -1; /* read-only */
    default: return -1;
    }
    tell_deadline(c);
    update_irq(c);
    return 0;
}

static const char *const rtc_regs[] = {"time_lo", "time_hi"};
static const char *const timer_regs[] = {"period", "ctrl", "status", "ticks"};
const struct bh_dev_region bh_rtc_region = {"rtc", BH_RTC_MMIO_SIZE, rtc_read, rtc_write,
                                            rtc_regs, 2};
const struct bh_dev_region bh_timer_region = {"timer", BH_TIMER_MMIO_SIZE, timer_read, timer_write,
                                              timer_regs, 4};

int bh_clock_save(const struct bh_clock *c, struct bh_buf *b)
{
    bh_buf_put32(b, c->rtc_hi);
    bh_buf_put32(b, c->period);
    bh_buf_put32(b, c->ctrl);
    bh_buf_put32(b, c->status);
    bh_buf_put64(b, c->next_ns);
    bh_buf_put64(b, c->ticks);
    return b->oom ? -1 : 0;
}

int bh_clock_load(struct bh_clock *c, struct bh_rd *r, uint32_t version, char *err, size_t errlen)
{
    if (version != BH_CLOCK_STATE_VERSION)
        return bh_errf(err, errlen, "clock state version %u is not known to this myvmm (%u)",
                       version, BH_CLOCK_STATE_VERSION);
    uint32_t hi = bh_rd32(r), period = bh_rd32(r), ctrl = bh_rd32(r), status = bh_rd32(r);
    uint64_t next = bh_rd64(r), ticks = bh_rd64(r);
    if (r->bad)
        return bh_errf(err, errlen, "clock state: truncated");
    if (ctrl & ~(BH_TIMER_CTRL_EN | BH_TIMER_CTRL_IE))
        return bh_errf(err, errlen, "timer ctrl 0x%x has bits other than enable and interrupt "
                                    "enable", ctrl);
    if (status & ~BH_TIMER_EXPIRED)
        return bh_errf(err, errlen, "timer status 0x%x has bits other than expired", status);
    if (!c)
        return 0;
    c->rtc_hi = hi;
    c->period = period;
    c->ctrl = ctrl;
    c->status = status;
    c->next_ns = next;
    c->ticks = ticks;
    update_irq(c);
    return 0;
}
