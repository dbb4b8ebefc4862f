/*
 * xv6 compatibility: kernel/defs.h.  On xv6 it declares the kernel's
 * functions, which user programs cannot call; it is here so that a
 * program which includes it still compiles.  It declares nothing: a
 * kernel printf declaration would clash with user/user.h's.
 */
#ifndef XV6_DEFS_H
#define XV6_DEFS_H

#endif
