"""The crash-test writer's operations, replayed in Python.

src/apps/fscrash/fscrash.c draws its operations from (seed, cycle, process)
and this module draws the same ones, so the harness knows what the disk
must hold after any number of them.  Change one, change the other.
"""
import zlib

M64 = (1 << 64) - 1
NAMES = ['f0', 'f1', 'f2', 'f3', 'f4', 'd/g0', 'd/g1']
MAX_SIZE = 60000
MAX_WRITE = 12000
PATTERN = bytes(((j * 7 + (j >> 8) * 13) & 255) for j in range(65536 + 4096))


class Writer:
    """One writer process's directory, as its first `applied` operations leave it."""

    def __init__(self, seed, cycle, proc):
        self.rng = (seed ^ (cycle << 32) ^ (proc << 48)) & M64
        self.cycle = cycle
        self.proc = proc
        self.base = '/crash/c%d/p%d' % (cycle, proc)
        self.kind = {}          # name -> ('file', inode) | ('link', target)
        self.data = {}          # inode -> bytearray
        self.next_inode = 0
        self.e = False
        self.applied = 0

    def _next(self):
        self.rng = (self.rng + 0x9e3779b97f4a7c15) & M64
        z = self.rng
        z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M64
        z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M64
        return z ^ (z >> 31)

    def _create(self, n):
        self.kind[n] = ('file', self.next_inode)
        self.data[self.next_inode] = bytearray()
        self.next_inode += 1

    def _unlink(self, n):
        del self.kind[n]

    def _file(self, n):
        k = self.kind.get(n)
        return self.data[k[1]] if k and k[0] == 'file' else None

    def _pattern(self, i, length):
        k = (i * 131 + self.cycle * 17 + self.proc * 29) % 4096
        return PATTERN[k:k + length]

    def apply(self):
        """Do the next operation (number self.applied)."""
        i = self.applied
        self.applied += 1
        if i < 2:
            return              # 0: mkdir base, 1: mkdir base/d
        r = self._next()
        what = r % 100
        n = NAMES[(r >> 8) % len(NAMES)]
        m = NAMES[(r >> 16) % len(NAMES)]
        length = 1 + (r >> 24) % MAX_WRITE
        kn = self.kind.get(n, ('none',))[0]
        km = self.kind.get(m, ('none',))[0]
        if what < 40:           # append (< 25) or overwrite
            if kn == 'none':
                return self._create(n)
            if kn == 'link':
                return self._unlink(n)
            data = self._file(n)
            if what < 25:
                off = len(data)
                if off + length > MAX_SIZE:
                    data[:] = b''
                    return
            else:
                off = (r >> 40) % (len(data) + 1)
                if off + length > MAX_SIZE:
                    data[:] = b''
                    return
            data[off:off + length] = self._pattern(i, length)
        elif what < 55:         # link n to m
            if km != 'none':
                return self._unlink(m)
            if kn != 'file':
                return self._create(n) if kn == 'none' else self._unlink(n)
            self.kind[m] = self.kind[n]
        elif what < 70:         # unlink
            return self._unlink(n) if kn != 'none' else self._create(n)
        elif what < 80:         # symbolic link m -> a name
            if km != 'none':
                return self._unlink(m)
            self.kind[m] = ('link', NAMES[(r >> 32) % len(NAMES)])
        elif what < 90:         # truncate
            if kn == 'file':
                self._file(n)[:] = b''
            elif kn == 'none':
                self._create(n)
            else:
                self._unlink(n)
        else:
            self.e = not self.e

    def expected(self):
        """{path: (type, nlink, size, crc)} and the groups of paths that share an inode."""
        out = {}
        if self.applied >= 1:
            out[self.base] = ('dir', None, None, 0)
        if self.applied >= 2:
            out[self.base + '/d'] = ('dir', None, None, 0)
        if self.e:
            out[self.base + '/e'] = ('dir', None, None, 0)
        groups = {}
        for name, k in self.kind.items():
            if k[0] == 'file':
                groups.setdefault(k[1], []).append(self.base + '/' + name)
        for name, k in self.kind.items():
            path = self.base + '/' + name
            if k[0] == 'file':
                data = bytes(self.data[k[1]])
                out[path] = ('file', len(groups[k[1]]), len(data), zlib.crc32(data))
            else:
                target = k[1].encode()
                out[path] = ('link', 1, len(target), zlib.crc32(target))
        return out, [g for g in groups.values() if len(g) > 1]


def compare(writer, listing):
    """'' if the fsck listing shows exactly the writer's state under its base, else why not."""
    want, groups = writer.expected()
    have = {p: v for p, v in listing.items()
            if p == writer.base or p.startswith(writer.base + '/')}
    for path, (typ, nlink, size, crc) in want.items():
        if path not in have:
            return '%s is missing' % path
        htyp, _, hnlink, hsize, hcrc = have[path]
        if htyp != typ:
            return '%s is a %s, expected a %s' % (path, htyp, typ)
        if typ != 'dir' and (hnlink, hsize, hcrc) != (nlink, size, crc):
            return '%s: nlink %d size %d crc %08x, expected nlink %d size %d crc %08x' % (
                path, hnlink, hsize, hcrc, nlink, size, crc)
    for path in have:
        if path not in want:
            return '%s should not exist' % path
    for g in groups:
        inos = set(have[p][1] for p in g)
        if len(inos) != 1:
            return '%s should be one inode' % ', '.join(g)
    files = [p for p, v in want.items() if v[0] == 'file']
    inode_of = {}
    for g in [[p] for p in files if not any(p in gg for gg in groups)] + groups:
        ino = have[g[0]][1]
        if ino in inode_of:
            return '%s and %s share inode %d' % (g[0], inode_of[ino], ino)
        inode_of[ino] = g[0]
    return ''
