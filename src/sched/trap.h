/* Trap handling: entry from user and kernel mode, interrupts, the timer. */
#ifndef SCHED_TRAP_H
#define SCHED_TRAP_H

#include "lib/types.h"
#include "sched/trapframe.h"

void trap_init_hart(void);

/* Called from trapentry.S only. */
void kernel_trap(struct kframe *f);
void kernel_stack_overflow_panic(uint64 sepc, uint64 stval) __attribute__((noreturn));

void user_trap(struct trapframe *tf, uint64 scause) __attribute__((noreturn));
void user_return(void) __attribute__((noreturn));
void sched_kick(void);
const char *trap_cause_name(uint64 scause);
void trap_report_process(void);

void timer_init(void);
void timer_init_hart(void);
void timer_interrupt(void);
uint64 timer_ticks(void);
int timer_sleep(uint64 n);
struct proc;
void itimer_set(struct proc *p, uint64 at, uint64 every);
uint64 timer_interval(void);
extern uint64 tick_hz;

#endif
