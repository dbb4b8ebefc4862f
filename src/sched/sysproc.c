/* System calls about processes, time, memory and the machine. */
#include "sched/sysproc.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "sched/trap.h"
#include "boot/fdt.h"
#include "dev/power.h"
#include "dev/console.h"
#include "dev/virtio_blk.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "vm/extable.h"
#include "vm/heap.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/pgaccess.h"
#include "vm/uaccess.h"
#include "vm/vdso.h"
#include "vm/mm.h"
#include "vm/uvm.h"
#include "vm/vmprint.h"
#include "vm/vmobj.h"
#include "debug/debugcheck.h"
#include "debug/faultinject.h"
#include "lib/string.h"
#include <canopy/procinfo.h>
#include <canopy/sysinfo.h>

long
sys_fork(void)
{
	return proc_fork();
}

long
sys_exit(void)
{
	proc_exit((int)arg_int(0));
}

long
sys_wait(void)
{
	int r = proc_wait(-1, arg_addr(0), NULL, 0);

	return r < 0 ? -1 : r;
}

long
sys_kill(void)
{
	return proc_kill((int)arg_int(0));
}

__hot_path long
sys_getpid(void)
{
	return myproc()->pid;
}

/*
 * sbrk(n, mode): move the break by n bytes (a full 64-bit n), growing the
 * way mode says (SBRK_*: vm/heap.c); the old break, or -1.
 */
long
sys_sbrk(void)
{
	return heap_sbrk(myproc(), (long)arg_addr(0), (int)arg_int(1));
}

long
sys_sleep(void)
{
	long n = arg_int(0);

	return timer_sleep(n < 0 ? 0 : (uint64)n);
}

__hot_path long
sys_uptime(void)
{
	return (long)timer_ticks();
}

/* vmprint(pid, buf, size): pid 0 is the caller.  Bytes written, or -1. */
long
sys_vmprint(void)
{
	int pid = (int)arg_int(0);
	uint64 buf = arg_addr(1);
	long size = arg_int(2);

	if (size < 0 || !user_range_ok(buf, size))
		return -1;
	return vmprint(pid ? pid : myproc()->pid, buf, (uint64)size);
}

/* pgaccess(addr, npages, mask): see vm/pgaccess.c.  0, or -1 on bad arguments. */
long
sys_pgaccess(void)
{
	return pgaccess(myproc(), arg_addr(0), arg_int(1), arg_addr(2));
}

/* pgpte(va): the leaf entry mapping va in our table, 0 if none (the 2025 page-table lab). */
long
sys_pgpte(void)
{
	return (long)uvm_leaf_pte(myproc()->mm->pagetable, arg_addr(0));
}

/* kpgtbl(): print the kernel's page table on the console. */
long
sys_kpgtbl(void)
{
	kpgtbl_print();
	return 0;
}

/*
 * sysinfo(buf, layout): Canopy's struct sysinfo, or the xv6 syscall lab's
 * (SYSINFO_XV6: free memory in bytes, counting cached pages nothing maps,
 * which an allocation would get back, and processes).  -1 for a bad
 * buffer or layout.
 */
long
sys_sysinfo(void)
{
	struct sysinfo si = { 0 };

	si.free_pages = kalloc_free_pages();
	si.total_pages = kalloc_total_pages();
	si.nproc = proc_count();
	si.ncpu = ncpu;
	for (int i = 0; i < ncpu; i++) {
		si.satp_writes += cpus[i].n_satp_writes;
		si.sfences += cpus[i].n_sfences;
		si.page_faults += cpus[i].n_page_faults;
		si.cow_copies += cpus[i].n_cow_copies;
		si.superpages += cpus[i].n_superpages;
	}
	si.design = vdso_data->design;
	si.cached_pages = vmobj_cached_pages();
	si.available_pages = si.free_pages + vmobj_reclaimable();
	if (arg_int(1) == SYSINFO_XV6) {
		uint64 xv6[2] = { si.available_pages * PGSIZE, si.nproc };
		return copyout(arg_addr(0), xv6, sizeof(xv6));
	}
	if (arg_int(1) != SYSINFO_CANOPY)
		return -1;
	return copyout(arg_addr(0), &si, sizeof(si));
}

/* The user-visible number of a process state (canopy/procinfo.h). */
static int
procinfo_state(enum procstate s)
{
	switch (s) {
	case USED: return PROC_STATE_USED;
	case SLEEPING: return PROC_STATE_SLEEPING;
	case RUNNABLE: return PROC_STATE_RUNNABLE;
	case RUNNING: return PROC_STATE_RUNNING;
	case ZOMBIE: return PROC_STATE_ZOMBIE;
	case UNUSED: break;
	}
	return 0;
}

/*
 * Describe slot p in *pi (zeroed first: no kernel bytes in the padding);
 * false if the slot is unused.  wait_lock guards p->parent, and also the
 * parent's pid: a slot that is someone's parent is freed only by reap(),
 * under wait_lock.  p->lock guards state and pid.  name and rss are read
 * racily (exec renames without a lock; oom.c reads rss the same way).
 */
static bool
procinfo_fill(struct proc *p, struct procinfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	spin_lock(&wait_lock);
	spin_lock(&p->lock);
	bool used = p->state != UNUSED;
	if (used) {
		pi->pid = p->pid;
		pi->ppid = p->parent ? p->parent->pid : 0;
		pi->state = procinfo_state(p->state);
		memcpy(pi->name, p->name, sizeof(pi->name));
		pi->pages = proc_rss(p);
	}
	spin_unlock(&p->lock);
	spin_unlock(&wait_lock);
	pi->name[sizeof(pi->name) - 1] = 0;
	return used;
}

/*
 * procinfo(buf, max): one struct procinfo per process slot in use, the
 * first max of them in slot order.  Returns the number written, or -1 if
 * max < 0 or the buffer is bad.  Each entry is taken under the locks and
 * copied out with none held (the copy may fault); processes may come and
 * go between two entries.
 */
long
sys_procinfo(void)
{
	uint64 buf = arg_addr(0);
	long max = arg_int(1);
	long n = 0;

	if (max < 0 || !user_range_ok(buf, (uint64)max * sizeof(struct procinfo)))
		return -1;
	for (struct proc *p = procs; p < &procs[NPROC] && n < max; p++) {
		struct procinfo pi;
		if (!procinfo_fill(p, &pi))
			continue;
		if (copyout(buf + n * sizeof(pi), &pi, sizeof(pi)) < 0)
			return -1;
		n++;
	}
	return n;
}

long
sys_poweroff(void)
{
	fs_sync();      /* the disk's last writes land before the machine stops */
	fault_report(); /* DEBUG kernels with fault injection: what was failed */
	power_off((int)arg_int(0));
}

/* bootargs(buf, size): the kernel command line (-append), NUL-terminated. */
long
sys_bootargs(void)
{
	uint64 buf = arg_addr(0);
	long size = arg_int(1);
	long len = strlen(platform.bootargs);

	if (size <= len)
		return -1;
	return copyout(buf, platform.bootargs, len + 1) < 0 ? -1 : len;
}

/* selftest(op, arg): see canopy/sysinfo.h.  1 = "it faulted" / true. */
long
sys_selftest(void)
{
	struct proc *p = myproc();
	uint64 stack_top = kstack_top(p->slot);
	uint64 arg = arg_addr(1);
	uint64 commits = 0, ops = 0;

	switch (arg_int(0)) {
	case SELFTEST_KSTACK_GUARD:
		return probe_read(stack_top - KSTACK_SLOT + 64) < 0;
	case SELFTEST_KSTACK_LIVE:
		return probe_read(stack_top - 64) < 0;
	case SELFTEST_SUM_OFF:
		return (csr_read(sstatus) & SSTATUS_SUM) == 0;
	case SELFTEST_USER_DEREF:
		if (arg >= USER_TOP)
			return -1;
		return probe_read(arg) < 0;
	case SELFTEST_MY_SYSCALLS:
		return (long)p->nsyscalls;
	case SELFTEST_SET_ASIDE:
		return (long)kalloc_set_aside(arg, &p->set_aside);
	case SELFTEST_DROP_CACHES:
		return (long)vmobj_reclaim();
	case SELFTEST_COPY_USER: {
#if CONFIG_KPTI
		return -1;      /* no SUM windows: copies walk the table */
#else
		struct selftest_copy c;
		if (copyin(&c, arg, sizeof(c)) < 0)
			return -1;
		return uaccess_selftest_copy(c.dst, c.src, c.n);
#endif
	}
	case SELFTEST_TRAPS_IN_COPY:
	case SELFTEST_SUM_IN_TRAP: {
		uint64 n = 0;
		for (int i = 0; i < ncpu; i++)
			n += arg_int(0) == SELFTEST_TRAPS_IN_COPY ? cpus[i].n_traps_in_copy
								  : cpus[i].n_sum_in_trap;
		return (long)n;
	}
	case SELFTEST_FS_COMMITS:
	case SELFTEST_FS_OPS:
		if (fs_mounted())
			log_stats(&commits, &ops);
		return (long)(arg_int(0) == SELFTEST_FS_COMMITS ? commits : ops);
	case SELFTEST_DISK_INFLIGHT:
		return (long)virtio_blk_max_in_flight();
	case SELFTEST_DEBUG_CHECK:
		if (!strstr(platform.bootargs, "allow_panic_test"))
			return -1;
		return debug_check((long)arg);
	case SELFTEST_PANIC:
		if (!strstr(platform.bootargs, "allow_panic_test"))
			return -1;
		/* the guard page of kernel stack slot 0: never mapped, not in the extable */
		return *(volatile long *)KSTACK_BASE;
	}
	return -1;
}

/* setpgid(pid, pgid): proc_setpgid's rules; 0 or -1. */
long
sys_setpgid(void)
{
	return proc_setpgid((int)arg_int(0), (int)arg_int(1)) < 0 ? -1 : 0;
}

/*
 * tcsetpgrp(pgid): the console's foreground group, which its ^C, ^\ and
 * ^Z signal; 0 for none.  The group it replaces (so a shell can give it
 * back), or -1 if no process of the caller's session is in group pgid.
 */
long
sys_tcsetpgrp(void)
{
	int pgid = (int)arg_int(0), old = console_foreground();

	if (pgid < 0 || (pgid > 0 && !proc_group_in_session(pgid, myproc()->sid)))
		return -1;
	console_set_foreground(pgid, false);    /* Canopy's shell cannot continue a stopped job */
	return old;
}
