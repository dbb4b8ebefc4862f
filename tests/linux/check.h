// check.h: what every test program here shares.  Each check prints one
// line, "ok NAME" or "FAIL NAME: got ... want ...", and the program ends
// with "PROGRAM: N checks" and status 1 if any failed (checks_done).
#ifndef LINUX_TEST_CHECK_H
#define LINUX_TEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int nchecks, nfail;

static inline void check(const char *name, long got, long want)
{
    nchecks++;
    if (got == want) {
        printf("ok %s\n", name);
    } else {
        nfail++;
        printf("FAIL %s: got %ld want %ld\n", name, got, want);
    }
}

// Expect ret == -1 with errno == want.
static inline void check_err(const char *name, long ret, int want)
{
    int e = errno;
    nchecks++;
    if (ret == -1 && e == want) {
        printf("ok %s\n", name);
    } else {
        nfail++;
        printf("FAIL %s: got %ld (%s) want -1 (%s)\n", name, ret,
               ret == -1 ? strerrorname_np(e) : "no error",
               strerrorname_np(want));
    }
}

#endif
