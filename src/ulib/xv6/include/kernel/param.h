/* xv6 compatibility: kernel/param.h, with Canopy's values where it has them. */
#ifndef XV6_PARAM_H
#define XV6_PARAM_H

#include <canopy/param.h>   /* NPROC, NOFILE, NFILE, MAXARG, MAXPATH */

#define NCPU         8
#define NINODE      50
#define NDEV        10
#define ROOTDEV      1
#define MAXOPBLOCKS 10
#define LOGSIZE     (MAXOPBLOCKS * 3)
#define NBUF        (MAXOPBLOCKS * 3)
#define FSSIZE      2000

#endif
