/*
 * Programs embedded in the kernel image.  The build generates the table
 * (apps.S) from the folders of src/apps; each entry is a stripped ELF.
 * A path names an app as "name", "/name" or "/bin/name".
 */
#include "fs/embedded.h"
#include "lib/string.h"

extern const struct embedded_app embedded_apps[];

const struct embedded_app *
embedded_find(const char *path)
{
	if (strncmp(path, "/bin/", 5) == 0)
		path += 5;
	else if (path[0] == '/')
		path += 1;
	if (path[0] == 0 || strchr(path, '/'))
		return NULL;
	for (const struct embedded_app *a = embedded_apps; a->name; a++)
		if (strcmp(a->name, path) == 0)
			return a;
	return NULL;
}

const struct embedded_app *
embedded_list(void)
{
	return embedded_apps;
}
