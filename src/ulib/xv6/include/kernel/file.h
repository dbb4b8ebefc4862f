/*
 * xv6 compatibility: kernel/file.h.  Lab test programs include it
 * without using the kernel's open-file and in-memory inode structures,
 * which in Canopy are the kernel's own (src/fs/file.h) and not visible
 * to user programs.  What a user program can use is here: the device
 * numbers (the console is major 1, as on xv6).
 */
#ifndef XV6_FILE_H
#define XV6_FILE_H

#include "kernel/types.h"

struct file;
struct inode;

#define CONSOLE 1

#define major(dev)  ((dev) >> 16 & 0xFFFF)
#define minor(dev)  ((dev) & 0xFFFF)
#define mkdev(m, n) ((uint)((m) << 16 | (n)))

#endif
