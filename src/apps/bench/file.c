/*
 * The file system: write an 8 MiB file in 4 KiB chunks, then read it
 * back.  Reported n/a where the kernel has no file system yet.
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

static void
row_file(const struct row *r)
{
	int samples = quick ? 1 : 3;
	uint64_t wns[MAX_SAMPLES], rns[MAX_SAMPLES];

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
	__sys_unlink(PATH);
	report_throughput("file_write_8m", FILE_BYTES, wns, samples);
	report_throughput("file_read_8m", FILE_BYTES, rns, samples);
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
