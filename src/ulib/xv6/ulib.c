/* xv6 compatibility: the small C library of user/ulib.c, Canopy's own code. */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

char *
strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (uchar)*a - (uchar)*b;
}

uint
strlen(const char *s)
{
	uint n = 0;

	while (s[n])
		n++;
	return n;
}

void *
memset(void *dst, int c, uint n)
{
	uchar *d = dst;

	while (n-- > 0)
		*d++ = (uchar)c;
	return dst;
}

char *
strchr(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return (char *)s;
	return 0;
}

/* Read a line (up to max-1 bytes, newline kept) from fd 0. */
char *
gets(char *buf, int max)
{
	int i = 0;
	char c;

	while (i + 1 < max) {
		if (read(0, &c, 1) < 1)
			break;
		buf[i++] = c;
		if (c == '\n' || c == '\r')
			break;
	}
	buf[i] = 0;
	return buf;
}

int
stat(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	int r = fstat(fd, st);
	close(fd);
	return r;
}

int
atoi(const char *s)
{
	int n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}

void *
memmove(void *dst, const void *src, int n)
{
	uchar *d = dst;
	const uchar *s = src;

	if (d < s) {
		while (n-- > 0)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n-- > 0)
			*--d = *--s;
	}
	return dst;
}

int
memcmp(const void *a, const void *b, uint n)
{
	const uchar *x = a, *y = b;

	for (; n > 0; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *
memcpy(void *dst, const void *src, uint n)
{
	return memmove(dst, src, (int)n);
}
