/* Internal to the native user library. */
#ifndef ULIB_H
#define ULIB_H

#include "canopy.h"

void __stdio_flush_all(void);
void __libc_start(void);

#endif
