/*
 * virtio over MMIO: the register offsets, status bits and split-ring
 * structures both the legacy (version 1, QEMU 7.2's default) and the
 * modern (version 2) transport use.  Facts from the virtio specification.
 */
#ifndef DEV_VIRTIO_H
#define DEV_VIRTIO_H

#include "lib/types.h"

#define VIRTIO_MAGIC            0x74726976      /* "virt" */

#define VIRTIO_MMIO_MAGIC               0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028   /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03c   /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN           0x040   /* legacy */
#define VIRTIO_MMIO_QUEUE_READY         0x044   /* modern */
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080   /* modern */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_STATUS_ACKNOWLEDGE       1
#define VIRTIO_STATUS_DRIVER            2
#define VIRTIO_STATUS_DRIVER_OK         4
#define VIRTIO_STATUS_FEATURES_OK       8

#define VIRTIO_F_VERSION_1_HI           (1u << 0)       /* bit 32 */

#define VIRTIO_DEV_BLOCK                2

/* Split ring. */
#define VRING_DESC_F_NEXT       1
#define VRING_DESC_F_WRITE      2       /* the device writes this buffer */

struct vring_desc {
	uint64 addr;
	uint32 len;
	uint16 flags;
	uint16 next;
};

struct vring_avail {
	uint16 flags;
	uint16 idx;
	uint16 ring[];
};

struct vring_used_elem {
	uint32 id;      /* head descriptor of the finished chain */
	uint32 len;
};

struct vring_used {
	uint16 flags;
	uint16 idx;
	struct vring_used_elem ring[];
};

/* virtio-blk requests: header, data, status byte. */
#define VIRTIO_BLK_T_IN         0
#define VIRTIO_BLK_T_OUT        1
#define VIRTIO_BLK_S_OK         0
#define VIRTIO_BLK_SECTOR       512

struct virtio_blk_req_hdr {
	uint32 type;
	uint32 reserved;
	uint64 sector;
};

#endif
