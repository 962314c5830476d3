#!/usr/bin/env bash
# tests/tools/install.sh BUILD_DIR: `cmake --install` into a temporary
# prefix, then a program outside the tree (tests/tools/consumer) built
# against the installed copy with pkg-config alone, and run.
set -u
build=$1
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 && ok ||
	{ bad "cmake --install"; cat "$tmp/install.log"; }
for f in lib/libiommusim.so include/iommusim/iommusim.h \
	include/iommusim/model/iommu.h include/iommusim/model/pt/amdv1.h \
	include/iommusim/sim/run.h lib/pkgconfig/iommusim.pc; do
	[ -e "$prefix/$f" ] && ok || bad "not installed: $f"
done
# private headers stay private
[ -z "$(find "$prefix/include" -name '*_priv*.h' -o -name runner.h)" ] && ok ||
	bad "a private header was installed"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pkg-config --exists iommusim && ok || bad "pkg-config does not find iommusim"
cp tests/tools/consumer/consumer.c "$tmp/"
# shellcheck disable=SC2046
(cd "$tmp" && cc -std=gnu11 -Wall -o consumer consumer.c \
	$(pkg-config --cflags --libs iommusim) \
	-Wl,-rpath,"$(pkg-config --variable=libdir iommusim)") \
	>"$tmp/cc.log" 2>&1 && ok || { bad "build against the install"; cat "$tmp/cc.log"; }
"$tmp/consumer" >"$tmp/run.log" 2>&1 && ok || { bad "consumer failed"; cat "$tmp/run.log"; }
has "$tmp/run.log" '^consumer: libiommusim [0-9.]+ works$'
# it uses the installed copy, not the build tree
loaded=$(ldd "$tmp/consumer" | sed -n 's/.*libiommusim[^ ]* => \([^ ]*\) .*/\1/p')
[ -n "$loaded" ] && [ "$(readlink -f "$loaded")" = \
	"$(readlink -f "$prefix/lib/libiommusim.so")" ] && ok ||
	bad "consumer loads '$loaded', not the installed library"

summary install
