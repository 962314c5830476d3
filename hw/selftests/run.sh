#!/usr/bin/env bash
# Build the kernel's own iommufd selftests (tools/testing/selftests/iommu:
# iommufd, iommufd_fail_nth) static against our kernel's uapi headers, run
# them in one guest boot (2 GB, hugepages; IOMMUFD_TEST's mock devices need
# no IOMMU), and print each one's TAP totals.
#   hw/selftests/run.sh [OUT]     OUT (default a temp file) keeps the TAP
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hw=$(dirname "$here")
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
kdir=$("$hw/kernel/build.sh")
src=$("$hw/fetch-kernel-source.sh")
base=$("$hw/initramfs/build.sh" "$kdir")
out=${1:-$(mktemp)}

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
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp "$bin"/* "$root/"
cp "$here/guest-run.sh" "$root/run.sh"
start=$(date +%s)
IOMMUSIM_MEM=2G IOMMUSIM_TIMEOUT=1200 \
	"$hw/qemu/run.sh" "$kdir" "$base" "$root" "$out" -machine q35 || true
echo "selftests: booted and ran in $(($(date +%s) - start)) s (TAP in $out)"
grep -E '^=== |^# Totals|^# FAILED|^not ok' "$out" || true
