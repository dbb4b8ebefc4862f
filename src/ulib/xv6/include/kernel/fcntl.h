/*
 * xv6 compatibility: kernel/fcntl.h.  open() flags with xv6's values (from
 * <canopy/fcntl.h>), the file-system lab's O_NOFOLLOW (Canopy's 0x800),
 * and the mmap lab's protections and flags.  MAP_FAILED is left to the
 * programs, which define it themselves.
 */
#ifndef XV6_FCNTL_H
#define XV6_FCNTL_H

#include <canopy/fcntl.h>

#define O_RDONLY   CANOPY_O_RDONLY
#define O_WRONLY   CANOPY_O_WRONLY
#define O_RDWR     CANOPY_O_RDWR
#define O_CREATE   CANOPY_O_CREATE
#define O_TRUNC    CANOPY_O_TRUNC
#define O_NOFOLLOW CANOPY_O_NOFOLLOW

#define PROT_NONE   0x0
#define PROT_READ   0x1
#define PROT_WRITE  0x2
#define PROT_EXEC   0x4

#define MAP_SHARED  0x01
#define MAP_PRIVATE 0x02

#endif
