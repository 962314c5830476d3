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
#  - vfio/cdev/attach-ioas-makes-auto-hwpt.scn: VFIO_DEVICE_ATTACH_IOMMUFD_PT with an IOAS
#    attaches through a new automatic paging HWPT (device.c
#    iommufd_device_attach(), hw_pagetable.c auto_domain) whose domain
#    becomes the group's; the bind put the device in an igroup of its
#    iommu group (iommufd_group_get()); the detach destroys the auto HWPT
#    (iommufd_hw_pagetable_put()).
#  - vfio/cdev/noiommu-get-pa-through-vfio-attach.scn: a noiommu device's igroup has a NULL
#    group (device.c iommufd_bind_noiommu()); its HWPT is the noiommu one
#    (hwpt_noiommu.c); its VFIO group is the fake noiommu-N, its cdev
#    noiommu-vfio0 (vfio_main.c vfio_device_set_noiommu_and_name()).
#  - vfio/cdev/group-path-and-cdev-of-two-devices.scn: /dev/vfio/0 set to the
#    container with type1v2 (vfio_group_ioctl_set_container(),
#    vfio_ioctl_set_iommu()); nic2's cdev bound to the iommufd
#    (vfio_df_ioctl_bind_iommufd()).
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

att=scenarios/vfio/cdev/attach-ioas-makes-auto-hwpt.scn
noi=scenarios/vfio/cdev/noiommu-get-pa-through-vfio-attach.scn
two=scenarios/vfio/cdev/group-path-and-cdev-of-two-devices.scn
"$bin" show --line 20 "$att" >"$tmp/att.txt" || bad "show att"
expect_line "$tmp/att.txt" '^\*' '\$ifd' 'iommufd, open, 3 objects'
expect_line "$tmp/att.txt" '\$ioas' 'IOAS 2' 'hwpts 1'
expect_line "$tmp/att.txt" '^\+' '\$hwpt' 'hwpt_paging, auto' 'domain: domain#3'
expect_line "$tmp/att.txt" 'igroup of group 0'
expect_line "$tmp/att.txt" '^\*' '\$id' 'nic, attached: \$hwpt'
expect_line "$tmp/att.txt" 'iommu group 0' 'domain: domain#3'
expect_line "$tmp/att.txt" '/dev/vfio/devices/vfio0' 'cdev of nic' 'bound'
"$bin" show --line 20 --format dot "$att" >"$tmp/att.dot" || bad "dot att"
expect_line "$tmp/att.dot" '"hwpt_0.3" -> "idev_0.1"' 'attached'
expect_line "$tmp/att.dot" '"ioas_0.2" -> "hwpt_0.3"'
expect_line "$tmp/att.dot" '"hwpt_0.3" -> "dom_3' 'domain'
expect_line "$tmp/att.dot" '"cdev_nic" -> "idev_0.1"' 'bound'
expect_line "$tmp/att.dot" '"hwpt_0.3" ' 'box3d' 'fillcolor="#dff5df"'
"$bin" show --line 20 --format svg -o "$tmp/att.svg" "$att" || bad "svg att"
expect_line "$tmp/att.svg" '>\$hwpt<'
expect_line "$tmp/att.svg" '>attached: \$hwpt<'
expect_line "$tmp/att.svg" '>igroup of group 0<'
"$bin" show --line 22 "$att" >"$tmp/det.txt" || bad "show det"
expect_line "$tmp/det.txt" '^- removed: \$hwpt$'
expect_line "$tmp/det.txt" '\$id' 'attached: none'

"$bin" show "$noi" >"$tmp/noi.txt" || bad "show noi"
expect_line "$tmp/noi.txt" 'igroup, NULL group' 'noiommu'
expect_line "$tmp/noi.txt" '\$h ' 'noiommu: translates nothing'
expect_line "$tmp/noi.txt" '/dev/vfio/noiommu-0' 'fake, noiommu'
expect_line "$tmp/noi.txt" '/dev/vfio/devices/noiommu-vfio0' 'bound'
"$bin" show --format svg -o "$tmp/noi.svg" "$noi" || bad "svg noi"
expect_line "$tmp/noi.svg" '>igroup, NULL group<'

"$bin" show "$two" >"$tmp/vfio.txt" || bad "show two"
expect_line "$tmp/vfio.txt" '^    /dev/vfio/0 ' 'open, container: fd [0-9]+$'
expect_line "$tmp/vfio.txt" '^    container fd [0-9]+ ' 'IOMMU: type1v2'
expect_line "$tmp/vfio.txt" '/dev/vfio/devices/vfio1' 'cdev of nic2' 'bound'
expect_line "$tmp/vfio.txt" '\$id' 'nic2, attached: none'
"$bin" show --format svg -o "$tmp/vfio.svg" "$two" || bad "svg two"
expect_line "$tmp/vfio.svg" '>/dev/vfio/0<'
expect_line "$tmp/vfio.svg" '>container fd [0-9]+<'
expect_line "$tmp/vfio.svg" '>/dev/vfio/devices/vfio1<'

# bad input: exit 2 with the reason
"$bin" show --line 2 "$own" 2>"$tmp/err" && bad "line 2 accepted"
expect_line "$tmp/err" 'no statement on line 2'
expect_exit 2 "--format gif" "$bin" show --format gif "$own"
expect_exit 2 "bad file" "$bin" show tests/bad/duplicate-device.scn
expect_line "$tmp/err" 'tests/bad/duplicate-device.scn:[0-9]+:[0-9]+:'

summary show
