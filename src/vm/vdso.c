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
#include "vdso_offsets.h"     /* generated: build/vdso */

struct vdso_data *vdso_data;
static void *linux_vdso;        /* the vDSO image of Linux processes (src/vdso), one page for all */

extern const char vdso_image[], vdso_image_end[];     /* build/vdso/vdso_image.S */
STATIC_ASSERT(VDSO_IMAGE_SIZE <= PGSIZE);

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
	if (!(linux_vdso = kzalloc()))
		panic("vdso_init: out of memory");
	memcpy(linux_vdso, vdso_image, (uint64)(vdso_image_end - vdso_image));
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
 * Map the vDSO image at LINUX_VDSO (read and execute), as a vDSO region
 * of mm: a Linux program's clock calls run there, and its signal
 * handlers return there (sched/signal.c).  -1 if out of memory.
 */
int
vdso_map_linux(struct mm *mm)
{
	struct region r = { LINUX_VDSO, LINUX_VDSO + PGSIZE, PROT_READ | PROT_EXEC, 0,
			    REGION_VDSO, NULL, 0 };

	if (pt_map(mm->pagetable, LINUX_VDSO, kva2pa(linux_vdso), 0, PTE_R | PTE_X | PTE_U) < 0)
		return -1;
	page_get(linux_vdso);
	return mm_add(mm, &r);
}
