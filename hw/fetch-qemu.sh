#!/usr/bin/env bash
# Fetch QEMU 10.0 from Debian's bookworm-backports without touching the
# machine's apt configuration (a private apt state directory, as
# fetch-kernel-source.sh does; ../shared/REFERENCE.md "A newer QEMU"), and
# extract its packages with dpkg-deb into a cache keyed by version:
#   hw/fetch-qemu.sh [x86_64]   $cache/qemu/qemu-system-x86_<version>/
#   hw/fetch-qemu.sh aarch64    $cache/qemu/qemu-system-arm_<version>/
# with every dependency the host does not satisfy extracted beside it
# (today: seabios >> 1.16.3, bookworm has 1.16.2). Prints the path of a
# wrapper, ROOT/bin/qemu-system-ARCH, that runs it with its own
# firmware (-L) and libraries; exits 1 (saying why) when it cannot, and
# the x86 harness then falls back to Debian 12's QEMU 7.2 (the aarch64
# guests have no fallback: Debian 12's qemu-system-arm is not installed).
set -euo pipefail
. "$(dirname "$0")/private-apt.sh"
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
apt_dir=$cache/apt-qemu
arch=${1:-x86_64}
case "$arch" in
x86_64) pkg=qemu-system-x86 ;;
aarch64) pkg=qemu-system-arm ;; # qemu-system-aarch64 is in it
*)
	echo "fetch-qemu.sh: no QEMU package for $arch" >&2
	exit 2
	;;
esac
pkgs=("$pkg" qemu-system-common qemu-system-data)

# Depends of @deb that the installed packages do not satisfy: "name" per
# line (alternatives: the first; virtual packages: left to the host).
unsatisfied() {
	dpkg-deb -f "$1" Depends | tr ',' '\n' | sed 's/|.*//' |
		while read -r name op ver; do
			op=${op#(} ver=${ver%)}
			inst=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null) ||
				inst=
			case "$op" in
			'') [ -n "$inst" ] || echo "$name" ;;
			*) { [ -n "$inst" ] &&
				dpkg --compare-versions "$inst" "$op" "$ver"; } ||
				echo "$name" ;;
			esac
		done | grep -v -x -e qemu-system-common -e qemu-system-data || true
}

wrapper() {
	mkdir -p "$1/bin"
	sed "s/@ARCH@/$arch/" >"$1/bin/qemu-system-$arch" <<'EOW'
#!/bin/sh
# QEMU from bookworm-backports (hw/fetch-qemu.sh) with its own firmware
# and any library it brought.
root=$(dirname "$(dirname "$(readlink -f "$0")")")
LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
	exec "$root/usr/bin/qemu-system-@ARCH@" -L "$root/usr/share/qemu" \
	-L "$root/usr/share/seabios" "$@"
EOW
	chmod +x "$1/bin/qemu-system-$arch"
}

fetch() {
	local deb ver dest extra
	private_apt_init "$apt_dir" bookworm-backports
	rm -rf "$apt_dir/debs" && mkdir -p "$apt_dir/debs"
	cd "$apt_dir/debs"
	apt-get "${private_apt[@]}" -qq download "${pkgs[@]}" >&2
	deb=$(ls "${pkg}"_*.deb)
	mapfile -t extra < <(unsatisfied "$deb")
	[ ${#extra[@]} -eq 0 ] ||
		apt-get "${private_apt[@]}" -qq download "${extra[@]}" >&2
	ver=$(dpkg-deb -f "$deb" Version)
	dest=$cache/qemu/${pkg}_${ver//:/_}
	rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
	for deb in *.deb; do
		dpkg-deb -x "$deb" "$dest.tmp"
	done
	wrapper "$dest.tmp"
	if ! "$dest.tmp/bin/qemu-system-$arch" --version >/dev/null; then
		echo "fetch-qemu.sh: QEMU $ver does not run here:" >&2
		LD_LIBRARY_PATH=$dest.tmp/usr/lib/x86_64-linux-gnu ldd \
			"$dest.tmp/usr/bin/qemu-system-$arch" | grep 'not found' >&2
		return 1
	fi
	rm -rf "$dest" && mv "$dest.tmp" "$dest"
	touch "$dest/.unpacked"
}

if ! ls "$cache/qemu/${pkg}"_*/.unpacked >/dev/null 2>&1; then
	mkdir -p "$cache/qemu"
	exec 9>"$cache/qemu/lock"
	flock 9
	ls "$cache/qemu/${pkg}"_*/.unpacked >/dev/null 2>&1 || fetch
fi
dir=$(ls -d "$cache/qemu/${pkg}"_*/ | sort -V | tail -n 1)
echo "${dir%/}/bin/qemu-system-$arch"
