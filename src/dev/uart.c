/*
 * ns16550a UART driver.  OpenSBI has set the line up; we enable the FIFOs
 * and the receive interrupt.  Output is polled: QEMU's UART drains at once,
 * so waiting for THRE costs nothing and keeps the driver simple.
 */
#include "lib/types.h"
#include "dev/uart.h"
#include "dev/console.h"
#include "boot/fdt.h"
#include "boot/sbi.h"
#include "vm/kernel_layout.h"

#define RBR 0   /* receive buffer (read) */
#define THR 0   /* transmit holding (write) */
#define IER 1   /* interrupt enable */
#define FCR 2   /* FIFO control (write) */
#define LSR 5   /* line status */

#define IER_RX     0x01
#define FCR_ENABLE 0x01
#define LSR_DR     0x01
#define LSR_THRE   0x20

static volatile uint8 *regs;

static inline uint8
reg_read(int r)
{
	return regs[r];
}

static inline void
reg_write(int r, uint8 v)
{
	regs[r] = v;
}

void
uart_init(void)
{
	if (!platform.uart.base)
		return;
	regs = pa2kva(platform.uart.base);
	reg_write(IER, 0);
	reg_write(FCR, FCR_ENABLE);     /* keep what was typed before boot */
	reg_write(IER, IER_RX);
}

bool
uart_ready(void)
{
	return regs != NULL;
}

void
uart_putc(int c)
{
	if (!regs) {
		sbi_console_putchar(c);
		return;
	}
	while (!(reg_read(LSR) & LSR_THRE))
		;
	reg_write(THR, (uint8)c);
}

/* Receive interrupt: hand every waiting byte to the console. */
void
uart_intr(void)
{
	while (reg_read(LSR) & LSR_DR)
		console_input(reg_read(RBR));
}
