/* check_console.c: the console device alone, on the device contract only
 * (no VM, no CPU): its registers through the region callbacks, its two
 * interrupt lines through a recording IRQ, the mirrored save/load of its
 * state and the refusal of unknown versions; and the contract's DMA
 * interface wired to guest memory, whose writes mark pages dirty. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev/console.h"
#include "mem/mem.h"

/* A recording interrupt controller: the last level of each line. */
static int level[2];
static int sets;
static void record(void *opaque, unsigned line, int lv)
{
    ck_assert_ptr_eq(opaque, level);
    ck_assert_uint_lt(line, 2);
    level[line] = lv;
    sets++;
}

static struct bh_console con;
static FILE *in;

static void setup(void)
{
    bh_console_init(&con);
    con.irq_rcv = (struct bh_irq){record, level, 1};
    con.irq_tx = (struct bh_irq){record, level, 0};
    level[0] = level[1] = -1;
    sets = 0;
    static char text[] = "ab\ncd";
    in = fmemopen(text, strlen(text), "r");
    bh_console_attach(&con, in, NULL, NULL);
}

static void teardown(void)
{
    bh_console_free(&con);
    fclose(in);
}

static uint32_t rd(uint32_t off)
{
    uint32_t v = 0xdeadbeef;
    ck_assert_int_eq(bh_console_region.read(&con, off, 4, &v), 0);
    return v;
}

START_TEST(registers_and_interrupt_lines)
{
    ck_assert_uint_eq(bh_console_region.size, BH_CON_MMIO_SIZE);
    /* no interrupt enabled: both lines low after a poll */
    bh_console_poll(&con);
    ck_assert_int_eq(level[1], 0);
    ck_assert_int_eq(level[0], 0);
    ck_assert_uint_eq(rd(BH_CON_RCV_CTRL) & BH_CON_CTRL_READY, BH_CON_CTRL_READY);
    /* receiver interrupts on: its line rises while input is ready */
    ck_assert_int_eq(bh_console_region.write(&con, BH_CON_RCV_CTRL, 4, BH_CON_CTRL_IE), 0);
    ck_assert_int_eq(level[1], 1);
    ck_assert_int_eq(level[0], 0);
    ck_assert_uint_eq(rd(BH_CON_RCV_DATA), 'a');
    ck_assert_uint_eq(rd(BH_CON_RCV_DATA), 'b');
    ck_assert_uint_eq(con.in_consumed, 2);
    /* transmitter interrupts on: ready at once, so its line rises */
    ck_assert_int_eq(bh_console_region.write(&con, BH_CON_TX_CTRL, 4, BH_CON_CTRL_IE), 0);
    ck_assert_int_eq(level[0], 1);
    /* a byte read as a half word and as a byte of the register */
    uint32_t v;
    ck_assert_int_eq(bh_console_region.read(&con, BH_CON_TX_CTRL, 1, &v), 0);
    ck_assert_uint_eq(v, BH_CON_CTRL_READY | BH_CON_CTRL_IE);
    /* outside the registers: a bus error */
    ck_assert_int_eq(bh_console_region.read(&con, 0x10, 4, &v), -1);
    ck_assert_int_eq(bh_console_region.write(&con, 0x10, 4, 0), -1);
}
END_TEST

START_TEST(unwired_lines_do_nothing)
{
    struct bh_console c;
    bh_console_init(&c);
    bh_console_attach(&c, in, NULL, NULL);
    ck_assert_int_eq(bh_console_region.write(&c, BH_CON_RCV_CTRL, 4, BH_CON_CTRL_IE), 0);
    bh_console_poll(&c);
    ck_assert_int_eq(sets, 0);
    bh_console_free(&c);
}
END_TEST

START_TEST(state_round_trip)
{
    char *out = NULL;
    size_t outlen = 0;
    FILE *o = open_memstream(&out, &outlen);
    bh_console_attach(&con, NULL, o, NULL);
    ck_assert(bh_console_want_line(&con, 1));
    bh_console_consume(&con, 1); /* "b\n" and maybe more stay queued */
    bh_console_write(&con, "hello\npart", 10);
    bh_console_region.write(&con, BH_CON_RCV_CTRL, 4, BH_CON_CTRL_IE);
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_console_save(&con, &b), 0);

    struct bh_console c2;
    bh_console_init(&c2);
    c2.in = NULL;
    c2.in_fd = -1;
    struct bh_rd r = {b.data, b.len, 0, 0};
    char err[128];
    ck_assert_int_eq(bh_console_load(&c2, &r, BH_CONSOLE_STATE_VERSION, err, sizeof err), 0);
    ck_assert_uint_eq(r.off, b.len); /* consumed exactly */
    ck_assert_uint_eq(c2.inq_len, con.inq_len);
    ck_assert_int_eq(memcmp(c2.inq, con.inq, con.inq_len), 0);
    ck_assert_uint_eq(c2.in_consumed, 1);
    ck_assert_uint_eq(c2.out_bytes, 10);
    ck_assert_uint_eq(c2.rcv_ctrl & BH_CON_CTRL_IE, BH_CON_CTRL_IE);
    ck_assert_uint_eq(c2.outline_len, 0); /* written out by the saver, not repeated */
    ck_assert_int_eq(c2.out_midline, 1);

    /* an unknown version and a truncated body are refused, c2 unchanged */
    struct bh_rd r2 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_console_load(&c2, &r2, 2, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "version 2"));
    struct bh_rd r3 = {b.data, b.len - 3, 0, 0};
    ck_assert_int_eq(bh_console_load(&c2, &r3, BH_CONSOLE_STATE_VERSION, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));
    ck_assert_uint_eq(c2.in_consumed, 1);
    bh_console_free(&c2);
    bh_buf_free(&b);
    bh_console_attach(&con, NULL, stdout, NULL);
    fclose(o);
    free(out);
}
END_TEST

/* The contract's DMA, wired to guest memory as a machine would. */
static int dma_rd(void *m, uint32_t a, void *dst, uint32_t n)
{
    return bh_mem_read(m, a, dst, n);
}
static int dma_wr(void *m, uint32_t a, const void *src, uint32_t n)
{
    return bh_mem_write(m, a, src, n);
}
static void count_page(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    (*(int *)ctx)++;
}

START_TEST(dma_marks_pages_dirty)
{
    struct bh_mem m;
    char err[128];
    ck_assert_int_eq(bh_mem_init(&m, 64 * BH_PAGE_SIZE, err, sizeof err), 0);
    struct bh_dma dma = {dma_rd, dma_wr, &m};
    ck_assert_int_eq(bh_dma_write(&dma, 0x10010ffe, "dma!", 4), 0); /* across two pages */
    int n = 0;
    bh_mem_dirty_harvest(&m, count_page, &n);
    ck_assert_int_eq(n, 2);
    n = 0;
    bh_mem_dirty_harvest(&m, count_page, &n);
    ck_assert_int_eq(n, 0); /* harvested: clean */
    ck_assert_int_eq(bh_dma_write(&dma, 0x10011800, "x", 1), 0);
    bh_mem_dirty_harvest(&m, count_page, &n);
    ck_assert_int_eq(n, 1); /* the device's write is seen by migration */
    char back[4];
    ck_assert_int_eq(bh_dma_read(&dma, 0x10010ffe, back, 4), 0);
    ck_assert_int_eq(memcmp(back, "dma!", 4), 0);
    ck_assert_int_eq(bh_dma_write(&dma, 0xffff0000, "x", 1), -1); /* not RAM */
    bh_mem_free(&m);
}
END_TEST

/* A blocking read gives its thread back when intr_fd is readable (the
 * host's stop signal) and takes nothing; input then still arrives. */
START_TEST(blocking_read_interrupted)
{
    struct bh_console c;
    int in[2], intr[2];
    ck_assert_int_eq(pipe(in), 0);
    ck_assert_int_eq(pipe(intr), 0);
    bh_console_init(&c);
    FILE *f = fdopen(in[0], "r");
    bh_console_attach(&c, f, NULL, NULL);
    c.intr_fd = intr[0];
    ck_assert_int_eq(write(intr[1], "", 1), 1);
    ck_assert_int_eq(bh_console_want_line(&c, 1), 0); /* no input: would block for ever */
    ck_assert_int_eq(c.in_eof, 0);
    ck_assert_int_eq(write(in[1], "7\n", 2), 2);
    c.intr_fd = -1;
    ck_assert_int_eq(bh_console_want_line(&c, 1), 1);
    ck_assert_uint_eq(c.inq_len, 2);
    bh_console_free(&c);
    fclose(f);
    close(in[1]);
    close(intr[0]);
    close(intr[1]);
}
END_TEST

/* Each complete line reaches the host stream at once, not when stdio's
 * buffer fills. */
START_TEST(line_reaches_stream)
{
    struct bh_console c;
    int out[2];
    ck_assert_int_eq(pipe(out), 0);
    FILE *f = fdopen(out[1], "w");
    bh_console_init(&c);
    bh_console_attach(&c, NULL, f, NULL);
    bh_console_write(&c, "one\ntw", 6);
    char got[16] = "";
    ck_assert_int_eq(read(out[0], got, sizeof got), 4);
    ck_assert_int_eq(memcmp(got, "one\n", 4), 0);
    bh_console_free(&c);
    fclose(f);
    close(out[0]);
}
END_TEST

/* Two VMs share one stream: a long unfinished line goes out in pieces,
 * and another VM's line that comes between starts on a line of its own;
 * the first VM's continuation names it again. */
START_TEST(shared_stream_keeps_lines_whole)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    struct bh_console a, b;
    bh_console_init(&a);
    bh_console_init(&b);
    bh_console_attach(&a, NULL, f, "a | ");
    bh_console_attach(&b, NULL, f, "b | ");
    static char zeros[BH_CON_LINE_MAX + 100];
    memset(zeros, '0', sizeof zeros);
    bh_console_write(&a, zeros, sizeof zeros); /* one piece out, 100 bytes held */
    bh_console_write(&b, "x\n", 2);
    bh_console_write(&a, "y\n", 2);
    bh_console_write(&b, "z", 1);
    bh_console_close_output(&b); /* ends b's unfinished line */
    bh_console_close_output(&a);
    ck_assert_int_eq(a.out_error, 0);
    ck_assert_int_eq(b.out_error, 0);
    rewind(f);
    char line[2 * BH_CON_LINE_MAX];
    const char *want_start[] = {"a | 0", "b | x\n", "a | 0", "b | z\n"};
    const size_t want_len[] = {4 + BH_CON_LINE_MAX + 1, 6, 4 + 100 + 2, 6};
    for (int i = 0; i < 4; i++) {
        ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
        ck_assert_uint_eq(strlen(line), want_len[i]);
        ck_assert_int_eq(strncmp(line, want_start[i], strlen(want_start[i])), 0);
    }
    ck_assert_ptr_null(fgets(line, sizeof line, f));
    bh_console_free(&a);
    bh_console_free(&b);
    fclose(f);
}
END_TEST

Suite *console_suite(void)
{
    Suite *s = suite_create("console");
    TCase *t = tcase_create("device");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, registers_and_interrupt_lines);
    tcase_add_test(t, unwired_lines_do_nothing);
    tcase_add_test(t, state_round_trip);
    suite_add_tcase(s, t);
    TCase *h = tcase_create("host");
    tcase_add_test(h, blocking_read_interrupted);
    tcase_add_test(h, line_reaches_stream);
    tcase_add_test(h, shared_stream_keeps_lines_whole);
    suite_add_tcase(s, h);
    TCase *d = tcase_create("dma");
    tcase_add_test(d, dma_marks_pages_dirty);
    suite_add_tcase(s, d);
    return s;
}
