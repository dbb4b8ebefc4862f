/*
 * /proc (fs/procfs.c): files whose text the kernel writes as they are
 * read.  Its inodes live in the inode table with device PROCFS_DEV; the
 * rest of the file system reaches them through the hooks named here.
 */
#ifndef FS_PROCFS_H
#define FS_PROCFS_H

#include "fs/fs.h"

#define PROCFS_DEV 2    /* the device number of /proc's inodes (the disk is ROOTDEV) */

/* One entry of a /proc directory, for getdents64. */
struct procfs_dirent {
	uint32 pos;             /* its position in the directory */
	uint32 ino;
	short type;             /* T_DIR, T_FILE or T_SYMLINK */
	char name[DIRSIZ + 1];
};

/* Is ip one of /proc's inodes? */
static inline bool
procfs_inode(const struct inode *ip)
{
	return ip->dev == PROCFS_DEV;
}

bool procfs_covers(const struct inode *dp, const char *name);
struct inode *procfs_lookup(struct inode *dp, const char *name, uint32 *offp);
void procfs_fill(struct inode *ip);
int procfs_read(struct inode *ip, bool user, uint64 dst, uint32 off, uint32 n);
bool procfs_readdir(struct inode *dp, uint32 *pos, struct procfs_dirent *de);
int procfs_write_error(const struct inode *ip);
int procfs_name_of(const struct inode *dp, const struct inode *ip, char name[DIRSIZ + 1]);

#endif
