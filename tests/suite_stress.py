"""The multi-hart stress test: the `stress` program (src/apps/stress) on 3
harts with a fixed seed and with a new seed (printed in the test names),
and a shorter run on 1 hart.  Each boot must end without a panic, every
in-guest test must pass, and the program's own count of free pages after
the run (sysinfo, once the system has settled) must be back where it was.

`cow_migrate` stages copy-on-write breaks while a process moves between
harts, which catches a hart left with a stale translation (issue 8 item 1)
in every run: about one round in ten reads stale words on this QEMU, and
a run has 200 rounds.  `exec_migrate` does the same for exec, which moves
the new image into the root page another hart may still have loaded:
without the marks of that hart, 22 to 34 of a run's 100 or so rounds read
the old image's words (seeds 5, 8, 9, 10).  `unmap_migrate` does it for
pages taken away by sbrk(-n), munmap and a MAP_FIXED mapping over them:
without the marks, 27 to 39 of a run's 100 or so rounds read the freed
pages' words through a stale translation (seeds 5, 8, 9), and as many
when the unmapping forgets to put its pages in the batch.  `bits_migrate`
does it for the dirty and accessed bits that msync and pgaccess clear:
without the marks, 20 to 33 of a run's 100 or so rounds find a page
written after the clearing that is not dirty or not accessed (seeds 5, 8,
9, 11, 12).  `oom_storm` runs copy-on-write of superpage heaps shared by 42
children until the out-of-memory policy kills: the allocator used to let a
preempted thread hold a counted-free page off every list, and harts spun in
kalloc() with interrupts off forever (3 of 4 runs hung).  Each boot
has a disk for the msync rounds' files."""
import os
import random
import re
import shutil
import tempfile

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ()

FIXED_SEED = 20260801
ITERS_3HART = 200       # cow_migrate rounds, and steps of each mix root
PROCS_3HART = 5         # mix roots at once: more processes than harts
ITERS_1HART = 40
PROCS_1HART = 3


def run(h):
    seed = random.randrange(1, 1 << 31)
    runs = [('stress/3hart', FIXED_SEED, 3, ITERS_3HART, PROCS_3HART),
            ('stress/3hart-seed%d' % seed, seed, 3, ITERS_3HART, PROCS_3HART),
            ('stress/1hart', FIXED_SEED, 1, ITERS_1HART, PROCS_1HART)]
    tmp = tempfile.mkdtemp(prefix='canopy-stress-')
    try:
        for run_args in runs:
            disk = os.path.join(tmp, 'disk.img')      # bits_migrate's files, in /tmp
            shutil.copyfile(os.environ['CANOPY_FS_IMG'], disk)
            one_run(h, disk, *run_args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def one_run(h, disk, label, s, cpus, iters, procs):
    b = h.boot(label, 'stress seed=%d iters=%d procs=%d' % (s, iters, procs), cpus=cpus,
               timeout=300, disk=disk)
    h.guest_results(label, b, 'stress')
    h.record('%s no kernel panic' % label, not b.panicked and not b.timed_out,
             '%s (log: %s)' % ('timed out' if b.timed_out else 'kernel panic', b.log))
    m = re.search(r'^stress: free pages (\d+) before, (\d+) after', b.output, re.M)
    restored = m is not None and int(m.group(2)) >= int(m.group(1))
    h.record('%s free pages restored' % label, restored,
             ('%s before, %s after' % m.groups() if m else 'no free-page line') +
             ' (log: %s)' % b.log)
