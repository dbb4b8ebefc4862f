/*
 * vmtest: the demand-paging tests (lazy heap, copy-on-write fork, the one
 * fault path, pgaccess and vmprint), run inside Canopy.
 *
 * The shared runner (src/ulib/testing.h) runs each test in a forked child
 * and compares the free-page count before and after.
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
#include "testing.h"

bool lazy(void);                /* the kernel has a lazy heap */
bool cow(void);                 /* the kernel forks copy-on-write */

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
extern const struct test tests_lazy[], tests_cow[], tests_introspect[], tests_random[],
	tests_oom[], tests_huge[];

/* Modes of the vmtest program that tests exec into (main.c). */
int random_worker(uint64_t seed, int steps, int depth, int kids);
int forge_and_exec(int more);
int fresh_stack(void);

#endif
