#!/bin/sh
# Runs inside the guest (hw/selftests/run.sh puts it at /run.sh): the
# kernel's own iommufd selftests, TAP on stdout.
echo 256 >/proc/sys/vm/nr_hugepages # 512 MB of the 2 GB
mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages
echo "hugepages: $(cat /proc/sys/vm/nr_hugepages)"
cd /tmp
for t in iommufd iommufd_fail_nth; do
	echo "=== $t"
	start=$(date +%s)
	/$t
	echo "=== $t exit $? in $(($(date +%s) - start)) s"
done
exit 0
