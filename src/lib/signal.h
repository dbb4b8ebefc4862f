/* Signal numbers: Linux's, from the uapi headers (as lib/errno.h). */
#ifndef LIB_SIGNAL_H
#define LIB_SIGNAL_H

#include <linux/signal.h>

#endif
