#!/usr/bin/env python3
"""Canopy's test suite.  Boots the kernel under QEMU (as few times as the
tests allow) and prints one PASS/FAIL line per test, then "N passed, N failed".

    run.py --kernel build/canopy/kernel.elf --design canopy [--only TEXT]
           [--also build/classic/kernel.elf:classic ...]

Every suite runs on the --kernel design.  Each --also kernel runs the core
suites too (those whose module sets CORE = True); their results are
prefixed with the design's name.
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--design', required=True)
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--only', help='run only suites whose module name contains this')
    ap.add_argument('--also', action='append', default=[], metavar='KERNEL:DESIGN',
                    help='also run the core suites on this kernel')
    ap.add_argument('--summary', help='also write the last line to this file')
    a = ap.parse_args()

    runs = [(a.kernel, a.design, False)]
    for spec in a.also:
        kernel, design = spec.rsplit(':', 1)
        runs.append((kernel, design, True))
    passed = failed = 0
    for kernel, design, core_only in runs:
        log_dir = os.path.join(os.path.dirname(os.path.abspath(kernel)), 'test-logs')
        h = Harness(os.path.abspath(kernel), design, a.timeout, log_dir, a.only,
                    prefix='[%s] ' % design if core_only else '')
        start = time.time()
        for path in sorted(glob.glob(os.path.join(HERE, 'suite_*.py'))):
            name = os.path.basename(path)[:-3]
            if a.only and a.only not in name:
                continue
            module = importlib.import_module(name)
            if core_only and not getattr(module, 'CORE', False):
                continue
            print('== %s (%s)' % (name, design))
            sys.stdout.flush()
            try:
                module.run(h)
            except Exception as e:  # a broken suite is a failure, not a crash of the run
                h.record(name, False, 'suite raised %s: %s' % (type(e).__name__, e))
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
