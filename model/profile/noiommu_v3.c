// SPDX-License-Identifier: MIT
/*
 * noiommu_v3.c - "[PATCH V3 07/10] vfio: Enable cdev noiommu mode under
 * iommufd" (Jacob Pan, 2026-04-03; ../shared/seeds/001) as posted, over
 * Linux 7.3's drivers/vfio. Hunk by hunk:
 *
 *  Kconfig @@ -22 VFIO_DEVICE_CDEV: help text only.
 *  Kconfig @@ -63 VFIO_NOIOMMU: `depends on VFIO_GROUP`, `depends on
 *      !GENERIC_ATOMIC64`, `depends on IOMMU_SUPPORT`, selects GENERIC_PT,
 *      IOMMU_PT, IOMMU_PT_AMDV1. 7.3 allows it without VFIO_GROUP (cdev
 *      only) and with GENERIC_ATOMIC64 (group only), and needs a
 *      container with VFIO_GROUP; v3 the reverse. Overridden
 *      (noiommu_depends). IOMMU_SUPPORT is y on every machine the model
 *      has (x86 with an IOMMU driver), and the selected page-table
 *      symbols have no model counterpart (the AMDv1 table is built in).
 *  iommufd.c @@ -25 / -58 vfio_df_iommufd_bind() / _unbind(): the noiommu
 *      short-circuits go; v3 binds (and unbinds) every device, 7.3 still
 *      skips a noiommu device opened through the group path with an
 *      iommufd compat container ("needs no device binding"). Overridden.
 *  vfio.h @@ -376 vfio_device_add() / _del(): no device_add()-only path
 *      for noiommu: a cdev always, its devt left to
 *      vfio_init_device_cdev() (not quoted: 7.3's, which gives a noiommu
 *      device one exactly when IOMMUFD_NOIOMMU) -- 7.3's code.
 *  vfio_main.c @@ -332 __vfio_register_dev(): vfio_device_set_group()
 *      first, then dev_set_name("%svfio%d", device->noiommu ?
 *      "noiommu-" : ""), whose failure now unwinds the group (goto
 *      err_out). 7.3 names first (vfio_device_set_noiommu_and_name()).
 *      Overridden (register_dev). Where device->noiommu is set is not
 *      quoted: 7.3's rule, before the group.
 *  vfio_main.c @@ -358 and @@ -392: a noiommu device without a group
 *      skips vfio_device_group_register() and, at unregistration, the
 *      wait for its users. Unreachable in v3: its VFIO_NOIOMMU needs
 *      VFIO_GROUP, and 7.3's vfio_noiommu_group_alloc() always gives a
 *      group (v1's NULL group, seed 004, is not in this seed). Written
 *      in register_dev for the record; the unregistration is 7.3's.
 *  include/linux/vfio.h @@ -329 / -339 vfio_device_has_group(): device->
 *      group, false without VFIO_GROUP.
 *
 * Not in the seed, so 7.3's: device->noiommu (V3 06/10), IOMMUFD_NOIOMMU
 * and what selects it, vfio_init_device_cdev(), the iommufd side.
 */
#include "../vfio/vfio_private.h"

/* drivers/vfio/Kconfig `config VFIO_NOIOMMU`, @@ -63 */
static bool noiommu_depends(const bool *y, const char **dep)
{
	*dep = "VFIO_GROUP && !GENERIC_ATOMIC64 && IOMMU_SUPPORT "
	       "(noiommu-v3)";
	return y[KS_VFIO] && y[KS_VFIO_GROUP] && !y[KS_GENERIC_ATOMIC64];
}

/* include/linux/vfio.h vfio_device_has_group(), @@ -329 */
static bool vfio_device_has_group(const struct vfio_device *vdev)
{
	return vdev->vfio->cfg.y[KS_VFIO_GROUP] && vdev->group;
}

/* vfio_main.c __vfio_register_dev(), @@ -332 and @@ -358 */
static int register_dev(struct vfio_device *vdev)
{
	int ret;

	vfio_device_set_noiommu(vdev); /* not quoted: 7.3's, before */
	ret = vfio_device_set_group(vdev, VFIO_IOMMU);
	if (ret)
		return ret;
	ret = vfio_device_set_name(vdev);
	if (ret)
		goto err_out;
	ret = vfio_register_finish(vdev);
	if (ret)
		goto err_out;
	/* noiommu device w/o container may have NULL group */
	if (vfio_device_is_noiommu(vdev) && !vfio_device_has_group(vdev))
		return 0;
	vfio_device_group_register(vdev);
	return 0;

err_out:
	vfio_device_remove_group(vdev);
	return ret;
}

/* iommufd.c vfio_df_iommufd_bind(), @@ -25: no noiommu short-circuit */
static int df_iommufd_bind(struct vfio_file *df)
{
	struct vfio_device *vdev = df->device;

	return iommufd_device_bind(df->ictx, vdev->dev, &df->devid,
				   &vdev->idev);
}

/* iommufd.c vfio_df_iommufd_unbind(), @@ -58 */
static void df_iommufd_unbind(struct vfio_file *df)
{
	vfio_iommufd_physical_unbind(df->device);
}

const struct iommu_profile profile_noiommu_v3 = {
	.name = "noiommu-v3",
	.summary = "noiommu series V3 (Apr 2026), VFIO 07/10 as posted: "
		   "cdev noiommu-vfioN named after the group",
	.base = "linux-7.3",
	.guest_runnable = false,
	.vfio = {
		.noiommu_depends = noiommu_depends,
		.register_dev = register_dev,
		.df_iommufd_bind = df_iommufd_bind,
		.df_iommufd_unbind = df_iommufd_unbind,
	},
};
