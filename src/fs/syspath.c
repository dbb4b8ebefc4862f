/*
 * System calls that take path names: open, mkdir, mknod, symlink, chdir,
 * link, unlink.  Semantics are xv6's where xv6 has the call.  Each is one
 * transaction, so it happens wholly or not at all across a crash.  Every
 * failure a user can cause returns -1 and leaves the file system as it
 * was; without a mounted file system they all fail.  So does a call whose
 * transaction was discarded (end_op() < 0), and every call that would
 * change a file system a failure made read-only (fs/log.c).
 */
#include "vm/vmobj.h"
#include "fs/syspath.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include <canopy/fcntl.h>

#define KNOWN_FLAGS (CANOPY_O_WRONLY | CANOPY_O_RDWR | CANOPY_O_CREATE | CANOPY_O_TRUNC | \
		     CANOPY_O_NOFOLLOW | CANOPY_O_APPEND)

/* Fetch path argument n; -1 if it is bad or too long, or there is no file system. */
static int
arg_path(int n, char path[MAXPATH])
{
	if (!fs_mounted())
		return -1;
	return arg_str(n, path, MAXPATH) < 0 ? -1 : 0;
}

/* arg_path() for a call that changes the file system: -1 too if it is read-only. */
static int
arg_path_rw(int n, char path[MAXPATH])
{
	if (arg_path(n, path) < 0 || fs_readonly())
		return -1;
	return 0;
}

/*
 * Make a new inode of type at path, linked into its directory, with
 * content (len bytes, for a symbolic link) already written.  Returns it
 * locked, or NULL.  If path exists, create fails, except that for type
 * T_FILE an existing file, device or symbolic link is returned (locked).
 * In a transaction.
 */
static struct inode *
create(const char *path, short type, short major, short minor, const char *content, uint32 len)
{
	char name[DIRSIZ + 1];
	struct inode *dp, *ip;

	if (!(dp = nameiparent(path, name)))
		return NULL;
	if (ilock(dp) < 0 || dp->nlink < 1) {   /* bad, or removed (fs/dir.c) */
		iunlockput(dp);
		return NULL;
	}
	if ((ip = dirlookup(dp, name, NULL))) {
		iunlockput(dp);
		if (ilock(ip) == 0 && type == T_FILE &&
		    (ip->type == T_FILE || ip->type == T_DEVICE || ip->type == T_SYMLINK))
			return ip;
		iunlockput(ip);
		return NULL;
	}
	if (!(ip = ialloc(dp->dev, type))) {
		iunlockput(dp);
		return NULL;
	}
	if (ilock(ip) < 0) {    /* its block is logged, so cached: not expected */
		fs_fail("cannot read a new inode");
		iunlockput(ip);
		iunlockput(dp);
		return NULL;
	}
	ip->major = major;
	ip->minor = minor;
	ip->nlink = 1;
	iupdate(ip);
	if (len && writei(ip, false, (uint64)content, 0, len) != (int)len)
		goto fail;
	if (type == T_DIR &&
	    (dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0))
		goto fail;
	if (dirlink(dp, name, ip->inum) < 0)
		goto fail;
	if (type == T_DIR) {
		dp->nlink++;    /* the new ".." */
		iupdate(dp);
	}
	iunlockput(dp);
	return ip;

fail:
	/* not linked anywhere: dropping it frees it and its blocks */
	ip->nlink = 0;
	iupdate(ip);
	iunlockput(ip);
	iunlockput(dp);
	return NULL;
}

/*
 * open(path, flags): flags as <canopy/fcntl.h>.  A symbolic link at the
 * end is followed unless O_NOFOLLOW, which opens the link itself (for
 * reading: its content is the target).  Directories open read-only.
 * O_CREATE does not create through a dangling link.
 */
long
sys_open(void)
{
	char path[MAXPATH];
	long flags = arg_int(1);
	struct inode *ip;
	struct file *f;
	int fd;

	if (arg_path(0, path) < 0 || (flags & ~KNOWN_FLAGS))
		return -1;
	bool nofollow = flags & CANOPY_O_NOFOLLOW;
	bool readable = !(flags & CANOPY_O_WRONLY);
	bool writable = (flags & CANOPY_O_WRONLY) || (flags & CANOPY_O_RDWR);
	bool changes = flags & (CANOPY_O_CREATE | CANOPY_O_TRUNC);
	if ((writable || changes) && fs_readonly())
		return -1;

	begin_op();
	if (flags & CANOPY_O_CREATE) {
		if (!(ip = create(path, T_FILE, 0, 0, NULL, 0)))
			goto fail;
		if (ip->type == T_SYMLINK && !nofollow) {
			iunlockput(ip);
			if (!(ip = namei(path, true)))
				goto fail;
			if (ilock(ip) < 0)
				goto fail_locked;
		}
	} else {
		if (!(ip = namei(path, !nofollow)))
			goto fail;
		if (ilock(ip) < 0)
			goto fail_locked;
	}
	if ((ip->type == T_DIR || ip->type == T_SYMLINK) && writable)
		goto fail_locked;
	if (ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV ||
				     (!devsw[ip->major].read && !devsw[ip->major].write)))
		goto fail_locked;
	if (!(f = file_alloc()))
		goto fail_locked;
	if ((fd = fd_alloc(f)) < 0) {
		file_close(f);  /* has no inode yet: no transaction needed */
		goto fail_locked;
	}
	f->type = ip->type == T_DEVICE ? FD_DEVICE : FD_INODE;
	f->major = ip->major;
	f->ip = ip;
	f->off = 0;
	f->readable = readable;
	f->writable = writable;
	f->append = flags & CANOPY_O_APPEND;
	if ((flags & CANOPY_O_TRUNC) && ip->type == T_FILE && writable)
		itrunc(ip);
	iunlock(ip);
	if (end_op() < 0 && changes) {
		/* the creation or truncation was discarded */
		myproc()->ofile[fd] = NULL;
		file_close(f);
		return -1;
	}
	return fd;

fail_locked:
	iunlockput(ip);
fail:
	end_op();
	return -1;
}

/* mkdir(path) */
long
sys_mkdir(void)
{
	char path[MAXPATH];
	struct inode *ip;

	if (arg_path_rw(0, path) < 0)
		return -1;
	begin_op();
	if ((ip = create(path, T_DIR, 0, 0, NULL, 0)))
		iunlockput(ip);
	return end_op() == 0 && ip ? 0 : -1;
}

/* mknod(path, major, minor): a device file. */
long
sys_mknod(void)
{
	char path[MAXPATH];
	long major = arg_int(1), minor = arg_int(2);
	struct inode *ip;

	if (arg_path_rw(0, path) < 0 || major < 0 || major >= NDEV || minor < 0 || minor > 32767)
		return -1;
	begin_op();
	if ((ip = create(path, T_DEVICE, (short)major, (short)minor, NULL, 0)))
		iunlockput(ip);
	return end_op() == 0 && ip ? 0 : -1;
}

/* symlink(target, path): path becomes a link to target, which need not exist. */
long
sys_symlink(void)
{
	char target[MAXPATH], path[MAXPATH];
	struct inode *ip;

	if (arg_path_rw(1, path) < 0 || arg_str(0, target, sizeof(target)) <= 0)
		return -1;
	begin_op();
	/* type T_SYMLINK, so an existing path of any kind makes create() fail */
	if ((ip = create(path, T_SYMLINK, 0, 0, target, (uint32)strlen(target))))
		iunlockput(ip);
	return end_op() == 0 && ip ? 0 : -1;
}

/* chdir(path): follows symbolic links. */
long
sys_chdir(void)
{
	char path[MAXPATH];
	struct proc *p = myproc();
	struct inode *ip;

	if (arg_path(0, path) < 0)
		return -1;
	begin_op();
	if (!(ip = namei(path, true))) {
		end_op();
		return -1;
	}
	if (ilock(ip) < 0 || ip->type != T_DIR) {
		iunlockput(ip);
		end_op();
		return -1;
	}
	iunlock(ip);
	if (p->cwd)
		iput(p->cwd);
	p->cwd = ip;
	end_op();
	return 0;
}

/*
 * link(old, new): another name for old, which may not be a directory (a
 * symbolic link itself is linked, not its target).  -1 if new exists or
 * is on another device.
 */
long
sys_link(void)
{
	char old[MAXPATH], new[MAXPATH], name[DIRSIZ + 1];
	struct inode *ip, *dp;

	if (arg_path_rw(0, old) < 0 || arg_path(1, new) < 0)
		return -1;
	begin_op();
	if (!(ip = namei(old, false))) {
		end_op();
		return -1;
	}
	if (ilock(ip) < 0 || ip->type == T_DIR || ip->nlink >= INT16_MAX) {
		iunlockput(ip);
		end_op();
		return -1;
	}
	ip->nlink++;
	iupdate(ip);
	iunlock(ip);

	if (!(dp = nameiparent(new, name)))
		goto undo;
	if (ilock(dp) < 0 || dp->dev != ip->dev || dirlink(dp, name, ip->inum) < 0) {
		iunlockput(dp);
		goto undo;
	}
	iunlockput(dp);
	iput(ip);
	return end_op();

undo:
	if (ilock(ip) < 0) {
		fs_fail("cannot read an inode to undo a link");
		iunlockput(ip);
		end_op();
		return -1;
	}
	ip->nlink--;
	iupdate(ip);
	iunlockput(ip);
	end_op();
	return -1;
}

/*
 * unlink(path): remove a name.  A directory must be empty; "." and ".."
 * cannot be removed.  The inode is freed with its last link and last
 * reference (an open file lives on until closed).  A removed directory
 * loses its "." and ".." at once (fs/dir.c: it is dead).
 */
long
sys_unlink(void)
{
	char path[MAXPATH], name[DIRSIZ + 1];
	struct inode *dp, *ip;
	struct dirent de;
	uint32 off;

	if (arg_path_rw(0, path) < 0)
		return -1;
	begin_op();
	if (!(dp = nameiparent(path, name))) {
		end_op();
		return -1;
	}
	if (ilock(dp) < 0 || namecmp(name, ".") == 0 || namecmp(name, "..") == 0)
		goto fail_dp;
	if (!(ip = dirlookup(dp, name, &off)))
		goto fail_dp;
	if (ip == dp) {         /* only a corrupt directory names itself */
		kprintf("fs: directory %u lists itself as '%s': not removed\n", dp->inum, name);
		iput(ip);
		goto fail_dp;
	}
	if (ilock(ip) < 0 || ip->nlink < 1 || (ip->type == T_DIR && !dir_is_empty(ip))) {
		iunlockput(ip);
		goto fail_dp;
	}
	memset(&de, 0, sizeof(de));
	if (writei(dp, false, (uint64)&de, off, sizeof(de)) != sizeof(de)) {
		iunlockput(ip);
		goto fail_dp;
	}
	if (ip->type == T_DIR) {
		dp->nlink--;    /* its ".." is gone */
		iupdate(dp);
	}
	iunlockput(dp);
	ip->nlink--;
	if (ip->type == T_DIR && ip->nlink == 0)
		itrunc(ip);     /* empty but for "." and "..": now not even those */
	iupdate(ip);
	struct inode *cached;
	if (ip->nlink == 0 && (cached = vmobj_file_unlinked(ip)))
		iput(cached);   /* a cached copy must not keep it alive; ours is not the last */
	iunlockput(ip);
	return end_op();

fail_dp:
	iunlockput(dp);
	end_op();
	return -1;
}
