/* Random bytes: see lib/random.h. */
#include "lib/random.h"
#include "lib/riscv.h"
#include "lib/string.h"

static uint64 stream;

static uint64
mix(uint64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

void
random_bytes(void *buf, size_t n)
{
	uint8 *out = buf;

	while (n > 0) {
		/* every caller takes its own step of the stream, stirred with the time */
		uint64 step = __atomic_add_fetch(&stream, 0x9e3779b97f4a7c15UL, __ATOMIC_RELAXED);
		uint64 v = mix(step ^ mix(r_time()));
		size_t m = n < sizeof(v) ? n : sizeof(v);
		memcpy(out, &v, m);
		out += m;
		n -= m;
	}
}
