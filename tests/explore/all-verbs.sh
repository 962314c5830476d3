#!/usr/bin/env bash
# tests/explore/all-verbs.sh IOMMUSIM: seeded random walks with every
# operation verb (`--ops all`) on each walk and explore machine
# (hw/walks, tests/explore) never crash the model: each ends with no
# finding (exit 0) or a finding (1), never bad input or a signal. Under
# the sanitized build (./build.sh asan runs every test again there) a
# use after free or a NULL dereference is a signal or ASan's exit. Such
# walks found three crashes on 2026-12-03 (each now a scenario: see
# docs/explore.md "Random walks"). Run from the source tree's root.
set -u
bin=$1
. tests/lib.sh
for m in hw/walks/*.scn tests/explore/*.scn; do
	for seed in 1 2; do
		"$bin" explore "$m" --random --steps 120 --seed $seed \
			--ops all >"$tmp/out" 2>&1
		rc=$?
		[ $rc -le 1 ] && ok || {
			bad "$m seed $seed: exit $rc"
			tail -5 "$tmp/out"
		}
	done
done
# the same verbs as a search: every statement of depth 1 on one machine
expect_exit 0 "a depth-1 search with every verb" "$bin" explore \
	hw/walks/cdev.scn --ops all --depth 1
# "all" is a word of its own, not a verb in a list
expect_exit 2 "all in a list is bad input" "$bin" explore \
	hw/walks/cdev.scn --ops all,driver_bind --depth 1
summary explore:all-verbs
