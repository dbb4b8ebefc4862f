"""The system-call fuzzer (src/apps/fuzz, tools/fuzz.py): a short run on 3
harts with a fixed seed, and one with a new seed printed in the test names,
each on a fresh copy of the disk, for Canopy's system calls and then for
Linux's (`fuzz linux`: each batch the Linux image src/apps/fuzz/linux).
For each: no panic (nor hang), the fuzzer's ok line (every result
possible, no child stuck in the kernel, every process gone), no page
leaked, and fsck finds the disk clean after.  Without a boot: the Linux
fuzzer's table draws every call the kernel's Linux table implements.
`scons fuzz SEED=N CALLS=M [LINUX=1]` repeats a run, longer.
"""
import os
import re

import fsimage
import fuzz

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ()

FIXED_SEED = 20261123
CALLS = 12000           # 10 to 15 s a boot on this shared host
LINUX_CALLS = 12000     # Linux mode: about as long (a batch is an exec more)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
KERNEL_TABLE = os.path.join(ROOT, 'src', 'linux', 'syscall.c')
FUZZER_TABLE = os.path.join(ROOT, 'src', 'apps', 'fuzz', 'linux', 'gen.c')


def table_check(h):
    """Every call src/linux/syscall.c has a handler for is drawn by the Linux
    fuzzer (a C() entry of its table), and none it marks ABSENT is there."""
    kernel = set(re.findall(r'^\s*\[__NR_(\w+)\]\s*=\s*lx_', open(KERNEL_TABLE).read(), re.M))
    text = open(FUZZER_TABLE).read()
    drawn = set(re.findall(r'^\s*C\(SYS_(\w+),', text, re.M))
    absent = set(re.findall(r'^\s*ABSENT\(SYS_(\w+),', text, re.M))
    missing, wrong = sorted(kernel - drawn), sorted(absent & kernel)
    h.record('fuzz-linux: the table draws every Linux call the kernel has (%d)' % len(kernel),
             bool(kernel) and not missing and not (drawn - kernel),
             'not drawn: %s; drawn but not the kernel\'s: %s' %
             (' '.join(missing) or 'none', ' '.join(sorted(drawn - kernel)) or 'none'))
    h.record('fuzz-linux: no call it expects -ENOSYS from is the kernel\'s', not wrong,
             'marked ABSENT but implemented: %s' % ' '.join(wrong))


def one_run(h, env, seed, linux):
    mode = 'linux-' if linux else ''
    label = 'fuzz/%s3hart-seed%d' % (mode, seed)
    calls = LINUX_CALLS if linux else CALLS
    disk = os.path.join(env['work'], 'fuzz.img')
    log = os.path.join(h.log_dir, label.replace('/', '_') + '.log')
    h.boots += 1
    v = fuzz.run(h.kernel, env['CANOPY_FS_IMG'], env['CANOPY_FSCK'], disk, seed, calls,
                 cpus=3, timeout=min(h.timeout, 150), log=log, linux=linux)
    where = '(log: %s; again: scons fuzz SEED=%d CALLS=%d%s)' % (log, seed, calls,
                                                               ' LINUX=1' if linux else '')
    h.record('%s: no panic, no hang' % label, not v.panicked and not v.timed_out,
             '; '.join(v.problems()[:4]) + ' ' + where)
    h.record('%s: the fuzzer\'s ok line' % label, v.ok_line,
             '%s; %s %s' % (v.result_line, '; '.join(v.fail_lines[:3]), where))
    h.record('%s: no page leaked' % label, v.no_leak(),
             'free pages before, after: %s %s' % (v.pages, where))
    h.record('%s: fsck finds the disk clean after' % label, v.fsck_ok is True,
             '%s %s' % (' | '.join(v.fsck_out.strip().splitlines()[-4:]), where))


def run(h):
    table_check(h)
    env = fsimage.paths(h)
    if not env:
        return
    for linux in (False, True):
        for seed in (FIXED_SEED, fuzz.new_seed()):
            one_run(h, env, seed, linux)
