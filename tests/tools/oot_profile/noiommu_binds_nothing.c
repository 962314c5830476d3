// SPDX-License-Identifier: MIT
/*
 * noiommu_binds_nothing.c - an out-of-tree profile that overrides VFIO
 * hooks (struct iommu_profile_vfio_ops), built against the installed
 * libiommusim with pkg-config alone (tests/tools/profile-path.sh) and
 * loaded with `iommusim --profile-path`.
 *
 * Seed 001, [PATCH V3 07/10] "vfio: Enable cdev noiommu mode under
 * iommufd", drivers/vfio/iommufd.c @@ -25 and @@ -58: the pre-image it
 * removes,
 *	- // Returns 0 to permit device opening under noiommu mode
 *	- if (vfio_device_is_noiommu(vdev))
 *	-	return 0;
 * in vfio_df_iommufd_bind() and the matching early return in
 * vfio_df_iommufd_unbind(). Kept over Linux 7.3 (which narrowed it to
 * the group path, `df->group && vfio_device_is_noiommu(vdev)`), a noiommu
 * device opened through its cdev "binds" with no iommufd_device: the
 * question a reviewer asks of the hunk is what breaks without it, and
 * the diff against linux-7.3 answers (no device object in the ctx, the
 * attach that follows WARNs and fails). Everything else is linux-7.3's.
 */
#include <model/profile_api.h>

static const struct iommu_profile profile;

/* iommufd.c vfio_df_iommufd_bind() at seed 001 @@ -25's pre-image */
static int df_iommufd_bind(struct vfio_file *df)
{
	const struct iommu_profile_vfio_ops *base =
		iommu_profile_base_vfio_ops(&profile);

	if (vfio_device_is_noiommu(vfio_file_device(df)))
		return 0;
	return base->df_iommufd_bind(df);
}

/* iommufd.c vfio_df_iommufd_unbind() at seed 001 @@ -58's pre-image */
static void df_iommufd_unbind(struct vfio_file *df)
{
	const struct iommu_profile_vfio_ops *base =
		iommu_profile_base_vfio_ops(&profile);

	if (vfio_device_is_noiommu(vfio_file_device(df)))
		return;
	base->df_iommufd_unbind(df);
}

static const struct iommu_profile profile = {
	.name = "noiommu-binds-nothing",
	.summary = "seed 001 @@ -25/-58 pre-image kept: a noiommu device "
		   "file binds no iommufd_device, cdev or group",
	.base = "linux-7.3",
	.guest_runnable = false,
	.vfio = {
		.df_iommufd_bind = df_iommufd_bind,
		.df_iommufd_unbind = df_iommufd_unbind,
	},
};

IOMMUSIM_PROFILE_MODULE(profile);
