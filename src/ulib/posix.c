/*
 * The C library's system interface (what picolibc leaves to the OS) and
 * the POSIX-style calls Canopy offers, over the raw system calls.
 *
 * Differences from POSIX, kept from xv6: wait() stores the exit status
 * itself (not a WEXITSTATUS-encoded word; a killed process has status -1);
 * kill() ignores the signal number and always kills; a failing call
 * returns -1 with errno set to EINVAL, as the kernel reports no reason.
 * Files have no modes or owners (mode arguments are ignored); open()
 * refuses O_EXCL, which it cannot do atomically; O_NOFOLLOW opens a
 * symbolic link itself rather than failing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/types.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <canopy/fcntl.h>
#include "ulib.h"

extern void __libc_init_array(void);

static long
check(long r)
{
	if (r < 0) {
		errno = EINVAL;
		return -1;
	}
	return r;
}

void
__libc_start(void)
{
	__libc_init_array();
}

void
_exit(int status)
{
	__stdio_flush_all();
	__sys_exit(status);
}

pid_t
fork(void)
{
	__stdio_flush_all();
	return (pid_t)check(__sys_fork());
}

pid_t
wait(int *status)
{
	return (pid_t)check(__sys_wait(status));
}

int
kill(pid_t pid, int sig)
{
	(void)sig;
	return (int)check(__sys_kill(pid));
}

pid_t
getpid(void)
{
	return (pid_t)__sys_getpid();
}

void *
sbrk(ptrdiff_t incr)
{
	long r = __sys_sbrk(incr, SBRK_DEFAULT);
	if (r == -1) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return (void *)r;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	return check(__sys_read(fd, buf, (long)n));
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	return check(__sys_write(fd, buf, (long)n));
}

int
close(int fd)
{
	return (int)check(__sys_close(fd));
}

int
dup(int fd)
{
	return (int)check(__sys_dup(fd));
}

int
pipe(int fds[2])
{
	return (int)check(__sys_pipe(fds));
}

/* Canopy programs have no environment: a Linux program they exec gets the kernel's default one. */
int
exec(const char *path, char *const argv[])
{
	__stdio_flush_all();
	return (int)check(__sys_exec(path, argv));
}

/* Canopy programs have no environment; a Linux program exec'd gets envp. */
int
execve(const char *path, char *const argv[], char *const envp[])
{
	__stdio_flush_all();
	return (int)check(__sys_execve(path, argv, envp));
}

int
execv(const char *path, char *const argv[])
{
	return exec(path, argv);
}

int
sleep_ticks(int ticks)
{
	return (int)check(__sys_sleep(ticks));
}

unsigned int
sleep(unsigned int seconds)
{
	sleep_ticks((int)(seconds * vdso()->tick_hz));
	return 0;
}

int
usleep(useconds_t us)
{
	uint64_t hz = vdso()->tick_hz;
	return sleep_ticks((int)((us * hz + 999999) / 1000000));
}

long
uptime(void)
{
	return __sys_uptime();
}

int
sysinfo(struct sysinfo *si)
{
	return (int)check(__sys_sysinfo(si, SYSINFO_CANOPY));
}

long
vmprint(int pid, char *buf, long size)
{
	return check(__sys_vmprint(pid, buf, size));
}

/* The kernel writes 32 bits for up to 32 pages (as the xv6 lab); widen to 64. */
int
pgaccess(void *base, int npages, uint64_t *mask)
{
	int r = (int)check(__sys_pgaccess(base, npages, mask));
	if (r == 0 && npages <= 32)
		*mask &= 0xffffffffUL;
	return r;
}

void
poweroff(int status)
{
	__stdio_flush_all();
	__sys_poweroff(status);
}

int
bootargs(char *buf, long size)
{
	return (int)check(__sys_bootargs(buf, size));
}

/* procinfo(buf, max): entries written (see canopy/procinfo.h), or -1. */
int
procinfo(struct procinfo *buf, int max)
{
	return (int)check(__sys_procinfo(buf, max));
}

int
selftest(int op, uint64_t arg)
{
	return (int)__sys_selftest(op, arg);
}

/* picolibc's open() flags to the kernel's (xv6's values). */
static int
canopy_open_flags(int flags)
{
	int f = flags & O_ACCMODE;

	if (flags & O_CREAT)
		f |= CANOPY_O_CREATE;
	if (flags & O_TRUNC)
		f |= CANOPY_O_TRUNC;
	if (flags & O_APPEND)
		f |= CANOPY_O_APPEND;
	if (flags & O_NOFOLLOW)
		f |= CANOPY_O_NOFOLLOW;
	return f;
}

int
open(const char *path, int flags, ...)
{
	if (flags & O_EXCL) {
		errno = EINVAL;
		return -1;
	}
	return (int)check(__sys_open(path, canopy_open_flags(flags)));
}

int
creat(const char *path, mode_t mode)
{
	(void)mode;
	return open(path, O_WRONLY | O_CREAT | O_TRUNC);
}

int
mkdir(const char *path, mode_t mode)
{
	(void)mode;
	return (int)check(__sys_mkdir(path));
}

int
unlink(const char *path)
{
	return (int)check(__sys_unlink(path));
}

int
rmdir(const char *path)
{
	return unlink(path);
}

int
link(const char *old, const char *new)
{
	return (int)check(__sys_link(old, new));
}

int
symlink(const char *target, const char *path)
{
	return (int)check(__sys_symlink(target, path));
}

/* Only character devices: dev is canopy_makedev(major, minor). */
int
mknod(const char *path, mode_t mode, dev_t dev)
{
	if ((mode & S_IFMT) != S_IFCHR) {
		errno = EINVAL;
		return -1;
	}
	return (int)check(__sys_mknod(path, (int)canopy_major(dev), (int)canopy_minor(dev)));
}

off_t
lseek(int fd, off_t off, int whence)
{
	return (off_t)check(__sys_lseek(fd, (long)off, whence));
}

int
fstat_canopy(int fd, struct canopy_stat *st)
{
	return (int)check(__sys_fstat(fd, st));
}

int
stat_canopy(const char *path, struct canopy_stat *st)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	int r = fstat_canopy(fd, st);
	close(fd);
	return r;
}

static void
to_posix_stat(const struct canopy_stat *cs, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = (dev_t)cs->dev;
	st->st_ino = (ino_t)cs->ino;
	st->st_nlink = (nlink_t)cs->nlink;
	st->st_size = (off_t)cs->size;
	switch (cs->type) {
	case T_DIR: st->st_mode = S_IFDIR | 0755; break;
	case T_FILE: st->st_mode = S_IFREG | 0644; break;
	case T_DEVICE: st->st_mode = S_IFCHR | 0666; break;
	case T_SYMLINK: st->st_mode = S_IFLNK | 0777; break;
	case T_PIPE: st->st_mode = S_IFIFO | 0600; break;
	}
}

int
fstat(int fd, struct stat *st)
{
	struct canopy_stat cs;

	if (fstat_canopy(fd, &cs) < 0)
		return -1;
	to_posix_stat(&cs, st);
	return 0;
}

static int
stat_flags(const char *path, struct stat *st, int flags)
{
	struct canopy_stat cs;
	int fd = open(path, flags);

	if (fd < 0)
		return -1;
	int r = fstat_canopy(fd, &cs);
	close(fd);
	if (r < 0)
		return -1;
	to_posix_stat(&cs, st);
	return 0;
}

int
stat(const char *path, struct stat *st)
{
	return stat_flags(path, st, O_RDONLY);
}

int
lstat(const char *path, struct stat *st)
{
	return stat_flags(path, st, O_RDONLY | O_NOFOLLOW);
}

/* The target of symbolic link path, not NUL-terminated; its length. */
ssize_t
readlink(const char *path, char *buf, size_t size)
{
	struct canopy_stat cs;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	ssize_t n = -1;
	if (fstat_canopy(fd, &cs) == 0 && cs.type == T_SYMLINK)
		n = read(fd, buf, size);
	close(fd);
	if (n < 0)
		errno = EINVAL;
	return n;
}

int
chdir(const char *path)
{
	return (int)check(__sys_chdir(path));
}

/* The name directory dir gives inode ino (not "." or ".."), in name; -1 if none. */
static int
name_in(const char *dir, unsigned int ino, char name[DIRSIZ + 1])
{
	struct dirent de;
	int fd = open(dir, O_RDONLY), found = -1;

	if (fd < 0)
		return -1;
	while (found < 0 && read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == ino && strncmp(de.name, ".", DIRSIZ) != 0 &&
		    strncmp(de.name, "..", DIRSIZ) != 0) {
			memcpy(name, de.name, DIRSIZ);
			name[DIRSIZ] = 0;
			found = 0;
		}
	}
	close(fd);
	return found;
}

/*
 * The kernel keeps the current directory as an inode, which has no name:
 * the path is found by walking up, looking in ".." for the name of ".",
 * in "../.." for the name of "..", and so on until a directory is its own
 * parent, the root.  Nothing is changed on the way (no chdir).  Fails
 * with ENOENT if a directory on the way was removed (its ".." is gone),
 * ERANGE if the path does not fit in size bytes or is more than about 40
 * directories deep (the "../../.." must fit in a path).
 */
char *
getcwd(char *buf, size_t size)
{
	char up[MAXPATH] = ".";
	char path[MAXPATH], name[DIRSIZ + 1];
	size_t start = sizeof(path) - 1;        /* path[start..]: the part found so far */
	struct canopy_stat here, parent;

	path[start] = 0;
	if (!buf || stat_canopy(".", &here) < 0) {
		errno = buf ? ENOENT : EINVAL;
		return NULL;
	}
	for (;;) {
		size_t len = strlen(up);
		if (len + 4 > sizeof(up)) {
			errno = ERANGE;
			return NULL;
		}
		strcpy(up + len, len == 1 ? "." : "/..");      /* "." -> ".." -> "../.." */
		if (stat_canopy(up, &parent) < 0) {
			errno = ENOENT;
			return NULL;
		}
		if (parent.ino == here.ino && parent.dev == here.dev)
			break;
		if (name_in(up, here.ino, name) < 0) {
			errno = ENOENT;
			return NULL;
		}
		size_t n = strlen(name);
		if (n + 1 > start) {
			errno = ERANGE;
			return NULL;
		}
		start -= n + 1;
		path[start] = '/';
		memcpy(path + start + 1, name, n);
		here = parent;
	}
	if (path[start] == 0)
		path[--start] = '/';    /* the root itself */
	if (sizeof(path) - start > size) {
		errno = ERANGE;
		return NULL;
	}
	return memcpy(buf, path + start, sizeof(path) - start);
}

int
trace(uint64_t mask, int flags)
{
	return (int)check(__sys_trace(mask, flags));
}

int
sigalarm(int ticks, void (*handler)(void))
{
	return (int)check(__sys_sigalarm(ticks, handler));
}

int
sigreturn(void)
{
	return (int)__sys_sigreturn();
}

uint64_t
pgpte(const void *va)
{
	return (uint64_t)__sys_pgpte(va);
}

void
kpgtbl(void)
{
	__sys_kpgtbl();
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = __sys_mmap(addr, len, prot, flags, fd, (uint64_t)off);

	if (r == -1) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return (void *)r;
}

int
munmap(void *addr, size_t len)
{
	return (int)check(__sys_munmap(addr, len));
}

int
msync(void *addr, size_t len, int flags)
{
	return (int)check(__sys_msync(addr, len, flags));
}
