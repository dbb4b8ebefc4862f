/*
 * vmtest: the demand-paging tests (lazy heap, copy-on-write fork, the one
 * fault path, pgaccess and vmprint), run inside Canopy.
 *
 * As in utest, each test runs in a forked child and the runner compares
 * the free-page count before and after, so a test also fails if it leaks.
 * Expectations that differ between designs branch on sysinfo().design
 * (DESIGN_LAZY, DESIGN_COW): every branch checks something.
 */
#ifndef VMTEST_H
#define VMTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"

struct test {
	const char *name;
	void (*fn)(void);
};

void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define expect(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

struct sysinfo info(void);
uint64_t free_pages(void);
bool lazy(void);                /* the kernel has a lazy heap */
bool cow(void);                 /* the kernel forks copy-on-write */

/* Run fn in a child; return its exit status (-1 if it was killed). */
int run_in_child(void (*fn)(void));
int wait_for(int pid);          /* wait for that child; its status */

/* Page-align the break, then grow it by npages; the start of the new pages. */
char *sbrk_pages(long npages);

/*
 * vmprint of pid (0: us) into a static buffer; the leaf line for va in it:
 * its flags ("VRWXUGADC" letters or '-') and physical address.  false if
 * no leaf maps va.
 */
const char *vmprint_text(int pid);
bool vm_leaf(const char *text, uint64_t va, char flags[10], uint64_t *pa);
int vm_count_leaves(const char *text, uint64_t lo, uint64_t hi);

extern uint64_t random_seed;
extern const struct test tests_lazy[], tests_cow[], tests_introspect[], tests_random[];

/* Modes of the vmtest program that tests exec into (main.c). */
int random_worker(uint64_t seed, int steps, int depth, int kids);

#endif
