/*
 * mmap, munmap and msync: constants shared by the kernel and user programs.
 * The values are Linux's (and, for PROT_* and MAP_SHARED/MAP_PRIVATE, the
 * xv6 mmap lab's).
 */
#ifndef CANOPY_MMAN_H
#define CANOPY_MMAN_H

#define PROT_NONE       0x0
#define PROT_READ       0x1
#define PROT_WRITE      0x2
#define PROT_EXEC       0x4

#define MAP_SHARED      0x01    /* changes are seen by every mapping, and reach the file */
#define MAP_PRIVATE     0x02    /* copy-on-write: changes stay in this process */
#define MAP_FIXED       0x10    /* exactly at addr, replacing mappings made by mmap there */
#define MAP_ANONYMOUS   0x20    /* zero-filled memory, no file (fd -1, offset 0) */

#define MS_ASYNC        1       /* msync flags: accepted, the write-back happens at once anyway */
#define MS_SYNC         4
#define MS_INVALIDATE   2

#endif
