// SPDX-License-Identifier: MIT
/*
 * device_attach.c - attaching a bound device to an IOAS or a HWPT,
 * replacing and detaching, after the second half of Linux 7.3's
 * drivers/iommu/iommufd/device.c (iommufd_hw_pagetable_attach() to
 * iommufd_device_detach()).
 *
 * Who owns what: the igroup's attach records which HWPT the group is on
 * and which of its bound devices asked for it; each of those devices holds
 * one users reference on the HWPT. Only the group's first attach and last
 * detach reach the iommu core (iommu_attach_group_handle() /
 * iommu_detach_group_handle()); a replace moves the whole group with
 * iommu_replace_group_handle(). A noiommu device has no group: those three
 * calls are skipped, and so are reserved regions, so the attach is pure
 * bookkeeping that lets its SW-only HWPT serve IOMMU_IOAS_NOIOMMU_GET_PA.
 *
 * The same per PASID: igroup->pasid_attach has an iommufd_attach per
 * PASID (igroup->attach is IOMMU_NO_PASID's, igroup->pasids the others),
 * each reaching the core once for the group (iommu_attach_device_pasid(),
 * iommu_replace_device_pasid(), iommu_detach_device_pasid()). Reserved
 * regions are the RID's only. iommufd_hwpt_pasid_compat() keeps the two
 * apart: a PASID takes only a HWPT allocated with IOMMU_HWPT_ALLOC_PASID,
 * and only while the RID's HWPT is one too; the RID cannot move to a
 * HWPT that is not while a PASID is attached.
 */
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"

typedef int (*attach_fn)(struct iommufd_device *idev, u32 pasid,
			 struct iommufd_hw_pagetable *hwpt,
			 struct iommufd_hw_pagetable **destroy);

/* xa_load(&igroup->pasid_attach, pasid) */
static struct iommufd_attach *attach_get(const struct iommufd_group *igroup,
					 u32 pasid)
{
	if (pasid == IOMMU_NO_PASID)
		return igroup->attach;
	return igroup->pasids ? g_hash_table_lookup(igroup->pasids,
						    GUINT_TO_POINTER(pasid))
			      : NULL;
}

/* xa_store() of @attach, or xa_erase() for NULL */
static void attach_set(struct iommufd_group *igroup, u32 pasid,
		       struct iommufd_attach *attach)
{
	if (pasid == IOMMU_NO_PASID) {
		igroup->attach = attach;
		return;
	}
	if (!igroup->pasids)
		igroup->pasids =
			g_hash_table_new(g_direct_hash, g_direct_equal);
	if (attach)
		g_hash_table_insert(igroup->pasids, GUINT_TO_POINTER(pasid),
				    attach);
	else
		g_hash_table_remove(igroup->pasids, GUINT_TO_POINTER(pasid));
	if (!g_hash_table_size(igroup->pasids)) {
		g_hash_table_destroy(igroup->pasids);
		igroup->pasids = NULL;
	}
}

static bool attach_has(struct iommufd_attach *attach,
		       struct iommufd_device *idev)
{
	for (guint i = 0; i < attach->devices->len; i++) {
		if (attach->devices->pdata[i] == idev)
			return true;
	}
	return false;
}

/* device_array is indexed by id: keep the array in id order */
static void attach_add(struct iommufd_attach *attach,
		       struct iommufd_device *idev)
{
	guint i = 0;

	while (i < attach->devices->len &&
	       ((struct iommufd_device *)attach->devices->pdata[i])->obj.id <
		       idev->obj.id)
		i++;
	g_ptr_array_insert(attach->devices, i, idev);
}

static void attach_free(struct iommufd_attach *attach)
{
	g_ptr_array_free(attach->devices, TRUE);
	g_free(attach);
}

/* iommufd_device_attach_reserved_iova(): the device's reserved regions
 * (the x86 MSI window, ...) become reserved IOVA of the HWPT's IOAS.
 * IOMMU_RESV_SW_MSI (iommufd_group_setup_msi()) is ARM-only: not here. */
static int attach_reserved_iova(struct iommufd_device *idev,
				struct iommufd_hwpt_paging *hwpt_paging)
{
	return iopt_table_enforce_dev_resv_regions(&hwpt_paging->ioas->iopt,
						   idev->ictx->m, idev->dev,
						   &idev->igroup->sw_msi_start);
}

/* iommufd_hwpt_pasid_compat(): the RID's HWPT and the PASIDs' must all
 * be PASID-compatible (IOMMU_HWPT_ALLOC_PASID) once a PASID is used */
static int iommufd_hwpt_pasid_compat(struct iommufd_hw_pagetable *hwpt,
				     struct iommufd_device *idev, u32 pasid)
{
	struct iommufd_group *igroup = idev->igroup;
	struct iommu_model *m = idev->ictx->m;
	const char *f = "iommufd_hwpt_pasid_compat";

	if (pasid == IOMMU_NO_PASID) {
		/* xa_find_after(pasid_attach, IOMMU_NO_PASID) */
		if (!hwpt->pasid_compat && igroup->pasids)
			return iommu_refuse(
				m, -EINVAL, f,
				"a PASID of the group is attached "
				"and HWPT %u is not PASID-compatible",
				hwpt->obj.id);
		return 0;
	}
	if (!hwpt->pasid_compat)
		return iommu_refuse(m, -EINVAL, f,
				    "HWPT %u was not allocated with "
				    "IOMMU_HWPT_ALLOC_PASID",
				    hwpt->obj.id);
	if (igroup->attach && igroup->attach->hwpt &&
	    !igroup->attach->hwpt->pasid_compat)
		return iommu_refuse(m, -EINVAL, f,
				    "the RID is attached to HWPT %u, which is "
				    "not PASID-compatible",
				    igroup->attach->hwpt->obj.id);
	return 0;
}

/*
 * iommufd_hwpt_attach_device() (the group's first attach at @pasid) and
 * iommufd_hwpt_replace_device(), which differ only in the core call.
 * 7.3 first runs iommufd_hwpt_compatible_device() (a fault-capable HWPT
 * and a PCI VF with PRI: no VF is modelled, it cannot refuse), then
 * iommufd_hwpt_pasid_compat(), the noiommu short-circuit, the attach
 * handle's kzalloc, and the core: the group handle API at IOMMU_NO_PASID,
 * the device PASID API above it.
 */
static int hwpt_set_device(struct iommufd_hw_pagetable *hwpt,
			   struct iommufd_device *idev, u32 pasid, bool replace)
{
	struct iommu_model *m = idev->ictx->m;
	int rc = iommufd_hwpt_pasid_compat(hwpt, idev, pasid);

	if (rc || iommufd_device_is_noiommu(idev))
		return rc;
	if (iommufd_should_fail(idev->ictx, "iommufd_attach_handle"))
		return -ENOMEM;
	if (pasid == IOMMU_NO_PASID)
		return replace ? iommu_replace_group_handle(m, hwpt->domain,
							    idev->dev)
			       : iommu_attach_group_handle(m, hwpt->domain,
							   idev->dev);
	return replace ? iommu_replace_device_pasid(m, hwpt->domain, idev->dev,
						    pasid, true)
		       : iommu_attach_device_pasid(m, hwpt->domain, idev->dev,
						   pasid, true);
}

/* iommufd_hwpt_detach_device(): the group's last detach at @pasid */
static void iommufd_hwpt_detach_device(struct iommufd_hw_pagetable *hwpt,
				       struct iommufd_device *idev, u32 pasid)
{
	struct iommu_model *m = idev->ictx->m;

	if (iommufd_device_is_noiommu(idev))
		return;
	if (pasid == IOMMU_NO_PASID)
		iommu_detach_group_handle(m, hwpt->domain, idev->dev);
	else
		iommu_detach_device_pasid(m, hwpt->domain, idev->dev, pasid);
	iommufd_auto_response_faults(hwpt, idev, pasid);
}

/* The pasid_attach entry and the device_array slot, reserved (kzalloc of
 * the iommufd_attach, xa_insert of XA_ZERO_ENTRY) */
static int attach_reserve(struct iommufd_device *idev, u32 pasid,
			  struct iommufd_attach **out, bool *first)
{
	struct iommufd_attach *attach = attach_get(idev->igroup, pasid);

	*first = !attach;
	if (!attach) {
		if (iommufd_should_fail(idev->ictx, "iommufd_attach"))
			return -ENOMEM;
		attach = g_new0(struct iommufd_attach, 1);
		attach->devices = g_ptr_array_new();
	}
	if (attach_has(attach, idev) ||
	    iommufd_should_fail(idev->ictx, "xa_insert(device_array)")) {
		int rc = attach_has(attach, idev) ? -EBUSY : -ENOMEM;

		if (*first)
			attach_free(attach);
		return rc;
	}
	*out = attach;
	return 0;
}

/* iommufd_hw_pagetable_attach(): 0, or an errno with nothing changed */
int iommufd_hw_pagetable_attach(struct iommufd_hw_pagetable *hwpt,
				struct iommufd_device *idev, u32 pasid)
{
	struct iommufd_hwpt_paging *hwpt_paging = find_hwpt_paging(hwpt);
	bool attach_resv = hwpt_paging && pasid == IOMMU_NO_PASID &&
			   !iommufd_device_is_noiommu(idev);
	struct iommufd_group *igroup = idev->igroup;
	struct iommufd_attach *attach;
	bool first;
	int rc;

	rc = attach_reserve(idev, pasid, &attach, &first);
	if (rc)
		return rc;
	if (attach->hwpt && attach->hwpt != hwpt) {
		rc = iommu_refuse(idev->ictx->m, -EINVAL,
				  "iommufd_hw_pagetable_attach",
				  "the group is attached to HWPT %u, not %u",
				  attach->hwpt->obj.id, hwpt->obj.id);
		goto err_free_attach;
	}
	if (attach_resv) {
		rc = attach_reserved_iova(idev, hwpt_paging);
		if (rc)
			goto err_free_attach;
	}
	/* Only the group's first device attaches the group; the others
	 * follow, but each brings its own reserved regions. */
	if (first) {
		rc = hwpt_set_device(hwpt, idev, pasid, false);
		if (rc)
			goto err_unresv;
		attach->hwpt = hwpt;
		attach_set(igroup, pasid, attach);
	}
	obj_users_inc(&hwpt->obj);
	attach_add(attach, idev);
	return 0;

err_unresv:
	if (attach_resv)
		iopt_remove_reserved_iova(&hwpt_paging->ioas->iopt, idev->dev);
err_free_attach:
	if (first)
		attach_free(attach);
	return rc;
}

/*
 * iommufd_hw_pagetable_detach(): the HWPT the device was on, its users
 * reference dropped (an auto HWPT losing its last user is destroyed), or
 * NULL if the group is attached to nothing.
 */
struct iommufd_hw_pagetable *
iommufd_hw_pagetable_detach(struct iommufd_device *idev, u32 pasid)
{
	struct iommufd_group *igroup = idev->igroup;
	struct iommufd_attach *attach = attach_get(igroup, pasid);
	struct iommufd_hwpt_paging *hwpt_paging;
	struct iommufd_hw_pagetable *hwpt;

	if (!attach)
		return NULL;
	hwpt = attach->hwpt;
	hwpt_paging = find_hwpt_paging(hwpt);
	g_ptr_array_remove(attach->devices, idev);
	if (!attach->devices->len) {
		iommufd_hwpt_detach_device(hwpt, idev, pasid);
		attach_set(igroup, pasid, NULL);
		attach_free(attach);
	}
	if (hwpt_paging && pasid == IOMMU_NO_PASID)
		iopt_remove_reserved_iova(&hwpt_paging->ioas->iopt, idev->dev);
	iommufd_hw_pagetable_put(idev->ictx, hwpt);
	return hwpt;
}

/* iommufd_device_do_attach() */
static int iommufd_device_do_attach(struct iommufd_device *idev, u32 pasid,
				    struct iommufd_hw_pagetable *hwpt,
				    struct iommufd_hw_pagetable **destroy)
{
	*destroy = NULL;
	return iommufd_hw_pagetable_attach(hwpt, idev, pasid);
}

/* iommufd_group_remove_reserved_iova(): every attached device's */
static void group_remove_reserved_iova(struct iommufd_group *igroup,
				       struct iommufd_hwpt_paging *hwpt_paging)
{
	struct iommufd_attach *attach = igroup->attach;

	for (guint i = 0; i < attach->devices->len; i++) {
		struct iommufd_device *cur = attach->devices->pdata[i];

		iopt_remove_reserved_iova(&hwpt_paging->ioas->iopt, cur->dev);
	}
}

/* iommufd_group_do_replace_reserved_iova(): a new IOAS takes the
 * reserved regions of every device of the group */
static int group_replace_reserved_iova(struct iommufd_group *igroup,
				       struct iommufd_hwpt_paging *hwpt_paging)
{
	struct iommufd_attach *attach = igroup->attach;
	struct iommufd_hwpt_paging *old = find_hwpt_paging(attach->hwpt);
	int rc;

	if (old && old->ioas == hwpt_paging->ioas)
		return 0;
	for (guint i = 0; i < attach->devices->len; i++) {
		struct iommufd_device *cur = attach->devices->pdata[i];

		rc = iopt_table_enforce_dev_resv_regions(
			&hwpt_paging->ioas->iopt, igroup->ictx->m, cur->dev,
			NULL);
		if (rc) {
			group_remove_reserved_iova(igroup, hwpt_paging);
			return rc;
		}
	}
	return 0;
}

/*
 * iommufd_device_do_replace(): move the device's group to @hwpt; *destroy
 * is the old HWPT, whose users reference the caller drops. On failure the
 * group stays on the old HWPT.
 */
static int iommufd_device_do_replace(struct iommufd_device *idev, u32 pasid,
				     struct iommufd_hw_pagetable *hwpt,
				     struct iommufd_hw_pagetable **destroy)
{
	struct iommufd_hwpt_paging *hwpt_paging = find_hwpt_paging(hwpt);
	bool attach_resv = hwpt_paging && pasid == IOMMU_NO_PASID &&
			   !iommufd_device_is_noiommu(idev);
	struct iommufd_group *igroup = idev->igroup;
	struct iommufd_attach *attach = attach_get(igroup, pasid);
	struct iommufd_hwpt_paging *old_paging;
	struct iommufd_hw_pagetable *old;
	int rc;

	*destroy = NULL;
	if (!attach || !attach_has(attach, idev))
		return iommu_refuse(idev->ictx->m, -EINVAL,
				    "iommufd_device_do_replace",
				    "%s is not attached at pasid %u",
				    idev->dev->name, pasid);
	old = attach->hwpt;
	if (hwpt == old)
		return 0;
	if (attach_resv) {
		rc = group_replace_reserved_iova(igroup, hwpt_paging);
		if (rc)
			return rc;
	}
	rc = hwpt_set_device(hwpt, idev, pasid, true);
	if (rc)
		goto err_unresv;
	/* iommufd_hwpt_replace_device(): the old attach's requests answered */
	if (!iommufd_device_is_noiommu(idev))
		iommufd_auto_response_faults(old, idev, pasid);
	old_paging = find_hwpt_paging(old);
	if (old_paging && pasid == IOMMU_NO_PASID &&
	    (!hwpt_paging || hwpt_paging->ioas != old_paging->ioas))
		group_remove_reserved_iova(igroup, old_paging);
	attach->hwpt = hwpt;
	/* The device_array's references move to the new HWPT; the caller
	 * drops the one left on the old for this thread. */
	hwpt->obj.users += attach->devices->len;
	old->obj.users -= attach->devices->len - 1;
	*destroy = old;
	return 0;

err_unresv:
	/*
	 * As 7.3 does: even when both HWPTs share one IOAS, where nothing
	 * was added above, this takes the group's reserved regions out of
	 * the IOAS the group stays attached to (a failed replace there
	 * leaves e.g. the MSI window mappable).
	 */
	if (attach_resv) {
		group_remove_reserved_iova(igroup, hwpt_paging);
		/* the failure is not atomic in 7.3 itself: say so, for
		 * fail-nth (sim: step_result.kernel_not_atomic) */
		idev->ictx->m->left_inconsistent = true;
	}
	return rc;
}

/* An auto HWPT of @ioas the device can use: 0 with *pt_id, -EINVAL when
 * none fits, another errno to give up (iommufd_device_auto_get_domain()) */
static int auto_get_existing(struct iommufd_device *idev, u32 pasid,
			     struct iommufd_ioas *ioas, u32 *pt_id,
			     attach_fn do_attach,
			     struct iommufd_hw_pagetable **destroy)
{
	for (guint i = 0; i < ioas->hwpt_list->len; i++) {
		struct iommufd_hwpt_paging *hwpt_paging =
			ioas->hwpt_list->pdata[i];
		struct iommufd_hw_pagetable *hwpt = &hwpt_paging->common;
		int rc;

		if (!hwpt_paging->auto_domain)
			continue;
		/* iommufd_lock_obj() */
		obj_users_inc(&hwpt->obj);
		rc = do_attach(idev, pasid, hwpt, destroy);
		obj_users_dec(&hwpt->obj);
		/* -EINVAL: this domain does not fit the device, try the next */
		if (rc == -EINVAL)
			continue;
		if (!rc)
			*pt_id = hwpt->obj.id;
		return rc;
	}
	return -EINVAL;
}

/*
 * iommufd_device_auto_get_domain(): reuse any auto HWPT of the IOAS the
 * device accepts, else allocate one. Attach allocates it attached
 * (immediate_attach, for drivers that finish a domain only at attach);
 * replace allocates it, then replaces.
 */
static int iommufd_device_auto_get_domain(struct iommufd_device *idev,
					  u32 pasid, struct iommufd_ioas *ioas,
					  u32 *pt_id, attach_fn do_attach,
					  struct iommufd_hw_pagetable **destroy)
{
	bool immediate_attach = do_attach == iommufd_device_do_attach;
	struct iommufd_hwpt_paging *hwpt_paging;
	int rc;

	*destroy = NULL;
	rc = auto_get_existing(idev, pasid, ioas, pt_id, do_attach, destroy);
	if (rc != -EINVAL)
		return rc;
	rc = iommufd_hwpt_paging_alloc(idev->ictx, ioas, idev, pasid, 0,
				       immediate_attach, NULL, &hwpt_paging);
	if (rc)
		return rc;
	if (!immediate_attach) {
		rc = do_attach(idev, pasid, &hwpt_paging->common, destroy);
		if (rc) {
			iommufd_object_abort_and_destroy(
				idev->ictx, &hwpt_paging->common.obj);
			return rc;
		}
	}
	hwpt_paging->auto_domain = true;
	*pt_id = hwpt_paging->common.obj.id;
	iommufd_object_finalize(idev->ictx, &hwpt_paging->common.obj);
	return 0;
}

/* iommufd_device_change_pt(): @pt_id an IOAS or a HWPT; out, the HWPT */
static int iommufd_device_change_pt(struct iommufd_device *idev, u32 pasid,
				    u32 *pt_id, attach_fn do_attach)
{
	struct iommufd_hw_pagetable *destroy = NULL;
	struct obj_header *pt_obj;
	int rc;

	pt_obj = iommufd_get_object(idev->ictx, *pt_id, IOMMUFD_OBJ_ANY);
	if (!pt_obj)
		return -ENOENT;
	switch (pt_obj->type) {
	case IOMMUFD_OBJ_HWPT_NESTED:
	case IOMMUFD_OBJ_HWPT_PAGING:
		rc = do_attach(idev, pasid,
			       (struct iommufd_hw_pagetable *)pt_obj, &destroy);
		break;
	case IOMMUFD_OBJ_IOAS:
		rc = iommufd_device_auto_get_domain(
			idev, pasid, (struct iommufd_ioas *)pt_obj, pt_id,
			do_attach, &destroy);
		break;
	default:
		rc = iommu_refuse(
			idev->ictx->m, -EINVAL, "iommufd_device_change_pt",
			"object %u is neither an IOAS nor a HWPT", *pt_id);
		break;
	}
	iommufd_put_object(idev->ictx, pt_obj);
	/* after everything is unlocked in the kernel */
	if (!rc && destroy)
		iommufd_hw_pagetable_put(idev->ictx, destroy);
	return rc;
}

/* iommufd_device_attach(): undone by iommufd_device_detach() */
int iommufd_device_attach(struct iommufd_device *idev, u32 pasid, u32 *pt_id)
{
	int rc = iommufd_device_change_pt(idev, pasid, pt_id,
					  iommufd_device_do_attach);

	if (rc)
		return rc;
	/* Pairs with detach: catches a destroy of an attached device */
	obj_users_inc(&idev->obj);
	return 0;
}

/* iommufd_device_replace(): as detach + attach, but failure changes
 * nothing and translation is never interrupted */
int iommufd_device_replace(struct iommufd_device *idev, u32 pasid, u32 *pt_id)
{
	return iommufd_device_change_pt(idev, pasid, pt_id,
					iommufd_device_do_replace);
}

/*
 * iommufd_device_detach(): back to the blocking domain; nothing to do if
 * the group is attached to nothing. VFIO calls it only for a device it
 * attached (vdev->iommufd_attached): for an unattached device whose
 * group another device attached, 7.3 would drop references it never
 * took, which the model refuses as undefined behaviour.
 */
int iommufd_device_detach(struct iommufd_device *idev, u32 pasid)
{
	struct iommufd_attach *attach = attach_get(idev->igroup, pasid);

	if (attach && !attach_has(attach, idev))
		return iommu_refuse(idev->ictx->m, IOMMU_UB,
				    "iommufd_device_detach",
				    "%s is not attached at pasid %u but its "
				    "group is: the kernel drops references it "
				    "never took",
				    idev->dev->name, pasid);
	if (!iommufd_hw_pagetable_detach(idev, pasid))
		return 0;
	obj_users_dec(&idev->obj);
	return 0;
}

/* The HWPT the group is attached to at @pasid, by whichever device (the
 * attach handle iommu_attach_handle_get() finds), NULL if none */
struct iommufd_hw_pagetable *
iommufd_group_pasid_hwpt(const struct iommufd_group *igroup, u32 pasid)
{
	struct iommufd_attach *attach = attach_get(igroup, pasid);

	return attach ? attach->hwpt : NULL;
}

/* Views: the HWPT the device's group has at @pasid, NULL if none */
struct iommufd_hw_pagetable *
iommufd_device_pasid_hwpt(const struct iommufd_device *idev, u32 pasid)
{
	struct iommufd_attach *attach = attach_get(idev->igroup, pasid);

	return attach && attach_has(attach, (struct iommufd_device *)idev)
		       ? attach->hwpt
		       : NULL;
}

/* Views: the HWPT the device's group is attached to, or NULL */
struct iommufd_hw_pagetable *
iommufd_device_attached_hwpt(const struct iommufd_device *idev)
{
	return iommufd_device_pasid_hwpt(idev, IOMMU_NO_PASID);
}

/*
 * The model's own cleanup, not a kernel path: a device still attached at
 * a PASID when its ctx is released holds its idev (7.3 WARNs in
 * iommufd_object_destroy_user() and leaks it). Once the release has
 * recorded that WARN, the model detaches those PASIDs so its own memory
 * is reclaimed. Returns how many it detached.
 */
unsigned int iommufd_device_detach_leftover_pasids(struct iommufd_device *idev)
{
	g_autoptr(GArray) todo = g_array_new(FALSE, FALSE, sizeof(u32));
	GHashTableIter it;
	gpointer k, v;

	if (!idev->igroup || !idev->igroup->pasids)
		return 0;
	g_hash_table_iter_init(&it, idev->igroup->pasids);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		u32 pasid = GPOINTER_TO_UINT(k);

		if (attach_has(v, idev))
			g_array_append_val(todo, pasid);
	}
	for (guint i = 0; i < todo->len; i++)
		iommufd_device_detach(idev, g_array_index(todo, u32, i));
	return todo->len;
}
