#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   ./build.sh corpus   install what is missing, build, run every scenario on the model
#   ./build.sh test     install what is missing, build, run every test (ctest)
#   ./build.sh bench    install what is missing, build, print the benchmark figures
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${IOMMUSIM_BUILD:-$here/build}

# Debian packages the project needs (host build, unit tests, and the QEMU
# guest harness in hw/: kernel build, initramfs, qemu; qemu-system-x86 is
# Debian 12's 7.2, the fallback when hw/fetch-qemu.sh cannot fetch 10.0).
pkgs=(build-essential cmake pkg-config libglib2.0-dev libcmocka-dev
	clang-format bc bison flex libelf-dev libssl-dev cpio rsync
	busybox-static qemu-system-x86 libcap-dev xz-utils kmod
	graphviz chromium perl python3-jsonschema libedit-dev tmux) # view, repl, tests

install_missing() {
	local missing=()
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "build.sh: installing ${missing[*]}" >&2
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

configure_and_build() {
	cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$build" -j "$(nproc)"
}

cmd=${1:-}
case "$cmd" in
corpus)
	install_missing
	configure_and_build
	"$build/cli/iommusim" corpus "$here/scenarios"
	;;
test)
	install_missing
	# The Linux 7.3 source: the guest kernel and the AMDv1 kernel oracle
	# test need it; fetched once, cached (hw/fetch-kernel-source.sh).
	src=$("$here/hw/fetch-kernel-source.sh")
	# QEMU 10.0 from bookworm-backports, the guest harness's QEMU: fetched
	# and extracted once into the cache (hw/fetch-qemu.sh, ~10 s); without
	# it the harness falls back to Debian 12's 7.2 and says so.
	"$here/hw/fetch-qemu.sh" >/dev/null ||
		echo "build.sh: WARNING: no QEMU 10.0; the guest tests" \
			"run on Debian 12's QEMU 7.2" >&2
	configure_and_build -DIOMMUSIM_LINUX_SRC="$src"
	ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "${@:2}"
	;;
bench)
	install_missing
	configure_and_build
	"$build/bench/iommusim-bench" "$here/scenarios"
	;;
*)
	echo "usage: $0 corpus|test|bench" >&2
	exit 2
	;;
esac
