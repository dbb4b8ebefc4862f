/* The console: a line-edited terminal on the UART, device major CONSOLE. */
#ifndef DEV_CONSOLE_H
#define DEV_CONSOLE_H

#include "lib/types.h"

#define CONSOLE 1   /* device major number, as on xv6 */

void console_init(void);
void console_write_kernel(const char *s, int n);

#endif
