"""The disk `scons run` and `scons gdb` keep across boots (build/disk.img).

Before each boot, refresh() brings it up to date with the image the build
just made (build/fs.img), through `mkfs -u`: the build's files -- each
program in /bin and its link in /, /README, /console, the /tmp directory --
come from the new image, even where they were replaced or removed on the
disk; everything else on the disk (the files, directories and links the
user made) stays as it is.  A program whose app was removed from src/apps
stays too: it is no longer the build's.  When the disk already holds the
build's files, nothing is written.

The disk is never edited in place: the refreshed one is written beside it,
checked with fsck and renamed over it; the disk it replaces is kept as
DISK.old.  A disk fsck finds damaged, or one a running QEMU has open, is
left alone, with a message (DiskError).
"""
import fcntl
import os
import subprocess


class DiskError(Exception):
    """The disk could not be refreshed; it is as it was."""


def in_use(path):
    """Does a running QEMU have the disk open?  QEMU takes byte-range locks
    on its images, which an exclusive lock of the whole file meets."""
    with open(path, 'r+b') as f:
        try:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(f, fcntl.LOCK_UN)
    return False


def _run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    return p.returncode, p.stdout.decode('utf-8', 'replace').strip()


def _fsck_clean(fsck, image):
    """'' if fsck finds image clean, else its last lines."""
    rc, out = _run([fsck, image])
    return '' if rc == 0 else ' | '.join(out.splitlines()[-3:])


def _remove(path):
    if os.path.exists(path):
        os.remove(path)


def _install(new, disk, backup):
    """Put new in place of disk, disk's old contents kept as backup: disk
    always names a whole disk (the backup is a second name, made first)."""
    fd = os.open(new, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    _remove(backup)
    os.link(disk, backup)
    os.replace(new, disk)


def refresh(disk, built, mkfs, fsck):
    """Refresh disk from built (see the top).  The line to print, or None if
    disk was up to date; DiskError if it cannot be refreshed."""
    new, backup = disk + '.new', disk + '.old'
    if in_use(disk):
        raise DiskError('%s is in use by a running QEMU: not refreshed (quit that QEMU first)'
                        % disk)
    _remove(new)
    try:
        rc, out = _run([mkfs, '-u', disk, built, new])
        if rc != 0:
            raise DiskError('%s: not refreshed from %s: %s.  The disk is as it was; FRESH=1 '
                            'starts again from %s (without your files)' % (disk, built, out, built))
        if not os.path.exists(new):
            return None
        damage = _fsck_clean(fsck, disk)
        if damage:
            raise DiskError('%s: not refreshed from %s, since fsck finds it damaged (%s): '
                            'its programs are an older build\'s.  Copy it away to study it; '
                            'FRESH=1 starts again from %s (without your files)'
                            % (disk, built, damage, built))
        damage = _fsck_clean(fsck, new)
        if damage:
            raise DiskError('%s: not refreshed: fsck finds the disk mkfs -u made from it '
                            'damaged, a bug in mkfs (%s)' % (disk, damage))
        _install(new, disk, backup)
    finally:
        _remove(new)
    details = out.splitlines()[-1].split(' refreshed: ', 1)[-1]
    return '%s: refreshed from %s: %s (the disk before: %s)' % (disk, built, details, backup)
