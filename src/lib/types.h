/* Kernel-wide basic types. */
#ifndef LIB_TYPES_H
#define LIB_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint64_t uint64;
typedef uint32_t uint32;
typedef uint16_t uint16;
typedef uint8_t uint8;
typedef uint64_t pte_t;
typedef uint64_t *pagetable_t;   /* a page of 512 PTEs, by kernel virtual address */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a)   (((x) + (a) - 1) & ~((uint64)(a) - 1))
#define ROUNDDOWN(x, a) ((x) & ~((uint64)(a) - 1))
#define STATIC_ASSERT(c) _Static_assert(c, #c)

/*
 * The system-call path (trap entry and exit, dispatch, the calls measured
 * against the floor) sits together at the start of the kernel's text
 * (kernel.ld), where other code moving cannot shift it: how QEMU splits
 * and chains translated blocks depends on the addresses, and getpid's
 * cost was seen to move by 14 % with the layout alone.
 */
#define __hot_path __attribute__((section(".text.hot")))

#endif
