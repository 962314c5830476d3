// SPDX-License-Identifier: MIT
/*
 * noiommu_v1.c - "[PATCH 05/11] vfio: Allow null group for noiommu
 * without containers" (Jacob Pan, 2026-02-27; ../shared/seeds/004), the
 * first posting of the noiommu series, as posted, over Linux 7.3's
 * drivers/vfio. Hunk by hunk:
 *
 *  vfio.h @@ -113 vfio_null_group_allowed() (built with VFIO_GROUP; the
 *      @@ -189 stub without it returns false): vfio_noiommu, read at each
 *      call, && !VFIO_CONTAINER && !IOMMUFD_VFIO_CONTAINER. Here
 *      null_group_allowed().
 *  group.c @@ -589 vfio_noiommu_group_alloc(): returns NULL, before
 *      iommu_group_alloc(), when that holds: no fake "vfio-noiommu"
 *      iommu_group, no vfio_group, no /dev/vfio/noiommu-N. Overridden.
 *  group.c @@ -381 / -398 vfio_device_block_group() /
 *      vfio_device_unblock_group(): return early for a NULL group when
 *      vfio_null_group_allowed() holds *now*; otherwise 7.3's body, which
 *      locks group->group_lock (a NULL dereference once
 *      enable_unsafe_noiommu_mode was cleared after registration: the
 *      parameter is S_IWUSR). Overridden.
 *
 * Kconfig: 05/11 changes none, but its hunk is reachable only where
 * VFIO_NOIOMMU may be built with VFIO_GROUP and neither container. 7.3's
 * `depends on !VFIO_GROUP || VFIO_CONTAINER || IOMMUFD_VFIO_CONTAINER`
 * forbids exactly that, so the profile takes the rule the series was
 * posted against, as the thread shows it: the pre-image of V3 07/10's
 * Kconfig hunk (seed 001 @@ -63), `config VFIO_NOIOMMU ... depends on
 * VFIO_GROUP`. IOMMUFD_NOIOMMU's select is not shown: 7.3's.
 *
 * Not in the seed, so 7.3's: how vfio_group_find_or_alloc() and
 * vfio_device_set_group() take the NULL (7.3's: NULL is not IS_ERR, so
 * the kernel is tainted and device->group is NULL), device->noiommu and
 * the name (06/11-08/11: 7.3's vfio_device_set_noiommu_and_name()),
 * vfio_device_group_register() (7.3's dereferences the group: 08/11,
 * not quoted, must guard it as V3 07/10 does; the model skips a NULL
 * group), vfio_device_remove_group() (the same), everything iommufd.
 */
#include "../vfio/vfio_private.h"

/* vfio.h vfio_null_group_allowed() */
static bool null_group_allowed(const struct vfio *v)
{
	return v->noiommu && !v->cfg.y[KS_VFIO_CONTAINER] &&
	       !v->cfg.y[KS_IOMMUFD_VFIO_CONTAINER];
}

/* group.c vfio_noiommu_group_alloc(), @@ -589 */
static int noiommu_group_alloc(struct vfio *v, struct device *dev,
			       struct vfio_group **out)
{
	if (null_group_allowed(v)) {
		*out = NULL;
		return 0;
	}
	return linux73_vfio_noiommu_group_alloc(v, dev, out);
}

/* group.c vfio_device_block_group(), @@ -381 */
static int device_block_group(struct vfio_device *vdev)
{
	if (null_group_allowed(vdev->vfio) && !vdev->group)
		return 0;
	return linux73_vfio_device_block_group(vdev);
}

/* group.c vfio_device_unblock_group(), @@ -398 */
static void device_unblock_group(struct vfio_device *vdev)
{
	if (null_group_allowed(vdev->vfio) && !vdev->group)
		return;
	linux73_vfio_device_unblock_group(vdev);
}

/* drivers/vfio/Kconfig at the series' base (seed 001 @@ -63 pre-image) */
static bool noiommu_depends(const bool *y, const char **dep)
{
	*dep = "VFIO_GROUP (noiommu-v1: the Kconfig 05/11 was posted "
	       "against)";
	return y[KS_VFIO] && y[KS_VFIO_GROUP];
}

const struct iommu_profile profile_noiommu_v1 = {
	.name = "noiommu-v1",
	.summary = "noiommu series v1 (Feb 2026), VFIO 05/11 as posted: a "
		   "NULL vfio_group without containers",
	.base = "linux-7.3",
	.guest_runnable = false,
	.vfio = {
		.noiommu_depends = noiommu_depends,
		.noiommu_group_alloc = noiommu_group_alloc,
		.device_block_group = device_block_group,
		.device_unblock_group = device_unblock_group,
	},
};
