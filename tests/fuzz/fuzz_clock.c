/* fuzz_clock.c: libFuzzer target for the rtc and the interval timer
 * (vm/dev/clock.c) alone, on the device contract: the input is a list of
 * 8-byte requests (offset, size, a time step, a value), each a register
 * read or write on one of the two regions after the virtual clock moved,
 * followed by a tick, as the monitor would run them; what is left of the
 * input is loaded as a CLOCK state body.  Invariants: no crash; an access
 * of another size than 4 or past the registers is refused and changes
 * nothing; the interrupt line is high exactly when ctrl's interrupt enable
 * and status's expired are set; a deadline the device announced is never
 * in the past; a state body is accepted only if it saves back unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "dev/clock.h"

static uint64_t now_ns;
static uint64_t announced;
static int line;

static uint64_t now(void *o) { return now_ns; }
static void deadline(void *o, uint64_t ns) { announced = ns; }
static void irq(void *o, unsigned n, int lv) { line = lv; }

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct bh_clock c;
    memset(&c, 0, sizeof c);
    c.src = (struct bh_clock_src){now, deadline, NULL};
    c.irq = (struct bh_irq){irq, NULL, 3};
    now_ns = 1700000000000000000ull;
    line = 0;
    size_t i = 0;
    for (; i + 8 <= n && i < 8 * 256; i += 8) {
        const uint8_t *r = d + i;
        uint32_t off = r[0] & 0x1f, val = bh_get32(r + 4);
        unsigned size = 1u << (r[1] & 3);
        now_ns += (uint64_t)bh_get16(r + 2) * 97u;
        const struct bh_dev_region *reg = (r[1] & 4) ? &bh_timer_region : &bh_rtc_region;
        struct bh_clock before = c;
        uint32_t v = 0;
        int rc = (r[1] & 8) ? reg->write(&c, off, size, val) : reg->read(&c, off, size, &v);
        if ((size != 4 || off >= reg->size) && (rc == 0 || memcmp(&before, &c, sizeof c) != 0))
            abort();
        announced = 0;
        bh_timer_tick(&c);
        uint64_t dl = bh_timer_deadline(&c);
        if (dl != UINT64_MAX && dl <= now_ns)
            abort(); /* the tick took every expiration due by now */
        if (line != ((c.ctrl & BH_TIMER_CTRL_IE) && (c.status & BH_TIMER_EXPIRED)) &&
            (c.status || c.ctrl || line))
            abort();
    }
    struct bh_rd rd = {d + i, n - i, 0, 0};
    char err[200];
    struct bh_clock l;
    memset(&l, 0, sizeof l);
    l.src = c.src;
    if (bh_clock_load(&l, &rd, BH_CLOCK_STATE_VERSION, err, sizeof err) == 0) {
        struct bh_buf b = {0};
        if (bh_clock_save(&l, &b) != 0 || b.len != BH_CLOCK_STATE_SIZE ||
            memcmp(b.data, d + i, b.len) != 0)
            abort();
        bh_buf_free(&b);
    }
    return 0;
}
