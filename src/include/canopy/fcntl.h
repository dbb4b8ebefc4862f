/*
 * Flags of the open system call, shared by the kernel and user space.
 * The values are xv6's (O_CREATE 0x200, O_TRUNC 0x400), so xv6 programs
 * pass theirs unchanged.  They carry a CANOPY_ prefix because picolibc's
 * <fcntl.h> uses the same names with other values: the POSIX open() in the
 * user library translates, and the xv6 layer's kernel/fcntl.h renames.
 */
#ifndef CANOPY_FCNTL_H
#define CANOPY_FCNTL_H

#define CANOPY_O_RDONLY   0x000
#define CANOPY_O_WRONLY   0x001
#define CANOPY_O_RDWR     0x002
#define CANOPY_O_CREATE   0x200     /* create the file if it does not exist */
#define CANOPY_O_TRUNC    0x400     /* cut a regular file to 0 bytes */
#define CANOPY_O_NOFOLLOW 0x800     /* a symbolic link is opened itself, not followed */
#define CANOPY_O_APPEND   0x1000    /* each write goes to the end of the file */

/* lseek whence */
#define CANOPY_SEEK_SET 0
#define CANOPY_SEEK_CUR 1
#define CANOPY_SEEK_END 2

#endif
