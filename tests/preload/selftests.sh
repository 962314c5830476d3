#!/bin/sh
# tests/preload/selftests.sh IOMMUSIM BINDIR OUTDIR [PROGRAMS]: the
# kernel's own iommufd selftests (tools/testing/selftests/iommu/iommufd
# and iommufd_fail_nth of linux-source-7.3, built dynamically for the
# host in BINDIR) run unmodified under `iommusim exec
# tests/preload/selftest.scn`. PROGRAMS (default both; $IOMMUSIM_SELFTESTS
# overrides it) says which, to run one alone.
#
# Asserts what the model honestly achieves today:
#  - each binary runs to completion (each prints its TAP totals);
#  - every case listed in selftests-pass.txt (the model's passes when it
#    was last measured) that the programs run still passes: a regression
#    fails the test;
#  - the cases that fail are those selftests-fail.txt lists (the real 7.3
#    guest's failures), each with the same assertion lines (line numbers
#    and values), and the guest's last TAP, if any, still lists them.
# The programs' fd 0 is /dev/null, a character device as the guest's
# /dev/console is: the dmabuf cases map fd 0 (selftests-fail.txt says why).
# Prints the totals beside the real 7.3 guest's (the guest harness's
# last TAP, hw/selftests/run.sh, else ../shared/REFERENCE.md's figures),
# and the cases that now pass but are not listed (add them).
set -u
iommusim=$1
bin=$2
out=$3
programs=${IOMMUSIM_SELFTESTS:-${4:-iommufd iommufd_fail_nth}}
here=$(cd "$(dirname "$0")" && pwd)
scn=$here/selftest.scn
list=$here/selftests-pass.txt
failspec=$here/selftests-fail.txt
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
guest=$cache/selftests-last.tap
# shellcheck source=tests/preload/passlist.sh
. "$here/passlist.sh"
mkdir -p "$out"
status=0

for t in $programs; do
	timeout 600 "$iommusim" exec "$scn" -- "$bin/$t" </dev/null \
		>"$out/$t.tap" 2>"$out/$t.stderr"
	echo "$t: exit $? (TAP in $out/$t.tap)"
	if ! grep -q '^# Totals' "$out/$t.tap"; then
		echo "$t: did not run to completion (no TAP totals)"
		tail -5 "$out/$t.stderr"
		status=1
	fi
done

# the model's totals beside the guest's
for t in $programs; do
	model=$(grep '^# Totals' "$out/$t.tap" | sed 's/^# Totals: //')
	if [ -s "$guest" ]; then
		real=$(sed -n "/^=== $t\$/,/^=== $t exit/p" "$guest" |
			grep '^# Totals' | sed 's/^# Totals: //')
		src="guest TAP $guest"
	elif [ "$t" = iommufd ]; then
		real="pass:233 fail:8 xfail:0 xpass:0 skip:5 error:0"
		src="REFERENCE.md"
	else
		real="pass:8 fail:0 xfail:0 xpass:0 skip:0 error:0"
		src="REFERENCE.md"
	fi
	echo "$t: model  $model"
	echo "$t: 7.3    $real ($src)"
done

# "not ok CASE" and "PROGRAM.c:LINE:..." lines of program $1 in FILE...,
# in order (the harness's assertion lines go to stderr)
fail_lines() {
	p=$1
	shift
	sed -n -e "s/^not ok [0-9]* \([^ #]*\).*/not ok \1/p" \
		-e "s/^# .*\/$p\.c:\([0-9]*:.*\)/$p.c:\1/p" "$@"
}
# the model fails the guest's cases at the guest's lines
fails_ok=0
for t in $programs; do
	sed -n "s/^$t: //p" "$failspec" >"$out/$t.fail-expected"
	fail_lines "$t" "$out/$t.tap" >"$out/$t.fail-cases"
	fail_lines "$t" "$out/$t.stderr" >"$out/$t.fail-asserts"
	if ! grep '^not ok' "$out/$t.fail-expected" |
		diff -u - "$out/$t.fail-cases"; then
		echo "$t: the model fails other cases than $failspec lists"
		fails_ok=1
	fi
	if ! grep -v '^not ok' "$out/$t.fail-expected" |
		diff -u - "$out/$t.fail-asserts"; then
		echo "$t: the model's assertion lines differ from the guest's"
		fails_ok=1
	fi
	[ -s "$guest" ] || continue
	sed -n "/^=== $t\$/,/^=== $t exit/p" "$guest" >"$out/$t.guest.tap"
	if ! fail_lines "$t" "$out/$t.guest.tap" |
		diff -u "$out/$t.fail-expected" -; then
		echo "$t: $guest fails otherwise than $failspec says"
		fails_ok=1
	fi
done
if [ $fails_ok = 0 ]; then
	echo "model: the guest's failures, at its lines ($(grep -c ': not ok' \
		"$failspec") cases, $failspec)"
else
	status=1
fi

# every listed case passes still
# (a skipped case prints "ok N name # SKIP why": not a pass)
taps=$(for t in $programs; do echo "$out/$t.tap"; done)
# shellcheck disable=SC2086 # one path a word
cat $taps | grep -v '# SKIP' |
	sed -n 's/^ok [0-9]* \([^ #]*\).*/\1/p' | sort -u >"$out/passing.txt"
# shellcheck disable=SC2086
cat $taps | sed -n 's/^\(not \)\{0,1\}ok [0-9]* \([^ #]*\).*/\2/p' |
	sort -u >"$out/ran.txt"
# the listed cases of the programs that ran
grep -v '^#' "$list" | sed '/^$/d' | sort -u |
	comm -12 - "$out/ran.txt" >"$out/listed.txt"
passlist_check "$list" "$out/listed.txt" "$out/passing.txt" || status=1
echo "model: $(wc -l <"$out/passing.txt") cases pass, $(wc -l <"$out/listed.txt") listed"
exit $status
