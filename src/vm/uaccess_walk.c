/*
 * User access for KPTI (the classic design): user pages are not mapped in
 * the kernel's table, so each copy translates the user address through
 * the current process's table in software and moves the bytes through the
 * kernel's direct map, one page at a time (rules in vm/uaccess.h).
 *
 * A page that is missing or lacks the permission goes to the page-fault
 * policy first, as a hardware fault in the direct-access design would
 * (lazy and copy-on-write pages are provided there); the copy retries the
 * page once the policy says so, and fails with -1 when it refuses.
 *
 * Only the process's own kernel thread changes its table, so a page found
 * here stays mapped for the copy.
 */
#include "vm/uaccess.h"
#include "vm/fault.h"
#include "vm/kernel_layout.h"
#include "vm/pagetable.h"
#include "vm/mm.h"
#include "sched/proc.h"
#include "lib/string.h"

/*
 * The kernel address of the user page at va (page-aligned) if p may
 * access it (read, or write with `write`), else NULL.  Sets A (and D for
 * a write), as the hardware does for a user access.
 */
static uint8 *
user_page_lookup(struct proc *p, uint64 va, bool write)
{
	struct pt_slot s = pt_lookup(p->mm->pagetable, va);
	uint64 need = PTE_V | PTE_U | (write ? PTE_W : PTE_R);

	if (!s.pte || s.level > 1 || (*s.pte & need) != need)
		return NULL;
	*s.pte |= PTE_A | (write ? PTE_D : 0);
	/* a superpage: the 4 KiB page of it that holds va */
	return pa2kva(pte_pa(*s.pte) + (va & (LEVEL_SIZE(s.level) - 1)));
}

/*
 * The page at va, after asking the fault policy to provide it if needed
 * (once: a policy that says yes has made the page accessible); NULL if it
 * cannot be had.  Out of memory is handled as for a hardware fault in the
 * direct design's copy (vm_fault_copy); the copy may wait for memory if
 * it holds no spinlock, that is if interrupts are on.
 */
static uint8 *
user_page(struct proc *p, uint64 va, bool write)
{
	uint8 *page = user_page_lookup(p, va, write);

	if (!page && vm_fault_copy(p, va, write ? EXC_STORE_PAGE : EXC_LOAD_PAGE, intr_get()))
		page = user_page_lookup(p, va, write);
	return page;
}

/* Copy n bytes between kernel buffer kbuf and user address uva; -1 on failure. */
static int
copy_user(uint64 uva, void *kbuf, size_t n, bool to_user)
{
	struct proc *p = myproc();
	uint8 *k = kbuf;

	if (!user_range_ok(uva, n))
		return -1;
	while (n > 0) {
		uint64 off = uva % PGSIZE;
		size_t m = PGSIZE - off < n ? PGSIZE - off : n;
		uint8 *page = user_page(p, uva - off, to_user);
		if (!page)
			return -1;
		if (to_user)
			memcpy(page + off, k, m);
		else
			memcpy(k, page + off, m);
		uva += m;
		k += m;
		n -= m;
	}
	return 0;
}

int
copyin(void *dst, uint64 usrc, size_t n)
{
	return copy_user(usrc, dst, n, false);
}

int
copyout(uint64 udst, const void *src, size_t n)
{
	return copy_user(udst, (void *)src, n, true);
}

long
copyinstr(char *dst, uint64 usrc, size_t max)
{
	struct proc *p = myproc();

	if (usrc >= USER_TOP || max == 0)
		return -1;
	size_t limit = USER_TOP - usrc < max ? USER_TOP - usrc : max;
	size_t len = 0;
	while (len < limit) {
		uint64 va = usrc + len;
		uint64 off = va % PGSIZE;
		const uint8 *page = user_page(p, va - off, false);
		if (!page)
			return -1;
		for (; off < PGSIZE && len < limit; off++, len++) {
			dst[len] = (char)page[off];
			if (page[off] == 0)
				return (long)len;
		}
	}
	return -1;
}
