#!/usr/bin/env bash
# Build the kernel's own iommufd selftests (tools/testing/selftests/iommu:
# iommufd, iommufd_fail_nth) static against our kernel's uapi headers, run
# them in one guest boot (2 GB, hugepages; IOMMUFD_TEST's mock devices need
# no IOMMU), and print each one's TAP totals.
#   hw/selftests/run.sh [OUT]     OUT (default $cache/selftests-last.tap)
#                                 gets the TAP
# Exit 1 when a test fails that is not a known failure (KNOWN below) or a
# suite printed no totals.
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
# The TAP is cached by kernel, initramfs and guest script (IOMMUSIM_NO_CACHE=1
# boots anyway).
key=$(cat "$here/guest-run.sh" "$bin"/* <(echo "$kdir $base") |
	sha256sum | cut -c1-16)
cached=$cache/results/selftests-$key.tap
if [ -s "$cached" ] && [ "${IOMMUSIM_NO_CACHE:-0}" != 1 ]; then
	cp "$cached" "$out"
	echo "selftests: cached result (TAP in $out)"
else
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	cp "$bin"/* "$root/"
	cp "$here/guest-run.sh" "$root/run.sh"
	start=$(date +%s)
	IOMMUSIM_MEM=2G IOMMUSIM_TIMEOUT=1200 \
		"$hw/qemu/run.sh" "$kdir" "$base" "$root" "$out" -machine q35 ||
		true
	echo "selftests: booted and ran in $(($(date +%s) - start)) s (TAP in $out)"
	if [ "$(grep -c '^# Totals' "$out")" = 2 ]; then
		mkdir -p "$cache/results" && cp "$out" "$cached"
	fi
fi
grep -E '^=== |^# Totals|^# FAILED|^not ok' "$out" || true
unknown=$(grep '^not ok' "$out" | grep -Evc "$KNOWN" || true)
totals=$(grep -c '^# Totals' "$out" || true)
if [ "$unknown" != 0 ] || [ "$totals" != 2 ]; then
	echo "selftests: $unknown unexpected failures, $totals of 2 totals" >&2
	exit 1
fi
