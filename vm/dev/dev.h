/* dev.h: the device contract.  This header is all a device sees of the
 * machine, as TinyEMU's iomem.h: a device never includes the CPU, the VM
 * object or guest memory, so it can be read, tested and snapshotted alone.
 *
 *  - A device exposes registers as a region: read and write callbacks that
 *    get (opaque, offset from the region's base, size 1, 2 or 4).  The
 *    machine decides where the region sits in the guest's address space
 *    and registers it with the memory map (mem.h: bh_mem_map_io).
 *  - It raises interrupts through IRQ lines the machine wires to the CPU:
 *    the device sets a line's level and never knows which Cause bit that
 *    lights (TinyEMU's IRQSignal).
 *  - It reaches guest memory, when it must (DMA), through a narrow
 *    interface whose writes mark the pages dirty, so snapshots and live
 *    migration see what a device wrote.
 *  - A network card reaches its wire through a link (bh_net_link): it
 *    hands frames to it and takes the frames waiting for it, and never
 *    knows what is on the other end (a switch's port, a unit test).
 *  - Each device serializes its own state: a save/load pair next to its
 *    struct, with a version of its own (state/snapshot.c registers it).
 * Callbacks run on the VM's own thread, inside the core's slow path (the
 * pc and instruction count are written back first: see include/vm.h). */
#ifndef BH_DEV_H
#define BH_DEV_H

#include <stddef.h>
#include <stdint.h>

/* Register access: 0, or -1 for a bus error (the guest gets DBE). */
typedef int (*bh_io_read_fn)(void *opaque, uint32_t offset, unsigned size, uint32_t *val);
typedef int (*bh_io_write_fn)(void *opaque, uint32_t offset, unsigned size, uint32_t val);

/* A device's registers: size bytes, placed by the machine.  The names
 * are for the learner: --trace-exits prints each access as
 * "mmio write console.tx_data = 0x41 'A'" and --stats counts by device.
 * regs[i] names the 32-bit register at offset 4 * i (nregs of them); an
 * offset past them is shown as +0xNN. */
struct bh_dev_region {
    const char *name;
    uint32_t size;
    bh_io_read_fn read;
    bh_io_write_fn write;
    const char *const *regs;
    unsigned nregs;
};

/* The name of the register at offset (NULL when it has none). */
static inline const char *bh_dev_reg_name(const struct bh_dev_region *d, uint32_t offset)
{
    return offset / 4 < d->nregs ? d->regs[offset / 4] : NULL;
}

/* One interrupt line.  The machine fills it in; the device only sets the
 * level (1 raised, 0 lowered).  An unwired line (set == NULL) does nothing,
 * so a device also works alone in a unit test. */
struct bh_irq {
    void (*set)(void *opaque, unsigned line, int level);
    void *opaque;
    unsigned line;
};
static inline void bh_irq_set(const struct bh_irq *irq, int level)
{
    if (irq->set)
        irq->set(irq->opaque, irq->line, level);
}

/* Guest memory for a device: copies of n bytes at a guest address.
 * -1 when a byte is unmapped (or, for writes, read-only); writes mark the
 * pages they touch dirty. */
struct bh_dma {
    int (*read)(void *opaque, uint32_t addr, void *dst, uint32_t n);
    int (*write)(void *opaque, uint32_t addr, const void *src, uint32_t n);
    void *opaque;
};
static inline int bh_dma_read(const struct bh_dma *d, uint32_t addr, void *dst, uint32_t n)
{
    return d->read(d->opaque, addr, dst, n);
}
static inline int bh_dma_write(const struct bh_dma *d, uint32_t addr, const void *src, uint32_t n)
{
    return d->write(d->opaque, addr, src, n);
}

/* The VM's virtual clock, for a device that keeps time: nanoseconds since
 * the Unix epoch.  Deterministic: it advances with the instructions the
 * guest runs (and its virtual sleeps), as syscall 30's clock does, so a
 * run, its replay and a restored snapshot see the same times. */
struct bh_clock_src {
    uint64_t (*now_ns)(void *opaque);
    /* The device's next deadline is now ns (a register write armed it):
     * the machine stops the running core by then.  May be NULL. */
    void (*deadline)(void *opaque, uint64_t ns);
    void *opaque;
};

/* A network card's wire (the machine plugs it into a switch's port).
 * send hands one Ethernet frame (len bytes, copied before it returns) to
 * the wire, stamped with the sender's virtual time ns; recv copies the
 * next frame waiting for this end into buf (cap bytes, enough for any
 * frame) and returns its length, 0 when none waits.  Both may be called
 * from any VM's thread: the other end does its own locking.  A link
 * with send == NULL is unplugged (link down). */
struct bh_net_link {
    void (*send)(void *opaque, const void *frame, uint32_t len, uint64_t ns);
    uint32_t (*recv)(void *opaque, void *buf, uint32_t cap);
    void *opaque;
};

#endif
