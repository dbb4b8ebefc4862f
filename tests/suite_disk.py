"""The disk `scons run` keeps across boots (tools/keptdisk.py, mkfs -u).

A kept disk gets the user's files in a first boot (a file, a directory, a
hard and a symbolic link, a program of their own in /bin, a built-in
program overwritten, /README and the flat-root /echo removed).  A rebuild
is simulated: every file of build/fs.img copied out to the host, then
mkfs makes a new image of them with /bin/echo changed (it is ls now) and
a new program /bin/hello2.  After the refresh a second boot must run the
new /bin/echo (and /echo), run hello2, find the user's files as they were
and the built-in files as built; fsck is clean.  On the host: an
up-to-date disk is not written, a committed transaction in the kept
disk's log is replayed into the refreshed one, and a damaged disk or one
a running QEMU holds is left alone.
"""
import hashlib
import os
import re
import subprocess
import sys

import fsimage

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import keptdisk  # noqa: E402

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ()

USER_FILES = ('echo mine > /tmp/mine; mkdir /home; echo notes > /home/n; ln /home/n /home/n2; '
              'ln -s /tmp/mine /home/s; cp /bin/echo /bin/myecho; echo mine > /bin/wc; '
              'rm /README; rm /echo; echo user-files-made')
AFTER = 'echo -l /home; /echo -l /home; hello2 fresh-program; cat /home/n2 /home/s; myecho still-mine; ' \
        'wc /README'


def run(h):
    env = fsimage.paths(h)
    if not env:
        return
    DiskTests(h, env).run()


def digest(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


class DiskTests:
    def __init__(self, h, env):
        self.h = h
        self.img = env['CANOPY_FS_IMG']
        self.mkfs = env['CANOPY_MKFS']
        self.fsck_tool = env['CANOPY_FSCK']
        self.work = os.path.join(env['work'], 'disk')
        os.makedirs(self.work, exist_ok=True)

    def path(self, name):
        return os.path.join(self.work, name)

    def copy(self, name, src):
        fsimage.copy_sparse(src, self.path(name))
        for stale in (self.path(name) + '.old', self.path(name) + '.new'):
            if os.path.exists(stale):
                os.remove(stale)
        return self.path(name)

    def listing(self, image):
        rc, out = fsimage.fsck(self.fsck_tool, image, listing=True)
        return rc, out, fsimage.parse_listing(out)

    def refresh(self, disk, built):
        """keptdisk.refresh: (line or None, '') or (None, the DiskError's message)."""
        try:
            return keptdisk.refresh(disk, built, self.mkfs, self.fsck_tool), ''
        except keptdisk.DiskError as e:
            return None, str(e)

    def run(self):
        built = self.rebuilt_image()
        disk = self.copy('kept.img', self.img)
        b = self.h.boot('disk/user-files', USER_FILES, disk=disk, timeout=60)
        if not self.h.boot_ok('disk/user-files', b) or 'user-files-made' not in b.output:
            self.h.record('disk: the user\'s files are made', False, 'log: %s' % b.log)
            return
        before = digest(disk)
        log_disk = self.copy('kept-log.img', disk)

        line, why = self.refresh(disk, built)
        print('  %s' % (line or why))
        self.h.record('disk: a kept disk is refreshed after a rebuild, the disk before kept',
                      line is not None and
                      re.search(r'2 changed \(/bin/echo, /bin/wc\), 2 new \(/bin/hello2, '
                                r'/README\); kept 4 files, 1 directory, 1 more link of yours',
                                line) is not None and digest(disk + '.old') == before and
                      not os.path.exists(disk + '.new'), line or why)
        self.check_refreshed(disk)
        self.up_to_date(disk, built)
        self.log_replayed(log_disk, built)
        self.left_alone(built)

    def rebuilt_image(self):
        """A new build's image: build/fs.img's files with /bin/echo changed
        (the bytes of /bin/ls) and a new program /bin/hello2 (echo's bytes)."""
        rc, out, entries = self.listing(self.img)
        im = fsimage.Image(self.img)
        args, links, first = [], [], {}
        # /bin first, so that a program's flat-root name becomes the link
        order = sorted(entries.items(), key=lambda e: (not e[0].startswith('/bin/'), e[0]))
        for path, (typ, ino, _, _, _) in order:
            if typ == 'dir':
                args.append(path + '/')
            elif typ == 'file' and ino in first:
                links += ['-l', '%s=%s' % (path, first[ino])]
            elif typ == 'file':
                host = self.path('files' + path.replace('/', '_'))
                with open(host, 'wb') as f:
                    f.write(im.read_file(ino))
                first[ino] = path
                args.append('%s=%s' % (path, host))
        im.close()
        hosts = dict(a.split('=', 1) for a in args if '=' in a)
        args = ['/bin/echo=' + hosts['/bin/ls'] if a.startswith('/bin/echo=') else a
                for a in args] + ['/bin/hello2=' + hosts['/bin/echo']]
        built = self.path('rebuilt.img')
        subprocess.run([self.mkfs, '-b', str(im.size), '-i', str(im.ninodes)] + links +
                       [built] + args, check=True, stdout=subprocess.DEVNULL)
        return built

    def check_refreshed(self, disk):
        rc, out, entries = self.listing(disk)
        n, n2, s = (entries.get(p, ('none', 0)) for p in ('/home/n', '/home/n2', '/home/s'))
        self.h.record('disk: the refreshed disk is clean for fsck, the user\'s links kept',
                      rc == 0 and n[0] == 'file' and n[1] == n2[1] and s[0] == 'link',
                      'fsck exit %d: %s' % (rc, ' | '.join(out.strip().splitlines()[-3:])))
        readme = fsimage.parse_listing(fsimage.fsck(self.fsck_tool, self.img, True)[1])['/README']
        b = self.h.boot('disk/refreshed', AFTER, disk=disk, timeout=60)
        out = b.output
        ok = self.h.boot_ok('disk/refreshed', b)
        # /bin/echo is now ls: `ls -l` lines are type, links, size, inode, name
        ls_lines = re.findall(r'^file\s+\d+\s+6\s+\d+\s+n2$', out, re.M)
        self.h.record('disk: the rebuilt /bin/echo runs, and through its link /echo',
                      ok and len(ls_lines) == 2, 'ls lines %d (log: %s)' % (len(ls_lines), b.log))
        self.h.record('disk: a program new in the build is in /bin and runs',
                      ok and re.search(r'^fresh-program$', out, re.M) is not None,
                      'log: %s' % b.log)
        self.h.record('disk: the user\'s files, links and own program in /bin stay',
                      ok and 'notes\nmine\n' in out and
                      re.search(r'^still-mine$', out, re.M) is not None, 'log: %s' % b.log)
        self.h.record('disk: built-in files the user replaced or removed are the build\'s again',
                      ok and re.search(r'^\s*\d+\s+\d+\s+%d /README$' % readme[3], out, re.M)
                      is not None, 'log: %s' % b.log)
        rc, text = fsimage.fsck(self.fsck_tool, disk)
        self.h.record('disk: clean for fsck after booting the refreshed disk', rc == 0,
                      ' | '.join(text.strip().splitlines()[-3:]))

    def up_to_date(self, disk, built):
        """Refreshing again, or a fresh copy: nothing to do, nothing written."""
        before = digest(disk)
        line, why = self.refresh(disk, built)
        self.h.record('disk: a disk holding the build\'s files is not written again',
                      line is None and not why and digest(disk) == before and
                      not os.path.exists(disk + '.new'), line or why)

    def log_replayed(self, disk, built):
        """A committed transaction in the kept disk's log (its last commit
        not yet installed) is part of what the refreshed disk keeps."""
        _, _, entries = self.listing(disk)
        im = fsimage.Image(disk)
        home = im.file_blocks(entries['/tmp/mine'][1])[0]
        block = im.block(home)
        block[:5] = b'LOGD\n'
        im.write_log([home], [block])
        im.close()
        line, why = self.refresh(disk, built)
        _, _, entries = self.listing(disk)
        im = fsimage.Image(disk)
        data = im.read_file(entries['/tmp/mine'][1]) if '/tmp/mine' in entries else b''
        log_n = im.block(im.logstart)[:4]
        im.close()
        self.h.record('disk: a committed transaction in the kept disk\'s log is kept',
                      line is not None and data == b'LOGD\n' and log_n == b'\0\0\0\0',
                      '%s; /tmp/mine %r' % (line or why, data))

    def left_alone(self, built):
        """A damaged disk, and one a running QEMU holds, are not touched."""
        disk = self.copy('damaged.img', self.img)
        im = fsimage.Image(disk)
        im.set_bitmap_bit(im.size - 1, 1)       # a leaked block: readable, but not clean
        im.close()
        before = digest(disk)
        line, why = self.refresh(disk, built)
        self.h.record('disk: a kept disk fsck finds damaged is not refreshed, with a message',
                      line is None and 'fsck finds it damaged' in why and digest(disk) == before
                      and not os.path.exists(disk + '.new'), why or line)

        disk = self.copy('in-use.img', self.img)
        holder = subprocess.Popen([sys.executable, '-c', (
            'import fcntl, sys; f = open(sys.argv[1], "rb"); '
            'fcntl.lockf(f, fcntl.LOCK_SH, 1, 100); print("locked", flush=True); '
            'sys.stdin.read()'), disk], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        holder.stdout.readline()        # QEMU holds such a lock on its disk while it runs
        line, why = self.refresh(disk, built)
        holder.communicate(b'')
        self.h.record('disk: a kept disk a running QEMU holds is not refreshed, with a message',
                      line is None and 'in use by a running QEMU' in why, why or line)
