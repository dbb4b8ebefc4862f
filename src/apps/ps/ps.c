/*
 * ps: one line per process, from procinfo(): pid, parent's pid (0 for
 * init, which has none), state, name and the user pages it maps (its
 * resident set; pages shared copy-on-write count in each sharer).
 */
#include <stdio.h>
#include "canopy.h"

#define USAGE "ps  (no arguments)"

static struct procinfo table[NPROC];

static const char *
state_name(int state)
{
	switch (state) {
	case PROC_STATE_USED: return "new";
	case PROC_STATE_SLEEPING: return "sleeping";
	case PROC_STATE_RUNNABLE: return "runnable";
	case PROC_STATE_RUNNING: return "running";
	case PROC_STATE_ZOMBIE: return "zombie";
	}
	return "?";
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };

	if (get_options(argc, argv, "", on, USAGE) != argc)
		usage_exit(USAGE);
	int n = procinfo(table, NPROC);
	if (n < 0) {
		fprintf(stderr, "ps: procinfo failed\n");
		return 1;
	}
	printf("%5s %5s %-8s %-15s %7s\n", "PID", "PPID", "STATE", "NAME", "PAGES");
	for (int i = 0; i < n; i++) {
		printf("%5d %5d %-8s %-15s %7lu\n", table[i].pid, table[i].ppid,
		       state_name(table[i].state), table[i].name, (unsigned long)table[i].pages);
		if (!stdout_ok("ps"))
			return 1;
	}
	return 0;
}
