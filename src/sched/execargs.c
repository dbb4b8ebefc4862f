/*
 * exec's strings in the kernel: the new program's arguments, then its
 * environment, each NUL-ended, packed one after another in pages taken
 * as they fill, named by an index page.  Packed so, they are the very
 * bytes the new stack holds (sched/exec.c, linux/exec.c): laying them
 * out is one copy, and the pointer vectors are made by walking them.
 *
 * Invariants: bytes [0, len) are the strings, in pages[0 .. len/PGSIZE];
 * the first arg_len bytes are argc strings, the rest envc; len stays at
 * most limit, and no string is longer than ARG_STRLEN_MAX.  Nothing here
 * sleeps, so strings may be added inside a batch of user copies
 * (vm/uaccess.h); kalloc does not sleep.
 */
#include "sched/exec.h"
#include "vm/kalloc.h"
#include "vm/uaccess.h"
#include "lib/errno.h"
#include "lib/string.h"

#define INDEX_SLOTS (PGSIZE / sizeof(char *))

STATIC_ASSERT(ARG_MAX_LINUX <= INDEX_SLOTS * PGSIZE);  /* one index page holds them all */

void
exec_args_free(struct exec_args *a)
{
	if (a->pages) {
		for (uint64 i = 0; i < INDEX_SLOTS && a->pages[i]; i++)
			page_put(a->pages[i]);
		page_put(a->pages);
	}
	a->pages = NULL;
	a->len = a->arg_len = 0;
	a->argc = a->envc = 0;
}

/* Where the next byte goes, with *room bytes free in its page; NULL without memory. */
static char *
tail(struct exec_args *a, uint64 *room)
{
	uint64 pg = a->len / PGSIZE;

	if (!a->pages && !(a->pages = kzalloc()))
		return NULL;
	if (!a->pages[pg] && !(a->pages[pg] = kalloc()))
		return NULL;
	*room = PGSIZE - a->len % PGSIZE;
	return a->pages[pg] + a->len % PGSIZE;
}

/* The bytes the next string may take, NUL included: 0 if none. */
static uint64
string_room(const struct exec_args *a)
{
	uint64 left = a->limit > a->len ? a->limit - a->len : 0;

	return left < ARG_STRLEN_MAX ? left : ARG_STRLEN_MAX;
}

/* A string of len bytes (NUL included) was appended: count it. */
static void
count_string(struct exec_args *a, uint64 len, bool env)
{
	a->len += len;
	if (env) {
		a->envc++;
	} else {
		a->argc++;
		a->arg_len += len;
	}
}

/*
 * Append the user string at ustr, as an argument or (env) an environment
 * string; arguments must all come first.  0, or -EFAULT (a bad address
 * before its NUL), -E2BIG (too long for ARG_STRLEN_MAX or the limit), or
 * -ENOMEM.  A string that does not fit its page is copied a page's piece
 * at a time: copyinstr of a piece with no NUL fails, and copyin of the
 * same piece then tells a fault from a string that goes on.
 */
long
exec_args_add_user(struct exec_args *a, uint64 ustr, bool env)
{
	uint64 left = string_room(a), start = a->len;
	char c;

	for (;;) {
		uint64 room;
		char *dst;
		if (left == 0) {
			a->len = start;
			return copyin(&c, ustr, 1) < 0 ? -EFAULT : -E2BIG;
		}
		if (!(dst = tail(a, &room))) {
			a->len = start;
			return -ENOMEM;
		}
		uint64 n = room < left ? room : left;
		long got = copyinstr(dst, ustr, n);
		if (got >= 0) {
			a->len += (uint64)got + 1;
			break;
		}
		if (copyin(dst, ustr, n) < 0) {
			a->len = start;
			return -EFAULT;
		}
		a->len += n;
		ustr += n;
		left -= n;
	}
	uint64 len = a->len - start;
	a->len = start;
	count_string(a, len, env);
	return 0;
}

/* Append the kernel string s, as exec_args_add_user does: 0, -E2BIG or -ENOMEM. */
long
exec_args_add(struct exec_args *a, const char *s, bool env)
{
	uint64 len = strlen(s) + 1, start = a->len;

	if (len > string_room(a))
		return -E2BIG;
	while (a->len - start < len) {
		uint64 room, done = a->len - start;
		char *dst = tail(a, &room);
		if (!dst) {
			a->len = start;
			return -ENOMEM;
		}
		uint64 n = len - done < room ? len - done : room;
		memcpy(dst, s + done, n);
		a->len += n;
	}
	a->len = start;
	count_string(a, len, env);
	return 0;
}

/* Where byte off of the strings is, and in *m how many of the n from there lie in its page. */
static const char *
piece(const struct exec_args *a, uint64 off, uint64 n, uint64 *m)
{
	uint64 in_page = PGSIZE - off % PGSIZE;

	*m = n < in_page ? n : in_page;
	return a->pages[off / PGSIZE] + off % PGSIZE;
}

/* Copy bytes [off, off+n) of the strings to the user address va of root (exec_fill_user). */
int
exec_args_copyout(pagetable_t root, const struct exec_args *a, uint64 off, uint64 n, uint64 va)
{
	for (uint64 m; n > 0; off += m, va += m, n -= m)
		if (exec_fill_user(root, va, piece(a, off, n, &m), NULL, 0, m) < 0)
			return -1;
	return 0;
}

/* Bytes [off, off+n) of the strings into dst, a kernel buffer. */
void
exec_args_read(const struct exec_args *a, uint64 off, void *dst, uint64 n)
{
	for (uint64 m; n > 0; off += m, dst = (char *)dst + m, n -= m)
		memcpy(dst, piece(a, off, n, &m), m);
}

/* The offset just past the NUL of the string at off. */
static uint64
string_end(const struct exec_args *a, uint64 off)
{
	while (off < a->len) {
		const char *page = a->pages[off / PGSIZE];
		uint64 end = a->len - off < PGSIZE - off % PGSIZE ? a->len : ROUNDUP(off + 1, PGSIZE);
		for (; off < end; off++)
			if (page[off % PGSIZE] == 0)
				return off + 1;
	}
	return a->len;
}

/*
 * Write at the user address va of root the addresses of count strings,
 * from the one at byte *off, then a 0: the strings lie at base (byte o
 * at base + o).  *off moves past them.  0, or -1 if a page is missing.
 * The vector goes out a few words at a time: it may be far larger than
 * a kernel stack.
 */
int
exec_args_vector(pagetable_t root, const struct exec_args *a, uint64 *off, int count,
		 uint64 base, uint64 va)
{
	uint64 words[32];
	int n = 0;

	for (int i = 0; i <= count; i++) {
		words[n++] = i < count ? base + *off : 0;
		if (i < count)
			*off = string_end(a, *off);
		if (n == (int)NELEM(words) || i == count) {
			if (exec_fill_user(root, va, words, NULL, 0, n * sizeof(words[0])) < 0)
				return -1;
			va += n * sizeof(words[0]);
			n = 0;
		}
	}
	return 0;
}
