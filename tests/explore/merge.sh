#!/usr/bin/env bash
# tests/explore/merge.sh IOMMUSIM: `iommusim explore --merge` takes only
# whole records of one search, each shard once: a foreign file, a
# truncated record, a record of another search, a shard given twice or
# missing are bad input, each named at its file, line and column, exit 2;
# and a merge of one unsharded record is that search. Run from the root.
set -u
bin=$1
. tests/lib.sh
m=tests/explore/two-groups.scn
ops=iommu_paging_domain_alloc,iommu_domain_free,iommu_group_claim_dma_owner,iommu_group_release_dma_owner
for k in 0 1; do
	"$bin" explore $m --ops $ops --depth 3 --shard $k/2 --record "$tmp/s$k" >/dev/null 2>&1
done
"$bin" explore $m --ops $ops --depth 3 --record "$tmp/all" >"$tmp/one" 2>/dev/null
"$bin" explore $m --ops $ops --depth 2 --shard 1/2 --record "$tmp/other" >/dev/null 2>&1
expect_exit 0 "the two shards merge" "$bin" explore --merge "$tmp/s0" "$tmp/s1"
"$bin" explore --merge "$tmp/all" >"$tmp/merged"
c=$(grep -oE '^states [0-9]+, transitions [0-9]+, pruned [0-9]+' "$tmp/one")
has "$tmp/merged" "^merged 1 shards: $c, findings 0, depth reached 3\$"

# bad FILE... EXPECTED: exit 2, stderr names the place and what was expected
bad_input() {
	local what=$1 want=$2
	shift 2
	expect_exit 2 "$what" "$bin" explore --merge "$@"
	grep -qE -- "^iommusim explore: $want" "$tmp/err" && ok ||
		bad "$what: stderr '$(cat "$tmp/err")' does not match '$want'"
}
bad_input "a scenario, not a record" "$m:1:1: expected 'iommusim explore record 2'" "$tmp/s0" "$m"
head -n 7 "$tmp/s1" >"$tmp/cut"
bad_input "a record cut at a line's end" "$tmp/cut:7:[0-9]+: expected a line 'end' after this one, got the end of the file" "$tmp/s0" "$tmp/cut"
head -c 200 "$tmp/s1" >"$tmp/cut2"
bad_input "a record cut in a line" "$tmp/cut2:[0-9]+:[0-9]+: expected " "$tmp/s0" "$tmp/cut2"
bad_input "a record of another search" "$tmp/other:3:[0-9]+: expected 'depth=3' as $tmp/s0:3 has it, got 'depth=2'" "$tmp/s0" "$tmp/other"
bad_input "a shard given twice" "$tmp/s0:4:7: shard 0 of 2 again" "$tmp/s0" "$tmp/s1" "$tmp/s0"
bad_input "a shard missing" "$tmp/s0:3:[0-9]+: shards=2, but no record of shard 1" "$tmp/s0"
sed 's/^state \([0-9a-f]*\) 1 /state \1 x /' "$tmp/s0" >"$tmp/badnum"
bad_input "a depth that is not a number" "$tmp/badnum:[0-9]+:24: expected a decimal number, got 'x" "$tmp/badnum" "$tmp/s1"
expect_exit 2 "no file" "$bin" explore --merge
summary merge
