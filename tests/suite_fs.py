"""The file system, on the main design (suite_fs_calls runs on every design):

- the shipped image passes tools/fsck; fsck finds each kind of damage;
- Canopy without a disk runs its built-in programs and says so;
- fstest's big tests on a 72 MiB disk: a 64 MiB file, the largest file,
  a full disk; fsck afterwards;
- broken images: refused at mount or the damage reported and skipped,
  never a panic, never a write outside the file system; the same with
  random bytes written over inodes, directories and the bitmap (seeded);
- the log: a committed transaction is replayed, a torn one discarded;
- the crash test: writers killed at random moments, fsck and a check of
  every operation after each kill and after the recovering boot.

The images and the host tools come from SCons through CANOPY_FS_IMG,
CANOPY_FS_TEST_IMG, CANOPY_MKFS and CANOPY_FSCK.  FS_CRASH_SEED=N repeats a
crash test.
"""
import os
import random
import re
import subprocess
import time

import fsimage
import fscrash_model
import qemu

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ('fscrash', 'fsck', 'mkfs')

CRASH_CYCLES = 12
FUZZ_SEED = 20261122
FUZZ_BYTES = 400
CRASH_IOPS = 400        # disk requests per second during the crash test's writer boots


def run(h):
    env = fsimage.paths(h)
    if not env:
        return
    t = FsTests(h, env['work'], env['CANOPY_FS_IMG'], env['CANOPY_FS_TEST_IMG'],
                env['CANOPY_FSCK'])
    t.shipped_image()
    t.fsck_finds_damage()
    t.no_disk()
    t.big_files()
    t.broken_images()
    t.fuzzed_images()
    t.log_recovery()
    t.crash_test()


class FsTests:
    def __init__(self, h, work, img, test_img, fsck):
        self.h = h
        self.work = work
        self.img = img
        self.test_img = test_img
        self.fsck_tool = fsck

    def copy(self, name, src=None):
        path = os.path.join(self.work, name)
        fsimage.copy_sparse(src or self.img, path)
        return path

    def fsck(self, image, listing=False):
        return fsimage.fsck(self.fsck_tool, image, listing)

    def record_fsck_clean(self, name, image):
        rc, out = self.fsck(image)
        self.h.record(name, rc == 0 and 'clean' in out,
                      'fsck exit %d: %s' % (rc, ' | '.join(out.strip().splitlines()[-4:])))

    # ------------------------------------------------------------ host side
    def shipped_image(self):
        rc, out = self.fsck(self.img, listing=True)
        entries = fsimage.parse_listing(out)
        bins = [p for p, v in entries.items() if p.startswith('/bin/') and v[0] == 'file']
        self.h.record('fs: build/fs.img is clean for fsck and holds /bin, /console and /README',
                      rc == 0 and entries.get('/console', ('',))[0] == 'dev' and
                      '/bin/sh' in entries and '/bin/fstest' in entries and '/README' in entries,
                      'fsck exit %d, %d programs in /bin' % (rc, len(bins)))

    def fsck_finds_damage(self):
        """Each kind of damage, alone on a fresh copy: fsck must fail and name it."""
        def readme_field(field, value):
            def damage(im):
                ino = self.lookup(im, '/README')
                self.patch_inode(im, ino, lambda d: d.__setitem__(field, value))
            return damage

        def readme_addr(i, value_of):
            def damage(im):
                ino = self.lookup(im, '/README')
                self.patch_inode(im, ino, lambda d: d['addrs'].__setitem__(i, value_of(im, d)))
            return damage

        def readme_first_block_free(im):
            im.set_bitmap_bit(im.inode(self.lookup(im, '/README'))['addrs'][0], 0)

        def stray_inode(im):
            im.set_inode(im.free_inode(), dict(type=2, major=0, minor=0, nlink=1, size=0,
                                               addrs=[0] * 13))

        cases = [
            ('bad magic', lambda im: im.set_super(magic=0), r'superblock: bad magic'),
            ('file system larger than the image', lambda im: im.set_super(size=im.size * 2),
             r'larger than the image'),
            ('block address out of range', readme_addr(0, lambda im, d: im.size + 5),
             r'outside the data area'),
            ('block used twice', readme_addr(1, lambda im, d: d['addrs'][0]), r'used twice'),
            ('used block marked free', readme_first_block_free, r'marked free'),
            ('free block marked used', lambda im: im.set_bitmap_bit(im.size - 1, 1),
             r'marked used but no inode uses it'),
            ('wrong link count', readme_field('nlink', 2), r'link count 2, but 1'),
            ('entry naming a free inode', readme_field('type', 0), r'free \(dangling entry\)'),
            ('bad inode type', readme_field('type', 9), r'bad type 9'),
            ('hole in a file', readme_addr(2, lambda im, d: 0), r'no block for bytes'),
            ('wrong "."', lambda im: im.set_entry_inum(self.lookup(im, '/tmp'), '.', 1),
             r'first entry is not "\."'),
            ('wrong ".."',
             lambda im: im.set_entry_inum(self.lookup(im, '/bin'), '..', self.lookup(im, '/tmp')),
             r'second entry is not "\.\."'),
            ('directory loop', lambda im: im.add_entry(self.lookup(im, '/tmp'), 'up', 1),
             r'reached twice'),
            ('entry naming an inode out of range', lambda im: im.add_entry(1, 'ghost', 60000),
             r'inode 60000, out of range'),
            ('inode in no directory', stray_inode, r'is in no directory'),
        ]
        for name, damage, pattern in cases:
            path = self.copy('damaged.img')
            im = fsimage.Image(path)
            damage(im)
            im.close()
            rc, out = self.fsck(path)
            self.h.record('fsck finds: %s' % name, rc == 1 and re.search(pattern, out) is not None,
                          'exit %d, wanted /%s/: %s' % (rc, pattern,
                                                        ' | '.join(out.strip().splitlines()[-3:])))

    def lookup(self, im, path):
        rc, out = self.fsck(im.path, listing=True)
        return fsimage.parse_listing(out)[path][1]

    @staticmethod
    def patch_inode(im, inum, change):
        d = im.inode(inum)
        change(d)
        im.set_inode(inum, d)

    # ------------------------------------------------------------ boots
    def no_disk(self):
        b = self.h.boot('fs/no-disk', 'echo no-disk-ok; ls /', timeout=60)
        self.h.record('fs: without a disk Canopy says so and runs its built-in programs',
                      self.h.boot_ok('fs/no-disk', b) and 'fs: no disk' in b.output and
                      'no-disk-ok' in b.output and 'ls: cannot open /' in b.output,
                      'status %s (log: %s)' % (b.status, b.log))

    def big_files(self):
        disk = self.copy('big.img', self.test_img)
        b = self.h.boot('fs/big', 'fstest big', cpus=3, disk=disk, timeout=600)
        self.h.guest_results('fs/big', b, 'fstest')
        self.record_fsck_clean('fs: the disk is clean for fsck after the big tests', disk)

    def boot_broken(self, label, image, cmd):
        b = self.h.boot(label, cmd, disk=image, timeout=60)
        ok = not b.timed_out and not b.panicked
        return b, ok

    def broken_images(self):
        # a superblock that cannot be believed: not mounted, the system still runs
        for name, change, message in [
            ('bad magic', dict(magic=0x12345678), 'bad magic number'),
            ('impossible size', dict(size=1 << 30), 'larger than the disk'),
            ('impossible inode count', dict(ninodes=0), 'impossible inode count'),
        ]:
            path = self.copy('broken.img')
            im = fsimage.Image(path)
            im.set_super(**change)
            im.close()
            b, ok = self.boot_broken('fs/broken-super', path, 'echo still-running')
            self.h.record('broken image (%s): refused at mount with a message, no panic' % name,
                          ok and message in b.output and 'not mounting' in b.output and
                          'still-running' in b.output and b.status == 0,
                          'status %s (log: %s)' % (b.status, b.log))

        # damaged inodes and directories: reported and skipped; nothing written
        # outside the file system, though the disk is bigger than it
        path = self.copy('broken.img')
        marker = b'\xa5' * (64 * fsimage.BSIZE)
        with open(path, 'ab') as f:
            f.write(marker)
        im = fsimage.Image(path)
        readme = self.lookup(im, '/README')
        self.patch_inode(im, readme, lambda d: d['addrs'].__setitem__(0, im.size + 3))
        im.add_entry(1, 'ghost', 60000)
        bad = im.free_inode()
        im.set_inode(bad, dict(type=9, major=0, minor=0, nlink=1, size=0, addrs=[0] * 13))
        im.add_entry(1, 'badtype', bad)
        im.add_entry(self.lookup(im, '/tmp'), 'up', 1)
        size = im.size
        im.close()
        cmd = ('cat /README; ls -l /; cat /badtype; ls -l /tmp/up/tmp/up/bin; '
               'rm /tmp/up; rm /ghost; rm /README; echo survived')
        b, ok = self.boot_broken('fs/broken-inodes', path, cmd)
        with open(path, 'rb') as f:
            f.seek(size * fsimage.BSIZE)
            tail = f.read()
        out = b.output
        self.h.record('broken image: a block address out of range is reported, reads fail',
                      ok and re.search(r'inode %d: block address \d+ is out of range' % readme, out)
                      is not None and 'cat: /README: read error' in out, 'log: %s' % b.log)
        self.h.record('broken image: an entry naming an inode out of range is reported and skipped',
                      ok and 'names inode 60000, out of range: skipped' in out and
                      'ls: cannot stat /ghost' in out, 'log: %s' % b.log)
        self.h.record('broken image: an inode of a bad type is reported and skipped',
                      ok and 'inode %d has bad type 9: skipped' % bad in out and
                      'cat: cannot open /badtype' in out, 'log: %s' % b.log)
        self.h.record('broken image: a directory loop is walked without harm, not removed',
                      ok and 'rm: cannot remove /tmp/up' in out and
                      re.search(r'^file\s+\d+\s+\d+\s+\d+ sh$', out, re.M) is not None,
                      'log: %s' % b.log)
        self.h.record('broken image: no panic, and nothing written past the file system',
                      ok and 'survived' in out and tail == marker,
                      'tail intact: %s (log: %s)' % (tail == marker, b.log))

    def fuzzed_images(self):
        """Random bytes over the inodes, the bitmap and the directories /, /bin
        and /tmp (the inodes of sh, init and timeout spared, and timeout's
        entry, so a shell can run): whatever the kernel meets, it must not
        panic or hang, nor write outside the file system.  One fixed seed and
        one new one, both in the test names."""
        # The shell survived if it ran the whole line and init powered off
        # after it (0: every command worked; 1: some failed, as damaged
        # programs may); init reports status -1 if sh itself was killed.
        # (A marker printed by the last command would depend on that
        # program's inode or blocks surviving the damage, which they need
        # not: one seed damaged /bin/echo itself.)
        def sh_survived(b):
            return (b.status in (0, 1) and 'sh exited with status -1' not in b.output and
                    'did not end after the kill' not in b.output)

        # Damaged directories and inodes can hand a command a program
        # stitched from other files' blocks, which may loop forever: the
        # line runs under `timeout`, which ends such a program and reports
        # one the kernel never lets go of (stuck in a system call).
        line = ('ls /; ls /bin; cat /README; ls /tmp; mkdir /tmp/x; echo hi > /tmp/x/f; '
                'cat /tmp/x/f; ln /tmp/x/f /tmp/g; rm /tmp/x/f; rm /tmp/g; rm /tmp/x; '
                'echo abc > /tmp/h; rm /tmp/h')
        cmd = 'timeout 60 sh -c "%s"' % line
        for seed in (FUZZ_SEED, random.SystemRandom().randrange(1, 1 << 31)):
            rnd = random.Random(seed)
            path = self.copy('fuzz.img')
            marker = b'\xa5' * (64 * fsimage.BSIZE)
            with open(path, 'ab') as f:
                f.write(marker)
            im = fsimage.Image(path)
            spared = set()
            bin_block = im.inode(self.lookup(im, '/bin'))['addrs'][0]
            for name in ('/bin/sh', '/bin/init', '/bin/timeout'):
                ino = self.lookup(im, name)
                b, off = im._inode_place(ino)
                spared.update((b, o) for o in range(off, off + fsimage.DINODE_SIZE))
            # timeout's directory entry too: damaged, it could name another inode
            for off, inum, name in im.entries(self.lookup(im, '/bin')):
                if name.rstrip(b'\0') == b'timeout':
                    spared.update((bin_block, o) for o in range(off, off + 16))
            blocks = list(range(im.inodestart, im.bmapstart + (im.size + 8191) // 8192))
            blocks += [im.inode(self.lookup(im, d))['addrs'][0] for d in ('/bin', '/tmp')]
            blocks += [im.inode(1)['addrs'][0]]
            for _ in range(FUZZ_BYTES):
                b = rnd.choice(blocks)
                off = rnd.randrange(fsimage.BSIZE)
                if (b, off) in spared:
                    continue
                data = im.block(b)
                data[off] = rnd.randrange(256)
                im.write_block(b, data)
            size = im.size
            im.close()
            b = self.h.boot('fs/fuzz-%d' % seed, cmd, disk=path, timeout=120)
            with open(path, 'rb') as f:
                f.seek(size * fsimage.BSIZE)
                tail = f.read()
            self.h.record('random damage (seed %d, %d bytes): no panic, the shell survives, '
                          'nothing written past the file system' % (seed, FUZZ_BYTES),
                          not b.timed_out and not b.panicked and sh_survived(b) and
                          tail == marker,
                          'timed out %s, panic %s, status %s, tail intact %s (log: %s)' %
                          (b.timed_out, b.panicked, b.status, tail == marker, b.log))

    def log_recovery(self):
        # a committed transaction in the log is replayed at mount
        path = self.copy('log.img')
        im = fsimage.Image(path)
        readme = self.lookup(im, '/README')
        first = im.inode(readme)['addrs'][0]
        new = bytearray(im.block(first))
        new[:19] = b'REPLAYED FROM LOG!\n'
        im.write_log([first], [new])
        im.close()
        b, ok = self.boot_broken('fs/log-replay', path, 'cat /README')
        self.h.record('log: a committed transaction is replayed at mount',
                      ok and 'replayed a committed transaction of 1 blocks' in b.output and
                      'REPLAYED FROM LOG!' in b.output, 'log: %s' % b.log)
        self.record_fsck_clean('log: the disk is clean after the replay', path)

        # a header whose checksum does not match: a commit cut short, discarded
        path = self.copy('log.img')
        im = fsimage.Image(path)
        im.write_log([first], [new], checksum_ok=False)
        im.close()
        b, ok = self.boot_broken('fs/log-torn', path, 'cat /README')
        self.h.record('log: a torn transaction is discarded at mount',
                      ok and 'was not wholly committed: discarded' in b.output and
                      'REPLAYED FROM LOG!' not in b.output and '# Canopy' in b.output,
                      'log: %s' % b.log)

        # a header that cannot be believed: not mounted
        for name, homes, message in [
            ('a block count beyond the log', list(range(300)), 'log header claims 300 blocks'),
            ('a block in the log itself', [im.logstart + 3], 'outside the inodes, bitmap'),
        ]:
            path = self.copy('log.img')
            im = fsimage.Image(path)
            im.write_log(homes[:fsimage.FS_LOG_MAX], [bytes(fsimage.BSIZE)] *
                         min(len(homes), fsimage.FS_LOG_MAX))
            if len(homes) > fsimage.FS_LOG_MAX:
                hdr = im.block(im.logstart)
                hdr[:4] = len(homes).to_bytes(4, 'little')
                im.write_block(im.logstart, hdr)
            im.close()
            b, ok = self.boot_broken('fs/log-bad', path, 'echo still-running')
            self.h.record('log: a header with %s is refused at mount, no panic' % name,
                          ok and message in b.output and 'not mounting' in b.output and
                          'still-running' in b.output, 'log: %s' % b.log)

    # ------------------------------------------------------------ crash test
    def crash_test(self):
        seed = int(os.environ.get('FS_CRASH_SEED') or random.SystemRandom().randrange(1, 1 << 31))
        rnd = random.Random(seed)
        print('crash test: seed %d (FS_CRASH_SEED=%d repeats it)' % (seed, seed))
        disk = self.copy('crash.img')
        done = {}               # earlier cycles: path -> listing entry, as they must stay
        kills = 0
        for cycle in range(CRASH_CYCLES):
            delay = rnd.uniform(0.05, 2.5)
            label = 'fs/crash-%d' % cycle
            out, killed, started = self.boot_killed(label, disk, 'fscrash %d %d' % (seed, cycle),
                                                    delay)
            kills += killed
            why, what = self.crash_cycle(seed, cycle, out, started, disk, done)
            self.h.record('crash test (seed %d) cycle %d: killed %.2f s in%s' %
                          (seed, cycle, delay, what), not why, why)
            if why:
                return
        self.h.record('crash test (seed %d): at least 10 kills' % seed, kills >= 10,
                      '%d of %d cycles were killed' % (kills, CRASH_CYCLES))

    def crash_cycle(self, seed, cycle, out, started, disk, done):
        """Check one killed cycle: ('', description) or (why not, '').  Updates done."""
        log = os.path.join(self.h.log_dir, 'fs_crash-%d.log' % cycle)
        if not started:
            return 'the writer did not start (log: %s)' % log, ''
        if 'failed' in out or 'panic on hart' in out:
            return 'the writer or the kernel failed (log: %s)' % log, ''
        last = {0: -1, 1: -1}
        for m in re.finditer(r'^p(\d) op (\d+)$', out, re.M):
            last[int(m.group(1))] = int(m.group(2))

        def check_image(when):
            """fsck must be clean, earlier cycles unchanged, and each writer's directory
            hold exactly the ops that returned, plus at most the one in flight:
            (ops found on disk per writer, '') or (None, why)."""
            rc, text = self.fsck(disk, listing=True)
            if rc != 0:
                errors = [l for l in text.splitlines() if 'error' in l]
                return None, 'fsck %s: %s' % (when, ' | '.join(errors[:5]))
            listing = fsimage.parse_listing(text)
            for path, entry in done.items():
                if listing.get(path) != entry:
                    return None, '%s: %s is %s, was %s' % (when, path, listing.get(path), entry)
            found = []
            for proc in (0, 1):
                w = fscrash_model.Writer(seed, cycle, proc)
                while w.applied < last[proc] + 1:
                    w.apply()
                why_returned = fscrash_model.compare(w, listing)
                if why_returned:
                    w.apply()       # or the operation in flight happened too
                    why_next = fscrash_model.compare(w, listing)
                    if why_next:
                        return None, ('%s: p%d, ops 0..%d returned: %s; with op %d too: %s' %
                                      (when, proc, last[proc], why_returned, last[proc] + 1,
                                       why_next))
                found.append(w.applied)
            return found, ''

        found, why = check_image('after the kill (log replayed in memory by fsck)')
        if why:
            return why, ''
        label = 'fs/crash-%d-recover' % cycle
        b = self.h.boot(label, 'echo recovered', disk=disk, timeout=60)
        if b.timed_out or b.panicked or 'fs: mounted' not in b.output:
            return 'the recovering boot failed (log: %s)' % b.log, ''
        found2, why = check_image('after the recovering boot')
        if why:
            return why, ''
        if found2 != found:
            return 'the kernel recovered %s operations, fsck %s' % (found2, found), ''
        rc, text = self.fsck(disk, listing=True)
        prefix = '/crash/c%d' % cycle
        for path, entry in fsimage.parse_listing(text).items():
            if path == prefix or path.startswith(prefix + '/'):
                done[path] = entry
        return '', ('; ops returned %d+%d, on disk %d+%d, fsck clean' %
                    (last[0] + 1, last[1] + 1, found[0], found[1]))

    def boot_killed(self, label, disk, cmd, delay, timeout=60):
        """Boot; kill QEMU `delay` seconds after "fscrash: start".  (output, killed, started)"""
        self.h.boots += 1
        # the disk is throttled, so the writes of one commit land over milliseconds
        # and a kill can fall between them, as a power cut would
        drive = ('file=%s,if=none,format=raw,id=disk0,throttling.iops-total=%d'
                 % (disk, CRASH_IOPS))
        args = qemu.qemu_command(self.h.kernel, cpus=1, mem='128M', cmd=cmd, extra=[
            '-drive', drive, '-device', 'virtio-blk-device,drive=disk0'])
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        started = False

        def on_data(data, chunks):
            nonlocal started
            if not started and b'fscrash: start' in b''.join(chunks):
                started = True
                return time.time() + delay
            return None

        data, how = qemu.pump(p, timeout, on_data, poll=0.005)
        killed = how == 'stopped'
        out = data.decode('utf-8', 'replace').replace('\r\n', '\n')
        with open(os.path.join(self.h.log_dir, label.replace('/', '_') + '.log'), 'w') as f:
            f.write(out)
        return out, killed, started
