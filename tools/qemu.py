#!/usr/bin/env python3
"""Boot Canopy under QEMU.

    qemu.py run --kernel K [--cpus N] [--mem M] [--cmd LINE] [--timeout S] [--bootargs W]
    qemu.py gdb --kernel K [--cpus N] [--mem M] [--cmd LINE] [--bootargs W]
                [--gdbinit FILE] [--user-dir DIR] [--port P]
    qemu.py version

The emulator is the one the CANOPY_QEMU variable names (`10`, `system` or a
path: select_emulator), else the newest that runs; `version` prints it.

`run` without --cmd hands the terminal to QEMU (the console; Ctrl-A X
quits).  With --cmd the line goes to the shell through the kernel command
line; QEMU powers off after it, and this exits non-zero if a command failed,
the kernel panicked or the timeout passed.  The functions here are also
what the test harness and the benchmark use.

`gdb` writes a gdb script (build/gdbinit: the kernel's symbols, the
connection, commands for user programs) and starts QEMU halted at its
first instruction, waiting for `gdb-multiarch -x build/gdbinit`.  gdb
declines to load a .gdbinit from the current folder unless the user's own
configuration allows it; a script named with -x always runs.
"""
import argparse
import glob
import os
import re
import shlex
import socket
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


def qemu_command(kernel, cpus=1, mem='128M', cmd=None, disk=None, gdb=None, extra=(),
                 bootargs=''):
    """The QEMU command line for one boot.  The kernel command line is
    `bootargs`, then `cmd=LINE` (always last: the line runs to the end).
    gdb: a port: QEMU starts halted and waits for gdb there (localhost only)."""
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
        args += ['-S', '-gdb', 'tcp:127.0.0.1:%d' % gdb]
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


def gdb_port(wanted=None):
    """A port for QEMU's gdb server: wanted if given (0: any free one), else
    26000 + uid % 5000, so that it stays the same from boot to boot, or any
    free one if that is taken (another QEMU of the same user waits there)."""
    for port in ((wanted,) if wanted is not None else (26000 + os.getuid() % 5000, 0)):
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', port))
            except OSError:
                continue
            return s.getsockname()[1]
    sys.exit('qemu.py: port %s for gdb is taken' % wanted if wanted
             else 'qemu.py: no free port for gdb')


# The gdb script `qemu.py gdb` writes, for gdb-multiarch -x.  User programs
# all run at the same addresses, and a breakpoint is an address: appmain and
# appbreak add conditions so that other programs running the same address
# pass it.  While a hart is in user mode gdb cannot read kernel memory (its
# pages are not user-accessible), so those conditions use user memory ($a1,
# argv) and the address space ($satp); curproc works in the kernel only.
GDB_SCRIPT = r'''# Canopy under QEMU: written by `scons gdb` (tools/qemu.py) for this boot.
# Start gdb with:  gdb-multiarch -x {script}
#
#   break kmain                  the kernel's C entry (QEMU waits at 0x1000)
#   break syscall_dispatch       every system call (tf->a7: its number);
#   break sys_write              or one: sys_NAME (src/sched/syscall.c)
#   break vm_fault               a page fault (p, va, scause; src/vm/fault.c);
#                                the canopy design has one for every lazy or
#                                copy-on-write page
#   break proc_kill_fault        a fault that kills its process
#   curproc                      the process running on this hart (in the kernel)
#   app NAME                     load user program NAME's symbols
#   appmain                      break in its main (when that program runs it)
#   appbreak LOCATION            break at LOCATION in the process stopped in
#
# gdb steps over a breakpoint whose condition is false with the breakpoint
# lifted and interrupts on, so another process may pass it meanwhile: for a
# one-off event, break where only that event goes.
set architecture riscv:rv64
file {kernel}
target remote 127.0.0.1:{port}

define curproc
  if $priv != 1
    echo curproc: not stopped in the kernel (user-mode harts cannot read it)\n
  else
    if $tp < (unsigned long)cpus || $tp >= (unsigned long)cpus + sizeof(cpus)
      echo curproc: tp is no struct cpu yet (early boot)\n
    else
      if ((struct cpu *)$tp)->proc == 0
        echo curproc: none (this hart is in the scheduler)\n
      else
        printf "pid %d %s\n", ((struct cpu *)$tp)->proc->pid, ((struct cpu *)$tp)->proc->name
      end
    end
  end
end
document curproc
Print the pid and name of the process on the selected hart (tp holds its
struct cpu in the kernel).  Works only when the hart is stopped in the kernel.
end

define appmain
  if $_isvoid($app_name)
    echo appmain: load a program first (app NAME)\n
  else
    eval "break *main if $argv0_is(\"%s\")", $app_name
  end
end
document appmain
Break at the entry of main of the program loaded with app, only in a
process whose argv[0] names that program (NAME or a path ending in /NAME).
end

define appbreak
  if $argc != 1 || $priv != 0
    echo appbreak LOCATION: stop in the program first (appmain, continue)\n
  else
    eval "break $arg0 if $satp == %lu", $satp
  end
end
document appbreak
appbreak LOCATION: break at LOCATION only in the address space (satp) of the
user process the selected hart is stopped in.  An exec gives a process a new
address space, a fork a copy with another satp.
end

python
import os


class App(gdb.Command):
    """app NAME: load the symbols of user program NAME ({user_dir}/NAME.elf),
in place of the program loaded before.  Every program runs at the same
addresses, so a breakpoint in its code also stops other programs that run
that address: use appmain and appbreak, which check."""

    def __init__(self):
        super().__init__("app", gdb.COMMAND_FILES)
        self.loaded = None

    def invoke(self, arg, from_tty):
        name = arg.strip()
        path = os.path.join("{user_dir}", name + ".elf")
        if not name or not os.path.isfile(path):
            raise gdb.GdbError("app: no program %r (no %s)" % (name, path))
        if self.loaded:
            gdb.execute("with confirm off -- remove-symbol-file " + self.loaded)
            self.loaded = None
        gdb.execute("with confirm off -- add-symbol-file " + path)
        self.loaded = path
        gdb.set_convenience_variable("app_name", name)


class ArgvIs(gdb.Function):
    """$argv0_is(NAME): at the entry of main, does argv[0] (register a1)
    name program NAME?  False, not an error, if a1 is not a readable pointer."""

    def __init__(self):
        super().__init__("argv0_is")

    def invoke(self, name):
        try:
            # up to its NUL only: the strings end at the top of the stack
            argv0 = gdb.parse_and_eval("*(char **)$a1").string()
        except (gdb.error, UnicodeDecodeError):
            return False
        want = name.string()
        return argv0 == want or argv0.endswith("/" + want)


App()
ArgvIs()
end
'''


def write_gdbinit(path, kernel, port, user_dir):
    """Write the gdb script (GDB_SCRIPT) for a QEMU waiting on port."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(GDB_SCRIPT.format(script=path, kernel=kernel, port=port, user_dir=user_dir))


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
    console once the shell's first prompt has appeared; or it is a list of
    (text, bytes) steps, each typed once the output since the previous
    step holds its text.  With echo, output is copied to stdout as it
    arrives.
    """
    steps = input if isinstance(input, list) else [(b'$ ', input)] if input else []
    start = time.time()
    proc = subprocess.Popen(qemu_command(kernel, cpus, mem, cmd, disk, extra=extra,
                                         bootargs=bootargs),
                            stdin=subprocess.PIPE if steps else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    seen = [0]     # output bytes before the current step's wait began

    def on_data(data, chunks):
        while steps:
            text = b''.join(chunks)
            at = text.find(steps[0][0], seen[0])
            if at < 0:
                break
            seen[0] = at + len(steps[0][0])
            proc.stdin.write(steps.pop(0)[1])
            proc.stdin.flush()
        if echo:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()

    data, how = pump(proc, timeout, on_data)
    output = data.decode('utf-8', 'replace').replace('\r\n', '\n')
    return Boot(output, proc.returncode, time.time() - start, how == 'timeout')


def time_to(kernel, text, cpus=1, mem='128M', disk=None, bootargs='', timeout=60):
    """Seconds from QEMU's start until its console shows `text` (bytes);
    QEMU is killed then.  None if it never did within timeout."""
    start, seen = time.time(), []
    proc = subprocess.Popen(qemu_command(kernel, cpus, mem, None, disk, bootargs=bootargs),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)

    def on_data(data, chunks):
        if not seen and text in b''.join(chunks):
            seen.append(time.time() - start)
            return time.time()
        return None

    pump(proc, timeout, on_data)
    return seen[0] if seen else None


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
    ap.add_argument('--gdbinit', default=os.path.join(ROOT, 'build', 'gdbinit'),
                    help='gdb: where to write the gdb script')
    ap.add_argument('--port', type=int,
                    help='gdb: the port to wait on (0: any free one; default: 26000 + uid %% 5000 '
                    'if free)')
    ap.add_argument('--user-dir', default=os.path.join(ROOT, 'build', 'user', 'apps'),
                    help="gdb: the folder of the user programs' ELF files with symbols")
    a = ap.parse_args()

    if a.mode == 'version':
        print(emulator().describe())
        return 0
    if not a.kernel:
        ap.error('--kernel is required')
    if a.mode == 'gdb':
        port = gdb_port(a.port)
        script = os.path.abspath(a.gdbinit)
        write_gdbinit(script, os.path.abspath(a.kernel), port, os.path.abspath(a.user_dir))
        args = qemu_command(a.kernel, a.cpus, a.mem, a.cmd, disk=a.disk, gdb=port,
                            bootargs=a.bootargs)
        print('qemu.py: %s waits for gdb on port %d; in another terminal run:\n'
              '    gdb-multiarch -x %s' % (emulator().describe(), port, shlex.quote(script)))
        sys.stdout.flush()
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
