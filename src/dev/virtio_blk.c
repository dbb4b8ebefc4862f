/*
 * virtio-blk over virtio-mmio, legacy (version 1) or modern (version 2)
 * transport, interrupt driven.
 *
 * One virtqueue of QUEUE_SIZE descriptors.  Up to NREQ requests are in
 * flight at once.  A request moves a run of up to VIRTIO_BLK_MAX_SEGS
 * consecutive disk blocks to or from as many buffers (scatter-gather).
 * Request slot r always uses the SLOT_DESCS descriptors from
 * r * SLOT_DESCS: the header, one per buffer, then the status byte; so
 * the used ring's id names the slot and no descriptor allocator is needed.
 *
 * Invariants (under disk.lock): a slot is busy iff its chain is on the
 * avail ring and not yet taken back from the used ring; a buffer's disk
 * flag is set from submission until the interrupt handler retires its
 * slot, then its waiters are woken.  A transfer never reaches past the
 * disk's capacity: the check is here, below every caller.
 *
 * Errors: a request the device fails, or one refused here, leaves
 * io_error set on each of its buffers; callers check it after waiting.
 * With fault injection (debug/faultinject.h, DEBUG kernels) a request may
 * fail without being sent: nothing reaches the disk, and it completes at
 * once with an I/O error, as a failed transfer would report it.
 */
#include "dev/virtio_blk.h"
#include "dev/virtio.h"
#include "dev/irq.h"
#include "boot/fdt.h"
#include "fs/buf.h"
#include "sched/proc.h"
#include "sync/spinlock.h"
#include "vm/kernel_layout.h"
#include "debug/faultinject.h"
#include "debug/kprintf.h"
#include "lib/string.h"

#define QUEUE_SIZE 512                          /* a power of two */
#define NREQ 16
#define SLOT_DESCS (VIRTIO_BLK_MAX_SEGS + 2)     /* header, data..., status */
#define SECTORS_PER_BLOCK (BSIZE / VIRTIO_BLK_SECTOR)

STATIC_ASSERT(NREQ * SLOT_DESCS <= QUEUE_SIZE);

/*
 * The ring in the legacy layout (QueueAlign 4096), which the modern
 * transport accepts too: descriptors, then avail, then used on the next
 * page boundary.
 */
#define AVAIL_OFF (QUEUE_SIZE * sizeof(struct vring_desc))
#define USED_OFF ROUNDUP(AVAIL_OFF + 4 + 2 * QUEUE_SIZE + 2, PGSIZE)
#define RING_BYTES ROUNDUP(USED_OFF + 4 + 8 * QUEUE_SIZE + 2, PGSIZE)
static uint8 ring_pages[RING_BYTES] __attribute__((aligned(PGSIZE)));

static struct {
	struct spinlock lock;
	volatile uint32 *regs;
	uint32 version;
	uint64 capacity;        /* in 512-byte sectors */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16 used_seen;       /* used-ring entries already handled */
	struct {
		struct virtio_blk_req_hdr hdr;
		volatile uint8 status;
		bool busy;
		int n;
		struct buf *b[VIRTIO_BLK_MAX_SEGS];
	} req[NREQ];
	char done;              /* channel: some transfer finished */
	uint64 in_flight_max;   /* most requests seen in flight at once */
	uint32 in_flight;
} disk;

static uint32
reg_read(uint32 off)
{
	return disk.regs[off / 4];
}

static void
reg_write(uint32 off, uint32 v)
{
	disk.regs[off / 4] = v;
}

static void virtio_blk_intr(void *arg);

/* Negotiate features and set up queue 0; false if the device will not have it. */
static bool
setup_device(void)
{
	uint32 status = 0;

	reg_write(VIRTIO_MMIO_STATUS, status);
	status |= VIRTIO_STATUS_ACKNOWLEDGE;
	reg_write(VIRTIO_MMIO_STATUS, status);
	status |= VIRTIO_STATUS_DRIVER;
	reg_write(VIRTIO_MMIO_STATUS, status);

	/* no optional features; a modern device needs VERSION_1 */
	reg_write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	reg_write(VIRTIO_MMIO_DRIVER_FEATURES, 0);
	if (disk.version == 2) {
		reg_write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
		if (!(reg_read(VIRTIO_MMIO_DEVICE_FEATURES) & VIRTIO_F_VERSION_1_HI))
			return false;
		reg_write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		reg_write(VIRTIO_MMIO_DRIVER_FEATURES, VIRTIO_F_VERSION_1_HI);
		status |= VIRTIO_STATUS_FEATURES_OK;
		reg_write(VIRTIO_MMIO_STATUS, status);
		if (!(reg_read(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
			return false;
	}

	reg_write(VIRTIO_MMIO_QUEUE_SEL, 0);
	if (reg_read(VIRTIO_MMIO_QUEUE_NUM_MAX) < QUEUE_SIZE)
		return false;
	reg_write(VIRTIO_MMIO_QUEUE_NUM, QUEUE_SIZE);
	uint64 pa = kva2pa(ring_pages);
	if (disk.version == 1) {
		reg_write(VIRTIO_MMIO_GUEST_PAGE_SIZE, PGSIZE);
		reg_write(VIRTIO_MMIO_QUEUE_ALIGN, PGSIZE);
		reg_write(VIRTIO_MMIO_QUEUE_PFN, (uint32)(pa >> PGSHIFT));
	} else {
		uint64 avail = pa + AVAIL_OFF;
		uint64 used = pa + USED_OFF;
		reg_write(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32)pa);
		reg_write(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32)(pa >> 32));
		reg_write(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32)avail);
		reg_write(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32)(avail >> 32));
		reg_write(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32)used);
		reg_write(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32)(used >> 32));
		reg_write(VIRTIO_MMIO_QUEUE_READY, 1);
	}
	status |= VIRTIO_STATUS_DRIVER_OK;
	reg_write(VIRTIO_MMIO_STATUS, status);
	return true;
}

/*
 * Find a virtio-blk device among the virtio-mmio slots and start it.
 * With several, the highest slot wins (QEMU gives it to the first
 * -device).  Returns false, having said why, if there is none or it
 * cannot be used.  Boot only.
 */
bool
virtio_blk_init(void)
{
	int found = -1;

	spin_init(&disk.lock, "virtio-blk");
	for (int i = 0; i < platform.nvirtio; i++) {
		volatile uint32 *r = pa2kva(platform.virtio[i].base);
		if (r[VIRTIO_MMIO_MAGIC / 4] != VIRTIO_MAGIC ||
		    r[VIRTIO_MMIO_DEVICE_ID / 4] != VIRTIO_DEV_BLOCK)
			continue;
		if (found < 0 || platform.virtio[i].base > platform.virtio[found].base)
			found = i;
	}
	if (found < 0)
		return false;

	struct mmio_device *dev = &platform.virtio[found];
	disk.regs = pa2kva(dev->base);
	disk.version = reg_read(VIRTIO_MMIO_VERSION);
	if ((disk.version != 1 && disk.version != 2) || !setup_device()) {
		kprintf("virtio-blk at %p: cannot set the device up (version %u)\n",
			(void *)dev->base, disk.version);
		reg_write(VIRTIO_MMIO_STATUS, 0);
		disk.regs = NULL;
		return false;
	}
	disk.capacity = reg_read(VIRTIO_MMIO_CONFIG) |
			(uint64)reg_read(VIRTIO_MMIO_CONFIG + 4) << 32;
	disk.desc = (struct vring_desc *)ring_pages;
	disk.avail = (struct vring_avail *)(ring_pages + AVAIL_OFF);
	disk.used = (struct vring_used *)(ring_pages + USED_OFF);
	irq_register(dev->irq, virtio_blk_intr, NULL);
	kprintf("virtio-blk at %p (irq %u, %s): %lu KiB\n", (void *)dev->base, dev->irq,
		disk.version == 1 ? "legacy" : "modern", disk.capacity / 2);
	return true;
}

/* Whole BSIZE blocks on the disk (0 without one). */
uint64
virtio_blk_blocks(void)
{
	return disk.regs ? disk.capacity / SECTORS_PER_BLOCK : 0;
}

/*
 * Start one transfer between the data of bufs[0..n-1] and the n
 * consecutive disk blocks from first (which need not be the buffers' own
 * block numbers: the log writes cached blocks to its own area).  Sleeps
 * while every request slot is busy.  The caller holds the buffers' locks
 * and later calls virtio_blk_wait() on each.  Blocks beyond the disk are
 * refused with a message: the buffers get io_error and nothing is sent.
 */
void
virtio_blk_submit(struct buf **bufs, int n, uint32 first, bool write)
{
	uint64 sector = (uint64)first * SECTORS_PER_BLOCK;
	int r;

	if (n < 1 || n > VIRTIO_BLK_MAX_SEGS)
		panic("virtio_blk_submit: %d buffers", n);
	for (int i = 0; i < n; i++)
		bufs[i]->io_error = false;
	if (!disk.regs || sector + (uint64)n * SECTORS_PER_BLOCK > disk.capacity) {
		kprintf("virtio-blk: blocks %u..%u are beyond the disk: not %s\n", first,
			first + n - 1, write ? "written" : "read");
		for (int i = 0; i < n; i++)
			bufs[i]->io_error = true;
		return;
	}
	if (fault_inject(FAULT_DISK)) {
		kprintf("virtio-blk: injected I/O error: blocks %u..%u not %s\n", first,
			first + n - 1, write ? "written" : "read");
		for (int i = 0; i < n; i++)
			bufs[i]->io_error = true;
		return;
	}
	spin_lock(&disk.lock);
	for (;;) {
		for (r = 0; r < NREQ && disk.req[r].busy; r++)
			;
		if (r < NREQ)
			break;
		sleep(&disk.req, &disk.lock);
	}
	disk.req[r].busy = true;
	disk.req[r].n = n;
	disk.req[r].status = 0xff;
	disk.req[r].hdr.type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
	disk.req[r].hdr.reserved = 0;
	disk.req[r].hdr.sector = sector;

	uint16 head = (uint16)(r * SLOT_DESCS);
	struct vring_desc *d = &disk.desc[head];
	d[0].addr = kva2pa(&disk.req[r].hdr);
	d[0].len = sizeof(disk.req[r].hdr);
	d[0].flags = VRING_DESC_F_NEXT;
	d[0].next = head + 1;
	for (int i = 0; i < n; i++) {
		disk.req[r].b[i] = bufs[i];
		bufs[i]->disk = true;
		d[1 + i].addr = kva2pa(bufs[i]->data);
		d[1 + i].len = BSIZE;
		d[1 + i].flags = VRING_DESC_F_NEXT | (write ? 0 : VRING_DESC_F_WRITE);
		d[1 + i].next = (uint16)(head + 2 + i);
	}
	d[n + 1].addr = kva2pa((const void *)&disk.req[r].status);
	d[n + 1].len = 1;
	d[n + 1].flags = VRING_DESC_F_WRITE;
	d[n + 1].next = 0;

	if (++disk.in_flight > disk.in_flight_max)
		disk.in_flight_max = disk.in_flight;
	uint16 idx = disk.avail->idx;
	disk.avail->ring[idx % QUEUE_SIZE] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* the entry before the index */
	*(volatile uint16 *)&disk.avail->idx = (uint16)(idx + 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* the index before the notify */
	reg_write(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	spin_unlock(&disk.lock);
}

/* Sleep until b's transfer (if any) has finished. */
void
virtio_blk_wait(struct buf *b)
{
	spin_lock(&disk.lock);
	while (b->disk)
		sleep(&disk.done, &disk.lock);
	spin_unlock(&disk.lock);
}

/* Read or write b at its own block number, and wait for it. */
void
virtio_blk_rw(struct buf *b, bool write)
{
	virtio_blk_submit(&b, 1, b->blockno, write);
	virtio_blk_wait(b);
}

/* The most requests that were in flight at once since boot. */
uint64
virtio_blk_max_in_flight(void)
{
	return disk.in_flight_max;
}

/* Retire every finished request and wake its waiter. */
static void
virtio_blk_intr(void *arg)
{
	(void)arg;
	spin_lock(&disk.lock);
	reg_write(VIRTIO_MMIO_INTERRUPT_ACK, reg_read(VIRTIO_MMIO_INTERRUPT_STATUS) & 3);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	while (disk.used_seen != *(volatile uint16 *)&disk.used->idx) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* the index before the entry */
		uint32 id = disk.used->ring[disk.used_seen % QUEUE_SIZE].id;
		disk.used_seen++;
		uint32 r = id / SLOT_DESCS;
		if (id % SLOT_DESCS != 0 || r >= NREQ || !disk.req[r].busy) {
			kprintf("virtio-blk: device returned unknown descriptor %u\n", id);
			continue;
		}
		bool failed = disk.req[r].status != VIRTIO_BLK_S_OK;
		if (failed)
			kprintf("virtio-blk: I/O error %u on blocks %lu..\n", disk.req[r].status,
				disk.req[r].hdr.sector / SECTORS_PER_BLOCK);
		for (int i = 0; i < disk.req[r].n; i++) {
			struct buf *b = disk.req[r].b[i];
			b->io_error = failed;
			b->disk = false;
			disk.req[r].b[i] = NULL;
		}
		disk.req[r].busy = false;
		disk.in_flight--;
	}
	wakeup(&disk.done);     /* one wakeup for every transfer that finished */
	wakeup(&disk.req);
	spin_unlock(&disk.lock);
}
