# tests/lib.sh: what the shell tests (tests/view, tests/tools) share. Sourced from the
# source tree's root; $tmp is removed on exit.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# has FILE REGEX: some line of FILE matches
has() { grep -qE -- "$2" "$1" && ok || bad "$1: nothing matches $2"; }
# expect_exit WANT WHAT COMMAND...: COMMAND exits WANT (stderr to $tmp/err)
expect_exit() {
	local want=$1 what=$2
	shift 2
	"$@" >/dev/null 2>"$tmp/err"
	local rc=$?
	[ "$rc" -eq "$want" ] && ok || bad "$what: exit $want expected, got $rc"
}
# summary NAME: the closing line ctest shows, and the status
summary() {
	echo "$1: $passes passed, $fails failed"
	[ "$fails" -eq 0 ]
}
