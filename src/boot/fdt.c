/*
 * A flattened-device-tree reader (devicetree specification, chapter 5).
 * One pass over the structure block; each node's properties are collected,
 * and when the node ends it is matched against what the kernel needs.
 * Everything in the blob is big-endian.  Runs once, at boot.
 */
#include "boot/fdt.h"
#include "lib/string.h"
#include "debug/kprintf.h"
#include "vm/kernel_layout.h"

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define MAX_DEPTH      16

struct platform platform;

struct fdt_header {
	uint32 magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap;
	uint32 version, last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

/* The properties of one node that matter to us. */
struct node {
	const char *name;
	uint32 addr_cells, size_cells;   /* for this node's children */
	const uint8 *reg;
	uint32 reg_len;
	const char *compatible;
	uint32 compatible_len;
	const char *device_type;
	const char *status;
	const char *isa;
	const uint8 *interrupts;
	const char *bootargs;
	uint32 timebase;
};

static uint32
be32(const void *p)
{
	const uint8 *b = p;
	return (uint32)b[0] << 24 | (uint32)b[1] << 16 | (uint32)b[2] << 8 | b[3];
}

static uint64
read_cells(const uint8 *p, uint32 cells)
{
	uint64 v = 0;

	for (uint32 i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

/* compatible is a list of NUL-separated strings. */
static bool
is_compatible(const struct node *n, const char *want)
{
	const char *s = n->compatible;

	if (!s)
		return false;
	for (uint32 off = 0; off < n->compatible_len; off += strlen(s + off) + 1)
		if (strcmp(s + off, want) == 0)
			return true;
	return false;
}

static bool
node_okay(const struct node *n)
{
	return !n->status || strcmp(n->status, "okay") == 0 || strcmp(n->status, "ok") == 0;
}

/* reg entry i of a node, decoded with its parent's cell sizes. */
static bool
node_reg(const struct node *n, const struct node *parent, int i, struct mem_range *out)
{
	uint32 entry = 4 * (parent->addr_cells + parent->size_cells);

	if (!n->reg || entry == 0 || (uint32)(i + 1) * entry > n->reg_len)
		return false;
	out->base = read_cells(n->reg + i * entry, parent->addr_cells);
	out->size = read_cells(n->reg + i * entry + 4 * parent->addr_cells, parent->size_cells);
	return true;
}

static void
add_range(struct mem_range *list, int *count, struct mem_range r)
{
	if (*count < PLATFORM_MAX_RANGES && r.size > 0)
		list[(*count)++] = r;
}

static void
take_device(struct mmio_device *dev, const struct node *n, const struct node *parent)
{
	struct mem_range r;

	if (!node_reg(n, parent, 0, &r))
		return;
	dev->base = r.base;
	dev->size = r.size;
	dev->irq = n->interrupts ? be32(n->interrupts) : 0;
}

static bool saw_cpu_without_sstc;

static void
finish_node(const struct node *n, const struct node *parent, int depth)
{
	struct mem_range r;

	if (n->device_type && strcmp(n->device_type, "memory") == 0) {
		for (int i = 0; node_reg(n, parent, i, &r); i++)
			add_range(platform.ram, &platform.nram, r);
	} else if (n->device_type && strcmp(n->device_type, "cpu") == 0) {
		if (!node_okay(n) || !n->reg)
			return;
		uint32 hartid = (uint32)read_cells(n->reg, parent->addr_cells);
		if (platform.nharts < NCPU)
			platform.hartids[platform.nharts++] = hartid;
		else if (hartid == platform.boot_hartid)
			platform.hartids[NCPU - 1] = hartid;    /* the boot hart is always one of ours */
		platform.harts_found++;
		if (!n->isa || !strstr(n->isa, "_sstc"))
			saw_cpu_without_sstc = true;
		if (n->timebase)
			platform.timebase_hz = n->timebase;
	} else if (depth == 1 && strcmp(n->name, "cpus") == 0) {
		if (n->timebase && !platform.timebase_hz)
			platform.timebase_hz = n->timebase;
	} else if (depth == 1 && strcmp(n->name, "chosen") == 0) {
		if (n->bootargs)
			strlcpy(platform.bootargs, n->bootargs, sizeof(platform.bootargs));
	} else if (depth == 2 && strcmp(parent->name, "reserved-memory") == 0) {
		for (int i = 0; node_reg(n, parent, i, &r); i++)
			add_range(platform.reserved, &platform.nreserved, r);
	} else if (!node_okay(n)) {
		return;
	} else if (is_compatible(n, "ns16550a") && !platform.uart.base) {
		take_device(&platform.uart, n, parent);
	} else if (is_compatible(n, "riscv,plic0") || is_compatible(n, "sifive,plic-1.0.0")) {
		take_device(&platform.plic, n, parent);
	} else if (is_compatible(n, "sifive,test0")) {
		take_device(&platform.test, n, parent);
	} else if (is_compatible(n, "google,goldfish-rtc")) {
		take_device(&platform.rtc, n, parent);
	} else if (is_compatible(n, "virtio,mmio") && platform.nvirtio < PLATFORM_MAX_VIRTIO) {
		take_device(&platform.virtio[platform.nvirtio++], n, parent);
	}
}

static void
read_property(struct node *n, const char *name, const uint8 *val, uint32 len)
{
	if (strcmp(name, "#address-cells") == 0)
		n->addr_cells = be32(val);
	else if (strcmp(name, "#size-cells") == 0)
		n->size_cells = be32(val);
	else if (strcmp(name, "reg") == 0) {
		n->reg = val;
		n->reg_len = len;
	} else if (strcmp(name, "compatible") == 0) {
		n->compatible = (const char *)val;
		n->compatible_len = len;
	} else if (strcmp(name, "device_type") == 0)
		n->device_type = (const char *)val;
	else if (strcmp(name, "status") == 0)
		n->status = (const char *)val;
	else if (strcmp(name, "riscv,isa") == 0)
		n->isa = (const char *)val;
	else if (strcmp(name, "interrupts") == 0)
		n->interrupts = val;
	else if (strcmp(name, "bootargs") == 0)
		n->bootargs = (const char *)val;
	else if (strcmp(name, "timebase-frequency") == 0 && len == 4)
		n->timebase = be32(val);
}

void
fdt_parse(uint64 dtb_pa)
{
	const uint8 *blob = pa2kva(dtb_pa);
	const struct fdt_header *h = (const void *)blob;
	struct node stack[MAX_DEPTH];
	int depth = -1;

	if (be32(&h->magic) != FDT_MAGIC)
		panic("fdt: no device tree at %p", (void *)dtb_pa);
	platform.dtb_pa = dtb_pa;
	platform.dtb_size = be32(&h->totalsize);

	/* memory reservation block: {address, size} pairs ending with zeros */
	for (const uint8 *p = blob + be32(&h->off_mem_rsvmap);; p += 16) {
		struct mem_range r = { read_cells(p, 2), read_cells(p + 8, 2) };
		if (r.base == 0 && r.size == 0)
			break;
		add_range(platform.reserved, &platform.nreserved, r);
	}

	const uint8 *p = blob + be32(&h->off_dt_struct);
	const char *strings = (const char *)blob + be32(&h->off_dt_strings);
	for (;;) {
		uint32 token = be32(p);
		p += 4;
		if (token == FDT_BEGIN_NODE) {
			if (++depth >= MAX_DEPTH)
				panic("fdt: nesting too deep");
			struct node *n = &stack[depth];
			memset(n, 0, sizeof(*n));
			n->name = (const char *)p;
			n->addr_cells = 2;
			n->size_cells = 1;
			p += ROUNDUP(strlen(n->name) + 1, 4);
		} else if (token == FDT_PROP) {
			uint32 len = be32(p);
			const char *name = strings + be32(p + 4);
			if (depth >= 0)
				read_property(&stack[depth], name, p + 8, len);
			p += 8 + ROUNDUP(len, 4);
		} else if (token == FDT_END_NODE) {
			if (depth < 0)
				panic("fdt: unbalanced nodes");
			if (depth > 0)
				finish_node(&stack[depth], &stack[depth - 1], depth);
			depth--;
		} else if (token == FDT_NOP) {
			continue;
		} else if (token == FDT_END) {
			break;
		} else {
			panic("fdt: bad token %u", token);
		}
	}
	platform.has_sstc = platform.nharts > 0 && !saw_cpu_without_sstc;
	/* the blob itself must survive until we are done with it */
	add_range(platform.reserved, &platform.nreserved,
		  (struct mem_range){ dtb_pa, platform.dtb_size });
	if (platform.nram == 0 || platform.nharts == 0 || platform.timebase_hz == 0)
		panic("fdt: tree lacks memory, cpus or timebase-frequency");
}
