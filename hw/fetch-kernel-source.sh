#!/usr/bin/env bash
# Fetch Debian's linux-source-7.3 without touching the machine's apt configuration
# (see ../shared/REFERENCE.md), and unpack it into a cache keyed by version.
# Prints the path of the unpacked tree on stdout.
set -euo pipefail
. "$(dirname "$0")/private-apt.sh"
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
apt_dir=$cache/apt
mkdir -p "$cache/src"

if ! ls "$cache"/src/linux-source-7.3_*/.unpacked >/dev/null 2>&1; then
	private_apt_init "$apt_dir" trixie-backports
	(cd "$apt_dir" && apt-get "${private_apt[@]}" -qq download linux-source-7.3 >&2)
	deb=$(ls -t "$apt_dir"/linux-source-7.3_*.deb | head -n 1)
	ver=$(dpkg-deb -f "$deb" Version)
	dest=$cache/src/linux-source-7.3_$ver
	rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
	dpkg-deb -x "$deb" "$dest.tmp/deb"
	tar -C "$dest.tmp" -xf "$dest.tmp"/deb/usr/src/linux-source-7.3.tar.xz
	rm -rf "$dest.tmp/deb" "$dest"
	mv "$dest.tmp" "$dest"
	touch "$dest/.unpacked"
fi
dir=$(ls -d "$cache"/src/linux-source-7.3_*/ | sort -V | tail -n 1)
echo "${dir%/}/linux-source-7.3"
