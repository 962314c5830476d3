#!/usr/bin/env bash
# Boot the guest once and print what the agent printed.
#   hw/qemu/run.sh KERNEL_DIR BASE_INITRAMFS PROGRAM OUT [QEMU ARG...]
# PROGRAM is the guest program (or a directory whose files go to / of the
# guest, e.g. run.sh for the selftests); it is appended to the base
# initramfs as a second cpio. The QEMU arguments describe the machine
# (hw/crosscheck/machine.c); the kernel command line is taken from
# $IOMMUSIM_CMDLINE. QEMU is $IOMMUSIM_QEMU, else the one hw/fetch-qemu.sh
# fetches (10.0 from bookworm-backports), else, saying so, Debian 12's.
# An arm64 kernel (KERNEL_DIR/Image: hw/kernel/build.sh --arch arm64) boots
# on qemu-system-aarch64 (the machine, virt, is in the QEMU arguments),
# console on the PL011 (ttyAMA0), always TCG.
# OUT gets the agent's output; OUT.console the whole
# console, OUT.dmesg the kernel log. Exit: the agent's exit code, 124 on
# timeout, 125 when the markers are missing.
set -euo pipefail
kdir=$1 base=$2 prog=$3 out=$4
shift 4
mem=${IOMMUSIM_MEM:-512M}
tmo=${IOMMUSIM_TIMEOUT:-300}
here=$(cd "$(dirname "$0")" && pwd)
qemu=${IOMMUSIM_QEMU:-}
kernel=$kdir/bzImage console=ttyS0 display=(-vga none)
if [ -f "$kdir/Image" ]; then
	kernel=$kdir/Image console=ttyAMA0 display=()
	[ -n "$qemu" ] || qemu=$("$here/../fetch-qemu.sh" aarch64)
fi
if [ -z "$qemu" ] && ! qemu=$("$here/../fetch-qemu.sh"); then
	echo "run.sh: WARNING: no QEMU 10.0 (hw/fetch-qemu.sh failed);" \
		"falling back to $(qemu-system-x86_64 --version | head -n 1)" >&2
	qemu=qemu-system-x86_64
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/root"
if [ -d "$prog" ]; then
	cp -a "$prog"/. "$work/root/"
else
	cp "$prog" "$work/root/program.txt"
fi
(cd "$work/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 >"$work/prog.cpio.gz"
cat "$base" "$work/prog.cpio.gz" >"$work/initrd"

# KVM only where a probe boot shows it works (on the machines this was
# written on the host's KVM hangs in early boot: REFERENCE.md). The verdict
# is cached per host kernel and QEMU; IOMMUSIM_KVM=0 or 1 skips the probe.
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
probe_kvm() {
	local verdict
	verdict=$cache/accel-$(uname -r)-$("$qemu" --version |
		head -n 1 | sha256sum | cut -c1-8)
	if [ ! -f "$verdict" ]; then
		mkdir -p "$cache" "$work/probe"
		echo inventory >"$work/probe/program.txt"
		(cd "$work/probe" && echo program.txt |
			cpio -o -H newc --quiet | gzip -1) >"$work/probe.cpio.gz"
		cat "$base" "$work/probe.cpio.gz" >"$work/probe.initrd"
		if timeout 20 "$qemu" -accel kvm -m 256M -nographic \
			-no-reboot -vga none -nodefaults -serial stdio \
			-kernel "$kdir/bzImage" -initrd "$work/probe.initrd" \
			-append "console=ttyS0 loglevel=3 panic=-1" </dev/null \
			2>/dev/null | grep -q '@@iommusim-rc 0@@'; then
			echo kvm >"$verdict"
		else
			echo tcg >"$verdict"
		fi
	fi
	cat "$verdict"
}
accel=tcg
case "${IOMMUSIM_KVM:-probe}" in
1) accel=kvm ;;
probe) [ -w /dev/kvm ] && [ "$console" = ttyS0 ] && accel=$(probe_kvm) ;;
esac
cmdline="console=$console loglevel=3 panic=-1 ${IOMMUSIM_CMDLINE:-}"
rc=0
timeout "$tmo" "$qemu" -accel "$accel" -m "$mem" -smp ${IOMMUSIM_SMP:-2} \
	-nographic -no-reboot "${display[@]}" -nodefaults -serial stdio \
	-kernel "$kernel" -initrd "$work/initrd" -append "$cmdline" \
	"$@" >"$out.console" 2>"$out.qemu-stderr" </dev/null || rc=$?
[ $rc -eq 124 ] && exit 124
# The firmware leaves escape sequences before the first marker: match
# markers anywhere on a line.
tr -d '\r' <"$out.console" >"$work/console"
awk '/@@iommusim-rc /{p=0} p{print} /@@iommusim-begin@@/{p=1}' \
	"$work/console" >"$out"
awk '/@@iommusim-end@@/{p=0} p{print} /@@iommusim-dmesg@@/{p=1}' \
	"$work/console" >"$out.dmesg"
agent_rc=$(sed -n 's/.*@@iommusim-rc \([0-9]*\)@@.*/\1/p' "$work/console")
[ -n "$agent_rc" ] || exit 125
exit "$agent_rc"
