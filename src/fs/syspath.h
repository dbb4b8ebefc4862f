/* Operations on path names (fs/syspath.c): Canopy's system calls and the path_* work behind them. */
#ifndef FS_SYSPATH_H
#define FS_SYSPATH_H

#include "lib/types.h"
#include <canopy/fcntl.h>

struct inode;

/* path_open flags beyond <canopy/fcntl.h>'s, for the Linux ABI */
#define PATH_O_EXCL       0x10000   /* with O_CREATE: fail if path exists */
#define PATH_O_DIRECTORY  0x20000   /* fail unless path is a directory */
#define PATH_OPEN_FLAGS   (CANOPY_O_WRONLY | CANOPY_O_RDWR | CANOPY_O_CREATE | CANOPY_O_TRUNC | \
			   CANOPY_O_NOFOLLOW | CANOPY_O_APPEND | PATH_O_EXCL | PATH_O_DIRECTORY)

/* path_unlink kinds */
#define UNLINK_ANY      0
#define UNLINK_FILE     1
#define UNLINK_DIR      2

long path_open(struct inode *base, const char *path, int flags);
long path_mkdir(struct inode *base, const char *path);
long path_symlink(const char *target, struct inode *base, const char *path);
long path_chdir(struct inode *base, const char *path);
long inode_chdir(struct inode *ip);
long path_link(struct inode *obase, const char *old, struct inode *nbase, const char *new);
long path_unlink(struct inode *base, const char *path, int kind);
long path_rename(struct inode *obase, const char *old, struct inode *nbase, const char *new,
		 bool noreplace);

long sys_open(void);
long sys_mkdir(void);
long sys_mknod(void);
long sys_symlink(void);
long sys_chdir(void);
long sys_link(void);
long sys_unlink(void);

#endif
