#!/usr/bin/env bash
# A static busybox for a guest of another architecture than the host's
# (the aarch64 guest's initramfs, hw/initramfs/build.sh): Debian 12's
# busybox-static for that architecture, downloaded through a private apt
# state directory (hw/private-apt.sh, nothing changed in the machine's apt
# configuration) and extracted into the cache:
#   hw/fetch-busybox.sh arm64     prints $cache/busybox/<arch>_<version>/busybox
set -euo pipefail
. "$(dirname "$0")/private-apt.sh"
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
arch=$1
apt_dir=$cache/apt-$arch

fetch() {
	local deb ver dest
	private_apt_init "$apt_dir" bookworm "$arch"
	rm -rf "$apt_dir/debs" && mkdir -p "$apt_dir/debs"
	cd "$apt_dir/debs"
	apt-get "${private_apt[@]}" -qq download "busybox-static:$arch" >&2
	deb=$(ls busybox-static_*.deb)
	ver=$(dpkg-deb -f "$deb" Version)
	dest=$cache/busybox/${arch}_${ver//:/_}
	rm -rf "$dest.tmp" && mkdir -p "$dest.tmp/deb"
	dpkg-deb -x "$deb" "$dest.tmp/deb"
	mv "$dest.tmp/deb/bin/busybox" "$dest.tmp/busybox"
	rm -rf "$dest.tmp/deb" "$dest" && mv "$dest.tmp" "$dest"
}

if ! ls "$cache/busybox/${arch}"_*/busybox >/dev/null 2>&1; then
	mkdir -p "$cache/busybox"
	exec 9>"$cache/busybox/lock"
	flock 9
	ls "$cache/busybox/${arch}"_*/busybox >/dev/null 2>&1 || fetch
fi
ls -d "$cache/busybox/${arch}"_*/busybox | sort -V | tail -n 1
