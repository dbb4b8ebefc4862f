"""The system-call fuzzer (src/apps/fuzz, tools/fuzz.py): a short run on 3
harts with a fixed seed, and one with a new seed printed in the test names,
each on a fresh copy of the disk.  For each: no panic (nor hang), the
fuzzer's ok line (every result possible, no child stuck in the kernel,
every process gone), no page leaked, and fsck finds the disk clean after.
`scons fuzz SEED=N CALLS=M` repeats a run, longer.
"""
import os

import fsimage
import fuzz

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ()

FIXED_SEED = 20261123
CALLS = 12000           # 10 to 15 s a boot on this shared host


def run(h):
    env = fsimage.paths(h)
    if not env:
        return
    for seed in (FIXED_SEED, fuzz.new_seed()):
        label = 'fuzz/3hart-seed%d' % seed
        disk = os.path.join(env['work'], 'fuzz.img')
        log = os.path.join(h.log_dir, label.replace('/', '_') + '.log')
        h.boots += 1
        v = fuzz.run(h.kernel, env['CANOPY_FS_IMG'], env['CANOPY_FSCK'], disk, seed, CALLS,
                     cpus=3, timeout=min(h.timeout, 150), log=log)
        where = '(log: %s; again: scons fuzz SEED=%d CALLS=%d)' % (log, seed, CALLS)
        h.record('%s: no panic, no hang' % label, not v.panicked and not v.timed_out,
                 '; '.join(v.problems()[:4]) + ' ' + where)
        h.record('%s: the fuzzer\'s ok line' % label, v.ok_line,
                 '%s; %s %s' % (v.result_line, '; '.join(v.fail_lines[:3]), where))
        h.record('%s: no page leaked' % label, v.no_leak(),
                 'free pages before, after: %s %s' % (v.pages, where))
        h.record('%s: fsck finds the disk clean after' % label, v.fsck_ok is True,
                 '%s %s' % (' | '.join(v.fsck_out.strip().splitlines()[-4:]), where))
