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

#define USAGE "trace [-a] MASK command [args...]"

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int i = get_options(argc, argv, "a", on, USAGE);
	int flags = on['a'] ? TRACE_ARGS : 0;
	uint64_t mask;
	char *end;

	if (argc - i < 2)
		usage_exit(USAGE);
	if (strcmp(argv[i], "all") == 0) {
		mask = ~0ULL;
	} else {
		mask = strtoull(argv[i], &end, 0);
		if (*end || end == argv[i]) {
			fprintf(stderr, "trace: bad mask '%s'\n", argv[i]);
			usage_exit(USAGE);
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
