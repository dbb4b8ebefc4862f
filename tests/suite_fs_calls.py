"""Everyday file-system use, on every design (CORE): fstest inside Canopy
(files, open flags, offsets, directories, the console as a device file,
programs run from the disk, bad pointers and descriptors, over-long paths
and names, hard and symbolic links, too many open files, running out of
inodes, concurrent writers and group commit), xv6fstest (the same calls
through the xv6 compatibility layer), forktest, stressfs, the shell
with redirections and pipes on real files, fsck afterwards, and files that
are still there after a reboot."""
import os
import re

import fsimage

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ('fstest', 'xv6fstest', 'forktest', 'stressfs')

CORE = True


def run(h):
    env = fsimage.paths(h)
    if not env:
        return
    fsck = env['CANOPY_FSCK']
    disk = os.path.join(env['work'], 'calls-%s.img' % h.design)
    fsimage.copy_sparse(env['CANOPY_FS_IMG'], disk)

    def fsck_clean(name):
        # clean, and no inode left without links: every removed file and
        # directory was freed when its last reference went
        rc, out = fsimage.fsck(fsck, disk)
        h.record(name, rc == 0 and 'clean' in out and 'has no links' not in out,
                 'fsck exit %d: %s' % (rc, ' | '.join(out.strip().splitlines()[-4:])))

    shell = ('echo hello > /tmp/sh1; echo world >> /tmp/sh1; '
             'cat < /tmp/sh1 | grep wor | wc > /tmp/sh2; cat /tmp/sh2; '
             'mkdir /tmp/shd; cd /tmp/shd; echo inside > f; ln f g; ln -s /tmp/sh1 s; '
             'ls -l; cat s g; cd /; '
             'rm /tmp/shd/f /tmp/shd/g /tmp/shd/s /tmp/shd /tmp/sh1 /tmp/sh2; ls /tmp')
    # a directory removed while it is the shell's current directory: nothing
    # may be created in it, and it is freed when the shell leaves it
    dead = ('mkdir /tmp/dead; cd /tmp/dead; rm /tmp/dead; echo x > f; mkdir g; '
            'ln -s /README s; echo dead-ls; ls; echo dead-ls-end; cd ..; cd /; echo dead-done; '
            'ls -l /tmp')
    cmd = ('fstest; xv6fstest; fstest persist-write; forktest; stressfs 4 192; ' + shell +
           '; ' + dead)
    b = h.boot('fs/calls', cmd, cpus=3, disk=disk, timeout=300)
    h.guest_results('fs', b, 'fstest')
    h.guest_results('fs', b, 'xv6fstest')
    h.guest_results('fs', b, 'fstest-persist-write')
    out = b.output
    h.record('forktest: fork fails cleanly when the table is full, all children reaped',
             'forktest: ok' in out, 'log: %s' % b.log)
    h.record('stressfs: 4 processes write and check 192 KiB each at once',
             'stressfs: ok' in out, 'log: %s' % b.log)
    h.record('sh: >, >>, <, | and ; with real files',
             re.search(r'^\s+1\s+1\s+6\s*$', out, re.M) is not None, 'log: %s' % b.log)
    h.record('sh: cd, mkdir, ln, ln -s, ls and cat in a directory',
             re.search(r'^file\s+2\s+7\s+(\d+) f\n^file\s+2\s+7\s+\1 g\n'
                       r'^link\s+1\s+8\s+\d+ s -> /tmp/sh1$', out, re.M) is not None and
             'hello\nworld\ninside\n' in out, 'log: %s' % b.log)
    dead_out = out[out.find('dead-ls\n'):out.find('dead-ls-end\n')]
    h.record('sh: nothing is created in a removed current directory, which lists empty',
             'sh: cannot open f' in out and 'mkdir: cannot make g' in out and
             'ln: ' in out and 'sh: cd: cannot enter ..' in out and
             dead_out.strip() == 'dead-ls', 'log: %s' % b.log)
    tail = out[out.rfind('dead-done\n'):].splitlines()[1:]
    names = [l.split()[4] for l in tail if re.match(r'^(file|dir|dev|link)\s+\d+\s+\d+\s+\d+ ', l)]
    h.record('sh: rm removes files and an emptied directory',
             names == ['.', '..'] and 'rm: cannot' not in out,
             '/tmp holds %s (log: %s)' % (names, b.log))
    fsck_clean('fs: the disk is clean for fsck after fstest')

    b = h.boot('fs/persist', 'fstest persist-check', disk=disk, timeout=60)
    h.guest_results('fs', b, 'fstest-persist')
    fsck_clean('fs: the disk is clean for fsck after a second boot')
