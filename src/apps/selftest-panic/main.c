/*
 * selftest-panic [RULE]: ask the kernel to panic, to test its reports.
 * Without RULE it makes a wild access (the panic report); with RULE it
 * breaks one rule a DEBUG kernel checks (the check must panic, naming
 * it): sleep-spinlock, sleeplock-spinlock, sleeplock-intr-off,
 * release-not-held, double-acquire, ub-overflow, ub-bounds, ub-shift,
 * sum-left-on.
 * The kernel refuses unless it was booted with allow_panic_test (and,
 * for a rule, is a DEBUG kernel).
 */
#include <stdio.h>
#include <string.h>
#include "canopy.h"

static const char *const rules[] = {
	[DEBUG_CHECK_SLEEP_SPINLOCK] = "sleep-spinlock",
	[DEBUG_CHECK_SLEEPLOCK_SPINLOCK] = "sleeplock-spinlock",
	[DEBUG_CHECK_SLEEPLOCK_INTR_OFF] = "sleeplock-intr-off",
	[DEBUG_CHECK_RELEASE_NOT_HELD] = "release-not-held",
	[DEBUG_CHECK_DOUBLE_ACQUIRE] = "double-acquire",
	[DEBUG_CHECK_UB_OVERFLOW] = "ub-overflow",
	[DEBUG_CHECK_UB_BOUNDS] = "ub-bounds",
	[DEBUG_CHECK_UB_SHIFT] = "ub-shift",
	[DEBUG_CHECK_SUM_LEFT_ON] = "sum-left-on",
};

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		selftest(SELFTEST_PANIC, 0);
		printf("selftest-panic: refused (boot with allow_panic_test)\n");
		return 1;
	}
	for (unsigned i = 1; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (strcmp(argv[1], rules[i]) == 0) {
			long r = selftest(SELFTEST_DEBUG_CHECK, i);
			printf("selftest-panic: %s: refused (%ld): a DEBUG kernel booted with "
			       "allow_panic_test panics\n", argv[1], r);
			return 1;
		}
	}
	printf("selftest-panic: no rule %s\n", argv[1]);
	return 2;
}
