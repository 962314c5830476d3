#!/usr/bin/env bash
# tests/tools/trace-schema.sh IOMMUSIM: real JSON Lines traces (every
# scenario under each profile it declares, and a run with a failed
# expectation) are valid against docs/trace.schema.json, and records that
# break it are refused, so the check can fail.
set -u
bin=$1
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
py=/usr/bin/python3 # Debian's, with python3-jsonschema
validate() { "$py" tests/tools/validate_jsonl.py docs/trace.schema.json "$@"; }

# every file under each profile it declares (one run per profile, its
# files listed: a process per file cost 15 s under the sanitizers)
declare -A under
for f in $(find scenarios tests/hw -name '*.scn' | sort); do
	profiles=$(sed -n 's/^scenario .*profiles=\([^ ]*\).*/\1/p' "$f")
	for p in ${profiles:-default}; do
		for p in ${p//,/ }; do under[$p]+=" $f"; done
	done
done
for p in $(printf '%s\n' "${!under[@]}" | sort); do
	opt=(--profile "$p")
	[ "$p" = default ] && opt=()
	# shellcheck disable=SC2086 # the list is paths without spaces
	"$bin" run --format json "${opt[@]}" ${under[$p]} >>"$tmp/corpus.jsonl"
done
validate "$tmp/corpus.jsonl" >"$tmp/out" && ok || { bad "corpus"; cat "$tmp/out"; }

# a failed expectation fills failure and why
sed 's/owner=vfio     => EPERM/owner=vfio => ok/' \
	scenarios/ownership/device-claim-vs-kernel-driver.scn >"$tmp/wrong.scn"
"$bin" run --format json "$tmp/wrong.scn" >"$tmp/wrong.jsonl"
has "$tmp/wrong.jsonl" '"pass":false'
validate "$tmp/wrong.jsonl" >"$tmp/out" && ok || { bad "failure"; cat "$tmp/out"; }

# why, changes and inside are objects, not text (issue 12 item 6)
has "$tmp/corpus.jsonl" '"why":\[\{"function":"iommu_device_claim_dma_owner","condition":"group [0-9]+ is used by a kernel driver'
has "$tmp/corpus.jsonl" '"changes":\[\{"object":"group 1","state":"domain default \(DMA\), default_domain DMA,'
has "$tmp/corpus.jsonl" '\{"event":"revert_stop","device":"f1","from":"default \(DMA\)","to":null,"result":"EINVAL","reason":null,"via":null,"group":1\}'

# a dump step's table is data: tables, entries decoded (scenarios/amdv1/
# page-sizes-and-top-growth.scn: 4K at 0x1ff000 under the L0 table, the
# 2M leaf at 0x200000, a 64K NextLevel=7 run of 16 items, as iommu_map()
# of those sizes writes them in generic_pt's amdv1 format)
has "$tmp/corpus.jsonl" '"dump":\{"root":"0x[0-9a-f]+","mode":3,'
has "$tmp/corpus.jsonl" '\{"kind":"PTE","index":1,"items":1,"raw":"0x7000000040200001","va":"0x200000","next_level":0,"pa":"0x40200000","size":"0x200000","flags":\["IR","IW","FC"\]\}'
has "$tmp/corpus.jsonl" '\{"kind":"PTE","index":16,"items":16,"raw":"0x[0-9a-f]+","va":"0x10000","next_level":7,"pa":"0x7770000","size":"0x10000"'
# sixteen 4K maps with the PAs moving on: the dump shows [010], a run
# of the 14 between, [01f] (amdv1_dump.c: more than 8 of one shape)
{
	printf 'scenario profiles=linux-7.3\niommu driver=amd-vi\n'
	printf 'pci_device name=dev addr=03.0\nboot\n'
	printf 'iommu_paging_domain_alloc dev=dev out_domain=$d => ok\n'
	for i in $(seq 0 15); do
		printf 'iommu_map domain=$d iova=0x%x paddr=0x%x size=4K => ok\n' \
			$((0x10000 + i * 4096)) $((0x5000000 + i * 4096))
	done
	printf 'dump domain=$d => ok\n'
} >"$tmp/run.scn"
"$bin" run --format json "$tmp/run.scn" >"$tmp/run.jsonl" || bad "run.scn"
has "$tmp/run.jsonl" '\{"kind":"PTE","index":16,"items":1,"raw":"0x7000000005000001","va":"0x10000",'
has "$tmp/run.jsonl" '\{"kind":"run","index":17,"items":14,"entries":14,"step":"0x1000"\}'
has "$tmp/run.jsonl" '\{"kind":"PTE","index":31,"items":1,"raw":"0x700000000500f001","va":"0x1f000",'
validate "$tmp/run.jsonl" >"$tmp/out" && ok || { bad "run"; cat "$tmp/out"; }

# records that break the schema are refused, each for its own reason
line=$(grep -m1 '"class":"op".*"result":"ok".*"pass":true' "$tmp/corpus.jsonl")
printf '%s\n' "${line/\"pass\":true/\"pass\":\"yes\"}" \
	"${line/\"result\":\"ok\"/\"result\":null}" \
	"${line/\"line\":/\"lines\":}" \
	"${line/\}/,\"extra\":1\}}" \
	"${line/\"why\":null/\"why\":\"f: c\"}" \
	"${line/\"dump\":null/\"dump\":\"amdv1 root\"}" \
	'{"summary":true,"file":"x","profile":"linux-7.3","steps":-1,"failed":0}' \
	'not json' >"$tmp/broken.jsonl"
validate "$tmp/broken.jsonl" >"$tmp/out" && bad "broken records accepted"
has "$tmp/out" '^8 records, 8 invalid$'

summary trace-schema
