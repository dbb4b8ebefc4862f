"""The DEBUG kernel's checks, and fault injection, on the main design's
DEBUG kernel (built by SCons and passed in CANOPY_DEBUG_KERNEL).

Checks: for each rule the kernel checks (sleeping or taking a sleep lock
with a spinlock held or interrupts off, releasing a lock another hart
holds, a double acquire, signed overflow, an index out of bounds, a shift
too far), `selftest-panic RULE` breaks it inside the kernel, which must
panic naming the rule (the lock, or the kind of undefined behaviour and
its source line).

Fault injection: boots with `fail=KIND:N failseed=S` make a
share of page allocations, disk requests or buffer-cache misses fail while
a workload runs (utest, vmtest, fstest, xv6fstest, forktest, stressfs,
mmaptest and shell commands on files, each under `timeout`; 3 harts).  For each boot:

- no panic and no hang: QEMU powers off before the boot's timeout, and no
  process outlives a kill (timeout's "did not end after the kill", or
  killall finding processes it cannot get rid of);
- the injection happened: the kernel's power-off report counts failures;
- no leaked page: `killall` ends the workload (everything else killed and
  reaped, harts idle), and the free pages at power-off equal those of a
  boot of the same workload without failures;
- the disk is clean for fsck; after the boot that turns the file system
  read-only, a boot without failures mounts it, writes again and leaves
  it clean.

Seeds are fixed, but the boot that fails all three kinds at once takes a
new seed each run (printed in its name); FAULT_SEED=N repeats it.  A
workload whose shell is itself killed (out of memory) cannot be checked
for leaks: that boot is repeated with the next seed (up to 4 times).
"""
import os
import random
import re

import fsimage

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ()

CPUS = 3
TIMEOUT = 150
SHELL = ('echo hi > /tmp/a; echo more >> /tmp/a; cat /tmp/a; mkdir /tmp/d; echo x > /tmp/d/f; '
         'ln /tmp/d/f /tmp/g; ln -s /tmp/a /tmp/d/s; cat /tmp/d/s | wc; ls /tmp /tmp/d; '
         'rm /tmp/d/s /tmp/d/f /tmp/g /tmp/d /tmp/a')
# Every line ends the same way: a command that always fails (so init
# reports the line as failed in every boot, with the same pages), then
# killall (twice: the first may itself be failed), after which nothing runs.
END = 'nosuchcommand; killall; killall'
# The shell's own page faults (copy-on-write breaks after each fork) may be
# failed too, which kills it: the memory workload keeps its commands few.
WORKLOADS = {
    'memory': ('timeout 60 utest; timeout 60 vmtest lazy cow; timeout 30 forktest; '
               'timeout 60 fstest basic; ' + END),
    'files': ('timeout 60 fstest basic paths links; timeout 60 xv6fstest; '
              'timeout 60 stressfs 3 64; timeout 60 mmaptest; ' + SHELL + '; ' + END),
}
# (kinds and rates, workload, seed); seed None: a new one each run
RUNS = [
    ('page:500', 'memory', 11),
    ('page:100', 'memory', 12),
    ('disk:400', 'files', 13),
    ('disk:40', 'files', 14),
    ('buf:200', 'files', 15),
    ('buf:20', 'files', 16),
    ('page:300,disk:300,buf:100', 'files', None),
]
RETRIES = 4
# selftest-panic RULE: what the panic must say
CHECKS = [
    ('sleep-spinlock', r'sleep may sleep, but hart \d+ holds spinlock debugcheck'),
    ('sleeplock-spinlock', r'sleep_lock may sleep, but hart \d+ holds spinlock debugcheck'),
    ('sleeplock-intr-off', r'sleep_lock may sleep, but interrupts are off'),
    ('release-not-held', r'spin_unlock: debugcheck is held by hart 99, not by this one'),
    ('double-acquire', r'spin_lock: debugcheck already held by this hart'),
    ('ub-overflow', r'ubsan: signed integer overflow: 0x7fffffff \+ 0x1 in type .int. at '
                    r'src/debug/debugcheck\.c:\d+:\d+'),
    ('ub-bounds', r'ubsan: index 8 out of bounds for type .int \[8\]. at src/debug/debugcheck\.c:\d+'),
    ('ub-shift', r'ubsan: shift out of bounds: .* by 32 .* at src/debug/debugcheck\.c:\d+'),
    ('sum-left-on', r'system call \d+ returned with user access \(sstatus\.SUM\) on'),
]


def run(h):
    env = fsimage.paths(h)
    if not env:
        return
    kernel = os.environ.get('CANOPY_DEBUG_KERNEL')
    if not kernel or not os.path.exists(kernel):
        h.record('faults: the DEBUG kernel from SCons', False,
                 'CANOPY_DEBUG_KERNEL is %r' % kernel)
        return
    saved = h.kernel
    h.kernel = os.path.abspath(kernel)
    try:
        debug_checks(h)
        Faults(h, env).run()
    finally:
        h.kernel = saved


def debug_checks(h):
    for rule, said in CHECKS:
        b = h.boot('debug/' + rule, 'selftest-panic ' + rule, bootargs='allow_panic_test',
                   timeout=60)
        m = re.search(r'^panic on hart \d+: (.*)$', b.output, re.M)
        h.record('debug: breaking the rule %s panics naming it' % rule,
                 m is not None and re.search(said, m.group(1)) is not None and
                 'backtrace:' in b.output and b.status == 2 and not b.timed_out,
                 'panic: %s (log: %s)' % (m.group(1) if m else None, b.log))


class Faults:
    def __init__(self, h, env):
        self.h = h
        self.img = env['CANOPY_FS_IMG']
        self.fsck_tool = env['CANOPY_FSCK']
        self.work = env['work']
        self.reference = {}

    def run(self):
        for name in WORKLOADS:
            self.reference_boot(name)
        extra = int(os.environ.get('FAULT_SEED') or random.SystemRandom().randrange(1, 1 << 31))
        for spec, workload, seed in RUNS:
            self.faulty_boot(spec, workload, seed if seed is not None else extra)

    def fresh_disk(self, name):
        path = os.path.join(self.work, 'faults-%s.img' % name)
        fsimage.copy_sparse(self.img, path)
        return path

    def boot(self, label, bootargs, cmd, disk):
        return self.h.boot(label, cmd, cpus=CPUS, disk=disk, timeout=TIMEOUT, bootargs=bootargs)

    def fsck_clean(self, disk):
        rc, out = fsimage.fsck(self.fsck_tool, disk)
        return rc == 0 and 'clean' in out, ' | '.join(out.strip().splitlines()[-3:])

    @staticmethod
    def free_pages(b):
        m = re.search(r'^faultinject: (\d+) pages free at power-off$', b.output, re.M)
        return int(m.group(1)) if m else None

    @staticmethod
    def ended(b):
        """Did the workload reach killall, which then found no process it could not end?"""
        return (re.search(r'^killall: \d+ processes killed$', b.output, re.M) is not None and
                'still there' not in b.output)

    def reference_boot(self, workload):
        disk = self.fresh_disk('ref-' + workload)
        b = self.boot('faults/reference-' + workload, 'fail=page:0', WORKLOADS[workload], disk)
        pages = self.free_pages(b)
        clean, why = self.fsck_clean(disk)
        ok = not b.timed_out and not b.panicked and self.ended(b) and pages is not None and clean
        self.h.record('faults: the %s workload without failures ends cleanly (reference: %s '
                      'pages free)' % (workload, pages), ok,
                      'timed out %s, panic %s, killall %s, fsck: %s (log: %s)' %
                      (b.timed_out, b.panicked, self.ended(b), why, b.log))
        if ok:
            self.reference[workload] = pages

    def faulty_boot(self, spec, workload, seed):
        for attempt in range(RETRIES + 1):
            s = seed + attempt
            disk = self.fresh_disk('run')
            label = 'faults/%s-seed%d' % (spec.replace(':', '').replace(',', '-'), s)
            b = self.boot(label, 'fail=%s failseed=%d' % (spec, s), WORKLOADS[workload], disk)
            if b.timed_out or b.panicked or self.ended(b) or attempt == RETRIES:
                break
            print('faults: %s seed %d: the shell was killed before the end; next seed' % (spec, s))
        self.check(spec, workload, s, b, disk)

    def check(self, spec, workload, seed, b, disk):
        name = 'faults: %s (seed %d, %s workload, %d harts)' % (spec, seed, workload, CPUS)
        out = b.output
        self.h.record(name + ': no panic, no hang', not b.timed_out and not b.panicked and
                      'did not end after the kill' not in out and 'still there' not in out,
                      'timed out %s, panic %s (log: %s)' % (b.timed_out, b.panicked, b.log))
        counts = {}
        for kind in re.findall(r'([a-z]+):\d+', spec):
            m = re.search(r'^faultinject: %s: (\d+) of (\d+) failed$' % kind, out, re.M)
            counts[kind] = (int(m.group(1)), int(m.group(2))) if m else None
        # every kind was asked for, and something failed (with several kinds at
        # once, one may fail nothing: an early read-only file system cuts the work)
        self.h.record(name + ': failures were injected (%s)' %
                      ', '.join('%s %s of %s' % (k, *(v or ('?', '?'))) for k, v in counts.items()),
                      all(v and v[1] > 0 for v in counts.values()) and
                      sum(v[0] for v in counts.values() if v) > 0,
                      'log: %s' % b.log)
        pages, want = self.free_pages(b), self.reference.get(workload)
        self.h.record(name + ': no page leaked (%s free at power-off, %s without failures)' %
                      (pages, want), self.ended(b) and pages is not None and pages == want,
                      'the workload %s (log: %s)' %
                      ('ended' if self.ended(b) else 'did not reach killall', b.log))
        clean, why = self.fsck_clean(disk)
        self.h.record(name + ': fsck clean', clean, why)
        if 'read-only' in out and spec.startswith('disk'):
            self.after_read_only(name, disk)

    def after_read_only(self, name, disk):
        """The file system turned read-only: a boot without failures mounts it
        (replaying a committed log), writes again, and leaves it clean."""
        b = self.h.boot('faults/after-read-only', 'echo back > /tmp/after; cat /tmp/after; '
                        'rm /tmp/after; echo done', cpus=1, disk=disk, timeout=60)
        clean, why = self.fsck_clean(disk)
        self.h.record(name + ': the next boot mounts the disk, writes again, fsck clean',
                      not b.timed_out and not b.panicked and 'fs: mounted' in b.output and
                      'back\ndone\n' in b.output and b.status == 0 and clean,
                      'status %s, fsck: %s (log: %s)' % (b.status, why, b.log))
