/*
 * The file system: write an 8 MiB file in 4 KiB chunks, then read it
 * back, with read() and through mmap (from the disk: the page cache
 * emptied first, and again with its pages cached).  Reported n/a where
 * the kernel has no file system (or no mmap) yet.
 */
#include "bench.h"

#if __has_include(<canopy/fcntl.h>)
#include <canopy/fcntl.h>
#else   /* xv6's values, which canopy/fcntl.h keeps */
#define CANOPY_O_RDONLY 0x000
#define CANOPY_O_RDWR   0x002
#define CANOPY_O_CREATE 0x200
#define CANOPY_O_TRUNC  0x400
#endif

#define FILE_BYTES (8L << 20)
#define CHUNK 4096
#define PATH "/tmp/bench.tmp"

static char chunk[CHUNK];

/* Map PATH and read every word of it; the time, or 0 if mmap failed. */
static uint64_t
mmap_read_once(bool cold)
{
	if (cold)
		__sys_selftest(SELFTEST_DROP_CACHES, 0);
	uint64_t t0 = now_ns();
	long fd = __sys_open(PATH, CANOPY_O_RDONLY);
	long p = fd < 0 ? -1 : __sys_mmap(NULL, FILE_BYTES, PROT_READ, MAP_SHARED, (int)fd, 0);
	if (fd >= 0)
		__sys_close((int)fd);
	if (p == -1)
		return 0;
	volatile uint64_t sum = 0;
	for (const uint64_t *w = (const uint64_t *)p; w < (const uint64_t *)(p + FILE_BYTES); w++)
		sum += *w;
	__sys_munmap((void *)p, FILE_BYTES);
	return now_ns() - t0;
}

/* Reading the 8 MiB file through mmap: from the disk, then from the page cache. */
static void
mmap_rows(int samples)
{
	uint64_t cold[MAX_SAMPLES], warm[MAX_SAMPLES];

	for (int s = 0; s < samples; s++) {
		cold[s] = mmap_read_once(true);
		warm[s] = mmap_read_once(false);
		if (!cold[s] || !warm[s]) {
			report_na("file_mmap_read_8m", "mmap of the file failed (no mmap in this kernel?)");
			report_na("file_mmap_cached_8m", "mmap of the file failed");
			return;
		}
	}
	report_throughput("file_mmap_read_8m", FILE_BYTES, cold, samples);
	report_throughput("file_mmap_cached_8m", FILE_BYTES, warm, samples);
}

static void
row_file(const struct row *r)
{
	int samples = quick ? 1 : 3;
	uint64_t wns[MAX_SAMPLES], rns[MAX_SAMPLES];

	/* read() from the disk too: the file's cached pages from an earlier sample go */
	__sys_selftest(SELFTEST_DROP_CACHES, 0);

	long fd = __sys_open(PATH, CANOPY_O_CREATE | CANOPY_O_RDWR | CANOPY_O_TRUNC);
	if (fd < 0) {
		report_na("file_write_8m", "no file system in this kernel (open failed)");
		report_na("file_read_8m", "no file system in this kernel (open failed)");
		return;
	}
	__sys_close((int)fd);
	memset(chunk, 'b', sizeof(chunk));
	for (int s = 0; s < samples; s++) {
		uint64_t t0 = now_ns();
		fd = __sys_open(PATH, CANOPY_O_CREATE | CANOPY_O_RDWR | CANOPY_O_TRUNC);
		for (long done = 0; fd >= 0 && done < FILE_BYTES; done += CHUNK)
			if (__sys_write((int)fd, chunk, CHUNK) != CHUNK)
				goto fail;
		__sys_close((int)fd);
		uint64_t t1 = now_ns();
		fd = __sys_open(PATH, CANOPY_O_RDONLY);
		long got = 0, n;
		while (fd >= 0 && (n = __sys_read((int)fd, chunk, CHUNK)) > 0)
			got += n;
		__sys_close((int)fd);
		uint64_t t2 = now_ns();
		if (fd < 0 || got != FILE_BYTES)
			goto fail;
		wns[s] = t1 - t0;
		rns[s] = t2 - t1;
	}
	report_throughput("file_write_8m", FILE_BYTES, wns, samples);
	report_throughput("file_read_8m", FILE_BYTES, rns, samples);
	mmap_rows(samples);
	__sys_unlink(PATH);
	return;
fail:
	__sys_unlink(PATH);
	report_na("file_write_8m", "writing or reading back the 8 MiB file failed");
	report_na("file_read_8m", "writing or reading back the 8 MiB file failed");
}

const struct row rows_file[] = {
	{ "file_8m", row_file, "write an 8 MiB file in 4 KiB chunks, then read it back" },
	{ NULL, NULL, NULL },
};
