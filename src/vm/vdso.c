/*
 * vDSO pages.  VDSO_DATA is one physical page for the whole system: the
 * timer interrupt writes the tick count there and nowhere else, so there is
 * no per-process work to keep it current.  VDSO_PROC is a page of each
 * process's own (pid, ppid).  Both are mapped R|U: a user write faults and
 * kills the writer.  Each mapping holds a page reference, released with
 * the page table.
 */
#include "vm/vdso.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/pagetable.h"
#include "lib/riscv.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include "vm/mm.h"

struct vdso_data *vdso_data;
static void *sigreturn_page;    /* LINUX_SIGRETURN's code, one page for all */

extern const char sigreturn_code[], sigreturn_code_end[];

void
vdso_init(uint64 timebase_hz, uint64 tick_hz, uint64 design)
{
	vdso_data = kzalloc();
	if (!vdso_data)
		panic("vdso_init: out of memory");
	vdso_data->tick_hz = tick_hz;
	vdso_data->timebase_hz = timebase_hz;
	vdso_data->time_at_boot = r_time();
	vdso_data->design = design;
	if (!(sigreturn_page = kzalloc()))
		panic("vdso_init: out of memory");
	memcpy(sigreturn_page, sigreturn_code, (uint64)(sigreturn_code_end - sigreturn_code));
}

static int
map_readonly(pagetable_t root, uint64 va, void *page)
{
	if (pt_map(root, va, kva2pa(page), 0, PTE_R | PTE_U) < 0)
		return -1;
	page_get(page);
	return 0;
}

/* Map both pages into a new user address space; -1 if out of memory. */
int
vdso_map(pagetable_t root, struct vdso_proc *proc_page)
{
	if (map_readonly(root, VDSO_DATA, vdso_data) < 0)
		return -1;
	return map_readonly(root, VDSO_PROC, proc_page);
}

/*
 * Map the signal return code at LINUX_SIGRETURN (read and execute), as a
 * vDSO region of mm: a Linux program's handlers return there
 * (sched/signal.c).  -1 if out of memory.
 */
int
vdso_map_sigreturn(struct mm *mm)
{
	struct region r = { LINUX_SIGRETURN, LINUX_SIGRETURN + PGSIZE, PROT_READ | PROT_EXEC, 0,
			    REGION_VDSO, NULL, 0 };

	if (pt_map(mm->pagetable, LINUX_SIGRETURN, kva2pa(sigreturn_page), 0, PTE_R | PTE_X | PTE_U) < 0)
		return -1;
	page_get(sigreturn_page);
	return mm_add(mm, &r);
}
