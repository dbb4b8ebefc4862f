/* The programs built into the kernel image (src/apps), by name. */
#ifndef FS_EMBEDDED_H
#define FS_EMBEDDED_H

#include "lib/types.h"

struct embedded_app {
	const char *name;
	const uint8 *data;
	uint64 size;
};

const struct embedded_app *embedded_find(const char *path);
const struct embedded_app *embedded_list(void);   /* ends with name == NULL */

#endif
