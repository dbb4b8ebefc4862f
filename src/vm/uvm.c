/*
 * User address-space lifecycle: create a table (kernel half shared, vDSO
 * mapped), give and take ranges of zeroed pages, duplicate for fork, tear
 * down.  Every page a process receives here is zeroed, a full copy of a
 * page it could already read, or such a page shared read-only with its
 * parent (copy-on-write), so no kernel or foreign data reaches it.
 *
 * User leaves are 4 KiB, have U set and never W without R nor W with X.
 * A and D start clear: the hardware sets them, and pgaccess reads A.
 */
#include "vm/uvm.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/kvm.h"
#include "vm/mm.h"
#include "vm/pagetable.h"
#include "vm/superpage.h"
#include "vm/tlb.h"
#include "vm/vdso.h"
#include "debug/kprintf.h"
#include "lib/string.h"

uint64
uvm_pte_flags(unsigned prot)
{
	uint64 f = PTE_U;

	if (prot & PROT_READ)
		f |= PTE_R;
	if (prot & PROT_WRITE)
		f |= PTE_R | PTE_W;
	if (prot & PROT_EXEC)
		f |= PTE_X;
	if ((f & PTE_W) && (f & PTE_X))
		panic("uvm_pte_flags: W+X");
	if (!(f & (PTE_R | PTE_X)))
		panic("uvm_pte_flags: no access (a leaf needs R or X)");
	return f;
}

/*
 * A new address space: empty user half, vDSO pages, and the shared kernel
 * half if the root will be loaded.  Exec's is never: its user half moves
 * into the loaded root (mm_take_root), so its kernel half stays zero.
 */
pagetable_t
uvm_create(struct vdso_proc *proc_page, bool loadable)
{
	pagetable_t root = pt_alloc_table();

	if (!root)
		return NULL;
	if (loadable)
		kvm_share(root);        /* not in pt_used, never walked as the user's */
	if (vdso_map(root, proc_page) < 0) {
		uvm_destroy(root);
		return NULL;
	}
	return root;
}

void
uvm_destroy(pagetable_t root)
{
	pt_free_user_half(root);
}

/*
 * Map zeroed pages over [start, end) (page-aligned), superpages where a
 * 2 MiB-aligned stretch fits and a block is free.  On failure nothing of
 * the range stays mapped and -1 is returned.
 */
int
uvm_alloc(struct mm *mm, uint64 start, uint64 end, unsigned prot)
{
	pagetable_t root = mm->pagetable;
	uint64 flags = uvm_pte_flags(prot);
	struct tlb_batch b;
	int r = 0;

	tlb_batch_begin(&b, root);
	for (uint64 va = start; va < end;) {
		int level = 0;
		void *page = NULL;
		/* a 2 MiB-aligned stretch: one superpage if a block is free */
		if (va % LEVEL_SIZE(1) == 0 && end - va >= LEVEL_SIZE(1) &&
		    superpage_slot(mm, va, &b) && (page = kalloc_huge())) {
			memset(page, 0, LEVEL_SIZE(1));
			level = 1;
		} else {
			page = kzalloc();
		}
		if (!page || pt_map(root, va, kva2pa(page), level, flags) < 0) {
			if (page)
				page_put(page);
			uvm_dealloc(root, start, va, &b);
			r = -1;
			break;
		}
		va += LEVEL_SIZE(level);
	}
	tlb_batch_end(&b);
	return r;
}

/*
 * Unmap [start, end) (page-aligned); each page's reference goes through
 * the batch b, released once the caller ends it.  Returns how many pages
 * were mapped there.
 */
uint64
uvm_dealloc(pagetable_t root, uint64 start, uint64 end, struct tlb_batch *b)
{
	if (end <= start)
		return 0;
	return pt_unmap(root, start, (end - start) / PGSIZE, b);
}

/*
 * Map pa at va in the child: at dst, the child's entry, when the caller
 * has it (fork_table keeps the child's level-0 table at hand), else by a
 * walk from the root.
 */
static int
map_child(pagetable_t child, uint64 va, int level, pte_t *dst, uint64 pa, uint64 perm)
{
	if (!dst)
		return pt_map(child, va, pa, level, perm);
	if (*dst & PTE_V)
		panic("uvm_fork: %p already mapped in the child", (void *)va);
	pt_set(dst, pte_make(pa, perm));
	return 0;
}

/* A page of a shared region: the child maps the same page, as it is. */
static int
share_page(pagetable_t child, uint64 va, int level, pte_t *dst, pte_t pte)
{
	if (map_child(child, va, level, dst, pte_pa(pte), pte & PTE_PERM_MASK) < 0)
		return -1;
	page_get(pa2kva(pte_pa(pte)));
	return 0;
}

#if CONFIG_COW
/*
 * Share one parent page with the child.  A page that is writable (or
 * already copy-on-write from an earlier fork) loses W in both tables and
 * gains PTE_COW; a page that was never writable is shared as it is.  The
 * page gains a reference for the child's mapping.  The child's entry
 * starts with A and D clear.  W taken from the parent goes in the batch,
 * which flushes.
 */
static int
fork_page(pagetable_t child, uint64 va, int level, pte_t *dst, pte_t *parent_pte,
	  struct tlb_batch *b)
{
	pte_t pte = *parent_pte;
	uint64 perm = pte & PTE_PERM_MASK;

	if (pte & (PTE_W | PTE_COW)) {
		perm = (perm & ~PTE_W) | PTE_COW;
		if (pte & PTE_W) {
			pt_check_live(parent_pte);
			*parent_pte = (pte & ~PTE_W) | PTE_COW;
			tlb_batch_taken(b, va);
		}
	}
	if (map_child(child, va, level, dst, pte_pa(pte), perm) < 0)
		return -1;
	page_get(pa2kva(pte_pa(pte)));
	return 0;
}
#else
/* Give the child its own copy of page (level 0) at va, from src. */
static int
copy_small(pagetable_t child, uint64 va, pte_t *dst, const void *src, uint64 perm)
{
	void *copy = kalloc();

	if (!copy)
		return -1;
	memcpy(copy, src, PGSIZE);
	if (map_child(child, va, 0, dst, kva2pa(copy), perm) < 0) {
		page_put(copy);
		return -1;
	}
	return 0;
}

/*
 * Give the child its own copy of one parent page; of a superpage, a
 * superpage if a block is free, else its pages one by one.
 */
static int
fork_page(pagetable_t child, uint64 va, int level, pte_t *dst, pte_t *parent_pte,
	  struct tlb_batch *b)
{
	pte_t pte = *parent_pte;
	uint64 perm = pte & PTE_PERM_MASK;
	char *src = pa2kva(pte_pa(pte));

	(void)b;
	if (level == 0)
		return copy_small(child, va, dst, src, perm);
	void *huge = kalloc_huge();
	if (huge) {
		memcpy(huge, src, LEVEL_SIZE(1));
		if (pt_map(child, va, kva2pa(huge), 1, perm) < 0) {
			page_put(huge);
			return -1;
		}
		return 0;
	}
	for (uint64 off = 0; off < LEVEL_SIZE(1); off += PGSIZE)
		if (copy_small(child, va + off, NULL, src + off, perm) < 0)
			return -1;
	return 0;
}
#endif

static int
fork_table(struct mm *parent, pagetable_t parent_table, int level, uint64 base, struct mm *child,
	   struct tlb_batch *b)
{
	int end = level == PT_LEVELS - 1 ? KERNEL_HALF_FIRST : PT_ENTRIES;
	struct region *r = NULL;        /* the region of the last leaf: the next is likely in it */
	pte_t *child_l0 = NULL;         /* level 0: the child's table for these 2 MiB, once made */

	uint64 used = pt_walk_marks(parent_table, end);
	for (int i = 0; (i = pt_next_used(parent_table, used, i, end)) < end; i++) {
		pte_t *pte = &parent_table[i];
		uint64 va = base + (uint64)i * LEVEL_SIZE(level);
		if (!(*pte & PTE_V))
			continue;
		if (!pte_is_leaf(*pte)) {
			if (fork_table(parent, pa2kva(pte_pa(*pte)), level - 1, va, child, b) < 0)
				return -1;
			continue;
		}
		if (level > 1)
			panic("uvm_fork: a 1 GiB user page");
		if (!r || va < r->start || va >= r->end)
			r = mm_find(parent, va);
		if (!r)
			panic("uvm_fork: %p mapped outside any region", (void *)va);
		if (r->kind == REGION_VDSO)
			continue;
		pte_t *dst = NULL;
		if (level == 0) {
			if (!child_l0 && !(child_l0 = pt_walk(child->pagetable, base, 0, true)))
				return -1;
			dst = &child_l0[i];
		}
		int ok = (r->flags & REGION_SHARED) ? share_page(child->pagetable, va, level, dst, *pte)
						    : fork_page(child->pagetable, va, level, dst, pte, b);
		if (ok < 0)
			return -1;
	}
	return 0;
}

/*
 * Give the child (which already has its own vDSO and the parent's
 * regions) the parent's user pages: as they are in shared regions; in
 * private ones, shared copy-on-write with CONFIG_COW, copied without.  The
 * parent must be the running process (its table is loaded here): if its
 * entries lost W, the TLBs are flushed before returning.  On failure the
 * child may hold some pages; the caller destroys it.
 */
int
uvm_fork(struct mm *parent, struct mm *child)
{
	struct tlb_batch b;

	tlb_batch_begin(&b, parent->pagetable);
	int r = fork_table(parent, parent->pagetable, PT_LEVELS - 1, 0, child, &b);
	tlb_batch_end(&b);
	return r;
}

/* Kernel address of the (4 KiB) page mapped at user va, or NULL; inside a superpage too. */
void *
uvm_page(pagetable_t root, uint64 va)
{
	if (va >= USER_TOP)
		return NULL;
	struct pt_slot s = pt_lookup(root, va);
	if (!s.pte || s.level > 1 || !(*s.pte & PTE_U))
		return NULL;
	return pa2kva(pte_pa(*s.pte) + (ROUNDDOWN(va, PGSIZE) & (LEVEL_SIZE(s.level) - 1)));
}

/* The leaf entry that maps user va in root, whatever its level; 0 if none. */
pte_t
uvm_leaf_pte(pagetable_t root, uint64 va)
{
	if (va >= USER_TOP)
		return 0;
	struct pt_slot s = pt_lookup(root, va);
	return s.pte ? *s.pte : 0;
}
