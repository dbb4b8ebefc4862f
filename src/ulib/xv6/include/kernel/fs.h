/*
 * xv6 compatibility: kernel/fs.h is Canopy's on-disk format, the one
 * definition the kernel, tools/mkfs and tools/fsck use: BSIZE, DIRSIZ,
 * ROOTINO, struct dirent, struct dinode, struct superblock.  Unlike stock
 * xv6, NDIRECT is 11: the twelfth address is a doubly-indirect block.
 */
#ifndef XV6_FS_H
#define XV6_FS_H

#include <canopy/fs.h>

#endif
