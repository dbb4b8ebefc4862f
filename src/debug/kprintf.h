/* The kernel's messages: kprintf on the console, backtrace, panic. */
#ifndef DEBUG_KPRINTF_H
#define DEBUG_KPRINTF_H

#include "lib/printf.h"

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
void backtrace(uint64 fp);
extern volatile int panicked;

#define assert(c) do { if (!(c)) panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__); } while (0)

#endif
