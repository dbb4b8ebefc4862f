/*
 * Open files: the objects file descriptors point at.  A file is a pipe
 * end, a device (the console), or an inode of the file system (a file, a
 * directory, or a symbolic link opened with O_NOFOLLOW).  A device opened
 * through its device file also keeps that inode, for fstat.
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#include "lib/types.h"
#include <canopy/param.h>

struct pipe;
struct inode;

struct file {
	enum { FD_NONE, FD_PIPE, FD_DEVICE, FD_INODE } type;
	int ref;
	bool readable;
	bool writable;
	bool append;            /* FD_INODE: every write goes to the end */
	bool write_count;       /* FD_INODE: holds a write count of ip (inode_get_write) */
	bool nonblock;          /* FD_PIPE: fail with -EAGAIN where a read or write would wait (O_NONBLOCK) */
	struct pipe *pipe;      /* FD_PIPE */
	short major;            /* FD_DEVICE */
	struct inode *ip;       /* FD_INODE, and FD_DEVICE opened by name */
	uint32 off;             /* FD_INODE: under ip's lock */
};

/* Device drivers behind FD_DEVICE files, by major number (NDEV of them). */
struct devsw {
	int (*read)(bool user, uint64 dst, int n);
	int (*write)(bool user, uint64 src, int n);
};
extern struct devsw devsw[NDEV];

void file_init(void);
struct file *file_alloc(void);
struct file *file_dup(struct file *f);
void file_close(struct file *f);
int file_stat(struct file *f, uint64 user_addr);
struct canopy_stat;
int file_stati(struct file *f, struct canopy_stat *st);
int file_pread(struct file *f, uint64 user_addr, int n, uint32 off);
int file_pwrite(struct file *f, uint64 user_addr, int n, uint32 off);
int file_read(struct file *f, uint64 user_addr, int n);
int file_write(struct file *f, uint64 user_addr, int n);
struct file *file_open_device(int major, bool readable, bool writable);
long file_seek(struct file *f, long off, int whence);
int fd_alloc(struct file *f);
int fd_alloc_from(struct file *f, int from);
struct proc;
void fd_close_on_exec(struct proc *p);

#endif
