/*
 * utest: Canopy's core test suite, run inside Canopy.
 *
 * Each test runs in a forked child; the runner compares the free-page count
 * before and after, so a test also fails if it leaks memory.  A test
 * reports a failure with fail(), which prints the reason and exits.
 */
#ifndef UTEST_H
#define UTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <signal.h>
#include "canopy.h"

struct test {
	const char *name;
	void (*fn)(void);
};

void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define expect(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* Run fn in a child; return its exit status (-1 if it was killed). */
int run_in_child(void (*fn)(void));
uint64_t free_pages(void);
struct sysinfo info(void);

/* Addresses no system call may accept. */
#define KADDR_LOW   0xffffffc000000000UL     /* start of the kernel half */
#define KADDR_HIGH  0xffffffffffffffffUL
#define KADDR_IMAGE 0xffffffff80200000UL     /* the kernel image */

extern const struct test tests_syscall[], tests_proc[], tests_memory[], tests_vdso[], tests_pipe[];

#endif
