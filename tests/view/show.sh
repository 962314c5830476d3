#!/usr/bin/env bash
# tests/view/show.sh IOMMUSIM: `iommusim show` draws the state the scenario
# implies. Expected labels come from the scenario files and the 7.3 code
# they cite, not from earlier output:
#  - ownership/device-claim-vs-kernel-driver.scn: e1000e's bind takes
#    owner_cnt 1 (iommu_device_use_default_domain()); the refused claim
#    changes nothing; the claim moves the group to its blocking domain with
#    owner vfio (__iommu_take_dma_ownership()).
#  - seed003/subgroup-acs-multifunction-vs-isolated.scn: f0/f1 (multifunction,
#    no ACS) share a group, g0 and g1 (ACS) do not (pci_device_group());
#    attaching $df to f0 fails under 7.3 (iommu_attach_device(): more than
#    one device) and moves the whole group under rfc-2022-v1; $dg lands on
#    g0's group.
set -u
bin=$1
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

# expect_line FILE REGEX...: some line of FILE matches every REGEX
expect_line() {
	local f=$1 l
	shift
	l=$(cat "$f")
	for re in "$@"; do l=$(grep -E -- "$re" <<<"$l"); done
	[ -n "$l" ] && ok || bad "$f: no line matching $*"
}
expect_none() {
	grep -qE -- "$2" "$1" && bad "$1: unexpected line matching $2" || ok
}
# the devices of each group cluster in a dot file, one cluster a line
clusters() {
	awk '/subgraph "cluster_/ { c = 1; line = ""; next }
	     c && /^  }/ { print line; c = 0; next }
	     c && /^    "dev_[^"]*" \[/ { sub(/^    "dev_/, ""); sub(/".*/, "");
	                                 line = line " " $0 }' "$1"
}

own=scenarios/ownership/device-claim-vs-kernel-driver.scn
"$bin" show --line 18 "$own" >"$tmp/bind.txt" || bad "show --line 18"
expect_line "$tmp/bind.txt" '^\*' 'nic ' 'driver: e1000e'
expect_line "$tmp/bind.txt" '^\*' 'iommu group' 'owner_cnt: 1' 'devices nic$'
"$bin" show --line 20 "$own" >"$tmp/refused.txt" || bad "show --line 20"
expect_none "$tmp/refused.txt" '^[*+-]'
"$bin" show --line 23 "$own" >"$tmp/claim.txt" || bad "show --line 23"
expect_line "$tmp/claim.txt" '^\*' 'domain: blocking' 'owner: vfio' \
	'owner_cnt: 1' 'devices nic$'
"$bin" show --line 23 --format dot "$own" >"$tmp/claim.dot" || bad "dot"
expect_line "$tmp/claim.dot" '"group_1" ' 'domain: blocking' 'fillcolor'
"$bin" show --line 23 --format svg -o "$tmp/claim.svg" "$own" || bad "svg"
expect_line "$tmp/claim.svg" '<svg'
expect_line "$tmp/claim.svg" '>owner: vfio<'
expect_line "$tmp/claim.svg" '>iommu group 1<'
"$bin" show --format png -o "$tmp/claim.png" "$own" || bad "png"
[ "$(head -c 4 "$tmp/claim.png" | tail -c 3)" = PNG ] && ok || bad "no PNG"

sub=scenarios/seed003/subgroup-acs-multifunction-vs-isolated.scn
"$bin" show --format dot "$sub" >"$tmp/sub.dot" || bad "show dot"
clusters "$tmp/sub.dot" >"$tmp/sub.clusters"
expect_line "$tmp/sub.clusters" '^ f0 f1$'
expect_line "$tmp/sub.clusters" '^ g0$'
expect_line "$tmp/sub.clusters" '^ g1$'
"$bin" show "$sub" >"$tmp/sub.txt" || bad "show text"
expect_line "$tmp/sub.txt" 'iommu group' 'domain: default' 'devices f0, f1$'
expect_line "$tmp/sub.txt" 'iommu group' 'domain: \$dg' 'devices g0$'
expect_line "$tmp/sub.txt" '└─ f1 ' 'multifunction no-ACS'
"$bin" show --profile rfc-2022-v1 "$sub" >"$tmp/rfc.txt" || bad "rfc"
expect_line "$tmp/rfc.txt" 'iommu group' 'domain: \$df' 'devices f0, f1$'
"$bin" show --line 34 "$sub" >"$tmp/alloc.txt" || bad "show --line 34"
expect_line "$tmp/alloc.txt" '^\+' '\$dg' 'unmanaged'
"$bin" show --line 35 --format svg -o "$tmp/sub.svg" "$sub" || bad "svg"
expect_line "$tmp/sub.svg" '>domain: \$dg<'

# bad input: exit 2 with the reason
"$bin" show --line 2 "$own" 2>"$tmp/err" && bad "line 2 accepted"
expect_line "$tmp/err" 'no statement on line 2'
expect_exit 2 "--format gif" "$bin" show --format gif "$own"
expect_exit 2 "bad file" "$bin" show tests/bad/duplicate-device.scn
expect_line "$tmp/err" 'tests/bad/duplicate-device.scn:[0-9]+:[0-9]+:'

summary show
