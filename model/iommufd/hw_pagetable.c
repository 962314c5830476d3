// SPDX-License-Identifier: MIT
/*
 * hw_pagetable.c - HWPTs: iommu domains as iommufd objects, after Linux
 * 7.3's drivers/iommu/iommufd/hw_pagetable.c. A paging HWPT holds a users
 * reference on its IOAS, sits on the IOAS's hwpt_list and has the IOAS's
 * mappings copied into its domain (iopt_table_add_domain()). Its domain
 * comes from the device's driver, or from iommufd_noiommu_ops for a
 * noiommu device (get_iommu_ops()).
 *
 * Which flags a driver accepts is what its domain_alloc_paging_flags does
 * on the IOMMU QEMU emulates (see driver_alloc_paging_flags()): no dirty
 * tracking, no nesting parent, no PASID table on AMD-Vi, so those
 * requests are refused with -EOPNOTSUPP as a 7.3 guest refuses them.
 * Only the selftest's mock makes NEST_PARENT HWPTs, so it is the one
 * driver nested HWPTs (on a parent or on a vIOMMU) and user cache
 * invalidations reach.
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"

#define HWPT_VALID_FLAGS                                                       \
	(IOMMU_HWPT_ALLOC_NEST_PARENT | IOMMU_HWPT_ALLOC_DIRTY_TRACKING |      \
	 IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID)

/* get_iommu_ops(): the noiommu ops when the igroup has no group */
static struct iommu_device *get_iommu_ops(struct iommufd_device *idev)
{
	if (!idev->igroup->group)
		return &iommufd_noiommu_ops;
	if (IOMMU_WARN_ON(idev->ictx->m, !idev->dev->dev_iommu))
		return NULL;
	return idev->dev->iommu;
}

/* ops->domain_alloc_paging_flags exists: all but tegra-smmu's
 * domain_alloc_paging */
static bool has_alloc_paging_flags(const struct iommu_device *ops)
{
	return ops->kind != IOMMU_DRV_TEGRA_SMMU;
}

/* ops->domain_alloc_nested: intel_iommu_ops and the selftest's mock_ops
 * (amd and arm-smmu-v3 nest through a vIOMMU) */
static bool has_alloc_nested(const struct iommu_device *ops)
{
	return ops != &iommufd_noiommu_ops &&
	       (ops->kind == IOMMU_DRV_INTEL_VTD ||
		ops->kind == IOMMU_DRV_MOCK);
}

/* The driver's domain_alloc_paging_flags: the selftest's mock here, the
 * modelled drivers' flag checks in the core (iommu_driver_paging_flags()) */
static int driver_alloc_paging_flags(struct iommu_model *m, struct device *dev,
				     u32 flags,
				     const struct iommu_user_data *user_data,
				     struct iommu_domain **out)
{
	int ret;

	if (dev->iommu->kind == IOMMU_DRV_MOCK)
		return mock_domain_alloc_paging_flags(m, dev, flags, user_data,
						      out);
	ret = iommu_driver_paging_flags(m, dev, flags, user_data != NULL);
	return ret ? ret : iommu_paging_domain_alloc(m, dev, out);
}

static int alloc_domain(struct iommufd_device *idev, struct iommu_device *ops,
			u32 flags, const struct iommu_user_data *user_data,
			struct iommu_domain **out)
{
	struct iommufd_ctx *ictx = idev->ictx;

	if (iommufd_should_fail(ictx, "domain_alloc_paging_flags"))
		return -ENOMEM;
	if (ops == &iommufd_noiommu_ops)
		return iommufd_noiommu_alloc_paging_flags(
			ictx, idev->dev, flags, user_data, out);
	if (!has_alloc_paging_flags(ops))
		return iommu_paging_domain_alloc(ictx->m, idev->dev, out);
	return driver_alloc_paging_flags(ictx->m, idev->dev, flags, user_data,
					 out);
}

int iommu_copy_struct_from_user(void *dst, size_t dst_len,
				const struct iommu_user_data *src, u32 type,
				size_t min_len)
{
	if (src->type != type || src->len < min_len || dst_len < src->len)
		return -EINVAL;
	/* copy_struct_from_user() with usize <= ksize: the tail zeroed */
	memset(dst, 0, dst_len);
	return process_copy_from_user(src->task, dst, src->uptr, src->len);
}

int iommu_copy_struct_to_user(const struct iommu_user_data *dst,
			      const void *src, size_t src_len, u32 type,
			      size_t min_len)
{
	if (dst->type != type || dst->len < min_len || src_len < dst->len)
		return -EINVAL;
	/* copy_struct_to_user() with usize <= ksize: the user's length */
	return process_copy_to_user(dst->task, dst->uptr, src, dst->len);
}

int iommu_copy_struct_from_user_array(void *dst, size_t dst_len,
				      const struct iommu_user_data_array *src,
				      u32 type, u32 index, size_t min_len)
{
	struct iommu_user_data one = {
		.type = src->type,
		.uptr = src->uptr + (u64)src->entry_len * index,
		.len = src->entry_len,
		.task = src->task,
	};

	if (index >= src->entry_num)
		return -EINVAL;
	return iommu_copy_struct_from_user(dst, dst_len, &one, type, min_len);
}

/* copy_struct_from_user() of a longer entry: its tail must be zero */
static int copy_entry_tail_zero(const struct iommu_user_data_array *src,
				u64 uptr, size_t ksize)
{
	u8 byte;

	for (u64 i = ksize; i < src->entry_len; i++) {
		if (process_copy_from_user(src->task, &byte, uptr + i, 1))
			return -EFAULT;
		if (byte)
			return -E2BIG;
	}
	return 0;
}

int iommu_copy_struct_from_full_user_array(
	void *dst, size_t dst_entry_size,
	const struct iommu_user_data_array *src, u32 type)
{
	if (src->type != type || !src->entry_num)
		return -EINVAL;
	memset(dst, 0, dst_entry_size * src->entry_num);
	for (u32 i = 0; i != src->entry_num; i++) {
		u64 uptr = src->uptr + (u64)src->entry_len * i;
		size_t n = MIN(dst_entry_size, (size_t)src->entry_len);
		int rc = copy_entry_tail_zero(src, uptr, dst_entry_size);

		if (!rc)
			rc = process_copy_from_user(
				src->task, (u8 *)dst + dst_entry_size * i, uptr,
				n);
		if (rc)
			return rc;
	}
	return 0;
}

/* __iommufd_hwpt_destroy() */
static void hwpt_destroy_common(struct iommufd_ctx *ictx,
				struct iommufd_hw_pagetable *hwpt)
{
	if (hwpt->domain)
		iommu_domain_free(ictx->m, hwpt->domain);
	if (hwpt->fault)
		obj_users_dec(&hwpt->fault->common.obj);
}

static void hwpt_unlist(struct iommufd_hwpt_paging *hwpt_paging)
{
	if (!hwpt_paging->listed)
		return;
	g_ptr_array_remove(hwpt_paging->ioas->hwpt_list, hwpt_paging);
	hwpt_paging->listed = false;
	iopt_table_remove_domain(&hwpt_paging->ioas->iopt,
				 hwpt_paging->common.domain);
}

/* iommufd_hwpt_paging_destroy() */
void iommufd_hwpt_paging_destroy(struct obj_header *obj)
{
	struct iommufd_hwpt_paging *hwpt_paging =
		(struct iommufd_hwpt_paging *)obj;

	hwpt_unlist(hwpt_paging);
	hwpt_destroy_common(hwpt_paging->ioas->ictx, &hwpt_paging->common);
	obj_users_dec(&hwpt_paging->ioas->obj);
}

/* iommufd_hwpt_paging_abort() */
void iommufd_hwpt_paging_abort(struct obj_header *obj)
{
	iommufd_hwpt_paging_destroy(obj);
}

/*
 * iommufd_hw_pagetable_put(): an auto HWPT is destroyed with its last
 * device (iommufd_object_put_and_try_destroy()); any other just loses the
 * reference.
 */
void iommufd_hw_pagetable_put(struct iommufd_ctx *ictx,
			      struct iommufd_hw_pagetable *hwpt)
{
	struct iommufd_hwpt_paging *hwpt_paging = find_hwpt_paging(hwpt);

	if (hwpt_paging && hwpt_paging->auto_domain) {
		iommufd_object_put_and_try_destroy(ictx, &hwpt->obj);
		return;
	}
	obj_users_dec(&hwpt->obj);
}

/* iommufd_hwpt_paging_alloc()'s checks before anything is allocated */
static int hwpt_paging_check(struct iommufd_device *idev,
			     struct iommu_device *ops, u32 flags,
			     const struct iommu_user_data *user_data)
{
	struct iommu_model *m = idev->ictx->m;
	const char *f = "iommufd_hwpt_paging_alloc";

	if (!ops)
		return -ENODEV;
	if ((flags || user_data) && !has_alloc_paging_flags(ops))
		return iommu_refuse(m, -EOPNOTSUPP, f,
				    "the %s driver has no "
				    "domain_alloc_paging_flags",
				    ops->name);
	if (flags & ~HWPT_VALID_FLAGS)
		return iommu_refuse(m, -EOPNOTSUPP, f, "unknown flags 0x%x",
				    flags & ~HWPT_VALID_FLAGS);
	/* device_iommu_capable(IOMMU_CAP_DIRTY_TRACKING): only the mock's
	 * mock_domain_capable() says yes (amd_iommu_hd_support() and
	 * ssads_supported() say no on QEMU's IOMMUs) */
	if ((flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) &&
	    !(ops->kind == IOMMU_DRV_MOCK &&
	      mock_domain_capable_dirty(m, idev->dev)))
		return iommu_refuse(m, -EOPNOTSUPP, f,
				    "%s: no IOMMU_CAP_DIRTY_TRACKING",
				    idev->dev->name);
	if ((flags & IOMMU_HWPT_FAULT_ID_VALID) &&
	    (flags & IOMMU_HWPT_ALLOC_NEST_PARENT))
		return iommu_refuse(m, -EOPNOTSUPP, f,
				    "FAULT_ID_VALID with NEST_PARENT");
	return 0;
}

/*
 * iommufd_hwpt_paging_alloc(): a new, unpublished paging HWPT on @ioas
 * for @idev's driver, its domain filled with the IOAS's mappings; with
 * @immediate_attach the device is attached to it too, at @pasid. The caller
 * finalizes or aborts it. Nothing changed on error.
 */
int iommufd_hwpt_paging_alloc(struct iommufd_ctx *ictx,
			      struct iommufd_ioas *ioas,
			      struct iommufd_device *idev, u32 pasid, u32 flags,
			      bool immediate_attach,
			      const struct iommu_user_data *user_data,
			      struct iommufd_hwpt_paging **out)
{
	struct iommu_device *ops = get_iommu_ops(idev);
	struct iommufd_hwpt_paging *hwpt_paging;
	struct iommufd_hw_pagetable *hwpt;
	int rc;

	rc = hwpt_paging_check(idev, ops, flags, user_data);
	if (rc)
		return rc;
	rc = _iommufd_object_alloc(ictx, sizeof(*hwpt_paging),
				   IOMMUFD_OBJ_HWPT_PAGING,
				   (void **)&hwpt_paging);
	if (rc)
		return rc;
	hwpt = &hwpt_paging->common;
	hwpt->pasid_compat = flags & IOMMU_HWPT_ALLOC_PASID;
	/* pairs with iommufd_hwpt_paging_destroy() */
	obj_users_inc(&ioas->obj);
	hwpt_paging->ioas = ioas;
	hwpt_paging->nest_parent = flags & IOMMU_HWPT_ALLOC_NEST_PARENT;
	rc = alloc_domain(idev, ops, flags & ~IOMMU_HWPT_FAULT_ID_VALID,
			  user_data, &hwpt->domain);
	if (rc) {
		hwpt->domain = NULL;
		goto out_abort;
	}
	/* Set before any map: AMD's and the noiommu table's FORCE_COHERENCE
	 * make enforce_cache_coherency() succeed on every domain they give */
	if (idev->enforce_cache_coherency)
		hwpt_paging->enforce_cache_coherency = true;
	if (immediate_attach) {
		rc = iommufd_hw_pagetable_attach(hwpt, idev, pasid);
		if (rc)
			goto out_abort;
	}
	rc = iopt_table_add_domain(&ioas->iopt, hwpt->domain);
	if (rc)
		goto out_detach;
	g_ptr_array_add(ioas->hwpt_list, hwpt_paging);
	hwpt_paging->listed = true;
	*out = hwpt_paging;
	return 0;

out_detach:
	if (immediate_attach)
		iommufd_hw_pagetable_detach(idev, pasid);
out_abort:
	iommufd_object_abort_and_destroy(ictx, &hwpt->obj);
	return rc;
}

/* iommufd_hwpt_nested_destroy() (and its abort) */
void iommufd_hwpt_nested_destroy(struct obj_header *obj)
{
	struct iommufd_hwpt_nested *hwpt_nested =
		(struct iommufd_hwpt_nested *)obj;
	struct iommufd_ctx *ictx = hwpt_nested->parent->ioas->ictx;

	hwpt_destroy_common(ictx, &hwpt_nested->common);
	if (hwpt_nested->viommu)
		obj_users_dec(&hwpt_nested->viommu->obj);
	else
		obj_users_dec(&hwpt_nested->parent->common.obj);
}

/* ops->domain_alloc_nested: the selftest's mock is the one modelled
 * driver that has it and can make a NEST_PARENT parent */
static int driver_alloc_nested(struct iommufd_device *idev,
			       struct iommu_domain *parent, u32 flags,
			       const struct iommu_user_data *user_data,
			       struct iommu_domain **out)
{
	struct iommu_model *m = idev->ictx->m;

	if (idev->dev->iommu->kind != IOMMU_DRV_MOCK)
		return iommu_refuse(m, IOMMU_UB, "iommufd_hwpt_nested_alloc",
				    "no NEST_PARENT HWPT of the %s driver "
				    "can exist",
				    idev->dev->iommu->name);
	return mock_domain_alloc_nested(m, idev->dev, parent, flags, user_data,
					out);
}

/* iommufd_hwpt_nested_alloc()'s checks before anything is allocated */
static int hwpt_nested_check(struct iommufd_device *idev,
			     struct iommufd_hwpt_paging *parent, u32 flags,
			     u32 data_len)
{
	struct iommu_device *ops = get_iommu_ops(idev);
	const char *f = "iommufd_hwpt_nested_alloc";

	if ((flags & ~(IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID)) ||
	    !data_len || !ops || !has_alloc_nested(ops))
		return iommu_refuse(idev->ictx->m, -EOPNOTSUPP, f,
				    "flags 0x%x, data_len %u, or no "
				    "domain_alloc_nested",
				    flags, data_len);
	if (parent->auto_domain || !parent->nest_parent ||
	    parent->common.domain->owner != ops)
		return iommu_refuse(idev->ictx->m, -EINVAL, f,
				    "HWPT %u is %s, not a NEST_PARENT HWPT of "
				    "this driver",
				    parent->common.obj.id,
				    parent->auto_domain ? "automatic"
							: "manual");
	return 0;
}

/* A nested HWPT object, reserved; its domain still to come */
static int hwpt_nested_new(struct iommufd_ctx *ictx, u32 flags,
			   struct iommufd_hwpt_nested **out)
{
	int rc = _iommufd_object_alloc(ictx, sizeof(**out),
				       IOMMUFD_OBJ_HWPT_NESTED, (void **)out);

	if (!rc)
		(*out)->common.pasid_compat = flags & IOMMU_HWPT_ALLOC_PASID;
	return rc;
}

/* iommufd_hwpt_nested_alloc(): a NESTED domain on @parent, unpublished */
static int hwpt_nested_alloc(struct iommufd_ctx *ictx,
			     struct iommufd_hwpt_paging *parent,
			     struct iommufd_device *idev, u32 flags,
			     const struct iommu_user_data *user_data,
			     struct iommufd_hw_pagetable **out)
{
	struct iommufd_hwpt_nested *hwpt_nested;
	struct iommufd_hw_pagetable *hwpt;
	int rc;

	rc = hwpt_nested_check(idev, parent, flags, user_data->len);
	if (rc)
		return rc;
	rc = hwpt_nested_new(ictx, flags, &hwpt_nested);
	if (rc)
		return rc;
	hwpt = &hwpt_nested->common;
	/* pairs with iommufd_hwpt_nested_destroy() */
	obj_users_inc(&parent->common.obj);
	hwpt_nested->parent = parent;
	rc = driver_alloc_nested(idev, parent->common.domain,
				 flags & ~IOMMU_HWPT_FAULT_ID_VALID, user_data,
				 &hwpt->domain);
	if (rc)
		goto out_abort;
	*out = hwpt;
	return 0;

out_abort:
	iommufd_object_abort_and_destroy(ictx, &hwpt->obj);
	return rc;
}

/* iommufd_viommu_alloc_hwpt_nested(): a NESTED domain for @viommu */
static int viommu_alloc_hwpt_nested(struct iommufd_viommu *viommu, u32 flags,
				    const struct iommu_user_data *user_data,
				    struct iommufd_hw_pagetable **out)
{
	struct iommufd_hwpt_nested *hwpt_nested;
	struct iommufd_hw_pagetable *hwpt;
	int rc;

	if ((flags & ~(IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID)) ||
	    !user_data->len || !viommu->ops ||
	    !viommu->ops->alloc_domain_nested)
		return iommu_refuse(viommu->ictx->m, -EOPNOTSUPP,
				    "iommufd_viommu_alloc_hwpt_nested",
				    "flags 0x%x or data_len %u", flags,
				    user_data->len);
	rc = hwpt_nested_new(viommu->ictx, flags, &hwpt_nested);
	if (rc)
		return rc;
	hwpt = &hwpt_nested->common;
	/* the vIOMMU's reference, not the parent's: it holds the parent */
	hwpt_nested->viommu = viommu;
	obj_users_inc(&viommu->obj);
	hwpt_nested->parent = viommu->hwpt;
	rc = viommu->ops->alloc_domain_nested(
		viommu, flags & ~IOMMU_HWPT_FAULT_ID_VALID, user_data,
		&hwpt->domain);
	if (rc)
		goto out_abort;
	*out = hwpt;
	return 0;

out_abort:
	iommufd_object_abort_and_destroy(viommu->ictx, &hwpt->obj);
	return rc;
}

/* iommufd_device_get_iommu_dev(): NULL for a noiommu device */
static struct iommu_device *device_iommu_dev(struct iommufd_device *idev)
{
	return idev->igroup->group ? idev->dev->iommu : NULL;
}

/* IOMMU_HWPT_ALLOC on a vIOMMU: its IOMMU must be the device's */
static int hwpt_alloc_on_viommu(struct iommufd_ucmd *ucmd,
				struct iommufd_device *idev,
				struct iommufd_viommu *viommu,
				const struct iommu_user_data *user_data,
				struct iommufd_hw_pagetable **out)
{
	struct iommu_hwpt_alloc *cmd = ucmd->cmd;
	struct iommu_device *iommu_dev = device_iommu_dev(idev);

	if (!iommu_dev || viommu->iommu_dev != iommu_dev)
		return iommu_refuse(ucmd->ictx->m, -EINVAL,
				    "iommufd_hwpt_alloc",
				    "vIOMMU %u is not on %s's IOMMU",
				    viommu->obj.id, idev->dev->name);
	return viommu_alloc_hwpt_nested(viommu, cmd->flags, user_data, out);
}

/* IOMMU_HWPT_ALLOC on an IOAS, a HWPT or a vIOMMU: the HWPT, unpublished */
static int hwpt_alloc_on(struct iommufd_ucmd *ucmd, struct iommufd_device *idev,
			 struct obj_header *pt_obj,
			 struct iommufd_hw_pagetable **out)
{
	struct iommu_hwpt_alloc *cmd = ucmd->cmd;
	const struct iommu_user_data user_data = {
		.type = cmd->data_type,
		.uptr = cmd->data_uptr,
		.len = cmd->data_len,
		.task = ucmd->task,
	};
	struct iommufd_hwpt_paging *hwpt_paging;
	int rc;

	switch (pt_obj->type) {
	case IOMMUFD_OBJ_IOAS:
		rc = iommufd_hwpt_paging_alloc(
			ucmd->ictx, (struct iommufd_ioas *)pt_obj, idev,
			IOMMU_NO_PASID, cmd->flags, false,
			user_data.len ? &user_data : NULL, &hwpt_paging);
		if (!rc)
			*out = &hwpt_paging->common;
		return rc;
	case IOMMUFD_OBJ_HWPT_PAGING:
		return hwpt_nested_alloc(ucmd->ictx,
					 (struct iommufd_hwpt_paging *)pt_obj,
					 idev, cmd->flags, &user_data, out);
	case IOMMUFD_OBJ_VIOMMU:
		return hwpt_alloc_on_viommu(ucmd, idev,
					    (struct iommufd_viommu *)pt_obj,
					    &user_data, out);
	default:
		return iommu_refuse(
			ucmd->ictx->m, -EINVAL, "iommufd_hwpt_alloc",
			"pt_id %u is not an IOAS, a HWPT or a vIOMMU",
			cmd->pt_id);
	}
}

/* iommufd_hwpt_alloc(): IOMMU_HWPT_ALLOC */
int iommufd_hwpt_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_alloc *cmd = ucmd->cmd;
	struct iommufd_hw_pagetable *hwpt = NULL;
	struct iommufd_device *idev;
	struct obj_header *pt_obj;
	int rc;

	/* __reserved: the ioctl table's row (main.c) */
	if ((cmd->data_type == IOMMU_HWPT_DATA_NONE && cmd->data_len) ||
	    (cmd->data_type != IOMMU_HWPT_DATA_NONE && !cmd->data_len))
		return -EINVAL;
	idev = iommufd_get_device(ucmd, cmd->dev_id);
	if (!idev)
		return -ENOENT;
	pt_obj = iommufd_get_object(ucmd->ictx, cmd->pt_id, IOMMUFD_OBJ_ANY);
	if (!pt_obj) {
		rc = -EINVAL; /* not -ENOENT: 7.3 maps a bad pt_id to EINVAL */
		goto out_put_idev;
	}
	rc = hwpt_alloc_on(ucmd, idev, pt_obj, &hwpt);
	if (rc)
		goto out_put_pt;
	if (cmd->flags & IOMMU_HWPT_FAULT_ID_VALID) {
		struct iommufd_fault *fault =
			iommufd_get_fault(ucmd, cmd->fault_id);

		if (!fault) {
			rc = iommu_refuse(ucmd->ictx->m, -ENOENT,
					  "iommufd_get_fault",
					  "no fault object %u", cmd->fault_id);
			goto out_hwpt;
		}
		/* no modelled device raises page requests, so the domain's
		 * iopf_handler is never called */
		hwpt->fault = fault;
		obj_users_inc(&fault->common.obj);
		iommufd_put_object(ucmd->ictx, &fault->common.obj);
	}
	cmd->out_hwpt_id = hwpt->obj.id;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (rc)
		goto out_hwpt;
	iommufd_object_finalize(ucmd->ictx, &hwpt->obj);
	goto out_put_pt;

out_hwpt:
	iommufd_object_abort_and_destroy(ucmd->ictx, &hwpt->obj);
out_put_pt:
	iommufd_put_object(ucmd->ictx, pt_obj);
out_put_idev:
	iommufd_put_object(ucmd->ictx, &idev->obj);
	return rc;
}

static struct iommufd_hwpt_paging *get_hwpt_paging(struct iommufd_ucmd *ucmd,
						   u32 id)
{
	return (struct iommufd_hwpt_paging *)iommufd_get_object(
		ucmd->ictx, id, IOMMUFD_OBJ_HWPT_PAGING);
}

/* iommufd_hwpt_set_dirty_tracking() */
int iommufd_hwpt_set_dirty_tracking(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_set_dirty_tracking *cmd = ucmd->cmd;
	struct iommufd_hwpt_paging *hwpt_paging;
	int rc;

	/* flags: the ioctl table's row (main.c) */
	hwpt_paging = get_hwpt_paging(ucmd, cmd->hwpt_id);
	if (!hwpt_paging)
		return -ENOENT;
	rc = iopt_set_dirty_tracking(
		&hwpt_paging->ioas->iopt, hwpt_paging->common.domain,
		cmd->flags & IOMMU_HWPT_DIRTY_TRACKING_ENABLE);
	iommufd_put_object(ucmd->ictx, &hwpt_paging->common.obj);
	return rc;
}

/* iommufd_hwpt_get_dirty_bitmap() */
int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_get_dirty_bitmap *cmd = ucmd->cmd;
	struct iommufd_hwpt_paging *hwpt_paging;
	int rc;

	/* flags and __reserved: the ioctl table's row (main.c) */
	hwpt_paging = get_hwpt_paging(ucmd, cmd->hwpt_id);
	if (!hwpt_paging)
		return -ENOENT;
	rc = iopt_read_and_clear_dirty_data(&hwpt_paging->ioas->iopt,
					    hwpt_paging->common.domain,
					    ucmd->task, cmd);
	iommufd_put_object(ucmd->ictx, &hwpt_paging->common.obj);
	return rc;
}

/* An arbitrary entry_num cap (hw_pagetable.c) */
#define IOMMU_HWPT_INVALIDATE_ENTRY_NUM_MAX (1u << 19)

/* A nested HWPT's cache_invalidate_user or a vIOMMU's cache_invalidate:
 * @array->entry_num comes back as the number of entries handled */
static int hwpt_invalidate_on(struct iommufd_ucmd *ucmd,
			      struct obj_header *pt_obj,
			      struct iommu_user_data_array *array)
{
	struct iommufd_viommu *viommu;
	struct iommu_domain *domain;

	switch (pt_obj->type) {
	case IOMMUFD_OBJ_HWPT_NESTED:
		domain = ((struct iommufd_hw_pagetable *)pt_obj)->domain;
		/* domain_nested_ops.cache_invalidate_user: the mock's */
		return mock_domain_cache_invalidate_user(ucmd->ictx->m, domain,
							 array);
	case IOMMUFD_OBJ_VIOMMU:
		viommu = (struct iommufd_viommu *)pt_obj;
		if (!viommu->ops || !viommu->ops->cache_invalidate) {
			array->entry_num = 0;
			return -EOPNOTSUPP;
		}
		return viommu->ops->cache_invalidate(viommu, array);
	default:
		array->entry_num = 0;
		return iommu_refuse(ucmd->ictx->m, -EINVAL,
				    "iommufd_hwpt_invalidate",
				    "object %u is neither a nested HWPT nor "
				    "a vIOMMU",
				    pt_obj->id);
	}
}

/* iommufd_hwpt_invalidate(): entry_num reports what was done even on
 * failure, and a failed copy-out overrides the errno */
int iommufd_hwpt_invalidate(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_invalidate *cmd = ucmd->cmd;
	struct iommu_user_data_array array = {
		.type = cmd->data_type,
		.uptr = cmd->data_uptr,
		.entry_len = cmd->entry_len,
		.entry_num = cmd->entry_num,
		.task = ucmd->task,
	};
	struct obj_header *pt_obj;
	u32 done_num = 0;
	int rc;

	if (cmd->__reserved) {
		rc = -EOPNOTSUPP;
		goto out;
	}
	if (cmd->entry_num &&
	    (!cmd->data_uptr || !cmd->entry_len ||
	     cmd->entry_len > IOMMUFD_PAGE_SIZE ||
	     cmd->entry_num > IOMMU_HWPT_INVALIDATE_ENTRY_NUM_MAX)) {
		rc = -EINVAL;
		goto out;
	}
	pt_obj = iommufd_get_object(ucmd->ictx, cmd->hwpt_id, IOMMUFD_OBJ_ANY);
	if (!pt_obj) {
		rc = -ENOENT;
		goto out;
	}
	rc = hwpt_invalidate_on(ucmd, pt_obj, &array);
	done_num = array.entry_num;
	iommufd_put_object(ucmd->ictx, pt_obj);
out:
	cmd->entry_num = done_num;
	if (iommufd_ucmd_respond(ucmd, sizeof(*cmd)))
		return -EFAULT;
	return rc;
}
