/*
 * User access for the shared-kernel design: the kernel dereferences user
 * pointers itself, inside one SUM window per copy (rules in vm/uaccess.h).
 * On this QEMU each SUM change flushes the TLB, so a copy is one window
 * however long it is.
 */
#include "vm/uaccess.h"
#include "lib/riscv.h"

long __user_copy(void *dst, const void *src, size_t n);
long __user_strncpy(char *dst, const char *usrc, size_t max);

/* Open a window; true if one was open already (a batch), to be left so. */
static inline bool
user_access_begin(void)
{
	return (csr_read_set(sstatus, SSTATUS_SUM) & SSTATUS_SUM) != 0;
}

static inline void
user_access_end(bool outer)
{
	if (!outer)
		csr_clear(sstatus, SSTATUS_SUM);
}

bool
uaccess_batch_begin(void)
{
	return user_access_begin();
}

void
uaccess_batch_end(bool outer)
{
	user_access_end(outer);
}

int
copyin(void *dst, uint64 usrc, size_t n)
{
	if (!user_range_ok(usrc, n))
		return -1;
	if (n == 0)
		return 0;
	bool outer = user_access_begin();
	long r = __user_copy(dst, (const void *)usrc, n);
	user_access_end(outer);
	return (int)r;
}

int
copyout(uint64 udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return -1;
	if (n == 0)
		return 0;
	bool outer = user_access_begin();
	long r = __user_copy((void *)udst, src, n);
	user_access_end(outer);
	return (int)r;
}

/*
 * For a self-test only: copy n bytes between two user ranges in one SUM
 * window, long enough for a timer interrupt to land inside it.
 */
int
uaccess_selftest_copy(uint64 udst, uint64 usrc, size_t n)
{
	if (!user_range_ok(udst, n) || !user_range_ok(usrc, n))
		return -1;
	bool outer = user_access_begin();
	long r = __user_copy((void *)udst, (const void *)usrc, n);
	user_access_end(outer);
	return (int)r;
}

long
copyinstr(char *dst, uint64 usrc, size_t max)
{
	if (usrc >= USER_TOP || max == 0)
		return -1;
	size_t limit = USER_TOP - usrc < max ? USER_TOP - usrc : max;
	bool outer = user_access_begin();
	long n = __user_strncpy(dst, (const char *)usrc, limit);
	user_access_end(outer);
	if (n < 0 || (size_t)n == limit)
		return -1;
	return n;
}
