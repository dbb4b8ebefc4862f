/* Deliberate misuse that a DEBUG kernel's checks must catch (see debugcheck.c). */
#ifndef DEBUG_DEBUGCHECK_H
#define DEBUG_DEBUGCHECK_H

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
