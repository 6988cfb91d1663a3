/* check_snapshot.c: the snapshot serializer and file container
 * (vm/snapshot.c, vm/snapfile.c).  A VM is built from a small hand-encoded
 * image, changed in every part a snapshot carries, saved, restored into a
 * fresh VM and compared field by field; then snapshot files are damaged in
 * every way the reader must catch, each time checking the message. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"
#include "snapshot.h"
#include "machine/vm_internal.h"
#include "core/cpu_priv.h"
#include "state/snap_priv.h"

/* On-disk constants from docs/snapshot-format.md (the test's own copy). */
enum { HDR = 48, SECH = 24, CPU_LEN = 292 };

static const char strtab[] = "\0t.s\0snap.bin";

static uint32_t enc(enum isa_op op, uint32_t rs, uint32_t rt, uint32_t rd, uint32_t imm)
{
    struct isa_fields f = {rs, rt, rd, 0, imm};
    return isa_encode(op, &f);
}

/* Text: 6 words from 4 statements (statement 1 is a two-word pseudo-op). */
static void build(struct bh_image *img, uint32_t variant)
{
    memset(img, 0, sizeof *img);
    uint32_t text[] = {
        enc(ISA_ADDIU, 0, 8, 0, 1),       /* stmt 0: addiu $t0, $0, 1 */
        enc(ISA_LUI, 0, 1, 0, 0x1001),    /* stmt 1: la $t1, data (lui) */
        enc(ISA_ORI, 1, 9, 0, 0),         /*         (ori) */
        enc(ISA_ADDIU, 8, 8, 0, variant), /* stmt 2 */
        enc(ISA_ADDIU, 0, 2, 0, 10),      /* stmt 3: li $v0, 10 */
        enc(ISA_SYSCALL, 0, 0, 0, 0),     /* stmt 4 */
    };
    img->entry = BH_TEXT_BASE;
    img->seg[BH_SEG_TEXT].addr = BH_TEXT_BASE;
    img->seg[BH_SEG_TEXT].size = sizeof text;
    img->seg[BH_SEG_TEXT].bytes = malloc(sizeof text);
    for (size_t i = 0; i < sizeof text / 4; i++)
        bh_put32(img->seg[BH_SEG_TEXT].bytes + 4 * i, text[i]);
    img->seg[BH_SEG_DATA].addr = BH_DATA_BASE;
    img->seg[BH_SEG_DATA].size = 8;
    img->seg[BH_SEG_DATA].bytes = malloc(8);
    memcpy(img->seg[BH_SEG_DATA].bytes, "initial", 8);
    img->nlines = 6;
    img->lines = calloc(6, sizeof *img->lines);
    uint32_t line_of[] = {1, 2, 2, 4, 5, 6};
    for (uint32_t i = 0; i < 6; i++)
        img->lines[i] =
            (struct bh_line){BH_TEXT_BASE + 4 * i, line_of[i], 1, i == 2 ? 0 : BH_LINE_STMT};
    img->strings_size = sizeof strtab;
    img->strings = malloc(sizeof strtab);
    memcpy(img->strings, strtab, sizeof strtab);
    img->source = 1;
}

static struct bh_vm *make_vm(const struct bh_image *img, uint64_t limit)
{
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "vmtest";
    if (limit)
        o.mem_limit = limit;
    struct bh_vm *vm = NULL;
    char err[256] = "";
    ck_assert_msg(bh_vm_create(img, &o, &vm, err, sizeof err) == 0, "create: %s", err);
    return vm;
}

/* Change every part of the machine a snapshot must carry. */
static void mutate(struct bh_vm *vm)
{
    for (unsigned r = 1; r < 32; r++)
        bh_vm_set_reg(vm, r, (int32_t)(r * 0x01010101u + 7));
    bh_vm_set_hilo(vm, -5, 123456);
    vm->core->cpu.pc = BH_TEXT_BASE + 12;
    vm->core->cpu.llbit = 1;
    vm->core->icount = 987654321;
    vm->core->count_base = 1000;
    vm->core->timer_armed = 1;
    vm->core->cpu.c0[BH_C0_STATUS] = 0xff01;
    vm->core->cpu.c0[BH_C0_EPC] = 0x00400008;
    vm->core->cpu.c0[BH_C0_COMPARE] = 4242;
    vm->core->cpu.c0[BH_C0_CAUSE] = 0x8000 | BH_CAUSE_EXC(12);
    static const char msg[] = "changed";
    ck_assert_int_eq(bh_vm_write(vm, BH_DATA_BASE, msg, sizeof msg), 0);
    uint8_t big[3 * BH_PAGE_SIZE];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 1);
    ck_assert_int_eq(bh_vm_write(vm, 0x10040000, big, sizeof big), 0);
    ck_assert_int_eq(bh_vm_write(vm, 0x7fff0000, "stack", 6), 0);
    ck_assert_int_eq(bh_vm_write(vm, 0x90000010, "kdata", 6), 0);
    uint8_t zero[16] = {0};
    ck_assert_int_eq(bh_vm_write(vm, 0x10080000, zero, sizeof zero), 0); /* touched, zero */
    bh_vm_set_brk(vm, 0x10090000);
    struct bh_console *d = &vm->con;
    struct bh_pv *pv = &vm->pv;
    free(d->inq);
    d->inq = (uint8_t *)strdup("queued input\n");
    d->inq_len = 13;
    d->inq_cap = 14;
    d->in_consumed = 77;
    d->in_eof = 1;
    d->out_bytes = 4096;
    d->rcv_ctrl = 2;
    d->tx_ctrl = 3;
    d->tx_data = 'x';
    pv->sleep_ms = 1500;
    pv->seed = 99;
    pv->nrng = 2;
    pv->rng[0] = (struct bh_pv_rng){0, 0x123456789abull};
    pv->rng[1] = (struct bh_pv_rng){7, 0xfedcbull};
    vm->stats.nexits[1] = 12;
}

static void assert_same(struct bh_vm *a, struct bh_vm *b)
{
    for (unsigned r = 0; r < 32; r++)
        ck_assert_int_eq(a->core->cpu.r[r], b->core->cpu.r[r]);
    ck_assert_int_eq(a->core->cpu.hi, b->core->cpu.hi);
    ck_assert_int_eq(a->core->cpu.lo, b->core->cpu.lo);
    ck_assert_uint_eq(a->core->cpu.pc, b->core->cpu.pc);
    ck_assert_int_eq(a->core->cpu.llbit, b->core->cpu.llbit);
    ck_assert_uint_eq(a->core->icount, b->core->icount);
    ck_assert_uint_eq(a->core->count_base, b->core->count_base);
    ck_assert_int_eq(a->core->timer_armed, b->core->timer_armed);
    ck_assert_int_eq(memcmp(a->core->cpu.c0, b->core->cpu.c0, sizeof a->core->cpu.c0), 0);
    ck_assert_uint_eq(a->brk, b->brk);
    ck_assert_uint_eq(bh_mem_pages_in_use(a->mem), bh_mem_pages_in_use(b->mem));
    uint8_t x[3 * BH_PAGE_SIZE], y[3 * BH_PAGE_SIZE];
    static const uint32_t at[] = {0x10010000, 0x10040000, 0x7fff0000, 0x90000000, 0x10080000};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        ck_assert_int_eq(bh_vm_read(a, at[i], x, sizeof x), 0);
        ck_assert_int_eq(bh_vm_read(b, at[i], y, sizeof y), 0);
        ck_assert_msg(memcmp(x, y, sizeof x) == 0, "memory differs at 0x%08x", at[i]);
    }
    struct bh_console *d = &a->con, *e = &b->con;
    struct bh_pv *dp = &a->pv, *ep = &b->pv;
    ck_assert_uint_eq(d->inq_len, e->inq_len);
    ck_assert_int_eq(memcmp(d->inq, e->inq, d->inq_len), 0);
    ck_assert_uint_eq(d->in_consumed, e->in_consumed);
    ck_assert_int_eq(d->in_eof, e->in_eof);
    ck_assert_uint_eq(d->out_bytes, e->out_bytes);
    /* the ready bit is derived (the queue is not empty): saved as the queue says */
    ck_assert_uint_eq(d->rcv_ctrl & ~BH_CON_CTRL_READY, e->rcv_ctrl & ~BH_CON_CTRL_READY);
    ck_assert_uint_eq(e->rcv_ctrl & BH_CON_CTRL_READY, e->inq_len ? BH_CON_CTRL_READY : 0);
    ck_assert_uint_eq(d->tx_data, e->tx_data);
    ck_assert_uint_eq(dp->sleep_ms, ep->sleep_ms);
    ck_assert_uint_eq(dp->seed, ep->seed);
    ck_assert_uint_eq(dp->nrng, ep->nrng);
    ck_assert_int_eq(memcmp(dp->rng, ep->rng, sizeof dp->rng), 0);
    ck_assert_uint_eq(a->stats.nexits[1], b->stats.nexits[1]);
    ck_assert_uint_eq(bh_snapshot_state_hash(a), bh_snapshot_state_hash(b));
}

/* Serialize vm; buf is malloc'ed. */
static void snap_of(struct bh_vm *vm, int compress, int embed, uint8_t **buf, size_t *len)
{
    struct bh_snap_opts o = {.compress = compress, .embed_image = embed};
    struct bh_buf b = {0};
    char err[256] = "";
    ck_assert_msg(bh_snapshot_serialize(vm, &o, &b, err, sizeof err) == 0, "%s", err);
    *buf = b.data;
    *len = b.len;
}

static void roundtrip(int compress, int embed)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0);
    mutate(a);
    uint8_t *buf;
    size_t len;
    snap_of(a, compress, embed, &buf, &len);
    struct bh_snapshot s = {0};
    char err[256] = "";
    ck_assert_msg(bh_snapshot_parse_buf(buf, len, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(s.f.version, 2);
    ck_assert_uint_eq(!!(s.f.flags & BH_SNAP_F_ZSTD), !!compress);
    ck_assert_msg(bh_snapshot_restore(b, &s, err, sizeof err) == 0, "%s", err);
    assert_same(a, b);
    if (embed) {
        struct bh_image img2;
        ck_assert_msg(bh_snapshot_image(&s, &img2, err, sizeof err) == 0, "%s", err);
        ck_assert_uint_eq(bh_image_hash(&img2), bh_image_hash(&img));
        bh_image_free(&img2);
    } else {
        struct bh_image img2;
        ck_assert_int_eq(bh_snapshot_image(&s, &img2, err, sizeof err), -1);
        ck_assert_ptr_nonnull(strstr(err, "does not embed"));
    }
    free(buf);
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    bh_image_free(&img);
}

START_TEST(roundtrip_raw)
{
    roundtrip(0, 0);
}
END_TEST
START_TEST(roundtrip_embed)
{
    roundtrip(0, 1);
}
END_TEST
START_TEST(roundtrip_zstd)
{
    if (!bh_snapshot_have_zstd())
        return; /* the refusal is tested below */
    roundtrip(1, 1);
}
END_TEST

START_TEST(zstd_refused_or_smaller)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0);
    uint8_t page[BH_PAGE_SIZE];
    memset(page, 'a', sizeof page);
    for (uint32_t i = 0; i < 32; i++)
        ck_assert_int_eq(bh_vm_write(a, 0x10100000 + i * BH_PAGE_SIZE, page, sizeof page), 0);
    struct bh_snap_opts o = {.compress = 1, .embed_image = 0};
    struct bh_buf b = {0};
    char err[256] = "";
    int rc = bh_snapshot_serialize(a, &o, &b, err, sizeof err);
    if (bh_snapshot_have_zstd()) {
        ck_assert_msg(rc == 0, "%s", err);
        uint8_t *raw;
        size_t rawlen;
        snap_of(a, 0, 0, &raw, &rawlen);
        ck_assert_msg(b.len * 10 < rawlen, "zstd %zu vs raw %zu", b.len, rawlen);
        free(raw);
    } else {
        ck_assert_int_eq(rc, -1);
        ck_assert_ptr_nonnull(strstr(err, "zstd"));
    }
    bh_buf_free(&b);
    bh_vm_destroy(a);
    bh_image_free(&img);
}
END_TEST

/* Sparse: a touched zero page costs an 8-byte entry, not 4 KiB. */
START_TEST(sparse_pages)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0);
    uint8_t *buf0, *buf1;
    size_t len0, len1;
    snap_of(a, 0, 0, &buf0, &len0);
    uint8_t zero[BH_PAGE_SIZE] = {0};
    for (uint32_t i = 0; i < 100; i++)
        ck_assert_int_eq(bh_vm_write(a, 0x10200000 + i * BH_PAGE_SIZE, zero, sizeof zero), 0);
    snap_of(a, 0, 0, &buf1, &len1);
    /* 8 bytes an entry; the data's alignment padding may shift by 800 */
    /* MEM body: +8 page count, +16 page data length */
    struct bh_snapfile f0, f1;
    ck_assert_int_eq(bh_snapfile_parse(buf0, len0, &f0, NULL, 0), 0);
    ck_assert_int_eq(bh_snapfile_parse(buf1, len1, &f1, NULL, 0), 0);
    const uint8_t *m0 = f0.sec[BH_SNAP_SEC_MEM].data, *m1 = f1.sec[BH_SNAP_SEC_MEM].data;
    ck_assert_uint_eq(bh_get32(m1 + 8), bh_get32(m0 + 8) + 100);
    ck_assert_uint_eq(bh_get64(m1 + 16), bh_get64(m0 + 16));
    ck_assert_msg(len1 <= len0 + BH_PAGE_SIZE, "100 zero pages cost %zu bytes", len1 - len0);
    free(buf0);
    free(buf1);
    bh_vm_destroy(a);
    bh_image_free(&img);
}
END_TEST

/* Enough pages for the restore's bulk paths (prefaulting the heap). */
START_TEST(many_pages)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0);
    uint8_t page[BH_PAGE_SIZE];
    for (uint32_t i = 0; i < 600; i++) {
        memset(page, (int)(i * 7 + 1), sizeof page);
        bh_put32(page, i);
        ck_assert_int_eq(bh_vm_write(a, 0x10400000 + i * BH_PAGE_SIZE, page, sizeof page), 0);
    }
    uint8_t *buf;
    size_t len;
    snap_of(a, 0, 0, &buf, &len);
    struct bh_snapshot s = {0};
    char err[256] = "";
    ck_assert_msg(bh_snapshot_parse_buf(buf, len, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(bh_snapshot_restore(b, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(bh_snapshot_state_hash(a), bh_snapshot_state_hash(b));
    ck_assert_int_eq(bh_vm_read(b, 0x10400000 + 599 * BH_PAGE_SIZE, page, sizeof page), 0);
    ck_assert_uint_eq(bh_get32(page), 599);
    ck_assert_uint_eq(page[100], (uint8_t)(599 * 7 + 1));
    free(buf);
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    bh_image_free(&img);
}
END_TEST

/* The container and the bodies, as --snapshot-info and a restore check
 * them (a flipped section type can name another valid section: the
 * bodies' checks refuse it). */
static int parse_fails(const uint8_t *buf, size_t len, const char *want)
{
    struct bh_snapshot s = {0};
    char err[256] = "";
    if (bh_snapshot_parse_buf(buf, len, &s, err, sizeof err) == 0)
        return 0;
    ck_assert_msg(!want || strstr(err, want), "message '%s' lacks '%s'", err, want);
    return 1;
}

/* A small snapshot for damage tests (no image, few pages). */
static void small_snap(uint8_t **buf, size_t *len)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0);
    bh_vm_set_reg(a, 5, 5);
    snap_of(a, 0, 0, buf, len);
    bh_vm_destroy(a);
    bh_image_free(&img);
}

START_TEST(truncated_everywhere)
{
    uint8_t *buf;
    size_t len;
    small_snap(&buf, &len);
    ck_assert(!parse_fails(buf, len, NULL));
    for (size_t n = 0; n < len; n++)
        ck_assert_msg(parse_fails(buf, n, NULL), "truncated to %zu bytes accepted", n);
    ck_assert(parse_fails(buf, HDR + 10, "truncated"));
    ck_assert(parse_fails(buf, 20, "the header needs 48 bytes, the file has 20"));
    free(buf);
}
END_TEST

START_TEST(every_bit_flip)
{
    uint8_t *buf;
    size_t len;
    small_snap(&buf, &len);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            /* every bit of the headers and metadata; a rotating bit of page data */
            if (i > 4096 && bit != (int)(i % 8))
                continue;
            buf[i] ^= (uint8_t)(1u << bit);
            ck_assert_msg(parse_fails(buf, len, NULL), "flip of byte %zu bit %d accepted", i, bit);
            buf[i] ^= (uint8_t)(1u << bit);
        }
    }
    free(buf);
}
END_TEST

static void rehash_header(uint8_t *buf)
{
    bh_put32(buf + 40, bh_crc32c(0, buf, 40));
}

START_TEST(header_errors)
{
    uint8_t *buf;
    size_t len;
    small_snap(&buf, &len);
    buf[1] = 'X';
    ck_assert(parse_fails(buf, len, "bad magic"));
    buf[1] = 'B';
    bh_put16(buf + 4, 3);
    rehash_header(buf);
    ck_assert(parse_fails(buf, len, "version 3 is newer"));
    ck_assert(parse_fails(buf, len, "(version 2)"));
    bh_put16(buf + 4, 2);
    bh_put32(buf + 8, 0x80);
    rehash_header(buf);
    ck_assert(parse_fails(buf, len, "unknown header flags"));
    bh_put32(buf + 8, 0);
    bh_put32(buf + 8, 2); /* announces an image that is not there */
    rehash_header(buf);
    ck_assert(parse_fails(buf, len, "IMAGE section is missing"));
    bh_put32(buf + 8, 0);
    rehash_header(buf);
    ck_assert(!parse_fails(buf, len, NULL));
    buf[3] ^= 0; /* header checksum itself */
    buf[41] ^= 1;
    ck_assert(parse_fails(buf, len, "header checksum"));
    free(buf);
}
END_TEST

/* Build a file from explicit sections (to repeat, drop or invent them). */
static void file_of(struct bh_buf *b, const uint32_t *types, const struct bh_snapfile *src, int n)
{
    bh_snapfile_begin(b, 0);
    for (int i = 0; i < n; i++) {
        size_t s = bh_snapfile_sec_begin(b, types[i]);
        const struct bh_snap_section *sec = &src->sec[types[i] < BH_SNAP_SEC_MAX ? types[i] : 1];
        bh_buf_append(b, sec->data, (size_t)sec->len);
        bh_snapfile_sec_end(b, s);
    }
    ck_assert_int_eq(bh_snapfile_finish(b, NULL, 0), 0);
}

START_TEST(section_errors)
{
    uint8_t *buf;
    size_t len;
    small_snap(&buf, &len);
    struct bh_snapfile f;
    char err[256];
    ck_assert_int_eq(bh_snapfile_parse(buf, len, &f, err, sizeof err), 0);
    struct bh_buf b = {0};
    uint32_t ok[] = {1, 2, 3, 6, 7};
    file_of(&b, ok, &f, 5);
    ck_assert(!parse_fails(b.data, b.len, NULL));
    bh_buf_free(&b);
    uint32_t rep[] = {1, 2, 2, 3, 6, 7};
    file_of(&b, rep, &f, 6);
    ck_assert(parse_fails(b.data, b.len, "section CPU at byte"));
    ck_assert(parse_fails(b.data, b.len, "repeated"));
    bh_buf_free(&b);
    uint32_t miss[] = {1, 2, 3, 7};
    file_of(&b, miss, &f, 4);
    ck_assert(parse_fails(b.data, b.len, "section CONSOLE is missing"));
    bh_buf_free(&b);
    uint32_t miss2[] = {1, 2, 3, 6};
    file_of(&b, miss2, &f, 4);
    ck_assert(parse_fails(b.data, b.len, "section MACHINE is missing"));
    bh_buf_free(&b);
    uint32_t both[] = {1, 2, 3, 4, 6, 7}; /* the old DEV beside the new sections */
    file_of(&b, both, &f, 6);
    ck_assert(parse_fails(b.data, b.len, "section DEV and section CONSOLE are both there"));
    bh_buf_free(&b);
    uint32_t unk[] = {1, 2, 3, 6, 7, 13};
    file_of(&b, unk, &f, 6);
    ck_assert(parse_fails(b.data, b.len, "unknown section type 13"));
    bh_buf_free(&b);
    /* a length pointing past the end (file size still consistent) */
    file_of(&b, ok, &f, 5);
    bh_put64(b.data + HDR + 8, 1ull << 40);
    ck_assert(parse_fails(b.data, b.len, "points past the end"));
    bh_buf_free(&b);
    /* a section checksum */
    file_of(&b, ok, &f, 5);
    b.data[HDR + SECH] ^= 0x40;
    ck_assert(parse_fails(b.data, b.len, "section IDENT: checksum mismatch"));
    bh_buf_free(&b);
    free(buf);
}
END_TEST

/* A MEM body of one page entry with datalen bytes of (raw) data. */
static void mem_body(struct bh_buf *b, uint32_t addr, uint32_t flags, uint64_t datalen)
{
    bh_buf_put32(b, 0x10020000);
    bh_buf_put32(b, BH_PAGE_SIZE);
    bh_buf_put32(b, 1);
    bh_buf_put32(b, 0);
    bh_buf_put64(b, datalen);
    bh_buf_put32(b, 0); /* padding */
    bh_buf_put32(b, 0); /* reserved */
    bh_buf_put32(b, addr);
    bh_buf_put32(b, flags);
    for (uint64_t i = 0; i < datalen; i++)
        bh_buf_put8(b, 1);
}

/* MEM bodies with bad pages, restored into a VM: each refused. */
static void mem_refused(struct bh_vm *vm, uint32_t addr, uint32_t flags, uint64_t datalen,
                        const char *want)
{
    struct bh_buf b = {0};
    mem_body(&b, addr, flags, datalen);
    char err[256] = "";
    ck_assert_int_eq(bh_snap_get_mem(vm, b.data, b.len, err, sizeof err), -1);
    ck_assert_msg(strstr(err, want), "'%s' lacks '%s'", err, want);
    bh_buf_free(&b);
}

START_TEST(bad_pages)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *vm = make_vm(&img, 0);
    mem_refused(vm, 0x10010010, 2, BH_PAGE_SIZE, "not page-aligned");
    mem_refused(vm, 0x00400000, 2, BH_PAGE_SIZE, "outside guest RAM");
    mem_refused(vm, 0xffff0000, 2, BH_PAGE_SIZE, "outside guest RAM");
    mem_refused(vm, 0x80000000, 2, BH_PAGE_SIZE, "outside guest RAM");
    mem_refused(vm, 0x10010000, 0x40, BH_PAGE_SIZE, "bad flags");
    mem_refused(vm, 0x10010000, 2, 100, "100 bytes of page data");
    mem_refused(vm, 0x10010000, 2 | 0x100, BH_PAGE_SIZE, "0 pages");
    /* text pages (MEM version 2) */
    mem_refused(vm, 0x10010000, 8, BH_PAGE_SIZE, "text page 0x10010000 is outside");
    mem_refused(vm, 0x00400000, 2 | 8, BH_PAGE_SIZE, "bad flags");
    mem_refused(vm, 0x00500000, 8, BH_PAGE_SIZE,
                "page 0x00500000 is text, but the program has no text there");
    /* a version-1 body had no text pages */
    struct bh_buf b = {0};
    struct bh_snap_mem_view m;
    char err[256] = "";
    mem_body(&b, 0x00400000, 8, BH_PAGE_SIZE);
    ck_assert_int_eq(bh_snap_mem_parse(b.data, b.len, 1, &m, 0, UINT64_MAX, BH_MACHINE_SPIM, err,
                                       sizeof err),
                     -1);
    ck_assert_msg(strstr(err, "page 0x00400000 has bad flags 0x8"), "%s", err);
    ck_assert_int_eq(bh_snap_mem_parse(b.data, b.len, 2, &m, 0, UINT64_MAX, BH_MACHINE_SPIM, err,
                                       sizeof err),
                     0);
    ck_assert_uint_eq(m.ncode, 1);
    bh_buf_free(&b);
    /* the memory map is unchanged by the refusals */
    char x[8];
    ck_assert_int_eq(bh_vm_read(vm, BH_DATA_BASE, x, 8), 0);
    ck_assert_str_eq(x, "initial");
    bh_vm_destroy(vm);
    bh_image_free(&img);
}
END_TEST

/* Stores into text (docs/myvmm.md): stmt 2 (addiu $t0, $t0, 3) becomes
 * addiu $t0, $t0, 100 through the store slow path, as a guest sw does. */
static const uint32_t patch_at = BH_TEXT_BASE + 12;
static void patch_text(struct bh_vm *vm)
{
    ck_assert_int_eq(bh_mem_store_slow(vm->mem, patch_at, 4, enc(ISA_ADDIU, 8, 8, 0, 100)), 0);
    ck_assert_int_eq(vm->mem->code_stored, 1);
}

/* Run vm from the entry to its exit syscall: $t0 says which word ran. */
static int32_t t0_after_run(struct bh_vm *vm)
{
    struct bh_exit ex;
    bh_vm_set_pc(vm, BH_TEXT_BASE);
    bh_vm_run(vm, 100, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    return bh_vm_reg(vm, 8);
}

START_TEST(stored_text_restored)
{
    struct bh_image img;
    build(&img, 3);
    for (int compress = 0; compress < 2; compress++) {
        struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0);
        patch_text(a);
        ck_assert_uint_eq(bh_mem_page_flags(a->mem, patch_at) & (BH_PAGE_CODE | BH_PAGE_PATCHED),
                          BH_PAGE_CODE | BH_PAGE_PATCHED);
        uint8_t *buf;
        size_t len;
#ifndef BH_HAVE_ZSTD
        if (compress) {
            bh_vm_destroy(a);
            bh_vm_destroy(b);
            break;
        }
#endif
        snap_of(a, compress, 0, &buf, &len);
        struct bh_snapshot s = {0};
        char err[256] = "";
        ck_assert_msg(bh_snapshot_parse_buf(buf, len, &s, err, sizeof err) == 0, "%s", err);
        ck_assert_uint_eq(s.f.sec[BH_SNAP_SEC_MEM].version, 2);
        ck_assert_msg(bh_snapshot_restore(b, &s, err, sizeof err) == 0, "%s", err);
        /* the word is back, as text (stores still go through the slow path,
         * and a later snapshot carries it again), decoded again */
        uint8_t w[4];
        ck_assert_int_eq(bh_vm_read(b, patch_at, w, 4), 0);
        ck_assert_uint_eq(bh_get32(w), enc(ISA_ADDIU, 8, 8, 0, 100));
        ck_assert_uint_eq(bh_mem_page_flags(b->mem, patch_at) &
                              (BH_PAGE_CODE | BH_PAGE_PATCHED | BH_PAGE_WRITABLE),
                          BH_PAGE_CODE | BH_PAGE_PATCHED);
        ck_assert_uint_eq(bh_get32(b->core->text.words + 12), enc(ISA_ADDIU, 8, 8, 0, 100));
        ck_assert_uint_eq(bh_snapshot_state_hash(a), bh_snapshot_state_hash(b));
        ck_assert_int_eq(t0_after_run(b), 1 + 100);
        free(buf);
        bh_vm_destroy(a);
        bh_vm_destroy(b);
    }
    /* a VM that never stored into text: no text page in its snapshot */
    struct bh_vm *c = make_vm(&img, 0);
    uint8_t *buf;
    size_t len;
    snap_of(c, 0, 0, &buf, &len);
    struct bh_snapshot s = {0};
    char err[256] = "";
    ck_assert_int_eq(bh_snapshot_parse_buf(buf, len, &s, err, sizeof err), 0);
    struct bh_snap_mem_view m;
    ck_assert_int_eq(bh_snap_mem_parse(s.f.sec[BH_SNAP_SEC_MEM].data, s.f.sec[BH_SNAP_SEC_MEM].len,
                                       2, &m, 0, UINT64_MAX, BH_MACHINE_SPIM, err, sizeof err),
                     0);
    ck_assert_uint_eq(m.ncode, 0);
    ck_assert_int_eq(t0_after_run(c), 1 + 3);
    free(buf);
    bh_vm_destroy(c);
    bh_image_free(&img);
}
END_TEST

/* Migration: the harvest reports a text page a store went into, and the
 * MEM message of those pages patches the destination's text. */
static void add_addr(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    struct bh_buf *b = ctx;
    (void)data;
    if (bh_page_carried(flags))
        bh_buf_put32(b, addr);
}

START_TEST(stored_text_migrated)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0);
    bh_mem_dirty_harvest(a->mem, NULL, NULL); /* the first round's */
    patch_text(a);
    struct bh_buf list = {0};
    bh_mem_dirty_harvest(a->mem, add_addr, &list);
    ck_assert_uint_eq(list.len, 4);
    uint32_t page = bh_get32(list.data);
    ck_assert_uint_eq(page, BH_TEXT_BASE);
    struct bh_buf msg = {0};
    char err[256] = "";
    ck_assert_msg(bh_snap_put_mem_pages(&msg, a, &page, 1, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(bh_snap_get_mem_pages(b, msg.data, msg.len, err, sizeof err), 1);
    ck_assert_int_eq(t0_after_run(b), 1 + 100);
    /* once harvested, the page stays carried (PATCHED) though no longer dirty */
    bh_buf_free(&list);
    bh_mem_dirty_harvest(a->mem, add_addr, &list);
    ck_assert_uint_eq(list.len, 0);
    ck_assert(bh_page_carried(bh_mem_page_flags(a->mem, patch_at)));
    bh_buf_free(&list);
    bh_buf_free(&msg);
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    bh_image_free(&img);
}
END_TEST

START_TEST(limit_and_program_checked)
{
    struct bh_image img, other;
    build(&img, 3);
    build(&other, 4);
    struct bh_vm *a = make_vm(&img, 0);
    uint8_t page[BH_PAGE_SIZE];
    memset(page, 1, sizeof page);
    for (uint32_t i = 0; i < 40; i++)
        ck_assert_int_eq(bh_vm_write(a, 0x10100000 + i * BH_PAGE_SIZE, page, sizeof page), 0);
    uint8_t *buf;
    size_t len;
    snap_of(a, 0, 0, &buf, &len);
    struct bh_snapshot s = {0};
    char err[256] = "";
    ck_assert_int_eq(bh_snapshot_parse_buf(buf, len, &s, err, sizeof err), 0);
    struct bh_vm *small = make_vm(&img, 16 * BH_PAGE_SIZE);
    ck_assert_int_eq(bh_snapshot_restore(small, &s, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "limit"), "%s", err);
    struct bh_vm *wrong = make_vm(&other, 0);
    ck_assert_int_eq(bh_snapshot_restore(wrong, &s, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "image hash mismatch"), "%s", err);
    ck_assert_msg(strstr(err, "t.s"), "%s", err);
    free(buf);
    bh_vm_destroy(a);
    bh_vm_destroy(small);
    bh_vm_destroy(wrong);
    bh_image_free(&img);
    bh_image_free(&other);
}
END_TEST

static void v0_file(uint8_t *buf, uint32_t pc_index)
{
    for (int i = 0; i < 32; i++)
        bh_put32(buf + 4 * i, i ? (uint32_t)(i * 100 - 1600) : 0);
    bh_put32(buf + 128, pc_index);
}

START_TEST(version0)
{
    struct bh_image img;
    build(&img, 3);
    uint8_t buf[132];
    char err[256] = "";
    /* statement index -> address: the two-word pseudo-op counts once */
    static const uint32_t want[] = {0, 4, 12, 16, 20, 24};
    for (uint32_t n = 0; n < 6; n++) {
        uint32_t pc;
        ck_assert_int_eq(bh_snapshot_v0_pc(&img, n, &pc, err, sizeof err), 0);
        ck_assert_uint_eq(pc, BH_TEXT_BASE + want[n]);
    }
    ck_assert_int_eq(bh_snapshot_v0_pc(&img, 6, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "past the program's 5"));

    v0_file(buf, 2);
    struct bh_snapshot s = {0};
    ck_assert_msg(bh_snapshot_parse_buf(buf, sizeof buf, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(s.f.version, 0);
    struct bh_vm *vm = make_vm(&img, 0);
    ck_assert_msg(bh_snapshot_restore(vm, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(bh_vm_pc(vm), BH_TEXT_BASE + 12);
    for (unsigned r = 1; r < 32; r++)
        ck_assert_int_eq(bh_vm_reg(vm, r), (int32_t)(r * 100 - 1600));
    struct bh_buf d = {0};
    ck_assert_int_eq(bh_snapshot_describe(&s, &img, &d, err, sizeof err), 0);
    bh_buf_put8(&d, 0);
    ck_assert_ptr_nonnull(strstr((char *)d.data, "format version: 0"));
    ck_assert_ptr_nonnull(strstr((char *)d.data, "t.s:4"));
    bh_buf_free(&d);
    bh_vm_destroy(vm);

    v0_file(buf, 9);
    vm = make_vm(&img, 0);
    ck_assert_int_eq(bh_snapshot_parse_buf(buf, sizeof buf, &s, err, sizeof err), 0);
    ck_assert_int_eq(bh_snapshot_restore(vm, &s, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "PC index 9"));
    bh_vm_destroy(vm);

    bh_put32(buf, 1);
    ck_assert_int_eq(bh_snapshot_parse_buf(buf, sizeof buf, &s, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "register $0"));
    ck_assert(parse_fails(buf, 131, "bad magic"));
    bh_image_free(&img);
}
END_TEST

/* bh_snapshot_save tells the VM's progress callback how the file goes:
 * 0 of its size first, then growing, then finished at its size, once. */
struct prog_log {
    int calls, finished, after_finish;
    uint64_t first_done, last_done, total;
    int went_back, total_changed;
};
static void prog_note(void *ctx, const struct bh_progress *p)
{
    struct prog_log *l = ctx;
    if (l->finished)
        l->after_finish++;
    if (l->calls == 0) {
        l->first_done = p->done;
        l->total = p->total;
    }
    if (p->done < l->last_done)
        l->went_back = 1;
    if (p->total != l->total)
        l->total_changed = 1;
    l->last_done = p->done;
    l->calls++;
    l->finished += p->finished;
}

START_TEST(save_reports_progress)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0);
    uint8_t page[BH_PAGE_SIZE];
    for (uint32_t i = 0; i < 3000; i++) { /* about 12 MiB: several 4 MiB writes */
        memset(page, (int)(i * 5 + 1), sizeof page);
        ck_assert_int_eq(bh_vm_write(a, 0x10400000 + i * BH_PAGE_SIZE, page, sizeof page), 0);
    }
    char dir[] = "/tmp/check_snapXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/p.snap", dir);
    struct prog_log l = {0};
    bh_vm_ctl(a)->snap_progress = prog_note;
    bh_vm_ctl(a)->snap_progress_ctx = &l;
    ck_assert_msg(bh_snapshot_save(a, path, err, sizeof err) == 0, "%s", err);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(l.first_done, 0);
    ck_assert_uint_eq(l.total, (uint64_t)st.st_size);
    ck_assert_uint_eq(l.last_done, (uint64_t)st.st_size);
    ck_assert_int_ge(l.calls, 5); /* 0, three 4 MiB steps, the end */
    ck_assert_int_eq(l.finished, 1);
    ck_assert_int_eq(l.after_finish, 0);
    ck_assert(!l.went_back && !l.total_changed);
    /* no callback: nothing is called */
    bh_vm_ctl(a)->snap_progress = NULL;
    int before = l.calls;
    ck_assert_msg(bh_snapshot_save(a, path, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(l.calls, before);
    /* a failed save ends its progress as a failure (-1) */
    struct prog_log f = {0};
    bh_vm_ctl(a)->snap_progress = prog_note;
    bh_vm_ctl(a)->snap_progress_ctx = &f;
    char bad[160];
    snprintf(bad, sizeof bad, "%s/no/such/dir.snap", dir);
    ck_assert_int_eq(bh_snapshot_save(a, bad, err, sizeof err), -1);
    ck_assert_int_eq(f.finished, -1);
    ck_assert_int_eq(f.after_finish, 0);
    unlink(path);
    rmdir(dir);
    bh_vm_destroy(a);
    bh_image_free(&img);
}
END_TEST

START_TEST(save_load_describe)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0);
    mutate(a);
    char dir[] = "/tmp/check_snapXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/s.bin", dir);
    char err[256] = "";
    FILE *old = fopen(path, "w");
    fputs("old contents", old);
    fclose(old);
    struct bh_snap_opts o = {.compress = 0, .embed_image = 1};
    ck_assert_msg(bh_snapshot_save_opts(a, path, &o, err, sizeof err) == 0, "%s", err);
    struct bh_snapshot s;
    ck_assert_msg(bh_snapshot_load(path, &s, err, sizeof err) == 0, "%s", err);
    struct bh_buf d = {0};
    ck_assert_int_eq(bh_snapshot_describe(&s, NULL, &d, err, sizeof err), 0);
    bh_buf_put8(&d, 0);
    const char *t = (const char *)d.data;
    ck_assert_ptr_nonnull(strstr(t, "format version: 2"));
    ck_assert_ptr_nonnull(strstr(t, "program: t.s"));
    ck_assert_ptr_nonnull(strstr(t, "pc: 0x0040000c"));
    ck_assert_ptr_nonnull(strstr(t, "t.s:4"));
    ck_assert_ptr_nonnull(strstr(t, "instructions: 987654321"));
    ck_assert_ptr_nonnull(strstr(t, "1 all-zero"));
    bh_buf_free(&d);
    bh_snapshot_free(&s);
    /* a damaged file on disk names itself and the problem */
    FILE *f = fopen(path, "r+b");
    fseek(f, 100, SEEK_SET);
    fputc(0xee, f);
    fclose(f);
    ck_assert_int_eq(bh_snapshot_load(path, &s, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, path));
    ck_assert_ptr_nonnull(strstr(err, "checksum mismatch"));
    unlink(path);
    rmdir(dir);
    bh_vm_destroy(a);
    bh_image_free(&img);
}
END_TEST

/* ---- restore by mapping the file (zero-copy, copy-on-write) ---- */

/* A temporary folder and a raw snapshot file of vm in it. */
struct tmpsnap {
    char dir[32], path[64];
};
static void save_tmp(struct bh_vm *vm, struct tmpsnap *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/check_mapXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/s.bin", t->dir);
    struct bh_snap_opts o = {.compress = 0, .embed_image = 0};
    char err[256] = "";
    ck_assert_msg(bh_snapshot_save_opts(vm, t->path, &o, err, sizeof err) == 0, "%s", err);
}
static void drop_tmp(struct tmpsnap *t)
{
    unlink(t->path);
    rmdir(t->dir);
}
static void restore_file(struct bh_vm *vm, const char *path)
{
    struct bh_snapshot s;
    char err[256] = "";
    ck_assert_msg(bh_snapshot_load(path, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(s.mapped, 1);
    ck_assert_msg(bh_snapshot_restore(vm, &s, err, sizeof err) == 0, "%s", err);
    bh_snapshot_free(&s); /* the VM must not need the loader's mapping or fd */
}
/* The host address of the guest page holding addr (white box). */
static const uint8_t *host_page(struct bh_vm *vm, uint32_t addr)
{
    struct bh_l2 *l2 = vm->mem->l1 ? vm->mem->l1[addr >> 22] : NULL;
    return l2 ? l2->page[(addr >> 12) & 1023u] : NULL;
}
static int in_maps(struct bh_vm *vm, const uint8_t *p)
{
    for (unsigned i = 0; i < vm->mem->nmaps; i++)
        if (p >= (const uint8_t *)vm->mem->maps[i].base &&
            p < (const uint8_t *)vm->mem->maps[i].base + vm->mem->maps[i].len)
            return 1;
    return 0;
}
static uint8_t *slurp(const char *path, size_t *len)
{
    uint8_t *d = NULL;
    char err[256] = "";
    ck_assert_msg(bh_read_file(path, &d, len, err, sizeof err) == 0, "%s", err);
    return d;
}

START_TEST(mapped_contents_and_cow)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0), *c = make_vm(&img, 0);
    mutate(a);
    struct tmpsnap t;
    save_tmp(a, &t);
    restore_file(b, t.path);
    restore_file(c, t.path);
    assert_same(a, b); /* contents, page count, state hash */
    /* The new path was taken: data pages point into one file mapping
     * (the all-zero page is not in the file, so it cannot). */
    ck_assert_uint_eq(b->mem->nmaps, 1);
    ck_assert(in_maps(b, host_page(b, 0x10040000)));
    ck_assert(in_maps(b, host_page(b, 0x10010000)));
    ck_assert(!in_maps(b, host_page(b, 0x10080000)));
    /* Gone from the folder: the VM keeps the inode through its mapping. */
    unlink(t.path);
    /* Stores: the core's slow path, then the fast path it installs, and a
     * monitor write; read back in b, unchanged in c (its own mapping). */
    ck_assert_int_eq(bh_mem_store_slow(b->mem, 0x10040000, 4, 0xdeadbeefu), 0);
    ck_assert_int_eq(bh_mem_store_slow(b->mem, 0x10040004, 4, 0x01020304u), 0);
    ck_assert_int_eq(bh_vm_write(b, 0x10041ff0, "cow!", 4), 0);
    uint32_t v;
    ck_assert_int_eq(bh_mem_load32(b->mem, 0x10040000, &v), 0);
    ck_assert_uint_eq(v, 0xdeadbeefu);
    ck_assert_int_eq(bh_mem_load32(b->mem, 0x10040004, &v), 0);
    ck_assert_uint_eq(v, 0x01020304u);
    uint8_t x[4], y[4];
    ck_assert_int_eq(bh_vm_read(b, 0x10041ff0, x, 4), 0);
    ck_assert_int_eq(memcmp(x, "cow!", 4), 0);
    ck_assert_int_eq(bh_vm_read(c, 0x10040000, x, 4), 0);
    ck_assert_int_eq(bh_vm_read(a, 0x10040000, y, 4), 0);
    ck_assert_int_eq(memcmp(x, y, 4), 0);
    ck_assert_uint_ne(bh_snapshot_state_hash(b), bh_snapshot_state_hash(c));
    ck_assert_uint_eq(bh_snapshot_state_hash(a), bh_snapshot_state_hash(c));
    drop_tmp(&t);
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    bh_vm_destroy(c);
    bh_image_free(&img);
}
END_TEST

/* The file itself is unchanged by stores to the VM restored from it. */
START_TEST(mapped_file_untouched)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0);
    mutate(a);
    struct tmpsnap t;
    save_tmp(a, &t);
    size_t len0, len1;
    uint8_t *before = slurp(t.path, &len0);
    restore_file(b, t.path);
    uint8_t junk[2 * BH_PAGE_SIZE];
    memset(junk, 0x5a, sizeof junk);
    ck_assert_int_eq(bh_vm_write(b, 0x10040000, junk, sizeof junk), 0);
    for (uint32_t off = 0; off < BH_PAGE_SIZE; off += 4)
        ck_assert_int_eq(bh_mem_store_slow(b->mem, 0x10042000 + off, 4, off), 0);
    uint8_t *after = slurp(t.path, &len1);
    ck_assert_uint_eq(len0, len1);
    ck_assert_msg(memcmp(before, after, len0) == 0, "the snapshot file changed");
    /* and it still restores the original state */
    struct bh_vm *c = make_vm(&img, 0);
    restore_file(c, t.path);
    assert_same(a, c);
    free(before);
    free(after);
    drop_tmp(&t);
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    bh_vm_destroy(c);
    bh_image_free(&img);
}
END_TEST

struct addrs {
    uint32_t v[64];
    unsigned n;
};
static void note_writable(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    struct addrs *s = ctx;
    (void)data;
    if ((flags & BH_PAGE_WRITABLE) && s->n < 64)
        s->v[s->n++] = addr;
}

/* Restored pages keep the dirty bit the snapshot recorded (as the copying
 * restore does), and stores to them are tracked again after a harvest. */
START_TEST(mapped_dirty_state)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0);
    mutate(a);
    bh_mem_dirty_harvest(a->mem, NULL, NULL);
    ck_assert_int_eq(bh_vm_write(a, 0x10041000, "dirty", 5), 0);
    struct tmpsnap t;
    save_tmp(a, &t);
    restore_file(b, t.path);
    static const uint32_t at[] = {0x10010000, 0x10040000, 0x10041000, 0x10042000,
                                  0x7fff0000, 0x90000000, 0x10080000};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
        ck_assert_msg(bh_mem_page_flags(a->mem, at[i]) == bh_mem_page_flags(b->mem, at[i]),
                      "flags of 0x%08x: 0x%x vs 0x%x", at[i], bh_mem_page_flags(a->mem, at[i]),
                      bh_mem_page_flags(b->mem, at[i]));
    struct addrs d = {{0}, 0};
    bh_mem_dirty_harvest(b->mem, note_writable, &d);
    ck_assert_uint_eq(d.n, 1);
    ck_assert_uint_eq(d.v[0], 0x10041000);
    /* a clean restored page: the first store marks it, the harvest sees it */
    ck_assert_int_eq(bh_mem_store_slow(b->mem, 0x10040008, 4, 7), 0);
    ck_assert_uint_ne(bh_mem_page_flags(b->mem, 0x10040000) & BH_PAGE_DIRTY, 0);
    d.n = 0;
    ck_assert_uint_eq(bh_mem_dirty_harvest(b->mem, note_writable, &d), 1);
    ck_assert_uint_eq(d.v[0], 0x10040000);
    ck_assert_uint_eq(bh_mem_dirty_harvest(b->mem, NULL, NULL), 0);
    drop_tmp(&t);
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    bh_image_free(&img);
}
END_TEST

/* The limit counts mapped pages exactly: a VM that holds exactly the
 * snapshot's pages restores, then the next new page is refused; one page
 * fewer refuses the restore before mapping anything. */
START_TEST(mapped_page_limit)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0);
    mutate(a);
    uint64_t need = bh_mem_pages_in_use(a->mem);
    struct tmpsnap t;
    save_tmp(a, &t);
    struct bh_vm *b = make_vm(&img, need * BH_PAGE_SIZE);
    restore_file(b, t.path);
    ck_assert_uint_eq(bh_mem_pages_in_use(b->mem), need);
    ck_assert_uint_eq(b->mem->nmaps, 1);
    ck_assert_int_eq(bh_mem_store_slow(b->mem, 0x10300000, 4, 1), BH_EXC_DBE);
    ck_assert_uint_ne(b->mem->fault_flags & BH_EXITF_MEMLIMIT, 0);
    ck_assert_int_eq(bh_mem_store_slow(b->mem, 0x10040000, 4, 1), 0); /* existing: fine */
    struct bh_vm *c = make_vm(&img, (need - 1) * BH_PAGE_SIZE);
    struct bh_snapshot s;
    char err[256] = "";
    ck_assert_int_eq(bh_snapshot_load(t.path, &s, err, sizeof err), 0);
    ck_assert_int_eq(bh_snapshot_restore(c, &s, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "limit"), "%s", err);
    ck_assert_uint_eq(c->mem->nmaps, 0);
    bh_snapshot_free(&s);
    drop_tmp(&t);
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    bh_vm_destroy(c);
    bh_image_free(&img);
}
END_TEST

/* Destroying the VM unmaps the file data; freeing the snapshot closes it.
 * (Leaks of the page table and lists are ASan's to find.) */
START_TEST(mapped_destroy_unmaps)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0);
    mutate(a);
    struct tmpsnap t;
    save_tmp(a, &t);
    struct bh_snapshot s;
    char err[256] = "";
    ck_assert_int_eq(bh_snapshot_load(t.path, &s, err, sizeof err), 0);
    int fd = s.fd;
    ck_assert_int_ne(fcntl(fd, F_GETFD), -1);
    ck_assert_msg(bh_snapshot_restore(b, &s, err, sizeof err) == 0, "%s", err);
    /* restoring again maps again: both mappings are the VM's */
    ck_assert_msg(bh_snapshot_restore(b, &s, err, sizeof err) == 0, "%s", err);
    bh_snapshot_free(&s);
    ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
    ck_assert_uint_eq(b->mem->nmaps, 2);
    assert_same(a, b);
    void *m0 = b->mem->maps[0].base, *m1 = b->mem->maps[1].base;
    unsigned char vec[1];
    ck_assert_int_eq(mincore(m0, BH_PAGE_SIZE, vec), 0);
    ck_assert_int_eq(mincore(m1, BH_PAGE_SIZE, vec), 0);
    bh_vm_destroy(b);
    errno = 0;
    ck_assert_int_eq(mincore(m0, BH_PAGE_SIZE, vec), -1);
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_int_eq(mincore(m1, BH_PAGE_SIZE, vec), -1);
    drop_tmp(&t);
    bh_vm_destroy(a);
    bh_image_free(&img);
}
END_TEST

/* Pages that cannot be mapped (a buffer, not a file) still restore by copy. */
START_TEST(unmapped_buffer_copies)
{
    struct bh_image img;
    build(&img, 3);
    struct bh_vm *a = make_vm(&img, 0), *b = make_vm(&img, 0);
    mutate(a);
    uint8_t *buf;
    size_t len;
    snap_of(a, 0, 0, &buf, &len);
    struct bh_snapshot s = {0};
    char err[256] = "";
    ck_assert_int_eq(bh_snapshot_parse_buf(buf, len, &s, err, sizeof err), 0);
    ck_assert_msg(bh_snapshot_restore(b, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(b->mem->nmaps, 0);
    assert_same(a, b);
    free(buf);
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    bh_image_free(&img);
}
END_TEST

Suite *snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("roundtrip");
    tcase_add_test(tc, roundtrip_raw);
    tcase_add_test(tc, roundtrip_embed);
    tcase_add_test(tc, roundtrip_zstd);
    tcase_add_test(tc, zstd_refused_or_smaller);
    tcase_add_test(tc, sparse_pages);
    tcase_add_test(tc, many_pages);
    tcase_add_test(tc, save_load_describe);
    tcase_add_test(tc, save_reports_progress);
    suite_add_tcase(s, tc);
    tc = tcase_create("damage");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, truncated_everywhere);
    tcase_add_test(tc, every_bit_flip);
    tcase_add_test(tc, header_errors);
    tcase_add_test(tc, section_errors);
    tcase_add_test(tc, bad_pages);
    tcase_add_test(tc, limit_and_program_checked);
    tcase_add_test(tc, stored_text_restored);
    tcase_add_test(tc, stored_text_migrated);
    suite_add_tcase(s, tc);
    tc = tcase_create("mapped");
    tcase_add_test(tc, mapped_contents_and_cow);
    tcase_add_test(tc, mapped_file_untouched);
    tcase_add_test(tc, mapped_dirty_state);
    tcase_add_test(tc, mapped_page_limit);
    tcase_add_test(tc, mapped_destroy_unmaps);
    tcase_add_test(tc, unmapped_buffer_copies);
    suite_add_tcase(s, tc);
    tc = tcase_create("version0");
    tcase_add_test(tc, version0);
    suite_add_tcase(s, tc);
    return s;
}
