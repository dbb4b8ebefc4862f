/*
 * xv6usertests: Canopy's own tests of what stock xv6's usertests (2022 and
 * 2025) check, written against the xv6 API (user/user.h) and built with
 * stock xv6's flags through the compatibility layer.  The runner is
 * libxv6's (xv6testing.h): each test runs in a child and passes if the
 * child exits with status 0.
 */
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/sysinfo.h"
#include "user/user.h"
#include "xv6testing.h"

/* main.c */
int status_of(void (*fn)(void));
int killed(void (*fn)(void));
int killed_at(void (*fn)(uint64), uint64 arg);
void make_file(char *path, char *data, int n);
int file_size(char *path);

/* t_proc.c, t_file.c, t_mem.c, t_addr.c */
extern struct xv6t_test proc_tests[], file_tests[], mem_tests[], addr_tests[];
void exec_args_child(int argc, char *argv[]);
