#!/usr/bin/env bash
# tests/valgrind-corpus.sh IOMMUSIM [DIR|FILE...]: the corpus (default
# scenarios/) under valgrind's memcheck, in one process per file; any
# error or leak fails (docs/testing.md). Part of ./build.sh longtest.
set -euo pipefail
bin=$1
shift
[ $# -gt 0 ] || set -- "$(dirname "$0")/../scenarios"
export G_SLICE=always-malloc G_DEBUG=gc-friendly
files=$(find "$@" -name '*.scn' | sort)
n=0 bad=0
start=$(date +%s)
for f in $files; do
	n=$((n + 1))
	if ! out=$(valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		"$bin" corpus "$f" 2>&1 >/dev/null); then
		bad=$((bad + 1))
		echo "valgrind: $f"
		echo "$out" | head -40
	fi
done
echo "valgrind over the corpus: $n files, $bad with errors or leaks, $(($(date +%s) - start)) s"
[ "$bad" -eq 0 ]
