/* The vDSO clock: CLOCK_MONOTONIC without a trap. */
#include <time.h>
#include <errno.h>
#include "canopy.h"

uint64_t
uptime_ns(void)
{
	const struct vdso_data *d = vdso();
	uint64_t t = rdtime() - d->time_at_boot;
	uint64_t hz = d->timebase_hz;

	/* split so the multiplication cannot overflow */
	return (t / hz) * 1000000000ULL + (t % hz) * 1000000000ULL / hz;
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	if (id != CLOCK_MONOTONIC) {
		errno = EINVAL;
		return -1;
	}
	uint64_t ns = uptime_ns();
	ts->tv_sec = (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
	return 0;
}
