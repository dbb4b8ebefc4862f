/* SBI calls: a7 = extension, a6 = function, a0..a2 arguments (SBI spec 1.0). */
#include "boot/sbi.h"

struct sbiret
sbi_call(long eid, long fid, uint64 a0, uint64 a1, uint64 a2)
{
	register uint64 r_a0 asm("a0") = a0;
	register uint64 r_a1 asm("a1") = a1;
	register uint64 r_a2 asm("a2") = a2;
	register uint64 r_a6 asm("a6") = fid;
	register uint64 r_a7 asm("a7") = eid;

	asm volatile("ecall"
		     : "+r"(r_a0), "+r"(r_a1)
		     : "r"(r_a2), "r"(r_a6), "r"(r_a7)
		     : "memory");
	return (struct sbiret){ (long)r_a0, (long)r_a1 };
}

long
sbi_probe(long eid)
{
	return sbi_call(SBI_EXT_BASE, 3, eid, 0, 0).value;
}

void
sbi_set_timer(uint64 when)
{
	sbi_call(SBI_EXT_TIME, 0, when, 0, 0);
}

void
sbi_send_ipi(uint64 hart_mask, uint64 mask_base)
{
	sbi_call(SBI_EXT_IPI, 0, hart_mask, mask_base, 0);
}

long
sbi_hart_start(uint64 hartid, uint64 start_pa, uint64 opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, start_pa, opaque).error;
}

long
sbi_hart_status(uint64 hartid)
{
	struct sbiret r = sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0);
	return r.error ? r.error : r.value;
}

void
sbi_system_off(bool failure)
{
	sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN,
		 failure ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0);
}

/* Legacy extension 0x01: usable before the UART is known. */
void
sbi_console_putchar(int c)
{
	sbi_call(0x01, 0, c, 0, 0);
}
