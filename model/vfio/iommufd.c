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
	ret = iommufd_device_attach(vdev->idev, &ioas_id);
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

/* vfio_iommufd_physical_unbind(): detach what is attached, unbind */
void vfio_iommufd_physical_unbind(struct vfio_device *vdev)
{
	if (vdev->iommufd_attached) {
		iommufd_device_detach(vdev->idev);
		vdev->iommufd_attached = false;
	}
	iommufd_device_unbind(vdev->idev);
	vdev->idev = NULL;
}
