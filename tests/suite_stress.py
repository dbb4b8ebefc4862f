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
when the unmapping forgets to put its pages in the batch."""
import random
import re

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
    for label, s, cpus, iters, procs in runs:
        b = h.boot(label, 'stress seed=%d iters=%d procs=%d' % (s, iters, procs), cpus=cpus,
                   timeout=300)
        h.guest_results(label, b, 'stress')
        h.record('%s no kernel panic' % label, not b.panicked and not b.timed_out,
                 '%s (log: %s)' % ('timed out' if b.timed_out else 'kernel panic', b.log))
        m = re.search(r'^stress: free pages (\d+) before, (\d+) after', b.output, re.M)
        restored = m is not None and int(m.group(2)) >= int(m.group(1))
        h.record('%s free pages restored' % label, restored,
                 ('%s before, %s after' % m.groups() if m else 'no free-page line') +
                 ' (log: %s)' % b.log)
