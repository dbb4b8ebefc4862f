"""Linux itself as a second oracle: a few tests/linux programs and
tests/linux_corpus.txt lines run on Debian's real Linux kernel
(build/linux/kernel, fetched by tools/bootstrap) under the same QEMU, in
one boot, and their output and exit status are compared with
qemu-riscv64's on the host (tests/suite_linux.py's runs), byte for byte.

The boot: an initramfs (tools/initramfs.py) of busybox, the programs in
/linux and the script tests/suite_linux.py writes for Canopy (each program
and line in a fresh folder under /tmp, between markers), run by
src/linuxbench/init.sh, which powers off after it.  Where the real kernel
and qemu-riscv64 answer differently, KNOWN says which check and why (the
check's line is dropped from both outputs, as tests/linux/differences.txt
does for Canopy).  Skipped, with a message, when the kernel is not
fetched.  Runs once (not a core suite: nothing in it depends on Canopy's
design), in well under a minute.
"""
import os
import re
import shutil
import subprocess
import sys

import qemu  # noqa: E402  (harness put tools/ on the path)
import suite_linux as sl

PROGRAMS = ()

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KERNEL = os.path.join(ROOT, 'build', 'linux', 'kernel', 'Image')
INIT = os.path.join(ROOT, 'src', 'linuxbench', 'init.sh')
INITRAMFS_TOOL = os.path.join(ROOT, 'tools', 'initramfs.py')
APPEND = 'console=ttyS0 quiet panic=1'
BOOT_SECONDS = 90

# the tests/linux programs and corpus lines (1-based) this short suite runs
CHOSEN_PROGRAMS = ('hello', 'proc', 'mem', 'signals', 'time')
CHOSEN_LINES = (1, 2, 3, 5, 8, 13, 21, 34)

# {program: {check: why}}: where Linux and qemu-riscv64 knowingly differ
KNOWN = {}

RUN_SH = '''#!/bin/busybox sh
# run by /init: the applets on PATH, then the script of tests/suite_linux.py
/bin/busybox --install -s /bin
export PATH=/bin HOME=/ TERM=vt100 LANG=C
cd /
exec sh /lt/run.sh
'''


def make_initramfs(work, names, script):
    """The initramfs: busybox, /init, the programs and the script; its path."""
    run_sh = os.path.join(work, 'run.sh')
    lt = os.path.join(work, 'lt-run.sh')
    order = os.path.join(work, 'modules.order')     # no disk: no modules
    for path, text in ((run_sh, RUN_SH), (lt, script), (order, '')):
        with open(path, 'w') as f:
            f.write(text)
    out = os.path.join(work, 'initramfs.cpio.gz')
    args = [sys.executable, INITRAMFS_TOOL, 'build', '--out', out,
            '--file', 'bin/busybox=' + sl.BUSYBOX, '--link', 'bin/sh=busybox',
            '--node', 'dev/console=c:5:1', '--file', 'init=%s:755' % INIT,
            '--file', 'run.sh=%s:755' % run_sh, '--file', 'lt/run.sh=' + lt,
            '--file', 'lib/modules/modules.order=' + order]
    args += sum((['--dir', d] for d in ('proc', 'sys', 'dev', 'tmp', 'mnt')), [])
    args += sum((['--file', 'linux/%s=%s:755' % (n, os.path.join(sl.BUILT, 'tests', n))]
                 for n in names), [])
    subprocess.run(args, check=True, timeout=120)
    return out


def boot_linux(h, initramfs):
    """One boot of the real kernel with initramfs; a qemu.Boot, logged."""
    h.boots += 1
    b = qemu.boot(KERNEL, None, cpus=1, mem='256M', timeout=BOOT_SECONDS,
                  extra=['-initrd', initramfs, '-no-reboot'], bootargs=APPEND)
    b.log = os.path.join(h.log_dir, 'linuxkernel.log')
    with open(b.log, 'w') as f:
        f.write('[%s]\n%s' % (qemu.emulator().describe(), b.output))
    return b


def compare(h, name, host, linux, log, known):
    """Record whether Linux's run matches the host's (less the KNOWN checks)."""
    if linux is None:
        h.record(name, False, 'did not finish on Linux (log: %s)' % log)
        return
    if known:
        host = sl.Result(host.status, sl.without_checks(host.stdout, known)[0], host.stderr)
        out, failed = sl.without_checks(linux.stdout, known)
        status = 0 if failed and linux.status == 1 and host.status == 0 else linux.status
        linux = sl.Result(status, out, linux.stderr)
    why = []
    if host.status != linux.status:
        why.append('status %d on Linux, %d under qemu-riscv64' % (linux.status, host.status))
    if host.stdout != linux.stdout:
        why.append('stdout differs\n' + sl.short_diff(host.stdout, linux.stdout)
                   .replace('+++ canopy', '+++ linux'))
    h.record(name, not why, '; '.join(why) + ' (log: %s)' % log)


def run(h):
    if not os.path.exists(KERNEL):
        print('SKIP linuxkernel: %s is missing: tools/bootstrap fetches Debian\'s Linux '
              'kernel' % os.path.relpath(KERNEL, ROOT))
        return
    why = sl.missing_tools()
    if why:
        h.record('linuxkernel: qemu-riscv64 and busybox', False,
                 '%s: run tools/bootstrap, then scons' % why)
        return
    names = [n for n in CHOSEN_PROGRAMS
             if os.path.exists(os.path.join(sl.BUILT, 'tests', n))]
    for n in set(CHOSEN_PROGRAMS) - set(names):
        h.record('linuxkernel: %s' % n, False, 'build/linux/tests/%s is not built' % n)
    corpus = sl.corpus()
    lines = [corpus[i - 1] for i in CHOSEN_LINES if i <= len(corpus)]
    work = os.path.join(os.path.dirname(h.log_dir), 'linuxkernel')
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    host = sl.host_results(h, names, lines)
    b = boot_linux(h, make_initramfs(work, names, sl.canopy_script(names, lines)))
    got = sl.canopy_results(b.output)
    for i, name in enumerate(names):
        compare(h, 'linuxkernel: %s' % name, host[('prog', name)], got.get(i), b.log,
                KNOWN.get(name))
    for i, line in enumerate(lines):
        short = line if len(line) <= 50 else line[:47] + '...'
        compare(h, 'linuxkernel busybox %d: %s' % (CHOSEN_LINES[i], short),
                host[('line', i)], got.get(len(names) + i), b.log, None)
    h.record('linuxkernel: the script ran to its end and Linux powered off',
             re.search(r'^=DONE$', b.output, re.M) is not None and not b.timed_out,
             'timed out' if b.timed_out else 'no =DONE line (log: %s)' % b.log)
