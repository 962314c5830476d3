#!/usr/bin/env bash
# tests/bad/check.sh IOMMUSIM FILE [fail-nth]: the file is bad input;
# iommusim run (or fail-nth, which must refuse what run refuses) must exit 2
# and print FILE:LINE:COL: MESSAGE as its "# expect-error:" line says.
set -u
bin=$1 file=$2 cmd=${3:-run}
want=$(sed -n 's/^# expect-error: //p' "$file")
profile=$(sed -n 's/^# run-profile: //p' "$file")
[ -n "$want" ] || { echo "no '# expect-error:' line in $file"; exit 1; }
if [ "$cmd" = fail-nth ]; then
	out=$("$bin" fail-nth "$file" 2>&1)
else
	out=$("$bin" run --strict ${profile:+--profile "$profile"} "$file" 2>&1)
fi
rc=$?
if [ "$rc" -ne 2 ]; then
	echo "expected exit 2, got $rc"; echo "$out"; exit 1
fi
if ! grep -qF -- "$file:$want" <<<"$out"; then
	echo "expected: $file:$want"; echo "got:      $out"; exit 1
fi
echo "ok: $out"
