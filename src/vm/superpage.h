/* The superpage policy (vm/superpage.c). */
#ifndef VM_SUPERPAGE_H
#define VM_SUPERPAGE_H

#include "lib/types.h"

struct mm;
struct region;
struct tlb_batch;

#define SUPERPAGE_MAPPED 0      /* a superpage maps va now */
#define SUPERPAGE_NOMEM  -1     /* no page for the table on the way */
#define SUPERPAGE_NO     1      /* not here: map a 4 KiB page */

/* A fault at va (page-aligned) of private anonymous region r, with leaf flags. */
int superpage_fault(struct mm *mm, struct region *r, uint64 va, uint64 flags);
/* May a superpage go at va (2 MiB-aligned) of mm now?  An empty level-0 table there goes through b. */
bool superpage_slot(struct mm *mm, uint64 va, struct tlb_batch *b);

#endif
