#!/bin/sh
# hw/selftests/vfio-build.sh SRC HEADERS OUT [LDFLAG...]: build the kernel's
# VFIO selftests (SRC/tools/testing/selftests/vfio, every TEST_GEN_PROGS of
# its Makefile) unmodified into OUT, each linked with libvfio (the
# LIBVFIO_C of lib/libvfio.mk for x86_64), against the uapi headers in
# HEADERS. The flags are the Makefile's and lib.mk's minus make:
# KHDR_INCLUDES is -isystem (tools/include's linux/types.h comes first),
# -D_GNU_SOURCE, -luuid, -pthread. LDFLAGs: -static for the guest
# (hw/selftests/run.sh vfio), none for the host (tests/preload/).
set -eu
src=$1 hdr=$2 out=$3
shift 3
v=$src/tools/testing/selftests/vfio
progs="vfio_dma_mapping_test vfio_dma_mapping_mmio_test
vfio_iommufd_setup_test vfio_pci_device_test vfio_pci_device_init_perf_test
vfio_pci_driver_test vfio_pci_sriov_uapi_test"
lib="iommu.c iova_allocator.c libvfio.c sysfs.c vfio_pci_device.c
vfio_pci_driver.c drivers/ioat/ioat.c drivers/dsa/dsa.c
drivers/nv_falcon/nv_falcon.c drivers/igb/igb.c"
flags="-D_GNU_SOURCE -Wall -O2 -isystem $hdr -I$src/tools/testing/selftests
-I$src/tools/include -I$v/lib/include"
# compiles go through $CC_LAUNCHER when set (ccache, which caches
# compiles only: each program is compiled, then linked)
ccc="${CC_LAUNCHER:+$CC_LAUNCHER }${CC:-cc}"
mkdir -p "$out/libvfio"
objs=
for f in $lib; do
	o=$out/libvfio/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')
	# shellcheck disable=SC2086 # flags are words
	$ccc $flags -c "$v/lib/$f" -o "$o"
	objs="$objs $o"
done
for t in $progs; do
	# shellcheck disable=SC2086
	$ccc $flags -c -o "$out/libvfio/$t.o" "$v/$t.c"
	# shellcheck disable=SC2086
	${CC:-cc} "$@" -o "$out/$t" "$out/libvfio/$t.o" $objs -luuid -pthread
done
rm -rf "$out/libvfio"
echo "$progs" | tr ' ' '\n' >"$out/programs"
