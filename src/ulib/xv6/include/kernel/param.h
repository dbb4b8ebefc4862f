/*
 * xv6 compatibility: kernel/param.h.  Canopy's own values where it has
 * them, so a program that sizes a test by them (iref makes NINODE + 1
 * directories, bigwrite writes up to MAXOPBLOCKS blocks) tests Canopy's
 * real limits.
 */
#ifndef XV6_PARAM_H
#define XV6_PARAM_H

/*
 * Stock xv6's names, Canopy's values (stock's in brackets): NPROC, NOFILE,
 * NFILE, MAXARG, MAXPATH, NCPU (8), NINODE (50), NDEV, MAXOPBLOCKS (10)
 * and NBUF come from canopy/param.h as they are.
 */
#include <canopy/param.h>
#include <canopy/fs.h>      /* ROOTDEV, FS_LOG_MAX */
#include <canopy/layout.h>  /* USER_STACK_PAGES */

#define LOGSIZE     FS_LOG_MAX          /* blocks in the log */
#define USERSTACK   USER_STACK_PAGES    /* pages of user stack (1) */

/* blocks of the default disk, build/fs.img (2000): set by the build (SConstruct FS_BLOCKS) */
#ifndef CANOPY_FS_BLOCKS
#error "the build defines CANOPY_FS_BLOCKS, the default disk's size"
#endif
#define FSSIZE      CANOPY_FS_BLOCKS

#endif
