// SPDX-License-Identifier: MIT
/*
 * dispatch_vfio.c - the VFIO functions a profile decides (profile.h
 * struct iommu_profile_vfio_ops): each calls what the model's resolved
 * profile has for it. Every VFIO hook is set once resolved (the root,
 * linux-7.3, sets all), so there is no "absent" here.
 */
#include "vfio/vfio_private.h"

static const struct iommu_profile_vfio_ops *ops(const struct vfio *v)
{
	return &v->m->resolved->vfio;
}

int vfio_noiommu_group_alloc(struct vfio *v, struct device *dev,
			     struct vfio_group **out)
{
	return ops(v)->noiommu_group_alloc(v, dev, out);
}

int vfio_device_block_group(struct vfio_device *vdev)
{
	return ops(vdev->vfio)->device_block_group(vdev);
}

void vfio_device_unblock_group(struct vfio_device *vdev)
{
	ops(vdev->vfio)->device_unblock_group(vdev);
}

int __vfio_register_dev(struct vfio_device *vdev)
{
	return ops(vdev->vfio)->register_dev(vdev);
}

int vfio_df_iommufd_bind(struct vfio_file *df)
{
	return ops(df->device->vfio)->df_iommufd_bind(df);
}

void vfio_df_iommufd_unbind(struct vfio_file *df)
{
	ops(df->device->vfio)->df_iommufd_unbind(df);
}
