// linux-cflags: -w
// hostile.c: what a program may throw at the signal machinery.  Forged
// rt_sigreturn frames (a kernel address as pc or sp, garbage everywhere,
// a frame at an unmapped or kernel address) may change nothing but the
// caller's own registers: each child below must die of SIGSEGV, or live,
// and the parent must see exactly that.  Bad pointers to the signal calls
// fail with EFAULT; unblockable signals stay unblockable.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

#define KERNEL_ADDR 0xffffffc000000000UL

// The signal (or 100 + exit status) that ended a child running fn.
static int end_of(void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFSIGNALED(st) ? WTERMSIG(st) : 100 + WEXITSTATUS(st);
}

// rt_sigreturn with sp at frame (the kernel reads the ucontext there).
static void sigreturn_at(void *frame)
{
    register long a7 asm("a7") = SYS_rt_sigreturn;
    register void *sp_val asm("t0") = frame;
    asm volatile("mv sp, t0\n\tecall" :: "r"(a7), "r"(sp_val) : "memory");
}

static char frame_space[8192] __attribute__((aligned(16)));

// A frame as the kernel would build it: siginfo (128 bytes), then ucontext.
static ucontext_t *forged(void)
{
    memset(frame_space, 0, sizeof frame_space);
    ucontext_t *uc = (ucontext_t *)(frame_space + 128);
    return uc;
}

static void pc_kernel(void)
{
    ucontext_t *uc = forged();
    uc->uc_mcontext.__gregs[0] = KERNEL_ADDR;           // pc
    uc->uc_mcontext.__gregs[2] = (uintptr_t)(frame_space + 4096);  // sp
    sigreturn_at(frame_space);
}

static void pc_null(void)
{
    ucontext_t *uc = forged();
    uc->uc_mcontext.__gregs[2] = (uintptr_t)(frame_space + 4096);
    sigreturn_at(frame_space);
}

static void sp_kernel(void)
{
    ucontext_t *uc = forged();
    // resume in a function that uses the stack, with sp in the kernel half
    uc->uc_mcontext.__gregs[0] = (uintptr_t)abort;
    uc->uc_mcontext.__gregs[2] = KERNEL_ADDR + 4096;
    sigreturn_at(frame_space);
}

static void garbage(void)
{
    memset(frame_space, 0xa5, sizeof frame_space);
    sigreturn_at(frame_space);
}

static void frame_unmapped(void)
{
    sigreturn_at((void *)16);
}

static void frame_kernel(void)
{
    sigreturn_at((void *)KERNEL_ADDR);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    check("forged-pc-kernel-segv", end_of(pc_kernel), SIGSEGV);
    check("forged-pc-null-segv", end_of(pc_null), SIGSEGV);
    check("forged-sp-kernel-segv", end_of(sp_kernel), SIGSEGV);
    check("forged-garbage-segv", end_of(garbage), SIGSEGV);
    check("frame-unmapped-segv", end_of(frame_unmapped), SIGSEGV);
    check("frame-kernel-segv", end_of(frame_kernel), SIGSEGV);

    // the signal calls with bad pointers, and what may never be blocked
    check_err("sigaction-bad-act", syscall(SYS_rt_sigaction, SIGUSR1, (void *)KERNEL_ADDR, NULL, 8), EFAULT);
    check_err("sigaction-bad-old", syscall(SYS_rt_sigaction, SIGUSR1, NULL, (void *)1, 8), EFAULT);
    check_err("sigaction-bad-size", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL);
    check_err("sigprocmask-bad-set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)KERNEL_ADDR, NULL, 8), EFAULT);
    check_err("sigaltstack-bad", syscall(SYS_sigaltstack, (void *)KERNEL_ADDR, NULL), EFAULT);
    check_err("sigpending-bad", syscall(SYS_rt_sigpending, (void *)1, 8), EFAULT);
    check_err("sigsuspend-bad", syscall(SYS_rt_sigsuspend, (void *)KERNEL_ADDR, 8), EFAULT);
    sigset_t all, now;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    sigprocmask(SIG_SETMASK, NULL, &now);
    check("sigkill-never-blocked", sigismember(&now, SIGKILL), 0);
    check("sigstop-never-blocked", sigismember(&now, SIGSTOP), 0);
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    check_err("sigaction-sigkill", sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL), EINVAL);

    printf("hostile: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}
