"""What the test suites share: booting Canopy, collecting results.

A suite is a module tests/suite_*.py with a function run(h) that boots the
kernel through h.boot() and reports through h.record() or h.guest_results().
Programs inside Canopy report with lines "PASS name" / "FAIL name"; their
explanations come on indented lines before.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tools'))
import qemu  # noqa: E402


class Harness:
    def __init__(self, kernel, design, timeout, log_dir, only=None, prefix=''):
        self.kernel = kernel
        self.prefix = prefix        # before every test name (the design, for a second one)
        self.design = design
        self.timeout = timeout
        self.log_dir = log_dir
        self.only = only
        self.passed = 0
        self.failed = 0
        self.boots = 0
        os.makedirs(log_dir, exist_ok=True)

    def record(self, name, ok, detail=''):
        if ok:
            self.passed += 1
            print('PASS %s%s' % (self.prefix, name))
        else:
            self.failed += 1
            print('FAIL %s%s%s' % (self.prefix, name, ': ' + detail if detail else ''))
        sys.stdout.flush()

    def boot(self, label, cmd, cpus=1, mem='128M', disk=None, timeout=None, bootargs='',
             input=None):
        """Boot once; the console output is saved in the log folder as label.log."""
        self.boots += 1
        b = qemu.boot(self.kernel, cmd, cpus=cpus, mem=mem, disk=disk,
                      timeout=timeout or self.timeout, bootargs=bootargs, input=input)
        path = os.path.join(self.log_dir, re.sub(r'[^A-Za-z0-9_.-]+', '_', label) + '.log')
        with open(path, 'w') as f:
            f.write('[%s]\n' % qemu.emulator().describe())
            f.write(b.output)
        b.log = path
        return b

    def boot_ok(self, label, b):
        """Record that a boot ended cleanly; False (and a failure) if not."""
        if b.timed_out:
            self.record(label + ' boot', False, 'timed out (log: %s)' % b.log)
        elif b.panicked:
            self.record(label + ' boot', False, 'kernel panic (log: %s)' % b.log)
        else:
            return True
        return False

    def guest_results(self, label, b, program):
        """Record each PASS/FAIL line a guest program printed, and that it finished.

        Several programs may run in one boot: a program's lines are those
        after the previous program's summary line and up to its own.
        """
        seen = 0
        explanation = []
        for line in self.program_lines(b.output, program):
            m = re.match(r'^(PASS|FAIL) (\S+)\s*$', line)
            if m:
                seen += 1
                detail = '; '.join(s.strip() for s in explanation[-5:])
                self.record('%s %s' % (label, m.group(2)), m.group(1) == 'PASS',
                            detail if m.group(1) == 'FAIL' else '')
                explanation = []
            elif line.startswith('  '):
                explanation.append(line)
            else:
                explanation = []
        finished = re.search(r'^%s: \d+ passed, \d+ failed' % re.escape(program), b.output, re.M)
        ok = finished is not None and not b.timed_out and not b.panicked and seen > 0
        why = ('timed out' if b.timed_out else 'kernel panic' if b.panicked
               else 'no summary line' if not finished else '')
        self.record('%s %s completed' % (label, program), ok,
                    (why + ' (log: %s)' % b.log) if not ok else '')

    @staticmethod
    def program_lines(output, program):
        lines = []
        for line in output.splitlines():
            m = re.match(r'^(\S+): \d+ passed, \d+ failed', line)
            if m:
                if m.group(1) == program:
                    return lines
                lines = []
            else:
                lines.append(line)
        return lines
