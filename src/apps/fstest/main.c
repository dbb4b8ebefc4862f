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
#include "fstest.h"

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

/* The persistence test: write now, check after a reboot. */
#define PERSIST_DIR "/persist"
#define PERSIST_SIZE 100000

static int
persist(bool write_it)
{
	static char buf[PERSIST_SIZE];
	bool ok = true;

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

/* A test leaves its directory /tmp/<name> empty: remove it, or say it is not. */
static bool
left_behind(const struct test *t)
{
	char dir[MAXPATH];
	struct canopy_stat st;

	snprintf(dir, sizeof(dir), "/tmp/%s", t->name);
	if (stat_canopy(dir, &st) == 0 && unlink(dir) < 0) {
		printf("  %s: left files behind in %s\n", t->name, dir);
		return true;
	}
	return false;
}

static const struct test_group groups[] = {
	{ "basic", tests_basic, false },
	{ "paths", tests_paths, false },
	{ "links", tests_links, false },
	{ "limits", tests_limits, false },
	{ "big", tests_big, true },
	{ NULL, NULL, false },
};

int
main(int argc, char *argv[])
{
	static const struct test_program fstest = { "fstest", groups, left_behind };

	if (argc == 2 && strcmp(argv[1], "persist-write") == 0)
		return persist(true);
	if (argc == 2 && strcmp(argv[1], "persist-check") == 0)
		return persist(false);
	if (argc == 3 && strcmp(argv[1], "open-for-writing") == 0) {
		int fd = open(argv[2], O_WRONLY);  /* 0: refused, as while it runs */
		return fd >= 0;
	}
	return run_tests(&fstest, argc, argv);
}
