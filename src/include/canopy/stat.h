/*
 * File status, as the fstat system call reports it: xv6's struct stat,
 * under its own name so it can sit beside the C library's.  Shared with
 * user space.
 */
#ifndef CANOPY_STAT_H
#define CANOPY_STAT_H

#include <stdint.h>

#define T_DIR     1
#define T_FILE    2
#define T_DEVICE  3
#define T_SYMLINK 4
#define T_PIPE    5     /* Canopy: fstat of a pipe */

struct canopy_stat {
	int dev;                /* file system's disk device */
	unsigned int ino;       /* inode number */
	short type;             /* T_* */
	short nlink;            /* links to the file */
	uint64_t size;          /* bytes */
};

#endif
