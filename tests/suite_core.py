"""The core: the in-kernel test program on 1 and 3 harts, `scons run CMD=`
behaviour, the interactive console (editing, long lines, typing ahead),
`scons gdb` with gdb-multiarch, panics, and other machine sizes (32 harts
and 16 GiB running utest and vmtest; more harts than supported).
A core suite: `scons test` runs it on both designs."""
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import time

import qemu

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ('utest', 'xv6test', 'sh', 'trace', 'selftest-panic')

CORE = True


def run(h):
    for cpus in (1, 3):
        label = 'core/%dhart' % cpus
        b = h.boot(label, 'utest; xv6test', cpus=cpus)
        h.guest_results(label, b, 'utest')
        h.guest_results(label, b, 'xv6test')

    b = h.boot('cmd-ok', 'echo hello; echo there', timeout=60)
    h.record('cmd runs each command and powers off with status 0',
             b.status == 0 and 'hello\nthere\n' in b.output and not b.timed_out,
             'status %s (log: %s)' % (b.status, b.log))

    b = h.boot('cmd-fail', 'echo before; nosuchcommand; echo after', timeout=60)
    h.record('cmd reports a failed command with a non-zero status',
             b.status == 1 and 'nosuchcommand: not found' in b.output and 'after' in b.output,
             'status %s (log: %s)' % (b.status, b.log))

    b = h.boot('background', 'sh -c "sleep 0.3; echo bg-done" & echo fg-done; sleep 1',
               timeout=60)
    out = b.output
    h.record('sh runs a job in the background with &',
             b.status == 0 and 'fg-done' in out and 'bg-done' in out and
             out.index('fg-done') < out.index('bg-done') and
             re.search(r'^\[\d+\]$', out, re.M) is not None,
             'status %s (log: %s)' % (b.status, b.log))

    b = h.boot('interactive', None, input=b'\x10echo typed-in\necho abX\x7fc\nexit 3\n'
               b'echo after-restart\npoweroff\n', timeout=60)
    dump = qemu.symbolize(h.kernel, b.output)
    h.record('console: ^P lists the processes, with what a sleeper waits in',
             re.search(r'^1 sleep init on 0x[0-9a-f]+ backtrace:\n(\s+0x\S+ .*\n)*'
                       r'\s+0x\S+ proc_wait ', dump, re.M) is not None and
             re.search(r'^2 \w+ sh', dump, re.M) is not None, 'log: %s' % b.log)
    h.record('console: the shell reads typed lines, with backspace',
             b.status == 0 and 'typed-in\n' in b.output and 'abc\n' in b.output.replace('abX', ''),
             'status %s (log: %s)' % (b.status, b.log))
    h.record('init restarts the shell when it exits',
             'shell exited with status 3, restarting' in b.output and
             'after-restart\n' in b.output, 'log: %s' % b.log)

    b = h.boot('ctrl-c', None, input=[(b'$ ', b'yes\n'), (b'y\ny\ny\n', b'\x03'),
                                      (b'^C\n', b'echo survived; sh -c "cat"\n'),
                                      (b'survived\n', b'typed\n'), (b'typed\n', b'\x03'),
                                      (b'^C\n', b'poweroff\n')], timeout=60)
    h.record('console: ^C stops the foreground job (yes, then cat in a nested sh); '
             'the shell stays',
             b.status == 0 and 'survived' in b.output and 'restarting' not in b.output,
             'status %s (log: %s)' % (b.status, b.log))

    b = h.boot('trace', 'trace 0x10000 echo traced; trace -a 0x80 echo hi; '
               'trace 2 sh -c "echo a; echo b"; trace; vmprint -k', timeout=60)
    out = b.output
    h.record('trace: each traced call prints "PID: syscall NAME -> RESULT"',
             re.search(r'^\d+: syscall write -> 7$', out, re.M) is not None,
             'log: %s' % b.log)
    h.record('trace -a decodes the arguments (a path as a string)',
             re.search(r'^\d+: syscall exec\("echo", 0x[0-9a-f]+\) -> 2$', out, re.M) is not None,
             'log: %s' % b.log)
    h.record('trace: the mask is kept by exec and inherited by fork',
             len(re.findall(r'^\d+: syscall fork -> \d+$', out, re.M)) >= 2, 'log: %s' % b.log)
    h.record('trace with no arguments says how to use it',
             'usage: trace [-a] MASK command' in out, 'log: %s' % b.log)
    h.record('kpgtbl (vmprint -k) prints the kernel page table',
             re.search(r'^kernel page table: root 0x[0-9a-f]{16}$', out, re.M) is not None and
             re.search(r'^ k256 (table|va) ', out, re.M) is not None and
             re.search(r'^ k510 table ', out, re.M) is not None and not b.panicked,
             'log: %s' % b.log)

    b = h.boot('console-keep', None, input=b'utest --console-keep\nkeep-me\npoweroff\n', timeout=60)
    h.record('console: a read that cannot store its line leaves the line for the next read',
             'console kept: keep-me\n' in b.output and not b.timed_out and not b.panicked,
             'status %s (log: %s)' % (b.status, b.log))

    console_long_lines(h)
    console_type_ahead(h)
    sh_long_lines(h)
    gdb_session(h)

    b = h.boot('panic', 'selftest-panic', bootargs='allow_panic_test', timeout=60)
    h.record('a kernel panic reports cause, sepc, stval, hart and backtrace, and exits non-zero',
             b.panicked and b.status not in (0, None) and 'sepc' in b.output and
             'stval' in b.output and 'backtrace:' in b.output and not b.timed_out,
             'status %s (log: %s)' % (b.status, b.log))

    b = h.boot('big-machine', 'utest; vmtest', cpus=32, mem='16G', timeout=400)
    h.record('boots with 32 harts and 16 GiB (sizes come from the device tree)',
             '32 harts' in b.output and '16384 MiB' in b.output and not b.panicked,
             'status %s (log: %s)' % (b.status, b.log))
    h.guest_results('big-machine', b, 'utest')
    h.guest_results('big-machine', b, 'vmtest')

    b = h.boot('too-many-harts', 'echo ok', cpus=40, mem='256M', timeout=120)
    h.record('a machine with more harts than the kernel supports says so and runs on 32',
             b.status == 0 and '32 harts' in b.output and
             'the machine has 40 harts; this kernel uses at most 32' in b.output,
             'status %s (log: %s)' % (b.status, b.log))


def counted_line(length):
    """A command line of exactly `length` characters that echoes words (each
    shorter than an exec argument may be) into wc: (line, a pattern for wc's
    count).  wc's short line is written at once, so the console's echo of
    input typed meanwhile cannot break it up."""
    suffix = ' | wc'
    words = ''.join(('%03d' % i).ljust(99, 'x') + ' ' for i in range(length // 100 + 1))
    rest = words[:length - len('echo ') - len(suffix)].rstrip(' ')
    rest += 'x' * (length - len('echo ') - len(suffix) - len(rest))
    count = r'\b1 +%d +%d \n' % (len(rest.split()), len(rest) + 1)
    return 'echo ' + rest + suffix, count


def console_long_lines(h):
    """Lines near and over the console's limit (2047 characters) typed at
    once: the first ones fill the console buffer while `sleep 1` runs."""
    line300, count300 = counted_line(300)
    line2047, count2047 = counted_line(2047)
    line2048 = "echo 'C'" + 'x' * 2040
    line3000 = ''.join("echo 'w''%04d';" % i for i in range(200))[:3000]
    assert (len(line300), len(line2047), len(line2048), len(line3000)) == (300, 2047, 2048, 3000)
    typed = '\n'.join(['sleep 1', line300, line2047, line2048, line3000,
                       "echo junk\x15echo 'k''illed'", "echo 'af''ter-long'", 'poweroff', ''])
    b = h.boot('console-long', None, input=typed.encode(), timeout=60)
    out = b.output
    ok = not b.timed_out and not b.panicked
    h.record('console: a 300-character line reaches the shell whole',
             ok and re.search(count300, out) is not None, 'log: %s' % b.log)
    h.record('console: a line of 2047 characters (the longest) runs whole',
             ok and re.search(count2047, out) is not None, 'log: %s' % b.log)
    # quoted, the lines' console echo never holds what running them would print
    h.record('console: a line of 2048 or 3000 characters is refused with a message, '
             'no part of it runs',
             ok and out.count('console: line too long (over 2047 characters): discarded\n') == 2
             and 'Cxxxx' not in out and re.search(r'w\d{4}', out) is None and
             'after-long\n' in out and 'not found' not in out, 'log: %s' % b.log)
    h.record('console: ^U kills the line being typed',
             ok and 'killed\n' in out and 'junk\n' not in out, 'log: %s' % b.log)


def console_type_ahead(h):
    """6000 bytes typed while the shell sleeps: the console holds 4096 and the
    UART (QEMU) the rest; every line must run, in order."""
    lines = ["echo 'k''%03d' %s" % (i, 'x' * 25) for i in range(150)]
    typed = '\n'.join(['sleep 1'] + lines + ['poweroff', ''])
    assert len(typed) > 4096 + 1000
    b = h.boot('console-type-ahead', None, input=typed.encode(), timeout=120)
    got = [int(n) for n in re.findall(r'k(\d{3}) x', b.output)]
    h.record('console: input typed ahead beyond the console buffer is held, not lost',
             got == list(range(150)) and not b.timed_out and not b.panicked,
             'ran %d of 150 lines%s (log: %s)' %
             (len(got), '' if got == sorted(got) else ', out of order', b.log))


def utest_line(n):
    """What `utest --line N` prints (src/apps/utest/main.c), newline left off."""
    words = ''.join(' L%03d' % w + 'x' * 95 for w in range(n // 100 + 1))
    return ('echo' + words)[:n]


def sh_long_lines(h):
    """sh reading a pipe: a line of 2047 characters runs, longer ones are
    skipped whole with a message (the console is not involved)."""
    b = h.boot('sh-long-line', 'utest --line 2047 | sh; utest --line 2048 | sh; '
               'utest --line 3000 | sh; echo done', timeout=60)
    line = utest_line(2047)
    assert len(line) == 2047 and len(utest_line(3000)) == 3000
    printed = ' '.join(line.split()[1:]) + '\n'
    h.record('sh: a line of 2047 characters from a pipe runs; longer ones are refused '
             'with a message, no part of them runs',
             b.status == 0 and printed in b.output and b.output.count('L000') == 1 and
             b.output.count('sh: line too long (over 2047 characters): discarded\n') == 2 and
             'done\n' in b.output, 'status %s (log: %s)' % (b.status, b.log))


# What gdb does in gdb_session, and what it must print: breakpoints in the
# kernel's entry, in echo's main (init's main is at the same address), in a
# system call of echo's, in the next page fault (any: copy-on-write, lazy or
# the bad one) and where utest's null dereference gets its process killed.
# The last two have no condition: gdb steps over a breakpoint whose condition
# is false with the breakpoint lifted, and with interrupts on another process
# may pass the spot meanwhile (`vm_fault if va == 0` missed 3 times in 20).
GDB_STEPS = [
    (['break kmain', 'continue'], r'Breakpoint 1, kmain \('),
    (['app echo', 'appmain', 'continue', 'p $a0', 'x/s *(char **)$a1'],
     r'Breakpoint 2, main \(.*src/apps/echo/echo\.c.*\n.*\n\$1 = 2\n.*"echo"'),
    (['delete', 'break sys_write', 'continue', 'curproc'],
     r'Breakpoint 3, sys_write \(.*\n.*\npid \d+ echo\n'),
    (['delete', 'break vm_fault', 'continue', 'curproc', 'p scause'],
     r'Breakpoint 4, vm_fault \(.*\n.*\npid \d+ \w+\n\$\d+ = 1[235]\n'),
    (['delete', 'break proc_kill_fault', 'continue', 'curproc', 'p addr'],
     r'Breakpoint 5, proc_kill_fault \(.*\n.*\npid \d+ utest\n\$\d+ = 0\n'),
    (['kill'], r'\[Inferior 1 \(process 1\) killed\]'),
]


def gdb_printed_command(proc, seconds):
    """The gdb command `qemu.py gdb` prints (None if none came in time)."""
    out, deadline = b'', time.time() + seconds
    while time.time() < deadline and proc.poll() is None:
        if select.select([proc.stdout], [], [], 0.2)[0]:
            out += os.read(proc.stdout.fileno(), 4096)
            m = re.search(rb'^\s+(gdb-multiarch -x \S+)$', out, re.M)
            if m:
                return m.group(1).decode()
    return None


def gdb_session(h):
    """`qemu.py gdb`, as `scons gdb` runs it, and the gdb command it prints,
    in batch mode with no gdb configuration (-nx), from another folder."""
    name = 'gdb: the printed command breaks in kmain, a program\'s main, a system call, a fault'
    if not shutil.which('gdb-multiarch'):
        h.record(name, False, 'gdb-multiarch is not installed (tools/bootstrap installs it)')
        return
    script = os.path.join(h.log_dir, 'gdbinit')
    user_dir = os.environ.get('CANOPY_USER_DIR', os.path.join(qemu.ROOT, 'build', 'user', 'apps'))
    proc = subprocess.Popen([sys.executable, os.path.join(qemu.ROOT, 'tools', 'qemu.py'), 'gdb',
                             '--kernel', h.kernel, '--cpus', '1', '--port', '0',
                             '--gdbinit', script, '--user-dir', user_dir,
                             '--cmd', 'echo hi; utest proc_fault_status'],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        printed = gdb_printed_command(proc, 30)
        out = ''
        if printed:
            ex = [w for cmds, _ in GDB_STEPS for c in cmds for w in ('-ex', c)]
            out = subprocess.run(shlex.split(printed) + ['-nx', '-batch'] + ex, cwd='/',
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, timeout=60).stdout.decode()
    except subprocess.TimeoutExpired:
        out = 'gdb timed out'
    finally:
        proc.kill()             # gdb's kill has ended it already, unless a step failed
        proc.wait()
    log = os.path.join(h.log_dir, 'gdb.log')
    with open(log, 'w') as f:
        f.write('printed: %s\n%s' % (printed, out))
    missing = [pattern for _, pattern in GDB_STEPS if not re.search(pattern, out)]
    h.record(name, printed is not None and not missing,
             'no gdb command printed' if printed is None else
             'missing %r (log: %s)' % (missing[:1], log))
