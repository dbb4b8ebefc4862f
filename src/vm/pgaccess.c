/*
 * pgaccess(addr, npages, mask): report which of npages pages starting at
 * the page holding addr were accessed since the last report, one bit per
 * page (page 0 in bit 0), and clear what was reported.  "Accessed" is the
 * PTE A bit, which the hardware (QEMU) sets when it fills a TLB entry, for
 * user instructions and for the kernel's copies alike.  Pages not mapped
 * (a lazy page never touched) read as not accessed.
 *
 * The mask is written as a 32-bit word when npages <= 32, as the xv6 lab's
 * `unsigned int`, else as a 64-bit word.  A superpage has one accessed bit
 * for its 512 pages: each of them reads as accessed if any was, and the
 * report clears it for all.
 *
 * Cost: once A is cleared, this hart's TLB may still hold the translation
 * and would not set A again, so a call that clears anything ends with one
 * sfence.vma (about 2.5 us on QEMU, plus refilling the TLB), and other
 * harts that still hold the table are marked to flush (vm/tlb.c).
 */
#include "vm/pgaccess.h"
#include "vm/pagetable.h"
#include "vm/mm.h"
#include "vm/tlb.h"
#include "vm/uaccess.h"
#include "sched/proc.h"

/*
 * For the running process p.  Returns 0, or -1 if npages is not 1..64,
 * the range leaves the user half or the mask cannot be written (nothing
 * is cleared then).
 *
 * The copy-out may fault, and the fault may change the table (a range
 * filled in becomes a superpage, its level-0 table freed): so the scan
 * keeps entry values, never pointers, and the bits are cleared by a
 * second lookup after the copy, only where the entry still maps the page
 * that was reported, at the same level.
 */
long
pgaccess(struct proc *p, uint64 va, long npages, uint64 mask_addr)
{
	uint64 base = ROUNDDOWN(va, PGSIZE);
	pte_t seen[PGACCESS_MAX];
	int level[PGACCESS_MAX];
	uint64 mask = 0;

	if (npages < 1 || npages > PGACCESS_MAX || !user_range_ok(base, npages * PGSIZE))
		return -1;
	for (long i = 0; i < npages; i++) {
		/* a superpage has one A bit: each of its pages reads as the whole */
		struct pt_slot s = pt_lookup(p->mm->pagetable, base + i * PGSIZE);
		seen[i] = s.pte ? *s.pte : 0;
		level[i] = s.level;
		if ((seen[i] & PTE_U) && (seen[i] & PTE_A))
			mask |= 1UL << i;
	}
	if (copyout(mask_addr, &mask, npages <= 32 ? 4 : 8) < 0)
		return -1;
	if (mask == 0)
		return 0;
	/* the copy may have set A on a page in range; only what we reported goes */
	struct tlb_batch b;
	tlb_batch_begin(&b, p->mm->pagetable);
	for (long i = 0; i < npages; i++) {
		if (!(mask >> i & 1))
			continue;
		struct pt_slot s = pt_lookup(p->mm->pagetable, base + i * PGSIZE);
		if (!s.pte || s.level != level[i] || pte_pa(*s.pte) != pte_pa(seen[i]))
			continue;       /* not the translation reported: its A bit is news */
		__atomic_fetch_and(s.pte, ~PTE_A, __ATOMIC_RELAXED);
		tlb_batch_taken(&b, base + i * PGSIZE);
	}
	tlb_batch_end(&b);
	return 0;
}
