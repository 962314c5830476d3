// SPDX-License-Identifier: MIT
/*
 * test_noiommu.c - devices without an IOMMU in iommufd, as Linux 7.3
 * merged seeds 000 and 002: iommufd_bind_noiommu()'s dummy igroup, the
 * attach/replace/detach short-circuits, the SW-only AMDv1 HWPT
 * (hwpt_noiommu.c noiommu_alloc_paging_flags(), get_iommu_ops()) and
 * IOMMU_IOAS_NOIOMMU_GET_PA (ioas.c iommufd_ioas_noiommu_get_pa(),
 * io_pagetable.c iopt_get_phys()).
 */
#include "fx_device.h"
#include "pt/amdv1.h"

/* A second VMA whose pages are not one run: 0x50000000, 0x50001000,
 * then 0x60000000, 0x60001000 */
#define SCAT_VA 0x20000000ull

static int setup(void **state)
{
	static const u64 pa[] = { 0x50000000, 0x50001000, 0x60000000,
				  0x60001000 };
	struct fx *f = fx_new(IOMMU_DRV_AMD_VI);

	assert_int_equal(0, process_mmap(f->task, SCAT_VA,
					 sizeof(pa) / 8 * IOMMUFD_PAGE_SIZE, pa,
					 true));
	*state = f;
	return 0;
}

static int get_pa(struct fx *f, u32 ioas, u64 iova, u64 *len, u64 *phys)
{
	struct iommu_ioas_noiommu_get_pa cmd = { .size = sizeof(cmd),
						 .ioas_id = ioas,
						 .iova = iova,
						 .length = *len };
	int rc = fx_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd);

	*len = cmd.length;
	*phys = cmd.out_phys;
	return rc;
}

/* vfio/group.c vfio_noiommu_group_alloc(): the group path's fake group,
 * iommu_group_alloc() + iommu_group_add_device(); no IOMMU driver, so
 * dev->iommu stays NULL */
static struct iommu_group *fake_noiommu_group(struct fx *f, struct device *dev)
{
	struct iommu_group *g = iommu_group_alloc(f->m);

	g_ptr_array_add(g->devices, dev);
	dev->iommu_group = g;
	return g;
}

/* iommufd_bind_noiommu(): a dummy igroup, NULL group, not shared, no
 * ownership; the ctx reference is still taken */
static void noiommu_bind_gets_a_dummy_igroup_and_claims_nothing(void **state)
{
	struct fx *f = *state;
	unsigned int refs = f->ictx->file_refs;
	struct iommufd_device *i1 = fx_bind(f, f->n), *i2 = fx_bind(f, f->n2);

	assert_true(iommufd_device_is_noiommu(i1));
	assert_null(i1->igroup->group);
	assert_ptr_not_equal(i1->igroup, i2->igroup);
	assert_int_equal(1, i1->igroup->ref);
	assert_int_equal(0, g_hash_table_size(f->ictx->groups));
	assert_int_equal(refs + 2, f->ictx->file_refs);
	iommufd_device_unbind(i1);
	iommufd_device_unbind(i2);
	assert_int_equal(refs, f->ictx->file_refs);
}

/*
 * The case seed 000's review argues about: the group path gave the
 * device a fake vfio-noiommu iommu_group, and the cdev path binds it.
 * iommufd_device_is_noiommu() tests dev->iommu, so it still binds as
 * noiommu: dummy igroup, and the fake group is claimed by nobody
 * (device_iommu_mapped() would have sent it down iommufd_bind_iommu(),
 * whose capability check refuses a device without dev->iommu).
 */
static void fake_group_from_the_group_path_still_binds_as_noiommu(void **state)
{
	struct fx *f = *state;
	struct iommu_group *fake = fake_noiommu_group(f, f->n);
	struct iommufd_device *idev = fx_bind(f, f->n);

	assert_false(f->n->dev_iommu);
	assert_ptr_equal(fake, f->n->iommu_group);
	assert_null(idev->igroup->group);
	assert_int_equal(0, fake->owner_cnt);
	assert_null(fake->owner);
	assert_false(iommufd_ctx_has_group(f->ictx, fake));
	iommufd_device_unbind(idev);
	assert_int_equal(0, fake->owner_cnt);
	/* vfio_noiommu_group release: iommu_group_remove_device() */
	g_ptr_array_remove(fake->devices, f->n);
	f->n->iommu_group = NULL;
	iommu_group_free(f->m, fake);
}

/* iommufd_device_bind(): the dummy igroup's allocation fails; the
 * half-built idev is destroyed without a ctx reference to put */
static void failed_noiommu_bind_keeps_the_ctx_reference_count(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = NULL;
	u32 id = 0;

	fault_arm(&f->m->fault, 2); /* 1: the object, 2: the igroup */
	assert_int_equal(-ENOMEM,
			 iommufd_device_bind(f->ictx, f->n, &id, &idev));
	fault_arm(&f->m->fault, 0);
	assert_int_equal(1, f->ictx->file_refs);
	assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
}

/* noiommu_alloc_paging_flags(): the AMDv1 table in its noiommu
 * configuration; flags or user data EOPNOTSUPP; no nested allocator */
static void noiommu_hwpt_is_a_sw_only_amdv1_table(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->n);
	u32 dev = idev->obj.id, ioas = fx_ioas(f), hwpt;
	struct iommu_hwpt_alloc cmd = { .size = sizeof(cmd),
					.dev_id = dev,
					.pt_id = ioas,
					.data_type = IOMMU_HWPT_DATA_VTD_S1,
					.data_len = 24 };
	struct iommufd_hw_pagetable *h;

	assert_int_equal(0, fx_hwpt_alloc(f, dev, ioas, 0, &hwpt));
	h = (struct iommufd_hw_pagetable *)fx_obj(f, hwpt);
	assert_ptr_equal(&iommufd_noiommu_ops, h->domain->owner);
	assert_int_equal(2, h->domain->pt->top_level); /* starting_level 2 */
	assert_int_equal(64, h->domain->pt->max_vasz_lg2);
	assert_int_equal(
		-EOPNOTSUPP,
		fx_hwpt_alloc(f, dev, ioas, IOMMU_HWPT_ALLOC_PASID, NULL));
	assert_int_equal(-EOPNOTSUPP,
			 fx_hwpt_alloc(f, dev, ioas,
				       IOMMU_HWPT_ALLOC_DIRTY_TRACKING, NULL));
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	cmd.pt_id = hwpt;
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	assert_int_equal(3, obj_ids_taken(&f->ictx->objects));
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
}

/* REFERENCE.md: GET_PA before the device is attached EOPNOTSUPP; after,
 * out_phys is the page's PA, sub-page offsets kept, length capped at the
 * physically contiguous run and at the mapping's end */
static void get_pa_answers_through_the_noiommu_hwpt(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->n);
	u32 ioas = fx_ioas(f), pt = ioas;
	u64 len, phys;

	assert_int_equal(0, fx_map(f, ioas, 0x100000, 0, 0x4000));
	assert_int_equal(0, fx_map(f, ioas, 0x200000, SCAT_VA - FX_VA, 0x4000));
	len = 0x1000;
	assert_int_equal(-EOPNOTSUPP, get_pa(f, ioas, 0x100000, &len, &phys));
	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	len = 0x3000;
	assert_int_equal(0, get_pa(f, ioas, 0x100000, &len, &phys));
	assert_int_equal(FX_PA, phys);
	assert_int_equal(0x3000, len); /* the caller's cap */
	len = 0x100000;
	assert_int_equal(0, get_pa(f, ioas, 0x101234, &len, &phys));
	assert_int_equal(FX_PA + 0x1234, phys);
	assert_int_equal(0x2dcc, len); /* to the mapping's end */
	len = 0x100000;
	assert_int_equal(0, get_pa(f, ioas, 0x200800, &len, &phys));
	assert_int_equal(0x50000800, phys);
	assert_int_equal(0x1800, len); /* the contiguous run */
	len = 0x100000;
	assert_int_equal(0, get_pa(f, ioas, 0x202000, &len, &phys));
	assert_int_equal(0x60000000, phys);
	assert_int_equal(0x2000, len);
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	iommufd_device_unbind(idev);
}

/* iommufd_ioas_noiommu_get_pa()'s checks, in its order */
static void get_pa_refusals(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->n);
	u32 ioas = fx_ioas(f), pt = ioas;
	struct iommu_ioas_noiommu_get_pa cmd = { .size = sizeof(cmd),
						 .ioas_id = ioas,
						 .iova = 0x100000,
						 .length = 0x1000 };
	u64 len = 0x1000, phys;

	assert_int_equal(0, fx_map(f, ioas, 0x100000, 0, 0x4000));
	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(-ENOENT, get_pa(f, ioas, 0x104000, &len, &phys));
	assert_int_equal(-EOVERFLOW, get_pa(f, ioas, ~0ull, &len, &phys));
	len = 0;
	assert_int_equal(-EINVAL, get_pa(f, ioas, 0x100000, &len, &phys));
	len = 0x1000;
	assert_int_equal(-ENOENT, get_pa(f, 99, 0x100000, &len, &phys));
	cmd.flags = 1;
	assert_int_equal(-EOPNOTSUPP,
			 fx_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	cmd.flags = 0, cmd.__reserved = 1;
	assert_int_equal(-EOPNOTSUPP,
			 fx_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	cmd.__reserved = 0;
	f->task->caps &= ~CAP_BIT(CAP_SYS_RAWIO);
	assert_int_equal(-EPERM, fx_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	f->task->caps |= CAP_BIT(CAP_SYS_RAWIO);
	assert_int_equal(0, fx_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	iommufd_device_unbind(idev);
}

/* The short-circuits: a noiommu device's attach, replace and detach never
 * reach the iommu core, yet its HWPT references move as usual */
static void noiommu_attach_replace_detach_leave_the_core_alone(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->n);
	u32 ioas = fx_ioas(f), pt = ioas, hwpt, auto_pt;
	guint groups = f->m->groups->len;

	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	auto_pt = pt;
	assert_int_equal(0, fx_hwpt_alloc(f, idev->obj.id, ioas, 0, &hwpt));
	pt = hwpt;
	assert_int_equal(0, iommufd_device_replace(idev, IOMMU_NO_PASID, &pt));
	assert_null(fx_obj(f, auto_pt)); /* the auto HWPT went */
	assert_int_equal(2, fx_obj(f, hwpt)->users);
	assert_ptr_equal(fx_obj(f, hwpt), iommufd_device_attached_hwpt(idev));
	assert_int_equal(groups, f->m->groups->len);
	assert_null(f->n->iommu_group);
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_int_equal(1, fx_obj(f, hwpt)->users);
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(idev);
}

/*
 * An IOAS that already has a real IOMMU's auto HWPT: a noiommu device
 * attaching to the IOAS joins that HWPT (iommufd_device_auto_get_domain()
 * takes any auto HWPT whose attach succeeds, and a noiommu attach always
 * does: iommufd_hwpt_attach_device() short-circuits), so no noiommu HWPT
 * exists and GET_PA has no SW-only table to read: EOPNOTSUPP, even after
 * the real device leaves.
 */
static void noiommu_device_joins_a_real_auto_hwpt_and_get_pa_fails(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *ic = fx_bind(f, f->c), *in = fx_bind(f, f->n);
	u32 ioas = fx_ioas(f), pt_c = ioas, pt_n = ioas;
	u64 len = 0x1000, phys;

	assert_int_equal(0, fx_map(f, ioas, 0x100000, 0, 0x4000));
	assert_int_equal(0, iommufd_device_attach(ic, IOMMU_NO_PASID, &pt_c));
	assert_int_equal(0, iommufd_device_attach(in, IOMMU_NO_PASID, &pt_n));
	assert_int_equal(pt_c, pt_n);
	assert_int_equal(3, fx_obj(f, pt_c)->users);
	assert_int_equal(-EOPNOTSUPP, get_pa(f, ioas, 0x100000, &len, &phys));
	assert_int_equal(0, iommufd_device_detach(ic, IOMMU_NO_PASID));
	assert_int_equal(-EOPNOTSUPP, get_pa(f, ioas, 0x100000, &len, &phys));
	assert_int_equal(0, iommufd_device_detach(in, IOMMU_NO_PASID));
	assert_null(fx_obj(f, pt_c));
	iommufd_device_unbind(ic);
	iommufd_device_unbind(in);
}

/*
 * Both a real and a noiommu domain on one IOAS: GET_PA reads the area's
 * storage domain, the first domain the area went into (pages.c
 * iopt_area_fill_domains(), io_pagetable.c iopt_fill_domain()), and when
 * that domain leaves, another remaining one takes over
 * (iopt_unfill_domain()).
 */
static void get_pa_beside_a_real_iommu_domain_follows_storage(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *ic = fx_bind(f, f->c), *in = fx_bind(f, f->n);
	u32 ioas = fx_ioas(f), pt_c = ioas, pt_n = ioas, hwpt;
	u64 len = 0x1000, phys;

	assert_int_equal(0, fx_map(f, ioas, 0x100000, 0, 0x4000));
	/* noiommu first: its auto HWPT is storage; c's attach to it fails
	 * (a foreign domain) and c gets an AMD auto HWPT of its own */
	assert_int_equal(0, iommufd_device_attach(in, IOMMU_NO_PASID, &pt_n));
	assert_int_equal(0, iommufd_device_attach(ic, IOMMU_NO_PASID, &pt_c));
	assert_int_not_equal(pt_c, pt_n);
	assert_int_equal(0, get_pa(f, ioas, 0x100000, &len, &phys));
	assert_int_equal(FX_PA, phys);
	assert_int_equal(0, iommufd_device_detach(
				    in, IOMMU_NO_PASID)); /* storage -> AMD */
	assert_int_equal(-EOPNOTSUPP, get_pa(f, ioas, 0x100000, &len, &phys));
	/* real first, then a manual noiommu HWPT: storage stays AMD until
	 * c's auto HWPT goes */
	assert_int_equal(0, fx_hwpt_alloc(f, in->obj.id, ioas, 0, &hwpt));
	assert_int_equal(-EOPNOTSUPP, get_pa(f, ioas, 0x100000, &len, &phys));
	assert_int_equal(0, iommufd_device_detach(ic, IOMMU_NO_PASID));
	assert_int_equal(0, get_pa(f, ioas, 0x100000, &len, &phys));
	assert_int_equal(FX_PA, phys);
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(ic);
	iommufd_device_unbind(in);
}

/* A real device cannot attach to a noiommu HWPT: __iommu_attach_group()
 * (domain_iommu_ops_compatible()) refuses the foreign domain */
static void real_device_refuses_a_noiommu_hwpt(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *ic = fx_bind(f, f->c), *in = fx_bind(f, f->n);
	u32 ioas = fx_ioas(f), hwpt, pt;

	assert_int_equal(0, fx_hwpt_alloc(f, in->obj.id, ioas, 0, &hwpt));
	pt = hwpt;
	assert_int_equal(-EINVAL,
			 iommufd_device_attach(ic, IOMMU_NO_PASID, &pt));
	assert_ptr_equal(f->c->iommu_group->blocking_domain,
			 f->c->iommu_group->domain);
	assert_int_equal(0, fx_destroy(f, hwpt));
	iommufd_device_unbind(ic);
	iommufd_device_unbind(in);
}

/* iommufd_get_hw_info() and iommufd_viommu_alloc_ioctl() of a noiommu
 * device: EOPNOTSUPP */
static void noiommu_device_has_no_hw_info_or_viommu(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->n);
	struct iommu_hw_info info = { .size = sizeof(info),
				      .dev_id = idev->obj.id };
	struct iommu_viommu_alloc va = { .size = sizeof(va),
					 .dev_id = idev->obj.id,
					 .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3 };

	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_GET_HW_INFO, &info));
	assert_int_equal(-EOPNOTSUPP, fx_ioctl(f, IOMMU_VIOMMU_ALLOC, &va));
	iommufd_device_unbind(idev);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(noiommu_bind_gets_a_dummy_igroup_and_claims_nothing),
		T(fake_group_from_the_group_path_still_binds_as_noiommu),
		T(failed_noiommu_bind_keeps_the_ctx_reference_count),
		T(noiommu_hwpt_is_a_sw_only_amdv1_table),
		T(get_pa_answers_through_the_noiommu_hwpt),
		T(get_pa_refusals),
		T(noiommu_attach_replace_detach_leave_the_core_alone),
		T(noiommu_device_joins_a_real_auto_hwpt_and_get_pa_fails),
		T(get_pa_beside_a_real_iommu_domain_follows_storage),
		T(real_device_refuses_a_noiommu_hwpt),
		T(noiommu_device_has_no_hw_info_or_viommu),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
