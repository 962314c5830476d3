#!/usr/bin/env bash
# Fetch Debian's linux-source-7.3 without touching the machine's apt configuration
# (see ../shared/REFERENCE.md), and unpack it into a cache keyed by version.
# Prints the path of the unpacked tree on stdout.
set -euo pipefail
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
apt_dir=$cache/apt
mkdir -p "$apt_dir/lists/partial" "$cache/src"

if ! ls "$cache"/src/linux-source-7.3_*/.unpacked >/dev/null 2>&1; then
	src=/etc/apt/sources.list.d/debian.sources
	uris=$(awk '/^URIs:/ {print $2; exit}' "$src")
	signed=$(awk '/^Signed-By:/ {print $2; exit}' "$src")
	cat >"$apt_dir/trixie-backports.sources" <<EOS
Types: deb
URIs: ${uris:-http://deb.debian.org/debian}
Suites: trixie-backports
Components: main
Signed-By: ${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}
EOS
	o=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir"
		-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
	mkdir -p "$apt_dir/cache/archives/partial"
	apt-get "${o[@]}" -qq update >&2
	(cd "$apt_dir" && apt-get "${o[@]}" -qq download linux-source-7.3 >&2)
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
