/*
 * free [-p]: the memory the page allocator manages, how much of it is in
 * use and how much is free, in KiB (or in 4 KiB pages with -p), from
 * sysinfo().  "used" is every page not on the free lists: user pages,
 * page tables, kernel stacks, the buffer cache, pipes...
 */
#include <stdio.h>
#include "canopy.h"

#define USAGE "free [-p]  (-p: in pages, not KiB)"

int
main(int argc, char *argv[])
{
	struct sysinfo si;
	bool on[128] = { 0 };

	if (get_options(argc, argv, "p", on, USAGE) != argc)
		usage_exit(USAGE);
	bool pages = on['p'];
	if (sysinfo(&si) < 0) {
		fprintf(stderr, "free: sysinfo failed\n");
		return 1;
	}
	unsigned long unit = pages ? 1 : PGSIZE / 1024;
	unsigned long total = si.total_pages * unit, avail = si.free_pages * unit;
	printf("%-6s %10s %10s %10s\n", "", "total", "used", "free");
	printf("%-6s %10lu %10lu %10lu\n", pages ? "pages" : "KiB", total, total - avail, avail);
	return stdout_ok("free") ? 0 : 1;
}
