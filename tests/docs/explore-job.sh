#!/usr/bin/env bash
# tests/docs/explore-job.sh IOMMUSIM: docs/examples/explore-indexed-job.yaml
# parses as YAML (python3-yaml; skipped, 77, without it), holds an
# Indexed Job whose shard index is JOB_COMPLETION_INDEX of as many shards
# as it has completions, and the explore command it runs is one the CLI
# accepts: run here as shard 0 of its N on the manifest's own machine at
# depth 1. Run from the root.
set -u
bin=$1
. tests/lib.sh
python3 -c 'import yaml' 2>/dev/null || { echo "skip: no python3 yaml"; exit 77; }
y=docs/examples/explore-indexed-job.yaml
python3 - "$y" "$tmp" <<'PY' && ok || bad "$y: not the indexed Job docs/explore.md describes"
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
cm = next(d for d in docs if d["kind"] == "ConfigMap")
job = next(d for d in docs if d["kind"] == "Job"
           and d["metadata"]["name"] == "iommusim-explore")
spec = job["spec"]
assert spec["completionMode"] == "Indexed", "not an indexed Job"
c = spec["template"]["spec"]["containers"][0]
env = {e["name"]: e["value"] for e in c.get("env", [])}
assert int(env["SHARDS"]) == spec["completions"], "SHARDS != completions"
cmd = c["args"][0]
assert "--shard ${JOB_COMPLETION_INDEX}/${SHARDS}" in cmd, "no shard index"
# the command as shard 0 of N, here, at depth 1, writing under tmp
run = (cmd.replace("${JOB_COMPLETION_INDEX}", "0")
          .replace("${SHARDS}", env["SHARDS"])
          .replace("/machine/", sys.argv[2] + "/")
          .replace("/results/", sys.argv[2] + "/")
          .replace("--depth 8", "--depth 1"))
open(sys.argv[2] + "/M.scn", "w").write(cm["data"]["M.scn"])
open(sys.argv[2] + "/cmd", "w").write(run)
PY
# the manifest's command, with this build's iommusim first on PATH
mkdir -p "$tmp/bin" && ln -sf "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/iommusim"
PATH="$tmp/bin:$PATH" sh -c "$(cat "$tmp/cmd")" && ok || bad "the manifest's command failed: $(cat "$tmp/cmd")"
has "$tmp/log-0.txt" '^states [0-9]+, transitions [0-9]+, '
[ -s "$tmp/states-0.txt" ] && ok || bad "shard 0 wrote no --states file"
summary explore-job
