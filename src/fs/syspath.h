/* System calls on path names. */
#ifndef FS_SYSPATH_H
#define FS_SYSPATH_H

long sys_open(void);
long sys_mkdir(void);
long sys_mknod(void);
long sys_symlink(void);
long sys_chdir(void);
long sys_link(void);
long sys_unlink(void);

#endif
