/*
 * Linux mode (the word linux): each batch is the Linux image LINUX_BATCH
 * (src/apps/fuzz/linux), since a process makes Linux's system calls only
 * if its image is a Linux one.  Everything around the batch stays this
 * program's: the workers, the deadline and the kill, the records on the
 * progress pipe, the checks of processes, pages and disk at the end.  The
 * batch child keeps only the progress pipe (and the console, verbose),
 * and execs the image with what decides its calls: seed, k, worker,
 * batch, the worker's folder and the checks to skip.
 */
#include <stdio.h>
#include "fuzz.h"

static char *
word(char *buf, int size, const char *key, unsigned long v)
{
	snprintf(buf, size, "%s=%lu", key, v);
	return buf;
}

void
linux_batch(int worker, long batch, int progress_fd)
{
	char seed[40], k[24], w[24], b[32], skip[32], dir[80];
	char *argv[] = { "fuzz-linux", word(seed, sizeof(seed), "seed", opt.seed),
			 word(k, sizeof(k), "k", (unsigned long)opt.k),
			 word(w, sizeof(w), "worker", (unsigned long)worker),
			 word(b, sizeof(b), "batch", (unsigned long)batch),
			 word(skip, sizeof(skip), "skip", opt.skip), dir,
			 opt.verbose ? "verbose" : NULL, NULL };

	snprintf(dir, sizeof(dir), "dir=%s", (char *)gen_path_at(P_DIR));
	child_keep_fds(progress_fd, opt.verbose);
	__sys_exec(LINUX_BATCH, argv);
	/* no image: the worker sees a batch with no call, and says so once */
	__sys_exit(4);
}

/*
 * A batch restores the console's termios right after each call that set
 * it, but a batch killed just then leaves it set (in raw mode, say,
 * where Ctrl-P lists nothing): the image's "tty" run puts the line
 * discipline back to canonical mode with echo and the signal keys.
 */
void
linux_tty_repair(void)
{
	char *argv[] = { "fuzz-linux", "tty", NULL };
	int pid = (int)__sys_fork(), st;

	if (pid == 0) {
		__sys_exec(LINUX_BATCH, argv);
		__sys_exit(4);
	}
	for (int r = pid; r > 0 && (r = (int)__sys_wait(&st)) != pid;)
		;
}
