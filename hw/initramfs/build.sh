#!/usr/bin/env bash
# Build the guest's base initramfs: busybox-static, our init and the static
# agent (hw/agent/agent.c, compiled here against the kernel's uapi headers).
#   hw/initramfs/build.sh KERNEL_DIR      prints the path of base.cpio.gz
# For an arm64 kernel (KERNEL_DIR/Image, hw/kernel/build.sh --arch arm64)
# the agent is cross-compiled (aarch64-linux-gnu-gcc, libc6-dev-arm64-cross)
# and busybox is Debian's arm64 busybox-static (hw/fetch-busybox.sh).
# Cached under $cache/initramfs/<key>, key = sha256 of the agent source,
# init, busybox and the kernel directory name. A run's program is a second
# cpio appended to it (hw/qemu/run.sh): the kernel unpacks both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hw=$(dirname "$here")
kdir=$1
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
busybox=$(command -v busybox || echo /bin/busybox)
cc=${CC:-cc}
if [ -f "$kdir/Image" ]; then
	busybox=$("$hw/fetch-busybox.sh" arm64)
	cc=aarch64-linux-gnu-gcc
fi
test_h=$(dirname "$hw")/model/iommufd/iommufd_test.h # the agent includes it
key=$( (cat "$hw"/agent/* "$test_h" "$here/init" "$busybox"; basename "$kdir") |
	sha256sum | cut -c1-16)
out=$cache/initramfs/$key
if [ -f "$out/base.cpio.gz" ]; then
	echo "$out/base.cpio.gz"
	exit 0
fi
mkdir -p "$cache/initramfs"
exec 9>"$cache/initramfs/lock"
flock 9 # two crosschecks at once build it once
if [ -f "$out/base.cpio.gz" ]; then
	echo "$out/base.cpio.gz"
	exit 0
fi
rm -rf "$out.tmp" && mkdir -p "$out.tmp/root"/{bin,dev,proc,sys,tmp}
root=$out.tmp/root
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
$cc -static -O2 -Wall -I"$kdir/headers/include" -o "$root/agent" \
	"$hw"/agent/*.c
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 >"$out.tmp/base.cpio.gz"
rm -rf "$root"
rm -rf "$out" && mv "$out.tmp" "$out"
echo "$out/base.cpio.gz"
