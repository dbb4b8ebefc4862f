/* SBI calls: a7 = extension, a6 = function, a0..a2 arguments (SBI spec 1.0). */
#include "boot/sbi.h"
#include "debug/kprintf.h"

struct sbiret {
	long error;
	long value;
};

static struct sbiret
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

static long
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

/*
 * One boot line on the firmware: its SBI version, its implementation and
 * the extensions it offers, by the names of the SBI specification.  The
 * IPI and remote-fence paths a kernel can choose depend on them.
 */
void
sbi_describe(void)
{
	static const struct { long eid; const char *name; } exts[] = {
		{ SBI_EXT_TIME, "time" }, { SBI_EXT_IPI, "ipi" }, { 0x52464E43, "rfence" },
		{ SBI_EXT_HSM, "hsm" }, { SBI_EXT_SRST, "srst" }, { 0x504D55, "pmu" },
		{ 0x4442434E, "dbcn" }, { 0x53555350, "susp" }, { 0x43505043, "cppc" },
		{ 0x4E41434C, "nacl" }, { 0x535441, "sta" }, { 0x535345, "sse" },
		{ 0x46574654, "fwft" }, { 0x44425452, "dbtr" }, { 0x4D505859, "mpxy" },
	};
	long spec = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value;
	long impl = sbi_call(SBI_EXT_BASE, 1, 0, 0, 0).value;
	long ver = sbi_call(SBI_EXT_BASE, 2, 0, 0, 0).value;

	kprintf("Canopy: SBI %ld.%ld, %s %ld.%ld; extensions:", (spec >> 24) & 0x7f,
		spec & 0xffffff, impl == 1 ? "OpenSBI" : "firmware", ver >> 16, ver & 0xffff);
	for (unsigned i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (sbi_probe(exts[i].eid))
			kprintf(" %s", exts[i].name);
	kprintf("\n");
}
