#!/usr/bin/env bash
# tests/explore/shard.sh IOMMUSIM: three shards run by GNU parallel cover
# the same space as one unsharded search: the union of their --states
# files (iommusim explore --merge) counts the same states, whether the
# shards split the states first reached at depth 1 or at depth 2. Skipped (77)
# without GNU parallel (Debian package parallel). Run from the root.
set -u
bin=$1
. tests/lib.sh
command -v parallel >/dev/null || { echo "skip: no GNU parallel"; exit 77; }
m=tests/explore/two-groups.scn
ops=iommu_paging_domain_alloc,iommu_domain_free,iommu_group_claim_dma_owner,iommu_group_release_dma_owner,iommu_device_use_default_domain,iommu_device_unuse_default_domain
# depth 4: an alloc's handle is named after its step ($xd3), so a state
# one shard first meets deeper than the unsharded search would differ in
# its names: the visited set is keyed without them
"$bin" explore $m --ops $ops --depth 4 --states "$tmp/all" >"$tmp/one" 2>/dev/null
one=$(sed -n 's/^states \([0-9]*\),.*/\1/p' "$tmp/one")
[ -n "$one" ] && [ "$one" -gt 1 ] && ok || bad "no state count: $(cat "$tmp/one")"
for d in 1 2; do
	parallel --will-cite "$bin" explore $m --ops $ops --depth 4 --shard {}/3 \
		--shard-depth $d --states "$tmp/s{}" ::: 0 1 2 >/dev/null 2>&1
	"$bin" explore --merge "$tmp/s0" "$tmp/s1" "$tmp/s2" >"$tmp/merged"
	merged=$(sed -n 's/^merged 3 files: states \([0-9]*\)$/\1/p' "$tmp/merged")
	[ "$one" = "$merged" ] && ok ||
		bad "shard depth $d: unsharded $one states, the shards' union $merged"
	for k in 0 1 2; do
		n=$(wc -l <"$tmp/s$k")
		[ "$n" -lt "$one" ] && ok ||
			bad "shard $k holds $n of $one states: not a partition"
	done
done
summary shard
