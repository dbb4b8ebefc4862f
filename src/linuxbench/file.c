/*
 * Files, in cfg.dir: an 8 MiB file written in 4 KiB writes (with and
 * without an fsync before the close), read in 4 KiB reads from the disk
 * (caches dropped through /proc/sys/vm/drop_caches first) and from the
 * page cache, and small files created and unlinked.  A kernel with no
 * way to drop its caches gets the cold row n/a, with the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "lbench.h"

#define FILE_BYTES (8L << 20)
#define CHUNK 4096

static char chunk[CHUNK];
static char path[200];
static char why[160];           /* what failed, for report_na */

static bool
fail(const char *what)
{
	snprintf(why, sizeof(why), "%s: %s", what, strerror(errno));
	return false;
}

/* Write the file anew; its time (open to close) in *ns. */
static bool
write_file(bool do_fsync, uint64_t *ns)
{
	unlink(path);
	sync();         /* what an earlier row left dirty is not this one's cost */
	uint64_t t0 = now_ns();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open for writing");
	for (long done = 0; done < FILE_BYTES; done += CHUNK)
		if (write(fd, chunk, CHUNK) != CHUNK) {
			close(fd);
			return fail("write");
		}
	if (do_fsync && fsync(fd) < 0) {
		close(fd);
		return fail("fsync");
	}
	if (close(fd) < 0)
		return fail("close");
	*ns = now_ns() - t0;
	return true;
}

static bool
read_file(uint64_t *ns)
{
	uint64_t t0 = now_ns();
	long got = 0, k;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return fail("open for reading");
	while ((k = read(fd, chunk, CHUNK)) > 0)
		got += k;
	close(fd);
	if (k < 0)
		return fail("read");
	if (got != FILE_BYTES) {
		snprintf(why, sizeof(why), "read %ld bytes of %ld", got, FILE_BYTES);
		return false;
	}
	*ns = now_ns() - t0;
	return true;
}

/* Linux's way to empty the page cache (after sync: only clean pages go). */
static bool
drop_caches(void)
{
	sync();
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0)
		return fail("open /proc/sys/vm/drop_caches");
	bool ok = write(fd, "3\n", 2) == 2;
	close(fd);
	return ok || fail("write /proc/sys/vm/drop_caches");
}

static void
write_row(const struct row *r, bool do_fsync)
{
	uint64_t ns[MAX_SAMPLES];

	for (int s = 0; s < cfg.file_samples; s++)
		if (!write_file(do_fsync, &ns[s])) {
			report_na(r->name, "%s", why);
			return;
		}
	report_throughput(r->name, FILE_BYTES, ns, cfg.file_samples);
}

static void
row_write(const struct row *r)
{
	snprintf(path, sizeof(path), "%s/lbench.tmp", cfg.dir);
	write_row(r, false);
}

static void
row_write_fsync(const struct row *r)
{
	write_row(r, true);
}

static void
row_read_cold(const struct row *r)
{
	uint64_t ns[MAX_SAMPLES];

	for (int s = 0; s < cfg.file_samples; s++)
		if (!drop_caches() || !read_file(&ns[s])) {
			report_na(r->name, "%s", why);
			return;
		}
	report_throughput(r->name, FILE_BYTES, ns, cfg.file_samples);
}

static void
row_read_cached(const struct row *r)
{
	uint64_t ns[MAX_SAMPLES], warm;

	if (!read_file(&warm)) {
		report_na(r->name, "%s", why);
		return;
	}
	for (int s = 0; s < cfg.file_samples; s++)
		if (!read_file(&ns[s])) {
			report_na(r->name, "%s", why);
			return;
		}
	report_throughput(r->name, FILE_BYTES, ns, cfg.file_samples);
	unlink(path);
}

#define SMALL_FILES 50
#define SMALL_BYTES 1024

/* Create SMALL_FILES files of 1 KiB, then unlink them; per file. */
static bool
create_unlink(uint64_t *ns)
{
	char name[240];
	uint64_t t0 = now_ns();

	for (int i = 0; i < SMALL_FILES; i++) {
		snprintf(name, sizeof(name), "%s/lb%d", cfg.dir, i);
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return fail("open O_CREAT");
		bool ok = write(fd, chunk, SMALL_BYTES) == SMALL_BYTES;
		close(fd);
		if (!ok)
			return fail("write");
	}
	for (int i = 0; i < SMALL_FILES; i++) {
		snprintf(name, sizeof(name), "%s/lb%d", cfg.dir, i);
		if (unlink(name) < 0)
			return fail("unlink");
	}
	*ns = (now_ns() - t0) / SMALL_FILES;
	return true;
}

static void
row_create_unlink(const struct row *r)
{
	uint64_t ns[MAX_SAMPLES], warm;

	if (!create_unlink(&warm)) {
		report_na(r->name, "%s", why);
		return;
	}
	for (int s = 0; s < cfg.file_samples; s++)
		if (!create_unlink(&ns[s])) {
			report_na(r->name, "%s", why);
			return;
		}
	report_times(r->name, US, ns, cfg.file_samples);
}

const struct row rows_file[] = {
	{ "bw_file_write_8m", row_write, "an 8 MiB file in 4 KiB writes, open to close" },
	{ "bw_file_write_8m_fsync", row_write_fsync, "the same with fsync before the close" },
	{ "bw_file_read_8m_cold", row_read_cold, "read it in 4 KiB reads after "
	  "/proc/sys/vm/drop_caches (n/a where the kernel has none)" },
	{ "bw_file_read_8m_cached", row_read_cached, "read it again, from the page cache" },
	{ "lat_fs_create_unlink", row_create_unlink, "per file: create and write 1 KiB (50 "
	  "files), then unlink them" },
	{ 0 }
};
