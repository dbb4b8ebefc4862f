#!/usr/bin/env python3
"""Run the system-call fuzzer (src/apps/fuzz) in one boot and judge it.

    fuzz.py --kernel K --image build/fs.img --fsck build/tools/fsck
            --disk build/fuzz-disk.img [--seed S] [--calls N] [--cpus C]
            [--mem M] [--timeout T] [--linux] [--args 'workers=6 ...'] [--log FILE]

Boots with a fresh copy of the image, runs `fuzz seed=S calls=N trace`
(with --linux, `fuzz linux ...`: Linux's system calls),
then checks the disk with the host fsck.  Exits 0 only if there was no
panic, no hang (QEMU killed at the timeout), the fuzzer printed its ok
line (no check failed, no page leaked, every process gone) and fsck found
the disk clean; otherwise prints why, the seed, and the last call: the
fuzzer's FAIL lines, or for a panic the system call the kernel reports
and the batch whose pid it names.  The functions here are also what
tests/suite_fuzz.py uses.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import qemu  # noqa: E402

SYSCALL_H = os.path.join(HERE, '..', 'src', 'include', 'canopy', 'syscall.h')
LINUX_UNISTD = '/usr/riscv64-linux-gnu/include/asm-generic/unistd.h'
LINUX_BATCH = 'fuzz-linux'     # the name of Linux mode's batch processes
QUIET = re.compile(r'^pid \d+ \(\S+\): unknown system call \d+$')


def syscall_names():
    names = {}
    with open(SYSCALL_H) as f:
        for line in f:
            m = re.match(r'#define SYS_(\w+)\s+(\d+)', line)
            if m:
                names[int(m.group(2))] = m.group(1)
    return names


def linux_syscall_names():
    """Linux's numbers to names, from the uapi header (empty without it)."""
    names = {}
    try:
        with open(LINUX_UNISTD) as f:
            for line in f:
                m = re.match(r'#define __NR(?:3264)?_(\w+)\s+(\d+)', line)
                if m:
                    names[int(m.group(2))] = m.group(1)
    except OSError:
        pass
    return names


def new_seed():
    return random.SystemRandom().randrange(1, 10 ** 12)


HANG_LINE = b'fuzz: FAIL (hang)'
HANG_GRACE = 5          # seconds of output kept after the guest's hang line


def boot(kernel, cmd, cpus, mem, timeout, disk, echo):
    """Boot once, printing the console (less the unknown-system-call lines)
    as it comes when echo; (output, QEMU status, timed out).  QEMU is ended
    early, as timed out, a little after the fuzzer's watchdog reports a hang,
    which it first answers with ^P (the kernel lists what each process
    sleeps on, with its kernel stack)."""
    p = subprocess.Popen(qemu.qemu_command(kernel, cpus, mem, cmd, disk),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    pending = b''

    def on_data(data, chunks):
        nonlocal pending
        if echo:
            pending += data
            *lines, pending = pending.split(b'\n')
            for line in lines:
                text = line.decode('utf-8', 'replace').rstrip('\r')
                if not QUIET.match(text):
                    print(text, flush=True)
        if HANG_LINE not in data:
            return None
        p.stdin.write(b'\x10')
        p.stdin.flush()
        return time.time() + HANG_GRACE

    data, how = qemu.pump(p, timeout, on_data, poll=0.05)
    output = data.decode('utf-8', 'replace').replace('\r\n', '\n')
    return output, p.returncode, how != 'exited'


def fsck(tool, image):
    p = subprocess.run([tool, image], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=300)
    out = p.stdout.decode('utf-8', 'replace')
    return p.returncode == 0 and 'clean' in out, out


class Verdict:
    """What one fuzz boot showed; each field a check, with why it failed."""

    def __init__(self, output, timed_out, seed):
        self.output = output
        self.seed = seed
        self.mode = 'linux ' if re.search(r'^fuzz: Linux system calls', output, re.M) else ''
        self.timed_out = timed_out
        self.hang_line = re.search(r'^fuzz: FAIL \(hang\).*$', output, re.M)
        self.panicked = 'panic on hart' in output
        m = re.search(r'^fuzz: (\d+) calls, seed (\d+), (ok|FAILED.*)$', output, re.M)
        self.calls = int(m.group(1)) if m else 0
        self.ok_line = bool(m and m.group(3) == 'ok')
        self.result_line = m.group(0) if m else None
        m = re.search(r'^fuzz: free pages (\d+) before, (\d+) after; processes (\d+) before, '
                      r'(\d+) after$', output, re.M)
        self.pages = (int(m.group(1)), int(m.group(2))) if m else None
        self.procs = (int(m.group(3)), int(m.group(4))) if m else None
        m = re.search(r'^fuzz: \d+ calls in [\d.]+ s \((\d+) calls/s\)', output, re.M)
        self.rate = int(m.group(1)) if m else None
        self.fail_lines = re.findall(r'^fuzz: (?:FAIL|replay).*$', output, re.M)
        self.fsck_ok = None
        self.kernel = None      # to name the functions of a backtrace
        self.fsck_out = ''

    def no_leak(self):
        """No page missing (more is fine: a hart may hold the table of a process
        that ended before the first count, and let go of it later)."""
        return self.pages is not None and self.pages[1] >= self.pages[0]

    def ok(self):
        return (not self.panicked and not self.timed_out and self.ok_line and
                self.no_leak() and self.fsck_ok is True)

    def panic_report(self):
        """The panic's lines, and the call and batch the kernel's report names."""
        lines = []
        i = self.output.find('panic on hart')
        lines += self.output[i:].strip().splitlines()[:3]
        j = self.output.find('backtrace:', i)
        if j >= 0:
            trace = re.match(r'backtrace:\n(?:\s+0x[0-9a-f]+\n)*', self.output[j:])
            text = trace.group(0) if trace else ''
            lines += (qemu.symbolize(self.kernel, text) if self.kernel else text).splitlines()
        m = re.search(r'^in pid (\d+) \((\S*)\): a7 (\d+) a0 (\S+) a1 (\S+) a2 (\S+) a3 (\S+) '
                      r'a4 (\S+) a5 (\S+) pc (\S+)$', self.output, re.M)
        if m:
            nr = int(m.group(3))
            table = linux_syscall_names() if m.group(2) == LINUX_BATCH else syscall_names()
            name = table.get(nr, 'invalid')
            lines.append('the last call of pid %s (%s): %s[%d](%s)' % (
                m.group(1), m.group(2), name, nr, ', '.join(m.group(i) for i in range(4, 10))))
            batch = re.findall(r'^fuzz: w(\d+) b(\d+) pid %s$' % m.group(1), self.output, re.M)
            if batch:
                w, b = batch[-1]
                lines.append('its batch: worker %s batch %s; replay: fuzz %sseed=%s worker=%s '
                             'batch=%s verbose' % (w, b, self.mode, self.seed, w, b))
            else:
                lines.append('pid %s is no batch child (a process a batch forked, or a worker)'
                             % m.group(1))
        return lines

    def hang_batches(self):
        """The batches whose children the hang line names (from the trace)."""
        pids = re.findall(r' (\d+):[SR]', self.hang_line.group(0))
        lines = []
        for pid in pids:
            batch = re.findall(r'^fuzz: w(\d+) b(\d+) pid %s$' % pid, self.output, re.M)
            if batch:
                w, b = batch[-1]
                lines.append('pid %s: worker %s batch %s (replay: fuzz %sseed=%s worker=%s '
                             'batch=%s verbose)' % (pid, w, b, self.mode, self.seed, w, b))
        return lines or ['no batch child among them (workers, timers or processes batches forked)']

    def problems(self):
        """Why it failed, one line each (empty: it passed)."""
        why = []
        if self.panicked:
            why += ['kernel panic:'] + ['  ' + s for s in self.panic_report()]
        if self.hang_line:
            why += ['hang: ' + self.hang_line.group(0)] + \
                   ['  ' + s for s in self.hang_batches()]
            dump = self.output[self.hang_line.end():]
            if self.kernel:
                dump = qemu.symbolize(self.kernel, dump)
            why += ['what the processes were doing (^P):'] + \
                   ['  ' + s for s in dump.splitlines() if s.strip() and not QUIET.match(s)]
        elif self.timed_out:
            tail = [s for s in self.output.strip().splitlines() if not QUIET.match(s)][-5:]
            why += ['hang: no power-off before the timeout; the last lines:'] + \
                   ['  ' + s for s in tail]
        if not self.ok_line and not self.panicked and not self.timed_out:
            why.append('no ok line: %s' % (self.result_line or 'the fuzzer did not finish'))
            why += ['  ' + s for s in self.fail_lines[:20]]
        if self.pages and not self.no_leak():
            why.append('pages leaked: %d free before, %d after' % self.pages)
        if self.fsck_ok is False:
            errors = re.findall(r'^fsck: error: (.*)$', self.fsck_out, re.M)
            orphans = [e for e in errors if e.endswith('is in no directory')]
            why.append('fsck: the disk is not clean%s:' % (
                ' (all %d errors: inodes in no directory, what files made in a removed '
                'folder leave)' % len(errors) if errors and len(orphans) == len(errors) else ''))
            why += ['  ' + s for s in self.fsck_out.strip().splitlines()[-10:]]
        return why


def run(kernel, image, fsck_tool, disk, seed, calls, cpus=3, mem='128M', timeout=None,
        args='', echo=False, log=None, linux=False):
    """One fuzz boot on a fresh copy of image, then fsck: a Verdict."""
    qemu.copy_sparse(image, disk)
    if timeout is None:
        timeout = 120 + calls / 200
    cmd = 'fuzz %sseed=%d calls=%d trace %s' % ('linux ' if linux else '', seed, calls, args)
    output, status, timed_out = boot(kernel, cmd.strip(), cpus, mem, timeout, disk, echo)
    if log:
        with open(log, 'w') as f:
            f.write('[%s]\n' % qemu.emulator().describe())
            f.write(output)
    v = Verdict(output, timed_out, seed)
    v.kernel = kernel
    v.fsck_ok, v.fsck_out = fsck(fsck_tool, disk)
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--image', required=True)
    ap.add_argument('--fsck', required=True)
    ap.add_argument('--disk', required=True)
    ap.add_argument('--seed', default='')
    ap.add_argument('--calls', type=int, default=100000)
    ap.add_argument('--cpus', default='3')
    ap.add_argument('--mem', default='128M')
    ap.add_argument('--timeout', type=float)
    ap.add_argument('--linux', action='store_true', help="Linux's system calls")
    ap.add_argument('--args', default='', help='more words for the fuzz command')
    ap.add_argument('--log', help='save the console output here')
    a = ap.parse_args()

    seed = int(a.seed, 0) if a.seed else new_seed()
    print('fuzz.py: seed %d, %d %scalls, %s hart%s, %s (log: %s)' % (
        seed, a.calls, 'Linux ' if a.linux else '', a.cpus, '' if str(a.cpus) == '1' else 's', qemu.emulator().describe(),
        a.log), flush=True)
    v = run(a.kernel, a.image, a.fsck, a.disk, seed, a.calls, a.cpus, a.mem, a.timeout,
            a.args, echo=True, log=a.log, linux=a.linux)
    problems = v.problems()
    if problems:
        print('\nfuzz.py: seed %d: FAILED' % seed)
        for line in problems:
            print('fuzz.py: ' + line)
        return 1
    print('\nfuzz.py: seed %d: ok: %d calls (%s calls/s), no panic, no leak, fsck clean' %
          (seed, v.calls, v.rate))
    return 0


if __name__ == '__main__':
    sys.exit(main())
