/*
 * The exception table: kernel instructions allowed to fault, each paired
 * with the address to resume at.  Entries are emitted next to the
 * instructions (see uaccess.S) into the __ex_table section.
 */
#ifndef VM_EXTABLE_H
#define VM_EXTABLE_H

#include "lib/types.h"

uint64 extable_fixup(uint64 epc);   /* resume address, or 0 if epc may not fault */

/* Read 8 bytes at a kernel-chosen address; -1 if that faults. */
long probe_read(uint64 addr);

#endif
