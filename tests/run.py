#!/usr/bin/env python3
"""Canopy's test suite.  Boots the kernel under QEMU (as few times as the
tests allow) and prints one PASS/FAIL line per test, then "N passed, N failed".

    run.py --kernel build/canopy/kernel.elf --design canopy [--only TEXT]
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
    ap.add_argument('--summary', help='also write the last line to this file')
    a = ap.parse_args()

    log_dir = os.path.join(os.path.dirname(os.path.abspath(a.kernel)), 'test-logs')
    h = Harness(os.path.abspath(a.kernel), a.design, a.timeout, log_dir, a.only)
    start = time.time()
    for path in sorted(glob.glob(os.path.join(HERE, 'suite_*.py'))):
        name = os.path.basename(path)[:-3]
        if a.only and a.only not in name:
            continue
        print('== %s (%s)' % (name, a.design))
        sys.stdout.flush()
        try:
            importlib.import_module(name).run(h)
        except Exception as e:  # a broken suite is a failure, not a crash of the run
            h.record(name, False, 'suite raised %s: %s' % (type(e).__name__, e))
    print('== %d boots in %.0f s; logs in %s' % (h.boots, time.time() - start, log_dir))
    summary = '%d passed, %d failed' % (h.passed, h.failed)
    print(summary)
    if a.summary:
        with open(a.summary, 'w') as f:
            f.write(summary + '\n')
    return 1 if h.failed else 0


if __name__ == '__main__':
    sys.exit(main())
