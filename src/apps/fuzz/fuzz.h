/*
 * fuzz: a seeded system-call fuzzer.  What its parts share.
 *
 * The parent (main.c) starts several workers (worker.c); a worker runs
 * its share of the calls in batches, each batch in a fresh child
 * (child.c) that makes K random system calls (gen.c draws them) and
 * reports each one, before making it, on a progress pipe.  The parent
 * checks at the end that every process is gone, the free-page count is
 * back and every worker is content.  Calls depend only on the seed, the
 * worker's number and the batch's number, so one batch can be replayed
 * alone with every call printed.  In Linux mode the child execs a Linux
 * image instead (linux.c; src/apps/fuzz/linux), which shares the
 * generator and the records (draw.h).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include "canopy.h"
#include "draw.h"

#define FUZZ_MAX_WORKERS 8
#define HEAP_CAP        (2UL << 20)     /* a child's heap may grow this far */
#define SCRATCH_SIZE    (16 * 1024)     /* touched heap buffer */
#define LAZY_SIZE       (64 * 1024)     /* heap never touched by the fuzzer itself */
#define MAX_KIDS        32      /* forks of one batch whose pids are remembered */
#define SET_ASIDE_KEEP  16384    /* selftest(SET_ASIDE) leaves at least these pages free */
#define MMAP_CAP        (1UL << 20)     /* a mapping a child makes is at most this long */
#define MAX_MAPS        16      /* mappings of one batch whose ranges are remembered */

struct options {
	uint64_t seed;
	long calls;             /* at least this many calls in all */
	int workers;
	int k;                  /* calls per batch */
	int deadline;           /* ticks a batch may run before it is killed */
	int only_worker;        /* replay: this worker's ... */
	long only_batch;        /* ... batch, alone (-1: a normal run) */
	int reset;              /* batches between resets of a worker's folder */
	bool verbose;           /* each call printed before it is made */
	bool trace;             /* each batch's pid printed as it starts */
	int watch;              /* ticks between prints of the free pages (0: none) */
	uint32_t skip;          /* SKIP_* bits: checks and plans left out (known bugs) */
	bool linux;             /* each batch runs LINUX_BATCH: Linux's system calls */
};

/* The Linux image a batch execs in Linux mode (src/apps/fuzz/linux). */
#define LINUX_BATCH     "/linux/fuzz-linux"

enum {
	FILL_NONE,
	FILL_EDGE_STR,          /* an unterminated string ending at the break's page end */
	FILL_EDGE_ARGV,         /* argv pointers running into that unmapped page */
	FILL_ARGV,              /* a well-formed argv array in the scratch buffer */
	FILL_ARGV_MANY,         /* more than MAXARG arguments */
	FILL_ARGV_LONG,         /* an argument longer than MAXARGLEN */
	FILL_ARGV_HOSTILE,      /* a kernel pointer among the arguments */
	FILL_RESULT1,           /* the result of the call before this one ... */
	FILL_RESULT2,           /* ... of the one before that ... */
	FILL_RESULT3,           /* ... and so on */
	FILL_PIPE_READ,         /* the read end a pipe() of the plan stored at PIPE_FDS */
	FILL_PIPE_WRITE,        /* its write end */
};

#define PIPE_FDS        12000   /* offset in the scratch buffer of a plan's pipe() */

/* What skip=name,... leaves out: a check (by its WHY_* bit) or a plan. */
#define SKIP_PLAN_RMDIR (1u << 31)      /* the plan that removes the current folder */
#define SKIP_EXEC       (1u << 30)      /* exec of a program that exists (true) */

struct skip_name {
	const char *name;
	uint32_t bit;
};
extern const struct skip_name skip_names[];

/* The layout a child works with (child.c sets it up; gen.c draws from it). */
struct arena {
	uint64_t heap_start;    /* the kernel's heap_start: page-aligned end of the program */
	uint64_t brk;           /* the break, as sbrk results tell it */
	uint64_t scratch;       /* SCRATCH_SIZE bytes, touched */
	uint64_t lazy;          /* LAZY_SIZE bytes, untouched */
	uint64_t edge;          /* a page ending at the original break */
	uint64_t arg_area;      /* [arg_area, USER_STACK_TOP): above main's frame, unused */
	int pid;
	int worker_pid;
	int kids[MAX_KIDS];     /* pids this child forked */
	int nkids;
	uint64_t maps[MAX_MAPS][2];     /* [start, end) of mappings made (some may be gone) */
	int nmaps;              /* more than MAX_MAPS: everything may be mapped */
};

extern struct options opt;
extern uint64_t text_hash;      /* of the program's text and rodata, at start */
extern uint64_t arg_area;       /* the top of the stack above main's frame */
extern const char *const exec_paths[];
extern const int n_exec_paths;


/* gen.c */
void gen_one(uint64_t *rng, const struct arena *ar, struct call *c);
uint64_t gen_path_at(int i);
const char *call_name(uint64_t nr);
int format_call(char *buf, int size, int index, const char *name, const struct call *c);
void gen_set_dir(const char *dir);
bool addr_writable(const struct arena *ar, uint64_t a);
bool addr_readable(const struct arena *ar, uint64_t a);
bool addr_is_exec_path(uint64_t a);
bool addr_in_maps(const struct arena *ar, uint64_t a, uint64_t len);

/* plan.c */
void gen_call(uint64_t *rng, const struct arena *ar, struct call *c);

/* child.c */
void child_main(int worker, long batch, int progress_fd) __attribute__((noreturn));
void fuzz_alarm_handler(void);  /* sigalarm's handler: sigreturn at once */
void child_keep_fds(int progress_fd, bool verbose);

/* check.c */
uint64_t hash_text(void);
const char *why_text(uint32_t why);
bool sbrk_must_fail(const struct arena *a, uint64_t brk, long n);
uint32_t check_call(const struct arena *a, const struct call *c, long r, uint64_t old_brk,
		    uint64_t ticks_before);
void check_start(void);
uint32_t check_vdso(int pid);

/* worker.c */
#define DEADLINE_NAMES 12
struct worker_summary {
	long calls;             /* calls made (reported on the progress pipes) */
	long batches;
	long deadline_kills;    /* children killed for overrunning the deadline */
	struct {
		char name[16];
		long n;
	} deadline_in[DEADLINE_NAMES];  /* ... by their last call's name (the last: any other) */
	long faulted;           /* children that ended with status -1 (killed) */
	long failures;          /* problems found */
};
int worker_main(int worker, long quota, struct worker_summary *sum);
void count_deadline(struct worker_summary *sum, const char *name, long n);
int worker_setup_dir(char *dir, int size);

/* linux.c */
void linux_batch(int worker, long batch, int progress_fd) __attribute__((noreturn));
void linux_tty_repair(void);

/* clean.c */
bool rm_tree(const char *name);
int dir_names(const char *dir, char names[][DIRSIZ + 1], int max);

#endif
