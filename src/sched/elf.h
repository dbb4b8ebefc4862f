/* The parts of the ELF64 format the program loader reads. */
#ifndef SCHED_ELF_H
#define SCHED_ELF_H

#include "lib/types.h"

#define ELF_MAGIC   0x464c457fU     /* "\x7fELF" as a little-endian word */
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ELF_OSABI   7           /* ident_rest[ELF_OSABI - 6]: the OS/ABI byte */
#define ELFOSABI_GNU 3
#define ET_EXEC     2
#define ET_DYN      3
#define EM_RISCV    243

struct elf_header {
	uint32 magic;
	uint8 class;
	uint8 data;
	uint8 ident_rest[10];
	uint16 type;
	uint16 machine;
	uint32 version;
	uint64 entry;
	uint64 phoff;
	uint64 shoff;
	uint32 flags;
	uint16 ehsize;
	uint16 phentsize;
	uint16 phnum;
	uint16 shentsize;
	uint16 shnum;
	uint16 shstrndx;
};

#define PT_LOAD 1
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf_phdr {
	uint32 type;
	uint32 flags;
	uint64 offset;
	uint64 vaddr;
	uint64 paddr;
	uint64 filesz;
	uint64 memsz;
	uint64 align;
};

#endif
