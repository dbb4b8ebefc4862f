#!/bin/busybox sh
# /init of the initramfs Linux boots for the comparison (SConstruct builds
# it with tools/initramfs.py): load the modules the disk needs, mount
# proc, sys, dev and the virtio disk's ext4 (if there is a disk) on /mnt,
# run /run.sh with init's arguments (what follows -- on the kernel's
# command line), then power off.  Every step's failure is printed; the
# power-off comes whatever happens, so QEMU always ends.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sys /sys
$B mount -t devtmpfs dev /dev
$B mount -t tmpfs tmp /tmp
for m in $($B cat /lib/modules/modules.order); do
	$B insmod /lib/modules/$m || echo "init: insmod $m failed"
done
if [ -b /dev/vda ]; then
	$B mount -t ext4 /dev/vda /mnt || echo "init: mount of /dev/vda failed"
fi
/run.sh "$@"
echo "init: /run.sh exited with status $?"
$B umount /mnt 2>/dev/null
$B poweroff -f
