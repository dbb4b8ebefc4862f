/*
 * The report channel: one pipe per test, whose write end every process of
 * the test inherits (exec'd ones get its number in argv).  A process sends
 * a byte 'E' per error it finds (the first few) and, before it exits or
 * execs, 'C' and its event counts.  Each record is one write of at most
 * 512 bytes, which a pipe never interleaves with another.  The test reads
 * the channel to its end, so an error counts even if its finder is killed
 * right after, and the test cannot finish before every process of it has.
 */
#include <stdarg.h>
#include "stress.h"

#define MAX_PRINTED 4           /* error lines one process prints */
#define MAX_SENT    8           /* error records one process sends */

struct options opt = { .seed = 1, .report_fd = -1 };
struct counts counts;

static int n_errors;
static int read_fd = -1;

/* In a new process (fork or exec): its own errors and counts from now on. */
void
channel_start_process(void)
{
	n_errors = 0;
	memset(&counts, 0, sizeof(counts));
}

bool
report(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	n_errors++;
	if (n_errors <= MAX_PRINTED) {
		va_start(ap, fmt);
		vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		printf("  stress: pid %d: %s\n", getpid(), line);
	}
	if (n_errors <= MAX_SENT && opt.report_fd >= 0) {
		char c = 'E';
		(void)write(opt.report_fd, &c, 1);
	}
	return false;
}

int
errors_seen(void)
{
	return n_errors;
}

/* Send our counts so far (before exit or exec) and start again from zero. */
void
counts_send(void)
{
	unsigned char rec[1 + sizeof(struct counts)];

	if (opt.report_fd < 0)
		return;
	rec[0] = 'C';
	memcpy(rec + 1, &counts, sizeof(counts));
	(void)write(opt.report_fd, rec, sizeof(rec));
	memset(&counts, 0, sizeof(counts));
}

/* Exit with status, our counts sent first. */
void
leave(int status)
{
	counts_send();
	exit(status);
}

void
channel_open(void)
{
	int fds[2];

	expect(pipe(fds) == 0, "pipe for the report channel failed");
	read_fd = fds[0];
	opt.report_fd = fds[1];
	channel_start_process();
}

/* In a process the test forked: only the test reads the channel. */
void
channel_drop_reader(void)
{
	close(read_fd);
	read_fd = -1;
}

static void
add_counts(struct counts *total, const struct counts *c)
{
	const uint64_t *from = (const uint64_t *)c;
	uint64_t *to = (uint64_t *)total;

	for (size_t i = 0; i < sizeof(*c) / sizeof(uint64_t); i++)
		to[i] += from[i];
}

/*
 * Close our write end and read the channel to its end (when every process
 * of the test has exited).  The errors reported; the counts, ours
 * included, summed into *total.
 */
int
channel_close(struct counts *total)
{
	static unsigned char buf[4096];
	int have = 0, errors = 0;

	memset(total, 0, sizeof(*total));
	add_counts(total, &counts);
	close(opt.report_fd);
	opt.report_fd = -1;
	for (;;) {
		int n = read(read_fd, buf + have, sizeof(buf) - have);
		if (n <= 0)
			break;
		have += n;
		int used = 0;
		const int rec_len = 1 + (int)sizeof(struct counts);
		while (used < have) {
			if (buf[used] == 'E') {
				errors++;
				used++;
			} else if (buf[used] == 'C' && have - used >= rec_len) {
				struct counts c;
				memcpy(&c, buf + used + 1, sizeof(c));
				add_counts(total, &c);
				used += rec_len;
			} else if (buf[used] == 'C') {
				break;          /* the rest of the record is still to come */
			} else {
				printf("  stress: report channel: unknown record %#x\n", buf[used]);
				errors++;
				used++;
			}
		}
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	close(read_fd);
	return errors;
}
