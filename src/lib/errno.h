/*
 * Error numbers.  Inside the kernel a function that can fail for more
 * than one reason returns a negative errno; Canopy's own system calls turn
 * every failure into -1 (xv6's convention), the Linux ABI (src/linux)
 * passes it on.  The values are Linux's, from the uapi headers Debian
 * installs (package linux-libc-dev-riscv64-cross).
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#include <asm-generic/errno.h>

#endif
