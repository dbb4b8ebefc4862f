/*
 * Kernel page-table isolation (KPTI=1, the classic design): the kernel
 * runs on its own table, kernel_root, and a user table maps nothing of the
 * kernel but the trap entry area (layout in vm/kernel_layout.h):
 *
 *   TRAMPOLINE   the trampoline page (sched/trampoline.S), R-X, global:
 *                the same page at the same address in every table
 *   TRAPFRAME    this process's trapframe, RW-, not global
 *
 * Both sit under root entry 511.  Each process slot owns the two tables
 * below that entry (built at boot, reused by every process of the slot),
 * so a user table needs just its root entry 511 pointed at them, and
 * tearing a user table down frees nothing here.  The kernel's own entry 511
 * maps only the trampoline.
 *
 * satp is written only by the trampoline, twice per trap (with an
 * sfence.vma each); the kernel never loads a user table.  The counters in
 * struct cpu count those writes, as as_activate() counts its own.
 */
#include "vm/aspace.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/pagetable.h"
#include "vm/mm.h"
#include "sched/proc.h"
#include "sched/trap.h"
#include "debug/kprintf.h"
#include "lib/string.h"

#define ENTRY_ROOT_INDEX VPN(TRAMPOLINE, 2)

STATIC_ASSERT(VPN(TRAPFRAME, 2) == VPN(TRAMPOLINE, 2));
STATIC_ASSERT(sizeof(struct trapframe) <= PGSIZE);

extern char trampoline[];

/* Per slot: root entry 511 of its processes' tables, and its trapframe page. */
static pte_t entry_root_pte[NPROC];
static struct trapframe *trapframes[NPROC];

/* The trampoline: readable (it holds a literal) and executable, kernel only. */
#define TRAMPOLINE_PTE_FLAGS (PTE_R | PTE_X | PTE_G | PTE_A)
/* A trapframe: read and written by the trampoline only; one per process, so not global. */
#define TRAPFRAME_PTE_FLAGS  (PTE_R | PTE_W | PTE_A | PTE_D)

/* ---------------------------------------------------------------- boot only */

/*
 * Map the trampoline into the kernel's table and build each slot's entry
 * tables and trapframe.  Runs once, from kvm_init(), before any process.
 */
void
kpti_init(void)
{
	if (kernel_root[ENTRY_ROOT_INDEX])
		panic("kpti_init: root entry %d is in use by the kernel", (int)ENTRY_ROOT_INDEX);
	if (pt_map(kernel_root, TRAMPOLINE, kva2pa(trampoline), 0, TRAMPOLINE_PTE_FLAGS) < 0)
		panic("kpti_init: out of memory");

	for (int slot = 0; slot < NPROC; slot++) {
		/* build under a scratch root, keep its entry 511 */
		pagetable_t scratch = pt_alloc_table();
		struct trapframe *tf = kzalloc();
		if (!scratch || !tf ||
		    pt_map(scratch, TRAMPOLINE, kva2pa(trampoline), 0, TRAMPOLINE_PTE_FLAGS) < 0 ||
		    pt_map(scratch, TRAPFRAME, kva2pa(tf), 0, TRAPFRAME_PTE_FLAGS) < 0)
			panic("kpti_init: out of memory");
		entry_root_pte[slot] = scratch[ENTRY_ROOT_INDEX];
		trapframes[slot] = tf;
		page_put(scratch);
	}
}

/* ---------------------------------------------------------------- run time */

/* The trapframe page of a process slot (kernel address). */
struct trapframe *
kpti_trapframe(int slot)
{
	return trapframes[slot];
}

/*
 * Ready p to return to user mode: give its table the slot's entry area
 * (idempotent: exec and fork make new tables), fill in what the
 * trampoline's next entry needs, count the satp write and sfence.vma the
 * trampoline is about to make, and return the satp to load.  Interrupts off.
 */
uint64
kpti_prepare_return(struct proc *p)
{
	struct cpu *c = mycpu();
	struct trapframe *tf = p->tf;

	p->mm->pagetable[ENTRY_ROOT_INDEX] = entry_root_pte[p->slot];
	tf->ksatp = MAKE_SATP(kva2pa(kernel_root));
	tf->ksp = proc_kstack_start(p);
	tf->ktrap = (uint64)user_trap;
	tf->ktf = (uint64)tf;
	c->n_satp_writes++;
	c->n_sfences++;
	return MAKE_SATP(kva2pa(p->mm->pagetable));
}

/* The trampoline has switched to the kernel's table: count it.  Interrupts off. */
void
kpti_count_entry(void)
{
	struct cpu *c = mycpu();

	c->n_satp_writes++;
	c->n_sfences++;
}
