/*
 * PLIC: every device interrupt we use gets priority 1 and is enabled for
 * the supervisor context of each hart (context 2*hartid+1 on QEMU virt),
 * whose threshold is 0.  Any hart may claim; the first one wins.
 */
#include "dev/plic.h"
#include "boot/fdt.h"
#include "sched/cpu.h"
#include "vm/kernel_layout.h"

#define PRIORITY(irq)       (0x0 + 4 * (irq))
#define ENABLE(ctx, irq)    (0x2000 + 0x80 * (ctx) + 4 * ((irq) / 32))
#define THRESHOLD(ctx)      (0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx)          (0x200004 + 0x1000 * (ctx))

static volatile uint32 *
reg(uint64 off)
{
	return (volatile uint32 *)((uint8 *)pa2kva(platform.plic.base) + off);
}

static int
s_context(void)
{
	return 2 * mycpu()->hartid + 1;
}

static void
for_each_irq(void (*fn)(uint32 irq))
{
	if (platform.uart.irq)
		fn(platform.uart.irq);
	for (int i = 0; i < platform.nvirtio; i++)
		if (platform.virtio[i].irq)
			fn(platform.virtio[i].irq);
}

static void
set_priority(uint32 irq)
{
	*reg(PRIORITY(irq)) = 1;
}

static void
enable_here(uint32 irq)
{
	*reg(ENABLE(s_context(), irq)) |= 1u << (irq % 32);
}

void
plic_init(void)
{
	for_each_irq(set_priority);
}

void
plic_init_hart(void)
{
	for_each_irq(enable_here);
	*reg(THRESHOLD(s_context())) = 0;
}

uint32
plic_claim(void)
{
	return *reg(CLAIM(s_context()));
}

void
plic_complete(uint32 irq)
{
	*reg(CLAIM(s_context())) = irq;
}
