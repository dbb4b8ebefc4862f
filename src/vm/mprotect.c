/*
 * mprotect: change the permissions of a range of the address space.
 *
 * The regions covering [start, end) are cut at its ends and take the new
 * permissions; the pages already mapped there are changed in place:
 *  - permissions taken away (W, X, or all of them) leave the entries at
 *    once, flushed on every hart that may hold them (vm/tlb.c) before the
 *    call returns;
 *  - W is never granted here: a later store faults, and the fault policy
 *    (vm/fault.c) makes the page writable, copying it first if another
 *    mapping shares it;
 *  - PROT_NONE keeps the page but clears U, so that any user access
 *    faults and the fault policy refuses it (the region allows nothing);
 *    the contents come back with the permissions.
 * W with X is refused (-EACCES): no user page is ever both.
 */
#include "vm/mm.h"
#include "vm/mprotect.h"
#include "vm/pagetable.h"
#include "vm/tlb.h"
#include "vm/uvm.h"
#include "lib/errno.h"

/* Cut the region holding va (if va falls inside one) into two at va; -ENOMEM if no room. */
static int
cut_at(struct mm *mm, uint64 va)
{
	struct region *r = mm_find(mm, va);

	if (!r || r->start == va)
		return 0;
	if (mm->nregions == MM_MAX_REGIONS)
		return -ENOMEM;
	struct region upper = *r;
	upper.start = va;
	if (r->obj)
		upper.pgoff += (va - r->start) / PGSIZE;
	r->end = va;
	return mm_add(mm, &upper) < 0 ? -ENOMEM : 0;    /* mm_add takes the object's reference */
}

/* The entry pte with permissions prot (see the top of the file); shared: of a shared region. */
static pte_t
protected_pte(pte_t pte, unsigned prot, bool shared)
{
	pte_t out = pte & ~(PTE_R | PTE_W | PTE_X | PTE_U);

	if (prot == PROT_NONE)
		return out | PTE_R;             /* still a leaf, out of the user's reach */
	out |= uvm_pte_flags(prot & ~PROT_WRITE ? prot & ~PROT_WRITE : PROT_READ);
	if ((prot & PROT_WRITE) && (pte & PTE_W))
		out |= PTE_W;
	else if ((pte & PTE_W) && !shared)
		out |= PTE_COW;                 /* a later store faults; the page is ours alone */
	return out;
}

/* Apply prot to the mapped pages of [start, end), inside region r. */
static void
protect_pages(struct mm *mm, struct region *r, uint64 start, uint64 end, unsigned prot,
	      struct tlb_batch *b)
{
	for (uint64 va = start; va < end;) {
		struct pt_slot s = pt_lookup(mm->pagetable, va);
		uint64 step = s.pte ? LEVEL_SIZE(s.level) : PGSIZE;
		if (s.pte) {
			pte_t old = *s.pte;
			pte_t new = protected_pte(old, prot, r->flags & REGION_SHARED);
			if (new != old) {
				__atomic_store_n(s.pte, new, __ATOMIC_RELEASE);
				if ((old & ~new) & (PTE_R | PTE_W | PTE_X | PTE_U))
					tlb_batch_taken(b, ROUNDDOWN(va, step));
			}
		}
		va = ROUNDDOWN(va, step) + step;
	}
}

/*
 * Give [start, end) (page-aligned) the permissions prot (PROT_*).  0, or
 * -ENOMEM if part of the range is in no region or the region list is
 * full, -EACCES for W with X or a vDSO page, -EINVAL for unknown bits.
 */
int
mm_protect(struct mm *mm, uint64 start, uint64 end, unsigned prot)
{
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
		return -EACCES;
	for (uint64 va = start; va < end;) {
		struct region *r = mm_find(mm, va);
		if (!r)
			return -ENOMEM;
		if (r->kind == REGION_VDSO)
			return -EACCES;
		va = r->end;
	}
	if (mm->nregions + 2 > MM_MAX_REGIONS)
		return -ENOMEM;
	struct tlb_batch b;
	tlb_batch_begin(&b, mm->pagetable);
	int err = 0;
	if ((start % LEVEL_SIZE(1) && pt_split(mm->pagetable, start, &b) < 0) ||
	    (end % LEVEL_SIZE(1) && pt_split(mm->pagetable, end - 1, &b) < 0))
		err = -ENOMEM;
	if (!err)
		err = cut_at(mm, start);
	if (!err)
		err = cut_at(mm, end);
	for (uint64 va = start; !err && va < end;) {
		struct region *r = mm_find(mm, va);
		r->prot = (uint8)prot;
		protect_pages(mm, r, r->start, r->end, prot, &b);
		va = r->end;
	}
	tlb_batch_end(&b);
	return err;
}
