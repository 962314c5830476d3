#!/usr/bin/env bash
# Build the guest kernel: Linux 7.3 (hw/fetch-kernel-source.sh) with
# tinyconfig + hw/kernel/iommusim.config [+ extra fragments given as
# arguments] and our built-in test driver (hw/kmod/). Prints the directory
# that holds bzImage, config and headers/ (the uapi headers for the agent).
#   hw/kernel/build.sh --arch arm64 [FRAGMENT...]
# cross-compiles the aarch64 guest's (gcc-aarch64-linux-gnu): ARCH=arm64
# tinyconfig + hw/kernel/arm64.config in place of iommusim.config, Image in
# place of bzImage, in a build copy of its own.
#
# Caches (root ${IOMMUSIM_CACHE:-$HOME/.cache/iommusim}):
#   kbuild/<version>[-arm64]/  one persistent build copy of the source tree,
#                              so a changed fragment or driver rebuilds
#                              incrementally; the cached source is never touched
#   kernel/<version>-<key>/    the result; key = sha256 of the fragments and
#                              the driver sources
#   kccache/                   ccache's objects of the kernel builds (capped
#                              at IOMMUSIM_KCCACHE_SIZE, 2G): the build copy
#                              is shared by all variants, so every variant
#                              switch recompiles what its symbols touch; after
#                              a driver change the 11 kernels find those
#                              objects here. Not the project's ccache/: a
#                              kernel round would evict the host build's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hw=$(dirname "$here")
cache=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
jobs=${IOMMUSIM_JOBS:-$(nproc)}

arch=x86
if [ "${1:-}" = --arch ]; then
	arch=$2
	shift 2
fi
case "$arch" in
x86)
	base=iommusim.config image=bzImage kbsuffix=
	# Options the harness cannot do without (merge_config only warns)
	need=(IOMMU_SUPPORT AMD_IOMMU INTEL_IOMMU IOMMUFD IOMMUFD_TEST
		IOMMUFD_NOIOMMU VFIO VFIO_GROUP VFIO_CONTAINER VFIO_DEVICE_CDEV
		VFIO_NOIOMMU VFIO_PCI GENERIC_PT IOMMU_PT IOMMU_PT_AMDV1 E1000
		E1000E DEBUG_FS BUG PCIEPORTBUS PCI_MMCONFIG SERIAL_8250_CONSOLE
		BLK_DEV_INITRD HUGETLBFS)
	;;
arm64)
	base=arm64.config image=Image kbsuffix=-arm64
	need=(IOMMU_SUPPORT ARM_SMMU_V3 ARM_GIC_V3_ITS PCI_MSI IOMMUFD
		IOMMUFD_TEST IOMMUFD_NOIOMMU VFIO VFIO_GROUP VFIO_CONTAINER
		VFIO_DEVICE_CDEV VFIO_NOIOMMU VFIO_PCI GENERIC_PT IOMMU_PT
		IOMMU_PT_AMDV1 DEBUG_FS BUG PCI_HOST_GENERIC PCIEPORTBUS
		SERIAL_AMBA_PL011_CONSOLE BLK_DEV_INITRD HUGETLBFS)
	export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	;;
*)
	echo "kernel: no guest kernel for --arch $arch" >&2
	exit 2
	;;
esac

src=$("$hw/fetch-kernel-source.sh")
ver=$(basename "$(dirname "$src")")
ver=${ver#linux-source-7.3_}
frags=("$here/$base" "$@")
kmod=("$hw"/kmod/*)
key=$(cat "${frags[@]}" "${kmod[@]}" | sha256sum | cut -c1-16)
out=$cache/kernel/$ver-$key
if [ -f "$out/$image" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache/kbuild"
exec 9>"$cache/kbuild/lock"
flock 9 # one kernel build at a time (2 cores)
if [ -f "$out/$image" ]; then
	echo "$out"
	exit 0
fi

kb=$cache/kbuild/$ver$kbsuffix
if [ ! -f "$kb/.copied" ]; then
	echo "kernel: copying $src to $kb" >&2
	rm -rf "$kb" "$kb.tmp"
	cp -a "$src" "$kb.tmp"
	touch "$kb.tmp/.copied"
	mv "$kb.tmp" "$kb"
fi

# The test driver is built in: drivers/iommu/ so that it can include
# iommu-priv.h; iommu.c.append (a read-only view of struct iommu_group) goes
# at the end of the copy's iommu.c. Copy only on change: incremental builds.
install_if_changed() { cmp -s "$1" "$2" || cp "$1" "$2"; }
for f in "$hw"/kmod/*.[ch]; do
	install_if_changed "$f" "$kb/drivers/iommu/$(basename "$f")"
done
[ -f "$kb/drivers/iommu/iommu.c.orig" ] ||
	cp -p "$src/drivers/iommu/iommu.c" "$kb/drivers/iommu/iommu.c.orig"
cat "$kb/drivers/iommu/iommu.c.orig" "$hw/kmod/iommu.c.append" >"$kb/iommu.c.new"
install_if_changed "$kb/iommu.c.new" "$kb/drivers/iommu/iommu.c"
rm -f "$kb/iommu.c.new"
for f in "$hw"/kmod/*.c; do
	o=$(basename "$f" .c).o
	grep -qx "obj-y += $o" "$kb/drivers/iommu/Makefile" ||
		echo "obj-y += $o" >>"$kb/drivers/iommu/Makefile"
done

# ccache through a masquerade directory first on PATH (gcc and
# ${CROSS_COMPILE}gcc linking to ccache, which runs the next one on PATH):
# the compiler's command lines stay what they were without it, so the build
# copy's objects do not all rebuild when ccache comes or goes (kbuild
# compares each object's command line, .cmd). Without ccache: plain gcc.
if ccache=$(command -v ccache); then
	cbin=$cache/kbuild/ccache-bin
	mkdir -p "$cbin"
	for c in gcc "${CROSS_COMPILE:-}gcc"; do
		[ -L "$cbin/$c" ] || ln -sf "$ccache" "$cbin/$c"
	done
	export PATH=$cbin:$PATH CCACHE_DIR=$cache/kccache
	export CCACHE_MAXSIZE=${IOMMUSIM_KCCACHE_SIZE:-2G} CCACHE_NOHASHDIR=true
	export CCACHE_BASEDIR=$kb
else
	echo "kernel: no ccache, compiling without it" >&2
fi

log=$cache/kbuild/build-$ver-$key.log
echo "kernel: building $ver-$key (log $log)" >&2
start=$(date +%s)
(
	cd "$kb"
	make -s tinyconfig
	scripts/kconfig/merge_config.sh -m .config "${frags[@]}"
	make -s olddefconfig
) >"$log" 2>&1 || {
	tail -n 30 "$log" >&2
	exit 1
}

# Options the harness cannot do without (need, above); with a
# variant fragment (arguments), VFIO's and IOMMUFD's are the variant's:
# every symbol it sets must hold as it says (absent from .config: n), or
# the kernel is not the combination it names (hw/crosscheck/kvariant.c).
sym_value() { # SYMBOL FILE: y, n or m as FILE sets it (last line wins)
	sed -nE "s/^CONFIG_$1=(.*)/\1/p; s/^# CONFIG_$1 is not set/n/p" "$2" |
		tail -n 1
}
variant_syms() { # the symbols the variant fragments set
	[ $# -eq 0 ] || sed -nE 's/^CONFIG_([A-Z0-9_]+)=.*/\1/p
		s/^# CONFIG_([A-Z0-9_]+) is not set/\1/p' "$@" | sort -u
}
vfio_variant=$(variant_syms "$@" | grep -cE '^(VFIO|IOMMUFD)' || true)
for o in "${need[@]}"; do
	[ "$vfio_variant" -gt 0 ] && [[ "$o" == VFIO* || "$o" == IOMMUFD* ]] &&
		continue
	grep -qx "CONFIG_$o=y" "$kb/.config" || {
		echo "kernel: CONFIG_$o is not y after olddefconfig" >&2
		exit 1
	}
done
cat "${frags[@]}" >"$kb/variant.config"
for s in $(variant_syms "$@"); do
	want=$(sym_value "$s" "$kb/variant.config")
	got=$(sym_value "$s" "$kb/.config")
	[ "${got:-n}" = "$want" ] || {
		echo "kernel: CONFIG_$s is ${got:-n} after olddefconfig," \
			"the variant asks $want" >&2
		exit 1
	}
done

[ -z "${ccache:-}" ] || ccache -z >/dev/null
(cd "$kb" && make -s -j"$jobs" "$image") >>"$log" 2>&1 || {
	grep -E 'error|Error' "$log" | head -n 20 >&2
	tail -n 20 "$log" >&2
	exit 1
}
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
(cd "$kb" && make -s headers_install INSTALL_HDR_PATH="$out.tmp/headers") \
	>>"$log" 2>&1
cp "$kb/arch/$arch/boot/$image" "$kb/.config" "$kb/System.map" "$out.tmp/"
mv "$out.tmp/.config" "$out.tmp/config"
echo "$(($(date +%s) - start))" >"$out.tmp/build-seconds"
rm -rf "$out" && mv "$out.tmp" "$out"
# the hits and misses of this build (kccache/ is this script's alone, one
# build at a time under the lock)
ccstat() { ccache --print-stats | awk -v k="$1" '$1 == k { print $2 }'; }
cc=
if [ -n "${ccache:-}" ]; then
	hits=$(($(ccstat direct_cache_hit) + $(ccstat preprocessed_cache_hit)))
	cc=" (ccache: $hits hits, $(ccstat cache_miss) misses)"
fi
echo "kernel: built in $(cat "$out/build-seconds")s$cc" >&2
echo "$out"
