#!/usr/bin/env bash
# tests/cli/teach.sh IOMMUSIM: issue 12 item 6 as a new user meets it,
# one block per behaviour: run --profile all/LIST, diff (only= skips,
# state, undeclared profile, a failing expectation, --format json), the
# guest=yes claim, crosscheck --show on bad input. From the source root.
set -u
bin=$1
. tests/lib.sh
two=scenarios/attach/attach-device-claimed-singleton.scn # linux-7.3, rfc
one=scenarios/ownership/device-claim-vs-kernel-driver.scn # linux-7.3

# run --profile all: one trace, a section per declared profile
"$bin" run --profile all "$two" >"$tmp/all" 2>&1
has "$tmp/all" "^== $two \(profile linux-7.3\)$"
has "$tmp/all" "^== $two \(profile rfc-2022-v1\)$"
"$bin" run --profile all --format tap "$two" >"$tmp/tap"
has "$tmp/tap" '^1\.\.30$'
"$bin" run --profile linux-7.3,rfc-2022-v1 --format json "$two" >"$tmp/list"
[ "$(grep -c '"summary":true' "$tmp/list")" = 2 ] && ok ||
	bad "a comma list: a summary per profile"
expect_exit 2 "--profile all,typo" "$bin" run --profile linux-7.3,nope "$two"
has "$tmp/err" "unknown profile 'nope'"

# the trace names domains by the scenario's handle, NULL one way ("none"),
# each device's domain in what changed, WARN as the kernel's condition
"$bin" run -v "$two" >"$tmp/v"
has "$tmp/v" '^        changed: group 1: domain \$d \(unmanaged\), default_domain DMA, owner_cnt 1, owner vfio, devices nic$'
has "$tmp/v" '^                nic: driver vfio-pci, group 1, domain default \(DMA\)$'
"$bin" run -v scenarios/iommufd/noiommu/bind-gets-dummy-igroup.scn >"$tmp/noiommu"
has "$tmp/noiommu" ' dev n group none hwpt 0$'
for f in "$two" scenarios/iommufd/noiommu/*.scn scenarios/attach/*.scn; do
	"$bin" run -v --profile all "$f" 2>/dev/null
done | grep -E '^ +(changed:|  +[a-z$])' >"$tmp/changed"
! grep -E 'NULL|domain#[0-9]+\(' "$tmp/changed" && ok ||
	bad "a state line spells NULL or names a labelled domain by number"
"$bin" run scenarios/ownership/unuse-default-domain-warns-at-zero.scn >"$tmp/warn"
has "$tmp/warn" 'why: +iommu_device_unuse_default_domain: WARN_ON\(!group->owner_cnt \|\| !xa_empty\(&group->pasid_array\)\)$'

# -v: the steps inside an operation (model/core/events.c): each device's
# attach_dev, the err_revert loop and the device it stopped at
"$bin" run -v scenarios/attach/attach-group-failure-reverts-moved-devices.scn >"$tmp/inside"
has "$tmp/inside" '^        inside: __iommu_group_set_domain_internal: group 1 from default \(DMA\) to \$d \(unmanaged\)$'
has "$tmp/inside" '^                  f1: attach_dev to \$d \(unmanaged\): EINVAL$'
has "$tmp/inside" '^                  err_revert: stopped at f1 \(EINVAL\); the devices before it go back to default \(DMA\)$'
has "$tmp/inside" '^                    f0: attach_dev to default \(DMA\): ok$'

# a DMA fault says where the walk stopped: level, entry, its bits
"$bin" run scenarios/amdv1/map-dma-unmap-paging-domain.scn >"$tmp/fault"
has "$tmp/fault" 'why: +amdv1_hw_translate: iova 0x10000 in \$d stopped at level 1, entry 0x3000000005000001 \(PR=1 NextLevel=0 IR=1 IW=0\): permission;'
has "$tmp/fault" 'why: +amdv1_hw_translate: iova 0x400000 in \$d stopped at level 2, entry 0x0000000000000000 \(PR=0 NextLevel=0 IR=0 IW=0\): not-present;'

# why each device is in its group, as pci_device_group() took it
"$bin" run -v scenarios/attach/attach-device-group-with-non-acs-root-port.scn >"$tmp/groups"
has "$tmp/groups" '^        inside: pci_device_group: rp0 in group 0: a new group: ACS isolates it and no alias shares one, walked from rp0$'
has "$tmp/groups" '^                pci_device_group: nvme0 in group 0: no ACS path up to rp0$'

# diff: only= steps are skipped, not differences; state beside results
"$bin" diff "$two" >"$tmp/diff"
has "$tmp/diff" '^     23  check_group .* only=linux-7\.3$'
has "$tmp/diff" '^           skipped under B \(only=\)$'
has "$tmp/diff" '^           B state: group 1: domain none,'
has "$tmp/diff" '^== 3 step\(s\) differ$'
expect_exit 2 "diff of a profile the file does not declare" \
	"$bin" diff --profiles linux-7.3,noiommu-v5 "$two"
has "$tmp/err" "does not declare profile 'noiommu-v5'"
expect_exit 2 "diff of a one-profile file" "$bin" diff "$one"
sed 's/=> linux-7.3:ok rfc-2022-v1:EBUSY/=> ok/' "$two" >"$tmp/fails.scn"
expect_exit 1 "diff when an expectation fails" "$bin" diff "$tmp/fails.scn"
expect_exit 0 "diff when every expectation holds" "$bin" diff "$two"
"$bin" diff --format json "$two" >"$tmp/diff.json"
python3 - "$tmp/diff.json" <<'PY' && ok || bad "diff --format json"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
steps = [r for r in rows if not r.get("summary")]
assert rows[-1] == {"summary": True, "differ": 3}, rows[-1]
s22 = next(r for r in steps if r["line"] == 22)
assert s22["differ"] and [p["result"] for p in s22["profiles"]] == ["ok", "EBUSY"]
s23 = next(r for r in steps if r["line"] == 23)
assert not s23["differ"] and s23["profiles"][1]["skipped"]
PY

# guest=yes: every step the cross-check cannot run, at once (exit 2)
if "$bin" 2>&1 | grep -q crosscheck && "$bin" crosscheck --help >/dev/null 2>&1; then
	cat >"$tmp/claim.scn" <<'SCN'
scenario guest=yes
iommu driver=amd-vi
pci_device name=a addr=02.0 untrusted=1
boot
inject iommu=iommu0 fail=attach dev=a count=1 => ok
sysfs_show
SCN
	expect_exit 2 "a false guest=yes claim" "$bin" run "$tmp/claim.scn"
	has "$tmp/err" "claim.scn:1:10: guest=yes, but the cross-check cannot run it"
	has "$tmp/err" '^  line 3: pci_device: untrusted: no QEMU equivalent$'
	has "$tmp/err" '^  line 5: inject is model-only$'
	has "$tmp/err" '^  line 6: sysfs_show: no guest equivalent yet'
	expect_exit 0 "a true guest=yes claim" "$bin" run "$one"
	# crosscheck --show on bad input: the message and exit 2, as run
	printf 'iommu driver=amd-vi\nboot\nnope\n' >"$tmp/bad.scn"
	expect_exit 2 "crosscheck --show on bad input" \
		env IOMMUSIM_QEMU=/bin/false "$bin" crosscheck --show "$tmp/bad.scn"
	has "$tmp/err" "^iommusim: $tmp/bad.scn:3:1: unknown verb 'nope'"
fi
summary cli:teach
