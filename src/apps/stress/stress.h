/*
 * stress: a seeded multi-hart stress test of Canopy's memory design.
 * Processes fork, write copy-on-write pages, move the break up and down,
 * exec, talk through pipes and kill each other while the harts move them
 * around, and every word any of them reads is checked against a model of
 * what it must hold.
 *
 * The model (model.c): every word of a stress page holds a value built
 * from the writer's tag (its pid), the writer's generation, the page index
 * and the word index, so a word read from another process's page, from an
 * older copy of our own, or from a freed page now used by someone else,
 * names where it came from.  A page the model says is fresh must read zero.
 *
 * Errors: a process that finds one prints it (address, expected, found)
 * and sends a record on the report channel (channel.c) every process of a
 * test inherits; the test reads the channel to its end, so an error counts
 * even when its finder is killed before it can exit with a failure status.
 */
#ifndef STRESS_H
#define STRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"
#include "testing.h"

enum {
	WORDS_PER_PAGE = PGSIZE / 8,
	REGION_MAX_PAGES = 64,  /* pages one region can model */
	EXIT_FOUND_ERROR = 3,   /* exit status of a process that found an error */
};

/* Options (main.c), the same in every process of a run. */
struct options {
	uint64_t seed;
	int iters;              /* rounds of cow_migrate, steps of each mix root */
	int procs;              /* mix roots running at once */
	int report_fd;          /* write end of the report channel (-1: none) */
};
extern struct options opt;

/* What a process did, summed over a test's processes by the channel. */
struct counts {
	uint64_t words_checked;         /* words read and compared with the model */
	uint64_t pages_written;
	uint64_t forks;
	uint64_t execs;
	uint64_t kills;
	uint64_t pipe_bytes;            /* checked bytes read from pipes */
	uint64_t sbrk_moves;
	uint64_t zero_checks;           /* pages checked to read zero after sbrk up */
	uint64_t deaths;                /* children that ended killed (ours or the kernel's) */
};
extern struct counts counts;

/* A seeded generator (xorshift64*); each process carries its own state. */
struct rng {
	uint64_t s;
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n);         /* 0 .. n-1; n > 0 */

/*
 * A run of heap pages and what each must hold: stamp 0 means zero (a page
 * not written since it was given to us), otherwise the tag and generation
 * of the last write.  base is page-aligned; the region ends at the break.
 */
struct region {
	char *base;
	int npages;
	uint32_t stamp[REGION_MAX_PAGES];
};

/* This process's identity in stamps, and the generation of its next write. */
void model_start_process(void);
uint32_t model_next_stamp(void);

/* Make the pages holding a model our own (call after fork, in both processes). */
void own_pages(void *p, size_t n);

/* Align the break to a page and start an empty region there. */
void region_start(struct region *r);
/* Grow by n pages (fresh: must read zero); false if sbrk refused. */
bool region_grow(struct region *r, int n);
/* Give back the last n pages with sbrk(-n pages). */
bool region_shrink(struct region *r, int n);
/* Write a whole page with a new stamp of ours. */
void region_write(struct region *r, int page);
/* Check every word of a page; false (errors reported) if any is wrong. */
bool region_check(struct region *r, int page);
bool region_check_all(struct region *r);
void region_write_all(struct region *r);

/*
 * The report channel (channel.c).  report() prints one line with our pid
 * and the text, sends an error record, and returns false, for `return
 * report(...)`.  channel_open() in a test makes the channel; channel_close()
 * waits until every process holding it has exited and returns the errors
 * reported, with everyone's counts summed.  counts_send() before exit or exec.
 */
bool report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int errors_seen(void);          /* reports made by this process */
void channel_start_process(void);
void channel_open(void);
void channel_drop_reader(void);      /* in a child of the test */
int channel_close(struct counts *total);
void counts_send(void);
void leave(int status) __attribute__((noreturn));

/* Spin without a system call: for about us microseconds, or until uptime_ns() reaches ns. */
void spin_us(uint64_t us);
void spin_until(uint64_t ns);

/* Pipe streams (pipes.c): records with a sequence number and checksum. */
struct stream_reader {
	int fd;
	uint32_t stream;        /* the writer's tag for this stream */
	uint32_t next_seq;
	int have;               /* bytes of a record buffered so far */
	uint64_t bytes;
};
void stream_produce(int fd, uint32_t stream, struct rng *r, int records);
/* Read to the end; false (reported) if the data is wrong.  cut_ok: the writer was killed. */
bool stream_consume(struct stream_reader *sr, struct rng *r, bool cut_ok);

/*
 * The *_migrate tests' rounds and families (t_migrate.c).  A round's
 * process models its pages in reg and talks to the other through the
 * pipes; a family exits with the number of its rounds that read a wrong
 * word, or FAMILY_FAILED if it could not go on.
 */
enum { FAMILY_FAILED = 255 };
extern struct region reg;
extern int to_parent[2], to_child[2];
extern char __tls_base[], __bss_end[];  /* our data and bss (src/ulib/user.ld) */

/* What a test's families did. */
struct tally {
	int rounds, bad_rounds, families, bad_families, errors;
	struct counts total;
};

void next_tick(struct rng *r);          /* sleep to the next tick, sometimes after a spin */
int round_start(int round);             /* the round's pipes, then fork */
bool round_end(int round, int pid);     /* wait for the round's child: was it clean? */
struct tally run_families(uint64_t seed, int want, void (*family)(uint64_t seed, int rounds));
void expect_clean(const struct tally *t);
void own_stack(void);                   /* write the stack pages below the caller */
long nonzero_words(const volatile uint64_t *p, long n, uint64_t *first);

/*
 * A staged round's child: it runs on the hart it starts on, blocks reading
 * to_parent, and does its part once woken (often on another hart); it
 * never returns.
 */
typedef void (*staged_child)(struct rng *r, int round);
int staged_rounds(uint64_t seed, int rounds, staged_child child);
void staged_test(const char *name, uint64_t salt, void (*family)(uint64_t seed, int rounds));

/* The tests (t_*.c) and the modes main.c hands an exec'd process to. */
void cow_migrate(void), exec_migrate(void), unmap_migrate(void), bits_migrate(void);
extern const struct test tests_migrate[], tests_mix[], tests_storm[];
int mix_exec_resume(int argc, char *argv[]);
int exec_fresh_resume(int argc, char *argv[]);

#endif
