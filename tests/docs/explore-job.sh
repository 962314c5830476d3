#!/usr/bin/env bash
# tests/docs/explore-job.sh IOMMUSIM: docs/examples/explore-indexed-job.yaml
# parses as YAML (python3-yaml; skipped, 77, without it), holds an
# Indexed Job whose shard index is JOB_COMPLETION_INDEX of as many shards
# as it has completions, and the commands it runs are ones the CLI
# accepts: every shard K of its N run here on the manifest's own machine
# at depth 1, then the merge Job's command over their records, which must
# count all N shards and the whole search's states. Run from the root.
set -u
bin=$1
. tests/lib.sh
python3 -c 'import yaml' 2>/dev/null || { echo "skip: no python3 yaml"; exit 77; }
y=docs/examples/explore-indexed-job.yaml
python3 - "$y" "$tmp" <<'PY' && ok || bad "$y: not the indexed Job docs/explore.md describes"
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
cm = next(d for d in docs if d["kind"] == "ConfigMap")
def job(name):
    return next(d for d in docs if d["kind"] == "Job"
                and d["metadata"]["name"] == name)
spec = job("iommusim-explore")["spec"]
assert spec["completionMode"] == "Indexed", "not an indexed Job"
c = spec["template"]["spec"]["containers"][0]
env = {e["name"]: e["value"] for e in c.get("env", [])}
assert int(env["SHARDS"]) == spec["completions"], "SHARDS != completions"
cmd = c["args"][0]
assert "--shard ${JOB_COMPLETION_INDEX}/${SHARDS}" in cmd, "no shard index"
here = lambda s: (s.replace("/machine/", sys.argv[2] + "/")
                   .replace("/results/", sys.argv[2] + "/"))
# the shard command as shard K of N, here, at depth 1, writing under tmp
run = here(cmd.replace("${SHARDS}", env["SHARDS"])
              .replace("--depth 8", "--depth 1"))
merge = job("iommusim-explore-merge")["spec"]["template"]["spec"]
open(sys.argv[2] + "/M.scn", "w").write(cm["data"]["M.scn"])
open(sys.argv[2] + "/cmd", "w").write(run)
open(sys.argv[2] + "/merge", "w").write(here(merge["containers"][0]["args"][0]))
open(sys.argv[2] + "/shards", "w").write(env["SHARDS"])
PY
# the manifest's commands, with this build's iommusim first on PATH
mkdir -p "$tmp/bin" && ln -sf "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/iommusim"
n=$(cat "$tmp/shards")
for k in $(seq 0 $((n - 1))); do
	JOB_COMPLETION_INDEX=$k PATH="$tmp/bin:$PATH" sh -c "$(cat "$tmp/cmd")" 2>/dev/null && ok ||
		bad "the manifest's shard command failed as shard $k: $(cat "$tmp/cmd")"
done
has "$tmp/log-0.txt" '^states [0-9]+, transitions [0-9]+, '
has "$tmp/record-0.txt" '^iommusim explore record 2$'
PATH="$tmp/bin:$PATH" sh -c "$(cat "$tmp/merge")" && ok || bad "the manifest's merge failed: $(cat "$tmp/merge")"
# the whole search at depth 1 (the shard command without its shard)
one=$(sed -e 's/--shard [^ ]*//' -e 's/--record [^ ]*//' -e 's/>.*//' "$tmp/cmd")
PATH="$tmp/bin:$PATH" sh -c "$one" >"$tmp/one" 2>/dev/null
c=$(grep -oE '^states [0-9]+, transitions [0-9]+, pruned [0-9]+, findings [0-9]+, depth reached [0-9]+' "$tmp/one")
[ -n "$c" ] && ok || bad "no counts from the unsharded search: $one"
has "$tmp/merged.txt" "^merged $n shards: $c\$"
summary explore-job
