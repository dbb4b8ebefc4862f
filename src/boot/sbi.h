/* Calls into the SBI firmware (OpenSBI) below the kernel. */
#ifndef BOOT_SBI_H
#define BOOT_SBI_H

#include "lib/types.h"

#define SBI_EXT_BASE  0x10
#define SBI_EXT_TIME  0x54494D45
#define SBI_EXT_IPI   0x735049
#define SBI_EXT_HSM   0x48534D
#define SBI_EXT_SRST  0x53525354

#define SBI_HSM_STARTED 0
#define SBI_HSM_STOPPED 1

#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAILURE 1


void sbi_describe(void);
void sbi_set_timer(uint64 when);
void sbi_send_ipi(uint64 hart_mask, uint64 mask_base);
long sbi_hart_start(uint64 hartid, uint64 start_pa, uint64 opaque);
void sbi_system_off(bool failure);
void sbi_console_putchar(int c);

#endif
