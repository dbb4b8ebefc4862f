/*
 * exec: replace the current process's program.  The new address space is
 * built completely beside the old one (segments, stack, arguments); only
 * when nothing can fail any more does the process switch to it and free
 * the old one.  A failed exec leaves the caller as it was.
 *
 * Segments are mapped with their own permissions, never writable and
 * executable at once; bss and the tails of partial pages are zero; the
 * stack sits below the vDSO with an unmapped guard page under it.
 */
#include "sched/exec.h"
#include "sched/elf.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "fs/embedded.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "fs/program.h"
#include "vm/aspace.h"
#include "vm/fault.h"
#include "vm/kalloc.h"
#include "vm/mm.h"
#include "vm/mmap.h"
#include "vm/tlb.h"
#include "vm/vmobj.h"
#include "vm/uaccess.h"
#include "vm/uvm.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include "lib/errno.h"
#include "linux/linux.h"
#include "sched/fpu.h"
#include "sched/signal.h"
#include "vm/vdso.h"
#include "fs/file.h"

#define MAX_PHDRS 16

static int
embedded_read(void *ctx, uint64 off, void *dst, uint64 n)
{
	const struct embedded_app *a = ctx;

	if (off > a->size || n > a->size - off)
		return -1;
	memcpy(dst, a->data + off, n);
	return 0;
}

/*
 * The program path names: a file in the file system if there is one,
 * else (no disk, or no such file) a program built into the kernel; only
 * the latter if builtin_only.  A Linux caller gets only files, as on
 * Linux: a name such as "wc" that is no file in its directory must fail
 * with ENOENT (busybox's sh tries it so before a PATH search), not run
 * Canopy's wc.  0, or the file system's -errno (-ENOENT, -EACCES for
 * what is no regular file).
 */
static int
find_program(const char *path, bool builtin_only, struct exec_source *src)
{
	int err = builtin_only ? -ENOENT : fs_program(path, src);

	if (err == 0 || (!builtin_only && myproc()->abi == ABI_LINUX))
		return err;
	const struct embedded_app *a = embedded_find(path);
	if (!a)
		return err;
	src->read = embedded_read;
	src->done = NULL;
	src->ctx = (void *)a;
	src->size = a->size;
	src->ip = NULL;
	src->obj = NULL;
	return 0;
}

/*
 * Fill [va, va+n) of the not-yet-active table root, from a kernel buffer
 * (buf) or from the program (src at off).  The pages must be mapped.
 */
int
exec_fill_user(pagetable_t root, uint64 va, const void *buf, struct exec_source *src,
	       uint64 off, uint64 n)
{
	while (n > 0) {
		uint8 *page = uvm_page(root, ROUNDDOWN(va, PGSIZE));
		uint64 in_page = PGSIZE - (va % PGSIZE);
		uint64 m = n < in_page ? n : in_page;
		if (!page)
			return -1;
		if (buf) {
			memcpy(page + va % PGSIZE, buf, m);
			buf = (const uint8 *)buf + m;
		} else if (src->read(src->ctx, off, page + va % PGSIZE, m) < 0) {
			return -1;
		}
		va += m;
		off += m;
		n -= m;
	}
	return 0;
}

static bool
header_ok(const struct elf_header *eh)
{
	return eh->magic == ELF_MAGIC && eh->class == ELFCLASS64 &&
	       eh->data == ELFDATA2LSB && (eh->type == ET_EXEC || eh->type == ET_DYN) &&
	       eh->machine == EM_RISCV && eh->phentsize == sizeof(struct elf_phdr) &&
	       eh->phnum > 0 && eh->phnum <= MAX_PHDRS;
}

/* The region kind a segment's permissions make. */
static int
segment_kind(unsigned prot)
{
	if (prot & PROT_EXEC)
		return REGION_TEXT;
	return (prot & PROT_WRITE) ? REGION_DATA : REGION_RODATA;
}

/*
 * The part of a segment that maps the program file's page cache:
 * [start, file_end), the pages lying wholly inside its file bytes (all
 * of a read-only segment's pages), when the program is a file and the
 * segment's offset and address agree within a page.  file_end == start
 * when none does.
 */
static uint64
file_backed_end(struct exec_source *src, const struct elf_phdr *ph, uint64 start)
{
	uint64 file_end = ROUNDDOWN(ph->vaddr + ph->filesz, PGSIZE);

	/*
	 * A read-only segment with nothing to zero (text, rodata) maps its
	 * last page from the file too, the bytes after the segment included
	 * (the file's own bytes, readable anyway): then no page of program
	 * text is ever a private copy, which QEMU would also have to drop its
	 * translations of when the page is reused (about 7 us a page).
	 */
	if (ph->flags & PF_W)
		return start;   /* data: the process's own copy, made now (see below) */
	if (ph->memsz == ph->filesz)
		file_end = ROUNDUP(ph->vaddr + ph->filesz, PGSIZE);

	if (!src->obj || ph->offset % PGSIZE != ph->vaddr % PGSIZE || file_end <= start)
		return start;
	return file_end;
}

/*
 * Make one PT_LOAD segment regions above *end; advance *end past it.
 * A read-only segment (text, rodata) maps the file's page cache, private:
 * one copy of the program's text for every process running it.  Its pages
 * are all mapped now, and a data segment (data, bss) is the process's own
 * copy, made now: a program takes no page after exec but what it asks
 * for (stock xv6 programs count their free memory across a run).  A
 * segment with no permission at all is a region that maps nothing.
 */
static int
load_segment(struct mm *mm, struct exec_source *src, const struct elf_phdr *seg, uint64 bias,
	     uint64 *end)
{
	struct elf_phdr moved = *seg, *ph = &moved;

	moved.vaddr += bias;
	uint64 start = ROUNDDOWN(ph->vaddr, PGSIZE);
	unsigned prot = 0;

	if (ph->memsz < ph->filesz || ph->memsz > USER_HEAP_LIMIT ||
	    ph->vaddr > USER_HEAP_LIMIT - ph->memsz ||   /* no wrap, below the stack */
	    start < USER_TEXT_BASE || start < *end ||     /* sorted, no overlap */
	    ph->offset > src->size || ph->filesz > src->size - ph->offset)
		return -1;
	if ((ph->flags & PF_W) && (ph->flags & PF_X))
		return -1;
	if (ph->flags & PF_R)
		prot |= PROT_READ;
	if (ph->flags & PF_W)
		prot |= PROT_WRITE;
	if (ph->flags & PF_X)
		prot |= PROT_EXEC;
	uint64 seg_end = ROUNDUP(ph->vaddr + ph->memsz, PGSIZE);
	uint64 file_end = prot ? file_backed_end(src, ph, start) : start;
	struct region r = { start, file_end, prot, 0, segment_kind(prot), NULL,
			    ROUNDDOWN(ph->offset, PGSIZE) / PGSIZE };
	*end = seg_end;
	if (file_end > start) {
		r.obj = src->obj;       /* mm_add takes the region's own reference */
		if (mm_add(mm, &r) < 0 || vm_populate(mm, mm_find(mm, start)) < 0)
			return -1;
	}
	if (file_end == seg_end)
		return 0;
	r = (struct region){ file_end, seg_end, prot, 0, segment_kind(prot), NULL, 0 };
	if (mm_add(mm, &r) < 0)
		return -1;
	if (prot == 0)
		return 0;
	/* the rest of the file bytes, then zeroes (bss), mapped now */
	if (uvm_alloc(mm, file_end, seg_end, prot) < 0)
		return -1;
	mm_rss_add(mm, (long)((seg_end - file_end) / PGSIZE));
	uint64 copy_from = file_end > ph->vaddr ? file_end : ph->vaddr;
	if (copy_from >= ph->vaddr + ph->filesz)
		return 0;
	return exec_fill_user(mm->pagetable, copy_from, NULL, src, ph->offset + (copy_from - ph->vaddr),
			 ph->vaddr + ph->filesz - copy_from);
}

/*
 * A Canopy program's sp: below the argument strings, room for the argv
 * array (argc+1 pointers), 16-byte aligned.  The lowest address exec writes.
 */
static uint64
args_sp(const struct exec_args *a)
{
	return ROUNDDOWN(USER_STACK_TOP - a->arg_len - (a->argc + 1) * sizeof(uint64), 16);
}

/*
 * Lay out argv at the top of a Canopy program's stack: the strings, then
 * the argv array at sp (args_sp).  -1 if a page there is not mapped.
 */
static int
push_args(pagetable_t root, const struct exec_args *a, uint64 sp)
{
	uint64 strings = USER_STACK_TOP - a->arg_len, off = 0;

	if (exec_args_copyout(root, a, 0, a->arg_len, strings) < 0)
		return -1;
	return exec_args_vector(root, a, &off, a->argc, strings, sp);
}

static const char *
last_component(const char *path)
{
	const char *name = path;

	for (const char *s = path; *s; s++)
		if (*s == '/')
			name = s + 1;
	return name;
}

/*
 * The heap (empty, at the program's end) and the stack as regions of mm.
 * With the lazy design, only the stack pages from args_low up (where the
 * arguments go) are mapped now; the rest come at first touch, like the
 * heap's.  Stock xv6 programs, whose free-memory counts must not move
 * when they first use their stack, touch it all before main (the compat
 * layer's __libc_start).  Without it, the whole stack is mapped, as on
 * stock xv6.
 */
static int
add_heap_and_stack(struct mm *mm, uint64 end, uint64 args_low, uint64 stack_bottom)
{
	uint64 mapped = CONFIG_LAZY ? ROUNDDOWN(args_low, PGSIZE) : USER_STACK_BOTTOM;

	if (mapped > ROUNDDOWN(args_low, PGSIZE))
		mapped = ROUNDDOWN(args_low, PGSIZE);
	struct region heap = { end, end, PROT_READ | PROT_WRITE, 0, REGION_HEAP, NULL, 0 };
	struct region stack = { stack_bottom, USER_STACK_TOP, PROT_READ | PROT_WRITE, 0,
				REGION_STACK, NULL, 0 };

	mm->heap_start = mm->brk = end;
	if (mm_add(mm, &heap) < 0 || mm_add(mm, &stack) < 0 ||
	    uvm_alloc(mm, mapped, USER_STACK_TOP, PROT_READ | PROT_WRITE) < 0)
		return -1;
	mm_rss_add(mm, (long)((USER_STACK_TOP - mapped) / PGSIZE));
	return 0;
}

/* path made absolute (from the current directory) into out, or path itself if that fails. */
static void
absolute_path(const char *path, char out[MAXPATH])
{
	long n;

	if (path[0] != '/' && (n = fs_cwd_path(out, MAXPATH)) > 0 &&
	    (uint64)n + 1 + strlen(path) < MAXPATH) {
		if (n > 1)
			out[n++] = '/';
		strlcpy(out + n, path, MAXPATH - n);
		return;
	}
	strlcpy(out, path, MAXPATH);
}

/* The target of the symbolic link at path into target (MAXPATH bytes); its length, or -1 if path is none. */
static long
link_target(const char *path, char target[MAXPATH])
{
	struct inode *ip;
	int err;
	long n = -1;

	begin_op();
	if ((ip = namei_at(NULL, path, false, &err))) {
		if (ilock(ip) == 0 && ip->type == T_SYMLINK && ip->size < MAXPATH)
			n = readi(ip, false, (uint64)target, 0, ip->size);
		iunlockput(ip);
	}
	end_op();
	if (n >= 0)
		target[n] = 0;
	return n;
}

/*
 * Follow the symbolic links that absolute path ends in, in place: a
 * program is known by its file, as on Linux (busybox runs its applets as
 * /proc/self/exe, which must not then name itself).
 */
static void
resolve_links(char path[MAXPATH])
{
	char target[MAXPATH];

	for (int i = 0; i < MAXSYMLINKS && link_target(path, target) > 0; i++) {
		if (target[0] == '/') {
			strlcpy(path, target, MAXPATH);
			continue;
		}
		uint64 dir = 0;         /* relative: from the link's directory */
		for (uint64 k = 0; path[k]; k++)
			if (path[k] == '/')
				dir = k + 1;
		if (dir + strlen(target) >= MAXPATH)
			return;
		strlcpy(path + dir, target, MAXPATH - dir);
	}
}

/* The lowest address and the size of the image's PT_LOAD segments: 0 size if bad. */
static uint64
image_span(const struct elf_phdr *ph, int phnum, uint64 *low)
{
	uint64 lo = ~0UL, hi = 0;

	for (int i = 0; i < phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		if (ph[i].vaddr + ph[i].memsz < ph[i].vaddr)
			return 0;
		lo = ph[i].vaddr < lo ? ph[i].vaddr : lo;
		hi = ph[i].vaddr + ph[i].memsz > hi ? ph[i].vaddr + ph[i].memsz : hi;
	}
	*low = ROUNDDOWN(lo, PGSIZE);
	return hi > lo ? hi - *low : 0;
}

/*
 * The arguments as /proc/PID/cmdline gives them, each NUL-ended, in a new
 * page (*len bytes, cut at a page); NULL without memory.
 */
static char *
pack_cmdline(const struct exec_args *a, uint32 *len)
{
	char *page = kalloc();
	uint64 n = a->arg_len < PGSIZE ? a->arg_len : PGSIZE;

	if (!page)
		return NULL;
	exec_args_read(a, 0, page, n);
	*len = (uint32)n;
	return page;
}

/*
 * exec(), which gives no environment, starting a Linux program: it gets
 * this one.  0 or -errno.
 */
static long
default_env(struct exec_args *a)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/", "TERM=vt100" };
	long err;

	a->env = true;
	for (uint64 i = 0; i < NELEM(env); i++)
		if ((err = exec_args_add(a, env[i], true)) < 0)
			return err;
	return 0;
}

/*
 * The new program's initial sp, below its arguments (and a Linux
 * program's environment and auxiliary vector).  -E2BIG if a Canopy
 * program's take more than a quarter of its stack (sched/exec.h); a
 * Linux program's were held to their quarter as they were copied in,
 * so its check only guards the stack.
 */
static long
initial_sp(const char *path, const struct exec_args *a, int abi, uint64 *sp)
{
	if (abi == ABI_LINUX) {
		*sp = linux_stack_sp(path, a);
		return *sp < LINUX_STACK_BOTTOM + (USER_STACK_TOP - LINUX_STACK_BOTTOM) / 2 ? -E2BIG : 0;
	}
	if (a->arg_len + (a->argc + 1) * sizeof(uint64) > ARG_MAX_CANOPY)
		return -E2BIG;
	*sp = args_sp(a);
	return 0;
}

/* p's arguments become cmdline (exec's commit): the old page is dropped. */
static void
set_cmdline(struct proc *p, char *cmdline, uint32 len)
{
	spin_lock(&p->lock);
	char *old = p->cmdline;
	p->cmdline = cmdline;
	p->cmdline_len = len;
	spin_unlock(&p->lock);
	if (old)
		page_put(old);
}

/*
 * Replace p's program.  a holds kernel copies of the arguments (and, for
 * Linux programs, the environment).  A Canopy program starts with argc in
 * a0 and argv in a1; a Linux one with Linux's initial stack (argc, argv,
 * envp, auxiliary vector: linux/exec.c).  Returns what a0 starts with,
 * or -errno with p unchanged.
 */
static long
exec_common(const char *path, bool builtin_only, struct exec_args *a)
{
	struct proc *p = myproc();
	struct exec_source src;
	struct elf_header eh;
	struct elf_phdr ph[MAX_PHDRS];
	struct mm *mm = NULL;
	uint64 end = 0, bias = 0, low, sp;
	char *cmdline = NULL;
	uint32 cmdline_len = 0;
	long err = -ENOEXEC;

	if ((err = find_program(path, builtin_only, &src)) < 0)
		return err;
	err = -ETXTBSY;                 /* a file open for writing does not run */
	if (src.ip && inode_deny_write(src.ip) < 0) {
		src.done(src.ctx);
		return err;
	}
	err = -ENOEXEC;
	if (src.read(src.ctx, 0, &eh, sizeof(eh)) < 0 || !header_ok(&eh))
		goto fail;
	if (src.read(src.ctx, eh.phoff, ph, eh.phnum * sizeof(ph[0])) < 0)
		goto fail;
	int abi = linux_image_abi(path, &eh, ph, &src);
	if (abi < 0)
		goto fail;
	uint64 span = image_span(ph, eh.phnum, &low);
	if (span == 0 || span > USER_STACK_GUARD / 2)
		goto fail;
	if (eh.type == ET_DYN)          /* position-independent: Linux's place for it */
		bias = LINUX_PIE_BASE - low;
	else if (abi != ABI_LINUX && eh.type != ET_EXEC)
		goto fail;
	if (abi == ABI_LINUX && !a->env && (err = default_env(a)) < 0)
		goto fail;
	if ((err = initial_sp(path, a, abi, &sp)) < 0)
		goto fail;
	err = -ENOMEM;
	/* its user half goes into p's root, unless that root is borrowed (vfork): then a root of its own */
	if (!(mm = mm_create(p->vdso, mm_shared(p->mm))))
		goto fail;
	err = -ENOEXEC;
	for (int i = 0; i < eh.phnum; i++)
		if (ph[i].type == PT_LOAD && ph[i].memsz > 0 &&
		    load_segment(mm, &src, &ph[i], bias, &end) < 0)
			goto fail;
	if (end == 0 || eh.entry + bias < USER_TEXT_BASE || eh.entry + bias >= end)
		goto fail;
	err = -ENOMEM;
	uint64 stack_bottom = abi == ABI_LINUX ? LINUX_STACK_BOTTOM : USER_STACK_BOTTOM;
	if (add_heap_and_stack(mm, end, sp, stack_bottom) < 0 ||
	    (abi == ABI_LINUX && vdso_map_linux(mm) < 0))
		goto fail;
	if (abi == ABI_LINUX) {
		struct linux_image img = { eh.entry + bias, bias, eh.phoff, eh.phnum, ph };
		if (linux_push_stack(mm->pagetable, path, a, &img, sp) < 0)
			goto fail;
	} else if (push_args(mm->pagetable, a, sp) < 0) {
		goto fail;
	}
	err = -ENOMEM;
	if (!(cmdline = pack_cmdline(a, &cmdline_len)))
		goto fail;
	struct inode *text = src.ip ? idup(src.ip) : NULL;     /* keeps the denial */
	if (src.done)
		src.done(src.ctx);
	char exe[MAXPATH];
	absolute_path(path, exe);
	if (text)               /* a file, not a built-in program: follow its links */
		resolve_links(exe);

	/* Commit: nothing below can fail.  This hart flushes once the old image is freed. */
	proc_replace_mm(p, mm);
	alarm_clear(p);         /* its handler was the old program's */
	signal_exec(p);         /* so were its signal handlers */
	p->abi = (uint8)abi;
	fpu_reset(p, abi == ABI_LINUX);
	fd_close_on_exec(p);
	strlcpy(p->name, last_component(path), sizeof(p->name));
	strlcpy(p->exe, exe, sizeof(p->exe));
	set_cmdline(p, cmdline, cmdline_len);
	proc_set_text(p, text);
	tlb_sync_hart();        /* the mark mm_take_root left on this hart: vm/tlb.c, rule 4 */
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->epc = eh.entry + bias;
	p->tf->sp = sp;
	if (abi == ABI_LINUX)
		return 0;
	p->tf->a1 = sp;           /* argv */
	return a->argc;     /* lands in a0: main's argc */

fail:
	if (mm)
		mm_destroy(mm);
	if (cmdline)
		page_put(cmdline);
	if (src.ip)
		inode_allow_write(src.ip);
	if (src.done)
		src.done(src.ctx);
	return err;
}

/* exec from the kernel (the first process); builtin_only skips the file system. */
int
exec_kernel(const char *path, bool builtin_only, char *const argv[])
{
	struct exec_args a = { .limit = ARG_MAX_LINUX };
	long err = 0;

	for (int i = 0; argv[i] && err == 0; i++)
		err = exec_args_add(&a, argv[i], false);
	if (err == 0)
		err = exec_common(path, builtin_only, &a);
	exec_args_free(&a);
	return err < 0 ? -1 : 0;
}

/*
 * The length of a user array of string pointers ending with 0 (exec's
 * argv or envp), or -EFAULT, or -E2BIG once its pointers alone pass
 * ARG_MAX_LINUX (Linux counts on to 2^31, and says E2BIG then too, but
 * for a fault further on).
 */
static long
count_vector(uint64 uvec)
{
	for (long n = 0;; n++) {
		uint64 uarg;
		if (n * sizeof(uint64) >= ARG_MAX_LINUX)
			return -E2BIG;
		if (copyin(&uarg, uvec + n * sizeof(uint64), sizeof(uarg)) < 0)
			return -EFAULT;
		if (uarg == 0)
			return n;
	}
}

/* Append the n strings of the user array uvec to a (env: as its environment): 0 or -errno. */
static long
copyin_strings(struct exec_args *a, uint64 uvec, long n, bool env)
{
	long err = 0;

	for (long i = 0; i < n && err == 0; i++) {
		uint64 uarg;
		if (copyin(&uarg, uvec + i * sizeof(uint64), sizeof(uarg)) < 0)
			return -EFAULT;
		err = exec_args_add_user(a, uarg, env);
	}
	return err;
}

/*
 * Copy in exec's path, argv and envp (EXEC_ENV) as Linux does: count the
 * arrays, check that their pointers leave room (argc taken as at least
 * 1), then copy the strings, the path counting with them (sched/exec.h
 * has the limits).  With EXEC_LINUX a NULL array is an empty one and a
 * program given no arguments gets one empty string, as Linux does since
 * 5.18 (no program then reads past argv[0]).  0 or -errno.
 */
static long
copyin_args(char path[MAXPATH], uint64 upath, uint64 uargv, uint64 uenvp, int how,
	    struct exec_args *a)
{
	bool linux = how & EXEC_LINUX;
	long argc = 0, envc = 0, n;
	char c;

	if ((n = copyinstr(path, upath, MAXPATH)) < 0)
		return copyin(&c, upath, 1) < 0 ? -EFAULT : -ENAMETOOLONG;
	if ((uargv || !linux) && (argc = count_vector(uargv)) < 0)
		return argc;
	a->env = how & EXEC_ENV;
	if (a->env && (uenvp || !linux) && (envc = count_vector(uenvp)) < 0)
		return envc;
	uint64 pointers = ((argc > 0 ? argc : 1) + envc) * sizeof(uint64);
	if (pointers + n + 1 >= ARG_MAX_LINUX)
		return -E2BIG;
	a->limit = ARG_MAX_LINUX - pointers - (n + 1);
	long err = copyin_strings(a, uargv, argc, false);
	if (err == 0 && argc == 0 && linux)
		err = exec_args_add(a, "", false);
	if (err == 0)
		err = copyin_strings(a, uenvp, envc, true);
	return err;
}

/*
 * exec with user arguments: path, the argv array and (with EXEC_ENV) the
 * envp array, copied in one batch (vm/uaccess.h): one small copy each
 * would cost a TLB flush each on QEMU.  What a0 starts with, or -errno.
 */
long
exec_user(uint64 upath, uint64 uargv, uint64 uenvp, int how)
{
	char path[MAXPATH];
	struct exec_args a = { 0 };

	bool outer = uaccess_batch_begin();
	long ret = copyin_args(path, upath, uargv, uenvp, how, &a);
	uaccess_batch_end(outer);
	if (ret == 0)
		ret = exec_common(path, false, &a);
	exec_args_free(&a);
	return ret;
}

/* execve(path, argv, envp): exec with an environment, for the Linux programs it may start. */
long
sys_execve(void)
{
	long r = exec_user(arg_addr(0), arg_addr(1), arg_addr(2), EXEC_ENV);

	return r < 0 ? -1 : r;
}

/* exec(path, argv): Canopy's, without an environment. */
long
sys_exec(void)
{
	long r = exec_user(arg_addr(0), arg_addr(1), 0, 0);

	return r < 0 ? -1 : r;
}
