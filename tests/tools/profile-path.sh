#!/usr/bin/env bash
# tests/tools/profile-path.sh BUILD_DIR IOMMUSIM: a reviewer's own profile
# without rebuilding iommusim, overriding a core entry point and, further
# down, VFIO hooks. `cmake --install` into a temporary prefix,
# build tests/tools/oot_profile/null_on_failed_replace.c (seed 003's
# "leave the domain NULL on a failed replace") as a shared object with
# pkg-config alone, then load it with --profile-path into run, diff,
# corpus and explore, and diff it against linux-7.3 on the 7.3 scenario
# of a failed replace (scenarios/attach/replace-group-handle-failure-
# reverts.scn): 7.3 moves the devices back to the old domain
# (__iommu_group_set_domain_internal() err_revert), the delta leaves none.
set -u
build=$1
bin=$2
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
prefix=$tmp/prefix
name=null-on-failed-replace
scn=scenarios/attach/replace-group-handle-failure-reverts.scn

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 && ok ||
	{ bad "cmake --install"; cat "$tmp/install.log"; }
[ -e "$prefix/include/iommusim/model/profile_api.h" ] && ok ||
	bad "profile_api.h is not installed"
[ ! -e "$prefix/include/iommusim/model/profile.h" ] && ok ||
	bad "the model's private profile.h was installed"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# build_so NAME: tests/tools/oot_profile/NAME.c as $tmp/NAME.so, with
# nothing but the install's pkg-config
build_so() {
	cp "tests/tools/oot_profile/$1.c" "$tmp/"
	# shellcheck disable=SC2046
	(cd "$tmp" && cc -std=gnu11 -Wall -Werror -shared -fPIC -o "$1.so" \
		"$1.c" $(pkg-config --cflags --libs iommusim) \
		-Wl,-rpath,"$(pkg-config --variable=libdir iommusim)") \
		>"$tmp/$1.log" 2>&1 && ok || { bad "build $1"; cat "$tmp/$1.log"; }
}
# beside NAME FILE OUT: FILE, a 7.3 scenario, declaring NAME beside
# linux-7.3 (its expectations stay 7.3's, for every profile)
beside() {
	sed "s/^scenario profiles=linux-7.3 /scenario profiles=linux-7.3,$1 /" \
		"$2" >"$3"
}
build_so null_on_failed_replace
so=$tmp/null_on_failed_replace.so
load=(--profile-path "$so")
beside $name "$scn" "$tmp/reverts.scn"

# diff: the failed replace and the three checks after it differ
"$bin" "${load[@]}" diff --profiles linux-7.3,$name "$tmp/reverts.scn" \
	>"$tmp/diff" 2>&1
has "$tmp/diff" "^== 4 step\(s\) differ$"
has "$tmp/diff" "^<> +30  check_group dev=f0 domain=\\\$hwpt0 handle=\\\$hwpt0"
has "$tmp/diff" "A holds \| B domain: expected \\\$hwpt0, got none; handle: expected \\\$hwpt0, got none"
has "$tmp/diff" "B invariant broken: group 1 has no domain"
"$bin" --profile-path="$so" diff --all-profiles "$scn" >"$tmp/all" 2>&1
has "$tmp/all" "linux-7.3 .* $name"

# run: the 7.3 file holds under 7.3 and fails under the delta
expect_exit 0 "run under linux-7.3" "$bin" "${load[@]}" run "$scn"
expect_exit 1 "run under $name" "$bin" "${load[@]}" run --profile $name \
	"$tmp/reverts.scn"
expect_exit 2 "an unloaded profile is unknown" "$bin" run --profile $name \
	"$tmp/reverts.scn"
has "$tmp/err" "unknown profile '$name'"

# corpus: files naming the loaded profile; where no replace fails
# (iommufd's replace between two IOASes) the delta agrees with 7.3
mkdir "$tmp/c"
for f in scenarios/attach/replace-group-handle-from-core-domain.scn \
	scenarios/iommufd/attach/replace-to-another-ioas.scn; do
	beside $name "$f" "$tmp/c/$(basename "$f")"
done
"$bin" "${load[@]}" corpus "$tmp/c" >"$tmp/corpus" 2>&1 && ok ||
	{ bad "corpus with the loaded profile"; cat "$tmp/corpus"; }
has "$tmp/corpus" "^corpus: 2 files, 4 runs"
has "$tmp/corpus" "replace-to-another-ioas.scn +$name"

# explore: the delta in lock-step with 7.3 (nothing to find without a
# driver refusal: the search runs and agrees)
expect_exit 0 "explore --vs $name" "$bin" "${load[@]}" explore \
	--ops iommu_paging_domain_alloc,iommu_device_claim_dma_owner,iommu_attach_group_handle,iommu_replace_group_handle \
	--depth 2 --vs $name tests/explore/two-function-group.scn

# not a profile
expect_exit 2 "a scenario is not a profile" "$bin" --profile-path "$scn" run "$scn"
has "$tmp/err" "--profile-path $scn: not a profile"
expect_exit 2 "a library without the module symbol" "$bin" \
	--profile-path "$prefix/lib/libiommusim.so" run "$scn"
has "$tmp/err" "not a profile: no iommusim_profile_module symbol"
expect_exit 2 "the same profile twice" "$bin" "${load[@]}" "${load[@]}" run "$scn"
has "$tmp/err" "a profile named '$name' exists already"

# A VFIO hook out of tree: tests/tools/oot_profile/noiommu_binds_nothing.c
# keeps seed 001 @@ -25/-58's pre-image (vfio_df_iommufd_bind() returns 0
# for any noiommu device) through the struct iommu_profile_vfio_ops
# accessors of profile_api.h. On 7.3's noiommu cdev file (drivers/vfio/
# device_cdev.c, iommufd/device.c iommufd_bind_noiommu()) the bind still
# returns 0 but leaves no device object, so the attach hits
# vfio_iommufd_physical_attach_ioas()'s WARN_ON(!vdev->iommufd_device)
# (EINVAL) and the IOAS it should have held is destroyed at once.
vname=noiommu-binds-nothing
vscn=scenarios/vfio/cdev/noiommu-bind-attach-ioas.scn
build_so noiommu_binds_nothing
vload=(--profile-path "$tmp/noiommu_binds_nothing.so")
beside $vname "$vscn" "$tmp/vfio.scn"
"$bin" "${vload[@]}" diff --profiles linux-7.3,$vname "$tmp/vfio.scn" \
	>"$tmp/vdiff" 2>&1
has "$tmp/vdiff" "^== 6 step\(s\) differ$"
has "$tmp/vdiff" "^<> +15  VFIO_DEVICE_BIND_IOMMUFD "
has "$tmp/vdiff" "B state: iommufd \\\$ifd: ctx ids_taken 0 "
has "$tmp/vdiff" "^ +ok +EINVAL\+WARN$"
has "$tmp/vdiff" "B: +vfio_df_ioctl_attach_pt: WARN_ON\(!vdev->idev\)"
has "$tmp/vdiff" "A holds \| B expected EBUSY, got ok"
expect_exit 0 "the VFIO file under linux-7.3" "$bin" "${vload[@]}" run "$vscn"
expect_exit 1 "the VFIO file under $vname" "$bin" "${vload[@]}" run \
	--profile $vname "$tmp/vfio.scn"
# both modules at once, each a column of its own
"$bin" "${load[@]}" "${vload[@]}" diff --all-profiles "$vscn" \
	>"$tmp/vall" 2>&1
has "$tmp/vall" "linux-7.3 .* $name .* $vname"

summary profile-path
