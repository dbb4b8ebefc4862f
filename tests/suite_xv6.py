"""xv6 source compatibility, on every design (CORE): our own equivalents of
stock xv6's tests, xv6-api programs built with stock xv6's flags through
src/ulib/xv6:

- xv6usertests (what usertests 2022 and 2025 check) and xv6labtests (the
  lab tests: trace, sysinfo, alarm, page tables, copy-on-write, lazy
  allocation, symbolic links), on 1 hart (every test) and on 3 (-q: the
  slow ones left out), each boot on its own copy of build/fs.img, which
  must be clean for fsck afterwards;
- xv6lazysbrk, a program built with the "sbrk lazy" option;
- trace's lines ("PID: syscall NAME -> RETURN", inherited by a child) and
  kpgtbl's output, on the console;
- on the main design only: the largest file (MAXFILE blocks) on the
  default disk (xv6labtests bigfile), and, host side, that the shipped
  image has the flat root xv6 programs expect (/echo is /bin/echo) and
  room for that file.
"""
import os
import re

import fsimage

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ('xv6usertests', 'xv6labtests', 'xv6lazysbrk')

CORE = True

MAXFILE_BLOCKS = 11 + 256 + 256 * 256
MAXFILE_FOOTPRINT = MAXFILE_BLOCKS + 1 + 1 + 256    # with its indirect blocks


def run(h):
    env = fsimage.paths(h)
    if not env:
        return
    main = h.prefix == ''       # the design that runs every suite
    if main:
        shipped_image(h, env)
    for cpus, cmd in ((1, 'xv6usertests; xv6labtests; xv6lazysbrk' +
                       ('; xv6labtests bigfile' if main else '')),
                      (3, 'xv6usertests -q; xv6labtests')):
        label = 'xv6/%dhart' % cpus
        disk = os.path.join(env['work'], 'xv6-%s-%d.img' % (h.design, cpus))
        fsimage.copy_sparse(env['CANOPY_FS_IMG'], disk)
        b = h.boot(label, cmd, cpus=cpus, disk=disk, timeout=300)
        h.guest_results(label, b, 'xv6usertests')
        h.guest_results(label, b, 'xv6labtests')
        if cpus == 1:
            h.guest_results(label, b, 'xv6lazysbrk')
            if main:
                h.guest_results(label, b, 'xv6labtests-bigfile')
        console_checks(h, label, b)
        rc, out = fsimage.fsck(env['CANOPY_FSCK'], disk)
        h.record('%s: the disk is clean for fsck afterwards' % label, rc == 0 and 'clean' in out,
                 'fsck exit %d: %s' % (rc, ' | '.join(out.strip().splitlines()[-3:])))


def shipped_image(h, env):
    rc, out = fsimage.fsck(env['CANOPY_FSCK'], env['CANOPY_FS_IMG'], listing=True)
    entries = fsimage.parse_listing(out)
    programs = [p[len('/bin/'):] for p in entries if p.startswith('/bin/')]
    missing = [n for n in programs if entries.get('/' + n, (None, -1))[1] != entries['/bin/' + n][1]]
    h.record('xv6 flat root: every /bin program is also in / (the same inode)',
             rc == 0 and programs and not missing and '/README' in entries,
             'not linked: %s' % ' '.join(missing[:8]))
    m = re.search(r'(\d+) of (\d+) data blocks in use', out)
    free = int(m.group(2)) - int(m.group(1)) if m else 0
    h.record('the default disk has room for a file of the largest size',
             free >= MAXFILE_FOOTPRINT, '%d data blocks free, need %d' % (free, MAXFILE_FOOTPRINT))


def console_checks(h, label, b):
    out = b.output
    m = re.search(r'^trace-pids (\d+) (\d+)$', out, re.M)
    ok = m is not None
    why = 'no trace-pids line (log: %s)' % b.log
    if ok:
        me, child = m.groups()
        before, after = out[:m.start()], out[m.end():]
        wanted = [r'^%s: syscall getpid -> %s$' % (me, me), r'^%s: syscall close -> -1$' % me,
                  r'^%s: syscall fork -> %s$' % (me, child),
                  r'^%s: syscall getpid -> %s$' % (child, child)]
        missing = [w for w in wanted if not re.search(w, before, re.M)]
        extra = re.search(r'^%s: syscall ' % me, after, re.M)
        ok = not missing and extra is None
        why = ('missing %s; traced after trace(0): %s (log: %s)' %
               (missing, extra.group(0) if extra else None, b.log))
    h.record('%s: trace prints "PID: syscall NAME -> RETURN", a child too, until trace(0)'
             % label, ok, why)
    m = re.search(r'^kpgtbl-start$(.*?)^kpgtbl-end$', out, re.M | re.S)
    h.record('%s: kpgtbl prints the kernel page table' % label,
             m is not None and re.search(r'^kernel page table: root 0x[0-9a-f]+$', m.group(1), re.M)
             is not None and re.search(r'^ k256 ', m.group(1), re.M) is not None,
             'log: %s' % b.log)
