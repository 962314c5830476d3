#!/usr/bin/env bash
# tests/trace/json-non-utf8-path.sh IOMMUSIM SCENARIO: the JSON trace stays
# valid UTF-8 (so valid JSON) when the file's name is not UTF-8: the byte
# becomes U+FFFD (cli/trace.c json_string()).
set -eu
bin=$1 scn=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
name=$dir/$'caf\xe9'.scn
cp "$scn" "$name"
"$bin" run --format json "$name" >"$dir/out.json"
iconv -f UTF-8 -t UTF-8 "$dir/out.json" >/dev/null
grep -q 'caf\\ufffd.scn' "$dir/out.json"
echo "ok: $(wc -l <"$dir/out.json") JSON lines, valid UTF-8"
