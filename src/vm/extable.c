/* Looking up the exception table (a short list: a linear scan is enough). */
#include "vm/extable.h"

struct extable_entry {
	uint64 insn;
	uint64 fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

uint64
extable_fixup(uint64 epc)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == epc)
			return e->fixup;
	return 0;
}
