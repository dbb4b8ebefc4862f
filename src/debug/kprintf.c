/*
 * Kernel messages: kprintf on the console (one line at a time, through
 * the console's lock, so lines from different harts do not interleave), a
 * frame-pointer backtrace, and panic, which reports and powers off.
 */
#include "debug/kprintf.h"
#include "lib/riscv.h"
#include "sched/cpu.h"
#include "sched/trap.h"
#include "dev/console.h"
#include "dev/power.h"
#include <canopy/sysinfo.h>

volatile int panicked;

static void
vkprintf(const char *fmt, va_list ap)
{
	char line[256];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	console_write_kernel(line, n);
}

void
kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
}

/*
 * Walk the frame-pointer chain (the kernel is built with frame pointers):
 * the return address sits at fp-8, the caller's fp at fp-16.  Stop when the
 * chain leaves the stack it started on or turns non-kernel.  The lowest
 * page of a kernel stack's slot is its guard, never read: ^P walks other
 * processes' stacks, which may change under it.
 */
void
backtrace(uint64 fp)
{
	uint64 stack_lo = ROUNDDOWN(fp - 1, PGSIZE * 4);
	uint64 stack_hi = stack_lo + PGSIZE * 4;

	kprintf("backtrace:\n");
	for (int depth = 0; depth < 32; depth++) {
		if (fp < stack_lo + PGSIZE + 16 || fp > stack_hi || (fp & 7))
			break;
		uint64 ra = *(uint64 *)(fp - 8);
		if (ra < 0xffffffc000000000UL)
			break;
		kprintf("  %p\n", (void *)(ra - 4));
		fp = *(uint64 *)(fp - 16);
	}
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	intr_off();
	if (__atomic_exchange_n(&panicked, 1, __ATOMIC_SEQ_CST)) {
		/* another hart is already reporting: stay out of its way */
		for (;;)
			wfi();
	}
	kprintf("\npanic on hart %d: ", cpu_hartid());
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	trap_report_process();
	backtrace(r_fp());
	power_off(POWEROFF_PANIC);
}
