#!/usr/bin/env bash
# tests/explore/shard.sh IOMMUSIM: three shards run by GNU parallel cover
# the same space as one unsharded search, whether the shards split the
# states first reached at depth 1 or at depth 2: `iommusim explore
# --merge` of their records counts the same states, transitions, pruned
# steps and depth, and (under --vs rfc-2022-v1, going on past findings)
# reports the same findings at the same least lengths, each once, each
# written as a scenario `iommusim run` replays, whatever order the
# records are given in. Skipped (77) without GNU parallel (Debian
# package parallel). Run from the root.
set -u
bin=$1
. tests/lib.sh
command -v parallel >/dev/null || { echo "skip: no GNU parallel"; exit 77; }
m=tests/explore/two-groups.scn
ops=iommu_paging_domain_alloc,iommu_domain_free,iommu_group_claim_dma_owner,iommu_group_release_dma_owner,iommu_device_use_default_domain,iommu_device_unuse_default_domain
vsops=iommu_paging_domain_alloc,iommu_domain_free,iommu_group_claim_dma_owner,iommu_group_release_dma_owner,iommu_attach_device,iommu_detach_device

# the counts a search or a merge prints: states ... depth reached N
counts() { grep -oE '(^|: )states [0-9]+, transitions [0-9]+, pruned [0-9]+, findings [0-9]+, depth reached [0-9]+' "$1" | sed 's/^: //'; }
# each finding printed (found: KIND after N steps, its detail) on one
# line, the step numbers in handle names left out ($xd3 -> $xd), sorted
found() {
	awk '/^found: /{b=$0; on=1; next} /^wrote /{print b; on=0; next} on{b=b " | " $0}' "$1" |
		sed -E 's/\$x([a-z]+)[0-9]+/$x\1/g' | sort
}

# depth 4: an alloc's handle is named after its step ($xd3), so a state
# one shard first meets deeper than the unsharded search would differ in
# its names: the visited set is keyed without them
"$bin" explore $m --ops $ops --depth 4 >"$tmp/one" 2>/dev/null
one=$(counts "$tmp/one")
[ -n "$one" ] && ok || bad "no counts: $(cat "$tmp/one")"
for d in 1 2; do
	parallel --will-cite "$bin" explore $m --ops $ops --depth 4 --shard {}/3 \
		--shard-depth $d --record "$tmp/s{}" ::: 0 1 2 >/dev/null 2>&1
	expect_exit 0 "merge, shard depth $d" "$bin" explore --merge "$tmp/s0" "$tmp/s1" "$tmp/s2"
	"$bin" explore --merge "$tmp/s0" "$tmp/s1" "$tmp/s2" >"$tmp/merged"
	merged=$(counts "$tmp/merged")
	[ "$one" = "$merged" ] && ok ||
		bad "shard depth $d: unsharded '$one', merged '$merged'"
	all=$(echo "$one" | sed -E 's/^states ([0-9]+),.*/\1/')
	for k in 0 1 2; do
		n=$(grep -c '^state ' "$tmp/s$k")
		[ "$n" -lt "$all" ] && ok ||
			bad "shard $k holds $n of $all states: not a partition"
	done
done

# the flagged states (a noiommu device's unsafe reach; a break after an
# in-kernel caller's breach of VFIO's ownership) are counted in the
# records and merged as the unsharded search counts them
flagged() { grep -E '^(unsafe reach|caller.s breach): ' "$1"; }
for spec in "tests/explore/noiommu-cdev.scn IOMMU_IOAS_ALLOC,IOMMU_DESTROY,VFIO_DEVICE_DETACH_IOMMUFD_PT" \
	"tests/explore/vfio-type1.scn iommu_detach_group,iommu_attach_group"; do
	set -- $spec
	"$bin" explore $1 --ops $2 --depth 3 >"$tmp/fone" 2>/dev/null
	want=$(flagged "$tmp/fone")
	[ -n "$want" ] && ok || bad "$1: no flagged states: $(cat "$tmp/fone")"
	rm -f "$tmp"/g[0-9]
	parallel --will-cite "$bin" explore $1 --ops $2 --depth 3 --shard {}/3 \
		--shard-depth 2 --record "$tmp/g{}" ::: 0 1 2 >/dev/null 2>&1
	"$bin" explore --merge "$tmp/g0" "$tmp/g1" "$tmp/g2" >"$tmp/fm"
	[ "$want" = "$(flagged "$tmp/fm")" ] && ok ||
		bad "$1: unsharded '$want', merged '$(flagged "$tmp/fm")'"
done

# the same where VFIO and an iommufd hold the devices: the symmetric key
# names them by a canonical place there (model/core/state_canon.c), which
# depends on the state alone, so a shard keys a state as the unsharded
# search does
vm=tests/explore/two-vfio-devices.scn
vops=driver_bind,vfio_open,VFIO_DEVICE_BIND_IOMMUFD,vfio_close
"$bin" explore $vm --ops $vops --depth 4 >"$tmp/vfio1" 2>/dev/null
vone=$(counts "$tmp/vfio1")
[ -n "$vone" ] && ok || bad "no counts: $(cat "$tmp/vfio1")"
for d in 1 2; do
	parallel --will-cite "$bin" explore $vm --ops $vops --depth 4 --shard {}/3 \
		--shard-depth $d --record "$tmp/w{}" ::: 0 1 2 >/dev/null 2>&1
	"$bin" explore --merge "$tmp/w0" "$tmp/w1" "$tmp/w2" >"$tmp/wmerged"
	[ "$vone" = "$(counts "$tmp/wmerged")" ] && ok ||
		bad "VFIO, shard depth $d: unsharded '$vone', merged '$(counts "$tmp/wmerged")'"
done

# findings: two profiles in lock-step, past the first finding
vs="--vs rfc-2022-v1 --findings 100"
"$bin" explore $m --ops $vsops --depth 5 $vs -o "$tmp/u.scn" >"$tmp/vone" 2>/dev/null
found "$tmp/vone" >"$tmp/vone.found"
nf=$(wc -l <"$tmp/vone.found")
[ "$nf" -ge 4 ] && ok || bad "the unsharded search found $nf findings, 4 or more expected"
for d in 1 2; do
	rm -f "$tmp"/f*.scn "$tmp"/v[0-9] "$tmp"/mf*.scn "$tmp"/rf*.scn
	parallel --will-cite "$bin" explore $m --ops $vsops --depth 5 $vs --shard {}/3 \
		--shard-depth $d --record "$tmp/v{}" -o "$tmp/f{}.scn" ::: 0 1 2 >/dev/null 2>&1
	expect_exit 1 "merge of findings, shard depth $d" \
		"$bin" explore --merge "$tmp/v0" "$tmp/v1" "$tmp/v2" -o "$tmp/mf.scn"
	"$bin" explore --merge "$tmp/v0" "$tmp/v1" "$tmp/v2" -o "$tmp/mf.scn" >"$tmp/vm"
	[ "$(counts "$tmp/vone")" = "$(counts "$tmp/vm")" ] && ok ||
		bad "shard depth $d: unsharded '$(counts "$tmp/vone")', merged '$(counts "$tmp/vm")'"
	found "$tmp/vm" >"$tmp/vm.found"
	diff "$tmp/vone.found" "$tmp/vm.found" >"$tmp/diff" && ok ||
		bad "shard depth $d: the merged findings are not the unsharded ones (< unsharded, > merged): $(cat "$tmp/diff")"
	# the shards found more than the merge keeps: findings above the
	# shard depth in every shard, and some deeper than their least length
	inrec=$(grep -c '^finding ' "$tmp/v0" "$tmp/v1" "$tmp/v2" | awk -F: '{s += $2} END {print s}')
	[ "$inrec" -gt "$nf" ] && ok || bad "shard depth $d: the shards' $inrec findings, no duplicate to remove"
	nm=$(ls "$tmp"/mf*.scn | wc -l)
	[ "$nm" = "$nf" ] && ok || bad "shard depth $d: $nm scenarios written for $nf findings"
	for f in "$tmp"/mf*.scn; do
		want=0
		grep -qE '^# found by .*: a (invariant|isolation) finding' "$f" && want=1
		for p in linux-7.3 rfc-2022-v1; do
			expect_exit $want "$(basename "$f") (shard depth $d) replays under $p" \
				"$bin" run --profile $p "$f"
		done
	done
	# the order of the records changes nothing written or printed
	"$bin" explore --merge "$tmp/v2" "$tmp/v0" "$tmp/v1" -o "$tmp/rf.scn" >"$tmp/vr"
	# (/mf, not mf: $tmp's random name may hold "mf", which made this
	# fail once in a few hundred runs)
	diff <(grep -v ' s CPU$' "$tmp/vm" | sed 's|/mf|/rf|') <(grep -v ' s CPU$' "$tmp/vr") >/dev/null &&
		ok || bad "shard depth $d: the merge's output depends on the records' order"
	for f in "$tmp"/mf*.scn; do
		cmp -s "$f" "${f%/*}/rf${f##*/mf}" && ok || bad "shard depth $d: $(basename "$f") depends on the records' order"
	done
done
summary shard
