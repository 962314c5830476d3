// SPDX-License-Identifier: MIT
/*
 * selftest_pasid.c - IOMMU_TEST_CMD's PASID ops, after Linux 7.3's
 * drivers/iommu/iommufd/selftest.c (iommufd_test_pasid_attach(),
 * _pasid_replace(), _pasid_detach(), _pasid_check_hwpt()): a mock
 * device's iommufd_device attached, replaced and detached at a PASID
 * through device_attach.c, exactly as VFIO's cdev does it with
 * VFIO_DEVICE_ATTACH_PASID, and what the group's pasid_array holds at a
 * PASID read back through its attach handle.
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"
#include "core/kerrno.h"

/* iommufd_test_pasid_attach() and iommufd_test_pasid_replace(); pt_id
 * is written back, as iommufd_ucmd_respond() copies the whole command
 * (the model's respond cannot fail, so attach's detach-on-EFAULT path
 * is not reached) */
static int pasid_change(struct iommufd_ucmd *ucmd, struct iommu_test_cmd *cmd,
			bool replace)
{
	struct obj_header *obj;
	struct iommufd_device *idev =
		iommufd_test_selftest_idev(ucmd->ictx, cmd->id, &obj);
	int rc;

	if (!idev)
		return -ENOENT;
	rc = replace ? iommufd_device_replace(idev, cmd->pasid_attach.pasid,
					      &cmd->pasid_attach.pt_id)
		     : iommufd_device_attach(idev, cmd->pasid_attach.pasid,
					     &cmd->pasid_attach.pt_id);
	if (!rc)
		rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	iommufd_put_object(ucmd->ictx, obj);
	return rc;
}

/* iommufd_test_pasid_detach(): always 0, attached or not */
static int pasid_detach(struct iommufd_ucmd *ucmd, struct iommu_test_cmd *cmd)
{
	struct obj_header *obj;
	struct iommufd_device *idev =
		iommufd_test_selftest_idev(ucmd->ictx, cmd->id, &obj);

	if (!idev)
		return -ENOENT;
	iommufd_device_detach(idev, cmd->pasid_detach.pasid);
	iommufd_put_object(ucmd->ictx, obj);
	return 0;
}

/* iommu_attach_handle_get(group, pasid, 0)->domain: an entry with an
 * attach handle, or NULL (-ENOENT: none, or a domain without handle) */
static struct iommu_domain *handle_domain(struct iommu_group *group, u32 pasid)
{
	const struct iommu_pasid_entry *e;

	if (pasid == IOMMU_NO_PASID)
		return group->handle;
	e = iommu_group_pasid_entry(group, pasid);
	return e && e->handle ? e->domain : NULL;
}

/* iommufd_test_pasid_check_hwpt(): hwpt_id 0 asks that nothing is
 * attached at the PASID, another that its HWPT's domain is */
static int pasid_check_hwpt(struct iommufd_ucmd *ucmd,
			    struct iommu_test_cmd *cmd)
{
	u32 hwpt_id = cmd->pasid_check.hwpt_id;
	struct iommu_model *m = ucmd->ictx->m;
	struct iommu_domain *attached;
	struct obj_header *obj, *pt;
	struct iommufd_device *idev =
		iommufd_test_selftest_idev(ucmd->ictx, cmd->id, &obj);
	int rc = 0;

	if (!idev)
		return -ENOENT;
	attached =
		handle_domain(idev->dev->iommu_group, cmd->pasid_check.pasid);
	if (!hwpt_id) {
		if (attached)
			rc = iommu_refuse(m, -EINVAL,
					  "iommufd_test_pasid_check_hwpt",
					  "pasid %u is attached to %s",
					  cmd->pasid_check.pasid,
					  iommu_domain_name(attached));
		goto out_put;
	}
	/* iommufd_get_hwpt(): a paging or nested HWPT, else -EINVAL */
	pt = iommufd_get_object(ucmd->ictx, hwpt_id, IOMMUFD_OBJ_ANY);
	rc = -ENOENT;
	if (!pt)
		goto out_put;
	rc = 0;
	if ((pt->type != IOMMUFD_OBJ_HWPT_PAGING &&
	     pt->type != IOMMUFD_OBJ_HWPT_NESTED) ||
	    attached != ((struct iommufd_hw_pagetable *)pt)->domain)
		rc = iommu_refuse(m, -EINVAL, "iommufd_test_pasid_check_hwpt",
				  "pasid %u is not attached to HWPT %u",
				  cmd->pasid_check.pasid, hwpt_id);
	iommufd_put_object(ucmd->ictx, pt);
out_put:
	iommufd_put_object(ucmd->ictx, obj);
	return rc;
}

int iommufd_test_pasid(struct iommufd_ucmd *ucmd)
{
	struct iommu_test_cmd *cmd = ucmd->cmd;

	switch (cmd->op) {
	case IOMMU_TEST_OP_PASID_ATTACH:
		return pasid_change(ucmd, cmd, false);
	case IOMMU_TEST_OP_PASID_REPLACE:
		return pasid_change(ucmd, cmd, true);
	case IOMMU_TEST_OP_PASID_DETACH:
		return pasid_detach(ucmd, cmd);
	default:
		return pasid_check_hwpt(ucmd, cmd);
	}
}
