/*
 * fstest [group|name...]: run the file-system tests (all but the "big"
 * group by default; "big" runs the 64 MiB file and full-disk tests;
 * other words select tests by name).  Prints "PASS name" / "FAIL name"
 * per test and "fstest: N passed, M failed" at the end.
 *
 * fstest persist-write / fstest persist-check: the two halves of the
 * test that files outlive a reboot (the second prints its own summary,
 * "fstest-persist: ...").
 */
#include <stdarg.h>
#include "fstest.h"

static const char *current;

void
fail(const char *fmt, ...)
{
	va_list ap;

	printf("  %s: ", current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

/* A byte of the test pattern: a function of the seed and the file offset. */
static inline uint8_t
pattern(uint32_t seed, uint64_t off)
{
	uint64_t x = (off >> 8) * 0x9e3779b97f4a7c15ull + seed;
	return (uint8_t)((x >> 29) ^ off ^ (off >> 10));
}

void
fill(void *buf, size_t n, uint32_t seed, uint64_t off)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < n; i++)
		p[i] = pattern(seed, off + i);
}

bool
matches(const void *buf, size_t n, uint32_t seed, uint64_t off)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < n; i++)
		if (p[i] != pattern(seed, off + i))
			return false;
	return true;
}

int
xopen(const char *path, int flags)
{
	int fd = open(path, flags);

	expect(fd >= 0, "open %s (flags %#x) failed", path, flags);
	return fd;
}

void
put_file(const char *path, const void *data, size_t n)
{
	int fd = xopen(path, O_WRONLY | O_CREAT | O_TRUNC);

	expect(write(fd, data, n) == (ssize_t)n, "write of %lu bytes to %s failed",
	       (unsigned long)n, path);
	close(fd);
}

long
get_file(const char *path, void *buf, size_t max)
{
	int fd = xopen(path, O_RDONLY);
	long n = read(fd, buf, max);

	close(fd);
	return n;
}

struct canopy_stat
xstat(const char *path)
{
	struct canopy_stat st;

	expect(stat_canopy(path, &st) == 0, "stat %s failed", path);
	return st;
}

/* Make the test's own directory /tmp/<dir> and move into it. */
void
enter(const char *dir)
{
	char path[MAXPATH];

	snprintf(path, sizeof(path), "/tmp/%s", dir);
	mkdir(path, 0777);
	expect(chdir(path) == 0, "cannot enter %s", path);
}

int
wait_child(int pid)
{
	int status;

	expect(pid > 0, "fork failed");
	expect(wait(&status) == pid, "wait did not return the child");
	return status;
}

static uint64_t
free_pages(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return si.free_pages;
}

/* Wait (a few ticks at most) for reparented children to be reaped. */
static uint64_t
settled_free_pages(uint64_t want)
{
	uint64_t n = free_pages();

	for (int i = 0; i < 50 && n < want; i++) {
		sleep_ticks(1);
		n = free_pages();
	}
	return n;
}

static bool
selected(const char *name, bool big, int argc, char *argv[])
{
	if (argc < 2)
		return !big;
	for (int i = 1; i < argc; i++)
		if (strstr(name, argv[i]) || (big && strcmp(argv[i], "big") == 0) ||
		    (!big && strcmp(argv[i], "all") == 0))
			return true;
	return false;
}

static const struct test *const groups[] = {
	tests_basic, tests_paths, tests_links, tests_limits, tests_big,
};

/* The persistence test: write now, check after a reboot. */
#define PERSIST_DIR "/persist"
#define PERSIST_SIZE 100000

static int
persist(bool write_it)
{
	static char buf[PERSIST_SIZE];
	bool ok = true;

	current = "persist";
	if (write_it) {
		mkdir(PERSIST_DIR, 0777);
		fill(buf, sizeof(buf), 77, 0);
		put_file(PERSIST_DIR "/data", buf, sizeof(buf));
		unlink(PERSIST_DIR "/link");
		unlink(PERSIST_DIR "/sym");
		ok = link(PERSIST_DIR "/data", PERSIST_DIR "/link") == 0 &&
		     symlink("data", PERSIST_DIR "/sym") == 0;
		printf("%s persist_write\n", ok ? "PASS" : "FAIL");
		printf("fstest-persist-write: %d passed, %d failed\n", ok, !ok);
		return !ok;
	}
	memset(buf, 0, sizeof(buf));
	long n = get_file(PERSIST_DIR "/sym", buf, sizeof(buf));
	if (n != PERSIST_SIZE || !matches(buf, sizeof(buf), 77, 0)) {
		printf("  persist: read %ld bytes through the link, expected %d intact\n", n,
		       PERSIST_SIZE);
		ok = false;
	}
	struct canopy_stat st;
	if (stat_canopy(PERSIST_DIR "/link", &st) < 0 || st.nlink != 2 || st.type != T_FILE) {
		printf("  persist: the hard link is missing or has the wrong link count\n");
		ok = false;
	}
	printf("%s persist_after_reboot\n", ok ? "PASS" : "FAIL");
	printf("fstest-persist: %d passed, %d failed\n", ok, !ok);
	return !ok;
}

int
main(int argc, char *argv[])
{
	int passed = 0, failed = 0;

	if (argc == 2 && strcmp(argv[1], "persist-write") == 0)
		return persist(true);
	if (argc == 2 && strcmp(argv[1], "persist-check") == 0)
		return persist(false);
	for (unsigned g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct test *t = groups[g]; t->name; t++) {
			if (!selected(t->name, groups[g] == tests_big, argc, argv))
				continue;
			current = t->name;
			uint64_t before = free_pages();
			int pid = fork();
			if (pid == 0) {
				t->fn();
				exit(0);
			}
			int status = wait_child(pid);
			uint64_t after = settled_free_pages(before);
			char dir[MAXPATH];
			snprintf(dir, sizeof(dir), "/tmp/%s", t->name);
			struct canopy_stat st;
			bool left = stat_canopy(dir, &st) == 0 && unlink(dir) < 0;
			bool ok = status == 0;
			/* a hart may still hold a page of a process that ran before
			 * `before` was read: only missing pages are a leak */
			if (ok && after < before) {
				printf("  %s: free pages %lu before, %lu after\n", t->name,
				       (unsigned long)before, (unsigned long)after);
				ok = false;
			} else if (ok && left) {
				printf("  %s: left files behind in %s\n", t->name, dir);
				ok = false;
			} else if (status != 0 && status != 1) {
				printf("  %s: test exited with status %d\n", t->name, status);
			}
			printf("%s %s\n", ok ? "PASS" : "FAIL", t->name);
			ok ? passed++ : failed++;
		}
	}
	printf("fstest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
