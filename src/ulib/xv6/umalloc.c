/*
 * xv6 compatibility: malloc and free over sbrk.  A first-fit free list
 * kept in address order, so freed neighbours merge; memory is taken from
 * the kernel at least 64 KiB at a time and never given back (as on xv6).
 */
#include "kernel/types.h"
#include "user/user.h"

struct block {
	struct block *next;     /* next free block, in address order */
	uint64 units;           /* size of this block, header included */
};

#define UNIT sizeof(struct block)
#define GROW_UNITS (65536 / UNIT)

static struct block *free_list;

void
free(void *ptr)
{
	if (!ptr)
		return;
	struct block *b = (struct block *)ptr - 1;
	struct block **link = &free_list;

	while (*link && *link < b)
		link = &(*link)->next;
	b->next = *link;
	*link = b;
	/* merge with the following block, then with the preceding one */
	if (b->next && b + b->units == b->next) {
		b->units += b->next->units;
		b->next = b->next->next;
	}
	if (link != &free_list) {
		struct block *prev = (struct block *)((char *)link - __builtin_offsetof(struct block, next));
		if (prev + prev->units == b) {
			prev->units += b->units;
			prev->next = b->next;
		}
	}
}

static int
grow(uint64 units)
{
	if (units < GROW_UNITS)
		units = GROW_UNITS;
	if (units * UNIT > 0x7fffffff)
		return -1;
	char *p = sbrk((int)(units * UNIT));
	if (p == (char *)-1)
		return -1;
	struct block *b = (struct block *)p;
	b->units = units;
	free(b + 1);
	return 0;
}

void *
malloc(uint nbytes)
{
	uint64 units = (nbytes + UNIT - 1) / UNIT + 1;

	for (;;) {
		for (struct block **link = &free_list; *link; link = &(*link)->next) {
			struct block *b = *link;
			if (b->units < units)
				continue;
			if (b->units == units) {
				*link = b->next;
			} else {
				b->units -= units;
				b += b->units;
				b->units = units;
			}
			return b + 1;
		}
		if (grow(units) < 0)
			return 0;
	}
}
