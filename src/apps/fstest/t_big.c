/*
 * The big tests ("fstest big"), on a disk of about 72 MiB: a file of
 * 64 MiB and then of the largest size the block map allows, written and
 * read back; then filling the disk, which must fail cleanly and lose
 * nothing already written.
 */
#include "fstest.h"

#define CHUNK 65536
#define BIG "/tmp/bigfile"
static char buf[CHUNK];

/* Write [from, to) of the pattern with seed to fd; bytes written. */
static uint64_t
write_range(int fd, uint32_t seed, uint64_t from, uint64_t to)
{
	uint64_t off = from;

	while (off < to) {
		size_t n = to - off < CHUNK ? to - off : CHUNK;
		fill(buf, n, seed, off);
		long w = write(fd, buf, n);
		if (w <= 0)
			break;
		off += (uint64_t)w;
		if ((size_t)w < n)
			break;
	}
	return off - from;
}

/* Does fd hold the pattern with seed over [from, to)? */
static bool
check_range(int fd, uint32_t seed, uint64_t from, uint64_t to)
{
	if (lseek(fd, (off_t)from, SEEK_SET) != (off_t)from)
		return false;
	for (uint64_t off = from; off < to;) {
		size_t n = to - off < CHUNK ? to - off : CHUNK;
		if (read(fd, buf, n) != (long)n || !matches(buf, n, seed, off))
			return false;
		off += n;
	}
	return true;
}

static void
file_64mib(void)
{
	const uint64_t mib64 = 64ull << 20, max = (uint64_t)MAXFILE * BSIZE;

	enter("file_64mib");
	unlink(BIG);
	int fd = xopen(BIG, O_RDWR | O_CREAT | O_TRUNC);
	uint64_t n = write_range(fd, 9, 0, mib64);
	expect(n == mib64, "wrote %lu of 64 MiB", (unsigned long)n);
	struct canopy_stat st;
	expect(fstat_canopy(fd, &st) == 0 && st.size == mib64, "size %lu", (unsigned long)st.size);
	expect(check_range(fd, 9, 0, mib64), "64 MiB read back differ");
	/* grow to the largest size the block map allows, and not a byte more */
	expect(lseek(fd, 0, SEEK_END) == (off_t)mib64, "lseek to the end");
	n = write_range(fd, 9, mib64, max);
	expect(n == max - mib64, "wrote %lu of the last %lu bytes", (unsigned long)n,
	       (unsigned long)(max - mib64));
	expect(write(fd, "x", 1) < 0, "a write beyond the largest file size succeeded");
	expect(fstat_canopy(fd, &st) == 0 && st.size == max, "size %lu, want %lu",
	       (unsigned long)st.size, (unsigned long)max);
	expect(check_range(fd, 9, mib64 - CHUNK, max), "the tail of the file reads back wrong");
	close(fd);
	printf("  file_64mib: %lu bytes (%d blocks) written and read back\n", (unsigned long)max,
	       (int)MAXFILE);
	/* BIG stays for full_disk */
}

static void
full_disk(void)
{
	const uint32_t seed = 21;

	enter("full_disk");
	put_file("small", "precious", 8);
	/* fill the disk: the write comes back short or failing, never crashing */
	int fd = xopen("filler", O_RDWR | O_CREAT | O_TRUNC);
	uint64_t n = write_range(fd, seed, 0, 1ull << 31);
	expect(n > 0, "nothing could be written");
	struct canopy_stat st;
	expect(fstat_canopy(fd, &st) == 0 && st.size == n, "size %lu but %lu written",
	       (unsigned long)st.size, (unsigned long)n);
	expect(write(fd, buf, 4096) < 0, "a write to a full disk succeeded");
	expect(open("new", O_RDWR | O_CREAT) < 0 || unlink("new") == 0, "create on a full disk");
	/* a directory can fill up its last block: mkdir may fail, and must leave nothing */
	if (mkdir("dir", 0) == 0)
		expect(unlink("dir") == 0, "unlink dir");
	/* nothing already written was lost */
	expect(check_range(fd, seed, 0, n), "the filler reads back wrong");
	close(fd);
	char got[16];
	expect(get_file("small", got, sizeof(got)) == 8 && memcmp(got, "precious", 8) == 0,
	       "a small file was damaged");
	int big = open(BIG, O_RDONLY);
	if (big >= 0) {
		expect(check_range(big, 9, 0, 1 << 20) && check_range(big, 9, 40ull << 20, 41ull << 20),
		       "the big file was damaged");
		close(big);
	}
	printf("  full_disk: the disk took %lu more bytes\n", (unsigned long)n);
	/* and the space comes back */
	expect(unlink("filler") == 0 && (big < 0 || unlink(BIG) == 0), "unlink");
	fd = xopen("again", O_RDWR | O_CREAT);
	expect(write_range(fd, seed, 0, 1 << 20) == 1 << 20, "cannot write after freeing space");
	close(fd);
	expect(unlink("again") == 0 && unlink("small") == 0, "unlink");
}

const struct test tests_big[] = {
	{ "file_64mib", file_64mib },
	{ "full_disk", full_disk },
	{ NULL, NULL },
};
