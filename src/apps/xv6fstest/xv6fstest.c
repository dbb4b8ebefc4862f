// xv6fstest: file-system calls as a program written for stock xv6 makes
// them (user/user.h, kernel/fcntl.h, kernel/stat.h, kernel/fs.h), built
// against Canopy's xv6 compatibility layer.  Works in /xv6fs, which it
// leaves empty.  Prints PASS/FAIL per test and "xv6fstest: N passed, M failed"
// through libxv6's runner (xv6testing.h), which runs each check in this process.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "user/user.h"
#include "xv6testing.h"

// create, write, close, reopen, read, fstat
int
t_create(void)
{
  char buf[32];
  struct stat st;
  int fd = open("f", O_CREATE | O_RDWR);
  if(fd < 0 || write(fd, "xv6 bytes", 9) != 9)
    return 0;
  close(fd);
  fd = open("f", O_RDONLY);
  if(fd < 0 || read(fd, buf, sizeof(buf)) != 9 || memcmp(buf, "xv6 bytes", 9) != 0)
    return 0;
  if(fstat(fd, &st) < 0 || st.type != T_FILE || st.size != 9 || st.nlink != 1)
    return 0;
  close(fd);
  if(stat("f", &st) < 0 || st.size != 9)
    return 0;
  fd = open("f", O_WRONLY | O_TRUNC);
  close(fd);
  return stat("f", &st) == 0 && st.size == 0 && unlink("f") == 0 && open("f", O_RDONLY) < 0;
}

// directories as xv6's ls reads them: struct dirent, DIRSIZ names
int
t_dirents(void)
{
  struct dirent de;
  struct stat st;
  int found = 0;
  if(mkdir("sub") < 0 || mkdir("sub") == 0)
    return 0;
  int fd = open(".", O_RDONLY);
  if(fd < 0 || fstat(fd, &st) < 0 || st.type != T_DIR)
    return 0;
  while(read(fd, &de, sizeof(de)) == sizeof(de))
    if(de.inum != 0 && strcmp(de.name, "sub") == 0)
      found = 1;
  close(fd);
  if(chdir("sub") < 0 || chdir("..") < 0)
    return 0;
  return found && unlink("sub") == 0 && sizeof(de) == 16 && BSIZE == 1024 && ROOTINO == 1;
}

// link and unlink
int
t_links(void)
{
  struct stat st;
  int fd = open("a", O_CREATE | O_WRONLY);
  close(fd);
  if(link("a", "b") < 0 || link("a", "b") == 0)
    return 0;
  if(stat("b", &st) < 0 || st.nlink != 2)
    return 0;
  return unlink("a") == 0 && stat("b", &st) == 0 && st.nlink == 1 && unlink("b") == 0;
}

// the fs lab's symlink and O_NOFOLLOW
int
t_symlink(void)
{
  char buf[32];
  struct stat st;
  int fd = open("target", O_CREATE | O_WRONLY);
  write(fd, "T", 1);
  close(fd);
  if(symlink("target", "link") < 0)
    return 0;
  fd = open("link", O_RDONLY);
  if(fd < 0 || read(fd, buf, 1) != 1 || buf[0] != 'T')
    return 0;
  close(fd);
  fd = open("link", O_RDONLY | O_NOFOLLOW);
  if(fd < 0 || fstat(fd, &st) < 0 || st.type != T_SYMLINK || read(fd, buf, sizeof(buf)) != 6)
    return 0;
  close(fd);
  if(symlink("loop", "loop") < 0 || open("loop", O_RDONLY) >= 0)
    return 0;
  return unlink("link") == 0 && unlink("loop") == 0 && unlink("target") == 0;
}

// the console as xv6's init opens it, and mknod
int
t_console(void)
{
  struct stat st;
  int fd = open("/console", O_RDWR);
  if(fd < 0 || fstat(fd, &st) < 0 || st.type != T_DEVICE)
    return 0;
  close(fd);
  if(mknod("cons", 1, 0) < 0)
    return 0;
  fd = open("cons", O_WRONLY);
  if(fd < 0)
    return 0;
  close(fd);
  return unlink("cons") == 0;
}

// names longer than DIRSIZ are cut, as on xv6
int
t_long_name(void)
{
  int fd = open("abcdefghijklmnopqrst", O_CREATE | O_WRONLY);
  if(fd < 0)
    return 0;
  close(fd);
  fd = open("abcdefghijklmn", O_RDONLY);
  if(fd < 0)
    return 0;
  close(fd);
  return unlink("abcdefghijklmnXX") == 0;
}

// bad arguments fail, as xv6's usertests expect
int
t_bad_args(void)
{
  return open((char *)0xffffffffffffffffUL, O_RDONLY) < 0 &&
         open((char *)0x80000000UL, O_RDONLY) < 0 && mkdir((char *)0) < 0 &&
         unlink("") < 0 && chdir("nowhere") < 0 && link("nowhere", "x") < 0 &&
         read(NOFILE, 0, 1) < 0;
}

// /xv6fs is empty again: the tests removed all they made
int
t_left_empty(void)
{
  chdir("/");
  return unlink("/xv6fs") == 0;
}

struct xv6t_check checks[] = {
  { "xv6_create", t_create },
  { "xv6_dirents", t_dirents },
  { "xv6_links", t_links },
  { "xv6_symlink", t_symlink },
  { "xv6_console", t_console },
  { "xv6_long_name", t_long_name },
  { "xv6_bad_args", t_bad_args },
  { "xv6_left_empty", t_left_empty },
  { 0, 0 },
};

int
main(void)
{
  if(mkdir("/xv6fs") < 0 || chdir("/xv6fs") < 0){
    printf("xv6fstest: cannot make /xv6fs\n");
    exit(1);
  }
  xv6t_run_checks(checks);
  xv6t_exit("xv6fstest");
}
