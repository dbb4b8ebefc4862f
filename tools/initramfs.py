#!/usr/bin/env python3
"""Linux's side of the comparison: the modules it needs and its initramfs.

    initramfs.py modules --tree DIR --config FILE --out DIR NAME...
    initramfs.py build --out FILE.cpio.gz [--file DEST=SRC[:MODE]]... [--dir DEST]...
                       [--link DEST=TARGET]... [--node DEST=c:MAJOR:MINOR]...

`modules` (run by tools/bootstrap) takes the unpacked kernel package's
modules folder (DIR: lib/modules/<version>, holding modules.builtin and
kernel/...), and for each wanted NAME (virtio_mmio, virtio_blk, ext4)
that the package's config builds as a module (=m; =y needs nothing) finds
its .ko.xz, follows its `depends=` and `softdep=pre:` lines (Debian's
package ships no modules.dep: depmod writes it at install), and writes
each module decompressed into --out with modules.order, one file name a
line, every module after those it depends on.

`build` writes a gzip-compressed cpio archive in the "newc" format (the
one Linux's initramfs unpacker reads) of the files, folders, symbolic
links and device nodes given, all owned by root; no root rights and no
cpio program are needed.  Folders above each entry are added.  The
archive is the same, byte for byte, for the same inputs (times are 0).
"""
import argparse
import gzip
import lzma
import os
import struct
import sys

# ------------------------------------------------------------ modules


def modinfo(ko):
    """{key: [values]} of a module's .modinfo section (NUL-separated key=value)."""
    if ko[:4] != b'\x7fELF' or ko[4] != 2:
        raise ValueError('not an ELF64 file')
    shoff, = struct.unpack_from('<Q', ko, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', ko, 0x3a)

    def section(i):
        name, _, _, _, off, size = struct.unpack_from('<IIQQQQ', ko, shoff + i * shentsize)
        return name, off, size
    _, stroff, _ = section(shstrndx)
    for i in range(shnum):
        name, off, size = section(i)
        if ko[stroff + name:ko.index(b'\0', stroff + name)] == b'.modinfo':
            info = {}
            for item in ko[off:off + size].split(b'\0'):
                if b'=' in item:
                    k, v = item.decode('utf-8', 'replace').split('=', 1)
                    info.setdefault(k, []).append(v)
            return info
    return {}


def norm(name):
    return name.replace('-', '_')


class Tree:
    """The modules of an unpacked package, found by name or alias on demand."""

    # where softdep aliases (crypto-crc32c ...) are looked for: decompressing
    # every module of the package to read its aliases would take long
    ALIAS_DIRS = ('kernel/crypto', 'kernel/lib', 'kernel/arch/riscv/crypto')

    def __init__(self, root):
        self.root = root
        self.paths = {}         # module name -> path of its .ko.xz
        for dirpath, _, files in os.walk(os.path.join(root, 'kernel')):
            for f in files:
                if f.endswith('.ko.xz'):
                    self.paths[norm(f[:-6])] = os.path.join(dirpath, f)
        self.builtin = set()
        builtin = os.path.join(root, 'modules.builtin')
        if os.path.exists(builtin):
            self.builtin = {norm(os.path.basename(l.strip())[:-3])
                            for l in open(builtin) if l.strip().endswith('.ko')}
        self._info = {}
        self._aliases = None

    def info(self, name):
        if name not in self._info:
            with lzma.open(self.paths[name]) as f:
                data = f.read()
            self._info[name] = (data, modinfo(data))
        return self._info[name]

    def resolve(self, name):
        """The module that provides name (a module's name or an alias); None
        when it is built in; KeyError when nothing provides it."""
        name = norm(name)
        if name in self.builtin:
            return None
        if name in self.paths:
            return name
        if self._aliases is None:
            self._aliases = {}
            for mod, path in self.paths.items():
                rel = os.path.relpath(path, self.root)
                if rel.startswith(self.ALIAS_DIRS):
                    for alias in self.info(mod)[1].get('alias', []):
                        self._aliases.setdefault(norm(alias), mod)
        return self._aliases[name]

    def deps(self, name):
        """The modules name needs loaded first: depends=, then softdep pre:."""
        info = self.info(name)[1]
        out = []
        for line in info.get('depends', []):
            out += [d for d in line.split(',') if d]
        for line in info.get('softdep', []):
            words = line.split()
            if words and words[0] == 'pre:':
                for w in words[1:]:
                    if w == 'post:':
                        break
                    out.append(w)
        return out


def load_order(tree, wanted):
    """The modules to load for wanted, each after what it depends on."""
    order, seen = [], set()

    def visit(name, path):
        mod = tree.resolve(name)
        if mod is None or mod in seen:
            return
        if mod in path:
            raise ValueError('a dependency cycle: %s' % ' -> '.join(path + [mod]))
        for d in tree.deps(mod):
            visit(d, path + [mod])
        seen.add(mod)
        order.append(mod)
    for w in wanted:
        visit(w, [])
    return order


def config_value(config, option):
    for line in config.splitlines():
        if line.startswith(option + '='):
            return line.split('=', 1)[1]
    return None


# the config option that builds each module the comparison needs
OPTIONS = {'virtio_mmio': 'CONFIG_VIRTIO_MMIO', 'virtio_blk': 'CONFIG_VIRTIO_BLK',
           'ext4': 'CONFIG_EXT4_FS'}


def modules_main(a):
    config = open(a.config).read()
    wanted = []
    for name in a.names:
        value = config_value(config, OPTIONS.get(name, 'CONFIG_' + name.upper()))
        if value == 'm':
            wanted.append(name)
        elif value != 'y':
            sys.exit('initramfs.py: the kernel has no %s (%s is %s)' %
                     (name, OPTIONS.get(name), value or 'not set'))
    tree = Tree(a.tree)
    try:
        order = load_order(tree, wanted)
    except (KeyError, ValueError) as e:
        sys.exit('initramfs.py: cannot resolve the modules %s: %s' % (' '.join(wanted), e))
    os.makedirs(a.out, exist_ok=True)
    for mod in order:
        data, info = tree.info(mod)
        if info.get('name', [mod])[0] != mod:
            sys.exit('initramfs.py: %s names itself %s' % (tree.paths[mod], info.get('name')))
        with open(os.path.join(a.out, mod + '.ko'), 'wb') as f:
            f.write(data)
    with open(os.path.join(a.out, 'modules.order'), 'w') as f:
        f.write(''.join(m + '.ko\n' for m in order))
    return 0

# ------------------------------------------------------------ the archive


S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR = 0o040000, 0o100000, 0o120000, 0o020000


def newc_entry(name, mode, data=b'', ino=1, rdev=(0, 0), nlink=1):
    """One newc record: the 110-byte header, the name, the data, each padded to 4."""
    name_b = name.encode() + b'\0'
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
    head = b'070701' + b''.join(b'%08X' % v for v in fields)
    rec = head + name_b
    rec += b'\0' * (-len(rec) % 4) + data
    return rec + b'\0' * (-len(rec) % 4)


def archive(entries):
    """The cpio bytes of entries: [(path, mode, data, rdev)], folders first."""
    out, ino = [], 1
    for path, mode, data, rdev in entries:
        ino += 1
        out.append(newc_entry(path, mode, data, ino, rdev, 2 if mode & S_IFDIR else 1))
    out.append(newc_entry('TRAILER!!!', 0))
    return b''.join(out)


def build_main(a):
    entries = {}        # path inside -> (mode, data, rdev)

    def add_dirs(path):
        parts = path.split('/')[:-1]
        for i in range(1, len(parts) + 1):
            d = '/'.join(parts[:i])
            entries.setdefault(d, (S_IFDIR | 0o755, b'', (0, 0)))

    def inside(dest):
        dest = dest.strip('/')
        if not dest or '..' in dest.split('/'):
            sys.exit('initramfs.py: bad path in the archive: %r' % dest)
        return dest
    for d in a.dir:
        d = inside(d)
        add_dirs(d + '/x')
    for spec in a.file:
        dest, src = spec.split('=', 1)
        mode = None
        if ':' in src and src.rsplit(':', 1)[1].isdigit():
            src, m = src.rsplit(':', 1)
            mode = int(m, 8)
        with open(src, 'rb') as f:
            data = f.read()
        if mode is None:
            mode = 0o755 if os.access(src, os.X_OK) else 0o644
        dest = inside(dest)
        add_dirs(dest)
        entries[dest] = (S_IFREG | mode, data, (0, 0))
    for spec in a.link:
        dest, target = spec.split('=', 1)
        dest = inside(dest)
        add_dirs(dest)
        entries[dest] = (S_IFLNK | 0o777, target.encode(), (0, 0))
    for spec in a.node:
        dest, dev = spec.split('=', 1)
        kind, major, minor = dev.split(':')
        if kind != 'c':
            sys.exit('initramfs.py: only character devices (c:MAJOR:MINOR): %s' % spec)
        dest = inside(dest)
        add_dirs(dest)
        entries[dest] = (S_IFCHR | 0o600, b'', (int(major), int(minor)))
    # folders before what is in them: sorting the paths does it
    data = archive([(p,) + entries[p] for p in sorted(entries)])
    tmp = a.out + '.tmp'
    with open(tmp, 'wb') as raw:
        with gzip.GzipFile(fileobj=raw, mode='wb', mtime=0, filename='') as f:
            f.write(data)
    os.replace(tmp, a.out)
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    m = sub.add_parser('modules')
    m.add_argument('--tree', required=True)
    m.add_argument('--config', required=True)
    m.add_argument('--out', required=True)
    m.add_argument('names', nargs='+')
    b = sub.add_parser('build')
    b.add_argument('--out', required=True)
    b.add_argument('--file', action='append', default=[])
    b.add_argument('--dir', action='append', default=[])
    b.add_argument('--link', action='append', default=[])
    b.add_argument('--node', action='append', default=[])
    a = ap.parse_args()
    return modules_main(a) if a.cmd == 'modules' else build_main(a)


if __name__ == '__main__':
    sys.exit(main())
