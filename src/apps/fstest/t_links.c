/*
 * Names for files: hard links, unlinking open files, symbolic links
 * (following, O_NOFOLLOW, loops and long chains, links inside paths).
 */
#include "fstest.h"

static char buf[4096], got[4096];

static void
hard_links(void)
{
	enter("hard_links");
	fill(buf, 2000, 3, 0);
	put_file("a", buf, 2000);
	expect(link("a", "b") == 0, "link failed");
	struct canopy_stat sa = xstat("a"), sb = xstat("b");
	expect(sa.ino == sb.ino && sa.nlink == 2, "b is not the same inode with 2 links");
	expect(link("a", "b") < 0, "link over an existing name");
	expect(link("missing", "c") < 0, "link to a missing file");
	expect(link(".", "dirlink") < 0, "hard link to a directory");
	expect(link("a", "nodir/c") < 0, "link into a missing directory");
	expect(xstat("a").nlink == 2, "failed links changed the link count");
	expect(unlink("a") == 0, "unlink a");
	expect(get_file("b", got, sizeof(got)) == 2000 && matches(got, 2000, 3, 0),
	       "data gone with the first name");
	expect(xstat("b").nlink == 1, "link count after unlink");
	expect(mkdir("sub", 0) == 0 && link("b", "sub/c") == 0, "link into a subdirectory");
	expect(unlink("b") == 0 && get_file("sub/c", got, sizeof(got)) == 2000, "sub/c");
	expect(unlink("sub/c") == 0 && unlink("sub") == 0, "cleanup");
}

static void
unlink_open_file(void)
{
	enter("unlink_open_file");
	fill(buf, 3000, 4, 0);
	put_file("f", buf, 3000);
	int fd = xopen("f", O_RDWR);
	expect(unlink("f") == 0, "unlink");
	expect(open("f", O_RDONLY) < 0, "the name is still there");
	expect(read(fd, got, 3000) == 3000 && matches(got, 3000, 4, 0),
	       "an open file lost its data when unlinked");
	expect(write(fd, "more", 4) == 4, "writing to an unlinked open file");
	struct canopy_stat st;
	expect(fstat_canopy(fd, &st) == 0 && st.nlink == 0 && st.size == 3004,
	       "fstat: nlink %d size %lu", st.nlink, (unsigned long)st.size);
	close(fd);      /* frees it: fsck at the end of the run checks nothing leaked */
}

static void
symlink_basics(void)
{
	char target[MAXPATH];

	enter("symlink_basics");
	put_file("target", "through the link", 16);
	expect(symlink("target", "rel") == 0, "relative symlink");
	expect(symlink("/tmp/symlink_basics/target", "abs") == 0, "absolute symlink");
	memset(got, 0, sizeof(got));
	expect(get_file("rel", got, sizeof(got)) == 16 && strcmp(got, "through the link") == 0,
	       "open did not follow a relative link");
	expect(get_file("abs", got, sizeof(got)) == 16, "open did not follow an absolute link");
	/* O_NOFOLLOW opens the link itself: its content is the target */
	int fd = xopen("rel", O_RDONLY | O_NOFOLLOW);
	struct canopy_stat st;
	expect(fstat_canopy(fd, &st) == 0 && st.type == T_SYMLINK && st.size == 6,
	       "O_NOFOLLOW: type %d size %lu", st.type, (unsigned long)st.size);
	memset(target, 0, sizeof(target));
	expect(read(fd, target, sizeof(target)) == 6 && strcmp(target, "target") == 0,
	       "the link's content is '%s'", target);
	close(fd);
	expect(open("rel", O_RDWR | O_NOFOLLOW) < 0, "opened a link itself for writing");
	expect(readlink("abs", target, sizeof(target)) == 26, "readlink");
	expect(xstat("rel").ino == xstat("target").ino, "stat follows links");
	/* writing through a link writes the target */
	fd = xopen("rel", O_WRONLY | O_APPEND);
	expect(write(fd, "!", 1) == 1, "write through a link");
	close(fd);
	expect(xstat("target").size == 17, "the target did not grow");
	/* O_CREAT through an existing link opens its target */
	fd = xopen("rel", O_RDWR | O_CREAT);
	close(fd);
	expect(xstat("target").size == 17, "O_CREAT through a link truncated or replaced");
	expect(symlink("target", "rel") < 0 && symlink("x", "target") < 0,
	       "symlink over an existing name");
	expect(symlink("", "empty") < 0, "a link with an empty target");
	/* dangling */
	expect(symlink("nowhere", "dangling") == 0, "a dangling link may be made");
	expect(open("dangling", O_RDONLY) < 0, "opened a dangling link");
	expect(open("dangling", O_RDWR | O_CREAT) < 0, "created through a dangling link");
	expect(open("nowhere", O_RDONLY) < 0, "the dangling target was created");
	/* hard link to a symlink links the link */
	expect(link("rel", "rel2") == 0 && xstat("rel2").ino == xstat("target").ino, "link to a link");
	expect(unlink("rel") == 0 && unlink("rel2") == 0 && unlink("abs") == 0 &&
	       unlink("dangling") == 0, "unlink of links");
	expect(xstat("target").size == 17, "unlinking a link touched its target");
	expect(unlink("target") == 0, "unlink target");
}

static void
symlink_loops(void)
{
	char name[16], to[16];

	enter("symlink_loops");
	expect(symlink("loop2", "loop1") == 0 && symlink("loop1", "loop2") == 0, "symlink");
	expect(open("loop1", O_RDONLY) < 0, "opened a loop of two links");
	expect(symlink("self", "self") == 0 && open("self", O_RDONLY) < 0, "a link to itself");
	expect(chdir("loop1") < 0, "chdir into a loop");
	/* a chain of exactly MAXSYMLINKS links works, one more does not */
	put_file("end", "e", 1);
	for (int i = 1; i <= MAXSYMLINKS + 1; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		if (i == 1)
			strcpy(to, "end");
		else
			snprintf(to, sizeof(to), "c%d", i - 1);
		expect(symlink(to, name) == 0, "symlink %s", name);
	}
	snprintf(name, sizeof(name), "c%d", MAXSYMLINKS);
	int fd = open(name, O_RDONLY);
	expect(fd >= 0, "a chain of %d links did not work", MAXSYMLINKS);
	close(fd);
	snprintf(name, sizeof(name), "c%d", MAXSYMLINKS + 1);
	expect(open(name, O_RDONLY) < 0, "a chain of %d links was followed", MAXSYMLINKS + 1);
	expect(open(name, O_RDONLY | O_NOFOLLOW) >= 0, "O_NOFOLLOW on a long chain");
	for (int i = 1; i <= MAXSYMLINKS + 1; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		expect(unlink(name) == 0, "unlink %s", name);
	}
	expect(unlink("loop1") == 0 && unlink("loop2") == 0 && unlink("self") == 0 &&
	       unlink("end") == 0, "cleanup");
}

static void
symlink_in_path(void)
{
	enter("symlink_in_path");
	expect(mkdir("real", 0) == 0 && mkdir("real/deeper", 0) == 0, "mkdir");
	put_file("real/deeper/f", "found", 5);
	expect(symlink("real", "alias") == 0, "symlink to a directory");
	expect(symlink("/tmp/symlink_in_path/real/deeper", "abs") == 0, "absolute dir link");
	expect(symlink("../deeper", "real/deeper/up") == 0, "link with ..");
	expect(xstat("alias/deeper/f").size == 5, "a link in the middle of a path");
	expect(xstat("abs/f").size == 5, "an absolute link in the middle of a path");
	expect(xstat("real/deeper/up/up/up/f").size == 5, "links relative to their directory");
	expect(chdir("alias/deeper") == 0 && xstat("f").size == 5, "chdir through a link");
	expect(chdir("/tmp/symlink_in_path") == 0, "chdir back");
	put_file("alias/new", "n", 1);
	expect(xstat("real/new").size == 1, "creating through a directory link");
	expect(unlink("alias/new") == 0, "unlink through a directory link");
	expect(unlink("alias") == 0 && xstat("real").type == T_DIR, "unlink removes the link only");
	expect(unlink("real/deeper/up") == 0 && unlink("real/deeper/f") == 0 &&
	       unlink("real/deeper") == 0 && unlink("real") == 0 && unlink("abs") == 0, "cleanup");
}

/* Is path a file holding exactly text? */
static bool
holds(const char *path, const char *text)
{
	long n = get_file(path, got, sizeof(got));
	return n == (long)strlen(text) && memcmp(got, text, n) == 0;
}

/*
 * Every name is looked up just before each change to its directory, so
 * that the kernel's name cache holds it, and the lookup after the change
 * must see the change.
 */
static void
lookups_follow_changes(void)
{
	enter("lookups_follow_changes");
	put_file("x", "one", 3);
	expect(holds("x", "one") && holds("x", "one"), "x");
	expect(unlink("x") == 0 && open("x", O_RDONLY) < 0, "x is still found after unlink");
	put_file("filler", "f", 1);
	put_file("x", "two", 3);
	expect(holds("x", "two"), "a new x reads as the old one");
	expect(link("x", "z") == 0 && holds("z", "two"), "link");
	expect(unlink("x") == 0 && open("x", O_RDONLY) < 0 && holds("z", "two"),
	       "unlinking one of two names");

	expect(mkdir("d", 0) == 0, "mkdir d");
	put_file("d/f", "in d", 4);
	expect(holds("d/f", "in d") && xstat("d").type == T_DIR, "d/f");
	expect(unlink("d/f") == 0 && unlink("d") == 0, "remove d");
	expect(open("d", O_RDONLY) < 0 && open("d/f", O_RDONLY) < 0, "d is still found");
	expect(mkdir("d", 0) == 0, "mkdir d again");
	expect(open("d/f", O_RDONLY) < 0, "the new d holds the old d's f");
	put_file("d/f", "new d", 5);
	put_file("f", "top", 3);
	expect(holds("d/f", "new d") && holds("f", "top"), "the same name in two directories");

	put_file("a-name-longer-than-fourteen", "long", 4);
	expect(holds("a-name-longer-", "long"), "a long name and its first 14 bytes");
	expect(unlink("a-name-longer-than-fourteen-too") == 0 &&
	       open("a-name-longer-", O_RDONLY) < 0, "unlinked through another long name");
	expect(unlink("d/f") == 0 && unlink("d") == 0 && unlink("f") == 0 && unlink("z") == 0 &&
	       unlink("filler") == 0, "cleanup");
}

const struct test tests_links[] = {
	{ "hard_links", hard_links },
	{ "unlink_open_file", unlink_open_file },
	{ "symlink_basics", symlink_basics },
	{ "symlink_loops", symlink_loops },
	{ "symlink_in_path", symlink_in_path },
	{ "lookups_follow_changes", lookups_follow_changes },
	{ NULL, NULL },
};
