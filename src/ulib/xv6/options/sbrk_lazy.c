/*
 * xv6 compatibility option "sbrk lazy": linked into a program whose
 * folder's xv6-api file holds that line, it makes the program's sbrk()
 * (and so malloc) lazy, as the 2020 lazy-allocation lab made xv6's.  The
 * default is stock xv6's eager sbrk (src/ulib/xv6/syscalls.c).
 */
const int xv6_sbrk_lazy = 1;
