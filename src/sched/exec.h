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

int exec_kernel(const char *path, bool builtin_only, char *const argv[]);
long sys_exec(void);

#endif
