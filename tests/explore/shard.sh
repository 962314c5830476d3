#!/usr/bin/env bash
# tests/explore/shard.sh IOMMUSIM: three shards run by GNU parallel cover
# the same space as one unsharded search: the union of their --states
# files (iommusim explore --merge) counts the same states. Skipped (77)
# without GNU parallel (Debian package parallel). Run from the root.
set -u
bin=$1
. tests/lib.sh
command -v parallel >/dev/null || { echo "skip: no GNU parallel"; exit 77; }
m=tests/explore/two-groups.scn
ops=iommu_paging_domain_alloc,iommu_domain_free,iommu_group_claim_dma_owner,iommu_group_release_dma_owner,iommu_device_use_default_domain,iommu_device_unuse_default_domain
"$bin" explore $m --ops $ops --depth 3 --states "$tmp/all" >"$tmp/one" 2>/dev/null
parallel --will-cite "$bin" explore $m --ops $ops --depth 3 --shard {}/3 \
	--states "$tmp/s{}" ::: 0 1 2 >/dev/null 2>&1
"$bin" explore --merge "$tmp/s0" "$tmp/s1" "$tmp/s2" >"$tmp/merged"
one=$(sed -n 's/^states \([0-9]*\),.*/\1/p' "$tmp/one")
merged=$(sed -n 's/^merged 3 files: states \([0-9]*\)$/\1/p' "$tmp/merged")
[ -n "$one" ] && [ "$one" -gt 1 ] && ok || bad "no state count: $(cat "$tmp/one")"
[ "$one" = "$merged" ] && ok || bad "unsharded $one states, the shards' union $merged"
for k in 0 1 2; do
	n=$(wc -l <"$tmp/s$k")
	[ "$n" -lt "$one" ] && ok || bad "shard $k holds $n of $one states: not a partition"
done
summary shard
