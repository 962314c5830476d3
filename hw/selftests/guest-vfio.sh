#!/bin/sh
# Runs inside the guest (hw/selftests/run.sh vfio puts it at /run.sh): the
# kernel's own VFIO selftests (tools/testing/selftests/vfio) on QEMU's
# e1000e at 0000:00:03.0 behind VT-d, bound to vfio-pci first as the
# selftests' scripts/setup.sh binds it (driver_override, unbind,
# drivers_probe). TAP on stdout.
bdf=0000:00:03.0
d=/sys/bus/pci/devices/$bdf
echo 256 >/proc/sys/vm/nr_hugepages # 512 MB of the 2 GB
mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages
echo "hugepages: $(cat /proc/sys/vm/nr_hugepages)"
echo vfio-pci >"$d/driver_override"
[ -e "$d/driver" ] && echo "$bdf" >"$d/driver/unbind"
echo "$bdf" >/sys/bus/pci/drivers_probe
echo "$bdf: driver $(basename "$(readlink "$d/driver")")," \
	"iommu_group $(basename "$(readlink "$d/iommu_group")")"
ls /dev/vfio /dev/vfio/devices
cd /tmp
for t in $(cat /programs); do
	echo "=== $t"
	start=$(date +%s)
	/$t "$bdf"
	echo "=== $t exit $? in $(($(date +%s) - start)) s"
done
exit 0
