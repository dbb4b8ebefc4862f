/*
 * Linux file calls, on Canopy's files (fs/).  Paths are resolved by
 * fs/namei.c, relative to a directory descriptor for the *at calls; the
 * path operations themselves are fs/syspath.c's.  Files have no owners or
 * permission bits: stat reports root's files, mode 0644 (directories
 * 0755, symbolic links 0777), and every access check passes.  Times are 0.
 * /proc (fs/procfs.c) shows files 0444 and directories 0555, and its
 * files fail writes as Linux's do.
 */
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "dev/console.h"
#include "dev/memdev.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "fs/procfs.h"
#include "fs/pipe.h"
#include "fs/syspath.h"
#include "sched/proc.h"
#include "sched/signal.h"
#include "sched/syscall.h"
#include "vm/uaccess.h"
#include "lib/string.h"
#include <canopy/stat.h>

#define IOV_MAX_HERE    64      /* iovecs one readv/writev takes (Linux: 1024) */
#define MAX_RW          0x7ffff000UL    /* bytes one read or write moves at most: Linux's MAX_RW_COUNT */

/* Why a file read or write failed (it returned r < 0) having moved nothing. */
static long
io_error(struct file *f, uint64 addr, bool writing, long r)
{
	char c;

	if (r == -EAGAIN)
		return r;       /* O_NONBLOCK, and it would have waited */
	if (proc_interrupted(myproc()))
		return -ERESTARTSYS;    /* a signal ended the wait (sched/signal.h) */
	if (f->type == FD_PIPE && writing) {
		struct sig_detail d = { SI_USER, myproc()->pid, 0, 0, 0 };
		signal_send(myproc(), SIGPIPE, &d);
		return -EPIPE;
	}
	bool proc = f->type == FD_INODE && procfs_inode(f->ip);
	if (writing && proc)
		return procfs_write_error(f->ip);
	if (writing ? copyin(&c, addr, 1) < 0 : user_prefault(addr, 1, true) < 0)
		return -EFAULT;
	if (writing && f->type == FD_INODE)
		return fs_readonly() ? -EROFS : -ENOSPC;
	return proc ? -ESRCH : -EIO;    /* proc: the process it shows has gone */
}

/* Can f be read (writing: written) at all?  0 or -errno. */
static long
io_check(struct file *f, uint64 addr, uint64 n, bool writing)
{
	if (writing ? !f->writable : !f->readable)
		return -EBADF;
	if (!writing && f->type == FD_INODE && f->ip->type == T_DIR)
		return -EISDIR;
	return user_range_ok(addr, n) ? 0 : -EFAULT;
}

static long
rw(bool writing)
{
	struct file *f;
	uint64 addr = arg_addr(1), n = arg_addr(2);
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0 || (r = io_check(f, addr, n, writing)) < 0)
		return r;
	if (n == 0)
		return 0;
	n = n < MAX_RW ? n : MAX_RW;
	r = writing ? file_write(f, addr, (int)n) : file_read(f, addr, (int)n);
	return r < 0 ? io_error(f, addr, writing, r) : r;
}

long
lx_read(void)
{
	return rw(false);
}

long
lx_write(void)
{
	return rw(true);
}

/* readv/writev: each buffer in turn, stopping at the first short transfer. */
static long
rwv(bool writing)
{
	struct iovec iov[IOV_MAX_HERE];
	struct file *f;
	long cnt = arg_int(2), done = 0;
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0)
		return r;
	if (cnt < 0 || cnt > IOV_MAX_HERE)
		return -EINVAL;
	if (copyin(iov, arg_addr(1), cnt * sizeof(iov[0])) < 0)
		return -EFAULT;
	for (long i = 0; i < cnt; i++) {
		uint64 addr = (uint64)iov[i].iov_base, n = iov[i].iov_len;
		if ((r = io_check(f, addr, n, writing)) < 0)
			return done ? done : r;
		if (n == 0)
			continue;
		n = n < MAX_RW ? n : MAX_RW;
		r = writing ? file_write(f, addr, (int)n) : file_read(f, addr, (int)n);
		if (r < 0)
			return done ? done : io_error(f, addr, writing, r);
		done += r;
		if ((uint64)r < n)
			break;
	}
	return done;
}

long
lx_readv(void)
{
	return rwv(false);
}

long
lx_writev(void)
{
	return rwv(true);
}

static long
prw(bool writing)
{
	struct file *f;
	uint64 addr = arg_addr(1), n = arg_addr(2);
	long off = (long)arg_addr(3);
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0 || (r = io_check(f, addr, n, writing)) < 0)
		return r;
	/* null, zero, urandom take any offset, as lseek does; pipes and the console none */
	bool memdev = f->type == FD_DEVICE && f->major != CONSOLE;
	if (f->type != FD_INODE && !memdev)
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	n = n < MAX_RW ? n : MAX_RW;
	if (memdev)
		r = writing ? file_write(f, addr, (int)n) : file_read(f, addr, (int)n);
	else if (n == 0 || off > 0xffffffffL)
		return 0;
	else
		r = writing ? file_pwrite(f, addr, (int)n, (uint32)off) : file_pread(f, addr, (int)n, (uint32)off);
	return r < 0 ? io_error(f, addr, writing, r) : r;
}

long
lx_pread64(void)
{
	return prw(false);
}

long
lx_pwrite64(void)
{
	return prw(true);
}

/* Linux open flags as path_open's; -EINVAL for what Canopy cannot do. */
static long
open_flags(int lflags)
{
	int f = lflags & O_ACCMODE;

	if (f == O_ACCMODE || (lflags & (__O_TMPFILE | O_PATH)))
		return -EINVAL;
	if ((lflags & O_CREAT) && (lflags & O_DIRECTORY))
		return -EINVAL;         /* Linux since 6.4: never a directory made by open */
	if (lflags & O_CREAT)
		f |= CANOPY_O_CREATE;
	if (lflags & O_EXCL)
		f |= PATH_O_EXCL;
	if (lflags & O_TRUNC)
		f |= CANOPY_O_TRUNC;
	if (lflags & O_APPEND)
		f |= CANOPY_O_APPEND;
	if (lflags & O_NOFOLLOW)
		f |= CANOPY_O_NOFOLLOW;
	if (lflags & O_DIRECTORY)
		f |= PATH_O_DIRECTORY;
	return f;
}

/* The major of the device Linux programs find at path under /dev (there is no /dev on disk), or -1. */
static int
dev_by_name(const char *path)
{
	static const char *const tty[] = { "/dev/tty", "/dev/console", "/dev/stdin",
					   "/dev/stdout", "/dev/stderr" };

	for (uint64 i = 0; i < NELEM(tty); i++)
		if (strcmp(path, tty[i]) == 0)
			return CONSOLE;
	return memdev_by_name(path);
}

/* Open the device at path (flags: Linux's) as a new descriptor; -ENOENT if path is none. */
static long
open_dev(const char *path, int lflags)
{
	int major = dev_by_name(path), acc = lflags & O_ACCMODE, fd;

	if (major < 0)
		return -ENOENT;
	struct file *f = file_open_device(major, acc != O_WRONLY, acc != O_RDONLY);
	if (!f)
		return -ENFILE;
	if ((fd = fd_alloc(f)) < 0) {
		file_close(f);
		return -EMFILE;
	}
	return fd;
}

long
lx_openat(void)
{
	char path[MAXPATH];
	struct inode *base;
	int lflags = (int)arg_int(2);
	long r = lx_path(arg_addr(1), path), flags = open_flags(lflags);

	if (r < 0 || (r = flags) < 0)
		return r;
	if (strncmp(path, "/dev/", 5) == 0 && (r = open_dev(path, lflags)) != -ENOENT)
		goto opened;
	if (path[0] && path[strlen(path) - 1] == '/')
		flags |= PATH_O_DIRECTORY;      /* "name/" must be a directory */
	if ((r = lx_dirfd((int)arg_int(0), path, &base)) < 0)
		return r;
	r = path_open(base, path, (int)flags);
opened:
	if (r >= 0 && (lflags & O_CLOEXEC))
		proc_set_cloexec(myproc(), (int)r, true);
	if (r >= 0)
		myproc()->ofile[r]->nonblock = (lflags & O_NONBLOCK) != 0;
	return r;
}

long
lx_close(void)
{
	struct file *f;
	int fd = (int)arg_int(0);
	long r = lx_fd(fd, &f);

	if (r < 0)
		return r;
	myproc()->ofile[fd] = NULL;
	proc_set_cloexec(myproc(), fd, false);
	file_close(f);
	return 0;
}

long
lx_lseek(void)
{
	struct file *f;
	long r = lx_fd((int)arg_int(0), &f);
	int whence = (int)arg_int(2);

	if (r < 0)
		return r;
	if (f->type == FD_DEVICE && f->major != CONSOLE)
		return 0;       /* null, zero, urandom: every position is the start */
	if (f->type != FD_INODE)
		return -ESPIPE;
	if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
		return -EINVAL;
	if (whence == SEEK_END && procfs_inode(f->ip))
		return -EINVAL;         /* its text has no end until it is read */
	r = file_seek(f, (long)arg_addr(1), whence);    /* Canopy's SEEK_* are Linux's */
	return r < 0 ? -EINVAL : r;
}

/* Make newfd (free or not, below RLIMIT_NOFILE) refer to f's file too; newfd or -errno. */
static long
dup_to(struct file *f, int newfd, bool cloexec)
{
	struct proc *p = myproc();

	if (newfd < 0 || newfd >= p->nofile)
		return -EBADF;
	struct file *old = p->ofile[newfd];
	p->ofile[newfd] = file_dup(f);
	proc_set_cloexec(p, newfd, cloexec);
	if (old)
		file_close(old);
	return newfd;
}

long
lx_dup(void)
{
	struct file *f;
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0)
		return r;
	if ((r = fd_alloc(f)) < 0)
		return -EMFILE;
	file_dup(f);
	return r;
}

long
lx_dup3(void)
{
	struct file *f;
	int oldfd = (int)arg_int(0), newfd = (int)arg_int(1), flags = (int)arg_int(2);
	long r = lx_fd(oldfd, &f);

	if (r < 0)
		return r;
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return dup_to(f, newfd, flags & O_CLOEXEC);
}

long
lx_fcntl(void)
{
	struct proc *p = myproc();
	struct file *f;
	int fd = (int)arg_int(0), cmd = (int)arg_int(1);
	long arg = (long)arg_addr(2), r = lx_fd(fd, &f);

	if (r < 0)
		return r;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= p->nofile)
			return -EINVAL;
		if ((r = fd_alloc_from(f, (int)arg)) < 0)
			return -EMFILE;
		file_dup(f);
		proc_set_cloexec(p, (int)r, cmd == F_DUPFD_CLOEXEC);
		return r;
	case F_GETFD:
		return proc_cloexec(p, fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		proc_set_cloexec(p, fd, (arg & FD_CLOEXEC) != 0);
		return 0;
	case F_GETFL:
		return (f->readable && f->writable ? O_RDWR : f->writable ? O_WRONLY : O_RDONLY) |
		       (f->append ? O_APPEND : 0) | (f->nonblock ? O_NONBLOCK : 0);
	case F_SETFL:
		f->append = (arg & O_APPEND) != 0;
		f->nonblock = (arg & O_NONBLOCK) != 0;
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		return 0;       /* one machine, no lock holders to wait for: advisory locks always granted */
	default:
		return -EINVAL;
	}
}

long
lx_pipe2(void)
{
	struct proc *p = myproc();
	uint64 ufds = arg_addr(0);
	int flags = (int)arg_int(1);
	struct file *r, *w;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if (!user_range_ok(ufds, 2 * sizeof(int)))
		return -EFAULT;
	if (pipe_alloc(&r, &w) < 0)
		return -ENFILE;
	int fds[2] = { fd_alloc(r), -1 };
	if (fds[0] >= 0)
		fds[1] = fd_alloc(w);
	long err = fds[1] < 0 ? -EMFILE : copyout(ufds, fds, sizeof(fds)) < 0 ? -EFAULT : 0;
	if (err < 0) {
		if (fds[0] >= 0)
			p->ofile[fds[0]] = NULL;
		if (fds[1] >= 0)
			p->ofile[fds[1]] = NULL;
		file_close(r);
		file_close(w);
		return err;
	}
	proc_set_cloexec(p, fds[0], flags & O_CLOEXEC);
	proc_set_cloexec(p, fds[1], flags & O_CLOEXEC);
	r->nonblock = w->nonblock = (flags & O_NONBLOCK) != 0;
	return 0;
}

/* One entry of a getdents64 reply into rec; its length. */
static uint16
dirent64(char *rec, uint64 ino, uint64 next, uint8 type, const char *name)
{
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
	uint64 len = strnlen(name, DIRSIZ);
	uint16 reclen = (uint16)ROUNDUP(sizeof(*d) + len + 1, 8);

	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = (int64_t)next;
	d->d_reclen = reclen;
	d->d_type = type;
	memcpy(d->d_name, name, len);
	return reclen;
}

/* getdents64 of a /proc directory: its offset is procfs_readdir's position. */
static long
procfs_getdents(struct file *f, uint64 buf, uint64 size)
{
	char rec[sizeof(struct linux_dirent64) + DIRSIZ + 1 + 7];
	struct procfs_dirent e;
	uint64 used = 0;
	uint32 pos = f->off;

	while (procfs_readdir(f->ip, &pos, &e)) {
		uint8 type = e.type == T_DIR ? DT_DIR : e.type == T_SYMLINK ? DT_LNK : DT_REG;
		uint16 reclen = dirent64(rec, e.ino, pos, type, e.name);
		if (used + reclen > size)
			return used ? (long)used : -EINVAL;
		if (copyout(buf + used, rec, reclen) < 0)
			return used ? (long)used : -EFAULT;
		used += reclen;
		f->off = pos;
	}
	return (long)used;
}

/* getdents64: the directory's entries from its offset, as many as fit. */
long
lx_getdents64(void)
{
	struct file *f;
	uint64 buf = arg_addr(1), size = (uint32)arg_int(2), used = 0;
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0)
		return r;
	if (f->type != FD_INODE || f->ip->type != T_DIR)
		return -ENOTDIR;
	if (!user_range_ok(buf, size))
		return -EFAULT;
	if (procfs_inode(f->ip))
		return procfs_getdents(f, buf, size);
	for (;;) {
		struct dirent de;
		char rec[sizeof(struct linux_dirent64) + DIRSIZ + 1 + 7], name[DIRSIZ + 1];
		if (ilock(f->ip) < 0) {
			iunlock(f->ip);
			return used ? (long)used : -EIO;
		}
		uint32 off = f->off;
		int got = off + sizeof(de) <= f->ip->size ?
			  readi(f->ip, false, (uint64)&de, off, sizeof(de)) : 0;
		iunlock(f->ip);
		if (got != sizeof(de))
			break;
		if (de.inum == 0) {
			f->off = off + sizeof(de);
			continue;
		}
		memcpy(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		uint16 reclen = dirent64(rec, de.inum, off + sizeof(de), DT_UNKNOWN, name);
		if (used + reclen > size)
			return used ? (long)used : -EINVAL;
		if (copyout(buf + used, rec, reclen) < 0)
			return used ? (long)used : -EFAULT;
		used += reclen;
		f->off = off + sizeof(de);
	}
	return (long)used;
}

/* Linux's mode for the file cs describes. */
static uint32
mode_of(const struct canopy_stat *cs)
{
	bool proc = cs->dev == PROCFS_DEV;

	switch (cs->type) {
	case T_DIR:     return S_IFDIR | (proc ? 0555 : 0755);
	case T_SYMLINK: return S_IFLNK | 0777;
	case T_DEVICE:  return S_IFCHR | 0666;
	case T_PIPE:    return S_IFIFO | 0600;
	default:        return S_IFREG | (proc ? 0444 : 0644);
	}
}

/* Linux counts a directory's "." among its links; the file system does not. */
static int
link_count(const struct canopy_stat *cs)
{
	return cs->type == T_DIR ? cs->nlink + 1 : cs->nlink;
}

static long
put_stat(uint64 addr, const struct canopy_stat *cs)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = (unsigned long)cs->dev;
	st.st_ino = cs->ino;
	st.st_mode = mode_of(cs);
	st.st_nlink = (unsigned int)link_count(cs);
	st.st_rdev = cs->type == T_DEVICE ? (unsigned long)CONSOLE << 8 : 0;
	st.st_size = (long)cs->size;
	st.st_blksize = BSIZE;
	st.st_blocks = (long)((cs->size + 511) / 512);
	return copyout(addr, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

/*
 * The status of what dirfd and path name (flags: AT_SYMLINK_NOFOLLOW,
 * AT_EMPTY_PATH) into *cs; 0 or -errno.
 */
static long
stat_at(int dirfd, uint64 upath, int flags, struct canopy_stat *cs)
{
	char path[MAXPATH];
	struct inode *base, *ip;
	struct file *f;
	int err;
	long r = lx_path(upath, path);

	if (r < 0)
		return r;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if (path[0] == 0) {
		if (!(flags & AT_EMPTY_PATH))
			return -ENOENT;
		if (dirfd == AT_FDCWD) {
			if (!myproc()->cwd)
				return -ENOENT;
			ilock(myproc()->cwd);
			stati(myproc()->cwd, cs);
			iunlock(myproc()->cwd);
			return 0;
		}
		if ((r = lx_fd(dirfd, &f)) < 0)
			return r;
		return file_stati(f, cs) < 0 ? -EIO : 0;
	}
	if (strncmp(path, "/dev/", 5) == 0 && dev_by_name(path) >= 0) {
		memset(cs, 0, sizeof(*cs));
		cs->type = T_DEVICE;
		cs->nlink = 1;
		return 0;
	}
	if ((r = lx_dirfd(dirfd, path, &base)) < 0)
		return r;
	begin_op();
	if (!(ip = namei_at(base, path, !(flags & AT_SYMLINK_NOFOLLOW), &err))) {
		end_op();
		return err;
	}
	r = ilock(ip);
	if (r == 0)
		stati(ip, cs);
	iunlockput(ip);
	end_op();
	return r < 0 ? -EIO : 0;
}

long
lx_newfstatat(void)
{
	struct canopy_stat cs;
	long r = stat_at((int)arg_int(0), arg_addr(1), (int)arg_int(3), &cs);

	return r < 0 ? r : put_stat(arg_addr(2), &cs);
}

long
lx_fstat(void)
{
	struct canopy_stat cs;
	struct file *f;
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0)
		return r;
	if (file_stati(f, &cs) < 0)
		return -EIO;
	return put_stat(arg_addr(1), &cs);
}

long
lx_statx(void)
{
	struct canopy_stat cs;
	struct statx sx;
	long r = stat_at((int)arg_int(0), arg_addr(1), (int)arg_int(2), &cs);

	if (r < 0)
		return r;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = BSIZE;
	sx.stx_nlink = (uint32)link_count(&cs);
	sx.stx_mode = (uint16)mode_of(&cs);
	sx.stx_ino = cs.ino;
	sx.stx_size = cs.size;
	sx.stx_blocks = (cs.size + 511) / 512;
	sx.stx_dev_major = (uint32)cs.dev;
	if (cs.type == T_DEVICE)
		sx.stx_rdev_major = CONSOLE;
	return copyout(arg_addr(4), &sx, sizeof(sx)) < 0 ? -EFAULT : 0;
}

/* utimensat(dirfd, path, times, flags): files keep no times, so existing is enough. */
long
lx_utimensat(void)
{
	struct canopy_stat cs;
	struct file *f;

	if (arg_addr(1) == 0)           /* futimens(fd): the descriptor itself */
		return lx_fd((int)arg_int(0), &f);
	return stat_at((int)arg_int(0), arg_addr(1), (int)arg_int(3) & AT_SYMLINK_NOFOLLOW, &cs);
}

/*
 * fchmodat(dirfd, path, mode), fchownat(dirfd, path, uid, gid, flags) and
 * their descriptor forms: the file system keeps no modes or owners (every
 * file reads as 0644 and root's), so, like utimensat, they succeed for
 * what exists and change nothing; the caller is root, who may.
 */
long
lx_fchmodat(void)
{
	struct canopy_stat cs;

	return stat_at((int)arg_int(0), arg_addr(1), 0, &cs);
}

long
lx_fchownat(void)
{
	struct canopy_stat cs;
	int flags = (int)arg_int(4);

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return stat_at((int)arg_int(0), arg_addr(1), flags, &cs);
}

/* fchmod(fd, mode), fchown(fd, uid, gid): as above, for an open descriptor. */
long
lx_fchmod(void)
{
	struct file *f;

	return lx_fd((int)arg_int(0), &f);
}

/* faccessat(dirfd, path, mode[, flags]): no permissions, so existing is enough. */
long
lx_faccessat(void)
{
	struct canopy_stat cs;
	int mode = (int)arg_int(2);

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	return stat_at((int)arg_int(0), arg_addr(1), 0, &cs);
}

long
lx_readlinkat(void)
{
	char path[MAXPATH], target[MAXPATH];
	struct inode *base, *ip;
	int err;
	long n = (long)arg_addr(3), r = lx_path(arg_addr(1), path);

	if (r < 0)
		return r;
	if (n <= 0)
		return -EINVAL;
	if ((r = lx_dirfd((int)arg_int(0), path, &base)) < 0)
		return r;
	begin_op();
	if (!(ip = namei_at(base, path, false, &err))) {
		end_op();
		return err;
	}
	r = -EINVAL;
	if (ilock(ip) == 0 && ip->type == T_SYMLINK && ip->size < sizeof(target))
		r = readi(ip, false, (uint64)target, 0, ip->size);
	iunlockput(ip);
	end_op();
	if (r < 0)
		return r;
	if (n > r)
		n = r;
	return copyout(arg_addr(2), target, (uint64)n) < 0 ? -EFAULT : n;
}

/* The path argument n and the base its dirfd (argument n - 1) gives; 0 or -errno. */
static long
at_path(int n, char *path, struct inode **base)
{
	long r = lx_path(arg_addr(n), path);

	return r < 0 ? r : lx_dirfd((int)arg_int(n - 1), path, base);
}

long
lx_mkdirat(void)
{
	char path[MAXPATH];
	struct inode *base;
	long r = at_path(1, path, &base);

	return r < 0 ? r : path_mkdir(base, path);
}

long
lx_unlinkat(void)
{
	char path[MAXPATH];
	struct inode *base;
	int flags = (int)arg_int(2);
	long r = at_path(1, path, &base);

	if (r < 0)
		return r;
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return path_unlink(base, path, (flags & AT_REMOVEDIR) ? UNLINK_DIR : UNLINK_FILE);
}

long
lx_linkat(void)
{
	char old[MAXPATH], new[MAXPATH];
	struct inode *obase, *nbase;
	long r = at_path(1, old, &obase);

	if (r < 0 || (r = at_path(3, new, &nbase)) < 0)
		return r;
	if ((int)arg_int(4) & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return path_link(obase, old, nbase, new);
}

long
lx_symlinkat(void)
{
	char target[MAXPATH], path[MAXPATH];
	struct inode *base;
	long r = lx_path(arg_addr(0), target);

	if (r < 0 || (r = at_path(2, path, &base)) < 0)
		return r;
	return path_symlink(target, base, path);
}

long
lx_renameat2(void)
{
	char old[MAXPATH], new[MAXPATH];
	struct inode *obase, *nbase;
	long r = at_path(1, old, &obase);

	if (r < 0 || (r = at_path(3, new, &nbase)) < 0)
		return r;
	if ((int)arg_int(4) & ~RENAME_NOREPLACE)
		return -EINVAL;
	return path_rename(obase, old, nbase, new, (int)arg_int(4) & RENAME_NOREPLACE);
}

long
lx_chdir(void)
{
	char path[MAXPATH];
	long r = lx_path(arg_addr(0), path);

	return r < 0 ? r : path_chdir(NULL, path);
}

long
lx_fchdir(void)
{
	struct file *f;
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0)
		return r;
	if (f->type != FD_INODE || f->ip->type != T_DIR)
		return -ENOTDIR;
	return inode_chdir(f->ip);
}

long
lx_getcwd(void)
{
	char path[MAXPATH];
	uint64 size = arg_addr(1);
	long n = fs_cwd_path(path, sizeof(path));

	if (n < 0)
		return n;
	if (size < (uint64)n + 1)
		return -ERANGE;
	return copyout(arg_addr(0), path, (uint64)n + 1) < 0 ? -EFAULT : n + 1;
}

long
lx_umask(void)
{
	struct proc *p = myproc();
	int old = p->umask;

	p->umask = (int)arg_int(0) & 0777;
	return old;
}

/*
 * Cut or grow the file ip (unlocked, referenced) to len bytes; 0 or
 * -errno (-EINTR: killed while growing it, part grown).
 */
static long
truncate_inode(struct inode *ip, long len)
{
	static const char zeros[BSIZE];

	if (len < 0 || len > (long)MAXFILE * BSIZE)
		return -EINVAL;
	if (procfs_inode(ip))
		return 0;       /* as Linux's /proc does for root */
	if (fs_readonly())
		return -EROFS;
	for (;;) {
		begin_op();
		if (ilock(ip) < 0) {
			iunlock(ip);
			end_op();
			return -EIO;
		}
		long r = 0;
		if (ip->type == T_DIR)
			r = -EISDIR;
		else if (ip->type != T_FILE)
			r = -EINVAL;
		else if ((uint64)len < ip->size)
			itrunc_to(ip, (uint32)len);
		else if ((uint64)len > ip->size) {
			/* grow a block at a time: no holes in this file system */
			uint32 m = (uint64)len - ip->size < BSIZE ? (uint32)(len - ip->size) : BSIZE;
			if (writei(ip, false, (uint64)zeros, ip->size, m) != (int)m)
				r = -ENOSPC;
		}
		bool more = r == 0 && (uint64)len > ip->size;
		iunlock(ip);
		if (end_op() < 0 && r == 0)
			r = -EIO;
		if (r < 0 || !more)
			return r;
		if (proc_killed(myproc()))
			return -EINTR;  /* growing by 64 MiB takes a minute: a kill ends it sooner */
	}
}

long
lx_ftruncate(void)
{
	struct file *f;
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0)
		return r;
	if (f->type != FD_INODE || !f->writable)
		return -EINVAL;
	return truncate_inode(f->ip, (long)arg_addr(1));
}

long
lx_truncate(void)
{
	char path[MAXPATH];
	struct inode *ip;
	int err;
	long r = lx_path(arg_addr(0), path);

	if (r < 0)
		return r;
	begin_op();
	ip = namei_at(NULL, path, true, &err);
	end_op();
	if (!ip)
		return err;
	r = inode_get_write(ip);        /* ETXTBSY while a process runs it, as with open */
	if (r == 0) {
		r = truncate_inode(ip, (long)arg_addr(1));
		inode_put_write(ip);
	}
	iput_op(ip);
	return r;
}

/* sync and fsync: every transaction is on the disk when its call returns (fs/log.c). */
long
lx_sync(void)
{
	return 0;
}

long
lx_fsync(void)
{
	struct file *f;

	return lx_fd((int)arg_int(0), &f);
}
