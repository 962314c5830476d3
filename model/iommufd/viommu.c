// SPDX-License-Identifier: MIT
/*
 * viommu.c - IOMMU_VIOMMU_ALLOC, IOMMU_VDEVICE_ALLOC, IOMMU_HW_QUEUE_ALLOC
 * and IOMMU_VEVENTQ_ALLOC as Linux 7.3 answers them on the modelled
 * drivers (drivers/iommu/iommufd/viommu.c, eventq.c).
 *
 * None of them can make a vIOMMU: amd_iommu_ops.get_viommu_size is NULL
 * without CONFIG_AMD_IOMMU_IOMMUFD (unset in the guest's config),
 * intel_iommu_ops and tegra-smmu have none, arm_smmu_get_viommu_size()
 * gives 0 without nesting support, and a noiommu device has no
 * iommu_device. So every vIOMMU lookup of the other three fails, and
 * each command answers with its own checks up to that lookup.
 */
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"

/* iommufd_get_viommu(): no IOMMUFD_OBJ_VIOMMU object can exist */
static int get_viommu(struct iommufd_ucmd *ucmd, u32 id)
{
	struct obj_header *obj =
		iommufd_get_object(ucmd->ictx, id, IOMMUFD_OBJ_VIOMMU);

	if (obj)
		iommufd_put_object(ucmd->ictx, obj);
	return -ENOENT;
}

/* iommufd_viommu_alloc_ioctl() */
int iommufd_viommu_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_viommu_alloc *cmd = ucmd->cmd;
	struct iommufd_device *idev;
	const char *why;

	/* flags: the ioctl table's row (main.c) */
	if (cmd->type == IOMMU_VIOMMU_TYPE_DEFAULT)
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				    "iommufd_viommu_alloc_ioctl",
				    "type IOMMU_VIOMMU_TYPE_DEFAULT");
	idev = iommufd_get_device(ucmd, cmd->dev_id);
	if (!idev)
		return -ENOENT;
	/* iommufd_device_get_iommu_dev(): NULL for a noiommu igroup */
	why = idev->igroup->group ? "the driver has no vIOMMU "
				    "(get_viommu_size)"
				  : "a noiommu device has no iommu_device";
	iommufd_put_object(ucmd->ictx, &idev->obj);
	return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
			    "iommufd_viommu_alloc_ioctl", "%s", why);
}

/* iommufd_vdevice_alloc_ioctl(): virt_id fits an unsigned long (LP64) */
int iommufd_vdevice_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_vdevice_alloc *cmd = ucmd->cmd;

	return get_viommu(ucmd, cmd->viommu_id);
}

/* iommufd_hw_queue_alloc_ioctl() */
int iommufd_hw_queue_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_hw_queue_alloc *cmd = ucmd->cmd;
	u64 last;

	/* flags: the ioctl table's row (main.c) */
	if (cmd->type == IOMMU_HW_QUEUE_TYPE_DEFAULT)
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				    "iommufd_hw_queue_alloc_ioctl",
				    "type IOMMU_HW_QUEUE_TYPE_DEFAULT");
	if (!cmd->length)
		return iommu_refuse(ucmd->ictx->m, -EINVAL,
				    "iommufd_hw_queue_alloc_ioctl", "length 0");
	if (__builtin_add_overflow(cmd->nesting_parent_iova, cmd->length - 1,
				   &last))
		return iommu_refuse(ucmd->ictx->m, -EOVERFLOW,
				    "iommufd_hw_queue_alloc_ioctl",
				    "nesting_parent_iova + length wraps");
	return get_viommu(ucmd, cmd->viommu_id);
}

/* eventq.c: VEVENTQ_MAX_DEPTH */
#define VEVENTQ_MAX_DEPTH (1u << 19)

/* iommufd_veventq_alloc() */
int iommufd_veventq_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_veventq_alloc *cmd = ucmd->cmd;

	/* flags and __reserved: the ioctl table's row (main.c) */
	if (cmd->type == IOMMU_VEVENTQ_TYPE_DEFAULT)
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				    "iommufd_veventq_alloc",
				    "type IOMMU_VEVENTQ_TYPE_DEFAULT");
	if (!cmd->veventq_depth || cmd->veventq_depth > VEVENTQ_MAX_DEPTH)
		return iommu_refuse(ucmd->ictx->m, -EINVAL,
				    "iommufd_veventq_alloc",
				    "veventq_depth %u (1 to VEVENTQ_MAX_DEPTH)",
				    cmd->veventq_depth);
	return get_viommu(ucmd, cmd->viommu_id);
}
