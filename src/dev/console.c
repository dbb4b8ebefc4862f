/*
 * Console line discipline.  Input arrives from the UART interrupt, is
 * echoed and edited (backspace, ^U kills the line, ^D ends input) and
 * becomes readable a line at a time; ^P lists the processes (proc_dump).
 * ^C, ^\\ and ^Z send SIGINT, SIGQUIT and SIGTSTP to the foreground
 * process group (console_set_foreground), and drop the line being typed.
 * In raw mode (console_set_mode: the Linux ABI's termios, for line
 * editors such as busybox's) each byte is readable at once, unedited,
 * echoed only if echo is on.
 * Output from processes, the kernel's printf and the echo share one lock
 * (taken after in.lock), so lines stay whole and an echoed ^C is never
 * split by another hart's output.
 *
 * No input byte is dropped while a reader is behind: when the buffer is
 * full the console stops taking bytes from the UART (its receive interrupt
 * goes off) and the UART, QEMU behind it, holds the rest until a read makes
 * room.  A line may be LINE_MAX characters long, its newline not counted;
 * a longer one is refused whole, with a message, rather than handed over in
 * pieces that would run as separate commands.  The buffer holds more than
 * one longest line, so a full buffer always has a complete line a reader
 * can take.
 */
#include "dev/console.h"
#include "dev/uart.h"
#include "sched/pollwait.h"
#include "dev/irq.h"
#include "boot/fdt.h"
#include "fs/file.h"
#include "sched/proc.h"
#include "sched/signal.h"
#include "sync/spinlock.h"
#include "sync/sleeplock.h"
#include "vm/uaccess.h"
#include "debug/kprintf.h"

#define INPUT_SIZE 4096     /* bytes typed ahead that the console holds */
#define LINE_MAX 2047       /* characters in a line, before its newline */
#define READ_CHUNK 256      /* bytes one read gathers (on the kernel stack) */
#define CTRL(x) ((x) - '@')
#define BACKSPACE 0x100

_Static_assert(LINE_MAX < INPUT_SIZE, "a full buffer must hold a whole line");

static struct {
	struct spinlock lock;
	struct sleeplock reader;        /* one reader at a time */
	char buf[INPUT_SIZE];
	uint64 r;   /* next byte to read */
	uint64 w;   /* end of the committed lines */
	uint64 e;   /* end of the line being edited */
	bool stalled;       /* buffer full: the UART's receive interrupt is off */
	bool discarding;    /* dropping the rest of an over-long line */
} in;

static struct spinlock out_lock = { .name = "console out" };

/* The terminal's mode (set by the Linux ABI's TCSETS) and foreground process group. */
static struct console_mode mode = {
	.canonical = true, .echo = true, .signals = true, .crnl = true,
	.intr = CTRL('C'), .quit = CTRL('\\'), .susp = CTRL('Z'), .eof = CTRL('D'),
	.erase = 0x7f, .kill = CTRL('U'),
};
static int fg_group;    /* 0: none (^C only drops the line being typed) */
static bool fg_stops;   /* the group's shell can continue a stopped job: ^Z is sent */

/* Output n bytes as one piece: no other hart's output comes between them. */
static void
put_whole(const char *s, int n)
{
	spin_lock(&out_lock);
	for (int i = 0; i < n; i++)
		uart_putc(s[i]);
	spin_unlock(&out_lock);
}

static void
echo(int c)
{
	char b = (char)c;

	if (c == BACKSPACE)
		put_whole("\b \b", 3);
	else
		put_whole(&b, 1);
}

static bool
input_full(void)
{
	return in.e - in.r >= INPUT_SIZE;
}

/* The line being edited is too long: forget it and drop the rest of it. */
static void
refuse_line(void)
{
	in.e = in.w;
	in.discarding = true;
	kprintf("\nconsole: line too long (over %d characters): discarded\n", LINE_MAX);
}

/* Store an ordinary byte; a newline or ^D makes the line readable (every byte, in raw mode). */
static void
store(int c)
{
	if (c == '\r' && mode.crnl)
		c = '\n';
	if (!mode.canonical) {
		if (mode.echo)
			echo(c);
		in.buf[in.e++ % INPUT_SIZE] = (char)c;
		in.w = in.e;
		wakeup(&in.r);
		poll_notify();
		return;
	}
	bool ends = (c == '\n' || c == mode.eof);
	if (!ends && in.e - in.w >= LINE_MAX) {
		refuse_line();
		return;
	}
	if (c != mode.eof && mode.echo)
		echo(c);
	in.buf[in.e++ % INPUT_SIZE] = (char)(c == mode.eof ? CTRL('D') : c);
	if (ends) {
		in.w = in.e;
		wakeup(&in.r);
		poll_notify();
	}
}

/*
 * The signal a typed byte sends to the foreground group (with signals
 * on), or 0: ^C SIGINT, ^\\ SIGQUIT, ^Z SIGTSTP.
 */
static int
signal_of(int c)
{
	if (!mode.signals || c == 0)
		return 0;
	return c == mode.intr ? SIGINT : c == mode.quit ? SIGQUIT : c == mode.susp ? SIGTSTP : 0;
}

/* One input byte other than ^P and the signal keys.  Called with in.lock held and room for it. */
static void
edit(int c)
{
	assert_held(&in.lock);
	if (in.discarding) {
		if (c == '\r' || c == '\n')
			in.discarding = false;
		return;
	}
	if (!mode.canonical) {
		store(c);
		return;
	}
	if (c == 0)
		return;
	if (c == mode.kill) {
		while (in.e != in.w) {
			in.e--;
			echo(BACKSPACE);
		}
	} else if (c == mode.erase || c == CTRL('H')) {
		if (in.e != in.w) {
			in.e--;
			echo(BACKSPACE);
		}
	} else {
		store(c);
	}
}

/* A signal key was typed (in.lock held): drop the line being typed, show the key. */
static void
interrupt_line(int c)
{
	assert_held(&in.lock);
	in.e = in.w;
	if (mode.echo)
		put_whole((char[]){ '^', (char)(c + '@'), '\n' }, 3);
}

/*
 * Take bytes from the UART while there is room for them; with none, turn
 * its receive interrupt off and leave the rest there (console_read turns
 * it back on).  ^P is answered after the lock is let go: proc_dump prints
 * a lot and takes other locks.
 */
static void
console_irq(void *arg)
{
	(void)arg;
	bool dump = false;
	int sig = 0;

	spin_lock(&in.lock);
	while (!input_full()) {
		int c = uart_getc();
		if (c < 0)
			break;
		if (c == CTRL('P') && mode.canonical) {   /* what every process is doing (a stuck system) */
			dump = true;
		} else if (signal_of(c)) {
			sig = signal_of(c);
			interrupt_line(c);
		} else {
			edit(c);
		}
	}
	if (input_full() && !in.stalled) {
		in.stalled = true;
		uart_rx_interrupt(false);
	}
	int group = fg_group;
	if (sig == SIGTSTP && !fg_stops)
		sig = 0;        /* a shell without job control would wait for the stopped job forever */
	spin_unlock(&in.lock);
	if (dump)
		proc_dump();
	if (sig && group)
		signal_group(group, sig);
}

/* A read consumed bytes (in.lock held): take input again if it had stopped. */
static void
resume_input(void)
{
	assert_held(&in.lock);
	if (in.stalled && !input_full()) {
		in.stalled = false;
		uart_rx_interrupt(true);
	}
}

/*
 * Read up to n bytes, stopping after a newline.  Blocks until a line is
 * there.  ^D at the start of a read gives 0 (end of file).  Bytes are
 * gathered under the lock and copied out after it; they are consumed only
 * once the copy has succeeded, so a bad buffer loses no input.  Readers
 * take turns (in.reader), so nobody consumes the bytes meanwhile; the
 * interrupt only ever appends after in.w.
 */
static int
console_read(bool user, uint64 dst, int n)
{
	char line[READ_CHUNK];
	int got = 0;

	if (n > READ_CHUNK)
		n = READ_CHUNK;
	sleep_lock(&in.reader);
	spin_lock(&in.lock);
	while (in.r == in.w) {
		if (proc_interrupted(myproc())) {
			spin_unlock(&in.lock);
			sleep_unlock(&in.reader);
			return -1;
		}
		sleep(&in.r, &in.lock);
	}
	uint64 r = in.r;
	while (got < n && r != in.w) {
		char c = in.buf[r % INPUT_SIZE];
		if (c == CTRL('D') && mode.canonical) {
			if (got == 0)
				r++;        /* consumed: this read returns 0 */
			break;
		}
		r++;
		line[got++] = c;
		if (c == '\n')
			break;
	}
	spin_unlock(&in.lock);
	int ret = copy_to(user, dst, line, got) < 0 ? -1 : got;
	if (ret >= 0) {
		spin_lock(&in.lock);
		in.r = r;
		resume_input();
		spin_unlock(&in.lock);
	}
	sleep_unlock(&in.reader);
	return ret;
}

static int
console_write(bool user, uint64 src, int n)
{
	char chunk[128];
	int done = 0;

	while (done < n) {
		int m = n - done < (int)sizeof(chunk) ? n - done : (int)sizeof(chunk);
		if (copy_from(user, chunk, src + done, m) < 0)
			return done > 0 ? done : -1;
		put_whole(chunk, m);
		done += m;
	}
	return done;
}

void
console_get_mode(struct console_mode *m)
{
	spin_lock(&in.lock);
	*m = mode;
	spin_unlock(&in.lock);
}

/* A new mode; bytes typed before it stay as they were taken. */
void
console_set_mode(const struct console_mode *m)
{
	spin_lock(&in.lock);
	mode = *m;
	spin_unlock(&in.lock);
}

/* Would a read find input now (poll)? */
bool
console_readable(void)
{
	return __atomic_load_n(&in.r, __ATOMIC_RELAXED) != __atomic_load_n(&in.w, __ATOMIC_RELAXED);
}

/* The foreground process group: the one the signal keys signal (0: none). */
int
console_foreground(void)
{
	return __atomic_load_n(&fg_group, __ATOMIC_RELAXED);
}

/* stops: ^Z may stop the group (its shell has job control: the Linux ABI's TIOCSPGRP). */
void
console_set_foreground(int pgid, bool stops)
{
	spin_lock(&in.lock);
	fg_group = pgid;
	fg_stops = stops;
	spin_unlock(&in.lock);
}

/* For kprintf.  After a panic, no locks: the panicking hart must get through. */
void
console_write_kernel(const char *s, int n)
{
	bool locking = !panicked;

	if (locking)
		spin_lock(&out_lock);
	for (int i = 0; i < n; i++)
		uart_putc(s[i]);
	if (locking)
		spin_unlock(&out_lock);
}

void
console_init(void)
{
	spin_init(&in.lock, "console in");
	sleep_init(&in.reader, "console reader");
	uart_init();
	if (platform.uart.irq)
		irq_register(platform.uart.irq, console_irq, NULL);
	devsw[CONSOLE].read = console_read;
	devsw[CONSOLE].write = console_write;
}
