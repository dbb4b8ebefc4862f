/* File-descriptor system calls. */
#ifndef FS_SYSFILE_H
#define FS_SYSFILE_H

long sys_read(void);
long sys_write(void);
long sys_close(void);
long sys_dup(void);
long sys_pipe(void);
long sys_fstat(void);
long sys_lseek(void);

#endif
