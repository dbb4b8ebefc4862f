/*
 * fstest: the file-system tests, run inside Canopy.
 *
 * Each test runs in a forked child (the shared runner, src/ulib/testing.h)
 * in a directory of its own under /tmp, which it leaves empty.
 */
#ifndef FSTEST_H
#define FSTEST_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "canopy.h"
#include "testing.h"

/* Addresses no system call may accept as a buffer or a string. */
#define KADDR_LOW   0xffffffc000000000UL
#define KADDR_HIGH  0xffffffffffffffffUL
#define KADDR_IMAGE 0xffffffff80200000UL

/* Helpers (main.c). */
void fill(void *buf, size_t n, uint32_t seed, uint64_t off);
bool matches(const void *buf, size_t n, uint32_t seed, uint64_t off);
int xopen(const char *path, int flags);
void put_file(const char *path, const void *data, size_t n);
long get_file(const char *path, void *buf, size_t max);
struct canopy_stat xstat(const char *path);
void enter(const char *dir);

extern const struct test tests_basic[], tests_paths[], tests_links[], tests_limits[],
	tests_big[];

#endif
