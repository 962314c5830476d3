#!/usr/bin/env bash
# The model's Kconfig resolver held against Kconfig itself: for every
# hw/kernel/vfio-*.config, what model/vfio/kconfig.c resolves its lines to
# (kconfig_resolve) must be what the Linux 7.3 tree's `make tinyconfig`,
# merge_config.sh of iommusim.config + the fragment and `make
# olddefconfig` give, symbol by symbol (absent from .config: n). Runs out
# of tree (O=) on the cached source, no kernel build: about 10 s a fragment.
# Kconfig's .config depends only on the tree and the two fragments, so it is
# kept in the cache under the hash of those (the model's side always runs).
#   kconfig-vs-kbuild.sh KCONFIG_RESOLVE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
resolve=$1
src=$("$root/hw/fetch-kernel-source.sh")
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}/kconfig
mkdir -p "$cache"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# kbuild_config FRAG: the .config Kconfig resolves iommusim.config + FRAG to
kbuild_config() {
	local key
	key=$( (echo "$src" && cat "$src/Makefile" \
		"$root/hw/kernel/iommusim.config" "$1") | sha256sum | cut -c1-16)
	if [ ! -s "$cache/$key.config" ]; then
		rm -rf "$out/o" && mkdir "$out/o"
		make -s -C "$src" O="$out/o" tinyconfig >"$out/log" 2>&1
		(cd "$out/o" && "$src/scripts/kconfig/merge_config.sh" -m \
			-O "$out/o" .config "$root/hw/kernel/iommusim.config" \
			"$1") >>"$out/log" 2>&1
		make -s -C "$src" O="$out/o" olddefconfig >>"$out/log" 2>&1
		cp "$out/o/.config" "$cache/$key.config.tmp"
		mv "$cache/$key.config.tmp" "$cache/$key.config"
	fi
	echo "$cache/$key.config"
}

fail=0
for frag in "$root"/hw/kernel/vfio-*.config; do
	config=$(kbuild_config "$frag")
	"$resolve" "$frag" >"$out/model"
	while IFS== read -r sym want; do
		got=$(sed -nE "s/^$sym=(.*)/\1/p; s/^# $sym is not set/n/p" \
			"$config")
		if [ "${got:-n}" != "$want" ]; then
			echo "not ok: $(basename "$frag"): $sym: model $want," \
				"Kconfig ${got:-n}"
			fail=1
		fi
	done <"$out/model"
	[ $fail = 1 ] || echo "ok: $(basename "$frag")"
done
exit $fail
