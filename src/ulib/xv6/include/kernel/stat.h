/* xv6 compatibility: struct stat, laid out as Canopy's fstat fills it. */
#ifndef XV6_STAT_H
#define XV6_STAT_H

#define T_DIR     1
#define T_FILE    2
#define T_DEVICE  3
#define T_SYMLINK 4

struct stat {
	int dev;
	uint ino;
	short type;
	short nlink;
	uint64 size;
};

#endif
