/*
 * The Linux riscv64 ABI: what the rest of the kernel calls.  A process
 * whose program is a Linux image (linux/exec.c decides) makes Linux's
 * system calls, numbered as Linux numbers them and answering -errno
 * (linux/syscall.c); Canopy's own programs keep Canopy's.  The numbers,
 * error values and structure layouts come from Linux's uapi headers
 * (linux/uapi.h), never from memory.
 */
#ifndef LINUX_LINUX_H
#define LINUX_LINUX_H

#include "lib/types.h"

struct elf_header;
struct elf_phdr;
struct exec_source;
struct exec_args;
struct trapframe;

/* Where a Linux image was loaded, for its auxiliary vector. */
struct linux_image {
	uint64 entry;           /* entry point, bias added */
	uint64 bias;            /* load address - link address (static PIE) */
	uint64 phoff;           /* program headers: file offset and count */
	int phnum;
	const struct elf_phdr *ph;
};

int linux_image_abi(const char *path, const struct elf_header *eh, const struct elf_phdr *ph,
		    struct exec_source *src);
uint64 linux_stack_sp(const char *path, const struct exec_args *a);
int linux_push_stack(pagetable_t root, const char *path, const struct exec_args *a,
		     const struct linux_image *img, uint64 sp);
void linux_syscall(struct trapframe *tf);

#endif
