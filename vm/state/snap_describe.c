/* snap_describe.c: what --snapshot-info prints about a snapshot: the
 * format, the program and VM, where the CPU stands, the memory, the
 * disk, the console, the clock, files and exit, and every section with its version
 * and checksum.  It reads only what the file holds (no VM is built). */
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "mem/gtlb.h"
#include "dev/clock.h"
#include "dev/nic.h"
#include "state/snap_priv.h"
#include "state/snapshot.h"

/* Coprocessor 1 from a CPU body (the FP part starts after version 1's
 * 292 bytes): FCSR and every non-zero register, as bits and as a float. */
static void describe_fpu(struct bh_buf *o, const uint8_t *cpu, uint32_t version)
{
    if (version < 2) {
        bh_buf_printf(o, "fpu: none in a version-%u CPU section (restores as zero)\n", version);
        return;
    }
    const uint8_t *fp = cpu + BH_CPU_STATE_SIZE_V1;
    uint32_t fcsr = bh_get32(fp + 32 * 4);
    unsigned nz = 0;
    for (unsigned i = 0; i < 32; i++)
        nz += bh_get32(fp + 4 * i) != 0;
    bh_buf_printf(o, "fpu: FCSR 0x%08x, %u of 32 registers non-zero\n", fcsr, nz);
    for (unsigned i = 0; i < 32; i++) {
        uint32_t v = bh_get32(fp + 4 * i);
        float x;
        memcpy(&x, &v, 4);
        if (v)
            bh_buf_printf(o, "  $f%-2u 0x%08x  %.9g\n", i, v, (double)x);
    }
}

/* A bare machine's CP0 from a CPU body (c0[] after the registers, hi,
 * lo, pc, LL, the counts and the timer flag): the mode, and what a
 * kernel's handler would look at. */
#define CPU_C0_OFFSET 164
static void describe_cp0(struct bh_buf *o, const uint8_t *cpu)
{
    const uint8_t *c0 = cpu + CPU_C0_OFFSET;
    uint32_t st = bh_get32(c0 + 4 * BH_C0_STATUS), cause = bh_get32(c0 + 4 * BH_C0_CAUSE);
    const char *mode = st & BH_ST_ERL   ? "kernel mode (error level, Status.ERL)"
                       : st & BH_ST_EXL ? "kernel mode (in an exception handler, Status.EXL)"
                       : (st & BH_ST_KSU) == BH_ST_UM ? "user mode"
                                                      : "kernel mode";
    bh_buf_printf(o, "cp0: %s; Status 0x%08x (IE %u, IM 0x%02x), Cause 0x%08x (last exception "
                     "%s, pending IP 0x%02x), EPC 0x%08x, BadVAddr 0x%08x, ASID %u, Compare %u\n",
                  mode, st, st & BH_ST_IE, (st >> 8) & 0xffu, cause,
                  bh_vm_exc_name((int)((cause >> 2) & 31u)), (cause >> 8) & 0xffu,
                  bh_get32(c0 + 4 * BH_C0_EPC),
                  bh_get32(c0 + 4 * BH_C0_BADVADDR), bh_get32(c0 + 4 * BH_C0_ENTRYHI) & 0xffu,
                  bh_get32(c0 + 4 * BH_C0_COMPARE));
}

static void describe_pc(struct bh_buf *o, const struct bh_image *img, uint32_t pc,
                        const char *label)
{
    bh_buf_printf(o, "%s0x%08x", label, pc);
    if (!img) {
        bh_buf_printf(o, "\n");
        return;
    }
    const struct bh_symbol *sym = bh_image_symbol_before(img, pc);
    if (sym)
        bh_buf_printf(o, " (%s+%u)", bh_image_str(img, sym->name), pc - sym->value);
    const struct bh_line *l = bh_image_line_at(img, pc);
    if (l)
        bh_buf_printf(o, ", %s:%u", bh_image_str(img, l->file), l->line);
    else if (pc == img->seg[BH_SEG_TEXT].addr + img->seg[BH_SEG_TEXT].size)
        bh_buf_printf(o, ", the end of the program");
    bh_buf_printf(o, "\n");
}

int bh_snapshot_describe(const struct bh_snapshot *s, const struct bh_image *img, struct bh_buf *o,
                         char *err, size_t errlen)
{
    const struct bh_snapfile *f = &s->f;
    if (s->path)
        bh_buf_printf(o, "snapshot: %s\n", s->path);
    if (f->version == 0) {
        bh_buf_printf(o, "format version: 0 (the original tool's 132-byte file: no header, no "
                         "checksums, no program identity)\n");
        bh_buf_printf(o, "pc: instruction line %u of the program", f->v0_pc_index);
        uint32_t pc;
        if (img && bh_snapshot_v0_pc(img, f->v0_pc_index, &pc, NULL, 0) == 0) {
            describe_pc(o, img, pc, " -> ");
        } else {
            bh_buf_printf(o, "\n");
        }
        bh_buf_printf(o, "registers:");
        for (int i = 0; i < 32; i++)
            bh_buf_printf(o, "%s$r%d=%d", i % 8 ? " " : "\n  ", i, (int32_t)f->v0_regs[i]);
        bh_buf_printf(o, "\n");
        return o->oom ? bh_errf(err, errlen, "out of memory") : 0;
    }
    struct bh_image own;
    int have_own = 0;
    if (!img && f->sec[BH_SNAP_SEC_IMAGE].data && bh_snapshot_image(s, &own, NULL, 0) == 0) {
        img = &own;
        have_own = 1;
    }
    struct bh_snap_ident id;
    struct bh_snap_mem_view m;
    struct bh_console con;
    bh_console_init(&con);
    con.in = NULL; /* no host stream to position */
    con.in_fd = -1;
    struct bh_buf machine = {0};
    struct bh_snap_dev_src dsrc = bh_snap_dev_src_of(f->sec);
    if (bh_snap_get_ident(f->sec[BH_SNAP_SEC_IDENT].data, f->sec[BH_SNAP_SEC_IDENT].len, &id, err,
                          errlen) ||
        bh_snap_mem_parse(f->sec[BH_SNAP_SEC_MEM].data, f->sec[BH_SNAP_SEC_MEM].len,
                          f->sec[BH_SNAP_SEC_MEM].version, &m, 0, UINT64_MAX, id.machine, err,
                          errlen) ||
        bh_snap_dev_check(&dsrc, &con, &machine, NULL, err, errlen)) {
        bh_console_free(&con);
        bh_buf_free(&machine);
        if (have_own)
            bh_image_free(&own);
        return -1;
    }
    const uint8_t *cpu = f->sec[BH_SNAP_SEC_CPU].data;
    bh_buf_printf(o, "format version: %u (written by %s)\n", f->version,
                  f->writer[0] ? f->writer : "?");
    bh_buf_printf(o,
                  "size: %llu bytes, %u sections; header and %u section checksums (CRC32C) "
                  "verified\n",
                  (unsigned long long)f->size, f->nsections, f->nsections);
    bh_buf_printf(o, "program: %s (image hash 0x%016llx)%s\n", id.program[0] ? id.program : "?",
                  (unsigned long long)id.image_hash,
                  f->sec[BH_SNAP_SEC_IMAGE].data ? ", embedded" : ", not embedded");
    if (img && bh_image_hash(img) != id.image_hash)
        bh_buf_printf(o,
                      "warning: the program given has image hash 0x%016llx: a restore "
                      "would be refused\n",
                      (unsigned long long)bh_image_hash(img));
    bh_buf_printf(o, "vm: %s, memory limit %llu MiB\n", id.name[0] ? id.name : "?",
                  (unsigned long long)(id.mem_limit >> 20));
    if (id.machine == BH_MACHINE_BARE) {
        /* MMU: Random's base, then each entry's EntryHi, EntryLo0, EntryLo1 */
        const uint8_t *e = f->sec[BH_SNAP_SEC_MMU].data + 8;
        unsigned valid = 0;
        for (unsigned i = 0; i < BH_GTLB_ENTRIES; i++)
            valid += ((bh_get32(e + 12 * i + 4) | bh_get32(e + 12 * i + 8)) & BH_LO_V) != 0;
        bh_buf_printf(o, "machine: bare (docs/devices.md), %u of %u TLB entries valid\n", valid,
                      BH_GTLB_ENTRIES);
    }
    describe_pc(o, img, bh_get32(cpu + 136), "pc: ");
    if (id.machine == BH_MACHINE_BARE)
        describe_cp0(o, cpu);
    bh_buf_printf(o, "instructions: %llu\n", (unsigned long long)bh_get64(cpu + 144));
    describe_fpu(o, cpu, f->sec[BH_SNAP_SEC_CPU].version);
    uint32_t nzero = 0;
    for (uint32_t i = 0; i < m.npages; i++)
        nzero += (bh_get32(m.table + 8 * i + 4) & BH_SNAP_PAGE_ZERO) != 0;
    bh_buf_printf(o,
                  "memory: %u pages touched (%u all-zero, not stored), %llu bytes of page "
                  "data, %llu stored%s; break 0x%08x\n",
                  m.npages, nzero, (unsigned long long)m.raw, (unsigned long long)m.stored,
                  m.enc == BH_SNAP_ENC_ZSTD ? " (zstd)" : "", m.brk);
    if (m.ncode)
        bh_buf_printf(o, "text: %u of those pages are text the program stored into (restored as "
                         "text, decoded again)\n",
                      m.ncode);
    const struct bh_snap_section *disk = &f->sec[BH_SNAP_SEC_DISK];
    struct bh_snap_disk_view dv;
    if (disk->data &&
        bh_snap_disk_parse(disk->data, disk->len, disk->version, &dv, 0, NULL, 0) == 0)
        bh_snap_disk_describe(&dv, o); /* (bh_snapshot_load validated it) */
    bh_buf_printf(o, "console: %llu bytes written, %llu bytes read, %u queued%s\n",
                  (unsigned long long)con.out_bytes, (unsigned long long)con.in_consumed,
                  con.inq_len, con.in_eof ? ", end of input" : "");
    bh_buf_append(o, machine.data, machine.len);
    if (f->sec[BH_SNAP_SEC_CLOCK].data) { /* validated by the parse */
        struct bh_clock c;
        struct bh_rd r = {f->sec[BH_SNAP_SEC_CLOCK].data, f->sec[BH_SNAP_SEC_CLOCK].len, 0, 0};
        memset(&c, 0, sizeof c);
        bh_clock_load(&c, &r, f->sec[BH_SNAP_SEC_CLOCK].version, NULL, 0);
        if (!c.period && !c.ctrl && !c.ticks)
            bh_buf_printf(o, "timer: never started\n");
        else
            bh_buf_printf(o, "timer: every %u us, %s, interrupt %s%s; %llu expirations\n",
                          c.period, c.ctrl & BH_TIMER_CTRL_EN ? "running" : "stopped",
                          c.ctrl & BH_TIMER_CTRL_IE ? "enabled" : "disabled",
                          c.status & BH_TIMER_EXPIRED ? ", expired (not acknowledged)" : "",
                          (unsigned long long)c.ticks);
    }
    const uint8_t *disp = f->sec[BH_SNAP_SEC_DISPLAY].data; /* validated by the load */
    if (disp)
        bh_buf_printf(o, "display: %ux%u pixels of %ux%u units (%ux%u units), framebuffer at "
                         "0x%08x\n",
                      bh_get32(disp + 4), bh_get32(disp + 8), bh_get32(disp + 12),
                      bh_get32(disp + 16), bh_get32(disp + 4) / bh_get32(disp + 12),
                      bh_get32(disp + 8) / bh_get32(disp + 16), bh_get32(disp));
    const struct bh_snap_section *nic = &f->sec[BH_SNAP_SEC_NIC];
    struct bh_nic_saved *ns = nic->data ? malloc(sizeof *ns) : NULL;
    if (ns && bh_nic_parse(&(struct bh_rd){nic->data, nic->len, 0, 0}, nic->version, ns, NULL,
                           0) == 0)
        bh_buf_printf(o, "nic: MAC %02x:%02x:%02x:%02x:%02x:%02x, LAN %s, control 0x%x, receive ring %u "
                         "at 0x%08x (head %u, tail %u), transmit ring %u at 0x%08x (head %u, "
                         "tail %u), error %u; %u frames pending; %llu frames received, %llu "
                         "sent\n",
                      ns->mac[0], ns->mac[1], ns->mac[2], ns->mac[3], ns->mac[4], ns->mac[5],
                      ns->lan[0] ? ns->lan : "(not named: version 1)", ns->r.control, ns->r.rx.size, ns->r.rx.base, ns->r.rx.head, ns->r.rx.tail,
                      ns->r.tx.size, ns->r.tx.base, ns->r.tx.head, ns->r.tx.tail, ns->r.error,
                      ns->fifo_count, (unsigned long long)ns->r.rx_frames,
                      (unsigned long long)ns->r.tx_frames);
    free(ns);
    bh_buf_printf(o, "sections:\n");
    for (uint32_t t = 1; t < BH_SNAP_SEC_MAX; t++)
        if (f->sec[t].data)
            bh_buf_printf(o, "  %-7s v%u %10llu bytes  crc32c 0x%08x ok\n", bh_snapfile_sec_name(t),
                          f->sec[t].version, (unsigned long long)f->sec[t].len, f->sec[t].crc);
    bh_console_free(&con);
    bh_buf_free(&machine);
    if (have_own)
        bh_image_free(&own);
    return o->oom ? bh_errf(err, errlen, "out of memory") : 0;
}
