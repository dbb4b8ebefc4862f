/*
 * trace [-a] MASK command [args...]: run command with system-call tracing
 * on.  Bit N of MASK traces call number N (canopy/syscall.h; 1..21 are
 * xv6's numbers), so "trace 32 grep x README" traces read (5), as in the
 * xv6 lab; MASK may be decimal, hex (0x...) or "all".  Each traced call
 * prints "PID: syscall NAME -> RESULT" on the console when it returns;
 * -a also decodes the arguments: "PID: syscall open("f", 0x0) -> 3".
 * The mask is inherited by children and kept across exec.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "canopy.h"

static void
usage(void)
{
	fprintf(stderr, "usage: trace [-a] MASK command [args...]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	int flags = 0, i = 1;
	uint64_t mask;
	char *end;

	if (i < argc && strcmp(argv[i], "-a") == 0) {
		flags |= TRACE_ARGS;
		i++;
	}
	if (argc - i < 2)
		usage();
	if (strcmp(argv[i], "all") == 0) {
		mask = ~0ULL;
	} else {
		mask = strtoull(argv[i], &end, 0);
		if (*end || end == argv[i]) {
			fprintf(stderr, "trace: bad mask '%s'\n", argv[i]);
			usage();
		}
	}
	if (trace(mask, flags) < 0) {
		fprintf(stderr, "trace: the kernel refused the mask\n");
		return 1;
	}
	exec(argv[i + 1], argv + i + 1);
	fprintf(stderr, "trace: cannot run %s\n", argv[i + 1]);
	return 1;
}
