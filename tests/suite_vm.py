"""Demand paging: the in-kernel vmtest program (lazy heap, copy-on-write
fork, faults inside kernel copies, out of memory) on 1 and 3 harts."""
import re


def run(h):
    for cpus in (1, 3):
        label = 'vm/%dhart' % cpus
        b = h.boot(label, 'vmtest', cpus=cpus)
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


def _design_line(output):
    m = re.search(r'^vmtest: design(.*)$', output, re.M)
    return m.group(1) if m else ''
