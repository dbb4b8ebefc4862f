/* The ns16550a serial port behind the console. */
#ifndef DEV_UART_H
#define DEV_UART_H

#include "lib/types.h"

void uart_init(void);
void uart_putc(int c);
int uart_getc(void);
void uart_rx_interrupt(bool on);
bool uart_ready(void);

#endif
