/*
 * hello: the smallest Linux test program.  Prints a greeting, its argument
 * count and arguments, and exits with status 3, so that the suite checks
 * the output, argv and the exit status.
 */
#include <stdio.h>

int
main(int argc, char *argv[])
{
	printf("hello, linux\n");
	printf("argc %d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] %s\n", i, argv[i]);
	return 3;
}
