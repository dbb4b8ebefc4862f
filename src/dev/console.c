/*
 * Console line discipline.  Input arrives from the UART interrupt, is
 * echoed and edited (backspace, ^U kills the line, ^D ends input) and
 * becomes readable a line at a time; ^P lists the processes (proc_dump).
 * Output from processes and from the kernel's printf share one lock, so
 * lines stay whole.
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

#define INPUT_SIZE 256
#define CTRL(x) ((x) - '@')
#define BACKSPACE 0x100

static struct {
	struct spinlock lock;
	struct sleeplock reader;        /* one reader at a time */
	char buf[INPUT_SIZE];
	uint64 r;   /* next byte to read */
	uint64 w;   /* end of the committed lines */
	uint64 e;   /* end of the line being edited */
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

/* Called with interrupts off, from the UART interrupt. */
void
console_input(int c)
{
	if (c == CTRL('P')) {   /* what every process is doing (a stuck system) */
		proc_dump();
		return;
	}
	spin_lock(&in.lock);
	switch (c) {
	case CTRL('U'):
		while (in.e != in.w && in.buf[(in.e - 1) % INPUT_SIZE] != '\n') {
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
		if (c == 0 || in.e - in.r >= INPUT_SIZE)
			break;
		c = (c == '\r') ? '\n' : c;
		if (c != CTRL('D'))
			echo(c);
		in.buf[in.e++ % INPUT_SIZE] = (char)c;
		if (c == '\n' || c == CTRL('D') || in.e - in.r == INPUT_SIZE) {
			in.w = in.e;
			wakeup(&in.r);
		}
		break;
	}
	spin_unlock(&in.lock);
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
	char line[INPUT_SIZE];
	int got = 0;

	if (n > INPUT_SIZE)
		n = INPUT_SIZE;
	sleep_lock(&in.reader);
	spin_lock(&in.lock);
	while (in.r == in.w) {
		if (proc_killed(myproc())) {
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

static void
console_irq(void *arg)
{
	(void)arg;
	uart_intr();
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
