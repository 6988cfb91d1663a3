/* gdb_proto.c: the gdb remote serial protocol (gdb_proto.h), after the
 * protocol's own description ("Remote Protocol" in gdb's manual) and
 * QEMU's gdbstub.  Every number in a packet is parsed with bounds: a
 * malformed packet gets "E22" (EINVAL) or an empty answer, never more. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/gdb_proto.h"

/* ---- framing ---- */

void bh_gdb_rx_init(struct bh_gdb_rx *rx)
{
    memset(rx, 0, sizeof *rx);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

enum bh_gdb_rx_ev bh_gdb_rx_byte(struct bh_gdb_rx *rx, uint8_t c)
{
    switch (rx->state) {
    case 0:
        if (c == '$') {
            rx->state = 1;
            rx->len = 0;
            rx->sum = 0;
        } else if (c == 0x03) {
            return BH_GDB_RX_INTERRUPT;
        } else if (c != '+' && c != '-') {
            rx->junk++;
        }
        return BH_GDB_RX_NONE;
    case 1:
    case 2:
        if (c == '#' && rx->state == 1) {
            rx->state = 3;
            return BH_GDB_RX_NONE;
        }
        rx->sum = (uint8_t)(rx->sum + c);
        if (rx->state == 1 && c == '}') {
            rx->state = 2;
            return BH_GDB_RX_NONE;
        }
        if (rx->len == BH_GDB_PACKET_MAX) {
            rx->state = 0;
            return BH_GDB_RX_TOOLONG;
        }
        rx->pkt[rx->len++] = (char)(rx->state == 2 ? c ^ 0x20 : c);
        rx->state = 1;
        return BH_GDB_RX_NONE;
    case 3:
    case 4: {
        int v = hexval(c);
        if (v < 0) { /* not a checksum: the packet is bad */
            rx->state = 0;
            rx->junk++;
            return BH_GDB_RX_BADSUM;
        }
        if (rx->state == 3) {
            rx->want = (uint8_t)(v << 4);
            rx->state = 4;
            return BH_GDB_RX_NONE;
        }
        rx->want |= (uint8_t)v;
        rx->state = 0;
        if (rx->want != rx->sum) return BH_GDB_RX_BADSUM;
        rx->pkt[rx->len] = '\0';
        rx->junk = 0;
        return BH_GDB_RX_PACKET;
    }
    }
    rx->state = 0;
    return BH_GDB_RX_NONE;
}

void bh_gdb_frame(struct bh_buf *out, const char *payload, size_t n)
{
    uint8_t sum = 0;
    bh_buf_put8(out, '$');
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)payload[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            bh_buf_put8(out, '}');
            sum = (uint8_t)(sum + '}');
            c ^= 0x20;
        }
        bh_buf_put8(out, c);
        sum = (uint8_t)(sum + c);
    }
    bh_buf_printf(out, "#%02x", sum);
}

/* ---- parsing helpers ---- */

/* A hex number of at most 8 digits at *p, which moves past it; -1 when
 * there is none or it is longer. */
static int64_t hexnum(const char **p)
{
    const char *s = *p;
    uint32_t v = 0;
    int n = 0;
    while (hexval((unsigned char)*s) >= 0) {
        if (++n > 8) return -1;
        v = v << 4 | (uint32_t)hexval((unsigned char)*s++);
    }
    if (!n) return -1;
    *p = s;
    return v;
}

static void put_hex32le(struct bh_buf *b, uint32_t v)
{
    bh_buf_printf(b, "%02x%02x%02x%02x", v & 0xffu, v >> 8 & 0xffu, v >> 16 & 0xffu, v >> 24);
}

/* 8 hex digits, little-endian bytes (a register's value). */
static int get_hex32le(const char *s, uint32_t *v)
{
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) {
        int hi = hexval((unsigned char)s[2 * i]), lo = hi < 0 ? -1 : hexval((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        r |= (uint32_t)(hi << 4 | lo) << (8 * i);
    }
    *v = r;
    return 0;
}

static void put_hex_bytes(struct bh_buf *b, const void *p, size_t n)
{
    const uint8_t *u = p;
    for (size_t i = 0; i < n; i++) bh_buf_printf(b, "%02x", u[i]);
}

/* ---- the target description ---- */

static const char *target_xml(size_t *len)
{
    static char xml[8192];
    static size_t n;
    if (!n) {
        struct bh_buf b = {0};
        bh_buf_printf(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                          "<target version=\"1.0\">\n<architecture>mips</architecture>\n"
                          "<feature name=\"org.gnu.gdb.mips.cpu\">\n");
        for (int r = 0; r < 32; r++)
            bh_buf_printf(&b, "  <reg name=\"r%d\" bitsize=\"32\" regnum=\"%d\"/>\n", r, r);
        bh_buf_printf(&b, "  <reg name=\"lo\" bitsize=\"32\" regnum=\"33\"/>\n"
                          "  <reg name=\"hi\" bitsize=\"32\" regnum=\"34\"/>\n"
                          "  <reg name=\"pc\" bitsize=\"32\" regnum=\"37\"/>\n</feature>\n"
                          "<feature name=\"org.gnu.gdb.mips.cp0\">\n"
                          "  <reg name=\"status\" bitsize=\"32\" regnum=\"32\"/>\n"
                          "  <reg name=\"badvaddr\" bitsize=\"32\" regnum=\"35\"/>\n"
                          "  <reg name=\"cause\" bitsize=\"32\" regnum=\"36\"/>\n</feature>\n"
                          "<feature name=\"org.gnu.gdb.mips.fpu\">\n");
        for (int r = 0; r < 32; r++)
            bh_buf_printf(&b, "  <reg name=\"f%d\" bitsize=\"32\" type=\"ieee_single\" regnum=\"%d\"/>\n",
                          r, 38 + r);
        bh_buf_printf(&b, "  <reg name=\"fcsr\" bitsize=\"32\" group=\"float\" regnum=\"70\"/>\n"
                          "  <reg name=\"fir\" bitsize=\"32\" group=\"float\" regnum=\"71\"/>\n"
                          "</feature>\n</target>\n");
        if (!b.oom && b.len < sizeof xml) {
            memcpy(xml, b.data, b.len);
            n = b.len;
        }
        bh_buf_free(&b);
    }
    *len = n;
    return xml;
}

/* ---- packets ---- */

void bh_gdb_sess_init(struct bh_gdb_sess *s, const struct bh_gdb_target *t)
{
    memset(s, 0, sizeof *s);
    s->t = t;
    s->c_thread = BH_GDB_ALL;
    snprintf(s->stop, sizeof s->stop, "S05");
}

void bh_gdb_stop_reply(struct bh_gdb_sess *s, size_t t, int sig, unsigned watch_kind,
                       uint32_t watch_addr, int swbreak)
{
    static const char *const watch[] = {"", "watch", "rwatch", "awatch"};
    int n = snprintf(s->stop, sizeof s->stop, "T%02xthread:%zx;", sig & 0xff, t + 1);
    if (watch_kind >= 1 && watch_kind <= 3)
        snprintf(s->stop + n, sizeof s->stop - (size_t)n, "%s:%x;", watch[watch_kind], watch_addr);
    else if (swbreak)
        snprintf(s->stop + n, sizeof s->stop - (size_t)n, "swbreak:;");
    s->g_thread = t; /* gdb reads the registers of the thread that stopped */
}

void bh_gdb_exit_reply(struct bh_gdb_sess *s, int exited, int code)
{
    snprintf(s->stop, sizeof s->stop, "%c%02x", exited ? 'W' : 'X', code & 0xff);
}

/* A thread id: "-1" every VM, "0" any (the current), else VM id - 1. */
static int thread_id(const struct bh_gdb_sess *s, const char *p, size_t cur, size_t *out)
{
    if (strcmp(p, "-1") == 0) {
        *out = BH_GDB_ALL;
        return 0;
    }
    const char *q = p;
    int64_t v = hexnum(&q);
    if (v < 0 || *q) return -1;
    if (v == 0) {
        *out = cur;
        return 0;
    }
    if ((uint64_t)v > s->t->nthreads) return -1;
    *out = (size_t)v - 1;
    return 0;
}

static void answer_regs(struct bh_gdb_sess *s, struct bh_buf *ans)
{
    for (unsigned r = 0; r < BH_GDB_NREGS; r++) put_hex32le(ans, s->t->reg(s->t->ctx, s->g_thread, r));
}

/* "m addr,len": len bytes as hex; E14 (EFAULT) when unreadable. */
static void read_mem(struct bh_gdb_sess *s, const char *p, struct bh_buf *ans)
{
    int64_t a = hexnum(&p), n = -1;
    if (a >= 0 && *p++ == ',') n = hexnum(&p);
    if (n < 0 || *p || n > BH_GDB_PACKET_MAX / 2 - 4) {
        bh_buf_printf(ans, "E22");
        return;
    }
    uint8_t buf[BH_GDB_PACKET_MAX / 2];
    if (n && s->t->read(s->t->ctx, s->g_thread, (uint32_t)a, buf, (uint32_t)n) != 0) {
        bh_buf_printf(ans, "E14");
        return;
    }
    put_hex_bytes(ans, buf, (size_t)n);
}

/* "M addr,len:hex" */
static void write_mem(struct bh_gdb_sess *s, const char *p, struct bh_buf *ans)
{
    int64_t a = hexnum(&p), n = -1;
    if (a >= 0 && *p++ == ',') n = hexnum(&p);
    if (n < 0 || *p++ != ':' || strlen(p) != 2 * (size_t)n) {
        bh_buf_printf(ans, "E22");
        return;
    }
    uint8_t buf[BH_GDB_PACKET_MAX / 2];
    for (int64_t i = 0; i < n; i++) {
        int hi = hexval((unsigned char)p[2 * i]), lo = hexval((unsigned char)p[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            bh_buf_printf(ans, "E22");
            return;
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    if (n && s->t->write(s->t->ctx, s->g_thread, (uint32_t)a, buf, (uint32_t)n) != 0) {
        bh_buf_printf(ans, "E14");
        return;
    }
    bh_buf_printf(ans, "OK");
}

/* "Ztype,addr,kind" / "z..." */
static void point(struct bh_gdb_sess *s, const char *p, int on, struct bh_buf *ans)
{
    int64_t type = hexnum(&p), a = -1, kind = -1;
    if (type >= 0 && *p++ == ',') a = hexnum(&p);
    if (a >= 0 && *p++ == ',') kind = hexnum(&p);
    if (kind < 0 || (*p && *p != ';')) {
        bh_buf_printf(ans, "E22");
        return;
    }
    if (type > 4) return; /* not supported: empty */
    uint32_t len = type <= 1 ? 4u : (uint32_t)kind;
    if (s->t->point(s->t->ctx, (unsigned)type, (uint32_t)a, len, on) != 0) {
        bh_buf_printf(ans, "E22");
        return;
    }
    bh_buf_printf(ans, "OK");
}

/* "qXfer:features:read:target.xml:off,len" */
static void xfer(const char *p, struct bh_buf *ans)
{
    const char *pre = "features:read:target.xml:";
    if (strncmp(p, pre, strlen(pre)) != 0) {
        bh_buf_printf(ans, "E00");
        return;
    }
    p += strlen(pre);
    int64_t off = hexnum(&p), n = -1;
    if (off >= 0 && *p++ == ',') n = hexnum(&p);
    if (n < 0 || *p) {
        bh_buf_printf(ans, "E22");
        return;
    }
    size_t len;
    const char *xml = target_xml(&len);
    if ((size_t)off >= len) {
        bh_buf_printf(ans, "l");
        return;
    }
    size_t take = len - (size_t)off;
    if (take > (size_t)n) take = (size_t)n;
    if (take > BH_GDB_PACKET_MAX / 2) take = BH_GDB_PACKET_MAX / 2;
    bh_buf_put8(ans, (size_t)off + take < len ? 'm' : 'l');
    bh_buf_append(ans, xml + off, take);
}

static void query(struct bh_gdb_sess *s, const char *p, struct bh_buf *ans)
{
    if (strncmp(p, "qSupported", 10) == 0) {
        bh_buf_printf(ans, "PacketSize=%x;qXfer:features:read+;swbreak+;vContSupported+;"
                           "QStartNoAckMode+", BH_GDB_PACKET_MAX);
    } else if (strncmp(p, "qXfer:", 6) == 0) {
        xfer(p + 6, ans);
    } else if (strcmp(p, "qAttached") == 0) {
        bh_buf_printf(ans, "1");
    } else if (strcmp(p, "qC") == 0) {
        bh_buf_printf(ans, "QC%zx", s->g_thread + 1);
    } else if (strcmp(p, "qfThreadInfo") == 0) {
        const char *sep = "m";
        for (size_t t = 0; t < s->t->nthreads; t++)
            if (s->t->alive(s->t->ctx, t)) {
                bh_buf_printf(ans, "%s%zx", sep, t + 1);
                sep = ",";
            }
        if (sep[0] == 'm') bh_buf_printf(ans, "l");
    } else if (strcmp(p, "qsThreadInfo") == 0) {
        bh_buf_printf(ans, "l");
    } else if (strncmp(p, "qThreadExtraInfo,", 17) == 0) {
        size_t t;
        if (thread_id(s, p + 17, s->g_thread, &t) != 0 || t == BH_GDB_ALL) {
            bh_buf_printf(ans, "E22");
            return;
        }
        char d[128];
        s->t->describe(s->t->ctx, t, d, sizeof d);
        put_hex_bytes(ans, d, strlen(d));
    } else if (strncmp(p, "qSymbol", 7) == 0) {
        bh_buf_printf(ans, "OK");
    } /* anything else: empty, "not supported" */
}

/* "vCont;ACTION[:thread];..." in all-stop mode: a step action steps its
 * thread alone (the others stay stopped); otherwise a continue action
 * resumes its thread, or every VM when it names none. */
static enum bh_gdb_action vcont(struct bh_gdb_sess *s, const char *p, struct bh_buf *ans,
                                size_t *thread)
{
    enum bh_gdb_action act = BH_GDB_ANSWER;
    size_t th = BH_GDB_ALL;
    while (*p == ';') {
        p++;
        char a = *p++;
        if (a == 'C' || a == 'S') { /* the signal: we deliver none */
            if (hexnum(&p) < 0) break;
            a = (char)(a - 'A' + 'a');
        }
        if (a != 'c' && a != 's') break;
        size_t t = BH_GDB_ALL;
        if (*p == ':') {
            char id[24];
            size_t k = 0;
            p++;
            while (*p && *p != ';' && k + 1 < sizeof id) id[k++] = *p++;
            id[k] = '\0';
            if (thread_id(s, id, s->c_thread, &t) != 0) break;
        }
        if (a == 's' && act != BH_GDB_STEP) {
            act = BH_GDB_STEP;
            th = t == BH_GDB_ALL ? s->g_thread : t;
        } else if (a == 'c' && act == BH_GDB_ANSWER) {
            act = BH_GDB_CONTINUE;
            th = t;
        }
    }
    if (*p || act == BH_GDB_ANSWER) {
        bh_buf_printf(ans, "E22");
        return BH_GDB_ANSWER;
    }
    *thread = th;
    return act;
}

enum bh_gdb_action bh_gdb_handle(struct bh_gdb_sess *s, const char *pkt, size_t len,
                                 struct bh_buf *ans, size_t *thread)
{
    const struct bh_gdb_target *t = s->t;
    if (len == 0 || strlen(pkt) != len) { /* a NUL inside: no packet of ours has one */
        if (len) bh_buf_printf(ans, "E22");
        return BH_GDB_ANSWER;
    }
    const char *p = pkt + 1;
    switch (pkt[0]) {
    case '?':
        bh_buf_printf(ans, "%s", s->stop);
        return BH_GDB_ANSWER;
    case 'g':
        answer_regs(s, ans);
        return BH_GDB_ANSWER;
    case 'G':
        if (strlen(p) != 8u * BH_GDB_NREGS) {
            bh_buf_printf(ans, "E22");
            return BH_GDB_ANSWER;
        }
        for (unsigned r = 0; r < BH_GDB_NREGS; r++) {
            uint32_t v;
            if (get_hex32le(p + 8 * r, &v) != 0) {
                bh_buf_printf(ans, "E22");
                return BH_GDB_ANSWER;
            }
        }
        for (unsigned r = 0; r < BH_GDB_NREGS; r++) {
            uint32_t v;
            get_hex32le(p + 8 * r, &v);
            t->set_reg(t->ctx, s->g_thread, r, v);
        }
        bh_buf_printf(ans, "OK");
        return BH_GDB_ANSWER;
    case 'p': {
        int64_t r = hexnum(&p);
        if (r < 0 || *p || r >= BH_GDB_NREGS) bh_buf_printf(ans, "E22");
        else put_hex32le(ans, t->reg(t->ctx, s->g_thread, (unsigned)r));
        return BH_GDB_ANSWER;
    }
    case 'P': {
        int64_t r = hexnum(&p);
        uint32_t v;
        if (r < 0 || r >= BH_GDB_NREGS || *p++ != '=' || strlen(p) != 8 || get_hex32le(p, &v) != 0) {
            bh_buf_printf(ans, "E22");
        } else {
            t->set_reg(t->ctx, s->g_thread, (unsigned)r, v);
            bh_buf_printf(ans, "OK");
        }
        return BH_GDB_ANSWER;
    }
    case 'm':
        read_mem(s, p, ans);
        return BH_GDB_ANSWER;
    case 'M':
        write_mem(s, p, ans);
        return BH_GDB_ANSWER;
    case 'Z':
    case 'z':
        point(s, p, pkt[0] == 'Z', ans);
        return BH_GDB_ANSWER;
    case 'H': {
        size_t th;
        if ((*p != 'g' && *p != 'c') || thread_id(s, p + 1, s->g_thread, &th) != 0 ||
            (*p == 'g' && th == BH_GDB_ALL)) {
            bh_buf_printf(ans, "E22");
            return BH_GDB_ANSWER;
        }
        if (*p == 'g') s->g_thread = th;
        else s->c_thread = th;
        bh_buf_printf(ans, "OK");
        return BH_GDB_ANSWER;
    }
    case 'T': {
        size_t th;
        if (thread_id(s, p, s->g_thread, &th) != 0 || th == BH_GDB_ALL || !t->alive(t->ctx, th))
            bh_buf_printf(ans, "E01");
        else
            bh_buf_printf(ans, "OK");
        return BH_GDB_ANSWER;
    }
    case 'c':
    case 's':
    case 'C':
    case 'S':
        /* c [addr] / C sig[;addr]: resuming elsewhere is not offered
         * (gdb uses neither form for MIPS): the address must be absent. */
        if (pkt[0] == 'C' || pkt[0] == 'S') {
            if (hexnum(&p) < 0) p = "x";
            else if (*p == ';') p = "x";
        }
        if (*p) {
            bh_buf_printf(ans, "E22");
            return BH_GDB_ANSWER;
        }
        if (pkt[0] == 's' || pkt[0] == 'S') {
            *thread = s->c_thread == BH_GDB_ALL ? s->g_thread : s->c_thread;
            return BH_GDB_STEP;
        }
        *thread = s->c_thread;
        return BH_GDB_CONTINUE;
    case 'v':
        if (strcmp(pkt, "vCont?") == 0) {
            bh_buf_printf(ans, "vCont;c;C;s;S");
            return BH_GDB_ANSWER;
        }
        if (strncmp(pkt, "vCont;", 6) == 0) return vcont(s, pkt + 5, ans, thread);
        return BH_GDB_ANSWER; /* vMustReplyEmpty and the others: empty */
    case 'q':
        query(s, pkt, ans);
        return BH_GDB_ANSWER;
    case 'Q':
        if (strcmp(pkt, "QStartNoAckMode") == 0) {
            bh_buf_printf(ans, "OK");
            s->no_ack = 1;
        }
        return BH_GDB_ANSWER;
    case 'D':
        bh_buf_printf(ans, "OK");
        return BH_GDB_DETACH;
    case 'k':
        return BH_GDB_KILL;
    default:
        return BH_GDB_ANSWER; /* not supported: empty */
    }
}
