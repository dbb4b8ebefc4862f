/*
 * mmaptest: what its tests (t_*.c) share.  The runner (src/ulib/testing.h)
 * runs each in a forked child, in /tmp, and checks the free-page count
 * after each (see main.c).
 */
#ifndef MMAPTEST_H
#define MMAPTEST_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"
#include "testing.h"

#define PG 4096L

/* Files of n bytes whose byte i is pattern(seed, i) (main.c). */
uint8_t pattern(int seed, long i);
void make_file(const char *path, long n, int seed);
int open_or_fail(const char *path, int flags);
int file_byte(const char *path, long off);      /* read with read(); -1 past the end */
long file_size(const char *path);

/* Run fn in a child and return how it ended: its status, -1 if killed. */
int child_status(void (*fn)(void));

/* Children that touch *fault_addr and exit 0, if they live. */
extern char *fault_addr;
void read_fault_addr(void);
void write_fault_addr(void);

extern const struct test tests_anon[], tests_file[], tests_args[], tests_copies[],
	tests_cache[];

/* Modes of the mmaptest program that tests exec into (main.c). */
int peer(const char *path, int at);     /* t_file.c */
int text_page(int fd);                  /* t_cache.c */

#endif
