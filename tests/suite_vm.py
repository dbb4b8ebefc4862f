"""Demand paging: the in-kernel vmtest program (lazy heap, copy-on-write
fork, faults inside kernel copies, out of memory, pgaccess, vmprint and a
seeded random mix) on 1 and 3 harts, plus the vmprint app's output."""
import random
import re

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ('vmtest', 'vmprint')

FIXED_SEED = 20240601


def run(h):
    for cpus in (1, 3):
        label = 'vm/%dhart' % cpus
        b = h.boot(label, 'vmtest seed=%d' % FIXED_SEED, cpus=cpus)
        h.guest_results(label, b, 'vmtest')
        # overcommit (lazy heap or COW fork) kills with a message; strict never does
        design = _design_line(b.output)
        said = re.search(r'^pid \d+ \(vmtest\): killed: out of memory( in a system call)? at ',
                         b.output, re.M) is not None
        if ' lazy' in design or ' cow' in design:
            h.record('%s out-of-memory kills say so' % label, said,
                     'no "killed: out of memory" line (log: %s)' % b.log)
        else:
            h.record('%s strict memory: no out-of-memory kills' % label, design != '' and not said,
                     'design line %r; out-of-memory kill seen: %s (log: %s)' % (design, said, b.log))

    # one more mix with a seed that changes from run to run; the seed is in the name
    seed = random.randrange(1, 1 << 31)
    label = 'vm/3hart-seed%d' % seed
    b = h.boot(label, 'vmtest seed=%d random_mix' % seed, cpus=3)
    h.guest_results(label, b, 'vmtest')

    b = h.boot('vmprint-app', 'vmprint; vmprint 1; vmprint 99999', timeout=60)
    out = b.output
    # with KPTI a user table holds one kernel-half entry of its own (the trap entry area)
    kpti = h.design == 'classic' or h.design.startswith('kpti1')
    kernel_half = (r'^kernel half: 1 of 256 root entries in use, same as the kernel root: no '
                   r'\(KPTI: the trap entry area only\)$' if kpti else
                   r'^kernel half: \d+ of 256 root entries in use, same as the kernel root: yes$')
    ok = (re.search(r'^pid \d+ \(vmprint\) root 0x[0-9a-f]{16}$', out, re.M) and
          re.search(r'^pid 1 \(init\) root 0x[0-9a-f]{16}$', out, re.M) and
          re.search(kernel_half, out, re.M) and
          re.search(r'^ \.\.\[16\] va 0x0000010000 pa 0x[0-9a-f]{16} VR-XU-A--$', out, re.M) and
          re.search(r'^vmprint: no process 99999$', out, re.M) and
          b.status == 1 and not b.panicked)
    h.record('vmprint app prints its own and init\'s table and refuses a bad pid', bool(ok),
             'status %s (log: %s)' % (b.status, b.log))


def _design_line(output):
    m = re.search(r'^vmtest: seed \d+, design(.*)$', output, re.M)
    return m.group(1) if m else ''
