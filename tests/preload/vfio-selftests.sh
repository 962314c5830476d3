#!/bin/sh
# tests/preload/vfio-selftests.sh IOMMUSIM BINDIR OUTDIR: the kernel's own
# VFIO selftests (tools/testing/selftests/vfio of linux-source-7.3, built
# unmodified and dynamically linked for the host in BINDIR by
# hw/selftests/vfio-build.sh) run under `iommusim exec
# tests/preload/vfio.scn` on its vfio-pci device 0000:00:03.0, as
# hw/selftests/run.sh vfio runs the same sources static in the 7.3 guest.
#
# Asserts what the model honestly achieves today:
#  - each program ends by itself (no timeout, no signal);
#  - every case listed in vfio-selftests-pass.txt still passes, and (when
#    the guest's last TAP is there) passes in the guest too;
#  - every assertion the model fails at is one vfio-selftests-fail.txt
#    lists with its reason: a new kind of failure fails the test.
# Prints each program's totals and exit status beside the guest's, and
# the cases that now pass but are not listed (add them).
set -u
iommusim=$1
bin=$2
out=$3
bdf=0000:00:03.0
here=$(cd "$(dirname "$0")" && pwd)
list=$here/vfio-selftests-pass.txt
failspec=$here/vfio-selftests-fail.txt
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
guest=${IOMMUSIM_VFIO_GUEST_TAP:-$cache/selftests-vfio-last.tap}
# shellcheck source=tests/preload/passlist.sh
. "$here/passlist.sh"
mkdir -p "$out"
status=0
: >"$out/asserts"

# the totals line of a TAP, else its "1..0 # SKIP" plan, else none
totals() {
	sed -n -e 's/^# Totals: //p' -e 's/^\(1\.\.0 # SKIP.*\)/\1/p' "$1" |
		head -n 1
}
for t in $(cat "$bin/programs"); do
	timeout 300 "$iommusim" exec "$here/vfio.scn" -- "$bin/$t" "$bdf" \
		</dev/null >"$out/$t.tap" 2>"$out/$t.stderr"
	rc=$?
	if [ $rc -ge 124 ]; then
		echo "$t: did not end by itself (exit $rc)"
		tail -5 "$out/$t.stderr"
		status=1
	fi
	# libvfio's VFIO_ASSERT_*() and the harness's ASSERT_*() lines
	sed -n -e "s/^.*\/\([^/]*\.c:[0-9]*\): Assertion Failure.*/$t: \1/p" \
		-e "s/^# .*\/\([^/]*\.c:[0-9]*\):.*/$t: \1/p" \
		"$out/$t.stderr" "$out/$t.tap" >>"$out/asserts"
	real=none
	if [ -s "$guest" ]; then
		sed -n "/^=== $t\$/,/^=== $t exit/p" "$guest" >"$out/$t.guest.tap"
		real="$(totals "$out/$t.guest.tap") ($(sed -n \
			"s/^=== $t exit \([0-9]*\).*/exit \1/p" "$out/$t.guest.tap"))"
	fi
	echo "$t: model $(totals "$out/$t.tap") (exit $rc)"
	echo "$t: 7.3   $real"
done

# the model fails only where vfio-selftests-fail.txt says it may
sort -u "$out/asserts" >"$out/asserts.u"
grep -v '^#' "$failspec" | sed -n 's/^\([^ ]*: [^ ]*\).*/\1/p' | sort -u |
	comm -23 "$out/asserts.u" - >"$out/asserts.unknown"
if [ -s "$out/asserts.unknown" ]; then
	echo "the model fails at assertions $failspec does not list:"
	cat "$out/asserts.unknown"
	status=1
fi

# a skipped case prints "ok N name # SKIP why": not a pass
for t in $(cat "$bin/programs"); do cat "$out/$t.tap"; done |
	grep -v '# SKIP' |
	sed -n 's/^ok [0-9]* \([^ #]*\).*/\1/p' | sort -u >"$out/passing.txt"
grep -v '^#' "$list" | sed '/^$/d' | sort -u >"$out/listed.txt"
passlist_check "$list" "$out/listed.txt" "$out/passing.txt" || status=1
if [ -s "$guest" ]; then
	grep -v '# SKIP' "$guest" |
		sed -n 's/^ok [0-9]* \([^ #]*\).*/\1/p' | sort -u >"$out/guest.txt"
	notguest=$(comm -23 "$out/listed.txt" "$out/guest.txt")
	if [ -n "$notguest" ]; then
		echo "listed but not passing in the guest ($guest):"
		echo "$notguest"
		status=1
	fi
fi
echo "model: $(wc -l <"$out/passing.txt") cases pass, $(wc -l <"$out/listed.txt") listed"
exit $status
