/*
 * xv6 compatibility: kernel/param.h.  Canopy's own values where it has
 * them, so a program that sizes a test by them (iref makes NINODE + 1
 * directories, bigwrite writes up to MAXOPBLOCKS blocks) tests Canopy's
 * real limits.
 */
#ifndef XV6_PARAM_H
#define XV6_PARAM_H

#include <canopy/param.h>   /* NPROC 64, NOFILE 16, NFILE 100, MAXARG 32, MAXPATH 128 */
#include <canopy/fs.h>      /* ROOTDEV */
#include <canopy/layout.h>  /* USER_STACK_PAGES */

#define NCPU         32     /* harts Canopy uses at most (stock: 8) */
#define NINODE      200     /* inodes in memory (stock: 50) */
#define NDEV        10      /* device major numbers */
#define MAXOPBLOCKS 68      /* blocks one file-system operation may write (stock: 10) */
#define LOGSIZE     254     /* blocks in the log (FS_LOG_MAX) */
#define NBUF        512     /* buffers in the block cache */
#define USERSTACK   USER_STACK_PAGES    /* 8 pages of user stack (stock: 1) */

/* blocks of the default disk, build/fs.img (stock: 2000) */
#ifdef CANOPY_FS_BLOCKS
#define FSSIZE      CANOPY_FS_BLOCKS
#else
#define FSSIZE      81920
#endif

#endif
