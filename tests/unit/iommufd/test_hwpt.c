// SPDX-License-Identifier: MIT
/*
 * test_hwpt.c - HWPTs and attach/replace/detach (model/iommufd/
 * hw_pagetable.c, device_attach.c) as Linux 7.3's iommufd_hwpt_alloc(),
 * iommufd_hwpt_paging_alloc(), iommufd_device_auto_get_domain(),
 * iommufd_hw_pagetable_attach() and iommufd_device_do_replace() behave on
 * the IOMMUs QEMU emulates, plus the remaining HWPT-family commands.
 */
#include "fx_device.h"
#include "core/kerrno.h"

/* REFERENCE.md, observed in the guest: devid 1, IOAS 2, auto HWPT 3 */
static void attach_to_an_ioas_creates_an_auto_hwpt(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	struct iommu_group *g = f->c->iommu_group;
	u32 ioas = fx_ioas(f), pt = ioas;
	struct iommufd_hw_pagetable *hwpt;

	assert_int_equal(2, ioas);
	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(3, pt);
	hwpt = (struct iommufd_hw_pagetable *)fx_obj(f, pt);
	assert_true(((struct iommufd_hwpt_paging *)hwpt)->auto_domain);
	assert_int_equal(2, hwpt->obj.users); /* table + the device */
	assert_int_equal(3, idev->obj.users); /* table + VFIO + attach */
	assert_ptr_equal(hwpt->domain, g->domain);
	assert_ptr_equal(hwpt->domain, g->handle);
	assert_int_equal(2, fx_obj(f, ioas)->users); /* table + HWPT */
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_null(fx_obj(f, pt)); /* freed with its last device */
	assert_ptr_equal(g->blocking_domain, g->domain);
	assert_null(g->handle);
	iommufd_device_unbind(idev);
}

/* iommufd_device_auto_get_domain(): any auto HWPT of the IOAS that
 * attaches is reused */
static void second_device_reuses_the_auto_hwpt(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *ic = fx_bind(f, f->c), *id = fx_bind(f, f->d);
	u32 ioas = fx_ioas(f), pt_c = ioas, pt_d = ioas;

	assert_int_equal(0, iommufd_device_attach(ic, IOMMU_NO_PASID, &pt_c));
	assert_int_equal(0, iommufd_device_attach(id, IOMMU_NO_PASID, &pt_d));
	assert_int_equal(pt_c, pt_d);
	assert_int_equal(3, fx_obj(f, pt_c)->users);
	assert_ptr_equal(f->c->iommu_group->domain, f->d->iommu_group->domain);
	assert_int_equal(0, iommufd_device_detach(ic, IOMMU_NO_PASID));
	assert_non_null(fx_obj(f, pt_c));
	assert_int_equal(0, iommufd_device_detach(id, IOMMU_NO_PASID));
	assert_null(fx_obj(f, pt_c));
	iommufd_device_unbind(ic);
	iommufd_device_unbind(id);
}

/* The group attaches once, for its first device; each device holds the
 * HWPT; the last detach puts the group back on its blocking domain */
static void group_attaches_once_and_detaches_with_its_last_device(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *ia = fx_bind(f, f->a), *ib = fx_bind(f, f->b);
	struct iommu_group *g = f->a->iommu_group;
	u32 ioas = fx_ioas(f), pt_a = ioas, pt_b = ioas;

	assert_int_equal(0, iommufd_device_attach(ia, IOMMU_NO_PASID, &pt_a));
	assert_int_equal(0, iommufd_device_attach(ib, IOMMU_NO_PASID, &pt_b));
	assert_int_equal(pt_a, pt_b);
	assert_int_equal(2, ia->igroup->attach->devices->len);
	assert_int_equal(0, iommufd_device_detach(ia, IOMMU_NO_PASID));
	assert_ptr_equal(
		((struct iommufd_hw_pagetable *)fx_obj(f, pt_b))->domain,
		g->domain);
	assert_int_equal(0, iommufd_device_detach(ib, IOMMU_NO_PASID));
	assert_ptr_equal(g->blocking_domain, g->domain);
	iommufd_device_unbind(ia);
	iommufd_device_unbind(ib);
}

/* iommufd_hw_pagetable_attach(): old_hwpt && old_hwpt != hwpt */
static void device_cannot_join_its_group_on_another_hwpt_einval(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *ia = fx_bind(f, f->a), *ib = fx_bind(f, f->b);
	u32 ioas = fx_ioas(f), pt_a = ioas, hwpt;

	assert_int_equal(0, iommufd_device_attach(ia, IOMMU_NO_PASID, &pt_a));
	assert_int_equal(0, fx_hwpt_alloc(f, ib->obj.id, ioas, 0, &hwpt));
	assert_int_equal(-EINVAL,
			 iommufd_device_attach(ib, IOMMU_NO_PASID, &hwpt));
	assert_int_equal(1, fx_obj(f, hwpt)->users);
	assert_int_equal(1, ia->igroup->attach->devices->len);
	assert_int_equal(0, iommufd_device_detach(ia, IOMMU_NO_PASID));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(ia);
	iommufd_device_unbind(ib);
}

/* REFERENCE.md: attaching to a new HWPT replaces and frees the auto HWPT
 * (its id then ENOENT); destroying an attached HWPT EBUSY; detach twice
 * 0 both times. VFIO replaces once attached
 * (vfio_iommufd_physical_attach_ioas()). */
static void replace_frees_the_auto_hwpt_that_loses_its_last_device(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	struct iommu_group *g = f->c->iommu_group;
	u32 ioas = fx_ioas(f), pt = ioas, hwpt, auto_pt;

	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	auto_pt = pt;
	assert_int_equal(0, fx_hwpt_alloc(f, idev->obj.id, ioas, 0, &hwpt));
	assert_int_equal(4, hwpt);
	pt = hwpt;
	assert_int_equal(0, iommufd_device_replace(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(-ENOENT, fx_destroy(f, auto_pt));
	assert_ptr_equal(
		((struct iommufd_hw_pagetable *)fx_obj(f, hwpt))->domain,
		g->domain);
	assert_ptr_equal(g->domain, g->handle);
	assert_int_equal(-EBUSY, fx_destroy(f, hwpt));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
}

/* iommufd_device_do_replace(): a driver failure leaves the old HWPT */
static void failed_replace_keeps_the_old_hwpt(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	struct iommu_group *g = f->c->iommu_group;
	struct iommu_domain *before;
	u32 ioas = fx_ioas(f), pt = ioas, hwpt, auto_pt;

	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	auto_pt = pt;
	before = g->domain;
	assert_int_equal(0, fx_hwpt_alloc(f, idev->obj.id, ioas, 0, &hwpt));
	f->c->iommu->fail_attach = 1;
	pt = hwpt;
	assert_int_equal(-EINVAL,
			 iommufd_device_replace(idev, IOMMU_NO_PASID, &pt));
	assert_ptr_equal(before, g->domain);
	assert_ptr_equal(before, g->handle);
	assert_int_equal(2, fx_obj(f, auto_pt)->users);
	assert_int_equal(1, fx_obj(f, hwpt)->users);
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
}

/* iommufd_device_attach_reserved_iova(): a mapping over the device's MSI
 * window (amd_iommu_get_resv_regions(): 0xfee00000, 1 MiB) refuses the
 * attach (iopt_reserve_iova(): -EADDRINUSE) and nothing of it is left;
 * once attached, the window cannot be mapped */
static void msi_window_mapping_and_attach_exclude_each_other(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	struct iommu_group *g = f->c->iommu_group;
	u32 ioas = fx_ioas(f), pt = ioas;
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap),
					  .ioas_id = ioas,
					  .iova = 0xfee00000,
					  .length = 0x1000 };

	assert_int_equal(0, fx_map(f, ioas, 0xfee00000, 0, 0x1000));
	assert_int_equal(-EADDRINUSE,
			 iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(2, obj_ids_taken(&f->ictx->objects));
	assert_ptr_equal(g->blocking_domain, g->domain);
	assert_int_equal(0, fx_ioctl(f, IOMMU_IOAS_UNMAP, &unmap));
	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	/* iopt_check_iova(): a reserved range is -EINVAL to map over */
	assert_int_equal(-EINVAL, fx_map(f, ioas, 0xfee00000, 0, 0x1000));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_int_equal(0, fx_map(f, ioas, 0xfee00000, 0, 0x1000));
	iommufd_device_unbind(idev);
}

/*
 * iommufd_device_do_replace()'s failure path (err_unresv) removes the
 * group's reserved regions from the new HWPT's IOAS even when that is the
 * IOAS the group stays attached to: after a failed replace between two
 * HWPTs of one IOAS the MSI window is mappable while the device is still
 * attached. Kept as 7.3 has it.
 */
static void
failed_replace_within_one_ioas_drops_the_msi_reservation(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	u32 ioas = fx_ioas(f), pt = ioas, hwpt;

	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(0, fx_hwpt_alloc(f, idev->obj.id, ioas, 0, &hwpt));
	/* iopt_check_iova(): a reserved range is -EINVAL to map over */
	assert_int_equal(-EINVAL, fx_map(f, ioas, 0xfee00000, 0, 0x1000));
	f->c->iommu->fail_attach = 1;
	pt = hwpt;
	assert_int_equal(-EINVAL,
			 iommufd_device_replace(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(0, fx_map(f, ioas, 0xfee00000, 0, 0x1000));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
}

/* iommufd_hwpt_paging_alloc() with immediate_attach: a failed attach
 * aborts the new auto HWPT, its id comes back */
static void failed_attach_leaves_no_auto_hwpt(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	struct iommu_group *g = f->c->iommu_group;
	u32 ioas = fx_ioas(f), pt = ioas;

	f->c->iommu->fail_attach = 1;
	assert_int_equal(-EINVAL,
			 iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(ioas, pt);
	assert_int_equal(2, obj_ids_taken(&f->ictx->objects));
	assert_ptr_equal(g->blocking_domain, g->domain);
	assert_null(g->handle);
	assert_int_equal(2, idev->obj.users);
	assert_int_equal(1, fx_obj(f, ioas)->users);
	iommufd_device_unbind(idev);
}

/* iommufd_device_replace() of a device never attached: -EINVAL */
static void replace_before_attach_einval(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	u32 ioas = fx_ioas(f), pt = ioas;

	assert_int_equal(-EINVAL,
			 iommufd_device_replace(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(2, obj_ids_taken(&f->ictx->objects));
	iommufd_device_unbind(idev);
}

/* iommufd_device_change_pt(): missing id ENOENT, a device id EINVAL */
static void attach_to_a_missing_or_non_pt_object_fails(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	u32 pt = 99;

	assert_int_equal(-ENOENT,
			 iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	pt = idev->obj.id;
	assert_int_equal(-EINVAL,
			 iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	iommufd_device_unbind(idev);
}

/* iommufd_device_detach() of a device that never attached, while its
 * group is attached through another: 7.3 drops references it never took
 * (VFIO guards it with vdev->iommufd_attached); the model refuses it */
static void
detach_of_an_unattached_device_in_an_attached_group_is_ub(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *ia = fx_bind(f, f->a), *ib = fx_bind(f, f->b);
	u32 ioas = fx_ioas(f), pt = ioas;

	assert_int_equal(0, iommufd_device_attach(ia, IOMMU_NO_PASID, &pt));
	assert_int_equal(IOMMU_UB, iommufd_device_detach(ib, IOMMU_NO_PASID));
	assert_int_equal(2, fx_obj(f, pt)->users);
	assert_int_equal(2, ib->obj.users);
	assert_int_equal(0, iommufd_device_detach(ia, IOMMU_NO_PASID));
	iommufd_device_unbind(ia);
	iommufd_device_unbind(ib);
}

/* tegra-smmu has domain_alloc_paging, not _flags: any flag EOPNOTSUPP
 * (iommufd_hwpt_paging_alloc()), flags 0 allocate. Only the ops change
 * here: a real tegra-smmu has no capable() and so never binds
 * (IOMMU_CAP_CACHE_COHERENCY), the IOMMU keeps AMD-Vi's capabilities. */
static void driver_without_alloc_paging_flags_takes_no_flags(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev;
	u32 ioas, hwpt;

	f->c->iommu->kind = IOMMU_DRV_TEGRA_SMMU;
	idev = fx_bind(f, f->c);
	ioas = fx_ioas(f);
	assert_int_equal(-EOPNOTSUPP,
			 fx_hwpt_alloc(f, idev->obj.id, ioas,
				       IOMMU_HWPT_ALLOC_PASID, NULL));
	assert_int_equal(0, fx_hwpt_alloc(f, idev->obj.id, ioas, 0, &hwpt));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
	f->c->iommu->kind = IOMMU_DRV_AMD_VI;
}

/*
 * iommufd_hwpt_alloc() / iommufd_hwpt_paging_alloc() flag rules on
 * QEMU's AMD-Vi (REFERENCE.md: DIRTY_TRACKING or NEST_PARENT EOPNOTSUPP),
 * and the size/id rules before them. No refusal takes an id.
 */
static void hwpt_alloc_refusals_on_amd_vi(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	u32 dev = idev->obj.id, ioas = fx_ioas(f), hwpt;
	struct iommu_hwpt_alloc cmd = { .size = sizeof(cmd),
					.dev_id = dev,
					.pt_id = ioas };

	assert_int_equal(-EOPNOTSUPP,
			 fx_hwpt_alloc(f, dev, ioas,
				       IOMMU_HWPT_ALLOC_DIRTY_TRACKING, NULL));
	assert_int_equal(-EOPNOTSUPP,
			 fx_hwpt_alloc(f, dev, ioas,
				       IOMMU_HWPT_ALLOC_NEST_PARENT, NULL));
	assert_int_equal(
		-EOPNOTSUPP,
		fx_hwpt_alloc(f, dev, ioas, IOMMU_HWPT_ALLOC_PASID, NULL));
	assert_int_equal(-EOPNOTSUPP,
			 fx_hwpt_alloc(f, dev, ioas, 1u << 4, NULL));
	assert_int_equal(-EOPNOTSUPP,
			 fx_hwpt_alloc(f, dev, ioas,
				       IOMMU_HWPT_FAULT_ID_VALID |
					       IOMMU_HWPT_ALLOC_NEST_PARENT,
				       NULL));
	assert_int_equal(-EINVAL, fx_hwpt_alloc(f, dev, 99, 0, NULL));
	assert_int_equal(-EINVAL, fx_hwpt_alloc(f, dev, dev, 0, NULL));
	assert_int_equal(-ENOENT, fx_hwpt_alloc(f, 99, ioas, 0, NULL));
	cmd.data_len = 8; /* IOMMU_HWPT_DATA_NONE with data */
	assert_int_equal(-EINVAL, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	cmd.data_type = IOMMU_HWPT_DATA_VTD_S1, cmd.data_len = 0;
	assert_int_equal(-EINVAL, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	cmd.data_type = IOMMU_HWPT_DATA_AMD_GUEST, cmd.data_len = 32;
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	/* a nested HWPT on a paging parent: amd_iommu_ops has no
	 * domain_alloc_nested */
	assert_int_equal(0, fx_hwpt_alloc(f, dev, ioas, 0, &hwpt));
	cmd.pt_id = hwpt;
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	/* FAULT_ID_VALID: no fault object, the new HWPT is aborted */
	cmd = (struct iommu_hwpt_alloc){ .size = sizeof(cmd),
					 .dev_id = dev,
					 .pt_id = ioas,
					 .flags = IOMMU_HWPT_FAULT_ID_VALID,
					 .fault_id = 99 };
	assert_int_equal(-ENOENT, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	assert_int_equal(3, obj_ids_taken(&f->ictx->objects));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
}

/* intel_iommu_domain_alloc_second_stage(): legacy mode takes PASID, not
 * NEST_PARENT; intel_iommu_ops has domain_alloc_nested, so a nested
 * request on a non-parent HWPT is EINVAL (iommufd_hwpt_nested_alloc()) */
static void hwpt_alloc_on_vtd_takes_pasid_not_nest_parent(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	u32 dev = idev->obj.id, ioas = fx_ioas(f), hwpt;
	struct iommu_hwpt_alloc cmd = { .size = sizeof(cmd),
					.dev_id = dev,
					.data_type = IOMMU_HWPT_DATA_VTD_S1,
					.data_len = 24 };

	assert_int_equal(-EOPNOTSUPP,
			 fx_hwpt_alloc(f, dev, ioas,
				       IOMMU_HWPT_ALLOC_NEST_PARENT, NULL));
	assert_int_equal(
		0, fx_hwpt_alloc(f, dev, ioas, IOMMU_HWPT_ALLOC_PASID, &hwpt));
	assert_true(
		((struct iommufd_hw_pagetable *)fx_obj(f, hwpt))->pasid_compat);
	cmd.pt_id = hwpt;
	assert_int_equal(-EINVAL, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
}

/* iommufd_get_hw_info(): amd_iommu_ops.hw_info is NULL in the guest's
 * config; VT-d reports its type; ATS is reported unusable */
static void hw_info_on_amd_vi_reports_no_data(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	struct iommu_hw_info cmd = { .size = sizeof(cmd),
				     .dev_id = idev->obj.id };

	assert_int_equal(0, fx_ioctl(f, IOMMU_GET_HW_INFO, &cmd));
	assert_int_equal(IOMMU_HW_INFO_TYPE_NONE, cmd.out_data_type);
	assert_int_equal(0, cmd.data_len);
	assert_int_equal(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED,
			 cmd.out_capabilities);
	cmd.flags = 2;
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_GET_HW_INFO, &cmd));
	cmd.flags = 0, cmd.__reserved[1] = 1;
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_GET_HW_INFO, &cmd));
	cmd.__reserved[1] = 0, cmd.dev_id = 99;
	assert_int_equal(-ENOENT, fx_ioctl(f, IOMMU_GET_HW_INFO, &cmd));
	iommufd_device_unbind(idev);
}

static void hw_info_on_vtd_reports_its_type(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	struct iommu_hw_info_vtd vtd;
	struct iommu_hw_info cmd = { .size = sizeof(cmd),
				     .dev_id = idev->obj.id,
				     .data_len = sizeof(vtd),
				     .data_uptr = (uintptr_t)&vtd };

	memset(&vtd, 0xff, sizeof(vtd));
	assert_int_equal(0, fx_ioctl(f, IOMMU_GET_HW_INFO, &cmd));
	assert_int_equal(IOMMU_HW_INFO_TYPE_INTEL_VTD, cmd.out_data_type);
	assert_int_equal(sizeof(vtd), cmd.data_len);
	assert_int_equal(IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17, vtd.flags);
	cmd.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE;
	cmd.in_data_type = IOMMU_HW_INFO_TYPE_AMD;
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_GET_HW_INFO, &cmd));
	iommufd_device_unbind(idev);
}

/* iommufd_hwpt_set_dirty_tracking() / _get_dirty_bitmap() /
 * iommufd_hwpt_invalidate() on a paging HWPT without dirty_ops */
static void dirty_and_invalidate_refusals(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	u32 ioas = fx_ioas(f), hwpt;
	struct iommu_hwpt_set_dirty_tracking set = { .size = sizeof(set) };
	struct iommu_hwpt_get_dirty_bitmap get = { .size = sizeof(get) };
	struct iommu_hwpt_invalidate inv = { .size = sizeof(inv),
					     .entry_num = 5 };

	assert_int_equal(0, fx_hwpt_alloc(f, idev->obj.id, ioas, 0, &hwpt));
	set.hwpt_id = hwpt, set.flags = IOMMU_HWPT_DIRTY_TRACKING_ENABLE;
	assert_int_equal(-EOPNOTSUPP,
			 fx_ioctl(f, IOMMU_HWPT_SET_DIRTY_TRACKING, &set));
	set.hwpt_id = ioas;
	assert_int_equal(-ENOENT,
			 fx_ioctl(f, IOMMU_HWPT_SET_DIRTY_TRACKING, &set));
	get.hwpt_id = hwpt, get.length = 0;
	assert_int_equal(-EINVAL,
			 fx_ioctl(f, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
	get.length = 0x1000, get.page_size = 0x1000;
	assert_int_equal(-EOPNOTSUPP,
			 fx_ioctl(f, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
	/* entry_num without data_uptr: EINVAL, entry_num reported as 0 */
	inv.hwpt_id = hwpt;
	assert_int_equal(-EINVAL, fx_ioctl(f, IOMMU_HWPT_INVALIDATE, &inv));
	assert_int_equal(0, inv.entry_num);
	inv.hwpt_id = 99;
	assert_int_equal(-ENOENT, fx_ioctl(f, IOMMU_HWPT_INVALIDATE, &inv));
	inv.hwpt_id = hwpt; /* a paging HWPT takes no user invalidation */
	assert_int_equal(-EINVAL, fx_ioctl(f, IOMMU_HWPT_INVALIDATE, &inv));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
}

/* viommu.c / eventq.c: no modelled driver makes a vIOMMU */
static void viommu_family_refusals(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	struct iommu_viommu_alloc va = { .size = sizeof(va),
					 .dev_id = idev->obj.id };
	struct iommu_vdevice_alloc vd = { .size = sizeof(vd), .viommu_id = 1 };
	struct iommu_hw_queue_alloc hq = {
		.size = sizeof(hq), .type = IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV
	};
	struct iommu_veventq_alloc ve = {
		.size = sizeof(ve), .type = IOMMU_VEVENTQ_TYPE_ARM_SMMUV3
	};

	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_VIOMMU_ALLOC, &va));
	va.type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3;
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_VIOMMU_ALLOC, &va));
	assert_int_equal(-ENOENT, fx_ioctl(f, IOMMU_VDEVICE_ALLOC, &vd));
	assert_int_equal(-EINVAL, fx_ioctl(f, IOMMU_HW_QUEUE_ALLOC, &hq));
	hq.length = 0x1000, hq.nesting_parent_iova = ~0ull;
	assert_int_equal(-EOVERFLOW, fx_ioctl(f, IOMMU_HW_QUEUE_ALLOC, &hq));
	hq.nesting_parent_iova = 0;
	assert_int_equal(-ENOENT, fx_ioctl(f, IOMMU_HW_QUEUE_ALLOC, &hq));
	assert_int_equal(-EINVAL, fx_ioctl(f, IOMMU_VEVENTQ_ALLOC, &ve));
	ve.veventq_depth = 8;
	assert_int_equal(-ENOENT, fx_ioctl(f, IOMMU_VEVENTQ_ALLOC, &ve));
	iommufd_device_unbind(idev);
}

int main(void)
{
	const struct CMUnitTest amd[] = {
		cmocka_unit_test_setup_teardown(
			attach_to_an_ioas_creates_an_auto_hwpt, fx_setup_amd,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			second_device_reuses_the_auto_hwpt, fx_setup_amd,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			group_attaches_once_and_detaches_with_its_last_device,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			device_cannot_join_its_group_on_another_hwpt_einval,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			replace_frees_the_auto_hwpt_that_loses_its_last_device,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			failed_replace_keeps_the_old_hwpt, fx_setup_amd,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			failed_attach_leaves_no_auto_hwpt, fx_setup_amd,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_window_mapping_and_attach_exclude_each_other,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			failed_replace_within_one_ioas_drops_the_msi_reservation,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(replace_before_attach_einval,
						fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			attach_to_a_missing_or_non_pt_object_fails,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			detach_of_an_unattached_device_in_an_attached_group_is_ub,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			driver_without_alloc_paging_flags_takes_no_flags,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(hwpt_alloc_refusals_on_amd_vi,
						fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			hwpt_alloc_on_vtd_takes_pasid_not_nest_parent,
			fx_setup_intel, fx_teardown),
		cmocka_unit_test_setup_teardown(
			hw_info_on_amd_vi_reports_no_data, fx_setup_amd,
			fx_teardown),
		cmocka_unit_test_setup_teardown(hw_info_on_vtd_reports_its_type,
						fx_setup_intel, fx_teardown),
		cmocka_unit_test_setup_teardown(dirty_and_invalidate_refusals,
						fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(viommu_family_refusals,
						fx_setup_amd, fx_teardown),
	};

	return cmocka_run_group_tests(amd, NULL, NULL);
}
