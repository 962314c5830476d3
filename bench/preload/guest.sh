#!/usr/bin/env bash
# bench/preload/guest.sh BUILD: the same ioctl loop (ioctl_loop.c), built
# static, in one boot of the 7.3 guest (hw/qemu/run.sh, QEMU TCG, under
# the guest lock), for the figure beside the shim's. ./build.sh bench
# runs it when IOMMUSIM_BENCH_GUEST=1 (a boot takes minutes under TCG,
# whose emulation the guest's figure includes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$1
hdr=$build/tests/unit/iommufd/linux-headers/include
root=$(mktemp -d)
out=$(mktemp)
trap 'rm -rf "$root" "$out"*' EXIT
${CC:-cc} -static -O2 -I"$hdr" -o "$root/iommusim-preload-bench" \
	"$here/ioctl_loop.c"
printf '#!/bin/sh\n/iommusim-preload-bench 2\nexit 0\n' >"$root/run.sh"
chmod +x "$root/run.sh"
kdir=$("$top/hw/kernel/build.sh")
base=$("$top/hw/initramfs/build.sh" "$kdir")
IOMMUSIM_TIMEOUT=300 flock /tmp/iommusim-guest.lock \
	"$top/hw/qemu/run.sh" "$kdir" "$base" "$root" "$out" -machine q35 ||
	true
sed 's/^preload:/guest (7.3, TCG):/' "$out" | grep '^guest'
