/* Routing a claimed device interrupt to its driver. */
#ifndef DEV_IRQ_H
#define DEV_IRQ_H

#include "lib/types.h"

typedef void (*irq_handler_t)(void *arg);

void irq_register(uint32 irq, irq_handler_t fn, void *arg);
void irq_dispatch(uint32 irq);

#endif
