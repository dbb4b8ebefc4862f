/*
 * Linux's user-space ABI as its uapi headers define it (Debian's
 * linux-libc-dev-riscv64-cross, found through -idirafter: SConstruct):
 * system-call numbers, errno values, flags and the layouts of the
 * structures Linux calls read and write.  Only src/linux includes this.
 */
#ifndef LINUX_UAPI_H
#define LINUX_UAPI_H

#include <asm/unistd.h>
#include <asm-generic/errno.h>
#include <asm/stat.h>
#include <asm/hwcap.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <linux/auxvec.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <linux/time_types.h>
#include <linux/utsname.h>
#include <linux/resource.h>
#include <linux/sysinfo.h>
#include <linux/mman.h>
#include <linux/wait.h>
#include <linux/uio.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/times.h>
#include <linux/fs.h>

/* Values the C library defines, not the uapi headers (glibc's <unistd.h>, <dirent.h>) */
#define R_OK            4
#define W_OK            2
#define X_OK            1
#define DT_UNKNOWN      0
#define DT_DIR          4
#define DT_REG          8
#define DT_LNK          10

#define LINUX_CLK_TCK   100     /* times() and AT_CLKTCK: Linux's USER_HZ */

/* Not in the uapi headers: getdents64's record (Linux's include/linux/dirent.h) */
struct linux_dirent64 {
	uint64 d_ino;
	int64_t d_off;
	uint16 d_reclen;
	uint8 d_type;
	char d_name[];
};

#endif
