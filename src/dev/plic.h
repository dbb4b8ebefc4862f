/* The platform-level interrupt controller. */
#ifndef DEV_PLIC_H
#define DEV_PLIC_H

#include "lib/types.h"

void plic_init(void);
void plic_init_hart(void);
uint32 plic_claim(void);
void plic_complete(uint32 irq);

#endif
