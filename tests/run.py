#!/usr/bin/env python3
"""Canopy's test suite.  Boots the kernel under QEMU (as few times as the
tests allow) and prints one PASS/FAIL line per test, then "N passed, N failed".

    run.py --kernel build/canopy/kernel.elf --design canopy [--only NAMES]
           [--also build/classic/kernel.elf:classic ...]
    run.py --names

Every suite runs on the --kernel design.  Each --also kernel runs the core
suites too (those whose module sets CORE = True); their results are
prefixed with the design's name.  --only takes comma-separated names: a
suite's (core, vm, ...) or a program's that a suite runs (its PROGRAMS:
utest, vmtest, ...); a name nothing answers to is an error.  --names lists
them.
"""
import argparse
import glob
import importlib
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Harness  # noqa: E402
import qemu  # noqa: E402  (harness put tools/ on the path)


def suites():
    """[(short name, module)] of every tests/suite_*.py, in name order."""
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, 'suite_*.py'))):
        name = os.path.basename(path)[:-3]
        out.append((name[len('suite_'):], importlib.import_module(name)))
    return out


def names_help(all_suites):
    return '\n'.join('  %-9s %s' % (name, ' '.join(getattr(m, 'PROGRAMS', ())))
                     for name, m in all_suites)


def select(words, all_suites):
    """The short names of the suites the comma-separated words name; exits
    with the list of names if a word names nothing."""
    chosen = set()
    for word in [w.strip() for w in words.split(',') if w.strip()]:
        hit = {name for name, m in all_suites
               if word in (name, 'suite_' + name) or word in getattr(m, 'PROGRAMS', ())}
        if not hit:
            sys.exit('run.py: TESTS=%s: no suite or program is called %r.  The names '
                     '(suite, then the programs it runs):\n%s' % (words, word,
                                                                names_help(all_suites)))
        chosen |= hit
    if not chosen:
        sys.exit('run.py: TESTS=%r names nothing' % words)
    return chosen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel')
    ap.add_argument('--design')
    ap.add_argument('--names', action='store_true', help='list the names --only takes')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--only', help='run only these suites (comma-separated suite or program '
                    'names)')
    ap.add_argument('--also', action='append', default=[], metavar='KERNEL:DESIGN',
                    help='also run the core suites on this kernel')
    ap.add_argument('--summary', help='also write the last line to this file')
    a = ap.parse_args()
    all_suites = suites()
    if a.names:
        print(names_help(all_suites))
        return 0
    if not a.kernel or not a.design:
        ap.error('--kernel and --design are required')
    only = select(a.only, all_suites) if a.only is not None else None

    runs = [(a.kernel, a.design, False)]
    for spec in a.also:
        kernel, design = spec.rsplit(':', 1)
        runs.append((kernel, design, True))
    print('== on %s' % qemu.emulator().describe())
    passed = failed = 0
    for kernel, design, core_only in runs:
        log_dir = os.path.join(os.path.dirname(os.path.abspath(kernel)), 'test-logs')
        h = Harness(os.path.abspath(kernel), design, a.timeout, log_dir, a.only,
                    prefix='[%s] ' % design if core_only else '')
        start = time.time()
        for short, module in all_suites:
            name = 'suite_' + short
            if only is not None and short not in only:
                continue
            if core_only and not getattr(module, 'CORE', False):
                continue
            print('== %s (%s)' % (name, design))
            sys.stdout.flush()
            began, boots = time.time(), h.boots
            try:
                module.run(h)
            except Exception as e:  # a broken suite is a failure, not a crash of the run
                h.record(name, False, 'suite raised %s: %s' % (type(e).__name__, e))
            print('-- %s (%s): %d boots in %.0f s' % (name, design, h.boots - boots,
                                                      time.time() - began))
        print('== %s: %d boots in %.0f s; logs in %s' % (design, h.boots, time.time() - start,
                                                          log_dir))
        passed += h.passed
        failed += h.failed
    summary = '%d passed, %d failed' % (passed, failed)
    print(summary)
    if a.summary:
        with open(a.summary, 'w') as f:
            f.write(summary + '\n')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
