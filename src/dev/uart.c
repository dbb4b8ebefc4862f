/*
 * ns16550a UART driver.  OpenSBI has set the line up; we enable the FIFOs
 * and the receive interrupt.  Output is polled: QEMU's UART drains at once,
 * so waiting for THRE costs nothing and keeps the driver simple.
 *
 * Input is pulled by the console (uart_getc), which turns the receive
 * interrupt off while it has no room (uart_rx_interrupt).  Bytes it does
 * not take stay in the UART.  QEMU's model accepts input from its
 * character backend only while its 16-byte FIFO is below the trigger level
 * (1 byte: FCR's trigger bits are 0), one byte above it and none when full,
 * so QEMU holds further input back rather than overrunning.  A real UART
 * would overrun instead; uart_getc says so.
 */
#include "lib/types.h"
#include "dev/uart.h"
#include "debug/kprintf.h"
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
#define LSR_OE     0x02     /* overrun: a byte arrived with the FIFO full */
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

/* The next received byte, or -1 if none is waiting. */
int
uart_getc(void)
{
	if (!regs)
		return -1;
	uint8 lsr = reg_read(LSR);      /* reading it clears OE */
	if (lsr & LSR_OE)
		kprintf("uart: receive overrun: input bytes were lost\n");
	if (!(lsr & LSR_DR))
		return -1;
	return reg_read(RBR);
}

/* Receive interrupt on or off; turned on, it fires at once if a byte waits. */
void
uart_rx_interrupt(bool on)
{
	reg_write(IER, on ? IER_RX : 0);
}
