/*
 * stdin, stdout and stderr for picolibc's tiny stdio, over file
 * descriptors 0, 1 and 2.  Output is line-buffered (a write per line, not
 * per character); _exit() and fork() flush it so nothing is lost or
 * printed twice.  Input is read a buffer at a time.  Also: how a program
 * reports that its standard output failed.
 */
#include <stdio.h>
#include <unistd.h>
#include "ulib.h"

#define OUT_SIZE 512
#define IN_SIZE 256

struct outbuf {
	int fd;
	int len;
	char data[OUT_SIZE];
};

static struct outbuf out_buffers[2] = { { .fd = 1 }, { .fd = 2 } };

static int
drain(struct outbuf *b)
{
	int off = 0;

	while (off < b->len) {
		long n = __sys_write(b->fd, b->data + off, b->len - off);
		if (n <= 0) {
			b->len = 0;
			return -1;
		}
		off += n;
	}
	b->len = 0;
	return 0;
}

static int
buffered_put(struct outbuf *b, char c)
{
	b->data[b->len++] = c;
	if (c == '\n' || b->len == OUT_SIZE)
		return drain(b) < 0 ? _FDEV_ERR : (unsigned char)c;
	return (unsigned char)c;
}

/* A failed put or flush (r < 0) stays in ferror(f): tiny stdio does not keep it. */
static int
sticky(FILE *f, int r)
{
	if (r < 0)
		f->flags |= __SERR;
	return r;
}

static int put_stdout(char c, FILE *f) { return sticky(f, buffered_put(&out_buffers[0], c)); }
static int put_stderr(char c, FILE *f) { return sticky(f, buffered_put(&out_buffers[1], c)); }
static int flush_stdout(FILE *f) { return sticky(f, drain(&out_buffers[0])); }
static int flush_stderr(FILE *f) { return sticky(f, drain(&out_buffers[1])); }

static struct {
	char data[IN_SIZE];
	int pos;
	int len;
} in;

static int
get_stdin(FILE *f)
{
	(void)f;
	if (in.pos == in.len) {
		long n = __sys_read(0, in.data, IN_SIZE);
		if (n < 0)
			return _FDEV_ERR;
		if (n == 0)
			return _FDEV_EOF;
		in.pos = 0;
		in.len = (int)n;
	}
	return (unsigned char)in.data[in.pos++];
}

static FILE stdin_file = FDEV_SETUP_STREAM(NULL, get_stdin, NULL, _FDEV_SETUP_READ);
static FILE stdout_file = FDEV_SETUP_STREAM(put_stdout, NULL, flush_stdout, _FDEV_SETUP_WRITE);
static FILE stderr_file = FDEV_SETUP_STREAM(put_stderr, NULL, flush_stderr, _FDEV_SETUP_WRITE);

FILE *const stdin = &stdin_file;
FILE *const stdout = &stdout_file;
FILE *const stderr = &stderr_file;

void
__stdio_flush_all(void)
{
	drain(&out_buffers[0]);
	drain(&out_buffers[1]);
}

/*
 * Standard output failed (a write returned -1 or fell short): say
 * "prog: write error" unless standard output is a pipe.  A pipe fails only
 * when its reader has gone, the normal end of `prog | head`, so that is
 * said nothing about.  The caller then exits non-zero.
 */
void
report_output_error(const char *prog)
{
	struct canopy_stat st;

	if (fstat_canopy(1, &st) < 0 || st.type != T_PIPE)
		fprintf(stderr, "%s: write error\n", prog);
}

/*
 * Has stdio's standard output failed?  If so, report it as above: false.
 * A line not yet ended (echo -n) is written first, to learn its fate.
 */
bool
stdout_ok(const char *prog)
{
	fflush(stdout);
	if (!ferror(stdout))
		return true;
	report_output_error(prog);
	return false;
}
