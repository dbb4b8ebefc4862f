/*
 * Kernel printf: a small vsnprintf (d i u x p s c %, l/ll, width, 0 and -
 * flags), console printing serialised by one lock so lines from different
 * harts do not interleave, and panic, which reports and powers off.
 */
#include "lib/printf.h"
#include "lib/string.h"
#include "lib/riscv.h"
#include "sched/cpu.h"
#include "sched/trap.h"
#include "dev/console.h"
#include "dev/power.h"
#include <canopy/sysinfo.h>

volatile int panicked;

struct outbuf {
	char *buf;
	size_t size;
	size_t len;     /* characters produced, even those that did not fit */
};

static void
out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
out_number(struct outbuf *o, uint64 v, int base, bool negative, int width, char pad, bool left)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		digits[n++] = '-';
	if (negative && pad == '0') {
		/* the sign goes before zero padding */
		out_char(o, '-');
		n--;
		width--;
	}
	if (!left)
		for (int i = n; i < width; i++)
			out_char(o, pad);
	while (n > 0)
		out_char(o, digits[--n]);
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false;
		char pad = ' ';
		int width = 0, longs = 0;
		if (*fmt == '-') {
			left = true;
			fmt++;
		}
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		size_t start = o.len;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long v = longs ? va_arg(ap, long) : va_arg(ap, int);
			out_number(&o, v < 0 ? -(uint64)v : (uint64)v, 10, v < 0, width, pad, left);
			break;
		}
		case 'u':
		case 'x': {
			uint64 v = longs ? va_arg(ap, uint64) : va_arg(ap, unsigned int);
			out_number(&o, v, *fmt == 'u' ? 10 : 16, false, width, pad, left);
			break;
		}
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, va_arg(ap, uint64), 16, false, 16, '0', false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t n = strlen(s);
			if (!left)
				for (size_t i = n; i < (size_t)width; i++)
					out_char(&o, ' ');
			while (*s)
				out_char(&o, *s++);
			break;
		}
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case '%':
			out_char(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
		if (left)
			while (o.len - start < (size_t)width)
				out_char(&o, ' ');
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

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
