/*
 * The memory devices Linux programs expect under /dev: null (reads end at
 * once, writes vanish), zero (reads zeros) and urandom (reads random
 * bytes, lib/random.h); writes to any of them succeed whole.
 */
#include "dev/memdev.h"
#include "fs/file.h"
#include "vm/uaccess.h"
#include "lib/random.h"
#include "lib/string.h"

#define CHUNK 256

static int
null_read(bool user, uint64 dst, int n)
{
	return 0;
}

static int
swallow(bool user, uint64 src, int n)
{
	return n;
}

/* Fill [dst, dst+n) from fill, a chunk at a time; the bytes copied, or -1. */
static int
fill_out(bool user, uint64 dst, int n, bool random)
{
	uint8 chunk[CHUNK];
	int done = 0;

	memset(chunk, 0, sizeof(chunk));
	while (done < n) {
		int m = n - done < CHUNK ? n - done : CHUNK;
		if (random)
			random_bytes(chunk, (size_t)m);
		if (copy_to(user, dst + done, chunk, (size_t)m) < 0)
			return done ? done : -1;
		done += m;
	}
	return done;
}

static int
zero_read(bool user, uint64 dst, int n)
{
	return fill_out(user, dst, n, false);
}

static int
urandom_read(bool user, uint64 dst, int n)
{
	return fill_out(user, dst, n, true);
}

void
memdev_init(void)
{
	devsw[DEV_NULL] = (struct devsw){ null_read, swallow };
	devsw[DEV_ZERO] = (struct devsw){ zero_read, swallow };
	devsw[DEV_URANDOM] = (struct devsw){ urandom_read, swallow };
}

int
memdev_by_name(const char *path)
{
	if (strcmp(path, "/dev/null") == 0)
		return DEV_NULL;
	if (strcmp(path, "/dev/zero") == 0)
		return DEV_ZERO;
	if (strcmp(path, "/dev/urandom") == 0 || strcmp(path, "/dev/random") == 0)
		return DEV_URANDOM;
	return -1;
}
