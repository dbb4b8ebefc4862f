/*
 * xv6 compatibility: printf to fd 1 and fprintf to any fd, understanding
 * %d %u %x %p %s %c %% and the l/ll length modifiers.  Unlike xv6 (one
 * write per character), a call's output goes out in as few writes as
 * its length allows.
 */
#include <stdarg.h>
#include "kernel/types.h"
#include "user/user.h"

struct out {
	int fd;
	int len;
	char buf[256];
};

static void
flush(struct out *o)
{
	if (o->len > 0)
		write(o->fd, o->buf, o->len);
	o->len = 0;
}

static void
put(struct out *o, char c)
{
	if (o->len == (int)sizeof(o->buf))
		flush(o);
	o->buf[o->len++] = c;
}

static void
put_number(struct out *o, uint64 v, int base, int negative)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		put(o, '-');
	while (n > 0)
		put(o, digits[--n]);
}

static void
vformat(int fd, const char *fmt, va_list ap)
{
	struct out o = { .fd = fd };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		int longs = 0;
		while (*++fmt == 'l')
			longs++;
		switch (*fmt) {
		case 'd': {
			long v = longs ? va_arg(ap, long) : va_arg(ap, int);
			put_number(&o, v < 0 ? -(uint64)v : (uint64)v, 10, v < 0);
			break;
		}
		case 'u':
			put_number(&o, longs ? va_arg(ap, uint64) : va_arg(ap, uint), 10, 0);
			break;
		case 'x':
			put_number(&o, longs ? va_arg(ap, uint64) : va_arg(ap, uint), 16, 0);
			break;
		case 'p': {
			uint64 v = va_arg(ap, uint64);
			put(&o, '0');
			put(&o, 'x');
			for (int i = 60; i >= 0; i -= 4)
				put(&o, "0123456789abcdef"[(v >> i) & 0xf]);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				put(&o, *s);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	flush(&o);
}

void
fprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(fd, fmt, ap);
	va_end(ap);
}

void
printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(1, fmt, ap);
	va_end(ap);
}
