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

#define MAX_PHDRS 16
#define ARG_BYTES PGSIZE        /* all argument strings together, NULs included */

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
 * the latter if builtin_only.
 */
static int
find_program(const char *path, bool builtin_only, struct exec_source *src)
{
	if (!builtin_only && fs_program(path, src) == 0)
		return 0;
	const struct embedded_app *a = embedded_find(path);
	if (!a)
		return -1;
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
static int
fill_user(pagetable_t root, uint64 va, const void *buf, struct exec_source *src,
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
	       eh->data == ELFDATA2LSB && eh->type == ET_EXEC &&
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
load_segment(struct mm *mm, struct exec_source *src, const struct elf_phdr *ph, uint64 *end)
{
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
	return fill_user(mm->pagetable, copy_from, NULL, src, ph->offset + (copy_from - ph->vaddr),
			 ph->vaddr + ph->filesz - copy_from);
}

/*
 * The new program's sp: below the argument strings, room for the argv
 * array (argc+1 pointers), 16-byte aligned.  The lowest address exec writes.
 */
static uint64
args_sp(char *const argv[], int argc)
{
	uint64 sp = USER_STACK_TOP;

	for (int i = 0; i < argc; i++)
		sp -= strlen(argv[i]) + 1;
	return ROUNDDOWN(sp - (argc + 1) * sizeof(uint64), 16);
}

/*
 * Lay out argv at the top of the new stack: the strings, then the argv
 * array at sp (args_sp).  -1 if a page there is not mapped.
 */
static int
push_args(pagetable_t root, char *const argv[], int argc, uint64 sp)
{
	uint64 ptrs[MAXARG + 1];
	uint64 at = USER_STACK_TOP;

	for (int i = argc - 1; i >= 0; i--) {
		uint64 len = strlen(argv[i]) + 1;
		at -= len;
		if (fill_user(root, at, argv[i], NULL, 0, len) < 0)
			return -1;
		ptrs[i] = at;
	}
	ptrs[argc] = 0;
	return fill_user(root, sp, ptrs, NULL, 0, (argc + 1) * sizeof(uint64));
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
add_heap_and_stack(struct mm *mm, uint64 end, uint64 args_low)
{
	uint64 mapped = CONFIG_LAZY ? ROUNDDOWN(args_low, PGSIZE) : USER_STACK_BOTTOM;

	struct region heap = { end, end, PROT_READ | PROT_WRITE, 0, REGION_HEAP, NULL, 0 };
	struct region stack = { USER_STACK_BOTTOM, USER_STACK_TOP, PROT_READ | PROT_WRITE, 0,
				REGION_STACK, NULL, 0 };

	mm->heap_start = mm->brk = end;
	if (mm_add(mm, &heap) < 0 || mm_add(mm, &stack) < 0 ||
	    uvm_alloc(mm, mapped, USER_STACK_TOP, PROT_READ | PROT_WRITE) < 0)
		return -1;
	mm_rss_add(mm, (long)((USER_STACK_TOP - mapped) / PGSIZE));
	return 0;
}

/* The common part of exec: argv holds argc kernel strings. */
static int
exec_common(const char *path, bool builtin_only, char *const argv[], int argc)
{
	struct proc *p = myproc();
	struct exec_source src;
	struct elf_header eh;
	struct elf_phdr ph[MAX_PHDRS];
	struct mm *mm = NULL;
	uint64 end = 0, sp = args_sp(argv, argc);

	/* the arguments leave at least half a page of stack */
	if (sp < USER_STACK_BOTTOM + PGSIZE / 2 || find_program(path, builtin_only, &src) < 0)
		return -1;
	if (src.read(src.ctx, 0, &eh, sizeof(eh)) < 0 || !header_ok(&eh))
		goto fail;
	if (src.read(src.ctx, eh.phoff, ph, eh.phnum * sizeof(ph[0])) < 0)
		goto fail;
	if (!(mm = mm_create(p->vdso, false)))    /* its user half goes into p's root */
		goto fail;
	for (int i = 0; i < eh.phnum; i++)
		if (ph[i].type == PT_LOAD && ph[i].memsz > 0 &&
		    load_segment(mm, &src, &ph[i], &end) < 0)
			goto fail;
	if (end == 0 || eh.entry < USER_TEXT_BASE || eh.entry >= end)
		goto fail;
	if (add_heap_and_stack(mm, end, sp) < 0 || push_args(mm->pagetable, argv, argc, sp) < 0)
		goto fail;
	if (src.done)
		src.done(src.ctx);

	/* Commit: nothing below can fail.  This hart flushes once the old image is freed. */
	proc_replace_mm(p, mm);
	alarm_clear(p);         /* its handler was the old program's */
	strlcpy(p->name, last_component(path), sizeof(p->name));
	tlb_sync_hart();        /* the mark mm_take_root left on this hart: vm/tlb.c, rule 4 */
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->epc = eh.entry;
	p->tf->sp = sp;
	p->tf->a1 = sp;           /* argv */
	return argc;        /* lands in a0: main's argc */

fail:
	if (mm)
		mm_destroy(mm);
	if (src.done)
		src.done(src.ctx);
	return -1;
}

/* exec from the kernel (the first process); builtin_only skips the file system. */
int
exec_kernel(const char *path, bool builtin_only, char *const argv[])
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return exec_common(path, builtin_only, argv, argc);
}

/*
 * Copy exec's argument vector, the user array uargv of string pointers
 * ending with 0, into argv (at most MAXARG, then NULL) and strings
 * (ARG_BYTES).  The argument count, or -1.
 */
static int
copyin_argv(uint64 uargv, char *argv[], char *strings)
{
	uint64 used = 0;

	for (int argc = 0; argc <= MAXARG; argc++) {
		uint64 uarg;
		long len;
		if (copyin(&uarg, uargv + argc * sizeof(uint64), sizeof(uarg)) < 0)
			return -1;
		if (uarg == 0) {
			argv[argc] = NULL;
			return argc;
		}
		if (argc == MAXARG || (len = copyinstr(strings + used, uarg, ARG_BYTES - used)) < 0)
			return -1;
		argv[argc] = strings + used;
		used += len + 1;
	}
	return -1;
}

/*
 * exec(path, argv): argv is a user array of string pointers ending with 0,
 * at most MAXARG of them, all strings together at most ARG_BYTES.  The
 * path and the arguments are copied in one batch (vm/uaccess.h): one
 * small copy each would cost a TLB flush each on QEMU.
 */
long
sys_exec(void)
{
	char path[MAXPATH];
	char *argv[MAXARG + 1];
	long ret = -1;
	char *strings = kalloc();

	if (!strings)
		return -1;
	bool outer = uaccess_batch_begin();
	int argc = arg_str(0, path, sizeof(path)) < 0 ? -1 : copyin_argv(arg_addr(1), argv, strings);
	uaccess_batch_end(outer);
	if (argc >= 0)
		ret = exec_common(path, false, argv, argc);
	page_put(strings);
	return ret;
}
