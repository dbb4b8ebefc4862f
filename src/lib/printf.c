/*
 * Formatting into a buffer: a small vsnprintf (d i u x p s c %, l/ll,
 * width, 0 and - flags).  Printing on the console and panic are
 * debug/kprintf.c's.
 */
#include "lib/printf.h"
#include "lib/string.h"

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
