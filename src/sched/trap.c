/*
 * Trap handling in C, after trapentry.S has saved the registers.
 *
 * From user mode: system calls, interrupts, and faults (given to the fault
 * policy in vm/fault.c; what it cannot resolve kills the process).
 * From kernel mode: interrupts, and faults inside the user-copy routines
 * (resolved, or turned into -1 through the exception table).  Any other
 * kernel trap is a kernel bug and panics.
 */
#include "sched/trap.h"
#include "sched/proc.h"
#include "sched/fpu.h"
#include "sched/signal.h"
#include <asm/siginfo.h>
#include "sched/syscall.h"
#include "vm/aspace.h"
#include "vm/extable.h"
#include "vm/fault.h"
#include "vm/kernel_layout.h"
#include "dev/plic.h"
#include "dev/irq.h"
#include "debug/kprintf.h"
#include "lib/riscv.h"

#if CONFIG_KPTI
extern char trampoline[], tramp_return[];
/* the trap vector and the way out, at the trampoline's alias */
#define TRAP_VECTOR TRAMPOLINE
#else
extern char trap_vector[];
void user_return_to(struct trapframe *tf) __attribute__((noreturn));
#define TRAP_VECTOR ((uint64)trap_vector)
#endif

STATIC_ASSERT(__builtin_offsetof(struct cpu, trap_scratch) == CPU_TRAP_SCRATCH);
STATIC_ASSERT(__builtin_offsetof(struct cpu, user_tf) == CPU_USER_TF);

/* sstatus for the way out to user mode: see user_return() */
static uint64 user_sstatus;

void
trap_init_hart(void)
{
	/* trapentry.S finds the hart's struct cpu there; the trampoline wants 0 */
	csr_write(sscratch, CONFIG_KPTI ? 0 : (uint64)mycpu());
	csr_write(stvec, TRAP_VECTOR);
	/* the kernel has no floating point; user programs are built without it */
	csr_clear(sstatus, SSTATUS_FS | SSTATUS_SUM);
	csr_set(sie, SIE_SEIE | SIE_STIE | SIE_SSIE);
	user_sstatus = (csr_read(sstatus) & ~(SSTATUS_SIE | SSTATUS_SPP)) | SSTATUS_SPIE;
}

const char *
trap_cause_name(uint64 scause)
{
	static const char *names[] = {
		[EXC_INST_MISALIGNED] = "misaligned fetch",
		[EXC_INST_ACCESS] = "fetch access fault",
		[EXC_ILLEGAL] = "illegal instruction",
		[EXC_BREAKPOINT] = "breakpoint",
		[4] = "misaligned load",
		[EXC_LOAD_ACCESS] = "load access fault",
		[6] = "misaligned store",
		[EXC_STORE_ACCESS] = "store access fault",
		[EXC_ECALL_U] = "ecall from user",
		[9] = "ecall from supervisor",
		[EXC_INST_PAGE] = "instruction page fault",
		[EXC_LOAD_PAGE] = "load page fault",
		[EXC_STORE_PAGE] = "store page fault",
	};
	if (scause & SCAUSE_INTR)
		return "interrupt";
	if (scause < NELEM(names) && names[scause])
		return names[scause];
	return "unknown exception";
}

/* Handle an interrupt; true if it was this hart's timer tick. */
static bool
handle_interrupt(uint64 scause)
{
	switch (scause & ~SCAUSE_INTR) {
	case IRQ_S_TIMER:
		timer_interrupt();
		return true;
	case IRQ_S_EXT: {
		uint32 irq = plic_claim();
		if (irq) {
			irq_dispatch(irq);
			plic_complete(irq);
		}
		return false;
	}
	case IRQ_S_SOFT:
		/* an IPI: its only job was to end a wfi */
		csr_clear(sip, SIE_SSIE);
		return false;
	default:
		panic("unexpected interrupt, scause %p", (void *)scause);
	}
}

/*
 * An exception other than a page fault, from p's instruction at pc: its
 * signal, to p's handler if it has one, else p dies with a message.
 */
static void
exception_signal(struct proc *p, uint64 scause, uint64 addr, uint64 pc)
{
	int sig = SIGILL, code = ILL_ILLOPC;

	switch (scause) {
	case EXC_BREAKPOINT:
		sig = SIGTRAP;
		code = TRAP_BRKPT;
		addr = pc;
		break;
	case EXC_INST_MISALIGNED:
	case 4:                 /* misaligned load */
	case 6:                 /* misaligned store */
		sig = SIGBUS;
		code = BUS_ADRALN;
		break;
	case EXC_INST_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
		sig = SIGSEGV;
		code = SEGV_ACCERR;
		break;
	default:
		addr = pc;
	}
	if (!signal_fault(p, sig, code, addr))
		proc_kill_fault(p, trap_cause_name(scause), addr, pc);
}

static bool
is_page_fault(uint64 scause)
{
	return scause == EXC_INST_PAGE || scause == EXC_LOAD_PAGE || scause == EXC_STORE_PAGE;
}

/*
 * A trap from user mode, with the registers saved in tf.  The system-call
 * path is kept short: every CSR access and every indirect jump costs a
 * QEMU translation-block lookup, so the entry passes scause along and the
 * way out writes sstatus from a value computed at boot.
 */
__hot_path void
user_trap(struct trapframe *tf, uint64 scause)
{
	struct proc *p = myproc();

#if CONFIG_KPTI
	kpti_count_entry();
#endif
	bool call = scause == EXC_ECALL_U;

	if (call) {
		tf->epc += 4;
		intr_on();
		syscall_dispatch(tf);
	} else if (scause & SCAUSE_INTR) {
		if (handle_interrupt(scause)) {
			alarm_tick(p);
			yield();
		}
	} else {
		uint64 addr = csr_read(stval);
		intr_on();
		if (is_page_fault(scause))
			vm_fault_user(p, addr, scause, tf->epc);
		else
			exception_signal(p, scause, addr, tf->epc);
	}
	if (proc_killed(p))
		proc_exit(-1);
	/* a signal, or a call to restart (its -ERESTARTSYS is Linux's only: sched/signal.h) */
	if (p->sig_pending || (call && (tf->a0 == (uint64)-ERESTARTSYS ||
					tf->a0 == (uint64)-ERESTARTNOHAND)))
		signal_deliver(p, tf, call);
	alarm_deliver(&p->alarm, tf);
	user_return();
}

/*
 * Back to user mode through the process's trapframe.  One sstatus write
 * turns interrupts off here and sets up sret: to user mode (SPP clear)
 * with interrupts on there (SPIE), user access (SUM) and FS off.
 */
__hot_path void
user_return(void)
{
	struct proc *p = myproc();
	struct trapframe *tf = p->tf;

	csr_write(sstatus, p->fpu_on ? user_sstatus | fpu_prepare_return(p) : user_sstatus);
	csr_write(sepc, tf->epc);
#if CONFIG_KPTI
	tf->kcpu = (uint64)mycpu();
	csr_write(sscratch, TRAPFRAME);
	uint64 satp = kpti_prepare_return(p);
	void (*out)(uint64) __attribute__((noreturn)) =
		(void *)(TRAMPOLINE + (tramp_return - trampoline));
	out(satp);
#else
	mycpu()->user_tf = tf;
	user_return_to(tf);
#endif
}

/*
 * For a panic report: the process this hart was running, if any, and the
 * user registers it last entered the kernel with (pc: where it resumes).
 * When it came in by ecall, a7 is its system call and a0..a5 the
 * arguments (the fuzzer's replay starts from these).
 */
void
trap_report_process(void)
{
	struct proc *p = myproc();

	if (!p || p->state == UNUSED)
		return;
	struct trapframe *tf = p->tf;
	kprintf("in pid %d (%s): a7 %lu a0 %p a1 %p a2 %p a3 %p a4 %p a5 %p pc %p\n",
		p->pid, p->name, tf->a7, (void *)tf->a0, (void *)tf->a1, (void *)tf->a2,
		(void *)tf->a3, (void *)tf->a4, (void *)tf->a5, (void *)tf->epc);
}

static void __attribute__((noreturn))
kernel_trap_panic(struct kframe *f, uint64 scause, uint64 stval)
{
	panic("kernel trap: %s (scause %p) sepc %p stval %p",
	      trap_cause_name(scause), (void *)scause, (void *)f->epc, (void *)stval);
}

void
kernel_trap(struct kframe *f)
{
	uint64 scause = csr_read(scause);
	uint64 stval = csr_read(stval);

	if (f->status & SSTATUS_SUM) {
		/* the entry turned user access off for us: count, and check it did */
		mycpu()->n_traps_in_copy++;
		if (csr_read(sstatus) & SSTATUS_SUM)
			mycpu()->n_sum_in_trap++;
	}
	if (scause & SCAUSE_INTR) {
		struct proc *p = mycpu()->proc;
		if (handle_interrupt(scause) && p && p->state == RUNNING) {
			alarm_tick(p);
			yield();
		}
		return;
	}
	uint64 fixup = extable_fixup(f->epc);
	if (!fixup)
		kernel_trap_panic(f, scause, stval);
	/*
	 * A fault inside a user copy: retry it if the page can be provided,
	 * else the copy returns -1.  The copy may wait for memory if it held
	 * no spinlock: interrupts were on.
	 */
	struct proc *p = mycpu()->proc;
	bool may_sleep = (f->status & SSTATUS_SPIE) != 0;
	if (is_page_fault(scause) && stval < USER_TOP && p && (f->status & SSTATUS_SUM)) {
		/* a copy that may sleep had interrupts on: it waits with them on (the frame keeps sepc) */
		if (may_sleep)
			intr_on();
		bool retry = vm_fault_copy(p, stval, scause, may_sleep);
		intr_off();
		if (retry)
			return;
	}
	f->epc = fixup;
}

void
kernel_stack_overflow_panic(uint64 sepc, uint64 stval)
{
	panic("kernel stack overflow: sepc %p stval %p", (void *)sepc, (void *)stval);
}
