/* A small table from PLIC source number to driver handler, filled at boot. */
#include "dev/irq.h"
#include "debug/kprintf.h"

#define MAX_IRQ 128

static struct {
	irq_handler_t fn;
	void *arg;
} handlers[MAX_IRQ];

void
irq_register(uint32 irq, irq_handler_t fn, void *arg)
{
	if (irq == 0 || irq >= MAX_IRQ)
		panic("irq_register: bad irq %u", irq);
	handlers[irq].fn = fn;
	handlers[irq].arg = arg;
}

void
irq_dispatch(uint32 irq)
{
	if (irq < MAX_IRQ && handlers[irq].fn)
		handlers[irq].fn(handlers[irq].arg);
	else
		kprintf("irq %u: no handler\n", irq);
}
