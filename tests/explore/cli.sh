#!/usr/bin/env bash
# tests/explore/cli.sh IOMMUSIM: `iommusim explore` rediscovers the known
# linux-7.3 / rfc-2022-v1 differences on a two-function group from
# scratch, and each scenario it writes replays under `iommusim run` with
# the outcomes it states (exit 0 under both profiles); a noiommu device
# in userspace's hands is flagged in the summary. Run from the root.
set -u
bin=$1
. tests/lib.sh
m=tests/explore/two-function-group.scn
vs="--profile linux-7.3 --vs rfc-2022-v1"

# attach_device on a group of two: 7.3 EINVAL, the rfc attaches (no user)
expect_exit 1 "explore finds the attach difference" "$bin" explore $m $vs \
	--ops iommu_paging_domain_alloc,iommu_attach_device,iommu_detach_device \
	--depth 3 -o "$tmp/attach.scn"
has "$tmp/attach.scn" '^# found by iommusim explore, not kernel truth: a result finding after 2 steps'
has "$tmp/attach.scn" '^iommu_attach_device .*=> linux-7.3:EINVAL rfc-2022-v1:ok$'
# a claim: 7.3 blocks the group, the rfc leaves it without a domain
expect_exit 1 "explore finds the claim difference" "$bin" explore $m $vs \
	--ops iommu_group_claim_dma_owner,iommu_group_release_dma_owner,iommu_attach_device \
	--depth 3 -o "$tmp/claim.scn"
has "$tmp/claim.scn" 'a state finding after 1 steps'
has "$tmp/claim.scn" '^check_group dev=fa domain_type=none .*only=rfc-2022-v1$'
for f in attach claim; do
	for p in linux-7.3 rfc-2022-v1; do
		expect_exit 0 "$f.scn replays under $p" "$bin" run --profile $p "$tmp/$f.scn"
	done
done
# a random walk: the found difference shrunk, replayed, and the same
# seed writes the same file
walk="--random --steps 100 --seed 3 --ops iommu_paging_domain_alloc,iommu_attach_device,iommu_detach_device,iommu_group_claim_dma_owner,driver_bind,driver_unbind"
expect_exit 1 "a random walk finds a difference" "$bin" explore $m $vs $walk -o "$tmp/walk.scn"
expect_exit 1 "the same seed again" "$bin" explore $m $vs $walk -o "$tmp/walk2.scn"
cmp -s "$tmp/walk.scn" "$tmp/walk2.scn" && ok || bad "the same seed wrote a different walk"
for p in linux-7.3 rfc-2022-v1; do
	expect_exit 0 "walk.scn replays under $p" "$bin" run --profile $p "$tmp/walk.scn"
done
# --walk: the whole walk as a scenario, each step's outcome filled in,
# what `iommusim crosscheck` runs in the guest: it replays (exit 0) with
# every generated step, and a walk that ends in a finding is written
# whole before the finding is shrunk
quiet="--random --steps 40 --seed 5 --ops iommu_paging_domain_alloc,iommu_domain_free,iommu_device_use_default_domain,iommu_device_unuse_default_domain"
expect_exit 0 "a walk with no finding" "$bin" explore $m $quiet --walk "$tmp/quiet.scn"
has "$tmp/quiet.scn" '^# a random walk by iommusim explore, 40 steps from'
has "$tmp/quiet.scn" '^#   no finding$'
[ "$(grep -c ' => ' "$tmp/quiet.scn")" = 40 ] && ok || bad "quiet.scn: not 40 steps with outcomes"
expect_exit 0 "quiet.scn replays" "$bin" run "$tmp/quiet.scn"
expect_exit 1 "a walk ending in a difference" "$bin" explore $m $vs $walk --walk "$tmp/whole.scn"
has "$tmp/whole.scn" '^#   it ends in a .* finding'
[ "$(grep -c ' => ' "$tmp/whole.scn")" -gt "$(grep -c ' => ' "$tmp/walk.scn")" ] && ok ||
	bad "the written walk is not longer than its shrunk finding"
for p in linux-7.3 rfc-2022-v1; do
	expect_exit 0 "whole.scn replays under $p" "$bin" run --profile $p "$tmp/whole.scn"
done
# a hotplug at the address a device_del freed earlier on the walk: its
# outcomes come from replaying the steps as the search ran them (a file
# without outcomes keeps a removed device's address taken; it crashed)
printf 'scenario profiles=linux-7.3\niommu driver=amd-vi\npci_device name=nic addr=03.0\nboot\n' >"$tmp/hp.scn"
expect_exit 0 "a walk re-plugging a freed address" "$bin" explore "$tmp/hp.scn" --random --steps 6 --seed 3 --by-verb --ops pci_device,device_del --walk "$tmp/hpw.scn"
has "$tmp/hpw.scn" '^pci_device name=hp3 addr=04.0$'
expect_exit 0 "hpw.scn replays" "$bin" run "$tmp/hpw.scn"
# a walk that cannot move (no statement runs) is written where it stops
expect_exit 0 "a walk that cannot start" "$bin" explore $m --random --steps 5 --ops vfio_close --walk "$tmp/stuck.scn"
has "$tmp/stuck.scn" '^# a random walk by iommusim explore, 0 steps from'
expect_exit 0 "stuck.scn replays" "$bin" run "$tmp/stuck.scn"
expect_exit 2 "--walk without --random" "$bin" explore $m --ops iommu_paging_domain_alloc --walk "$tmp/x.scn"
# nothing differs where the two kernels agree: exit 0, counts printed
expect_exit 0 "no finding on use/unuse" "$bin" explore $m $vs \
	--ops iommu_device_use_default_domain,iommu_device_unuse_default_domain --depth 3
"$bin" explore $m $vs --depth 2 \
	--ops iommu_device_use_default_domain,iommu_device_unuse_default_domain >"$tmp/out"
has "$tmp/out" '^states [0-9]+, transitions [0-9]+, .* states/s'
# a noiommu device in userspace's hands: flagged in the summary, not a
# finding (model/reach.h); every state of this search has it
expect_exit 0 "unsafe reach is not a finding" "$bin" explore \
	tests/explore/noiommu-cdev.scn --ops IOMMU_IOAS_ALLOC,IOMMU_DESTROY \
	--depth 2
"$bin" explore tests/explore/noiommu-cdev.scn --ops IOMMU_IOAS_ALLOC,IOMMU_DESTROY \
	--depth 2 >"$tmp/unsafe"
has "$tmp/unsafe" '^unsafe reach: [1-9][0-9]* states where a device userspace holds reaches all memory with no IOMMU \(noiommu\), the kernel tainted$'
expect_exit 2 "an unknown verb is bad input" "$bin" explore $m --ops nosuch --depth 1
# IOMMU_TEST_CMD's commands, each a verb: an unknown one is bad input
# that lists them; a known one searches (selftest.c iommufd_test())
"$bin" explore tests/explore/viommu-mock.scn --ops IOMMU_TEST_CMD:NOSUCH \
	--depth 1 2>"$tmp/code"
has "$tmp/code" "^iommusim explore: --ops: 'IOMMU_TEST_CMD:NOSUCH': NOSUCH is not an op= of IOMMU_TEST_CMD \(expected one of: ADD_RESERVED, MOCK_DOMAIN, .*, DMABUF_REVOKE\)$"
expect_exit 2 "an unknown IOMMU_TEST_CMD op= is bad input" "$bin" explore \
	tests/explore/viommu-mock.scn --ops IOMMU_TEST_CMD:NOSUCH --depth 1
expect_exit 0 "IOMMU_TEST_CMD:TRIGGER_VEVENT searches" "$bin" explore \
	tests/explore/viommu-mock.scn --ops IOMMU_TEST_CMD:TRIGGER_VEVENT,iommufd_veventq_read \
	--depth 2
summary explore
