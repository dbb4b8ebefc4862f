/* poweroff [status]: shut the machine down (QEMU exits with status). */
#include <stdlib.h>
#include "canopy.h"

int
main(int argc, char *argv[])
{
	poweroff(argc > 1 ? atoi(argv[1]) : 0);
}
