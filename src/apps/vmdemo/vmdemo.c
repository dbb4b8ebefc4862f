/*
 * vmdemo: show the pieces of an address space in one vmprint: a heap
 * filled in order (a superpage), a shared mapping of a file (its pages
 * from the page cache, the same physical pages in every process mapping
 * the file), a private anonymous mapping, then vmprint of itself.  The
 * example in docs/memory.md comes from it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "canopy.h"

#define SUPER (2L << 20)

int
main(int argc, char *argv[])
{
	const char *file = argc > 1 ? argv[1] : "/README";
	char *brk = sbrk(0);
	long pad = (SUPER - (long)brk % SUPER) % SUPER;
	char *heap = sbrk(pad + SUPER);

	if (heap == (char *)-1) {
		fprintf(stderr, "vmdemo: sbrk failed\n");
		return 1;
	}
	for (long i = 0; i < SUPER; i += 4096)
		heap[pad + i] = 1;
	int fd = open(file, O_RDONLY);
	char *shared = fd < 0 ? MAP_FAILED : mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	if (shared == MAP_FAILED) {
		fprintf(stderr, "vmdemo: cannot map %s\n", file);
		return 1;
	}
	close(fd);
	char *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char c = shared[0];
	(void)c;
	anon[0] = 1;
	static char buf[64 * 1024];
	long n = vmprint(0, buf, sizeof(buf));
	if (n < 0)
		return 1;
	fflush(stdout);
	write(1, buf, n);
	return 0;
}
