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

#endif
