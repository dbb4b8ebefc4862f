/* File-descriptor system calls: arguments checked here, work done in file.c. */
#include "fs/sysfile.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "vm/uaccess.h"

long
sys_read(void)
{
	struct file *f;
	long n = arg_int(2);

	if (arg_fd(0, NULL, &f) < 0 || n < 0)
		return -1;
	int r = file_read(f, arg_addr(1), (int)n);
	return r < 0 ? -1 : r;
}

long
sys_write(void)
{
	struct file *f;
	long n = arg_int(2);

	if (arg_fd(0, NULL, &f) < 0 || n < 0)
		return -1;
	int r = file_write(f, arg_addr(1), (int)n);
	return r < 0 ? -1 : r;
}

long
sys_close(void)
{
	int fd;
	struct file *f;

	if (arg_fd(0, &fd, &f) < 0)
		return -1;
	myproc()->ofile[fd] = NULL;
	file_close(f);
	return 0;
}

long
sys_dup(void)
{
	struct file *f;

	if (arg_fd(0, NULL, &f) < 0)
		return -1;
	int fd = fd_alloc(f);
	if (fd < 0)
		return -1;
	file_dup(f);
	return fd;
}

long
sys_fstat(void)
{
	struct file *f;

	if (arg_fd(0, NULL, &f) < 0)
		return -1;
	return file_stat(f, arg_addr(1));
}

/* lseek(fd, offset, whence): the new offset, or -1 (pipes and devices have none). */
long
sys_lseek(void)
{
	struct file *f;

	if (arg_fd(0, NULL, &f) < 0)
		return -1;
	return file_seek(f, (long)arg_addr(1), (int)arg_int(2));
}

/* pipe(int fds[2]): the read end in fds[0], the write end in fds[1]. */
long
sys_pipe(void)
{
	uint64 fds_addr = arg_addr(0);
	struct proc *p = myproc();
	struct file *r, *w;

	if (!user_range_ok(fds_addr, 2 * sizeof(int)))
		return -1;
	if (pipe_alloc(&r, &w) < 0)
		return -1;
	int fds[2] = { fd_alloc(r), -1 };
	if (fds[0] >= 0)
		fds[1] = fd_alloc(w);
	if (fds[1] < 0 || copyout(fds_addr, fds, sizeof(fds)) < 0) {
		if (fds[0] >= 0)
			p->ofile[fds[0]] = NULL;
		if (fds[1] >= 0)
			p->ofile[fds[1]] = NULL;
		file_close(r);
		file_close(w);
		return -1;
	}
	return 0;
}
