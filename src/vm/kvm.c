/*
 * Building the kernel half of the address space (layout in vm/kernel_layout.h).
 *
 * kvm_init() runs once, on the boot hart, before any other hart or process
 * exists.  It fills every root entry the kernel will ever use; after it,
 * the kernel root's upper half is read-only by convention, and kvm_share()
 * can hand the same lower-level tables to every new address space.
 */
#include "vm/kvm.h"
#include "vm/aspace.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/pagetable.h"
#include "boot/fdt.h"
#include "sched/cpu.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include <canopy/param.h>

pagetable_t kernel_root;

/* Linker-script symbols bounding the image's sections. */
extern char _text_start[], _text_end[], _rodata_end[], _data_start[], _image_end[];

/* Map [va, va+size) to pa with the largest pages alignment allows. */
static void
kvm_map(uint64 va, uint64 pa, uint64 size, uint64 flags)
{
	while (size > 0) {
		int level = 2;
		while (level > 0 &&
		       (((va | pa) & (LEVEL_SIZE(level) - 1)) || size < LEVEL_SIZE(level)))
			level--;
		if (pt_map(kernel_root, va, pa, level, flags) < 0)
			panic("kvm_map: out of memory");
		va += LEVEL_SIZE(level);
		pa += LEVEL_SIZE(level);
		size -= LEVEL_SIZE(level);
	}
}

static void
kvm_map_image(void)
{
	uint64 text = (uint64)_text_start, etext = (uint64)_text_end;
	uint64 erodata = (uint64)_rodata_end, data = (uint64)_data_start;
	uint64 end = ROUNDUP((uint64)_image_end, PGSIZE);

	kvm_map(text, text - KIMAGE_OFFSET, etext - text, KPTE_RX);
	kvm_map(etext, etext - KIMAGE_OFFSET, erodata - etext, KPTE_R);
	kvm_map(data, data - KIMAGE_OFFSET, end - data, KPTE_RW);
}

static void
kvm_map_device(const struct mmio_device *dev)
{
	if (dev->base == 0)
		return;
	uint64 base = ROUNDDOWN(dev->base, PGSIZE);
	uint64 size = ROUNDUP(dev->base + dev->size, PGSIZE) - base;
	kvm_map(base + PAGE_OFFSET, base, size, KPTE_RW);
}

/* One kernel stack per process slot and per hart, each above a guard page. */
static void
kvm_map_kstacks(void)
{
	for (int slot = 0; slot < NPROC + NCPU; slot++) {
		uint64 guard = KSTACK_BASE + (uint64)slot * KSTACK_SLOT;
		for (int i = 1; i < KSTACK_PAGES; i++) {
			void *page = kzalloc();
			if (!page)
				panic("kvm_map_kstacks: out of memory");
			kvm_map(guard + (uint64)i * PGSIZE, kva2pa(page), PGSIZE, KPTE_RW);
		}
	}
}

/* Top of the kernel stack of a slot (processes 0..NPROC-1, then harts). */
uint64
kvm_kstack(int slot)
{
	return kstack_top(slot);
}

void
kvm_init(void)
{
	kernel_root = pt_alloc_table();
	if (!kernel_root)
		panic("kvm_init: out of memory");

	kvm_map_image();
	for (int i = 0; i < platform.nram; i++) {
		uint64 base = ROUNDUP(platform.ram[i].base, PGSIZE);
		uint64 end = ROUNDDOWN(platform.ram[i].base + platform.ram[i].size, PGSIZE);
		kvm_map(base + PAGE_OFFSET, base, end - base, KPTE_RW);
	}
	kvm_map_device(&platform.uart);
	kvm_map_device(&platform.plic);
	kvm_map_device(&platform.test);
	kvm_map_device(&platform.rtc);
	for (int i = 0; i < platform.nvirtio; i++)
		kvm_map_device(&platform.virtio[i]);
	kvm_map_kstacks();

	for (int i = 0; i < KERNEL_HALF_FIRST; i++)
		if (kernel_root[i])
			panic("kvm_init: kernel mapping in the user half");
#if CONFIG_KPTI
	kpti_init();
#endif
	as_activate_kernel();
}

/*
 * Give a new root the kernel half: the same root entries as the kernel's,
 * pointing at the kernel's own lower-level tables.  Nothing below the root
 * is copied, so there is exactly one kernel mapping in the system.
 *
 * With KPTI a user root gets none of it: its only kernel-half entry is the
 * trap entry area, attached by kpti_prepare_return() (vm/kpti.c).
 */
void
kvm_share(pagetable_t root)
{
#if CONFIG_KPTI
	(void)root;
#else
	memcpy(&root[KERNEL_HALF_FIRST], &kernel_root[KERNEL_HALF_FIRST],
	       (PT_ENTRIES - KERNEL_HALF_FIRST) * sizeof(pte_t));
#endif
}
