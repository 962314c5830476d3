#!/usr/bin/env bash
# The model's Kconfig resolver held against Kconfig itself: for every
# hw/kernel/vfio-*.config, what model/vfio/kconfig.c resolves its lines to
# (kconfig_resolve) must be what the Linux 7.3 tree's `make tinyconfig`,
# merge_config.sh of iommusim.config + the fragment and `make
# olddefconfig` give, symbol by symbol (absent from .config: n). Runs out
# of tree (O=) on the cached source, no kernel build: about 10 s a fragment.
#   kconfig-vs-kbuild.sh KCONFIG_RESOLVE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
resolve=$1
src=$("$root/hw/fetch-kernel-source.sh")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
for frag in "$root"/hw/kernel/vfio-*.config; do
	rm -rf "$out/o" && mkdir "$out/o"
	make -s -C "$src" O="$out/o" tinyconfig >"$out/log" 2>&1
	(cd "$out/o" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out/o" \
		.config "$root/hw/kernel/iommusim.config" "$frag") >>"$out/log" 2>&1
	make -s -C "$src" O="$out/o" olddefconfig >>"$out/log" 2>&1
	"$resolve" "$frag" >"$out/model"
	while IFS== read -r sym want; do
		got=$(sed -nE "s/^$sym=(.*)/\1/p; s/^# $sym is not set/n/p" \
			"$out/o/.config")
		if [ "${got:-n}" != "$want" ]; then
			echo "not ok: $(basename "$frag"): $sym: model $want," \
				"Kconfig ${got:-n}"
			fail=1
		fi
	done <"$out/model"
	[ $fail = 1 ] || echo "ok: $(basename "$frag")"
done
exit $fail
