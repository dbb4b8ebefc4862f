/* The memory devices: null, zero and urandom (dev/memdev.c). */
#ifndef DEV_MEMDEV_H
#define DEV_MEMDEV_H

#define DEV_NULL    2   /* device major numbers, after the console's */
#define DEV_ZERO    3
#define DEV_URANDOM 4

void memdev_init(void);
int memdev_by_name(const char *path);   /* the major of /dev/null, /dev/zero, /dev/urandom, or -1 */

#endif
