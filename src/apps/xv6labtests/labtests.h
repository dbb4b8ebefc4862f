/*
 * xv6labtests: Canopy's own tests of what the 6.1810 lab test programs
 * check (trace, sysinfo, alarm, page tables, copy-on-write, lazy
 * allocation, symbolic links, big files), written against the xv6 API
 * and built with stock xv6's flags through the compatibility layer.
 * The runner is libxv6's (xv6testing.h): each test runs in a child and
 * passes if the child exits with status 0.
 */
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/syscall.h"
#include "kernel/fcntl.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/sysinfo.h"
#include "kernel/vm.h"
#include "user/user.h"
#include "xv6testing.h"

#define MIB (1024 * 1024)

/* main.c */
int has_cow(void);
int wait_status(int pid);

extern struct xv6t_test syscall_tests[], trap_tests[], pgtbl_tests[], cow_tests[], fs_tests[],
	mmap_tests[];
void big_file(void);
