#!/bin/sh
# tests/preload/exec.sh IOMMUSIM CASE [ARG]: one behaviour of `iommusim
# exec` (cli/exec.c, preload/) per CASE; exit 0 when it holds.
set -u
iommusim=$1
case=$2
here=$(cd "$(dirname "$0")" && pwd)
scn=$here/noiommu.scn
out=$(mktemp)
trap 'rm -f "$out"' EXIT

case $case in
static-binary-refused-exit-2)
	# $3: a statically linked program
	"$iommusim" exec "$scn" -- "$3" >"$out" 2>&1
	rc=$?
	cat "$out"
	[ "$rc" = 2 ] && grep -q "is statically linked" "$out"
	;;
bad-scenario-exit-2-names-line)
	bad=$(mktemp --suffix=.scn)
	printf 'pci_device name=n addr=03.0\nno_such_verb x=1\n' >"$bad"
	"$iommusim" exec "$bad" -- /bin/true >"$out" 2>&1
	rc=$?
	rm -f "$bad"
	cat "$out"
	[ "$rc" = 2 ] && grep -q "\.scn:2:" "$out"
	;;
other-paths-pass-through)
	# the shell, ls and cat are served only for the model's paths
	"$iommusim" exec "$scn" -- sh -c \
		'ls /dev/vfio/devices; cat /sys/kernel/iommu_groups/0/name; test -r /etc/passwd && echo passwd' \
		>"$out" 2>&1
	rc=$?
	cat "$out"
	[ "$rc" = 0 ] && [ "$(cat "$out")" = "noiommu-vfio0
vfio-noiommu
passwd" ]
	;;
exec-in-place-is-served)
	# an exec()'d image has the pid of the one before, whose shadow tree
	# its forked children may still read: it builds one of its own (it
	# once found the pid's taken and exited 2); the served fd it inherits
	# without close-on-exec is its own (preload/inherit.c), not refused
	"$iommusim" exec "$scn" -- sh -c \
		'ls /dev/vfio/devices; exec 3<>/dev/iommu; exec ls /dev/vfio/devices' \
		>"$out" 2>&1
	rc=$?
	cat "$out"
	[ "$rc" = 0 ] && [ "$(cat "$out")" = "noiommu-vfio0
noiommu-vfio0" ]
	;;
exit-status-is-the-programs)
	"$iommusim" exec "$scn" -- sh -c 'exit 7'
	[ $? = 7 ]
	;;
shadow-tree-removed)
	tmp=$(mktemp -d)
	TMPDIR=$tmp "$iommusim" exec "$scn" -- ls /dev/vfio >/dev/null
	left=$(ls -A "$tmp")
	rmdir "$tmp"
	[ -z "$left" ]
	;;
fault-injection-files)
	# debugfs's fault attributes (written, not read) and fail-nth, which
	# reads the model's knob: 0 when not armed; a write arms it
	"$iommusim" exec "$scn" -- sh -c \
		'ls /sys/kernel/debug; cat /sys/kernel/debug/failslab/times; echo N > /sys/kernel/debug/failslab/ignore-gfp-wait && cat /proc/self/fail-nth && echo 3 > /proc/self/fail-nth && echo armed; echo x > /proc/self/fail-nth || echo refused' \
		>"$out" 2>&1
	rc=$?
	cat "$out"
	[ "$rc" = 0 ] && [ "$(grep -v '^sh: ' "$out")" = "fail_iommufd
fail_page_alloc
failslab
1
0
armed
refused" ]
	;;
*)
	echo "unknown case $case" >&2
	exit 2
	;;
esac
