/* xv6 compatibility: system-call numbers (Canopy keeps xv6's 1..21). */
#ifndef XV6_SYSCALL_H
#define XV6_SYSCALL_H

#include <canopy/syscall.h>

#endif
