/*
 * Operations on path names: open, mkdir, mknod, symlink, chdir, link,
 * unlink, rename.  The path_* functions do the work for Canopy's system
 * calls (below each) and the Linux ABI's *at calls (src/linux), which
 * pass a starting directory for relative paths (NULL: the current one).
 * Semantics are xv6's where xv6 has the call, Linux's otherwise.  Each is
 * one transaction, so it happens wholly or not at all across a crash.
 * Every failure a user can cause returns a negative errno (Canopy's calls
 * make it -1) and leaves the file system as it was; without a mounted file
 * system they all fail.  So does a call whose transaction was discarded
 * (end_op() < 0: -EIO), and every call that would change a file system a
 * failure made read-only (fs/log.c: -EROFS).  /proc (fs/procfs.c) never
 * changes, and fails what would change it as Linux's does for root (every
 * process here is root): a new name there -ENOENT, removing or renaming
 * over one -EPERM, a link or rename across it and the disk -EXDEV, /proc
 * itself -EBUSY; its files open for writing, and writes fail (linux/fs.c).
 */
#include "vm/vmobj.h"
#include "fs/syspath.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "fs/procfs.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include "lib/errno.h"
#include <canopy/fcntl.h>

#define KNOWN_FLAGS (CANOPY_O_WRONLY | CANOPY_O_RDWR | CANOPY_O_CREATE | CANOPY_O_TRUNC | \
		     CANOPY_O_NOFOLLOW | CANOPY_O_APPEND)

/* Fetch path argument n; -1 if it is bad or too long. */
static int
arg_path(int n, char path[MAXPATH])
{
	return arg_str(n, path, MAXPATH) < 0 ? -1 : 0;
}

/* -EROFS if the file system cannot be changed, -ENOENT if there is none. */
static int
writable_fs(void)
{
	if (!fs_mounted())
		return -ENOENT;
	return fs_readonly() ? -EROFS : 0;
}

/* Canopy's convention: every failure is -1. */
static long
canopy_result(long r)
{
	return r < 0 ? -1 : r;
}

/*
 * Make a new inode of type at path, linked into its directory, with
 * content (len bytes, for a symbolic link) already written.  Returns it
 * locked, or NULL.  If path exists, create fails, except that for type
 * T_FILE an existing file, device or symbolic link is returned (locked).
 * In a transaction.
 */
static struct inode *
create(struct inode *base, const char *path, short type, short major, short minor,
       const char *content, uint32 len, bool excl, int *err)
{
	char name[DIRSIZ + 1];
	struct inode *dp, *ip;

	if (!(dp = nameiparent_at(base, path, name, err)))
		return NULL;
	*err = -ENOENT;
	if (ilock(dp) < 0 || dp->nlink < 1) {   /* bad, or removed (fs/dir.c) */
		iunlockput(dp);
		return NULL;
	}
	if ((ip = dirlookup(dp, name, NULL))) {
		iunlockput(dp);
		*err = -EEXIST;
		if (ilock(ip) == 0 && type == T_FILE && !excl &&
		    (ip->type == T_FILE || ip->type == T_DEVICE || ip->type == T_SYMLINK))
			return ip;
		if (type == T_FILE && !excl && ip->type == T_DIR)
			*err = -EISDIR;
		iunlockput(ip);
		return NULL;
	}
	*err = -ENOENT;
	if (procfs_inode(dp)) {         /* Linux's lookup there fails first */
		iunlockput(dp);
		return NULL;
	}
	*err = -ENOSPC;
	if (!(ip = ialloc(dp->dev, type))) {
		iunlockput(dp);
		return NULL;
	}
	if (ilock(ip) < 0) {    /* its block is logged, so cached: not expected */
		fs_fail("cannot read a new inode");
		iunlockput(ip);
		iunlockput(dp);
		*err = -EIO;
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
 * Open path with flags (<canopy/fcntl.h>, plus PATH_O_EXCL and
 * PATH_O_DIRECTORY from fs/syspath.h).  A symbolic link at the end is
 * followed unless O_NOFOLLOW, which opens the link itself (for reading:
 * its content is the target).  Directories open read-only.  O_CREATE
 * does not create through a dangling link.  The new descriptor, or -errno.
 */
long
path_open(struct inode *base, const char *path, int flags)
{
	struct inode *ip;
	struct file *f;
	int fd, err;

	if (flags & ~PATH_OPEN_FLAGS)
		return -EINVAL;
	if (!fs_mounted())
		return -ENOENT;
	bool nofollow = flags & CANOPY_O_NOFOLLOW;
	bool readable = !(flags & CANOPY_O_WRONLY);
	bool writable = (flags & CANOPY_O_WRONLY) || (flags & CANOPY_O_RDWR);
	bool changes = flags & (CANOPY_O_CREATE | CANOPY_O_TRUNC);
	if ((writable || changes) && fs_readonly())
		return -EROFS;

	begin_op();
	if (flags & CANOPY_O_CREATE) {
		if (!(ip = create(base, path, T_FILE, 0, 0, NULL, 0, flags & PATH_O_EXCL, &err)))
			goto fail;
		if (ip->type == T_SYMLINK && !nofollow) {
			iunlockput(ip);
			if (!(ip = namei_at(base, path, true, &err)))
				goto fail;
			if (ilock(ip) < 0)
				goto fail_io;
		}
	} else {
		if (!(ip = namei_at(base, path, !nofollow, &err)))
			goto fail;
		if (ilock(ip) < 0)
			goto fail_io;
	}
	err = -EISDIR;
	if ((ip->type == T_DIR || ip->type == T_SYMLINK) && writable)
		goto fail_locked;
	err = -ENOTDIR;
	if ((flags & PATH_O_DIRECTORY) && ip->type != T_DIR)
		goto fail_locked;
	err = -ENXIO;
	if (ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV ||
				     (!devsw[ip->major].read && !devsw[ip->major].write)))
		goto fail_locked;
	err = -ETXTBSY;
	bool counted = writable && ip->type == T_FILE;
	if (counted && inode_get_write(ip) < 0)
		goto fail_locked;
	err = -ENFILE;
	if (!(f = file_alloc()))
		goto fail_counted;
	if ((fd = fd_alloc(f)) < 0) {
		file_close(f);  /* has no inode yet: no transaction needed */
		err = -EMFILE;
		goto fail_counted;
	}
	f->type = ip->type == T_DEVICE ? FD_DEVICE : FD_INODE;
	f->major = ip->major;
	f->ip = ip;
	f->off = 0;
	f->readable = readable;
	f->writable = writable;
	f->write_count = counted;
	f->append = flags & CANOPY_O_APPEND;
	if ((flags & CANOPY_O_TRUNC) && ip->type == T_FILE && writable)
		itrunc(ip);
	iunlock(ip);
	if (end_op() < 0 && changes) {
		/* the creation or truncation was discarded */
		myproc()->ofile[fd] = NULL;
		file_close(f);
		return -EIO;
	}
	return fd;

fail_counted:
	if (counted)
		inode_put_write(ip);
	goto fail_locked;
fail_io:
	err = -EIO;
fail_locked:
	iunlockput(ip);
fail:
	end_op();
	return err;
}

/* open(path, flags): flags as <canopy/fcntl.h>. */
long
sys_open(void)
{
	char path[MAXPATH];
	long flags = arg_int(1);

	if (arg_path(0, path) < 0 || (flags & ~KNOWN_FLAGS))
		return -1;
	return canopy_result(path_open(NULL, path, (int)flags));
}

/* Make a directory, device file or symbolic link (make_node's types); 0 or -errno. */
static long
make_node(struct inode *base, const char *path, short type, short major, short minor,
	  const char *content)
{
	struct inode *ip;
	int err = writable_fs();

	if (err < 0)
		return err;
	begin_op();
	if ((ip = create(base, path, type, major, minor, content,
			 content ? (uint32)strlen(content) : 0, true, &err)))
		iunlockput(ip);
	if (end_op() < 0 && ip)
		return -EIO;
	return ip ? 0 : err;
}

long
path_mkdir(struct inode *base, const char *path)
{
	return make_node(base, path, T_DIR, 0, 0, NULL);
}

/* mkdir(path) */
long
sys_mkdir(void)
{
	char path[MAXPATH];

	if (arg_path(0, path) < 0)
		return -1;
	return canopy_result(path_mkdir(NULL, path));
}

/* mknod(path, major, minor): a device file. */
long
sys_mknod(void)
{
	char path[MAXPATH];
	long major = arg_int(1), minor = arg_int(2);

	if (arg_path(0, path) < 0 || major < 0 || major >= NDEV || minor < 0 || minor > 32767)
		return -1;
	return canopy_result(make_node(NULL, path, T_DEVICE, (short)major, (short)minor, NULL));
}

/* path becomes a symbolic link to target, which need not exist (but is not empty). */
long
path_symlink(const char *target, struct inode *base, const char *path)
{
	if (target[0] == 0)
		return -ENOENT;
	/* type T_SYMLINK, so an existing path of any kind makes create() fail */
	return make_node(base, path, T_SYMLINK, 0, 0, target);
}

/* symlink(target, path) */
long
sys_symlink(void)
{
	char target[MAXPATH], path[MAXPATH];

	if (arg_path(1, path) < 0 || arg_str(0, target, sizeof(target)) < 0)
		return -1;
	return canopy_result(path_symlink(target, NULL, path));
}

/* Make directory ip (referenced, unlocked; given to us) the current one. */
static long
set_cwd(struct inode *ip)
{
	struct proc *p = myproc();

	if (ilock(ip) < 0 || ip->type != T_DIR) {
		int err = ip->type != T_DIR ? -ENOTDIR : -EIO;
		iunlockput(ip);
		return err;
	}
	iunlock(ip);
	if (p->cwd)
		iput(p->cwd);
	p->cwd = ip;
	return 0;
}

/* Change the current directory to path (following symbolic links). */
long
path_chdir(struct inode *base, const char *path)
{
	struct inode *ip;
	int err;

	begin_op();
	long r = (ip = namei_at(base, path, true, &err)) ? set_cwd(ip) : err;
	end_op();
	return r;
}

/* fchdir: directory ip (open, referenced by the caller) becomes the current one. */
long
inode_chdir(struct inode *ip)
{
	begin_op();
	long r = set_cwd(idup(ip));
	end_op();
	return r;
}

/* chdir(path) */
long
sys_chdir(void)
{
	char path[MAXPATH];

	if (arg_path(0, path) < 0)
		return -1;
	return canopy_result(path_chdir(NULL, path));
}

/*
 * Another name, new, for old, which may not be a directory (a symbolic
 * link itself is linked, not its target).  -EEXIST if new exists.
 */
long
path_link(struct inode *obase, const char *old, struct inode *nbase, const char *new)
{
	char name[DIRSIZ + 1];
	struct inode *ip, *dp;
	int err = writable_fs();

	if (err < 0)
		return err;
	begin_op();
	if (!(ip = namei_at(obase, old, false, &err))) {
		end_op();
		return err;
	}
	if (procfs_inode(ip)) {
		iput(ip);
		end_op();
		return -EXDEV;
	}
	if (ilock(ip) < 0 || ip->type == T_DIR || ip->nlink >= INT16_MAX) {
		err = ip->type == T_DIR ? -EPERM : -EMLINK;
		iunlockput(ip);
		end_op();
		return err;
	}
	ip->nlink++;
	iupdate(ip);
	iunlock(ip);

	if (!(dp = nameiparent_at(nbase, new, name, &err)))
		goto undo;
	err = -EIO;
	if (ilock(dp) == 0) {
		struct inode *there = dirlookup(dp, name, NULL);
		if (there)
			iput(there);
		err = there ? -EEXIST : dp->dev != ip->dev ? -EXDEV :
		      dirlink(dp, name, ip->inum) < 0 ? -ENOSPC : 0;
	}
	iunlockput(dp);
	if (err < 0)
		goto undo;
	iput(ip);
	return end_op() < 0 ? -EIO : 0;

undo:
	if (ilock(ip) < 0) {
		fs_fail("cannot read an inode to undo a link");
		iunlockput(ip);
		end_op();
		return -EIO;
	}
	ip->nlink--;
	iupdate(ip);
	iunlockput(ip);
	end_op();
	return err;
}

/* link(old, new) */
long
sys_link(void)
{
	char old[MAXPATH], new[MAXPATH];

	if (arg_path(0, old) < 0 || arg_path(1, new) < 0)
		return -1;
	return canopy_result(path_link(NULL, old, NULL, new));
}

/* Drop the inode ip of a name just erased from directory dp (both locked). */
static void
drop_link(struct inode *dp, struct inode *ip)
{
	if (ip->type == T_DIR) {
		dp->nlink--;    /* its ".." is gone */
		iupdate(dp);
	}
	ip->nlink--;
	if (ip->type == T_DIR && ip->nlink == 0)
		itrunc(ip);     /* empty but for "." and "..": now not even those */
	iupdate(ip);
	struct inode *cached;
	if (ip->nlink == 0 && (cached = vmobj_file_unlinked(ip)))
		iput(cached);   /* a cached copy must not keep it alive; ours is not the last */
}

/*
 * Remove a name.  kind: UNLINK_ANY (Canopy's unlink: a file or an empty
 * directory), UNLINK_FILE (Linux's unlink: -EISDIR for a directory) or
 * UNLINK_DIR (rmdir: -ENOTDIR for anything else).  A directory must be
 * empty; "." and ".." cannot be removed.  The inode is freed with its
 * last link and last reference (an open file lives on until closed).  A
 * removed directory loses its "." and ".." at once (fs/dir.c: it is dead).
 */
long
path_unlink(struct inode *base, const char *path, int kind)
{
	char name[DIRSIZ + 1];
	struct inode *dp, *ip;
	struct dirent de;
	uint32 off;
	int err = writable_fs();

	if (err < 0)
		return err;
	begin_op();
	if (!(dp = nameiparent_at(base, path, name, &err))) {
		end_op();
		return err;
	}
	err = -EIO;
	if (ilock(dp) < 0)
		goto fail_dp;
	err = -EINVAL;
	if (namecmp(name, ".") == 0 || namecmp(name, "..") == 0)
		goto fail_dp;
	err = -ENOENT;
	if (!(ip = dirlookup(dp, name, &off)))
		goto fail_dp;
	if (procfs_inode(ip) && !procfs_inode(dp)) {    /* /proc itself */
		err = kind == UNLINK_FILE ? -EISDIR : -EBUSY;
		iput(ip);
		goto fail_dp;
	}
	err = -EIO;
	if (ip == dp) {         /* only a corrupt directory names itself */
		kprintf("fs: directory %u lists itself as '%s': not removed\n", dp->inum, name);
		iput(ip);
		goto fail_dp;
	}
	if (ilock(ip) < 0 || ip->nlink < 1)
		goto fail_ip;
	err = ip->type != T_DIR && kind == UNLINK_DIR ? -ENOTDIR :
	      procfs_inode(dp) ? -EPERM :
	      ip->type == T_DIR && kind == UNLINK_FILE ? -EISDIR :
	      ip->type == T_DIR && !dir_is_empty(ip) ? -ENOTEMPTY : 0;
	if (err < 0)
		goto fail_ip;
	memset(&de, 0, sizeof(de));
	err = -EIO;
	if (writei(dp, false, (uint64)&de, off, sizeof(de)) != sizeof(de))
		goto fail_ip;
	drop_link(dp, ip);
	iunlockput(dp);
	iunlockput(ip);
	return end_op() < 0 ? -EIO : 0;

fail_ip:
	iunlockput(ip);
fail_dp:
	iunlockput(dp);
	end_op();
	return err;
}

/* unlink(path) */
long
sys_unlink(void)
{
	char path[MAXPATH];

	if (arg_path(0, path) < 0)
		return -1;
	return canopy_result(path_unlink(NULL, path, UNLINK_ANY));
}

/* Does directory dp (referenced, unlocked) hold name? */
static bool
names_entry(struct inode *dp, const char *name)
{
	struct inode *ip = NULL;

	if (ilock(dp) == 0)
		ip = dirlookup(dp, name, NULL);
	iunlock(dp);
	if (ip)
		iput(ip);
	return ip != NULL;
}

/* Is directory dir (referenced) the directory anc or below it?  Climbs ".." from dir. */
static bool
is_below(struct inode *dir, struct inode *anc)
{
	struct inode *cur = idup(dir);
	bool below = false;

	for (int depth = 0; depth < 256; depth++) {
		if (cur == anc) {
			below = true;
			break;
		}
		if (ilock(cur) < 0 || cur->inum == ROOTINO || cur->nlink < 1) {
			iunlock(cur);
			break;
		}
		struct inode *up = dirlookup(cur, "..", NULL);
		iunlock(cur);
		iput(cur);
		if (!(cur = up))
			return false;
	}
	iput(cur);
	return below;
}

/* Point directory ip's ".." at inode parent; 0 or -EIO.  ip unlocked. */
static int
set_dotdot(struct inode *ip, uint32 parent)
{
	struct dirent de;
	uint32 off;
	int r = -EIO;

	if (ilock(ip) == 0) {
		struct inode *old = dirlookup(ip, "..", &off);
		if (old) {
			iput(old);
			memset(&de, 0, sizeof(de));
			strncpy(de.name, "..", DIRSIZ);
			de.inum = (uint16)parent;
			if (writei(ip, false, (uint64)&de, off, sizeof(de)) == sizeof(de))
				r = 0;
		}
	}
	iunlock(ip);
	return r;
}

/*
 * Remove the entry at off of directory dp (unlocked), which names ip;
 * with its link (drop_link) if drop.  0 or -EIO.
 */
static int
erase_entry(struct inode *dp, uint32 off, struct inode *ip, bool drop)
{
	struct dirent de;
	int r = -EIO;

	memset(&de, 0, sizeof(de));
	if (ilock(dp) == 0 && writei(dp, false, (uint64)&de, off, sizeof(de)) == sizeof(de)) {
		r = 0;
		if (drop) {
			if (ilock(ip) == 0)
				drop_link(dp, ip);
			iunlock(ip);
		} else if (ip->type == T_DIR) {
			dp->nlink--;    /* the moved directory's ".." no longer names dp */
			iupdate(dp);
		}
	}
	iunlock(dp);
	return r;
}

/*
 * rename: old's inode takes the name new, replacing what new named (a
 * file by a file, an empty directory by a directory), unless noreplace
 * (-EEXIST).  A directory may not move below itself (-EINVAL).  One
 * transaction: a crash leaves the old name or the new, never neither.
 */
long
path_rename(struct inode *obase, const char *old, struct inode *nbase, const char *new,
	    bool noreplace)
{
	char oname[DIRSIZ + 1], nname[DIRSIZ + 1];
	struct inode *odp = NULL, *ndp = NULL, *ip = NULL, *target = NULL;
	uint32 ooff, noff;
	int err = writable_fs();

	if (err < 0)
		return err;
	begin_op();
	if (!(odp = nameiparent_at(obase, old, oname, &err)) ||
	    !(ndp = nameiparent_at(nbase, new, nname, &err)))
		goto out;
	if (procfs_inode(odp) || procfs_inode(ndp)) {
		err = procfs_inode(odp) != procfs_inode(ndp) ? -EXDEV :
		      names_entry(ndp, nname) ? -EPERM : -ENOENT;
		goto out;
	}
	err = -EINVAL;
	if (namecmp(oname, ".") == 0 || namecmp(oname, "..") == 0 ||
	    namecmp(nname, ".") == 0 || namecmp(nname, "..") == 0)
		goto out;
	err = -EIO;
	if (ilock(odp) < 0) {
		iunlock(odp);
		goto out;
	}
	ip = dirlookup(odp, oname, &ooff);
	iunlock(odp);
	err = -ENOENT;
	if (!ip)
		goto out;
	err = -EIO;
	if (ilock(ndp) < 0) {
		iunlock(ndp);
		goto out;
	}
	err = ndp->nlink < 1 ? -ENOENT : procfs_inode(ip) ? -EBUSY :   /* /proc itself */
	      ndp->dev != ip->dev ? -EXDEV : 0;
	target = err ? NULL : dirlookup(ndp, nname, &noff);
	iunlock(ndp);
	if (err < 0)
		goto out;
	err = -EBUSY;
	if (target && procfs_inode(target))     /* over /proc */
		goto out;
	if (target == ip) {     /* two names of one file: nothing to do */
		err = 0;
		goto out;
	}
	err = -EIO;
	if (ilock(ip) < 0) {
		iunlock(ip);
		goto out;
	}
	bool is_dir = ip->type == T_DIR;
	iunlock(ip);
	err = -EINVAL;
	if (is_dir && odp != ndp && is_below(ndp, ip))
		goto out;
	if (target) {
		err = -EIO;
		if (ilock(target) < 0) {
			iunlock(target);
			goto out;
		}
		err = noreplace ? -EEXIST :
		      is_dir && target->type != T_DIR ? -ENOTDIR :
		      !is_dir && target->type == T_DIR ? -EISDIR :
		      target->type == T_DIR && !dir_is_empty(target) ? -ENOTEMPTY : 0;
		iunlock(target);
		if (err < 0 || (err = erase_entry(ndp, noff, target, true)) < 0)
			goto out;
	}
	err = -EIO;
	if (ilock(ndp) < 0) {
		iunlock(ndp);
		goto out;
	}
	err = dirlink(ndp, nname, ip->inum) < 0 ? -ENOSPC : 0;
	if (err == 0 && is_dir) {
		ndp->nlink++;   /* ip's ".." will name it */
		iupdate(ndp);
	}
	iunlock(ndp);
	if (err < 0)
		goto out;
	if ((err = erase_entry(odp, ooff, ip, false)) < 0)
		goto out;
	if (is_dir && odp != ndp)
		err = set_dotdot(ip, ndp->inum);

out:
	if (target)
		iput(target);
	if (ip)
		iput(ip);
	if (ndp)
		iput(ndp);
	if (odp)
		iput(odp);
	if (end_op() < 0 && err == 0)
		err = -EIO;
	return err;
}
