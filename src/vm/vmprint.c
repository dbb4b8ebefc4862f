/*
 * vmprint: a process's page table as text, streamed into a user buffer.
 *
 *   pid 4 (vmprint) root 0x0000000087f4e000
 *   kernel half: 4 of 256 root entries in use, same as the kernel root: yes
 *    k256 table 0x0000000087ffd000
 *    ...
 *   user half:
 *    [0] table 0x0000000087f4d000
 *     .[0] table 0x0000000087f4c000
 *     ..[16] va 0x0000010000 pa 0x0000000087f45000 VR-XU-A--
 *
 * The kernel half is summarised: its root entries point at the kernel's
 * own tables, listed once.  With KPTI the one entry a user table has is
 * its own (the trampoline and trapframe) and is printed in full:
 *
 *   kernel half: 1 of 256 root entries in use, same as the kernel root: no (KPTI: ...)
 *    k511 table 0x0000000087f7b000 (this table's own)
 *     .[511] table 0x0000000087f7a000
 *     ..[510] va 0xffffffffffffe000 pa 0x0000000087f79000 VRW---AD-
 *     ..[511] va 0xfffffffffffff000 pa 0x0000000080205000 VR-X-GA--
  Leaf flags are the letters V R W X U G A D C
 * (C = copy-on-write), '-' where the bit is clear.
 */
#include "vm/vmprint.h"
#include "vm/aspace.h"
#include "vm/kalloc.h"
#include "vm/page.h"
#include "vm/kernel_layout.h"
#include "vm/mm.h"
#include "vm/vmobj.h"
#include "vm/pte.h"
#include "vm/uaccess.h"
#include "sched/proc.h"
#include "dev/console.h"
#include "debug/kprintf.h"
#include "lib/string.h"

/* Bits 63..39 of every upper-half address (Sv39 sign extension). */
#define KERNEL_VA_BASE _UL(0xffffff8000000000)

struct writer {
	char *buf;          /* one kernel page */
	uint64 len;
	bool console;       /* to the console (kpgtbl), not a user buffer */
	uint64 dst;         /* next user address */
	uint64 left;        /* room left in the user buffer */
	long total;
	bool failed;
};

static void
flush(struct writer *w)
{
	uint64 n = w->len < w->left ? w->len : w->left;

	if (w->console) {
		console_write_kernel(w->buf, (int)w->len);
	} else if (!w->failed && n > 0) {
		if (copyout(w->dst, w->buf, n) < 0)
			w->failed = true;
		w->dst += n;
		w->left -= n;
		w->total += n;
	}
	w->len = 0;
}

static void __attribute__((format(printf, 2, 3)))
emit(struct writer *w, const char *fmt, ...)
{
	va_list ap;

	if (w->len > PGSIZE - 200)
		flush(w);
	va_start(ap, fmt);
	int n = vsnprintf(w->buf + w->len, PGSIZE - w->len, fmt, ap);
	va_end(ap);
	w->len += n;
}

static void
flags_string(pte_t pte, char out[10])
{
	const char *letters = "VRWXUGADC";
	for (int i = 0; i < 9; i++)
		out[i] = (pte & (1UL << i)) ? letters[i] : '-';
	out[9] = 0;
}

static void
print_table(struct writer *w, pagetable_t table, int level, uint64 base)
{
	static const char *indent[] = { "..", ".", "" };

	for (int i = 0; i < PT_ENTRIES; i++) {
		/* the owner may be adding entries meanwhile: see pt_walk */
		pte_t pte = __atomic_load_n(&table[i], __ATOMIC_ACQUIRE);
		uint64 va = base + (uint64)i * LEVEL_SIZE(level);
		if (!(pte & PTE_V))
			continue;
		if (level == PT_LEVELS - 1 && i >= KERNEL_HALF_FIRST)
			break;
		if (pte_is_leaf(pte)) {
			/* a leaf is printed, never followed: device registers are leaves too */
			char f[10];
			flags_string(pte, f);
			emit(w, " %s[%d] va 0x%010lx pa %p %s%s\n", indent[level], i, va,
			     (void *)pte_pa(pte), f, level == 1 ? " 2M" : level == 2 ? " 1G" : "");
		} else if (level == 0 || !page_is_ram(pte_pa(pte))) {
			emit(w, " %s[%d] bad pte %p\n", indent[level], i, (void *)pte);
		} else {
			emit(w, " %s[%d] table %p\n", indent[level], i, (void *)pte_pa(pte));
			print_table(w, pa2kva(pte_pa(pte)), level - 1, va);
		}
	}
}

/*
 * The regions, one a line: range, permissions, shared or private, what
 * backs it, and its kind:
 *
 *   regions:
 *    0x0000010000-0x0000013000 r-x private      text
 *    0x2000000000-0x2000004000 rw- shared  file mmap (inode 23, page 0)
 */
static void
print_regions(struct writer *w, struct mm *mm)
{
	emit(w, "regions:\n");
	for (int i = 0; i < mm->nregions; i++) {
		struct region *r = &mm->regions[i];
		char backing[48] = "";
		if (r->obj)
			vmobj_describe(r->obj, r->pgoff, backing, sizeof(backing));
		emit(w, " 0x%010lx-0x%010lx %c%c%c %-7s %s%s\n", r->start, r->end,
		     (r->prot & PROT_READ) ? 'r' : '-', (r->prot & PROT_WRITE) ? 'w' : '-',
		     (r->prot & PROT_EXEC) ? 'x' : '-',
		     (r->flags & REGION_SHARED) ? "shared" : "private", region_kind_name(r->kind),
		     backing);
	}
}

/*
 * The kernel half: a summary line, then each root entry in use.  Entries
 * that are the kernel's own (the shared design) are listed, not expanded;
 * any other (with KPTI, the trap entry area) is printed in full.
 */
static void
print_kernel_half(struct writer *w, pagetable_t root)
{
	int used = 0;
	bool same = true;

	for (int i = KERNEL_HALF_FIRST; i < PT_ENTRIES; i++) {
		used += (root[i] & PTE_V) != 0;
		same = same && root[i] == kernel_root[i];
	}
	emit(w, "kernel half: %d of %d root entries in use, same as the kernel root: %s%s\n",
	     used, PT_ENTRIES - KERNEL_HALF_FIRST, same ? "yes" : "no",
	     CONFIG_KPTI ? " (KPTI: the trap entry area only)" : "");
	for (int i = KERNEL_HALF_FIRST; i < PT_ENTRIES; i++) {
		if (!(root[i] & PTE_V))
			continue;
		bool shared = root[i] == kernel_root[i];
		emit(w, " k%d %s %p%s\n", i, pte_is_leaf(root[i]) ? "leaf" : "table",
		     (void *)pte_pa(root[i]), shared ? "" : " (this table's own)");
		if (!shared && !pte_is_leaf(root[i]))
			print_table(w, pa2kva(pte_pa(root[i])), PT_LEVELS - 2,
				    KERNEL_VA_BASE | (uint64)i << (PGSHIFT + 9 * (PT_LEVELS - 1)));
	}
}

/*
 * Hold p's table still for reading: p's vm_lock (exec and exit replace
 * and free the table under it), then check, under p->lock, that the slot
 * still holds pid, fully created and not exited.  False (nothing held) if
 * not.  Copies to our own buffer must not wait for memory meanwhile
 * (copy_nowait): the process they would wait for could be p, which needs
 * its vm_lock to give its memory back.
 */
static bool
hold_table(struct proc *me, struct proc *p, int pid, char name[PROC_NAME_LEN])
{
	sleep_lock(&p->vm_lock);
	spin_lock(&p->lock);
	bool ok = p->pid == pid && p->mm &&
		  (p->state == RUNNABLE || p->state == RUNNING || p->state == SLEEPING);
	strlcpy(name, p->name, PROC_NAME_LEN);
	spin_unlock(&p->lock);
	if (!ok) {
		sleep_unlock(&p->vm_lock);
		return false;
	}
	me->copy_nowait++;
	mm_reader_enter(p->mm);
	return true;
}

/*
 * Print pid's page table into [user_buf, user_buf+size).  Returns the
 * bytes written (the text is cut at size), or -1 for no such process or a
 * bad buffer.
 */
long
vmprint(int pid, uint64 user_buf, uint64 size)
{
	struct proc *me = myproc();
	struct proc *p = pid == me->pid ? me : proc_find(pid);
	struct writer w = { .dst = user_buf, .left = size };
	char name[PROC_NAME_LEN];

	if (!p || !(w.buf = kalloc()))
		return -1;
	if (p == me) {
		strlcpy(name, me->name, sizeof(name));
	} else if (!hold_table(me, p, pid, name)) {
		page_put(w.buf);
		return -1;
	}
	pagetable_t root = p->mm->pagetable;
	emit(&w, "pid %d (%s) root %p\n", pid, name, (void *)kva2pa(root));
	print_regions(&w, p->mm);
	print_kernel_half(&w, root);
	emit(&w, "user half:\n");
	print_table(&w, root, PT_LEVELS - 1, 0);
	flush(&w);
	if (p != me) {
		mm_reader_exit(p->mm);
		me->copy_nowait--;
		sleep_unlock(&p->vm_lock);
	}
	page_put(w.buf);
	return w.failed ? -1 : w.total;
}

/*
 * kpgtbl(): the kernel's own table, on the console, in vmprint's format:
 * each root entry of the kernel half (kN), then the tables below it.
 */
void
kpgtbl_print(void)
{
	struct writer w = { .console = true, .left = ~0UL };

	if (!(w.buf = kalloc()))
		return;
	emit(&w, "kernel page table: root %p\n", (void *)kva2pa(kernel_root));
	for (int i = KERNEL_HALF_FIRST; i < PT_ENTRIES; i++) {
		pte_t pte = kernel_root[i];
		uint64 va = KERNEL_VA_BASE | (uint64)i << (PGSHIFT + 9 * (PT_LEVELS - 1));
		char f[10];
		if (!(pte & PTE_V))
			continue;
		if (pte_is_leaf(pte)) {
			flags_string(pte, f);
			emit(&w, " k%d va %p pa %p %s\n", i, (void *)va, (void *)pte_pa(pte), f);
		} else {
			emit(&w, " k%d table %p\n", i, (void *)pte_pa(pte));
			print_table(&w, pa2kva(pte_pa(pte)), PT_LEVELS - 2, va);
		}
	}
	flush(&w);
	page_put(w.buf);
}
