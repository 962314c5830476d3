// SPDX-License-Identifier: MIT
/*
 * test_pasid.c - the core PASID API of Linux 7.3 (iommu.c
 * iommu_attach_device_pasid(), iommu_replace_device_pasid(),
 * iommu_detach_device_pasid()): which devices of a group the driver's
 * set_dev_pasid reaches, and what the revert ladder of
 * __iommu_set_group_pasid() puts back when it fails.
 */
#include "fixture.h"

/* one set_dev_pasid call as the driver saw it */
struct call {
	const struct iommu_domain *domain; /* NULL: the static blocked */
	const struct device *dev;
	u32 pasid;
	const struct iommu_domain *old;
};

static struct call calls[16];
static unsigned int ncalls;
static const struct device *fail_on; /* the device whose call fails */

static int record_set_dev_pasid(struct iommu_model *m,
				const struct iommu_domain *domain,
				struct device *dev, u32 pasid,
				const struct iommu_domain *old)
{
	bool blocked = !domain || domain->type == IOMMU_DOMAIN_BLOCKED;

	(void)m;
	calls[ncalls++] =
		(struct call){ blocked ? NULL : domain, dev, pasid, old };
	return !blocked && dev == fail_on ? -ENOSPC : 0;
}

struct fx {
	struct iommu_model *m;
	struct device *a, *b; /* one group of two */
	struct iommu_domain *d1, *d2;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct iommu_device *vtd;

	f->m = machine_new(&profile_linux_7_3, IOMMU_DRV_INTEL_VTD);
	vtd = f->m->iommus->pdata[0];
	vtd->max_pasids = 1u << 20;
	vtd->set_dev_pasid = record_set_dev_pasid;
	shared_pair(f->m, &f->a, &f->b);
	f->a->pasids = 256;
	f->b->pasids = 64;
	if (iommu_model_boot(f->m) ||
	    iommu_group_claim_dma_owner(f->m, f->a, "me") ||
	    iommu_paging_domain_alloc(f->m, f->a, &f->d1) ||
	    iommu_paging_domain_alloc(f->m, f->a, &f->d2))
		return -1;
	ncalls = 0;
	fail_on = NULL;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	iommu_group_release_dma_owner(f->m, f->a);
	return teardown_fixture(state);
}

/* dev_iommu_get_max_pasids(): the device's and the IOMMU's, the lower */
static void probe_takes_the_lower_of_device_and_iommu_pasids(void **state)
{
	struct fx *f = *state;

	assert_int_equal(256, f->a->max_pasids);
	assert_int_equal(64, f->b->max_pasids);
}

/* the group's smallest max_pasids bounds the PASID, 0 is the RID's */
static void attach_pasid_beyond_a_device_or_at_no_pasid_is_einval(void **st)
{
	struct fx *f = *st;

	assert_int_equal(-EINVAL, iommu_attach_device_pasid(f->m, f->d1, f->a,
							    64, true));
	assert_int_equal(-EINVAL,
			 iommu_attach_device_pasid(f->m, f->d1, f->a,
						   IOMMU_NO_PASID, true));
	assert_int_equal(0, ncalls);
	assert_true(iommu_group_pasid_array_empty(f->a->iommu_group));
}

/* __iommu_set_group_pasid(): a device without PASIDs is skipped */
static void attach_pasid_reaches_only_devices_with_pasids(void **state)
{
	struct fx *f = *state;

	f->b->max_pasids = 0;
	assert_int_equal(
		0, iommu_attach_device_pasid(f->m, f->d1, f->b, 100, true));
	assert_int_equal(1, ncalls);
	assert_ptr_equal(f->a, calls[0].dev);
	assert_ptr_equal(f->d1, calls[0].domain);
	assert_null(calls[0].old);
	assert_ptr_equal(
		f->d1, iommu_group_pasid_entry(f->a->iommu_group, 100)->domain);
	assert_int_equal(0, iommu_detach_device_pasid(f->m, f->d1, f->b, 100));
	assert_int_equal(2, ncalls);
	assert_null(calls[1].domain); /* the blocked domain takes it back */
	assert_null(iommu_group_pasid_entry(f->a->iommu_group, 100));
}

/* err_revert with no old domain: the devices moved go to blocked */
static void failed_attach_pasid_blocks_the_devices_moved(void **state)
{
	struct fx *f = *state;

	fail_on = f->b;
	assert_int_equal(-ENOSPC,
			 iommu_attach_device_pasid(f->m, f->d1, f->a, 9, true));
	assert_int_equal(3, ncalls);
	assert_ptr_equal(f->b, calls[1].dev);
	assert_ptr_equal(f->a, calls[2].dev);
	assert_null(calls[2].domain);
	assert_ptr_equal(f->d1, calls[2].old);
	assert_null(iommu_group_pasid_entry(f->a->iommu_group, 9));
}

/* err_revert with an old domain: the devices moved go back to it, and
 * the PASID keeps its entry */
static void failed_replace_pasid_puts_the_devices_moved_back(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0,
			 iommu_attach_device_pasid(f->m, f->d1, f->a, 9, true));
	ncalls = 0;
	fail_on = f->b;
	assert_int_equal(-ENOSPC, iommu_replace_device_pasid(f->m, f->d2, f->a,
							     9, true));
	assert_int_equal(3, ncalls);
	assert_ptr_equal(f->a, calls[2].dev);
	assert_ptr_equal(f->d1, calls[2].domain);
	assert_ptr_equal(f->d2, calls[2].old);
	assert_ptr_equal(f->d1,
			 iommu_group_pasid_entry(f->a->iommu_group, 9)->domain);
	fail_on = NULL;
	assert_int_equal(0, iommu_detach_device_pasid(f->m, f->d1, f->a, 9));
}

/* replace needs an entry and a handle; the same domain calls nothing */
static void replace_pasid_needs_an_attached_pasid_and_a_handle(void **st)
{
	struct fx *f = *st;

	assert_int_equal(-EINVAL, iommu_replace_device_pasid(f->m, f->d1, f->a,
							     5, true));
	assert_int_equal(
		0, iommu_attach_device_pasid(f->m, f->d1, f->a, 5, false));
	assert_int_equal(-EINVAL, iommu_replace_device_pasid(f->m, f->d2, f->a,
							     5, false));
	ncalls = 0;
	assert_int_equal(
		0, iommu_replace_device_pasid(f->m, f->d1, f->a, 5, true));
	assert_int_equal(0, ncalls);
	assert_true(iommu_group_pasid_entry(f->a->iommu_group, 5)->handle);
	assert_int_equal(-EBUSY,
			 iommu_attach_device_pasid(f->m, f->d2, f->a, 5, true));
	assert_int_equal(0, iommu_detach_device_pasid(f->m, f->d1, f->a, 5));
}

/* __iommu_release_dma_ownership() WARNs while a PASID is attached */
static void owned_group_with_a_pasid_cannot_be_released(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0,
			 iommu_attach_device_pasid(f->m, f->d1, f->a, 3, true));
	iommu_model_begin(f->m);
	iommu_group_release_dma_owner(f->m, f->a);
	assert_true(f->m->warned);
	assert_non_null(f->a->iommu_group->owner);
	assert_int_equal(0, iommu_detach_device_pasid(f->m, f->d1, f->a, 3));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(probe_takes_the_lower_of_device_and_iommu_pasids),
		T(attach_pasid_beyond_a_device_or_at_no_pasid_is_einval),
		T(attach_pasid_reaches_only_devices_with_pasids),
		T(failed_attach_pasid_blocks_the_devices_moved),
		T(failed_replace_pasid_puts_the_devices_moved_back),
		T(replace_pasid_needs_an_attached_pasid_and_a_handle),
		T(owned_group_with_a_pasid_cannot_be_released),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
