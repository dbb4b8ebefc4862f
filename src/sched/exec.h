/* Replacing a process's program (exec). */
#ifndef SCHED_EXEC_H
#define SCHED_EXEC_H

#include "lib/types.h"

/* Where a program's bytes come from: a reader at byte offsets. */
struct exec_source {
	int (*read)(void *ctx, uint64 off, void *dst, uint64 n);   /* 0 or -1 */
	void (*done)(void *ctx);        /* called once loading ends; may be NULL */
	void *ctx;
	uint64 size;
	struct inode *ip;       /* a file (locked), or NULL */
	struct vmobj *obj;      /* the file's page cache (a reference): segments map it */
};

/* What exec passes the new program, in kernel memory. */
struct exec_args {
	char *const *argv;
	int argc;
	char *const *envp;      /* NULL: exec() gave none (a Linux program gets a default) */
	int envc;
};

#define ARG_BYTES PGSIZE        /* all argument and environment strings, NULs included */

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
