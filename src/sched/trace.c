/*
 * System-call tracing (trace(mask, flags)).  A process with bit N of its
 * mask set prints one line on the console for each call N it makes, when
 * the call returns:
 *
 *	4: syscall read -> 12                             (the xv6 lab's format)
 *	4: syscall read(3, 0x0000000000015010, 512) -> 12 (TRACE_ARGS)
 *
 * With TRACE_ARGS the arguments are decoded, as a small strace would:
 * descriptors and sizes in decimal, flags in hex, pointers as addresses,
 * paths as quoted strings (read when the call starts, cut at 48 bytes).
 * exit, which never returns, prints "-> ?" first, in that mode only.
 *
 * The mask is inherited by fork and kept across exec; trace(0, 0) stops.
 */
#include "sched/trace.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "vm/uaccess.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include "lib/errno.h"
#include "linux/syscall.h"
#include <canopy/syscall.h>

/*
 * How each argument prints: 'd' a signed int, 'l' a signed long, 'n' an
 * unsigned size, 'x' a hex word (flags, modes), 'p' a pointer, 's' a path
 * string.
 */
struct callinfo {
	const char *name;
	const char *args;
};

static const struct callinfo calls[] = {
	[SYS_null] = { "null", "" },
	[SYS_fork] = { "fork", "" },
	[SYS_exit] = { "exit", "d" },
	[SYS_wait] = { "wait", "p" },
	[SYS_pipe] = { "pipe", "p" },
	[SYS_read] = { "read", "dpn" },
	[SYS_kill] = { "kill", "d" },
	[SYS_exec] = { "exec", "sp" },
	[SYS_fstat] = { "fstat", "dp" },
	[SYS_chdir] = { "chdir", "s" },
	[SYS_dup] = { "dup", "d" },
	[SYS_getpid] = { "getpid", "" },
	[SYS_sbrk] = { "sbrk", "ld" },
	[SYS_sleep] = { "sleep", "d" },
	[SYS_uptime] = { "uptime", "" },
	[SYS_open] = { "open", "sx" },
	[SYS_write] = { "write", "dpn" },
	[SYS_mknod] = { "mknod", "sdd" },
	[SYS_unlink] = { "unlink", "s" },
	[SYS_link] = { "link", "ss" },
	[SYS_mkdir] = { "mkdir", "s" },
	[SYS_close] = { "close", "d" },
	[SYS_symlink] = { "symlink", "ss" },
	[SYS_pgaccess] = { "pgaccess", "pdp" },
	[SYS_vmprint] = { "vmprint", "dpn" },
	[SYS_sysinfo] = { "sysinfo", "p" },
	[SYS_poweroff] = { "poweroff", "d" },
	[SYS_bootargs] = { "bootargs", "pn" },
	[SYS_selftest] = { "selftest", "dx" },
	[SYS_lseek] = { "lseek", "ddd" },
	[SYS_trace] = { "trace", "xx" },
	[SYS_sigalarm] = { "sigalarm", "dp" },
	[SYS_sigreturn] = { "sigreturn", "" },
	[SYS_pgpte] = { "pgpte", "p" },
	[SYS_kpgtbl] = { "kpgtbl", "" },
	[SYS_procinfo] = { "procinfo", "pd" },
	[SYS_mmap] = { "mmap", "pnxx" },
	[SYS_munmap] = { "munmap", "pn" },
	[SYS_msync] = { "msync", "pnx" },
	[SYS_execve] = { "execve", "spp" },
	[SYS_setpgid] = { "setpgid", "dd" },
	[SYS_tcsetpgrp] = { "tcsetpgrp", "d" },
};

#define MAX_ARGS 4
#define STR_SHOWN 48

/* The printable start of the user string at addr, quoted, into out; false if unreadable. */
static bool
user_string(uint64 addr, char *out, int size)
{
	char s[STR_SHOWN + 1];
	int n = 0;

	while (n < STR_SHOWN && copyin(&s[n], addr + n, 1) == 0 && s[n] != 0)
		n++;
	if (n == 0 && copyin(&s[0], addr, 1) < 0)
		return false;
	int at = 0;
	out[at++] = '"';
	for (int i = 0; i < n && at < size - 8; i++)
		out[at++] = (s[i] >= ' ' && s[i] < 127 && s[i] != '"') ? s[i] : '?';
	out[at++] = '"';
	if (n == STR_SHOWN)
		at += snprintf(out + at, size - at, "...");
	out[at] = 0;
	return true;
}

/* The call's arguments, decoded into out, as the call starts. */
static void
decode_args(const struct callinfo *ci, struct trapframe *tf, char *out, int size)
{
	uint64 regs[MAX_ARGS] = { tf->a0, tf->a1, tf->a2, tf->a3 };
	int at = 0;

	out[0] = 0;
	for (int i = 0; ci->args[i] && i < MAX_ARGS && at < size - 1; i++) {
		char one[STR_SHOWN + 16];
		uint64 v = regs[i];
		switch (ci->args[i]) {
		case 'd': snprintf(one, sizeof(one), "%d", (int)v); break;
		case 'l': snprintf(one, sizeof(one), "%ld", (long)v); break;
		case 'n': snprintf(one, sizeof(one), "%lu", v); break;
		case 'x': snprintf(one, sizeof(one), "0x%lx", v); break;
		case 's':
			if (user_string(v, one, sizeof(one)))
				break;
			__attribute__((fallthrough));   /* unreadable: show the pointer */
		default: snprintf(one, sizeof(one), "%p", (void *)v); break;
		}
		at += snprintf(out + at, size - at, "%s%s", i ? ", " : "", one);
	}
}

/* Run the call (ci; ends the process if exits) for p, which traces it, printing its line. */
static void
trace_run(struct proc *p, struct trapframe *tf, uint64 num, const struct callinfo *ci,
	  bool exits, long (*handler)(void), long unknown_result)
{
	bool args = p->trace_flags & TRACE_ARGS;
	char text[MAX_ARGS * (STR_SHOWN + 16)];
	char name[24];

	if (ci->name)
		strlcpy(name, ci->name, sizeof(name));
	else
		snprintf(name, sizeof(name), "syscall%lu", num);
	if (args)
		decode_args(ci, tf, text, sizeof(text));
	if (args && exits)
		kprintf("%d: syscall %s(%s) -> ?\n", p->pid, name, text);
	long ret = handler ? handler() : unknown_result;
	tf->a0 = ret;
	if (args)
		kprintf("%d: syscall %s(%s) -> %ld\n", p->pid, name, text, ret);
	else
		kprintf("%d: syscall %s -> %ld\n", p->pid, name, ret);
}

/* Run Canopy call num for p, which traces it, printing its line. */
void
trace_call(struct proc *p, struct trapframe *tf, uint64 num, long (*handler)(void))
{
	static const struct callinfo unknown = { NULL, "xxx" };
	const struct callinfo *ci = num < NELEM(calls) && calls[num].name ? &calls[num] : &unknown;

	trace_run(p, tf, num, ci, num == SYS_exit, handler, -1);
}

/*
 * A Linux process traces all its calls while its mask is not 0, by their
 * Linux names (linux/names.c), the result a -errno on failure.
 */
void
trace_linux_call(struct proc *p, struct trapframe *tf, uint64 num, long (*handler)(void))
{
	const char *args = linux_call_args(num);
	struct callinfo ci = { linux_call_name(num), args ? args : "xxx" };

	trace_run(p, tf, num, &ci, linux_call_exits(num), handler, -ENOSYS);
}

/* trace(mask, flags): trace the calls whose bits are set in mask.  0, or -1 for unknown flags. */
long
sys_trace(void)
{
	struct proc *p = myproc();
	uint64 flags = arg_addr(1);

	if (flags & ~(uint64)TRACE_ARGS)
		return -1;
	p->trace_mask = arg_addr(0);
	p->trace_flags = (int)flags;
	return 0;
}
