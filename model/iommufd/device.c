// SPDX-License-Identifier: MIT
/*
 * device.c - binding a device to a ctx (the kernel side of
 * VFIO_DEVICE_BIND_IOMMUFD), the igroups devices share, unbind, and
 * IOMMU_GET_HW_INFO, after Linux 7.3's drivers/iommu/iommufd/device.c.
 * Attach, replace and detach are in device_attach.c.
 *
 * Ownership: a bound device holds its igroup reference (released by
 * iommufd_device_destroy()), a ctx file reference (iommufd_ctx_get(),
 * taken only once the igroup is set, so a half-built idev can be
 * destroyed), and, with an IOMMU, a DMA ownership claim on its group
 * whose cookie is the ctx. A noiommu device (dev->iommu NULL) holds a
 * dummy igroup of its own whose group is NULL and claims nothing.
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"
#include "core/kerrno.h"

/*
 * iommufd_device_is_noiommu(): dev->iommu, not device_iommu_mapped()
 * (dev->iommu_group). When VFIO's group path and cdev path coexist, the
 * group path gives a noiommu device a fake "vfio-noiommu" iommu_group; a
 * dev->iommu_group test would then send the cdev bind down the IOMMU path
 * (where device_iommu_capable() fails it with -EINVAL). dev->iommu is NULL
 * whenever no IOMMU driver manages the device. CONFIG_IOMMUFD_NOIOMMU is
 * modelled as built in (the guest's config: VFIO_NOIOMMU selects it).
 */
bool iommufd_device_is_noiommu(const struct iommufd_device *idev)
{
	return !idev->dev->dev_iommu;
}

/* device_iommu_capable(): false without dev->iommu */
static bool device_cap_cache_coherency(struct device *dev)
{
	return dev->dev_iommu && dev->iommu->cap_cache_coherency;
}

/*
 * iommu_group_has_isolated_msi(): every device's MSI domain isolates
 * (IRQ_DOMAIN_FLAG_ISOLATED_MSI, set on the interrupt-remapping domain of
 * the IOMMU covering it: amd/iommu.c, intel/irq_remapping.c).
 */
static bool group_has_isolated_msi(struct iommu_group *group)
{
	for (guint i = 0; i < group->devices->len; i++) {
		struct device *dev = group->devices->pdata[i];

		if (!dev->iommu || !dev->iommu->irq_remap)
			return false;
	}
	return true;
}

/* iommufd_group_release() via kref_put() */
static void iommufd_put_group(struct iommufd_group *igroup)
{
	if (--igroup->ref)
		return;
	/* WARN_ON(!xa_empty(&igroup->pasid_attach)) in iommufd_group_release() */
	if (IOMMU_WARN_ON_AS(igroup->ictx->m, igroup->attach || igroup->pasids,
			     "iommufd_group_release",
			     "!xa_empty(&igroup->pasid_attach)") &&
	    igroup->pasids)
		g_hash_table_destroy(igroup->pasids);
	if (igroup->group) {
		g_hash_table_remove(igroup->ictx->groups,
				    GINT_TO_POINTER(igroup->group->id));
		iommu_group_ref_put(igroup->ictx->m, igroup->group);
	}
	g_free(igroup);
}

/* iommufd_alloc_group(): kzalloc, the knob's "igroup" site */
static struct iommufd_group *iommufd_alloc_group(struct iommufd_ctx *ictx,
						 struct iommu_group *group)
{
	struct iommufd_group *igroup;

	if (iommufd_should_fail(ictx, "iommufd_alloc_group"))
		return NULL;
	igroup = g_new0(struct iommufd_group, 1);
	igroup->ref = 1;
	igroup->ictx = ictx;
	/* the group reference (iommu_group_get()) moves into the igroup */
	igroup->group = group;
	if (group)
		iommu_group_ref_get(group);
	igroup->sw_msi_start = ~0ull; /* PHYS_ADDR_MAX */
	return igroup;
}

/*
 * iommufd_get_group(): the ctx's igroup for the device's group, shared
 * (ref + 1), or a new one installed in ictx->groups. The model is
 * single-threaded, so the xa_cmpxchg() retry loop reduces to one insert,
 * which can still fail to allocate its xarray node.
 */
static int iommufd_get_group(struct iommufd_ctx *ictx, struct device *dev,
			     struct iommufd_group **out)
{
	struct iommu_group *group = dev->iommu_group;
	struct iommufd_group *igroup;

	if (!group)
		return iommu_refuse(ictx->m, -ENODEV, "iommufd_get_group",
				    "%s has no iommu_group", dev->name);
	igroup = g_hash_table_lookup(ictx->groups, GINT_TO_POINTER(group->id));
	if (igroup) {
		igroup->ref++;
		*out = igroup;
		return 0;
	}
	igroup = iommufd_alloc_group(ictx, group);
	if (!igroup)
		return -ENOMEM;
	if (iommufd_should_fail(ictx, "xa_cmpxchg(ictx->groups)")) {
		iommufd_put_group(igroup);
		return -ENOMEM;
	}
	g_hash_table_insert(ictx->groups, GINT_TO_POINTER(group->id), igroup);
	*out = igroup;
	return 0;
}

void iommufd_device_pre_destroy(struct obj_header *obj)
{
	iommufd_device_remove_vdev((struct iommufd_device *)obj);
}

/*
 * iommufd_device_destroy(): also the abort of a half-built idev. A NULL
 * igroup means bind failed before it took anything (no claim, no ctx
 * reference); a noiommu idev claimed no ownership.
 */
void iommufd_device_destroy(struct obj_header *obj)
{
	struct iommufd_device *idev = (struct iommufd_device *)obj;

	if (!idev->igroup)
		return;
	if (!iommufd_device_is_noiommu(idev))
		iommu_device_release_dma_owner(idev->ictx->m, idev->dev);
	iommufd_put_group(idev->igroup);
	if (!iommufd_selftest_is_mock_dev(idev->ictx->m, idev->dev))
		iommufd_ctx_put(idev->ictx);
}

/* The ctx as a DMA-ownership cookie: a name no other ctx has used. */
static const char *ctx_cookie(struct iommufd_ctx *ictx)
{
	for (unsigned int n = 1; !ictx->owner_cookie; n++) {
		char name[32];

		g_snprintf(name, sizeof(name), "iommufd#%u", n);
		if (!g_hash_table_contains(ictx->m->cookies, name))
			ictx->owner_cookie = iommu_cookie(ictx->m, name);
	}
	return ictx->owner_cookie;
}

/* iommufd_bind_iommu() */
static int iommufd_bind_iommu(struct iommufd_device *idev)
{
	struct iommufd_ctx *ictx = idev->ictx;
	struct iommu_model *m = ictx->m;
	struct device *dev = idev->dev;
	struct iommufd_group *igroup = NULL;
	int rc;

	/* iommufd always sets IOMMU_CACHE: nothing could restore coherency */
	if (!device_cap_cache_coherency(dev))
		return iommu_refuse(m, -EINVAL, "iommufd_bind_iommu",
				    "%s: no IOMMU_CAP_CACHE_COHERENCY",
				    dev->name);
	rc = iommufd_get_group(ictx, dev, &igroup);
	if (rc)
		return rc;
	if (!iommufd_selftest_is_mock_dev(m, dev) &&
	    !group_has_isolated_msi(igroup->group) &&
	    !m->iommufd_allow_unsafe_interrupts) {
		rc = iommu_refuse(m, -EPERM, "iommufd_bind_iommu",
				  "group %d cannot isolate MSIs (no interrupt "
				  "remapping) and iommufd."
				  "allow_unsafe_interrupts is 0",
				  igroup->group->id);
		goto out_group_put;
	}
	rc = iommu_device_claim_dma_owner(m, dev, ctx_cookie(ictx));
	if (rc)
		goto out_group_put;
	/* the igroup reference moves into the idev */
	idev->igroup = igroup;
	idev->enforce_cache_coherency = dev->iommu->cap_enforce_cache_coherency;
	return 0;

out_group_put:
	iommufd_put_group(igroup);
	return rc;
}

/*
 * iommufd_bind_noiommu(): a dummy igroup with a NULL group, so code that
 * expects idev->igroup works; it is in no ictx->groups and shared by none.
 */
static int iommufd_bind_noiommu(struct iommufd_device *idev)
{
	struct iommufd_group *igroup = iommufd_alloc_group(idev->ictx, NULL);

	if (!igroup)
		return -ENOMEM;
	idev->igroup = igroup;
	return 0;
}

/*
 * iommufd_device_bind(): 0 with *out and *id set, or a negative errno with
 * nothing changed. The caller (VFIO) undoes it with iommufd_device_unbind().
 */
int iommufd_device_bind(struct iommufd_ctx *ictx, struct device *dev, u32 *id,
			struct iommufd_device **out)
{
	struct iommufd_device *idev;
	int rc;

	rc = _iommufd_object_alloc(ictx, sizeof(*idev), IOMMUFD_OBJ_DEVICE,
				   (void **)&idev);
	if (rc)
		return rc;
	idev->ictx = ictx;
	idev->dev = dev;
	if (!iommufd_device_is_noiommu(idev))
		rc = iommufd_bind_iommu(idev);
	else
		rc = iommufd_bind_noiommu(idev);
	if (rc)
		goto err_out;
	/* Only now, so that destroy of a half-built idev puts nothing; a
	 * mock device's selftest object lives in the ctx and holds none */
	if (!iommufd_selftest_is_mock_dev(ictx->m, dev))
		iommufd_ctx_get(ictx);
	/* The calling driver is a user until iommufd_device_unbind() */
	obj_users_inc(&idev->obj);
	iommufd_object_finalize(ictx, &idev->obj);
	*id = idev->obj.id;
	*out = idev;
	return 0;

err_out:
	/* iommufd_device_destroy() copes with the half-built idev */
	iommufd_object_abort_and_destroy(ictx, &idev->obj);
	return rc;
}

/* iommufd_ctx_has_group(): any device of @group bound to @ictx */
bool iommufd_ctx_has_group(struct iommufd_ctx *ictx, struct iommu_group *group)
{
	if (!ictx || !group)
		return false;
	for (unsigned int id = obj_next_id(&ictx->objects, 0); id;
	     id = obj_next_id(&ictx->objects, id)) {
		struct obj_header *obj = obj_peek(&ictx->objects, id);

		if (obj->type == IOMMUFD_OBJ_DEVICE &&
		    ((struct iommufd_device *)obj)->igroup->group == group)
			return true;
	}
	return false;
}

/* iommufd_device_unbind(): the driver's users reference goes, then the
 * object (the caller detached first; a bug otherwise, as the WARN says) */
void iommufd_device_unbind(struct iommufd_device *idev)
{
	iommufd_object_destroy_user(idev->ictx, &idev->obj);
}

/*
 * ops->hw_info() of the modelled drivers: intel_iommu_hw_info() (its
 * cap/ecap registers are not modelled: zero), arm_smmu_hw_info() (IDRs
 * likewise). amd_iommu_ops.hw_info is NULL without
 * CONFIG_AMD_IOMMU_IOMMUFD, which the guest's config leaves unset
 * (amd/iommufd.h); tegra-smmu and the generic driver have none. Returns
 * the data length, 0 for no callback, or -EOPNOTSUPP for a type asked for
 * that the driver does not report.
 */
static int driver_hw_info(struct iommu_device *iommu, u32 *type,
			  struct iommu_hw_info_vtd *vtd,
			  struct iommu_hw_info_arm_smmuv3 *smmu)
{
	switch (iommu->kind) {
	case IOMMU_DRV_INTEL_VTD:
		if (*type != IOMMU_HW_INFO_TYPE_DEFAULT &&
		    *type != IOMMU_HW_INFO_TYPE_INTEL_VTD)
			return -EOPNOTSUPP;
		vtd->flags = IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17;
		*type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
		return sizeof(*vtd);
	case IOMMU_DRV_ARM_SMMU_V3:
		if (*type != IOMMU_HW_INFO_TYPE_DEFAULT &&
		    *type != IOMMU_HW_INFO_TYPE_ARM_SMMUV3)
			return -EOPNOTSUPP;
		*type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
		return sizeof(*smmu);
	default:
		*type = IOMMU_HW_INFO_TYPE_NONE;
		return 0;
	}
}

/* What a driver's hw_info() gives (one of them) */
union hw_info_data {
	struct iommu_hw_info_vtd vtd;
	struct iommu_hw_info_arm_smmuv3 smmu;
	struct iommu_test_hw_info mock;
};

/* Copy min(user's, kernel's) bytes and zero the user's tail
 * (iommufd_get_hw_info(): copy_to_user(), then clear_user(): nothing the
 * size of the user's data_len is allocated) */
static int hw_info_copy_out(struct iommufd_ucmd *ucmd,
			    struct iommu_hw_info *cmd, const void *data,
			    u32 data_len)
{
	u32 copy_len = MIN(cmd->data_len, data_len);
	int rc;

	if (!cmd->data_len)
		return 0;
	rc = process_copy_to_user(ucmd->task, cmd->data_uptr, data, copy_len);
	if (!rc && cmd->data_len > copy_len)
		rc = process_clear_user(ucmd->task, cmd->data_uptr + copy_len,
					cmd->data_len - copy_len);
	return rc;
}

/* ops->hw_info() for @idev: the data length, its type, caps and PASID
 * width as iommufd_get_hw_info() reports them */
static int idev_hw_info(struct iommufd_device *idev, struct iommu_hw_info *cmd,
			union hw_info_data *data, u64 *caps, u8 *pasid_log2)
{
	struct device *dev = idev->dev;

	/* No modelled IOMMU has dirty tracking, ATS or PASIDs: QEMU's
	 * devices expose no ATS capability (amd_iommu_capable(),
	 * intel_iommu_capable() IOMMU_CAP_PCI_ATS_SUPPORTED) */
	*caps = IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED;
	*pasid_log2 = 0;
	if (iommufd_selftest_is_mock_dev(idev->ictx->m, dev))
		return mock_domain_hw_info(idev->ictx->m, dev,
					   &cmd->out_data_type, &data->mock,
					   caps, pasid_log2);
	return driver_hw_info(dev->iommu, &cmd->out_data_type, &data->vtd,
			      &data->smmu);
}

/* iommufd_get_hw_info(): IOMMU_GET_HW_INFO */
int iommufd_get_hw_info(struct iommufd_ucmd *ucmd)
{
	struct iommu_hw_info *cmd = ucmd->cmd;
	union hw_info_data data;
	struct iommufd_device *idev;
	u64 caps;
	u8 pasid_log2;
	u32 data_len;
	int rc;

	/* flags and __reserved: the ioctl table's row (main.c); drivers take no random input type */
	if (!(cmd->flags & IOMMU_HW_INFO_FLAG_INPUT_TYPE))
		cmd->in_data_type = IOMMU_HW_INFO_TYPE_DEFAULT;
	idev = iommufd_get_device(ucmd, cmd->dev_id);
	if (!idev)
		return -ENOENT;
	rc = -EOPNOTSUPP;
	if (iommufd_device_is_noiommu(idev))
		goto out_put;
	memset(&data, 0, sizeof(data));
	rc = idev_hw_info(idev, cmd, &data, &caps, &pasid_log2);
	if (rc < 0)
		goto out_put;
	data_len = rc;
	rc = hw_info_copy_out(ucmd, cmd, &data, data_len);
	if (rc)
		goto out_put;
	cmd->data_len = data_len;
	cmd->out_capabilities = caps;
	cmd->out_max_pasid_log2 = pasid_log2;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
out_put:
	iommufd_put_object(ucmd->ictx, &idev->obj);
	return rc;
}
