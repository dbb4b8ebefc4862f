/* xv6 compatibility: open() flags, xv6's values, from <canopy/fcntl.h>. */
#ifndef XV6_FCNTL_H
#define XV6_FCNTL_H

#include <canopy/fcntl.h>

#define O_RDONLY   CANOPY_O_RDONLY
#define O_WRONLY   CANOPY_O_WRONLY
#define O_RDWR     CANOPY_O_RDWR
#define O_CREATE   CANOPY_O_CREATE
#define O_TRUNC    CANOPY_O_TRUNC
#define O_NOFOLLOW CANOPY_O_NOFOLLOW

#endif
