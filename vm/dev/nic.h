/* nic.h: the network card: an Ethernet port with receive and transmit
 * descriptor rings in guest memory (docs/network.md has the map and why).
 * Sixteen 32-bit registers, word access only:
 *
 *   +0x00 MAC_LO    the MAC's bytes 0-3 (byte 0 in bits 0-7); read-only
 *   +0x04 MAC_HI    the MAC's bytes 4-5 in bits 0-15; read-only
 *   +0x08 CONTROL   bit 0 RXEN (take frames), bit 1 TXEN (send them)
 *   +0x0c STATUS    bit 0 LINK (plugged into a switch); read-only
 *   +0x10 RX_BASE   the receive ring: descriptors at a multiple of 8
 *   +0x14 RX_SIZE   its descriptors, 1..BH_NIC_MAX_RING
 *   +0x18 RX_HEAD   the next descriptor the card fills (read-only)
 *   +0x1c RX_TAIL   the driver's: the card owns [HEAD, TAIL)
 *   +0x20 TX_BASE, +0x24 TX_SIZE, +0x28 TX_HEAD, +0x2c TX_TAIL: the same
 *                   for transmit (writing TX_TAIL sends, at once)
 *   +0x30 ICAUSE    bit 0 RX (a frame arrived), bit 1 TX (a frame went),
 *                   bit 2 ERR; write 1s to clear them
 *   +0x34 IMASK     the ICAUSE bits that raise the interrupt line
 *   +0x38 ERROR     the first error (BH_NIC_E_*); while it is not 0 the
 *                   card moves nothing; any write clears it
 *   +0x3c ERRADDR   the address of the descriptor that failed
 *
 * A descriptor is two little-endian words: the buffer's address (a
 * multiple of 4), then the length in bits 0-15 and DONE in bit 31.  For
 * receive the driver gives the buffer's size, the card writes the frame,
 * its length and DONE; for transmit the driver gives the frame's length,
 * the card sends it and sets DONE.  Writing RX_BASE, RX_SIZE, TX_BASE or
 * TX_SIZE empties that ring (HEAD = TAIL = 0).
 *
 * Built on the device contract alone (dev.h).  Transmit runs inside the
 * write of TX_TAIL, synchronously, as the disk's requests do.  Receive
 * runs when the machine polls the card (bh_nic_poll, before each time
 * slice), when the guest reads STATUS, RX_HEAD or ICAUSE, and after each
 * register write: frames come
 * from the link into a FIFO of BH_NIC_FIFO frames (the card's own memory),
 * then into the ring's buffers.  A bad descriptor sets ERROR and ERRADDR
 * before any byte moves, and the DMA interface never reaches outside the
 * VM's memory.
 *
 * SERIALIZED STATE (bh_nic_save / bh_nic_load): the MAC, the registers,
 * the counters, the frames in the FIFO and the name of the LAN the cable
 * goes to (version 2).  NOT serialized: the link, the IRQ, DMA and clock
 * wiring. */
#ifndef BH_NIC_H
#define BH_NIC_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"
#include "dev/dev.h"

#define BH_NIC_MMIO_SIZE 0x40u
#define BH_NIC_FRAME_MIN 14u   /* an Ethernet header */
#define BH_NIC_FRAME_MAX 1514u /* header + 1500 bytes of payload (no FCS) */
#define BH_NIC_MAX_RING 1024u  /* descriptors per ring */
#define BH_NIC_DESC 8u         /* bytes per descriptor */
#define BH_NIC_FIFO 8u         /* frames the card holds between link and ring */
#define BH_NIC_LAN_MAX 23u     /* a LAN's name: 1-23 letters, digits, '_', '.', '-' */

#define BH_NIC_REG_MAC_LO  0x00u
#define BH_NIC_REG_MAC_HI  0x04u
#define BH_NIC_REG_CONTROL 0x08u
#define BH_NIC_REG_STATUS  0x0cu
#define BH_NIC_REG_RX_BASE 0x10u
#define BH_NIC_REG_RX_SIZE 0x14u
#define BH_NIC_REG_RX_HEAD 0x18u
#define BH_NIC_REG_RX_TAIL 0x1cu
#define BH_NIC_REG_TX_BASE 0x20u
#define BH_NIC_REG_TX_SIZE 0x24u
#define BH_NIC_REG_TX_HEAD 0x28u
#define BH_NIC_REG_TX_TAIL 0x2cu
#define BH_NIC_REG_ICAUSE  0x30u
#define BH_NIC_REG_IMASK   0x34u
#define BH_NIC_REG_ERROR   0x38u
#define BH_NIC_REG_ERRADDR 0x3cu

#define BH_NIC_CTL_RXEN 1u
#define BH_NIC_CTL_TXEN 2u
#define BH_NIC_ST_LINK 1u
#define BH_NIC_INT_RX  1u
#define BH_NIC_INT_TX  2u
#define BH_NIC_INT_ERR 4u
#define BH_NIC_INT_ALL 7u
#define BH_NIC_DESC_DONE 0x80000000u
#define BH_NIC_DESC_LEN  0xffffu

/* ERROR: what was wrong.  The ring is checked first (RING, ALIGN, LOOP),
 * then each descriptor in this order: it is memory (ADDRESS), the length
 * (LENGTH), the buffer's alignment (ALIGN), 4 GiB (ADDRESS), the rings
 * (LOOP), the buffer is memory (ADDRESS). */
#define BH_NIC_OK        0u
#define BH_NIC_E_RING    1u /* the ring's SIZE is 0 or more than BH_NIC_MAX_RING, or it
                               passes 4 GiB */
#define BH_NIC_E_INDEX   2u /* TAIL written with a value not below SIZE */
#define BH_NIC_E_ALIGN   3u /* the ring's BASE is not a multiple of 8, or a buffer's
                               address not a multiple of 4 */
#define BH_NIC_E_LOOP    4u /* the rings overlap, or a buffer overlaps a ring (the card
                               would write its own descriptors) */
#define BH_NIC_E_LENGTH  5u /* a frame to send is shorter than 14 or longer than 1514
                               bytes, or a frame received is longer than its buffer */
#define BH_NIC_E_ADDRESS 6u /* a descriptor or a buffer is not all the VM's memory */
#define BH_NIC_E_MAX     BH_NIC_E_ADDRESS

struct bh_nic_ring {
    uint32_t base, size, head, tail;
};

/* What the guest sees and what a snapshot keeps of the card. */
struct bh_nic_regs {
    uint32_t control, icause, imask, error, erraddr;
    struct bh_nic_ring rx, tx;
    /* counters (--stats) */
    uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes, tx_nolink, errors;
};

struct bh_nic_frame {
    uint32_t len;
    uint8_t data[BH_NIC_FRAME_MAX];
};

struct bh_nic {
    uint8_t mac[6];
    struct bh_nic_regs r;
    struct bh_nic_frame fifo[BH_NIC_FIFO]; /* received, not yet in the ring */
    unsigned fifo_first, fifo_count;
    struct bh_net_link link; /* the wire (the machine plugs it) */
    struct bh_irq irq;       /* ICAUSE & IMASK (the machine wires it) */
    struct bh_dma dma;       /* guest memory */
    struct bh_clock_src clock; /* the time frames are sent at */
    char lan[BH_NIC_LAN_MAX + 1]; /* the LAN the cable goes to ("" when none) */
};

/* A card with this MAC, unplugged, everything else zero. */
void bh_nic_init(struct bh_nic *n, const uint8_t mac[6]);

/* The register region; its callbacks take the card as opaque pointer. */
extern const struct bh_dev_region bh_nic_region;

/* Take the frames the link holds (as many as the FIFO has room for) and
 * move what the FIFO holds into the receive ring. */
void bh_nic_poll(struct bh_nic *n);

/* The MAC of a VM named name: stable (a hash of the name), unicast and
 * locally administered (02:...). */
void bh_nic_mac_of_name(const char *name, uint8_t mac[6]);
/* "xx:xx:xx:xx:xx:xx" (hex) into mac: 0, or -1 when malformed or
 * multicast (a card's own address is unicast). */
int bh_nic_parse_mac(const char *s, uint8_t mac[6]);
/* Is s a LAN's name (1-23 letters, digits, '_', '.' or '-': vm_net)? */
int bh_nic_lan_ok(const char *s);

/* Serialization (the NIC section, docs/snapshot-format.md): save; parse
 * (validates everything into s; version 1, without the LAN's name, gives
 * lan ""); load (changes n; a card already plugged keeps its LAN's name). */
#define BH_NIC_STATE_VERSION 2u
struct bh_nic_saved {
    uint8_t mac[6];
    char lan[BH_NIC_LAN_MAX + 1];
    struct bh_nic_regs r;
    struct bh_nic_frame fifo[BH_NIC_FIFO];
    unsigned fifo_count;
};
int bh_nic_save(const struct bh_nic *n, struct bh_buf *b);
int bh_nic_parse(struct bh_rd *rd, uint32_t version, struct bh_nic_saved *s, char *err,
                 size_t errlen);
void bh_nic_load(struct bh_nic *n, const struct bh_nic_saved *s);

#endif
