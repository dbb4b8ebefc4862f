#!/usr/bin/env python3
"""Boot Canopy under QEMU.

    qemu.py run --kernel K [--cpus N] [--mem M] [--cmd LINE] [--timeout S] [--bootargs W]
    qemu.py gdb --kernel K [--cpus N] [--mem M] [--bootargs W]
    qemu.py version

The emulator is the one the CANOPY_QEMU variable names (`10`, `system` or a
path: select_emulator), else the newest that runs; `version` prints it.

`run` without --cmd hands the terminal to QEMU (the console; Ctrl-A X
quits).  With --cmd the line goes to the shell through the kernel command
line; QEMU powers off after it, and this exits non-zero if a command failed,
the kernel panicked or the timeout passed.  The functions here are also
what the test harness and the benchmark use.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The emulators by name: Debian 12's own QEMU 7.2, and QEMU 10.0 from Debian
# 12's backports, which tools/bootstrap unpacks under build/qemu-10.  Newest first.
EMULATORS = [
    ('10', os.path.join(ROOT, 'build', 'qemu-10', 'usr', 'bin', 'qemu-system-riscv64')),
    ('system', '/usr/bin/qemu-system-riscv64'),
]


class Emulator:
    """One qemu-system-riscv64: its binary, the folder its firmware is in
    (None: its own default), and the version it reports."""

    def __init__(self, binary):
        self.binary = binary
        prefix = os.path.dirname(os.path.dirname(os.path.abspath(binary)))
        data = os.path.join(prefix, 'share', 'qemu')
        self.datadir = data if prefix != '/usr' and os.path.isdir(data) else None
        # an unpacked QEMU loads its own modules, not the system QEMU's
        modules = glob.glob(os.path.join(prefix, 'lib', '*-linux-gnu', 'qemu'))
        self.env = {'QEMU_MODULE_DIR': modules[0]} if prefix != '/usr' and modules else {}
        self.version = self._version()
        # no sound card: a newer QEMU otherwise probes the host's audio and
        # display modules, and warns when they are the system QEMU's
        self.args = (['-L', self.datadir] if self.datadir else []) + \
            (['-audio', 'none'] if self.version and int(self.version.split('.')[0]) >= 8 else [])

    def _version(self):
        try:
            out = subprocess.run([self.binary, '--version'], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, timeout=30,
                                 env=dict(os.environ, **self.env)).stdout
        except (OSError, subprocess.TimeoutExpired):
            return None
        m = re.search(rb'QEMU emulator version (\S+)', out)
        return m.group(1).decode() if m else None

    def describe(self):
        return 'QEMU %s (%s)' % (self.version, self.binary)


def select_emulator(choice=None):
    """The emulator that choice names: '10', 'system', a path to a
    qemu-system-riscv64, or nothing (the CANOPY_QEMU variable, else the
    newest that runs).  Exits with a message if it does not run."""
    choice = choice if choice is not None else os.environ.get('CANOPY_QEMU', '')
    names = dict(EMULATORS)
    if not choice:
        for name, binary in EMULATORS:
            e = Emulator(binary)
            if e.version:
                return e
        sys.exit('qemu.py: no qemu-system-riscv64 runs: run tools/bootstrap')
    e = Emulator(names.get(choice, choice))
    if not e.version:
        hint = ('run tools/bootstrap, which unpacks QEMU 10.0 there' if choice == '10' else
                'QEMU is one of %s or a path to a qemu-system-riscv64' % ', '.join(names))
        sys.exit('qemu.py: QEMU=%s: %s does not run: %s' % (choice, e.binary, hint))
    return e


_emulator = None


def emulator():
    """The emulator this process boots with (chosen once, by CANOPY_QEMU)."""
    global _emulator
    if _emulator is None:
        _emulator = select_emulator()
        os.environ.update(_emulator.env)        # for every QEMU this process starts
    return _emulator


def qemu_command(kernel, cpus=1, mem='128M', cmd=None, disk=None, gdb=False, extra=(),
                 bootargs=''):
    """The QEMU command line for one boot.  The kernel command line is
    `bootargs`, then `cmd=LINE` (always last: the line runs to the end)."""
    e = emulator()
    args = [e.binary] + e.args + ['-machine', 'virt', '-bios', 'default', '-kernel', kernel,
                                  '-m', str(mem), '-smp', str(cpus), '-nographic']
    append = bootargs
    if cmd is not None:
        append = (append + ' ' if append else '') + 'cmd=' + cmd
    if append:
        args += ['-append', append]
    if disk:
        args += ['-drive', 'file=%s,if=none,format=raw,id=disk0' % disk,
                 '-device', 'virtio-blk-device,drive=disk0']
    if gdb:
        args += ['-S', '-gdb', 'tcp::%d' % gdb_port()]
    return args + list(extra)


def copy_sparse(src, dst):
    """Copy a disk image, leaving all-zero 64 KiB runs as holes; the copy
    appears at dst whole or not at all."""
    with open(src, 'rb') as f, open(dst + '.tmp', 'wb') as g:
        size = os.fstat(f.fileno()).st_size
        while True:
            chunk = f.read(1 << 16)
            if not chunk:
                break
            if chunk.count(0) == len(chunk):
                g.seek(len(chunk), 1)
            else:
                g.write(chunk)
        g.truncate(size)
    os.replace(dst + '.tmp', dst)


def gdb_port():
    return 26000 + os.getuid() % 5000


def pump(proc, timeout, on_data=None, poll=0.02):
    """Collect a QEMU process's console until it exits, or kill it: after
    `timeout` seconds, or at the time (time.time() scale) that on_data(data,
    chunks), called with each piece of output and all so far, returned (None:
    no deadline).  Returns (all the output, 'exited' | 'timeout' | 'stopped')."""
    start, chunks, stop_at = time.time(), [], None
    os.set_blocking(proc.stdout.fileno(), False)
    while True:
        try:
            data = proc.stdout.read()
        except BlockingIOError:
            data = None
        if data:
            chunks.append(data)
            when = on_data(data, chunks) if on_data else None
            if stop_at is None:
                stop_at = when
        now = time.time()
        if stop_at is not None and now >= stop_at:
            how = 'stopped'
            break
        if proc.poll() is not None:
            how = 'exited'
            break
        if now - start > timeout:
            how = 'timeout'
            break
        if not data:
            time.sleep(poll)
    if how != 'exited':
        proc.kill()
    proc.wait()
    os.set_blocking(proc.stdout.fileno(), True)
    rest = proc.stdout.read()
    if rest:
        chunks.append(rest)
        if on_data:
            on_data(rest, chunks)
    return b''.join(chunks), how


ADDR2LINE = 'riscv64-unknown-elf-addr2line'


def symbolize(kernel, text):
    """text with each kernel address alone on a line (a backtrace's) followed
    by the function and source line it is in."""
    addrs = sorted(set(re.findall(r'^\s+(0xffffffff[0-9a-f]{8})$', text, re.M)))
    if not addrs:
        return text
    try:
        out = subprocess.run([ADDR2LINE, '-f', '-s', '-e', kernel] + addrs, timeout=60,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    except (OSError, subprocess.TimeoutExpired):
        return text
    words = out.decode('utf-8', 'replace').splitlines()
    where = {a: '%s %s' % (words[2 * i], words[2 * i + 1])
             for i, a in enumerate(addrs) if 2 * i + 1 < len(words)}
    return re.sub(r'^(\s+)(0xffffffff[0-9a-f]{8})$',
                  lambda m: '%s%s %s' % (m.group(1), m.group(2), where.get(m.group(2), '')),
                  text, flags=re.M)


class Boot:
    """The outcome of one non-interactive boot."""

    def __init__(self, output, status, seconds, timed_out):
        self.output = output
        self.status = status
        self.seconds = seconds
        self.timed_out = timed_out

    @property
    def panicked(self):
        return 'panic on hart' in self.output


def boot(kernel, cmd, cpus=1, mem='128M', timeout=600, disk=None, echo=False, extra=(),
         bootargs='', input=None):
    """Boot with `cmd` for the shell; return a Boot once QEMU has exited.

    QEMU is killed after `timeout` seconds.  `input` (bytes) is typed on the
    console once the shell's first prompt has appeared.  With echo, output
    is copied to stdout as it arrives.
    """
    start = time.time()
    proc = subprocess.Popen(qemu_command(kernel, cpus, mem, cmd, disk, extra=extra,
                                         bootargs=bootargs),
                            stdin=subprocess.PIPE if input else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def on_data(data, chunks):
        nonlocal input
        if input and b'$ ' in b''.join(chunks):
            proc.stdin.write(input)
            proc.stdin.flush()
            input = None
        if echo:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()

    data, how = pump(proc, timeout, on_data)
    output = data.decode('utf-8', 'replace').replace('\r\n', '\n')
    return Boot(output, proc.returncode, time.time() - start, how == 'timeout')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['run', 'gdb', 'version'])
    ap.add_argument('--kernel')
    ap.add_argument('--cpus', default='3')
    ap.add_argument('--mem', default='128M')
    ap.add_argument('--cmd')
    ap.add_argument('--disk')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--bootargs', default='', help='kernel command-line words before cmd=')
    a = ap.parse_args()

    if a.mode == 'version':
        print(emulator().describe())
        return 0
    if not a.kernel:
        ap.error('--kernel is required')
    if a.mode == 'gdb':
        kernel = os.path.abspath(a.kernel)
        with open('.gdbinit', 'w') as f:
            f.write('set architecture riscv:rv64\nfile %s\ntarget remote localhost:%d\n'
                    % (kernel, gdb_port()))
        print('QEMU waits for gdb: run gdb-multiarch in %s (it reads .gdbinit)' % os.getcwd())
        args = qemu_command(a.kernel, a.cpus, a.mem, disk=a.disk, gdb=True,
                            bootargs=a.bootargs)
        print('qemu.py: %s' % emulator().describe())
        os.execvp(args[0], args)
    if a.cmd is None:
        args = qemu_command(a.kernel, a.cpus, a.mem, disk=a.disk, bootargs=a.bootargs)
        print('qemu.py: %s (Ctrl-A X quits)' % emulator().describe())
        sys.stdout.flush()
        os.execvp(args[0], args)

    b = boot(a.kernel, a.cmd, a.cpus, a.mem, a.timeout, a.disk, echo=True, bootargs=a.bootargs)
    if b.timed_out:
        print('\nqemu.py: no power-off after %d s: killed' % a.timeout, file=sys.stderr)
        return 1
    if b.panicked:
        print('\nqemu.py: the kernel panicked', file=sys.stderr)
        return 1
    if b.status != 0:
        print('\nqemu.py: a command failed (QEMU exit status %d)' % b.status, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
