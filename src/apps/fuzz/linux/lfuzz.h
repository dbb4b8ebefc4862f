/*
 * fuzz-linux: one batch of random Linux system calls, the Linux image
 * that fuzz's Linux mode (../linux.c) execs as each batch's child.
 *
 * It is a static glibc program, but makes every fuzzed call with its own
 * ecall (glibc's wrappers would check or rewrite arguments), and uses no
 * glibc function that needs thread-local storage once the calls start
 * (a fuzzed brk may take the heap where glibc keeps it).  The calls
 * depend only on the seed, the worker's and the batch's numbers, as in
 * the Canopy fuzzer, whose generator and records it shares (../draw.h):
 * main.c sets the batch up and makes the calls, gen.c draws them, fill.c
 * settles what could end the run for no kernel bug and lays out the
 * memory arguments point at, check.c judges the results, asm.c holds the
 * code that must be written in assembly (clone's child, forged
 * rt_sigreturn frames, signal handlers).
 *
 * Invariant: no fuzzed call is given a writable address outside the
 * scratch buffer, the lazy buffer, the low stack and the edge page, so
 * the fuzzer's own state (the arena, the generator) changes only by its
 * own hand.
 */
#ifndef LFUZZ_H
#define LFUZZ_H

#include <canopy/param.h>       /* NOFILE: Canopy's descriptors per process */
#include <stdbool.h>
#include <stdint.h>
#include "draw.h"

#define SCRATCH_SIZE    (64 * 1024)     /* touched buffer in bss */
#define LAZY_SIZE       (128 * 1024)    /* bss never touched by the fuzzer */
#define LOW_STACK       (1UL << 20)     /* the bottom of the 8 MiB stack: never used */
#define HEAP_CAP        (2UL << 20)     /* brk may grow this far past the batch's start */
#define MMAP_CAP        (1UL << 20)     /* a mapping is at most this long */
#define IO_CAP          (1UL << 20)     /* bytes one read of a device or getrandom may fill */
#define MAX_KIDS        32
#define MAX_RANGES      24

/* Where fills go in the scratch buffer (each its own slot, laid out just before the call) */
enum {
	SLOT_IOV = 0x0000,      /* 64 iovecs */
	SLOT_POLL = 0x0400,     /* 32 pollfds */
	SLOT_SIGACT = 0x0500,
	SLOT_SIGSET = 0x0540,
	SLOT_TS = 0x0580,       /* two timespecs (utimensat: times) */
	SLOT_ITV = 0x05c0,
	SLOT_RLIM = 0x0600,
	SLOT_TERMIOS = 0x0640,
	SLOT_INT = 0x0680,
	SLOT_ALTSTACK = 0x06a0,
	SLOT_SIGINFO = 0x0700,
	SLOT_FLOCK = 0x0780,
	SLOT_PIPE = 0x07c0,     /* a plan's pipe2 result */
	SLOT_ELF = 0x0800,      /* a plan's junk ELF header (512 bytes) */
	SLOT_ARGV = 0x1000,     /* argv or envp arrays and strings (up to 0x3000) */
	SLOT_ENVP = 0x2000,
	SLOT_FRAME = 0x3000,    /* a forged rt_sigreturn frame */
	SLOT_FREE = 0x4000,     /* from here on: buffers calls may use freely */
};

/*
 * How an argument's memory is laid out just before the call (fill.c),
 * from the random bits gen.c put in the argument, which then becomes the
 * address of what was laid out.
 */
enum {
	FILL_NONE,
	FILL_EDGE_STR,          /* an unterminated string ending at the edge page's end */
	FILL_ARGV,              /* an argv: sound, too many, too long, hostile, unterminated */
	FILL_IOV,               /* an iovec array */
	FILL_POLL,              /* a pollfd array */
	FILL_SIGACT,            /* a struct sigaction */
	FILL_SIGSET,            /* a signal set */
	FILL_TIMESPEC,          /* a timespec (short, zero, bad nanoseconds, negative) */
	FILL_UTIMES,            /* utimensat's two timespecs */
	FILL_ITIMER,            /* an itimerval */
	FILL_RLIMIT,
	FILL_TERMIOS,           /* the console's termios, with bits flipped */
	FILL_PGID,              /* an int: a process group */
	FILL_ALTSTACK,          /* a stack_t */
	FILL_SIGINFO,
	FILL_FLOCK,
	FILL_RESULT1,           /* the result of the call before this one */
	FILL_RESULT2,           /* ... of the one before that */
	FILL_PIPE_READ,         /* the read end a plan's pipe2 stored at SLOT_PIPE */
	FILL_PIPE_WRITE,        /* its write end */
	FILL_ELF,               /* a junk ELF header and program headers */
	FILL_FRAME,             /* a forged rt_sigreturn frame (the argument: where) */
};

struct arena {
	uint64_t scratch, lazy, edge;   /* edge: a page whose next page is unmapped */
	uint64_t text_lo, text_hi;      /* the read-only segments: text, rodata */
	uint64_t data_lo, data_hi;      /* the writable segment: data, bss */
	uint64_t brk_start, brk, brk_hi;
	uint64_t vdso;                  /* the vDSO image (AT_SYSINFO_EHDR) */
	int pid, worker_pid;
	int kids[MAX_KIDS], nkids;
	/* ranges a call may have mapped, unmapped or protected: nothing is known there */
	uint64_t changed[MAX_RANGES][2];
	int nchanged;                   /* more than MAX_RANGES: nothing known anywhere */
	uint64_t maps[MAX_RANGES];      /* starts of mappings made */
	int nmaps;
	uint64_t console_rdev, zero_rdev, urandom_rdev, null_rdev;
	uint32_t skip;
};

extern struct arena ar;

/* asm.c */
long clone_call(const struct call *c);          /* the child goes to clone_kid */
long forged_sigreturn(uint64_t frame);          /* sp = frame, then rt_sigreturn */
void clone_kid(void) __attribute__((noreturn));
extern char sigreturn_landing[];
void handler_ret(int sig);
void handler_mask(int sig, void *info, void *uc);
long sys6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
#define sys0(n) sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* gen.c */
void gen_set_dir(const char *dir);
void gen_call(uint64_t *rng, struct call *c);
const char *call_name(uint64_t nr);
bool call_known(uint64_t nr);
uint64_t gen_path_at(int i);
bool is_exec_path(uint64_t a);
bool in_path_table(uint64_t a);
extern const char *const exec_paths[];
extern const int n_exec_paths;

/* fill.c */
void settle(struct call *c, const long results[2], bool verbose);
void after_call(const struct call *c, long r);
void tty_save(void);
void tty_restore(void);
bool ours(uint64_t a, uint64_t len);

/* check.c */
uint32_t check_call(const struct call *c, long r, uint64_t old_brk);
uint32_t check_end(void);
void check_start(void);
bool known_unreadable(uint64_t a);
bool known_unwritable(uint64_t a);
void range_changed(uint64_t lo, uint64_t hi);

#endif
