/* xv6 compatibility: directory entries as programs like ls read them. */
#ifndef XV6_FS_H
#define XV6_FS_H

#define ROOTINO 1
#define BSIZE 1024
#define DIRSIZ 14

struct dirent {
	ushort inum;
	char name[DIRSIZ];
};

#endif
