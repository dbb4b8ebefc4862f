/*
 * Memory and string routines for the kernel.
 *
 * On this QEMU a byte loop copies at a tenth of the speed of a word loop,
 * so memset/memcpy/memmove move 8-byte words whenever source and destination
 * share their alignment, and fall back to bytes only for the ragged ends.
 */
#include "lib/string.h"

#define WORD sizeof(uint64)
#define WMASK (WORD - 1)

void *
memset(void *dst, int c, size_t n)
{
	uint8 *d = dst;
	uint64 pattern = (uint8)c;

	pattern |= pattern << 8;
	pattern |= pattern << 16;
	pattern |= pattern << 32;
	while (n > 0 && ((uint64)d & WMASK)) {
		*d++ = (uint8)c;
		n--;
	}
	uint64 *w = (uint64 *)d;
	for (; n >= 4 * WORD; n -= 4 * WORD, w += 4) {
		w[0] = pattern;
		w[1] = pattern;
		w[2] = pattern;
		w[3] = pattern;
	}
	for (; n >= WORD; n -= WORD)
		*w++ = pattern;
	d = (uint8 *)w;
	while (n-- > 0)
		*d++ = (uint8)c;
	return dst;
}

/* Copy forwards; safe for overlap only when dst < src. */
static void
copy_forward(uint8 *d, const uint8 *s, size_t n)
{
	if ((((uint64)d ^ (uint64)s) & WMASK) == 0) {
		while (n > 0 && ((uint64)d & WMASK)) {
			*d++ = *s++;
			n--;
		}
		uint64 *wd = (uint64 *)d;
		const uint64 *ws = (const uint64 *)s;
		for (; n >= 4 * WORD; n -= 4 * WORD, wd += 4, ws += 4) {
			uint64 a = ws[0], b = ws[1], c = ws[2], e = ws[3];
			wd[0] = a;
			wd[1] = b;
			wd[2] = c;
			wd[3] = e;
		}
		for (; n >= WORD; n -= WORD)
			*wd++ = *ws++;
		d = (uint8 *)wd;
		s = (const uint8 *)ws;
	}
	while (n-- > 0)
		*d++ = *s++;
}

static void
copy_backward(uint8 *d, const uint8 *s, size_t n)
{
	d += n;
	s += n;
	if ((((uint64)d ^ (uint64)s) & WMASK) == 0) {
		while (n > 0 && ((uint64)d & WMASK)) {
			*--d = *--s;
			n--;
		}
		uint64 *wd = (uint64 *)d;
		const uint64 *ws = (const uint64 *)s;
		for (; n >= WORD; n -= WORD)
			*--wd = *--ws;
		d = (uint8 *)wd;
		s = (const uint8 *)ws;
	}
	while (n-- > 0)
		*--d = *--s;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	if ((uint64)dst <= (uint64)src || (uint64)dst >= (uint64)src + n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const uint8 *x = a, *y = b;

	for (; n > 0; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0 && *a && *a == *b; n--, a++, b++)
		;
	if (n == 0)
		return 0;
	return (uint8)*a - (uint8)*b;
}

int
strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

/* Like the C library's: pads with NULs, may leave dst unterminated. */
char *
strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

const char *
strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return s;
	return c == 0 ? s : NULL;
}

const char *
strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return hay;
	return n == 0 ? hay : NULL;
}
