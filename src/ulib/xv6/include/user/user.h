/*
 * xv6 compatibility: user/user.h.  A program written for stock xv6-riscv
 * (2022 or 2025) or for the 6.1810 labs compiles against these headers
 * unchanged, with stock xv6's flags, and links with libxv6.  The
 * declarations are stock xv6's, letter for letter where the types
 * matter (printf has no format attribute, as there).
 */
#ifndef XV6_USER_H
#define XV6_USER_H

struct stat;
struct sysinfo;

typedef unsigned long size_t;   /* the mmap lab's types */
typedef long off_t;

/* system calls */
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int *);
int pipe(int *);
int write(int, const void *, int);
int read(int, void *, int);
int close(int);
int kill(int);
int exec(const char *, char **);
int open(const char *, int);
int mknod(const char *, short, short);
int unlink(const char *);
int fstat(int fd, struct stat *);
int link(const char *, const char *);
int mkdir(const char *);
int chdir(const char *);
int dup(int);
int getpid(void);
char *sbrk(int);
char *sbrklazy(int);
int sleep(int);
int pause(int);
int uptime(void);

#define SBRK_ERROR ((char *)-1)

/* the labs' system calls */
int trace(int);                                 /* syscall lab */
int sysinfo(struct sysinfo *);                  /* syscall lab */
int sigalarm(int ticks, void (*handler)());     /* traps lab */
int sigreturn(void);                            /* traps lab */
int ugetpid(void);                              /* pgtbl lab: no trap */
int pgaccess(void *base, int len, void *mask);  /* pgtbl lab 2021-23 */
uint64 pgpte(void *);                           /* pgtbl lab 2025 */
void kpgtbl(void);                              /* pgtbl lab 2025 */
int symlink(char *, char *);                    /* fs lab */
void *mmap(void *, size_t, int, int, int, off_t);   /* mmap lab: Canopy's mmap */
int munmap(void *, size_t);                         /* mmap lab */

/* ulib.c */
int stat(const char *, struct stat *);
char *strcpy(char *, const char *);
void *memmove(void *, const void *, int);
char *strchr(const char *, char c);
int strcmp(const char *, const char *);
void fprintf(int, const char *, ...);
void printf(const char *, ...);
char *gets(char *, int max);
uint strlen(const char *);
void *memset(void *, int, uint);
int atoi(const char *);
int memcmp(const void *, const void *, uint);
void *memcpy(void *, const void *, uint);

/* umalloc.c */
void *malloc(uint);
void free(void *);

#endif
