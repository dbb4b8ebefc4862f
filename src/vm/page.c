/*
 * The page array: one struct page per page of RAM (vm/page.h), carved
 * out of RAM at boot from the first free run long enough to hold it, and
 * the boot hand-over of every other usable page to the allocator.
 */
#include "vm/page.h"
#include "vm/kernel_layout.h"
#include "boot/fdt.h"
#include "debug/kprintf.h"
#include "lib/string.h"

uint64 pages_base;              /* pages[] covers RAM from here ... */
static uint64 ram_hi;           /* ... to here */
struct page *pages;

struct page *
page_of_pa(uint64 pa)
{
	if ((pa & (PGSIZE - 1)) || pa < pages_base || pa >= ram_hi)
		panic("kalloc: pa %p is not a managed page", (void *)pa);
	return &pages[(pa - pages_base) >> PGSHIFT];
}

struct page *
page_of(void *page)
{
	return page_of_pa(kva2pa(page));
}

/* Page numbers index pages[]. */
uint32
pfn_of(uint64 pa)
{
	return (uint32)((pa - pages_base) >> PGSHIFT);
}

uint64
pa_of(uint32 pfn)
{
	return pages_base + ((uint64)pfn << PGSHIFT);
}

/* The lowest reserved range ending above pa: [*lo, *hi), or false if none. */
static bool
next_reserved(uint64 pa, const struct mem_range *extra, int nextra, uint64 *lo, uint64 *hi)
{
	bool found = false;

	for (int i = 0; i < platform.nreserved + nextra; i++) {
		const struct mem_range *r = i < platform.nreserved ? &platform.reserved[i]
								    : &extra[i - platform.nreserved];
		if (r->size == 0 || r->base + r->size <= pa)
			continue;
		if (!found || r->base < *lo) {
			*lo = r->base;
			*hi = r->base + r->size;
			found = true;
		}
	}
	return found;
}

/* Every page of [base, end) not in a reserved range goes to the allocator. */
static void
free_ram_range(uint64 base, uint64 end, const struct mem_range *extra, int nextra,
	       void (*give)(uint64 pa, uint64 end))
{
	uint64 pa = ROUNDUP(base, PGSIZE);

	end = ROUNDDOWN(end, PGSIZE);
	while (pa < end) {
		uint64 lo, hi;
		if (!next_reserved(pa, extra, nextra, &lo, &hi) || lo >= end) {
			give(pa, end);
			return;
		}
		if (lo > pa)
			give(pa, ROUNDDOWN(lo, PGSIZE));
		pa = ROUNDUP(hi, PGSIZE);
	}
}

/*
 * The first page-aligned run of RAM, clear of the image and the reserved
 * ranges, that holds need bytes; 0 if none.
 */
static uint64
find_room(uint64 need, const struct mem_range *image)
{
	for (int i = 0; i < platform.nram; i++) {
		struct mem_range *r = &platform.ram[i];
		uint64 pa = ROUNDUP(r->base, PGSIZE), end = ROUNDDOWN(r->base + r->size, PGSIZE);
		while (pa + need <= end) {
			uint64 lo, hi;
			if (!next_reserved(pa, image, 1, &lo, &hi) || lo >= pa + need)
				return pa;
			pa = ROUNDUP(hi, PGSIZE);
		}
	}
	return 0;
}

/*
 * Lay out the page array, zeroed, then give(pa, end) each page-aligned
 * run of RAM that is neither the kernel image [image_start, image_end),
 * a reserved range, nor the array itself.
 */
void
page_array_init(uint64 image_start, uint64 image_end, void (*give)(uint64 pa, uint64 end))
{
	pages_base = ~0UL;
	ram_hi = 0;
	for (int i = 0; i < platform.nram; i++) {
		struct mem_range *r = &platform.ram[i];
		if (r->base < pages_base)
			pages_base = ROUNDUP(r->base, PGSIZE);
		if (r->base + r->size > ram_hi)
			ram_hi = ROUNDDOWN(r->base + r->size, PGSIZE);
	}
	struct mem_range used[2] = { { image_start, image_end - image_start } };
	uint64 need = ROUNDUP(((ram_hi - pages_base) >> PGSHIFT) * sizeof(struct page), PGSIZE);
	uint64 at = find_room(need, used);
	if (!at)
		panic("page_array_init: no room for the page array (%lu KiB)", need >> 10);
	pages = pa2kva(at);
	memset(pages, 0, need);
	used[1] = (struct mem_range){ at, need };
	for (int i = 0; i < platform.nram; i++)
		free_ram_range(platform.ram[i].base, platform.ram[i].base + platform.ram[i].size,
			       used, 2, give);
}

/* Is pa a page of the RAM the allocator manages? */
bool
page_is_ram(uint64 pa)
{
	return pa >= pages_base && pa < ram_hi;
}
