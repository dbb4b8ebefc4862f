/*
 * Console line discipline.  Input arrives from the UART interrupt, is
 * echoed and edited (backspace, ^U kills the line, ^D ends input) and
 * becomes readable a line at a time; ^P lists the processes (proc_dump).
 * Output from processes and from the kernel's printf share one lock, so
 * lines stay whole.
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
#include "dev/irq.h"
#include "boot/fdt.h"
#include "fs/file.h"
#include "sched/proc.h"
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

static void
echo(int c)
{
	if (c == BACKSPACE) {
		uart_putc('\b');
		uart_putc(' ');
		uart_putc('\b');
	} else {
		uart_putc(c);
	}
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

/* Store an ordinary byte; a newline or ^D makes the line readable. */
static void
store(int c)
{
	c = (c == '\r') ? '\n' : c;
	bool ends = (c == '\n' || c == CTRL('D'));
	if (!ends && in.e - in.w >= LINE_MAX) {
		refuse_line();
		return;
	}
	if (c != CTRL('D'))
		echo(c);
	in.buf[in.e++ % INPUT_SIZE] = (char)c;
	if (ends) {
		in.w = in.e;
		wakeup(&in.r);
	}
}

/* One input byte other than ^P.  Called with in.lock held and room for it. */
static void
edit(int c)
{
	assert_held(&in.lock);
	if (in.discarding) {
		if (c == '\r' || c == '\n')
			in.discarding = false;
		return;
	}
	switch (c) {
	case 0:
		break;
	case CTRL('U'):
		while (in.e != in.w) {
			in.e--;
			echo(BACKSPACE);
		}
		break;
	case CTRL('H'):
	case 0x7f:
		if (in.e != in.w) {
			in.e--;
			echo(BACKSPACE);
		}
		break;
	default:
		store(c);
		break;
	}
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

	spin_lock(&in.lock);
	while (!input_full()) {
		int c = uart_getc();
		if (c < 0)
			break;
		if (c == CTRL('P'))     /* what every process is doing (a stuck system) */
			dump = true;
		else
			edit(c);
	}
	if (input_full() && !in.stalled) {
		in.stalled = true;
		uart_rx_interrupt(false);
	}
	spin_unlock(&in.lock);
	if (dump)
		proc_dump();
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
		if (c == CTRL('D')) {
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
		spin_lock(&out_lock);
		for (int i = 0; i < m; i++)
			uart_putc(chunk[i]);
		spin_unlock(&out_lock);
		done += m;
	}
	return done;
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
