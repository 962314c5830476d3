#!/usr/bin/env bash
# hw/walks/run.sh [SEEDS [STEPS [OUT]]]: seeded random walks on each
# machine of hw/walks with its verbs (ops.txt), written with
# `iommusim explore --random --walk` and compared step by step with the
# real 7.3 kernel by `iommusim crosscheck` (README.md here). Run from the
# repository's root after a build; IOMMUSIM (default build/cli/iommusim);
# WALKS="cdev vtd" walks only those machines (default: every one);
# SEED0=N draws seeds N+1..N+SEEDS instead of 1..SEEDS (fresh walks).
set -eu
seeds=${1:-12} steps=${2:-200} out=${3:-build/walks}
bin=${IOMMUSIM:-build/cli/iommusim}
seed0=${SEED0:-0}
dir=$(dirname "$0")
mkdir -p "$out"
rm -f "$out"/w-*.scn
while read -r m ops; do
	case $m in '#'* | '') continue ;; esac
	case " ${WALKS:-$m} " in *" $m "*) ;; *) continue ;; esac
	for seed in $(seq $((seed0 + 1)) $((seed0 + seeds))); do
		# a walk ending in a finding (exit 1) is written whole too
		"$bin" explore "$dir/$m.scn" --random --steps "$steps" \
			--seed "$seed" --by-verb --ops "$ops" --walk "$out/w-$m-$seed.scn" \
			>/dev/null || [ $? = 1 ]
	done
done <"$dir/ops.txt"
"$bin" crosscheck "$out"/w-*.scn >"$out/crosscheck.txt" 2>&1 || true
grep '^total:' "$out/crosscheck.txt"
grep -Eq '^total: ([0-9]+) files, \1 guest-runnable, .* 0 disagree, .* 0 without guest result$' "$out/crosscheck.txt"
