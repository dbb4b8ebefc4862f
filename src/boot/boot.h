/* The C entry points boot/entry.S jumps to, on the boot hart and on the others. */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H

#include "lib/types.h"

void kmain(uint64 hartid, uint64 dtb_pa) __attribute__((noreturn));
void secondary_main(void) __attribute__((noreturn));

#endif
