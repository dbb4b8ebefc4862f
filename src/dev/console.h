/* The console: a line-edited terminal on the UART, device major CONSOLE. */
#ifndef DEV_CONSOLE_H
#define DEV_CONSOLE_H

#include "lib/types.h"

#define CONSOLE 1   /* device major number, as on xv6 */

/* What a terminal's termios says that the console acts on. */
struct console_mode {
	bool canonical;         /* line editing; else each byte is readable at once */
	bool echo;
	bool signals;           /* intr, quit, susp send signals */
	bool crnl;              /* a typed CR reads as NL */
	char intr, quit, susp, eof, erase, kill;
};

void console_init(void);
void console_get_mode(struct console_mode *m);
void console_set_mode(const struct console_mode *m);
int console_foreground(void);
bool console_readable(void);
void console_set_foreground(int pgid, bool stops);
void console_write_kernel(const char *s, int n);

#endif
