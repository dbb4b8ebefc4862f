"""The core: the in-kernel test program on 1 and 3 harts, `scons run CMD=`
behaviour, the interactive console, panics, and other machine sizes (32
harts and 16 GiB running utest and vmtest; more harts than supported).
A core suite: `scons test` runs it on both designs."""
import re

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
