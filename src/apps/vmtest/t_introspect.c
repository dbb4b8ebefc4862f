/*
 * pgaccess (accessed bits, read and cleared) and vmprint (the page table
 * as text): checked against what the test did, not just that they ran.
 */
#include "vmtest.h"

static uint64_t
access_mask(void *base, int npages)
{
	uint64_t m = ~0UL;
	expect(pgaccess(base, npages, &m) == 0, "pgaccess(%p, %d) failed", base, npages);
	return m;
}

static void
pgaccess_reports_touched_pages(void)
{
	volatile char *h = sbrk_pages(64);

	for (int i = 0; i < 64; i++)
		h[i * PGSIZE] = 1;          /* all mapped now, all accessed */
	uint64_t all = access_mask((char *)h, 64);
	/*
	 * Touch again at once: the TLB still holds these pages, so they are
	 * seen only if clearing A flushed it.
	 */
	h[1 * PGSIZE + 5] = 2;
	h[2 * PGSIZE] = 3;
	(void)h[30 * PGSIZE + 4000];    /* a read counts too */
	h[63 * PGSIZE] = 4;
	uint64_t got = access_mask((char *)h, 64);
	uint64_t again = access_mask((char *)h, 64);
	uint64_t want = 1UL << 1 | 1UL << 2 | 1UL << 30 | 1UL << 63;
	expect(all == ~0UL, "all 64 touched pages: mask %#lx", (unsigned long)all);
	expect(got == want, "mask %#lx, want %#lx", (unsigned long)got, (unsigned long)want);
	expect(again == 0, "bits not cleared after the report: %#lx", (unsigned long)again);

	/* fewer pages, from an unaligned address inside page 3: pages 3.. */
	h[5 * PGSIZE] = 1;
	got = access_mask((char *)h + 3 * PGSIZE + 123, 4);
	expect(got == 1UL << 2, "4 pages from page 3: mask %#lx, want %#lx", (unsigned long)got,
	       1UL << 2);
}

static void
pgaccess_lazy_and_kernel_copies(void)
{
	char *h = sbrk_pages(16);
	int p[2];

	expect(pipe(p) == 0, "pipe");
	access_mask(h, 16);
	expect(access_mask(h, 16) == 0, "untouched pages reported accessed");
	/* the kernel's copies count as accesses */
	expect(write(p[1], "hello", 5) == 5 && read(p[0], h + 7 * PGSIZE, 5) == 5, "read");
	expect(write(p[1], h + 9 * PGSIZE, 3) == 3 && read(p[0], h, 3) == 3, "write");
	uint64_t want = 1UL << 7 | 1UL << 9 | 1UL << 0;
	uint64_t got = access_mask(h, 16);
	expect(got == want, "after read() into page 7 and write() from page 9, read() into 0: "
	       "mask %#lx, want %#lx", (unsigned long)got, (unsigned long)want);
}

/* The lab's test: an unaligned malloc'd buffer, a 32-bit mask. */
static void
pgaccess_xv6_lab(void)
{
	char *buf = malloc(32 * PGSIZE);
	uint32_t words[2] = { 0, 0xdeadbeef };

	expect(buf != NULL, "malloc");
	expect(__sys_pgaccess(buf, 32, (uint64_t *)words) == 0, "first pgaccess");
	buf[PGSIZE * 1] += 1;
	buf[PGSIZE * 2] += 1;
	buf[PGSIZE * 30] += 1;
	expect(__sys_pgaccess(buf, 32, (uint64_t *)words) == 0, "second pgaccess");
	expect(words[0] == (1u << 1 | 1u << 2 | 1u << 30), "mask %#x, want %#x", words[0],
	       1u << 1 | 1u << 2 | 1u << 30);
	expect(words[1] == 0xdeadbeef, "a 32-page mask wrote beyond 32 bits: %#x", words[1]);
	free(buf);
}

static void
pgaccess_bad_arguments(void)
{
	char *h = sbrk_pages(2);
	uint64_t m = 12345;
	h[0] = 1;

	expect(__sys_pgaccess(h, 0, &m) == -1, "0 pages accepted");
	expect(__sys_pgaccess(h, -1, &m) == -1, "-1 pages accepted");
	expect(__sys_pgaccess(h, 65, &m) == -1, "65 pages accepted");
	expect(__sys_pgaccess((void *)0xffffffc000000000UL, 1, &m) == -1, "kernel address accepted");
	expect(__sys_pgaccess((void *)(USER_TOP - PGSIZE), 2, &m) == -1,
	       "range across USER_TOP accepted");
	expect(__sys_pgaccess((void *)-1L, 1, &m) == -1, "address -1 accepted");
	expect(__sys_pgaccess(h, 1, NULL) == -1, "null mask accepted");
	expect(__sys_pgaccess(h, 1, (uint64_t *)0xffffffff80200000UL) == -1, "kernel mask accepted");
	expect(__sys_pgaccess(h, 1, (uint64_t *)VDSO_DATA) == -1, "read-only mask accepted");
	expect(m == 12345, "a failed pgaccess wrote the mask");
	/* unmapped pages in range are not an error: they read as not accessed */
	expect(__sys_pgaccess((void *)0x2000000000UL, 64, &m) == 0 && m == 0,
	       "64 unmapped pages: mask %#lx, want 0", (unsigned long)m);
}

static void
vmprint_format(void)
{
	const char *t = vmprint_text(0);
	char flags[10], head[64];
	uint64_t pa;
	int kernel_entries = 0;

	snprintf(head, sizeof(head), "pid %d (vmtest) root 0x", getpid());
	expect(strncmp(t, head, strlen(head)) == 0, "first line: want \"%s...\"", head);
	const char *k = strstr(t, "kernel half: ");
	expect(k && sscanf(k, "kernel half: %d of 256 root entries in use", &kernel_entries) == 1,
	       "no kernel-half summary line");
	if (vdso()->design & DESIGN_KPTI)   /* its own entry: trampoline and trapframe only */
		expect(kernel_entries == 1 && strstr(k, "same as the kernel root: no (KPTI"),
		       "KPTI: kernel half should be one entry of the table's own");
	else
		expect(strstr(k, "same as the kernel root: yes\n"), "kernel half not the kernel's");
	const char *user = strstr(t, "\nuser half:\n");
	expect(user, "no user half");
	int listed = 0;
	for (const char *s = strstr(k, "\n k"); s && s < user; s = strstr(s + 1, "\n k"))
		listed++;
	/* one root entry per GiB of the direct map, and a few more (devices, stacks, image) */
	int gib = (int)((info().total_pages * 4096) >> 30);
	expect(listed == kernel_entries && kernel_entries > 0 && kernel_entries < gib + 8,
	       "kernel half: %d entries said, %d listed; want a short summary", kernel_entries, listed);
	int lines = 0;
	for (const char *s = t; *s; s++)
		lines += *s == '\n';
	expect(lines < 250, "%d lines for a small process", lines);

	/* text at 0x10000: root index 0, level-1 index 0, leaf index 16 */
	expect(strstr(user, "\n [0] table 0x") && strstr(user, "\n .[0] table 0x"),
	       "no tables on the way to the text");
	expect(strstr(user, "\n ..[16] va 0x0000010000 pa 0x"), "no text leaf ..[16] at 0x10000");
	expect(vm_leaf(t, USER_TEXT_BASE, flags, &pa) && !strncmp(flags, "VR-XU-A", 7),
	       "text flags %s, want VR-XU-A..", flags);
	expect(vm_leaf(t, VDSO_DATA, flags, &pa) && !strncmp(flags, "VR--U-", 6) && flags[8] == '-',
	       "vDSO data flags %s", flags);
	expect(vm_leaf(t, VDSO_PROC, flags, &pa) && !strncmp(flags, "VR--U-", 6),
	       "vDSO proc flags %s", flags);
	char want[80];
	snprintf(want, sizeof(want), "\n [255] table 0x");
	expect(strstr(user, want), "no root entry 255 (stack, vDSO)");
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	int stack = vm_count_leaves(t, USER_STACK_BOTTOM, USER_STACK_TOP);
	expect(stack >= (int)((USER_STACK_TOP - (sp & ~(uintptr_t)(PGSIZE - 1))) / PGSIZE) &&
	       stack <= USER_STACK_PAGES, "%d stack pages mapped: fewer than sp uses, or more than %d",
	       stack, USER_STACK_PAGES);
	expect(vm_count_leaves(t, USER_STACK_GUARD, USER_STACK_BOTTOM) == 0, "guard page mapped");
}

static void
vmprint_lazy_leaf_appears(void)
{
	char *h = sbrk_pages(1);
	char flags[10];
	uint64_t pa;
	bool there = vm_leaf(vmprint_text(0), (uintptr_t)h, flags, &pa);

	if (lazy())
		expect(!there, "untouched lazy page already mapped (%s)", flags);
	else
		expect(there && !strcmp(flags, "VRW-U----"), "eager page flags %s, want VRW-U----",
		       there ? flags : "(none)");
	h[10] = 1;
	expect(vm_leaf(vmprint_text(0), (uintptr_t)h, flags, &pa), "no leaf after the touch");
	expect(!strcmp(flags, "VRW-U-AD-"), "touched heap page flags %s, want VRW-U-AD-", flags);
	expect(pa >= 0x80000000UL, "pa %#lx is not RAM", (unsigned long)pa);
	expect(sbrk(-PGSIZE) != (void *)-1, "shrink");
	expect(!vm_leaf(vmprint_text(0), (uintptr_t)h, flags, &pa), "leaf still there after sbrk(-n)");
}

static void
vmprint_cow_flags(void)
{
	char *h = sbrk_pages(1);
	char fl[10], child_fl[10];
	uint64_t pa0, pa1, child_pa;
	int go[2];

	h[0] = 1;
	expect(pipe(go) == 0, "pipe");
	expect(vm_leaf(vmprint_text(0), (uintptr_t)h, fl, &pa0) && !strcmp(fl, "VRW-U-AD-"),
	       "before fork: %s", fl);
	int pid = fork();
	if (pid == 0) {
		char c;
		read(go[0], &c, 1);
		exit(h[0] == 1 ? 0 : 1);
	}
	expect(vm_leaf(vmprint_text(0), (uintptr_t)h, fl, &pa1), "parent leaf after fork");
	expect(vm_leaf(vmprint_text(pid), (uintptr_t)h, child_fl, &child_pa), "child leaf");
	if (cow()) {
		expect(!strcmp(fl, "VR--U-ADC") && pa1 == pa0, "parent after fork: %s pa %#lx, "
		       "want VR--U-ADC at %#lx", fl, (unsigned long)pa1, (unsigned long)pa0);
		expect(!strcmp(child_fl, "VR--U---C") && child_pa == pa0,
		       "child after fork: %s pa %#lx, want VR--U---C at %#lx", child_fl,
		       (unsigned long)child_pa, (unsigned long)pa0);
	} else {
		expect(!strcmp(fl, "VRW-U-AD-") && pa1 == pa0, "parent after copying fork: %s", fl);
		expect(!strncmp(child_fl, "VRW-U", 5) && child_pa != pa0, "child after copying fork: "
		       "%s pa %#lx", child_fl, (unsigned long)child_pa);
	}
	h[0] = 2;
	expect(vm_leaf(vmprint_text(0), (uintptr_t)h, fl, &pa1), "parent leaf after write");
	expect(!strcmp(fl, "VRW-U-AD-"), "after the write: %s, want VRW-U-AD-", fl);
	if (cow())
		expect(pa1 != pa0, "a write to a shared page did not copy it");
	uint64_t child_pa_before = child_pa;
	expect(vm_leaf(vmprint_text(pid), (uintptr_t)h, child_fl, &child_pa) &&
	       child_pa == child_pa_before && child_fl[2] == (cow() ? '-' : 'W'),
	       "child after the parent's write: %s pa %#lx (was %#lx)", child_fl,
	       (unsigned long)child_pa, (unsigned long)child_pa_before);
	write(go[1], "g", 1);
	expect(wait_for(pid) == 0, "child saw the parent's write");
}

static void
vmprint_bad_arguments(void)
{
	char small[40];

	expect(vmprint(999999, small, sizeof(small)) == -1, "vmprint of no such pid succeeded");
	expect(vmprint(0, small, sizeof(small)) == sizeof(small), "a short buffer: not cut at its size");
	expect(strncmp(small, "pid ", 4) == 0, "cut output does not start the same");
	expect(__sys_vmprint(0, (char *)0xffffffc000000000UL, 100) == -1, "kernel buffer accepted");
	expect(__sys_vmprint(0, (char *)VDSO_DATA, 100) == -1, "read-only buffer accepted");
}

/*
 * A leaf entry no process can have: the firmware's first page, readable
 * by the user.  A table page freed by exec and reused for data full of
 * these would show them to a vmprint still walking it.
 */
#define FORGED_PTE      ((0x80000000UL >> 12) << 10 | 0x13)
#define FORGED_TEXT     " pa 0x0000000080000000 "
#define FORGE_PAGES     4096    /* a big table: a long walk */
#define FORGE_FULL      32      /* the first pages touched reuse the freed tables */

int
forge_and_exec(int more)
{
	uint64_t *p = (uint64_t *)sbrk(FORGE_PAGES * PGSIZE);
	char num[16];

	if (p == (uint64_t *)-1)
		return 97;
	for (long i = 0; i < FORGE_FULL * (PGSIZE / 8); i++)
		p[i] = FORGED_PTE;
	for (long i = FORGE_FULL; i < FORGE_PAGES; i++)
		p[i * (PGSIZE / 8)] = FORGED_PTE;
	if (more <= 0)
		return 0;
	snprintf(num, sizeof(num), "%d", more - 1);
	char *argv[] = { "vmtest", "--forge", num, NULL };
	exec("vmtest", argv);
	return 98;
}

static char race_buf[320 * 1024];

/* vmprint pid until it has exited; the walks made, or -1 on a forged line. */
static int
walk_until_exit(int pid)
{
	int walks = 0;

	for (;;) {
		long n = vmprint(pid, race_buf, sizeof(race_buf) - 1);
		if (n < 0)
			return walks;   /* it has exited */
		race_buf[n] = 0;
		if (strstr(race_buf, FORGED_TEXT))
			return -1;
		walks++;
	}
}

/*
 * vmprint of a process that keeps exec'ing itself (freeing a big table
 * each time and filling the pages it gets next with forged entries) must
 * only ever print the target's real tables.  Two walkers, so that on
 * three harts one is nearly always inside a walk when exec frees.
 */
static void
vmprint_never_walks_freed_tables(void)
{
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "vmtest", "--forge", "100", NULL };
		exec("vmtest", argv);
		exit(99);
	}
	expect(pid > 0, "fork failed");
	int helper = fork();
	if (helper == 0)
		exit(walk_until_exit(pid) < 0 ? 1 : 0);
	int walks = walk_until_exit(pid);
	expect(walks >= 0, "vmprint of pid %d printed a forged entry (a freed table)", pid);
	expect(wait_for(helper) == 0, "the second walker saw a forged entry (a freed table)");
	expect(wait_for(pid) == 0, "the exec'ing child failed");
	expect(walks > 0, "never walked the child's table");
}

const struct test tests_introspect[] = {
	{ "vmprint_never_walks_freed_tables", vmprint_never_walks_freed_tables },
	{ "pgaccess_reports_touched_pages", pgaccess_reports_touched_pages },
	{ "pgaccess_lazy_and_kernel_copies", pgaccess_lazy_and_kernel_copies },
	{ "pgaccess_xv6_lab", pgaccess_xv6_lab },
	{ "pgaccess_bad_arguments", pgaccess_bad_arguments },
	{ "vmprint_format", vmprint_format },
	{ "vmprint_lazy_leaf_appears", vmprint_lazy_leaf_appears },
	{ "vmprint_cow_flags", vmprint_cow_flags },
	{ "vmprint_bad_arguments", vmprint_bad_arguments },
	{ NULL, NULL },
};
