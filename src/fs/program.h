/* Programs in the file system, as a source for exec. */
#ifndef FS_PROGRAM_H
#define FS_PROGRAM_H

struct exec_source;

int fs_program(const char *path, struct exec_source *src);

#endif
