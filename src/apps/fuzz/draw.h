/*
 * What both fuzzers share (src/apps/fuzz, a Canopy program, and
 * src/apps/fuzz/linux, the Linux image its Linux mode runs as each
 * batch): the seeded generator, the numbers and addresses drawn for any
 * call, and the records a batch sends its worker on the progress pipe.
 * Only <stdint.h> and the address-space layout: this file is compiled by
 * both the Canopy and the Linux compiler, so the two sides agree on every
 * byte of a record.
 */
#ifndef FUZZ_DRAW_H
#define FUZZ_DRAW_H

#include <stdint.h>
#include <canopy/layout.h>

#define FUZZ_MAX_K      600     /* calls per batch: their records must fit the pipe (64 KiB) */
#define FD_PROGRESS     14      /* in a batch child: the progress pipe */
#define FD_CONSOLE      15      /* in a batch child, with verbose: the console */

#define KDIRECT 0xffffffc000000000UL
#define KSTACKS 0xffffffd000000000UL
#define KIMAGE  0xffffffff80200000UL
#define INT_MIN_64 0xffffffff80000000UL   /* (long)INT_MIN */

/* One call: the number, its six argument registers, and how it was drawn. */
struct call {
	uint64_t nr;
	uint64_t a[6];
	uint8_t fill[6];        /* FILL_*: memory the argument points at, set just before */
};

/* What a child sends its worker on the progress pipe. */
enum { REC_CALL = 1, REC_FAIL = 2 };

struct record {
	uint32_t kind;
	uint32_t index;         /* the call's number within the batch */
	struct call c;
	int64_t result;         /* REC_FAIL: what the call returned */
	uint32_t why;           /* REC_FAIL: WHY_* */
	char name[16];          /* the call's name (the two fuzzers number calls differently) */
};

/* Why a child reports a failure: a result the kernel must never give. */
enum {
	WHY_NONE,
	WHY_WROTE_UNWRITABLE,   /* a copy out to memory the caller cannot write succeeded */
	WHY_READ_UNREADABLE,    /* a copy in from memory the caller cannot read succeeded */
	WHY_PATH_UNREADABLE,    /* a path at an address the caller cannot read was accepted */
	WHY_PAST_USER_TOP,      /* a read or write of a buffer crossing USER_TOP was not refused */
	WHY_TOO_MANY_BYTES,     /* read/write moved more bytes than asked */
	WHY_BAD_BREAK,          /* sbrk or brk left the heap's range, or returned a wrong break */
	WHY_VDSO_CHANGED,       /* a vDSO page changed under the process */
	WHY_TEXT_CHANGED,       /* the program's text or read-only data changed */
	WHY_BAD_RESULT,         /* a result outside what the call can return */
	WHY_SELFTEST,           /* a kernel self-check answered wrongly */
	WHY_BAD_ERRNO,          /* Linux: a negative result that is no errno, or the wrong one */
	WHY_COUNT,
};

/* Paths of a worker's table (draw_paths) that plans use. */
enum { P_DIR = 0, P_A = 1, P_PLAN_DIR = 43, P_PLAN_DIR_UP, P_PLAN_FILE, P_M1, P_M2, P_X,
       P_COUNT };

/* A few calls in a row that build a situation (plan.c, linux/gen.c make them). */
struct plan {
	int n, next;
	struct call calls[6];
};

uint64_t mix64(uint64_t x);
void rng_seed(uint64_t *s, uint64_t seed, uint64_t worker, uint64_t batch);
uint64_t rng_next(uint64_t *s);
uint64_t rng_below(uint64_t *s, uint64_t n);
uint64_t pick(uint64_t *s, const uint64_t *v, int n);
uint64_t draw_int(uint64_t *s, uint64_t data_top);
uint64_t draw_len(uint64_t *s, uint64_t data_top);
uint64_t draw_kernel_addr(uint64_t *s);
int draw_paths(char *store, int room, int max, const char *dir);
uint64_t draw_name(uint64_t *s);
struct call *plan_add(struct plan *p, uint64_t nr);
int plan_next(struct plan *p, struct call *c);
long fuzz_ecall(const struct call *c);
int draw_number(const char *arg, const char *key, uint64_t *v);
int draw_in(const int *v, int n, int x);
void draw_long_path(char *p, int size);

/* One of the values, at random (they may be computed). */
#define PICK(s, ...) ({ const uint64_t v_[] = { __VA_ARGS__ }; \
			pick(s, v_, sizeof(v_) / sizeof(v_[0])); })

#endif
