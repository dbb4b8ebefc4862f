/*
 * lbench ops WHAT N: N operations of one kind, untimed, for tools/bench.py,
 * which counts QEMU's traps, TLB flushes and TLB fills over a boot doing
 * them, less a boot doing none (`ops none 0`), per operation.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lbench.h"

static int
op_null(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

static int
op_pipe(long n)
{
	int to[2], from[2];
	char c = 'x';

	if (pipe(to) < 0 || pipe(from) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(to[1]);   /* else the read never sees the end */
		close(from[0]);
		while (read(to[0], &c, 1) == 1 && write(from[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	for (long i = 0; i < n; i++)
		if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
			return 1;
	close(to[1]);
	return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}

static int
op_fork(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return 1;
	}
	return 0;
}

static int
op_exec(long n)
{
	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();
		if (pid == 0) {
			execl(cfg.exec_path, cfg.exec_path, "0", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
			return 1;
	}
	return 0;
}

/* n fresh anonymous pages written once, 1024 at a time */
static int
op_fault(long n)
{
	for (long done = 0; done < n; done += 1024) {
		long pages = n - done < 1024 ? n - done : 1024;
		char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		for (long i = 0; i < pages; i++)
			p[i * 4096] = 1;
		munmap(p, pages * 4096);
	}
	return 0;
}

int
ops(const char *what, long n)
{
	static const struct { const char *name; int (*fn)(long n); } kinds[] = {
		{ "none", op_null }, { "null", op_null }, { "pipe", op_pipe },
		{ "fork", op_fork }, { "exec", op_exec }, { "fault", op_fault },
	};

	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, what) == 0)
			return kinds[i].fn(strcmp(what, "none") == 0 ? 0 : n);
	return 2;
}
