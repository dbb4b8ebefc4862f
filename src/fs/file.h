/*
 * Open files: the objects file descriptors point at.  A file is a pipe end
 * or a device (the console).
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#include "lib/types.h"
#include <canopy/param.h>

struct pipe;
struct stat;

struct file {
	enum { FD_NONE, FD_PIPE, FD_DEVICE } type;
	int ref;
	bool readable;
	bool writable;
	struct pipe *pipe;      /* FD_PIPE */
	short major;            /* FD_DEVICE */
};

/* Device drivers behind FD_DEVICE files, by major number. */
#define NDEV 10
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
int file_read(struct file *f, uint64 user_addr, int n);
int file_write(struct file *f, uint64 user_addr, int n);
struct file *file_open_device(int major, bool readable, bool writable);
int fd_alloc(struct file *f);

#endif
