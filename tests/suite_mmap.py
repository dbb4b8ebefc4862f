"""mmap, munmap and msync, and the page cache behind them: the in-guest
mmaptest program on a disk, on 1 and 3 harts, then fsck on the disk."""
import os
import shutil
import subprocess
import tempfile

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ('mmaptest',)

CORE = True


def run(h):
    tmp = tempfile.mkdtemp(prefix='canopy-mmap-')
    try:
        for cpus in (1, 3):
            label = 'mmap/%dhart' % cpus
            disk = os.path.join(tmp, 'disk%d.img' % cpus)
            shutil.copyfile(os.environ['CANOPY_FS_IMG'], disk)
            b = h.boot(label, 'mmaptest', cpus=cpus, disk=disk, timeout=300)
            h.guest_results(label, b, 'mmaptest')
            fsck = subprocess.run([os.environ['CANOPY_FSCK'], disk], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, universal_newlines=True)
            h.record('%s: the disk is clean for fsck afterwards' % label, fsck.returncode == 0,
                     fsck.stdout.strip().splitlines()[-1] if fsck.stdout.strip() else '')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
