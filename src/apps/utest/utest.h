/*
 * utest: Canopy's core test suite, run inside Canopy, with the shared
 * runner (src/ulib/testing.h): each test in a child, leaks counted.
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
#include "testing.h"

/* Addresses no system call may accept. */
#define KADDR_LOW   0xffffffc000000000UL     /* start of the kernel half */
#define KADDR_HIGH  0xffffffffffffffffUL
#define KADDR_IMAGE 0xffffffff80200000UL     /* the kernel image */

extern const struct test tests_syscall[], tests_proc[], tests_memory[], tests_vdso[], tests_pipe[],
	tests_labs[], tests_procinfo[];

#endif
