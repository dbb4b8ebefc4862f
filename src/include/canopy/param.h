/*
 * System limits, shared by the kernel and user programs: the one place
 * each is set (the xv6 layer's kernel/param.h takes its values from here).
 */
#ifndef CANOPY_PARAM_H
#define CANOPY_PARAM_H

#define NPROC        64     /* process slots */
#define NOFILE       64     /* descriptors per process: RLIMIT_NOFILE's hard limit */
#define NFILE       100     /* open files in the system */
#define MAXARG       32     /* words in one command of Canopy's sh; xv6's MAXARG */
#define MAXARGLEN   256     /* bytes of an argument Canopy's programs plan for, NUL included */
/* exec itself takes more arguments and longer ones: sched/exec.h (ARG_MAX_*) */
#define MAXPATH     128     /* bytes in a path, NUL included */
#define PROC_NAME_LEN 16
#define MAXSYMLINKS  10     /* symbolic links followed in one path lookup */
#define NCPU         32     /* harts used; a machine with more runs on these */
#define NINODE      200     /* inodes in memory */
#define NBUF        512     /* buffers in the block cache */
#define NDEV         10     /* device major numbers */
#define MAXOPBLOCKS  68     /* most distinct blocks one file-system operation may write */

#endif
