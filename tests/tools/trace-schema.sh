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

for f in $(find scenarios tests/hw -name '*.scn' | sort); do
	profiles=$(sed -n 's/^scenario .*profiles=\([^ ]*\).*/\1/p' "$f")
	for p in ${profiles//,/ }; do
		"$bin" run --format json --profile "$p" "$f" >>"$tmp/corpus.jsonl"
	done
	[ -n "$profiles" ] || "$bin" run --format json "$f" >>"$tmp/corpus.jsonl"
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

# records that break the schema are refused, each for its own reason
line=$(grep -m1 '"class":"op".*"result":"ok".*"pass":true' "$tmp/corpus.jsonl")
printf '%s\n' "${line/\"pass\":true/\"pass\":\"yes\"}" \
	"${line/\"result\":\"ok\"/\"result\":null}" \
	"${line/\"line\":/\"lines\":}" \
	"${line/\}/,\"extra\":1\}}" \
	"${line/\"why\":null/\"why\":\"f: c\"}" \
	'{"summary":true,"file":"x","profile":"linux-7.3","steps":-1,"failed":0}' \
	'not json' >"$tmp/broken.jsonl"
validate "$tmp/broken.jsonl" >"$tmp/out" && bad "broken records accepted"
has "$tmp/out" '^7 records, 7 invalid$'

summary trace-schema
