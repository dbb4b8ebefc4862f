/*
 * The undefined-behaviour sanitizer's runtime, for DEBUG kernels (built
 * with -fsanitize=undefined -fno-sanitize-recover=all): GCC 12 puts a
 * check before each operation that may be undefined and calls one of the
 * __ubsan_handle_* entry points below when it fails.  Each names the kind
 * of undefined behaviour and the source site (file:line:column), with the
 * values involved, and panics: the kernel never runs on after one.
 *
 * The structures are the compiler's: each handler's first argument
 * describes the site; the others are the operands, passed as machine
 * words (a value that fits, or a pointer to it).  This file is not
 * instrumented itself; the panic it ends in is, so a report that meets
 * undefined behaviour again stops at once instead of recursing.
 */
#include "lib/types.h"
#include "debug/kprintf.h"

/* The compiler emits the calls to these handlers: no header declares them. */
#pragma GCC diagnostic ignored "-Wmissing-prototypes"

#ifdef DEBUG

#define UBSAN __attribute__((noreturn, no_sanitize_undefined, used))

struct source_location {
	const char *file;
	uint32 line;
	uint32 column;
};

struct type_descriptor {
	uint16 kind;            /* 0: integer, 1: float, 0xffff: other */
	uint16 info;            /* integer: bit 0 signed, bits 1..: log2 of the width */
	char name[];
};

struct type_mismatch_data {
	struct source_location loc;
	const struct type_descriptor *type;
	uint8 log_alignment;
	uint8 type_check_kind;
};

struct overflow_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct shift_data {
	struct source_location loc;
	const struct type_descriptor *lhs_type;
	const struct type_descriptor *rhs_type;
};

struct out_of_bounds_data {
	struct source_location loc;
	const struct type_descriptor *array_type;
	const struct type_descriptor *index_type;
};

struct location_only_data {
	struct source_location loc;
};

struct nonnull_arg_data {
	struct source_location loc;
	struct source_location attr_loc;
	int arg_index;
};

struct invalid_builtin_data {
	struct source_location loc;
	uint8 kind;
};

struct alignment_assumption_data {
	struct source_location loc;
	struct source_location assumption_loc;
	const struct type_descriptor *type;
};

static volatile int reporting;

/* Say what happened where, then panic (once: a second report only stops). */
static void __attribute__((noreturn, no_sanitize_undefined, format(printf, 2, 3)))
report(const struct source_location *loc, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	if (__atomic_exchange_n(&reporting, 1, __ATOMIC_SEQ_CST))
		panic("ubsan: undefined behaviour while reporting undefined behaviour");
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	panic("ubsan: %s at %s:%u:%u", what, loc->file ? loc->file : "?", loc->line, loc->column);
}

static const char *
type_name(const struct type_descriptor *t)
{
	return t ? t->name : "?";
}

static const char *const check_kinds[] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
	"upcast of", "cast to virtual base of", "_Nonnull binding to", "dynamic operation on",
};

UBSAN void
__ubsan_handle_type_mismatch_v1_abort(struct type_mismatch_data *d, uint64 ptr)
{
	const char *kind = d->type_check_kind < NELEM(check_kinds) ?
			   check_kinds[d->type_check_kind] : "access to";
	uint64 align = 1ull << d->log_alignment;

	if (!ptr)
		report(&d->loc, "%s a null pointer of type %s", kind, type_name(d->type));
	if (ptr & (align - 1))
		report(&d->loc, "%s misaligned address %p of type %s (needs %lu-byte alignment)",
		       kind, (void *)ptr, type_name(d->type), align);
	report(&d->loc, "%s address %p with too little space for type %s", kind, (void *)ptr,
	       type_name(d->type));
}

static void __attribute__((noreturn, no_sanitize_undefined))
overflow(struct overflow_data *d, const char *op, uint64 lhs, uint64 rhs)
{
	report(&d->loc, "%s overflow: 0x%lx %s 0x%lx in type %s",
	       d->type->info & 1 ? "signed integer" : "unsigned integer", lhs, op, rhs,
	       type_name(d->type));
}

UBSAN void
__ubsan_handle_add_overflow_abort(struct overflow_data *d, uint64 lhs, uint64 rhs)
{
	overflow(d, "+", lhs, rhs);
}

UBSAN void
__ubsan_handle_sub_overflow_abort(struct overflow_data *d, uint64 lhs, uint64 rhs)
{
	overflow(d, "-", lhs, rhs);
}

UBSAN void
__ubsan_handle_mul_overflow_abort(struct overflow_data *d, uint64 lhs, uint64 rhs)
{
	overflow(d, "*", lhs, rhs);
}

UBSAN void
__ubsan_handle_negate_overflow_abort(struct overflow_data *d, uint64 old)
{
	report(&d->loc, "negation of 0x%lx overflows type %s", old, type_name(d->type));
}

UBSAN void
__ubsan_handle_divrem_overflow_abort(struct overflow_data *d, uint64 lhs, uint64 rhs)
{
	if (rhs == 0)
		report(&d->loc, "division of 0x%lx by zero in type %s", lhs, type_name(d->type));
	report(&d->loc, "division overflow: 0x%lx / 0x%lx in type %s", lhs, rhs, type_name(d->type));
}

UBSAN void
__ubsan_handle_shift_out_of_bounds_abort(struct shift_data *d, uint64 lhs, uint64 rhs)
{
	report(&d->loc, "shift out of bounds: 0x%lx (type %s) by %ld (type %s)", lhs,
	       type_name(d->lhs_type), (long)rhs, type_name(d->rhs_type));
}

UBSAN void
__ubsan_handle_out_of_bounds_abort(struct out_of_bounds_data *d, uint64 index)
{
	report(&d->loc, "index %ld out of bounds for type %s", (long)index,
	       type_name(d->array_type));
}

UBSAN void
__ubsan_handle_load_invalid_value_abort(struct overflow_data *d, uint64 val)
{
	report(&d->loc, "load of value 0x%lx, which is not valid for type %s", val,
	       type_name(d->type));
}

UBSAN void
__ubsan_handle_pointer_overflow_abort(struct location_only_data *d, uint64 base, uint64 result)
{
	report(&d->loc, "pointer arithmetic overflows: %p becomes %p", (void *)base,
	       (void *)result);
}

UBSAN void
__ubsan_handle_builtin_unreachable(struct location_only_data *d)
{
	report(&d->loc, "__builtin_unreachable() reached");
}

UBSAN void
__ubsan_handle_missing_return(struct location_only_data *d)
{
	report(&d->loc, "end of a function that returns a value");
}

UBSAN void
__ubsan_handle_vla_bound_not_positive_abort(struct overflow_data *d, uint64 bound)
{
	report(&d->loc, "variable-length array bound %ld is not positive", (long)bound);
}

UBSAN void
__ubsan_handle_nonnull_arg_abort(struct nonnull_arg_data *d)
{
	report(&d->loc, "null passed as argument %d, declared never null", d->arg_index);
}

UBSAN void
__ubsan_handle_nonnull_return_v1_abort(struct location_only_data *d, struct source_location *at)
{
	(void)d;
	report(at, "null returned from a function declared never to return null");
}

UBSAN void
__ubsan_handle_invalid_builtin_abort(struct invalid_builtin_data *d)
{
	report(&d->loc, "zero passed to %s", d->kind == 0 ? "ctz()" : "clz()");
}

UBSAN void
__ubsan_handle_alignment_assumption_abort(struct alignment_assumption_data *d, uint64 ptr,
					  uint64 align, uint64 offset)
{
	report(&d->loc, "pointer %p (offset %lu) is not %lu-byte aligned as assumed",
	       (void *)ptr, offset, align);
}

#endif /* DEBUG */
