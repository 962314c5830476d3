// SPDX-License-Identifier: MIT
/*
 * iommufd.c - VFIO's iommufd glue (Linux 7.3 drivers/vfio/iommufd.c):
 * binding a device file to its iommufd at first open
 * (vfio_df_iommufd_bind() -> vfio_iommufd_physical_bind() ->
 * iommufd_device_bind()), the compat path's attach to the compat IOAS,
 * and the unbind at last close. A noiommu device opened through the
 * group path with an iommufd container binds nothing.
 */
#include "vfio/vfio_private.h"

/* vfio_iommufd_device_has_compat_ioas() */
bool vfio_iommufd_device_has_compat_ioas(struct iommufd_ctx *ictx)
{
	u32 id;

	return !iommufd_vfio_compat_ioas_get_id(ictx, &id);
}

/* vfio_df_iommufd_bind(): group noiommu via iommufd compat binds nothing */
int linux73_vfio_df_iommufd_bind(struct vfio_file *df)
{
	struct vfio_device *vdev = df->device;

	if (df->group && vfio_device_is_noiommu(vdev))
		return 0;
	return iommufd_device_bind(df->ictx, vdev->dev, &df->devid,
				   &vdev->idev);
}

/* vfio_iommufd_compat_attach_ioas() */
int vfio_iommufd_compat_attach_ioas(struct vfio_device *vdev,
				    struct iommufd_ctx *ictx)
{
	u32 ioas_id;
	int ret;

	if (vfio_device_is_noiommu(vdev))
		return 0;
	ret = iommufd_vfio_compat_ioas_get_id(ictx, &ioas_id);
	if (ret)
		return ret;
	ret = iommufd_device_attach(vdev->idev, IOMMU_NO_PASID, &ioas_id);
	if (!ret)
		vdev->iommufd_attached = true;
	return ret;
}

/* vfio_df_iommufd_unbind(): nothing was bound for group noiommu */
void linux73_vfio_df_iommufd_unbind(struct vfio_file *df)
{
	if (df->group && vfio_device_is_noiommu(df->device))
		return;
	vfio_iommufd_physical_unbind(df->device);
}

/* ida_exists(&vdev->pasids, pasid): the index where it is (or goes) */
static bool pasid_ida_find(const struct vfio_device *vdev, u32 pasid, guint *at)
{
	guint i = 0;

	while (vdev->pasids && i < vdev->pasids->len &&
	       g_array_index(vdev->pasids, u32, i) < pasid)
		i++;
	*at = i;
	return vdev->pasids && i < vdev->pasids->len &&
	       g_array_index(vdev->pasids, u32, i) == pasid;
}

static void pasid_ida_free(struct vfio_device *vdev, guint at)
{
	g_array_remove_index(vdev->pasids, at);
	if (!vdev->pasids->len) {
		g_array_free(vdev->pasids, TRUE);
		vdev->pasids = NULL;
	}
}

/* vfio_iommufd_physical_pasid_attach_ioas(): a PASID VFIO attached is
 * replaced, a new one attached and remembered in vdev->pasids */
int vfio_iommufd_physical_pasid_attach_ioas(struct vfio_device *vdev, u32 pasid,
					    u32 *pt_id)
{
	struct iommu_model *m = vdev->vfio->m;
	guint at;
	int rc;

	if (IOMMU_WARN_ON(m, !vdev->idev))
		return -EINVAL;
	if (pasid_ida_find(vdev, pasid, &at))
		return iommufd_device_replace(vdev->idev, pasid, pt_id);
	/* ida_alloc_range(&vdev->pasids, pasid, pasid) */
	if (fault_should_fail(&m->fault, "ida_alloc_range(vdev->pasids)"))
		return -ENOMEM;
	rc = iommufd_device_attach(vdev->idev, pasid, pt_id);
	if (rc)
		return rc;
	if (!vdev->pasids)
		vdev->pasids = g_array_new(FALSE, FALSE, sizeof(u32));
	g_array_insert_val(vdev->pasids, at, pasid);
	return 0;
}

/* vfio_iommufd_physical_pasid_detach_ioas(): only a PASID VFIO attached */
void vfio_iommufd_physical_pasid_detach_ioas(struct vfio_device *vdev,
					     u32 pasid)
{
	guint at;

	if (IOMMU_WARN_ON(vdev->vfio->m, !vdev->idev) ||
	    !pasid_ida_find(vdev, pasid, &at))
		return;
	iommufd_device_detach(vdev->idev, pasid);
	pasid_ida_free(vdev, at);
}

/* vfio_iommufd_physical_unbind(): detach what is attached (the PASIDs
 * first, lowest first), unbind */
void vfio_iommufd_physical_unbind(struct vfio_device *vdev)
{
	while (vdev->pasids) {
		iommufd_device_detach(vdev->idev,
				      g_array_index(vdev->pasids, u32, 0));
		pasid_ida_free(vdev, 0);
	}
	if (vdev->iommufd_attached) {
		iommufd_device_detach(vdev->idev, IOMMU_NO_PASID);
		vdev->iommufd_attached = false;
	}
	iommufd_device_unbind(vdev->idev);
	vdev->idev = NULL;
}
