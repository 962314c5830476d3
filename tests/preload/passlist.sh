# shellcheck shell=sh
# tests/preload/passlist.sh, sourced by selftests.sh and
# vfio-selftests.sh: the must-pass list's check.
# passlist_check LIST LISTED PASSING: LISTED (the list's cases that ran,
# sorted) against PASSING (the model's passes, sorted); prints the
# regressions (returns 1 if any) and the new passes to add to LIST.
passlist_check() {
	regressed=$(comm -23 "$2" "$3")
	new=$(comm -13 "$2" "$3")
	if [ -n "$new" ]; then
		echo "passing now but not in $1 (add them):"
		echo "$new"
	fi
	if [ -n "$regressed" ]; then
		echo "listed as passing on the model but failing now:"
		echo "$regressed"
		return 1
	fi
}
