"""Reading, breaking and checking Canopy file-system images from the host,
for tests/suite_fs.py.  The format is src/include/canopy/fs.h; the few
structures needed are unpacked here with struct."""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
from qemu import copy_sparse  # noqa: E402,F401  (suites call fsimage.copy_sparse)

BSIZE = 1024
ROOTINO = 1
NDIRECT = 11
NINDIRECT = BSIZE // 4
FS_LOG_MAX = 254
SB_FORMAT = '<8I'           # magic size nblocks ninodes nlog logstart inodestart bmapstart
DINODE_FORMAT = '<4hI13I'   # type major minor nlink size addrs[13]
DINODE_SIZE = 64
DIRENT_FORMAT = '<H14s'
M64 = (1 << 64) - 1
CHECKSUM_SEED = 0xcbf29ce484222325


def paths(h):
    """The images and tools SCons passes in the environment, and a work folder;
    None (and a failure recorded) if any is missing."""
    env = {k: os.environ.get(k) for k in
           ('CANOPY_FS_IMG', 'CANOPY_FS_TEST_IMG', 'CANOPY_MKFS', 'CANOPY_FSCK')}
    missing = [k for k, v in env.items() if not v or not os.path.exists(v)]
    if missing:
        h.record('fs: image and tools from SCons', False, 'missing %s' % ', '.join(missing))
        return None
    env['work'] = os.path.join(os.path.dirname(h.log_dir), 'fs-work')
    os.makedirs(env['work'], exist_ok=True)
    return env


def fsck(tool, image, listing=False):
    """Run tools/fsck; (exit status, output)."""
    p = subprocess.run([tool] + (['-l'] if listing else []) + [image],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode('utf-8', 'replace')


def parse_listing(text):
    """fsck -l lines -> {path: (type, ino, nlink, size, crc)}."""
    entries = {}
    for line in text.splitlines():
        if not line.startswith('/'):
            continue
        path, typ, ino, nlink, size, crc = line.rsplit(' ', 5)
        entries[path] = (typ, int(ino), int(nlink), int(size), int(crc, 16))
    return entries


class Image:
    """An image file opened for reading and patching."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, 'r+b', buffering=0)     # unbuffered: fsck may read it meanwhile
        fields = struct.unpack(SB_FORMAT, self.block(1)[:32])
        (self.magic, self.size, self.nblocks, self.ninodes, self.nlog, self.logstart,
         self.inodestart, self.bmapstart) = fields

    def close(self):
        self.f.close()

    def block(self, b):
        self.f.seek(b * BSIZE)
        return bytearray(self.f.read(BSIZE))

    def write_block(self, b, data):
        assert len(data) == BSIZE
        self.f.seek(b * BSIZE)
        self.f.write(bytes(data))

    def set_super(self, **changes):
        fields = dict(magic=self.magic, size=self.size, nblocks=self.nblocks,
                      ninodes=self.ninodes, nlog=self.nlog, logstart=self.logstart,
                      inodestart=self.inodestart, bmapstart=self.bmapstart)
        fields.update(changes)
        blk = self.block(1)
        blk[:32] = struct.pack(SB_FORMAT, *[fields[k] for k in (
            'magic', 'size', 'nblocks', 'ninodes', 'nlog', 'logstart', 'inodestart',
            'bmapstart')])
        self.write_block(1, blk)

    def _inode_place(self, inum):
        ipb = BSIZE // DINODE_SIZE
        return self.inodestart + inum // ipb, (inum % ipb) * DINODE_SIZE

    def inode(self, inum):
        """dict with type, major, minor, nlink, size, addrs."""
        b, off = self._inode_place(inum)
        v = struct.unpack(DINODE_FORMAT, self.block(b)[off:off + DINODE_SIZE])
        return dict(type=v[0], major=v[1], minor=v[2], nlink=v[3], size=v[4], addrs=list(v[5:]))

    def set_inode(self, inum, d):
        b, off = self._inode_place(inum)
        blk = self.block(b)
        blk[off:off + DINODE_SIZE] = struct.pack(DINODE_FORMAT, d['type'], d['major'], d['minor'],
                                                 d['nlink'], d['size'], *d['addrs'])
        self.write_block(b, blk)

    def free_inode(self):
        for inum in range(ROOTINO + 1, self.ninodes):
            if self.inode(inum)['type'] == 0:
                return inum
        raise RuntimeError('no free inode')

    def add_entry(self, dir_inum, name, inum):
        """Append a directory entry in the directory's first block (it must have room)."""
        d = self.inode(dir_inum)
        assert d['size'] + 16 <= BSIZE, 'directory block full'
        blk = self.block(d['addrs'][0])
        blk[d['size']:d['size'] + 16] = struct.pack(DIRENT_FORMAT, inum, name.encode())
        self.write_block(d['addrs'][0], blk)
        d['size'] += 16
        self.set_inode(dir_inum, d)

    def entries(self, dir_inum):
        d = self.inode(dir_inum)
        blk = self.block(d['addrs'][0])
        return [(off, *struct.unpack(DIRENT_FORMAT, blk[off:off + 16]))
                for off in range(0, min(d['size'], BSIZE), 16)]

    def set_entry_inum(self, dir_inum, name, inum):
        d = self.inode(dir_inum)
        blk = self.block(d['addrs'][0])
        for off, _, n in self.entries(dir_inum):
            if n.rstrip(b'\0').decode() == name:
                blk[off:off + 2] = struct.pack('<H', inum)
                self.write_block(d['addrs'][0], blk)
                return
        raise KeyError(name)

    def _addresses(self, b):
        return list(struct.unpack('<%dI' % NINDIRECT, self.block(b)))

    def file_blocks(self, inum):
        """The blocks of inode inum's bytes, in order (a sound inode's: no holes)."""
        d = self.inode(inum)
        n = (d['size'] + BSIZE - 1) // BSIZE
        blocks = d['addrs'][:NDIRECT]
        if n > NDIRECT:
            blocks += self._addresses(d['addrs'][NDIRECT])
        if n > NDIRECT + NINDIRECT:
            for ind in self._addresses(d['addrs'][NDIRECT + 1]):
                blocks += self._addresses(ind) if ind else [0] * NINDIRECT
        return blocks[:n]

    def read_file(self, inum):
        data = b''.join(self.block(b) for b in self.file_blocks(inum))
        return data[:self.inode(inum)['size']]

    def bitmap_bit(self, b):
        blk = self.block(self.bmapstart + b // (BSIZE * 8))
        return (blk[(b % (BSIZE * 8)) // 8] >> (b % 8)) & 1

    def set_bitmap_bit(self, b, value):
        bb = self.bmapstart + b // (BSIZE * 8)
        blk = self.block(bb)
        byte, bit = (b % (BSIZE * 8)) // 8, b % 8
        blk[byte] = (blk[byte] | (1 << bit)) if value else (blk[byte] & ~(1 << bit))
        self.write_block(bb, blk)

    def write_log(self, homes, contents, checksum_ok=True):
        """Put a transaction in the log: contents[i] (BSIZE bytes) belongs at homes[i]."""
        n = len(homes)
        for i, data in enumerate(contents):
            self.write_block(self.logstart + 1 + i, data)
        blocks = list(homes) + [0] * (FS_LOG_MAX - n)
        sum_ = CHECKSUM_SEED
        for data in contents:
            sum_ = checksum_add(sum_, data)
        header = struct.pack('<I', n) + struct.pack('<I', 0) + struct.pack('<%dI' % FS_LOG_MAX, *blocks)
        crc = log_checksum(n, header[8:], sum_)
        if not checksum_ok:
            crc ^= 0x5a5a5a5a
        header = header[:4] + struct.pack('<I', crc) + header[8:]
        self.write_block(self.logstart, header)


def checksum_add(h, data):
    """fs_checksum_add() of <canopy/fs.h>."""
    for (w,) in struct.iter_unpack('<I', bytes(data)):
        h ^= w
        h = (h * 0x100000001b3) & M64
        h ^= h >> 29
    return h


def log_checksum(n, block_array, blocks_sum):
    """fs_log_checksum() of <canopy/fs.h>."""
    h = checksum_add(CHECKSUM_SEED ^ n, block_array)
    h ^= (blocks_sum * 0x9e3779b97f4a7c15) & M64
    return (h ^ (h >> 32)) & 0xffffffff
