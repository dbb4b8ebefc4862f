/*
 * Linux images: telling them from Canopy's, and the initial stack Linux's
 * ELF loader gives them.
 *
 * An image is Linux's if its OS/ABI byte says GNU, or if it carries the
 * GNU ABI note (NT_GNU_ABI_TAG, OS 0: Linux) that glibc puts in every
 * program.  Canopy's own programs (and xv6's) carry neither: the OS/ABI
 * byte alone cannot tell, since glibc's static programs say "System V"
 * as ours do.  A dynamically linked image (PT_INTERP) is refused with
 * ENOEXEC: there is no program loader to run it.
 *
 * The stack, from USER_STACK_TOP down: 16 random bytes (AT_RANDOM), the
 * program's path (AT_EXECFN), the environment and argument strings; then,
 * 16-byte aligned at sp: argc, argv[] and NULL, envp[] and NULL, and the
 * auxiliary vector ending with AT_NULL.
 */
#include "linux/linux.h"
#include "linux/uapi.h"
#include "sched/elf.h"
#include "sched/exec.h"
#include "sched/proc.h"
#include "debug/kprintf.h"
#include "lib/random.h"
#include "lib/string.h"
#include <canopy/layout.h>

#define NT_GNU_ABI_TAG  1
#define NOTE_BYTES      256     /* the ABI note sits in the first notes of glibc's images */
#define AUX_ENTRIES     22      /* pairs in the auxiliary vector, AT_NULL included */

/* RV64GC: what the programs Debian builds need, and what QEMU's virt CPU has */
#define LINUX_HWCAP     (COMPAT_HWCAP_ISA_I | COMPAT_HWCAP_ISA_M | COMPAT_HWCAP_ISA_A | \
			 COMPAT_HWCAP_ISA_F | COMPAT_HWCAP_ISA_D | COMPAT_HWCAP_ISA_C)

/* Does the note segment ph hold the GNU ABI tag for Linux? */
static bool
has_gnu_abi_note(const struct elf_phdr *ph, struct exec_source *src)
{
	uint32 buf[NOTE_BYTES / 4];
	uint64 n = ph->filesz < sizeof(buf) ? ph->filesz : sizeof(buf);

	if (ph->offset > src->size || n > src->size - ph->offset ||
	    src->read(src->ctx, ph->offset, buf, n) < 0)
		return false;
	for (uint64 at = 0; at + 12 <= n;) {
		uint32 namesz = buf[at / 4], descsz = buf[at / 4 + 1], type = buf[at / 4 + 2];
		uint64 name = at + 12, desc = name + ROUNDUP((uint64)namesz, 4);
		if (namesz > n || descsz > n || desc + ROUNDUP((uint64)descsz, 4) > n)
			return false;
		if (type == NT_GNU_ABI_TAG && namesz == 4 && memcmp((char *)buf + name, "GNU", 4) == 0 &&
		    descsz >= 4 && buf[desc / 4] == 0)
			return true;
		at = desc + ROUNDUP((uint64)descsz, 4);
	}
	return false;
}

/* ABI_LINUX or ABI_CANOPY for the image; -ENOEXEC if it needs a program loader. */
int
linux_image_abi(const char *path, const struct elf_header *eh, const struct elf_phdr *ph,
		struct exec_source *src)
{
	bool linux = eh->ident_rest[ELF_OSABI - 6] == ELFOSABI_GNU;

	for (int i = 0; i < eh->phnum; i++) {
		if (ph[i].type == PT_INTERP) {
			kprintf("exec %s: dynamically linked (it names a program loader); "
				"only static programs run\n", path);
			return -ENOEXEC;
		}
		if (ph[i].type == PT_NOTE && !linux)
			linux = has_gnu_abi_note(&ph[i], src);
	}
	return linux ? ABI_LINUX : ABI_CANOPY;
}

/*
 * Where the argument strings start: below the random bytes and the path.
 * The environment strings follow them, as exec_args packs them.
 */
static uint64
strings_at(const char *path, const struct exec_args *a)
{
	return USER_STACK_TOP - 16 - (strlen(path) + 1) - a->len;
}

/* The initial sp of a Linux program: below the strings, argc, the vectors and the auxv. */
uint64
linux_stack_sp(const char *path, const struct exec_args *a)
{
	uint64 words = 1 + (a->argc + 1) + (a->envc + 1) + 2 * AUX_ENTRIES;

	return ROUNDDOWN(strings_at(path, a) - words * 8, 16);
}

/* The address of the program headers in the loaded image, or 0. */
static uint64
phdr_address(const struct linux_image *img)
{
	for (int i = 0; i < img->phnum; i++)
		if (img->ph[i].type == PT_PHDR)
			return img->ph[i].vaddr + img->bias;
	for (int i = 0; i < img->phnum; i++) {
		const struct elf_phdr *ph = &img->ph[i];
		if (ph->type == PT_LOAD && img->phoff >= ph->offset &&
		    img->phoff - ph->offset < ph->filesz)
			return ph->vaddr + (img->phoff - ph->offset) + img->bias;
	}
	return 0;
}

/*
 * Lay out the Linux initial stack with sp from linux_stack_sp (the pages
 * from sp up are mapped).  -1 if a page is missing.
 */
int
linux_push_stack(pagetable_t root, const char *path, const struct exec_args *a,
		 const struct linux_image *img, uint64 sp)
{
	uint64 random_at = USER_STACK_TOP - 16, execfn_at = random_at - (strlen(path) + 1);
	uint64 strings = strings_at(path, a), argc = (uint64)a->argc, off = 0;
	uint64 argv_at = sp + 8, envp_at = argv_at + (a->argc + 1) * 8;
	uint64 aux_at = envp_at + (a->envc + 1) * 8;
	uint8 random[16];

	random_bytes(random, sizeof(random));
	if (exec_fill_user(root, random_at, random, NULL, 0, sizeof(random)) < 0 ||
	    exec_fill_user(root, execfn_at, path, NULL, 0, strlen(path) + 1) < 0 ||
	    exec_args_copyout(root, a, 0, a->len, strings) < 0 ||
	    exec_fill_user(root, sp, &argc, NULL, 0, sizeof(argc)) < 0 ||
	    exec_args_vector(root, a, &off, a->argc, strings, argv_at) < 0 ||
	    exec_args_vector(root, a, &off, a->envc, strings, envp_at) < 0)
		return -1;

	const uint64 aux[][2] = {
		{ AT_PHDR, phdr_address(img) }, { AT_PHENT, sizeof(struct elf_phdr) },
		{ AT_PHNUM, (uint64)img->phnum }, { AT_PAGESZ, PGSIZE }, { AT_BASE, 0 },
		{ AT_FLAGS, 0 }, { AT_ENTRY, img->entry }, { AT_UID, 0 }, { AT_EUID, 0 },
		{ AT_GID, 0 }, { AT_EGID, 0 }, { AT_SECURE, 0 }, { AT_RANDOM, random_at },
		{ AT_HWCAP, LINUX_HWCAP }, { AT_CLKTCK, LINUX_CLK_TCK }, { AT_EXECFN, execfn_at },
		{ AT_MINSIGSTKSZ, MINSIGSTKSZ }, { AT_SYSINFO_EHDR, LINUX_VDSO }, { AT_NULL, 0 },
	};
	STATIC_ASSERT(NELEM(aux) <= AUX_ENTRIES);
	if (aux_at + sizeof(aux) > strings)
		return -1;      /* linux_stack_sp left too little room: a bug */
	return exec_fill_user(root, aux_at, aux, NULL, 0, sizeof(aux));
}
