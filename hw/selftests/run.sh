#!/usr/bin/env bash
# Build the kernel's own iommufd selftests (tools/testing/selftests/iommu:
# iommufd, iommufd_fail_nth) static against our kernel's uapi headers, run
# them in one guest boot (2 GB, hugepages; IOMMUFD_TEST's mock devices need
# no IOMMU), and print each one's TAP totals.
#   hw/selftests/run.sh [OUT]     OUT (default $cache/selftests-last.tap)
#                                 gets the TAP
#   hw/selftests/run.sh vfio [OUT]
#                                 the VFIO selftests instead
#                                 (tools/testing/selftests/vfio, with its
#                                 lib/ libvfio as lib/libvfio.mk lists it)
#                                 on q35 + VT-d with an e1000e at 00:03.0
#                                 bound to vfio-pci (guest-vfio.sh); OUT
#                                 defaults to $cache/selftests-vfio-last.tap
# Exit 1 when a test fails that is not a known failure (KNOWN below) or a
# suite printed no totals (vfio: the guest's failures are reported, not
# judged: tests/preload/vfio-selftests.sh compares the model with them).
#
# Known failures in Linux 7.3.4 (Debian's linux-source-7.3):
#   iommufd_ioas.*.dmabuf_simple, iommufd_ioas.*.dmabuf_revoke (8 tests):
#   drivers/iommu/iommufd/selftest.c iommufd_test_dmabuf_get() returns 0
#   after dma_buf_fd() instead of the new fd, while iommufd_utils.h
#   _test_cmd_get_dmabuf() takes the ioctl's return value as the fd; the
#   tests then map fd 0 (the console): with no domain an EINVAL
#   expectation fails (the map succeeds, iommufd.c:1595) or the revoke
#   does (1612); with a mock domain memfd_pin_folios() refuses the tty
#   and the good map fails (1597, 1611). The model fails them at the same
#   lines (tests/preload/selftests-fail.txt, docs/preload.md).
KNOWN='dmabuf_simple|dmabuf_revoke'
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hw=$(dirname "$here")
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
kdir=$("$hw/kernel/build.sh")
src=$("$hw/fetch-kernel-source.sh")
base=$("$hw/initramfs/build.sh" "$kdir")
suite=iommufd
if [ "${1:-}" = vfio ]; then
	suite=vfio
	shift
fi

# boot SCRIPT NAME COMPLETE QEMU_ARG...: the binaries in $bin and SCRIPT
# as /run.sh in one 2 GB boot, TAP in $out, unless the cache has it: the
# TAP is cached by kernel, initramfs, guest script and binaries
# (IOMMUSIM_NO_CACHE=1 boots anyway) when COMPLETE (a command) holds.
boot() {
	local script=$1 name=$2 complete=$3 key cached start
	# (root global: the EXIT trap removes it)
	shift 3
	key=$(cat "$here/$script" "$bin"/* <(echo "$kdir $base") |
		sha256sum | cut -c1-16)
	cached=$cache/results/$name-$key.tap
	if [ -s "$cached" ] && [ "${IOMMUSIM_NO_CACHE:-0}" != 1 ]; then
		cp "$cached" "$out"
		echo "selftests: cached result (TAP in $out)"
		return
	fi
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	cp "$bin"/* "$root/"
	cp "$here/$script" "$root/run.sh"
	start=$(date +%s)
	IOMMUSIM_MEM=2G IOMMUSIM_TIMEOUT=1200 \
		"$hw/qemu/run.sh" "$kdir" "$base" "$root" "$out" "$@" || true
	echo "selftests: booted and ran in $(($(date +%s) - start)) s (TAP in $out)"
	if $complete; then
		mkdir -p "$cache/results" && cp "$out" "$cached"
	fi
}

if [ $suite = vfio ]; then
	out=${1:-$cache/selftests-vfio-last.tap}
	bin=$cache/selftests-vfio/$(basename "$kdir")
	if [ ! -s "$bin/programs" ]; then
		rm -rf "$bin.tmp"
		"$here/vfio-build.sh" "$src" "$kdir/headers/include" \
			"$bin.tmp" -static
		rm -rf "$bin" && mv "$bin.tmp" "$bin"
	fi
	# every program ran to its end (totals, "1..0 # SKIP" or KSFT_SKIP)
	ended() {
		[ "$(grep -c '^=== .* exit ' "$out")" = "$(wc -l <"$bin/programs")" ]
	}
	# VT-d's interrupt remapping needs the split irqchip (as
	# hw/crosscheck/q35.c hw_q35_intel_vtd()); the e1000e at 00:03.0 is
	# an RCiEP in a group of its own
	boot guest-vfio.sh selftests-vfio ended \
		-machine q35,kernel-irqchip=split \
		-device intel-iommu,intremap=on,caching-mode=on \
		-device e1000e,addr=03.0
	grep -E '^=== |^# Totals|^1\.\.0|^not ok|iommu_group' "$out" || true
	if ! ended; then
		echo "selftests: not every program ran to its end" >&2
		exit 1
	fi
	exit 0
fi

out=${1:-$cache/selftests-last.tap}
bin=$cache/selftests/$(basename "$kdir")
if [ ! -x "$bin/iommufd_fail_nth" ]; then
	mkdir -p "$bin.tmp"
	for t in iommufd iommufd_fail_nth; do
		# -D_GNU_SOURCE: MFD_HUGETLB (lib.mk's flags, minus make)
		${CC:-cc} -static -D_GNU_SOURCE -Wall -O2 -Wno-unused-function \
			-I"$kdir/headers/include" -I"$src/tools/testing/selftests" \
			-I"$src/tools/include" \
			-o "$bin.tmp/$t" "$src/tools/testing/selftests/iommu/$t.c" \
			-lcap -lpthread
	done
	rm -rf "$bin" && mv "$bin.tmp" "$bin"
fi
both_totals() { [ "$(grep -c '^# Totals' "$out")" = 2 ]; }
boot guest-run.sh selftests both_totals -machine q35
grep -E '^=== |^# Totals|^# FAILED|^not ok' "$out" || true
unknown=$(grep '^not ok' "$out" | grep -Evc "$KNOWN" || true)
totals=$(grep -c '^# Totals' "$out" || true)
if [ "$unknown" != 0 ] || [ "$totals" != 2 ]; then
	echo "selftests: $unknown unexpected failures, $totals of 2 totals" >&2
	exit 1
fi
