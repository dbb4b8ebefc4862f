/* Deliberate misuse that a DEBUG kernel's checks must catch (see debugcheck.c). */
#ifndef LIB_DEBUGCHECK_H
#define LIB_DEBUGCHECK_H

#ifdef DEBUG
long debug_check(long which);
#else
static inline long
debug_check(long which)
{
	(void)which;
	return -1;
}
#endif

#endif
