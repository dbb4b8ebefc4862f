/*
 * Random bytes for user programs (AT_RANDOM, getrandom, /dev/urandom).
 * Unpredictable enough for stack canaries and hash seeds: a splitmix64
 * stream seeded by the time counter and stirred with it on every call.
 * Not a cryptographic generator; QEMU's virt machine offers no entropy
 * device we drive.
 */
#ifndef LIB_RANDOM_H
#define LIB_RANDOM_H

#include "lib/types.h"

void random_bytes(void *buf, size_t n);

#endif
