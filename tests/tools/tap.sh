#!/usr/bin/env bash
# tests/tools/tap.sh IOMMUSIM: `iommusim run --format tap` is TAP 13 that
# prove (Debian's perl) accepts: one test point per statement, a failed
# expectation a "not ok" with its YAML block, an only= step a SKIP, bad
# input a "Bail out!".
set -u
bin=$1
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
tap="$bin run --format tap"

files="scenarios/ownership/device-claim-vs-kernel-driver.scn
scenarios/seed003/subgroup-acs-multifunction-vs-isolated.scn
scenarios/amdv1/map-dma-unmap-paging-domain.scn"
# one test point per statement (blank and comment lines are not)
want=0
for f in $files; do
	want=$((want + $(grep -cvE '^[[:space:]]*(#|$)' "$f")))
done
# shellcheck disable=SC2086
prove --exec "$tap" $files >"$tmp/prove" 2>&1 && ok || bad "prove failed"
has "$tmp/prove" '^All tests successful'
has "$tmp/prove" "Files=3, Tests=$want,"
# shellcheck disable=SC2086
$tap $files >"$tmp/all.tap" || bad "run --format tap"
has "$tmp/all.tap" '^TAP version 13$'
has "$tmp/all.tap" "^1\\.\\.$want\$"
has "$tmp/all.tap" "^ok $want - "
has "$tmp/all.tap" 'subgroup-acs.*:31 check_device .* # SKIP only= excludes linux-7.3$'

# a wrong expectation: 7.3's iommu_device_claim_dma_owner() refuses a claim
# while e1000e (a DMA-API driver) holds owner_cnt 1: -EPERM, not ok
sed 's/^iommu_device_claim_dma_owner dev=nic owner=vfio     => EPERM/iommu_device_claim_dma_owner dev=nic owner=vfio => ok/' \
	scenarios/ownership/device-claim-vs-kernel-driver.scn >"$tmp/wrong.scn"
$tap "$tmp/wrong.scn" >"$tmp/wrong.tap"
[ $? -eq 1 ] && ok || bad "a failed expectation: exit 1 expected"
has "$tmp/wrong.tap" '^not ok 8 - .*:20 iommu_device_claim_dma_owner'
has "$tmp/wrong.tap" '^  got: "EPERM"$'
has "$tmp/wrong.tap" '^  expected: "ok"$'
has "$tmp/wrong.tap" '^  why: "iommu_device_claim_dma_owner: '
prove --exec "$tap" "$tmp/wrong.scn" >"$tmp/prove" 2>&1 && bad "prove passed a failure" || ok
has "$tmp/prove" 'Failed: 1'

# bad input: TAP's bail out, exit 2
$tap tests/bad/duplicate-device.scn >"$tmp/bad.tap" 2>/dev/null
[ $? -eq 2 ] && ok || bad "bad input: exit 2 expected"
has "$tmp/bad.tap" '^Bail out! '

summary tap
