/*
 * Boot: the boot hart sets the machine up (device tree, memory, kernel
 * page table, devices, first process), starts the other harts through SBI
 * HSM, and every hart ends in its scheduler.
 */
#include "boot/boot.h"
#include "boot/fdt.h"
#include "boot/sbi.h"
#include "dev/console.h"
#include "dev/memdev.h"
#include "dev/plic.h"
#include "dev/virtio_blk.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "sched/cpu.h"
#include "sched/pollwait.h"
#include "sched/proc.h"
#include "sched/trap.h"
#include "vm/aspace.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/kvm.h"
#include "vm/vdso.h"
#include "vm/vmobj.h"
#include "debug/kprintf.h"
#include "lib/riscv.h"

#if !defined(CONFIG_KPTI) || !defined(CONFIG_LAZY) || !defined(CONFIG_COW)
#error "the build must define CONFIG_KPTI, CONFIG_LAZY and CONFIG_COW"
#endif
/* The design, as sysinfo and the vDSO report it (canopy/layout.h). */
#define DESIGN_BITS ((CONFIG_KPTI ? DESIGN_KPTI : 0) | (CONFIG_LAZY ? DESIGN_LAZY : 0) | \
		     (CONFIG_COW ? DESIGN_COW : 0))

extern char _image_start[], _image_end[], secondary_entry[];
extern volatile uint64 park_mailbox[];   /* entry.S: for harts parked in _start */
#define PARK_MAX_HARTS 64
#define SBI_ERR_ALREADY_AVAILABLE (-6)
void run_on_stack(uint64 sp, void (*fn)(void)) __attribute__((noreturn));

static volatile int harts_started;

static uint64
ram_bytes(void)
{
	uint64 n = 0;

	for (int i = 0; i < platform.nram; i++)
		n += platform.ram[i].size;
	return n;
}

/* Number the harts: the boot hart is cpus[0], the others follow in tree order. */
static void
assign_cpus(uint64 boot_hartid)
{
	ncpu = 1;
	for (int i = 0; i < platform.nharts && ncpu < NCPU; i++) {
		if (platform.hartids[i] == boot_hartid)
			continue;
		cpus[ncpu].id = ncpu;
		cpus[ncpu].hartid = (int)platform.hartids[i];
		ncpu++;
	}
}

/*
 * The direct map covers physical addresses below DIRECT_MAP_SIZE: RAM
 * above it is left out, and said so.
 */
static void
limit_ram(void)
{
	uint64 before = ram_bytes();

	for (int i = 0; i < platform.nram; i++) {
		struct mem_range *r = &platform.ram[i];
		if (r->base >= DIRECT_MAP_SIZE)
			r->size = 0;
		else if (r->size > DIRECT_MAP_SIZE - r->base)
			r->size = DIRECT_MAP_SIZE - r->base;
	}
	if (ram_bytes() < before)
		kprintf("Canopy: RAM above physical address %lu GiB is not used: %lu of %lu MiB\n",
			DIRECT_MAP_SIZE >> 30, ram_bytes() >> 20, before >> 20);
}

static void
hart_ready(void)
{
	trap_init_hart();
	plic_init_hart();
	timer_init_hart();
	__atomic_fetch_add(&harts_started, 1, __ATOMIC_RELEASE);
}

void
secondary_main(void)
{
	struct cpu *c = mycpu();

	/* entry.S loaded the kernel root: account for it as as_activate would */
	page_get(kernel_root);
	c->loaded_root = kernel_root;
	hart_ready();
	scheduler();
}

static void
start_secondaries(void)
{
	uint64 satp = MAKE_SATP(kva2pa(kernel_root));

	for (int i = 1; i < ncpu; i++) {
		struct cpu *c = &cpus[i];
		c->boot_satp = satp;
		c->boot_sp = kvm_kstack(NPROC + i);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		/* if the hart is parked in _start (see entry.S), this sends it on */
		if (c->hartid < PARK_MAX_HARTS)
			park_mailbox[c->hartid] = kva2pa(c);
		long err = sbi_hart_start(c->hartid, kva2pa(secondary_entry), kva2pa(c));
		if (err && err != SBI_ERR_ALREADY_AVAILABLE)
			panic("hart %d did not start: SBI error %ld", c->hartid, err);
	}
	uint64 deadline = r_time() + 5 * platform.timebase_hz;
	while (__atomic_load_n(&harts_started, __ATOMIC_ACQUIRE) < ncpu)
		if (r_time() > deadline)
			panic("only %d of %d harts came up", harts_started, ncpu);
}

static void
boot_hart_scheduler(void)
{
	scheduler();
}

void
kmain(uint64 hartid, uint64 dtb_pa)
{
	cpus[0].id = 0;
	cpus[0].hartid = (int)hartid;
	asm volatile("mv tp, %0" :: "r"(&cpus[0]));

	platform.boot_hartid = hartid;
	fdt_parse(dtb_pa);
	console_init();
	memdev_init();
	assign_cpus(hartid);
	kprintf("\nCanopy: %d hart%s (booted on hart %lu), %lu MiB RAM, timebase %lu Hz%s\n",
		ncpu, ncpu == 1 ? "" : "s", hartid, ram_bytes() >> 20, platform.timebase_hz,
		platform.has_sstc ? ", sstc" : "");
	sbi_describe();
	if (platform.harts_found > ncpu)
		kprintf("Canopy: the machine has %d harts; this kernel uses at most %d: the others stay stopped\n",
			platform.harts_found, NCPU);
	limit_ram();

	kalloc_init(kva2pa(_image_start), kva2pa(_image_end));
	kvm_init();
	vmobj_init();
	file_pager_init();
	vdso_init(platform.timebase_hz, tick_hz, DESIGN_BITS);
	timer_init();
	poll_wait_init();
	plic_init();
	virtio_blk_init();      /* the file system is mounted later, by the first process */
	file_init();
	proc_init();
	proc_start_init();
	hart_ready();
	start_secondaries();
	kprintf("Canopy: %lu pages free, design %s\n", kalloc_free_pages(), DESIGN_NAME);
	run_on_stack(kvm_kstack(NPROC), boot_hart_scheduler);
}
