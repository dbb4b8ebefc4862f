/*
 * The file system inside the kernel: the mounted disk, inodes, directories
 * and path names.  The on-disk format is in <canopy/fs.h>; the buffer
 * cache in fs/buf.h; the log in fs/log.h.
 *
 * Rules every caller keeps:
 *  - anything that may write the disk (an inode change, iput, block
 *    allocation) runs between begin_op() and end_op();
 *  - end_op() is called with no inode or buffer locked;
 *  - inodes are locked parent before child along a path, and never two
 *    unrelated inodes at once.
 */
#ifndef FS_FS_H
#define FS_FS_H

#include "lib/types.h"
#include "sync/sleeplock.h"
#include <canopy/fs.h>
#include <canopy/param.h>

struct canopy_stat;

/* An inode in memory: a cached dinode, shared by everyone using the file. */
struct inode {
	uint32 dev;
	uint32 inum;
	int ref;                /* references, under the inode table's lock */
	struct inode *hnext;    /* its inum's chain in the inode table, under that lock */
	struct sleeplock lock;  /* guards everything below */
	bool valid;             /* the fields below were read from disk */
	bool bad;               /* failed the checks when read: not to be used */
	short type;             /* copy of the dinode */
	short major;
	short minor;
	short nlink;
	uint32 size;
	uint32 addrs[NDIRECT + 2];
	struct vmobj *obj;      /* its pages mapped or cached (vm/vmobj.c), under that file's lock */
	int writecount;         /* > 0: files open for writing; < 0: processes running it (atomic) */
};


/* super.c: mounting */
void fs_init(void);
void file_pager_init(void);     /* fs/pager.c: the page cache's way to files */
void fs_sync(void);
bool fs_mounted(void);
const struct superblock *fs_super(void);
bool fs_data_block_ok(uint32 b);
struct inode *fs_root(void);

/* balloc.c: the free bitmap */
uint32 balloc(uint32 dev);
void bfree(uint32 dev, uint32 b);

/* inode.c */
void inode_init(void);
struct inode *ialloc(uint32 dev, short type);
struct inode *iget(uint32 dev, uint32 inum);
struct inode *idup(struct inode *ip);
int inode_get_write(struct inode *ip);
void inode_put_write(struct inode *ip);
void inode_dup_write(struct inode *ip);
int inode_deny_write(struct inode *ip);
void inode_allow_write(struct inode *ip);
int ilock(struct inode *ip);
void iunlock(struct inode *ip);
void iput(struct inode *ip);
void iput_op(struct inode *ip);
void iunlockput(struct inode *ip);
void iupdate(struct inode *ip);
void itrunc(struct inode *ip);
void itrunc_to(struct inode *ip, uint32 len);
int readi(struct inode *ip, bool user, uint64 dst, uint32 off, uint32 n);
int writei(struct inode *ip, bool user, uint64 src, uint32 off, uint32 n);
void stati(struct inode *ip, struct canopy_stat *st);

/* dir.c */
int namecmp(const char *a, const char *b);
struct inode *dirlookup(struct inode *dp, const char *name, uint32 *offp);
int dirlink(struct inode *dp, const char *name, uint32 inum);
bool dir_is_empty(struct inode *dp);
long fs_cwd_path(char *buf, uint64 size);

/* namecache.c: entries lookups found, until a directory changes */
void namecache_init(void);
uint64 namecache_generation(void);
bool namecache_find(struct inode *dp, const char *name, uint32 *inum, uint32 *off);
void namecache_add(struct inode *dp, const char *name, uint32 inum, uint32 off, uint64 gen);
void namecache_forget(void);

/* namei.c */
struct inode *namei(const char *path, bool follow);
struct inode *nameiparent(const char *path, char name[DIRSIZ + 1]);
struct inode *namei_at(struct inode *base, const char *path, bool follow, int *err);
struct inode *nameiparent_at(struct inode *base, const char *path, char name[DIRSIZ + 1], int *err);

#endif
