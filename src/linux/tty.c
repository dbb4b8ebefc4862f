/*
 * The console as a Linux terminal: ioctl's terminal requests.  The
 * termios a program sets is kept whole (TCGETS gives it back as set);
 * the console (dev/console.c) acts on canonical mode, echo, the signal
 * keys and CR to NL.  The foreground process group is the console's:
 * the group ^C, ^\ and ^Z signal.  Any other file is not a terminal,
 * but a pipe answers FIONREAD.
 */
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "dev/console.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "sync/spinlock.h"
#include "vm/uaccess.h"
#include "lib/string.h"

static struct spinlock termios_lock = { .name = "termios" };
static struct termios termios = {
	.c_iflag = ICRNL,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = CS8 | CREAD | B38400,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK,
	.c_cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21, [VEOF] = 4,
		  [VMIN] = 1, [VSUSP] = 26 },
};

/* What the console acts on, from t. */
static void
apply(const struct termios *t)
{
	struct console_mode m = {
		.canonical = t->c_lflag & ICANON, .echo = t->c_lflag & ECHO,
		.signals = t->c_lflag & ISIG, .crnl = t->c_iflag & ICRNL,
		.intr = (char)t->c_cc[VINTR], .quit = (char)t->c_cc[VQUIT],
		.susp = (char)t->c_cc[VSUSP], .eof = (char)t->c_cc[VEOF],
		.erase = (char)t->c_cc[VERASE], .kill = (char)t->c_cc[VKILL],
	};
	console_set_mode(&m);
}

static long
console_ioctl(uint64 req, uint64 addr)
{
	struct proc *p = myproc();
	struct termios t;
	int pgid;

	switch (req) {
	case TCGETS:
		spin_lock(&termios_lock);
		t = termios;
		spin_unlock(&termios_lock);
		return copyout(addr, &t, sizeof(t)) < 0 ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copyin(&t, addr, sizeof(t)) < 0)
			return -EFAULT;
		spin_lock(&termios_lock);
		termios = t;
		spin_unlock(&termios_lock);
		apply(&t);
		return 0;
	case TIOCGWINSZ: {
		struct winsize w = { 24, 80, 0, 0 };
		return copyout(addr, &w, sizeof(w)) < 0 ? -EFAULT : 0;
	}
	case TIOCSWINSZ:
		return 0;
	case TIOCGPGRP:
		pgid = console_foreground() ? console_foreground() : p->pgid;
		return copyout(addr, &pgid, sizeof(pgid)) < 0 ? -EFAULT : 0;
	case TIOCSPGRP:
		if (copyin(&pgid, addr, sizeof(pgid)) < 0)
			return -EFAULT;
		if (pgid <= 0)
			return -EINVAL;
		if (!proc_group_in_session(pgid, p->sid))
			return -EPERM;
		console_set_foreground(pgid, true);
		return 0;
	case TIOCGSID:
		return copyout(addr, &p->sid, sizeof(p->sid)) < 0 ? -EFAULT : 0;
	case TIOCSCTTY:
	case TIOCNOTTY:
		return 0;       /* one terminal, every session's */
	case FIONREAD: {
		int none = 0;
		return copyout(addr, &none, sizeof(none)) < 0 ? -EFAULT : 0;
	}
	default:
		return -EINVAL;
	}
}

long
lx_ioctl(void)
{
	struct file *f;
	uint64 req = (uint32)arg_int(1), addr = arg_addr(2);
	long r = lx_fd((int)arg_int(0), &f);

	if (r < 0)
		return r;
	if (f->type == FD_PIPE && req == FIONREAD) {
		int n = pipe_available(f->pipe);
		return copyout(addr, &n, sizeof(n)) < 0 ? -EFAULT : 0;
	}
	if (f->type != FD_DEVICE || f->major != CONSOLE)
		return -ENOTTY;
	return console_ioctl(req, addr);
}
