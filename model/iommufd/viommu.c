// SPDX-License-Identifier: MIT
/*
 * viommu.c - IOMMU_VIOMMU_ALLOC, IOMMU_VDEVICE_ALLOC and IOMMU_HW_QUEUE_ALLOC
 * after Linux 7.3's drivers/iommu/iommufd/viommu.c (IOMMU_VEVENTQ_ALLOC:
 * eventq.c; the driver helpers, depend and mmap: driver.c).
 *
 * Of the modelled drivers only the selftest's mock makes a vIOMMU
 * (mock_get_viommu_size() for IOMMU_VIOMMU_TYPE_SELFTEST, selftest_
 * viommu.c): amd_iommu_ops.get_viommu_size is NULL without
 * CONFIG_AMD_IOMMU_IOMMUFD (unset in the guest's config), intel_iommu_ops
 * and tegra-smmu have none, arm_smmu_get_viommu_size() gives 0 without
 * nesting support, and a noiommu device has no iommu_device.
 *
 * Who holds whom: a vIOMMU holds its NEST_PARENT HWPT; a vDEVICE, a
 * vEVENTQ, a HW queue and a nested HWPT made on it hold the vIOMMU; a HW
 * queue holds an internal access that pins its pages in the parent's
 * IOAS (and locks them against unmap). A vDEVICE points at its device
 * (a wait_cnt reference in 7.3, none here): the device's destroy removes
 * the vDEVICE first and leaves its id a tombstone.
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"
#include "core/kerrno.h"
#include "memory.h"

/* iommufd_device_get_iommu_dev(): NULL for a noiommu igroup */
static struct iommu_device *device_iommu_dev(struct iommufd_device *idev)
{
	return idev->igroup->group ? idev->dev->iommu : NULL;
}

/* ops->get_viommu_size() && ops->viommu_init: the mock's, for its type */
static bool driver_has_viommu(struct iommu_device *iommu_dev, u32 type)
{
	return iommu_dev && iommu_dev->kind == IOMMU_DRV_MOCK &&
	       type == IOMMU_VIOMMU_TYPE_SELFTEST;
}

/* iommufd_viommu_destroy() (and its abort: viommu_init may have failed) */
void iommufd_viommu_destroy(struct obj_header *obj)
{
	struct iommufd_viommu *viommu = (struct iommufd_viommu *)obj;

	if (viommu->ops && viommu->ops->destroy)
		viommu->ops->destroy(viommu);
	obj_users_dec(&viommu->hwpt->common.obj);
	g_hash_table_destroy(viommu->vdevs);
	g_list_free(viommu->veventqs); /* empty: each held the vIOMMU */
}

/* The vIOMMU's parent: a NEST_PARENT paging HWPT (a lookup reference) */
static int viommu_get_parent(struct iommufd_ucmd *ucmd, u32 hwpt_id,
			     struct iommufd_hwpt_paging **out)
{
	struct iommufd_hwpt_paging *hwpt_paging =
		(struct iommufd_hwpt_paging *)iommufd_get_object(
			ucmd->ictx, hwpt_id, IOMMUFD_OBJ_HWPT_PAGING);

	if (!hwpt_paging)
		return -ENOENT;
	if (!hwpt_paging->nest_parent) {
		iommufd_put_object(ucmd->ictx, &hwpt_paging->common.obj);
		return iommu_refuse(ucmd->ictx->m, -EINVAL,
				    "iommufd_viommu_alloc_ioctl",
				    "HWPT %u is not a NEST_PARENT", hwpt_id);
	}
	*out = hwpt_paging;
	return 0;
}

/* The object, filled and handed to the driver; the dispatcher finalizes
 * it, or aborts it (iommufd_viommu_destroy()) when this fails */
static int viommu_fill(struct iommufd_ucmd *ucmd,
		       struct iommufd_hwpt_paging *hwpt_paging,
		       struct iommu_device *iommu_dev)
{
	struct iommu_viommu_alloc *cmd = ucmd->cmd;
	const struct iommu_user_data user_data = {
		.type = cmd->type,
		.uptr = cmd->data_uptr,
		.len = cmd->data_len,
		.task = ucmd->task,
	};
	struct iommufd_viommu *viommu;
	int rc;

	rc = _iommufd_object_alloc_ucmd(ucmd, sizeof(*viommu),
					IOMMUFD_OBJ_VIOMMU, (void **)&viommu);
	if (rc)
		return rc;
	viommu->vdevs = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					      g_free, NULL);
	viommu->type = cmd->type;
	viommu->ictx = ucmd->ictx;
	/* pairs with iommufd_viommu_destroy() */
	viommu->hwpt = hwpt_paging;
	obj_users_inc(&hwpt_paging->common.obj);
	viommu->iommu_dev = iommu_dev;
	rc = mock_viommu_init(viommu, hwpt_paging->common.domain,
			      user_data.len ? &user_data : NULL);
	if (rc)
		return rc;
	cmd->out_viommu_id = viommu->obj.id;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

/* iommufd_viommu_alloc_ioctl() */
int iommufd_viommu_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_viommu_alloc *cmd = ucmd->cmd;
	struct iommufd_hwpt_paging *hwpt_paging = NULL;
	struct iommu_device *iommu_dev;
	struct iommufd_device *idev;
	int rc;

	/* flags: the ioctl table's row (main.c) */
	if (cmd->type == IOMMU_VIOMMU_TYPE_DEFAULT)
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				    "iommufd_viommu_alloc_ioctl",
				    "type IOMMU_VIOMMU_TYPE_DEFAULT");
	idev = iommufd_get_device(ucmd, cmd->dev_id);
	if (!idev)
		return -ENOENT;
	iommu_dev = device_iommu_dev(idev);
	if (!driver_has_viommu(iommu_dev, cmd->type)) {
		rc = iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				  "iommufd_viommu_alloc_ioctl", "%s",
				  !iommu_dev ? "a noiommu device has no "
					       "iommu_device"
					     : "the driver has no vIOMMU of "
					       "this type (get_viommu_size)");
		goto out_put_idev;
	}
	rc = viommu_get_parent(ucmd, cmd->hwpt_id, &hwpt_paging);
	if (rc)
		goto out_put_idev;
	rc = viommu_fill(ucmd, hwpt_paging, iommu_dev);
	iommufd_put_object(ucmd->ictx, &hwpt_paging->common.obj);
out_put_idev:
	iommufd_put_object(ucmd->ictx, &idev->obj);
	return rc;
}

/* iommufd_vdevice_abort(): also the second half of its destroy */
void iommufd_vdevice_abort(struct obj_header *obj)
{
	struct iommufd_vdevice *vdev = (struct iommufd_vdevice *)obj;
	struct iommufd_viommu *viommu = vdev->viommu;

	/* xa_cmpxchg(): the slot is ours only if the store happened */
	if (g_hash_table_lookup(viommu->vdevs, &vdev->virt_id) == vdev)
		g_hash_table_remove(viommu->vdevs, &vdev->virt_id);
	obj_users_dec(&viommu->obj);
	vdev->idev->vdev = NULL;
}

/* iommufd_vdevice_destroy() */
void iommufd_vdevice_destroy(struct obj_header *obj)
{
	iommufd_vdevice_abort(obj);
}

/* iommufd_vdevice_alloc_ioctl()'s checks on the device */
static int vdevice_check(struct iommufd_ucmd *ucmd,
			 struct iommufd_viommu *viommu,
			 struct iommufd_device *idev, u64 virt_id)
{
	struct iommu_device *iommu_dev = device_iommu_dev(idev);
	const char *f = "iommufd_vdevice_alloc_ioctl";

	if (!iommu_dev || viommu->iommu_dev != iommu_dev)
		return iommu_refuse(ucmd->ictx->m, -EINVAL, f,
				    "%s is not behind vIOMMU %u's IOMMU",
				    idev->dev->name, viommu->obj.id);
	if (idev->vdev)
		return iommu_refuse(ucmd->ictx->m, -EEXIST, f,
				    "%s already has vDEVICE %u",
				    idev->dev->name, idev->vdev->obj.id);
	/* xa_insert() of a taken index: -EBUSY, given as -EEXIST */
	if (g_hash_table_contains(viommu->vdevs, &virt_id))
		return iommu_refuse(ucmd->ictx->m, -EEXIST, f,
				    "virt_id 0x%llx is taken on vIOMMU %u",
				    (unsigned long long)virt_id,
				    viommu->obj.id);
	return 0;
}

/* The vDEVICE, published in the vIOMMU's vdevs and the ctx */
static int vdevice_add(struct iommufd_ucmd *ucmd, struct iommufd_viommu *viommu,
		       struct iommufd_device *idev, u64 virt_id)
{
	struct iommu_vdevice_alloc *cmd = ucmd->cmd;
	struct iommufd_vdevice *vdev;
	int rc;

	rc = _iommufd_object_alloc(ucmd->ictx, sizeof(*vdev),
				   IOMMUFD_OBJ_VDEVICE, (void **)&vdev);
	if (rc)
		return rc;
	vdev->virt_id = virt_id;
	vdev->viommu = viommu;
	obj_users_inc(&viommu->obj);
	vdev->idev = idev;
	idev->vdev = vdev;
	/* xa_insert() then xa_store(): the mock has no vdevice_init */
	if (iommufd_should_fail(ucmd->ictx, "xa_insert")) {
		rc = -ENOMEM;
		goto out_abort;
	}
	g_hash_table_insert(viommu->vdevs, g_memdup2(&virt_id, sizeof(u64)),
			    vdev);
	cmd->out_vdevice_id = vdev->obj.id;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (rc)
		goto out_abort;
	iommufd_object_finalize(ucmd->ictx, &vdev->obj);
	return 0;

out_abort:
	iommufd_object_abort_and_destroy(ucmd->ictx, &vdev->obj);
	return rc;
}

/* iommufd_vdevice_alloc_ioctl(): virt_id fits an unsigned long (LP64) */
int iommufd_vdevice_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_vdevice_alloc *cmd = ucmd->cmd;
	struct iommufd_viommu *viommu;
	struct iommufd_device *idev;
	int rc;

	viommu = iommufd_get_viommu(ucmd->ictx, cmd->viommu_id);
	if (!viommu)
		return -ENOENT;
	idev = iommufd_get_device(ucmd, cmd->dev_id);
	if (!idev) {
		rc = -ENOENT;
		goto out_put_viommu;
	}
	rc = vdevice_check(ucmd, viommu, idev, cmd->virt_id);
	if (!rc)
		rc = vdevice_add(ucmd, viommu, idev, cmd->virt_id);
	/* the kernel keeps this as the vDEVICE's wait_cnt reference; the
	 * model's vDEVICE holds none (see the top of this file) */
	iommufd_put_object(ucmd->ictx, &idev->obj);
out_put_viommu:
	iommufd_put_object(ucmd->ictx, &viommu->obj);
	return rc;
}

/*
 * iommufd_device_remove_vdev() (iommufd_device_pre_destroy()): a vDEVICE
 * the user has not destroyed goes with its device, its id left a
 * tombstone (iommufd_object_tombstone_user()).
 */
void iommufd_device_remove_vdev(struct iommufd_device *idev)
{
	struct iommufd_vdevice *vdev = idev->vdev;

	if (!vdev)
		return;
	obj_users_inc(&vdev->obj); /* iommufd_try_inc_users() */
	iommufd_object_remove(idev->ictx, &vdev->obj, vdev->obj.id,
			      REMOVE_WAIT | REMOVE_OBJ_TOMBSTONE);
}

struct device *iommufd_viommu_find_dev(struct iommufd_viommu *viommu,
				       u64 vdev_id)
{
	struct iommufd_vdevice *vdev =
		g_hash_table_lookup(viommu->vdevs, &vdev_id);

	return vdev ? vdev->idev->dev : NULL;
}

int iommufd_viommu_get_vdev_id(struct iommufd_viommu *viommu,
			       struct device *dev, u64 *vdev_id)
{
	GHashTableIter it;
	gpointer val;

	g_hash_table_iter_init(&it, viommu->vdevs);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		struct iommufd_vdevice *vdev = val;

		if (vdev->idev->dev == dev) {
			*vdev_id = vdev->virt_id;
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- IOMMU_HW_QUEUE_ALLOC ---- */

static u64 page_align_down(u64 x)
{
	return x & ~(IOMMUFD_PAGE_SIZE - 1);
}

/* iommufd_hw_queue_destroy_access(): the pages unpinned, the access gone */
static void hw_queue_destroy_access(struct iommufd_ctx *ictx,
				    struct iommufd_access *access,
				    u64 base_iova, u64 length)
{
	u64 aligned_iova = page_align_down(base_iova);
	u64 offset = base_iova - aligned_iova;

	iommufd_access_unpin_pages(
		access, aligned_iova,
		page_align_down(length + offset + IOMMUFD_PAGE_SIZE - 1));
	iommufd_access_detach_internal(access);
	iommufd_access_destroy_internal(ictx, access);
}

/* iommufd_hw_queue_destroy(), also its abort: whatever was set up goes */
void iommufd_hw_queue_destroy(struct obj_header *obj)
{
	struct iommufd_hw_queue *hw_queue = (struct iommufd_hw_queue *)obj;

	if (hw_queue->destroy)
		hw_queue->destroy(hw_queue);
	if (hw_queue->access)
		hw_queue_destroy_access(hw_queue->viommu->ictx,
					hw_queue->access, hw_queue->base_addr,
					hw_queue->length);
	if (hw_queue->viommu)
		obj_users_dec(&hw_queue->viommu->obj);
}

/* The pinned pages must be physically contiguous: the HW reads the
 * queue by PA (-EFAULT otherwise) */
static int hw_queue_check_contig(struct iommu_model *m, const u64 *pa,
				 u64 npages)
{
	for (u64 i = 1; i < npages; i++)
		if (pa[i] != pa[i - 1] + IOMMUFD_PAGE_SIZE)
			return iommu_refuse(
				m, -EFAULT, "iommufd_hw_queue_alloc_phys",
				"page %llu of the queue (PA 0x%llx) "
				"does not follow PA 0x%llx",
				(unsigned long long)i,
				(unsigned long long)pa[i],
				(unsigned long long)pa[i - 1]);
	return 0;
}

/* The internal access on the parent's IOAS, its pages pinned: 0 with
 * *out, or -errno with nothing left behind */
static int hw_queue_pin(struct iommufd_viommu *viommu, u64 aligned_iova,
			u64 length, u64 *pa, struct iommufd_access **out)
{
	struct iommufd_access *access;
	int rc;

	rc = iommufd_access_create_internal(viommu->ictx, &access);
	if (rc)
		return rc;
	rc = iommufd_access_attach_internal(access, viommu->hwpt->ioas);
	if (rc)
		goto out_destroy;
	rc = iommufd_access_pin_pages(access, aligned_iova, length, pa, 0);
	if (rc)
		goto out_detach;
	rc = hw_queue_check_contig(viommu->ictx->m, pa,
				   length / IOMMUFD_PAGE_SIZE);
	if (rc)
		goto out_unpin;
	*out = access;
	return 0;

out_unpin:
	iommufd_access_unpin_pages(access, aligned_iova, length);
out_detach:
	iommufd_access_detach_internal(access);
out_destroy:
	iommufd_access_destroy_internal(viommu->ictx, access);
	return rc;
}

/*
 * iommufd_hw_queue_alloc_phys(): the HW reads the guest queue by PA, so
 * its pages must be contiguous, and an IOAS unmap must not take them away
 * while the HW may read them: an internal access pins them (whole pages
 * around [nesting_parent_iova, + length)). *base_pa: the queue's PA.
 */
static int hw_queue_alloc_phys(struct iommufd_ucmd *ucmd,
			       struct iommufd_viommu *viommu, u64 *base_pa,
			       struct iommufd_access **out)
{
	struct iommu_hw_queue_alloc *cmd = ucmd->cmd;
	u64 aligned_iova = page_align_down(cmd->nesting_parent_iova);
	u64 offset = cmd->nesting_parent_iova - aligned_iova;
	u64 length, npages;
	u64 *pa;
	int rc;

	/* max_npages = DIV_ROUND_UP(offset + cmd->length, PAGE_SIZE) */
	if (__builtin_add_overflow(offset, cmd->length, &length) ||
	    __builtin_add_overflow(length, IOMMUFD_PAGE_SIZE - 1, &length))
		return iommu_refuse(ucmd->ictx->m, -ERANGE,
				    "iommufd_hw_queue_alloc_phys",
				    "offset + length + PAGE_SIZE - 1 wraps");
	npages = length / IOMMUFD_PAGE_SIZE;
	length = npages * IOMMUFD_PAGE_SIZE;
	/* kvzalloc_objs(): the page array, charged to the budget */
	if (iommufd_should_fail(ucmd->ictx, "iommufd_hw_queue_alloc_phys"))
		return -ENOMEM;
	pa = iommu_memory_buffer(ucmd->ictx->m, npages * sizeof(*pa));
	if (!pa)
		return -ENOMEM;
	rc = hw_queue_pin(viommu, aligned_iova, length, pa, out);
	if (!rc)
		*base_pa = pa[0] + offset;
	iommu_memory_buffer_free(ucmd->ictx->m, pa, npages * sizeof(*pa));
	return rc;
}

/* The driver's type and size (ops->get_hw_queue_size()) */
static int hw_queue_size(struct iommufd_ucmd *ucmd,
			 struct iommufd_viommu *viommu, size_t *size)
{
	struct iommu_hw_queue_alloc *cmd = ucmd->cmd;

	if (!viommu->ops || !viommu->ops->get_hw_queue_size ||
	    !viommu->ops->hw_queue_init_phys)
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				    "iommufd_hw_queue_alloc_ioctl",
				    "vIOMMU %u's driver has no HW queues",
				    viommu->obj.id);
	*size = viommu->ops->get_hw_queue_size(viommu, cmd->type);
	if (!*size)
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				    "iommufd_hw_queue_alloc_ioctl",
				    "no HW queue of type 0x%x", cmd->type);
	return 0;
}

/* The object (reserved: the dispatcher publishes it, or aborts it with
 * iommufd_hw_queue_destroy() when this fails), pinned, given to the
 * driver */
static int hw_queue_fill(struct iommufd_ucmd *ucmd,
			 struct iommufd_viommu *viommu, size_t size)
{
	struct iommu_hw_queue_alloc *cmd = ucmd->cmd;
	struct iommufd_hw_queue *hw_queue;
	struct iommufd_access *access = NULL;
	u64 base_pa = 0;
	int rc;

	rc = _iommufd_object_alloc_ucmd(ucmd, size, IOMMUFD_OBJ_HW_QUEUE,
					(void **)&hw_queue);
	if (rc)
		return rc;
	rc = hw_queue_alloc_phys(ucmd, viommu, &base_pa, &access);
	if (rc)
		return rc;
	hw_queue->viommu = viommu;
	obj_users_inc(&viommu->obj);
	hw_queue->access = access;
	hw_queue->type = cmd->type;
	hw_queue->length = cmd->length;
	hw_queue->base_addr = cmd->nesting_parent_iova;
	rc = viommu->ops->hw_queue_init_phys(hw_queue, cmd->index, base_pa);
	if (rc)
		return rc;
	cmd->out_hw_queue_id = hw_queue->obj.id;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

/* iommufd_hw_queue_alloc_ioctl() */
int iommufd_hw_queue_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_hw_queue_alloc *cmd = ucmd->cmd;
	struct iommufd_viommu *viommu;
	size_t size;
	u64 last;
	int rc;

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
	viommu = iommufd_get_viommu(ucmd->ictx, cmd->viommu_id);
	if (!viommu)
		return -ENOENT;
	rc = hw_queue_size(ucmd, viommu, &size);
	if (!rc)
		rc = hw_queue_fill(ucmd, viommu, size);
	iommufd_put_object(ucmd->ictx, &viommu->obj);
	return rc;
}
