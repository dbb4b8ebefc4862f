/* Replacing a process's program (exec). */
#ifndef SCHED_EXEC_H
#define SCHED_EXEC_H

#include "lib/types.h"
#include <canopy/layout.h>

/* Where a program's bytes come from: a reader at byte offsets. */
struct exec_source {
	int (*read)(void *ctx, uint64 off, void *dst, uint64 n);   /* 0 or -1 */
	void (*done)(void *ctx);        /* called once loading ends; may be NULL */
	void *ctx;
	uint64 size;
	struct inode *ip;       /* a file (locked), or NULL */
	struct vmobj *obj;      /* the file's page cache (a reference): segments map it */
};

/*
 * What exec passes the new program, in kernel memory (sched/execargs.c):
 * its argument strings, then its environment strings, each NUL-ended,
 * packed in pages.  Start it zeroed, with limit set; free it with
 * exec_args_free.
 */
struct exec_args {
	char **pages;           /* an index page: the pages holding the strings; NULL while empty */
	uint64 len;             /* bytes of strings */
	uint64 arg_len;         /* of which the arguments' (the environment's start there) */
	uint64 limit;           /* the most len may grow to */
	int argc, envc;
	bool env;               /* an environment was given (exec() gives none: a Linux program gets a default) */
};

/*
 * exec's limits, Linux's rules: one string takes at most ARG_STRLEN_MAX
 * bytes (Linux's MAX_ARG_STRLEN), and all strings with a pointer (8
 * bytes) each at most a quarter of the new program's stack: ARG_MAX_LINUX
 * for a Linux program (RLIMIT_STACK / 4, what glibc's sysconf(_SC_ARG_MAX)
 * says), ARG_MAX_CANOPY for Canopy's and xv6's, whose stack is
 * USER_STACK_PAGES.  E2BIG beyond.
 */
#define ARG_STRLEN_MAX  (32 * PGSIZE)
#define ARG_MAX_LINUX   ((USER_STACK_TOP - LINUX_STACK_BOTTOM) / 4)
#define ARG_MAX_CANOPY  (USER_STACK_PAGES * PGSIZE / 4)

void exec_args_free(struct exec_args *a);
long exec_args_add_user(struct exec_args *a, uint64 ustr, bool env);
long exec_args_add(struct exec_args *a, const char *s, bool env);
int exec_args_copyout(pagetable_t root, const struct exec_args *a, uint64 off, uint64 n, uint64 va);
void exec_args_read(const struct exec_args *a, uint64 off, void *dst, uint64 n);
int exec_args_vector(pagetable_t root, const struct exec_args *a, uint64 *off, int count,
		     uint64 base, uint64 va);

struct elf_header;
int exec_kernel(const char *path, bool builtin_only, char *const argv[]);
/* exec_user's ways: execve's (an environment array: NULL is an empty one) and Linux's */
#define EXEC_ENV        1       /* uenvp is the environment (else: none, exec()) */
#define EXEC_LINUX      2       /* NULL argv/envp are empty; no arguments gets "" as argv[0] */
long exec_user(uint64 upath, uint64 uargv, uint64 uenvp, int how);
int exec_fill_user(pagetable_t root, uint64 va, const void *buf, struct exec_source *src,
		   uint64 off, uint64 n);
long sys_exec(void);
long sys_execve(void);

#endif
