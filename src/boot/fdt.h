/*
 * What the kernel learns from the flattened device tree OpenSBI hands it:
 * RAM, harts, the timebase and where each device sits.  Nothing about the
 * machine is assumed beyond what this describes.
 */
#ifndef BOOT_FDT_H
#define BOOT_FDT_H

#include "lib/types.h"
#include "sched/cpu.h"

#define PLATFORM_MAX_RANGES 8
#define PLATFORM_MAX_VIRTIO 8

struct mem_range {
	uint64 base;
	uint64 size;
};

struct mmio_device {
	uint64 base;
	uint64 size;
	uint32 irq;
};

struct platform {
	struct mem_range ram[PLATFORM_MAX_RANGES];
	int nram;
	struct mem_range reserved[PLATFORM_MAX_RANGES];  /* firmware, DTB reservations */
	int nreserved;
	uint32 hartids[NCPU];   /* the first NCPU harts of the tree, the boot hart among them */
	int nharts;
	int harts_found;        /* in the tree, including any beyond NCPU */
	uint64 boot_hartid;     /* set before parsing */
	uint64 timebase_hz;
	bool has_sstc;          /* every hart lists the Sstc extension */
	struct mmio_device uart;
	struct mmio_device plic;
	struct mmio_device test; /* sifive,test0: power-off with an exit code */
	struct mmio_device rtc;
	struct mmio_device virtio[PLATFORM_MAX_VIRTIO];
	int nvirtio;
	char bootargs[2048];
	uint64 dtb_pa;
	uint64 dtb_size;
};

extern struct platform platform;

/* Parse the tree at physical address dtb_pa (reached through the direct map). */
void fdt_parse(uint64 dtb_pa);

#endif
