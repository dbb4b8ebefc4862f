/* Pipes: integrity of large transfers, end of file, closed readers. */
#include "utest.h"

static unsigned char
pattern(long i)
{
	return (unsigned char)(i * 31 + (i >> 9));
}

static void
pipe_large_transfer(void)
{
	enum { TOTAL = 1 << 20 };
	static unsigned char buf[9000];
	int p[2];

	expect(pipe(p) == 0, "pipe failed");
	int pid = xfork();
	if (pid == 0) {
		close(p[0]);
		long sent = 0;
		for (int k = 1; sent < TOTAL; k++) {
			long n = (k * 977) % 8999 + 1;
			if (n > TOTAL - sent)
				n = TOTAL - sent;
			for (long i = 0; i < n; i++)
				buf[i] = pattern(sent + i);
			if (write(p[1], buf, n) != n)
				exit(1);
			sent += n;
		}
		exit(0);
	}
	close(p[1]);
	long got = 0;
	for (;;) {
		long n = read(p[0], buf, (got % 5000) + 1);
		expect(n >= 0, "read failed at %ld", got);
		if (n == 0)
			break;
		for (long i = 0; i < n; i++)
			expect(buf[i] == pattern(got + i), "byte %ld wrong", got + i);
		got += n;
	}
	int st;
	wait(&st);
	expect(st == 0, "writer failed");
	expect(got == TOTAL, "read %ld bytes, want %d", got, TOTAL);
}

static void
pipe_eof_and_closed_reader(void)
{
	int p[2];
	char c;

	expect(pipe(p) == 0, "pipe failed");
	expect(write(p[1], "ab", 2) == 2, "write failed");
	close(p[1]);
	expect(read(p[0], &c, 1) == 1 && c == 'a', "first byte");
	expect(read(p[0], &c, 1) == 1 && c == 'b', "second byte");
	expect(read(p[0], &c, 1) == 0, "no end of file after the writer closed");
	close(p[0]);

	expect(pipe(p) == 0, "pipe failed");
	close(p[0]);
	expect(write(p[1], "x", 1) == -1, "write with no reader succeeded");
	close(p[1]);
}

static void
pipe_fstat(void)
{
	int p[2];
	struct canopy_stat st;

	expect(pipe(p) == 0, "pipe failed");
	expect(__sys_fstat(p[0], &st) == 0 && st.type == T_PIPE, "fstat of a pipe");
	expect(__sys_fstat(1, &st) == 0 && st.type == T_DEVICE, "fstat of the console");
}

static void
pipe_many_writers(void)
{
	enum { WRITERS = 4, RECORDS = 200, SIZE = 64 };
	int p[2];
	int counts[WRITERS] = { 0 };

	expect(pipe(p) == 0, "pipe failed");
	for (int w = 0; w < WRITERS; w++) {
		if (fork() == 0) {
			char rec[SIZE];
			memset(rec, 'A' + w, SIZE);
			for (int r = 0; r < RECORDS; r++)
				if (write(p[1], rec, SIZE) != SIZE)
					exit(1);
			exit(0);
		}
	}
	close(p[1]);
	char rec[SIZE];
	for (;;) {
		long got = 0, n;
		while (got < SIZE && (n = read(p[0], rec + got, SIZE - got)) > 0)
			got += n;
		if (got == 0)
			break;
		expect(got == SIZE, "short record");
		for (int i = 1; i < SIZE; i++)
			expect(rec[i] == rec[0], "records from two writers interleaved");
		counts[rec[0] - 'A']++;
	}
	for (int w = 0; w < WRITERS; w++) {
		int st;
		wait(&st);
		expect(st == 0, "a writer failed");
		expect(counts[w] == RECORDS, "writer %d: %d records", w, counts[w]);
	}
}

static void
dup_and_close(void)
{
	int p[2];
	char c;

	expect(pipe(p) == 0, "pipe failed");
	int d = dup(p[1]);
	expect(d >= 0, "dup failed");
	close(p[1]);
	expect(write(d, "q", 1) == 1, "write through dup failed");
	close(d);
	expect(read(p[0], &c, 1) == 1 && c == 'q', "read after dup");
	expect(read(p[0], &c, 1) == 0, "the pipe stayed open after all write ends closed");
	int fds[NOFILE];
	int n = 0;
	while (n < NOFILE && (fds[n] = dup(0)) >= 0)
		n++;
	expect(n < NOFILE && n > 0, "dup never failed");
	expect(dup(0) == -1, "dup succeeded with a full table");
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/*
 * A write whose range runs past the user limit writes nothing: -1, not
 * the part that lay below the limit.  Likewise a read into such a range.
 */
static void
pipe_range_all_or_nothing(void)
{
	int p[2];
	char c = 0;
	const char *below = (const char *)(USER_TOP - 100);    /* readable: the vDSO page */

	static char fill[4096 - 100];

	expect(pipe(p) == 0, "pipe");
	/* move the ring so that a copy would end at its page boundary right at USER_TOP */
	expect(write(p[1], fill, sizeof(fill)) == (long)sizeof(fill), "write");
	expect(read(p[0], fill, sizeof(fill)) == (long)sizeof(fill), "read");
	expect(write(p[1], below, 200) == -1, "write across USER_TOP did not fail");
	expect(write(p[1], "z", 1) == 1, "write");
	expect(read(p[0], (char *)(USER_TOP - 1), 2) == -1, "read across USER_TOP did not fail");
	expect(read(p[0], &c, 1) == 1 && c == 'z', "the pipe held %c, want only what was "
	       "written whole", c);
	close(p[0]);
	close(p[1]);
}

const struct test tests_pipe[] = {
	{ "pipe_range_all_or_nothing", pipe_range_all_or_nothing },
	{ "pipe_large_transfer", pipe_large_transfer },
	{ "pipe_eof_and_closed_reader", pipe_eof_and_closed_reader },
	{ "pipe_fstat", pipe_fstat },
	{ "pipe_many_writers", pipe_many_writers },
	{ "pipe_dup_and_close", dup_and_close },
	{ NULL, NULL },
};
