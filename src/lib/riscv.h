/*
 * RISC-V supervisor-mode registers and instructions used by the kernel.
 * Field positions are from the privileged specification.
 */
#ifndef LIB_RISCV_H
#define LIB_RISCV_H

#include <canopy/layout.h>   /* _UL() */

#define SSTATUS_SIE   (_UL(1) << 1)
#define SSTATUS_SPIE  (_UL(1) << 5)
#define SSTATUS_SPP   (_UL(1) << 8)
#define SSTATUS_FS    (_UL(3) << 13)
#define SSTATUS_SUM   (_UL(1) << 18)

#define SIE_SSIE (_UL(1) << 1)
#define SIE_STIE (_UL(1) << 5)
#define SIE_SEIE (_UL(1) << 9)

#define SCAUSE_INTR        (_UL(1) << 63)
#define IRQ_S_SOFT         1
#define IRQ_S_TIMER        5
#define IRQ_S_EXT          9
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS    1
#define EXC_ILLEGAL        2
#define EXC_BREAKPOINT     3
#define EXC_LOAD_ACCESS    5
#define EXC_STORE_ACCESS   7
#define EXC_ECALL_U        8
#define EXC_INST_PAGE      12
#define EXC_LOAD_PAGE      13
#define EXC_STORE_PAGE     15

#define SATP_SV39 (_UL(8) << 60)
#define MAKE_SATP(root_pa) (SATP_SV39 | ((uint64)(root_pa) >> 12))

#define SCOUNTEREN_TM (_UL(1) << 1)

#ifndef __ASSEMBLER__
#include "lib/types.h"

#define csr_read(csr) ({ uint64 __v; \
	asm volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ \
	asm volatile("csrw " #csr ", %0" :: "rK"((uint64)(val)) : "memory"); })
#define csr_set(csr, bits) ({ \
	asm volatile("csrs " #csr ", %0" :: "rK"((uint64)(bits)) : "memory"); })
#define csr_clear(csr, bits) ({ \
	asm volatile("csrc " #csr ", %0" :: "rK"((uint64)(bits)) : "memory"); })
/* Set bits and return the old value, in one CSR access. */
#define csr_read_set(csr, bits) ({ uint64 __v; \
	asm volatile("csrrs %0, " #csr ", %1" : "=r"(__v) : "rK"((uint64)(bits)) : "memory"); __v; })
/* Clear bits and return the old value, in one CSR access. */
#define csr_read_clear(csr, bits) ({ uint64 __v; \
	asm volatile("csrrc %0, " #csr ", %1" : "=r"(__v) : "rK"((uint64)(bits)) : "memory"); __v; })

static inline uint64 r_time(void) { uint64 t; asm volatile("rdtime %0" : "=r"(t)); return t; }
static inline uint64 r_tp(void) { uint64 x; asm volatile("mv %0, tp" : "=r"(x)); return x; }
static inline uint64 r_sp(void) { uint64 x; asm volatile("mv %0, sp" : "=r"(x)); return x; }
static inline uint64 r_fp(void) { uint64 x; asm volatile("mv %0, s0" : "=r"(x)); return x; }

static inline void intr_on(void)  { csr_set(sstatus, SSTATUS_SIE); }
static inline void intr_off(void) { csr_clear(sstatus, SSTATUS_SIE); }
static inline bool intr_get(void) { return (csr_read(sstatus) & SSTATUS_SIE) != 0; }

static inline void wfi(void) { asm volatile("wfi"); }
#endif

#endif
