// xv6test: a program written against stock xv6's user API (user/user.h and
// the kernel headers), built unchanged against Canopy's compat layer.
// Prints PASS/FAIL per test and "xv6test: N passed, M failed" through
// libxv6's runner (xv6testing.h), which runs each check in this process.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/syscall.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/sysinfo.h"
#include "user/user.h"
#include "xv6testing.h"

// fork, exit status, wait
int
t_fork(void)
{
  int pid = fork();
  if(pid == 0)
    exit(17);
  int st = 0;
  if(wait(&st) != pid || st != 17)
    return 0;
  return wait(0) == -1;
}

// ugetpid() agrees with getpid() in the parent and in children
int
t_ugetpid(void)
{
  for(int i = 0; i < 8; i++){
    int pid = fork();
    if(pid == 0)
      exit(ugetpid() == getpid() ? 0 : 1);
    int st;
    wait(&st);
    if(st != 0)
      return 0;
  }
  struct usyscall *u = (struct usyscall *)USYSCALL;
  return ugetpid() == getpid() && u->pid == getpid();
}

// pipe round trip
int
t_pipe(void)
{
  int fds[2];
  char buf[16];
  if(pipe(fds) < 0)
    return 0;
  if(write(fds[1], "hello", 5) != 5)
    return 0;
  close(fds[1]);
  int n = read(fds[0], buf, sizeof(buf));
  close(fds[0]);
  return n == 5 && memcmp(buf, "hello", 5) == 0;
}

// sbrk grows, memory is zero, shrinks back
int
t_sbrk(void)
{
  char *a = sbrk(0);
  char *b = sbrk(3 * PGSIZE);
  if(b != a)
    return 0;
  for(int i = 0; i < 3 * PGSIZE; i++)
    if(b[i] != 0)
      return 0;
  b[2 * PGSIZE + 7] = 'x';
  if(sbrk(-3 * PGSIZE) == SBRK_ERROR)
    return 0;
  return sbrk(0) == a;
}

// malloc and free
int
t_malloc(void)
{
  char *p[50];
  for(int i = 0; i < 50; i++){
    p[i] = malloc(100 + i * 37);
    if(p[i] == 0)
      return 0;
    memset(p[i], i, 100 + i * 37);
  }
  for(int i = 0; i < 50; i++){
    for(int j = 0; j < 100 + i * 37; j++)
      if(p[i][j] != (char)i)
        return 0;
  }
  for(int i = 0; i < 50; i += 2)
    free(p[i]);
  for(int i = 1; i < 50; i += 2)
    free(p[i]);
  char *big = malloc(200000);
  if(big == 0)
    return 0;
  big[199999] = 1;
  free(big);
  return 1;
}

// the ulib string functions
int
t_strings(void)
{
  char buf[32];
  strcpy(buf, "canopy");
  if(strlen(buf) != 6 || strcmp(buf, "canopy") != 0 || strcmp("a", "b") >= 0)
    return 0;
  if(strchr(buf, 'p') != buf + 4 || strchr(buf, 'z') != 0)
    return 0;
  if(atoi("4096") != 4096)
    return 0;
  memmove(buf + 1, buf, 6);
  return memcmp(buf, "ccanopy", 7) == 0;
}

// kill a child; its status is -1
int
t_kill(void)
{
  int pid = fork();
  if(pid == 0){
    for(;;)
      sleep(1);
  }
  sleep(2);
  if(kill(pid) < 0)
    return 0;
  int st = 0;
  return wait(&st) == pid && st == -1;
}

// uptime advances across sleep
int
t_sleep(void)
{
  int t0 = uptime();
  sleep(3);
  return uptime() - t0 >= 3;
}

// the addresses stock usertests pass must be refused, never crash
int
t_badaddr(void)
{
  uint64 addrs[] = { 0x80000000LL, 0xffffffffffffffff, MAXVA, MAXVA - 1, TRAMPOLINE };
  int fds[2];
  if(pipe(fds) < 0)
    return 0;
  write(fds[1], "x", 1);
  for(int i = 0; i < sizeof(addrs)/sizeof(addrs[0]); i++){
    if(read(fds[0], (void*)addrs[i], 8192) != -1)
      return 0;
    if(write(fds[1], (void*)addrs[i], 8192) != -1)
      return 0;
    if(pipe((int*)addrs[i]) != -1)
      return 0;
    char *argv[] = { "echo", 0 };
    if(exec((char*)addrs[i], argv) != -1)
      return 0;
  }
  return 1;
}

// a write to MAXVA and beyond kills the writer
int
t_maxva(void)
{
  int pid = fork();
  if(pid == 0){
    *(volatile char *)MAXVA = 1;
    exit(0);
  }
  int st = 0;
  wait(&st);
  return st == -1;
}

// exec with arguments; fds survive exec
int
t_exec(void)
{
  int fds[2];
  pipe(fds);
  int pid = fork();
  if(pid == 0){
    close(1);
    dup(fds[1]);
    char *argv[] = { "echo", "from", "xv6", 0 };
    exec("echo", argv);
    exit(1);
  }
  close(fds[1]);
  char buf[32];
  int n = 0, r;
  while((r = read(fds[0], buf + n, sizeof(buf) - 1 - n)) > 0)
    n += r;
  buf[n] = 0;
  int st;
  wait(&st);
  return st == 0 && strcmp(buf, "from xv6\n") == 0;
}

// printf formats as xv6's
int
t_printf(void)
{
  int fds[2];
  pipe(fds);
  fprintf(fds[1], "%d %x %s %c %% %ld %p|", -42, 255, "str", 'c', 1234567890123L, (void*)0x1000);
  close(fds[1]);
  char buf[80];
  int n = read(fds[0], buf, sizeof(buf) - 1);
  buf[n > 0 ? n : 0] = 0;
  return strcmp(buf, "-42 ff str c % 1234567890123 0x0000000000001000|") == 0;
}

// constants a program may rely on
int
t_constants(void)
{
  return SYS_fork == 1 && SYS_close == 21 && O_CREATE == 0x200 && DIRSIZ == 14 &&
         sizeof(struct dirent) == 16 && T_DIR == 1 && PGROUNDUP(1) == PGSIZE && NOFILE == 64 &&
         MAXARG == 32 && PTE_U == 16;
}

// 1 KiB frames, n deep
int
deep(int n)
{
  volatile char pad[1024];

  pad[0] = n;
  return n ? deep(n - 1) + pad[0] : 0;
}

// the whole stack is there from the start, as xv6's exec maps it: a first
// use of 20 KiB of it moves no free-memory count (run first, on a fresh stack)
int
t_stack(void)
{
  struct sysinfo a, b;

  if(sysinfo(&a) < 0)
    return 0;
  deep(20);
  if(sysinfo(&b) < 0)
    return 0;
  if(a.freemem != b.freemem)
    printf("the stack took %d pages at first use\n", (int)((a.freemem - b.freemem) / PGSIZE));
  return a.freemem == b.freemem;
}

// t_stack first, on a fresh stack
struct xv6t_check checks[] = {
  { "xv6_stack", t_stack },
  { "xv6_fork", t_fork },
  { "xv6_ugetpid", t_ugetpid },
  { "xv6_pipe", t_pipe },
  { "xv6_sbrk", t_sbrk },
  { "xv6_malloc", t_malloc },
  { "xv6_strings", t_strings },
  { "xv6_kill", t_kill },
  { "xv6_sleep", t_sleep },
  { "xv6_badaddr", t_badaddr },
  { "xv6_maxva", t_maxva },
  { "xv6_exec", t_exec },
  { "xv6_printf", t_printf },
  { "xv6_constants", t_constants },
  { 0, 0 },
};

int
main(int argc, char *argv[])
{
  xv6t_run_checks(checks);
  xv6t_exit("xv6test");
}
