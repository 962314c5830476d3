// SPDX-License-Identifier: MIT
/*
 * test_rfc_profile.c - the rfc-2022-v1 profile (seed 003): replace with
 * an owner and old == current, multi-device iommu_attach_device with
 * attach_cnt, and the entry points the series removes.
 */
#include "fixture.h"

struct fx {
	struct iommu_model *m;
	const struct iommu_profile *p;
	struct device *a, *b;
	struct iommu_domain *d1, *d2;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->p = &profile_rfc_2022_v1;
	f->m = machine_new(f->p, IOMMU_DRV_AMD_VI);
	shared_pair(f->m, &f->a, &f->b);
	if (iommu_model_boot(f->m) ||
	    iommu_paging_domain_alloc(f->m, f->a, &f->d1) ||
	    iommu_paging_domain_alloc(f->m, f->a, &f->d2))
		return -1;
	*state = f;
	return 0;
}

static void group_api_is_absent(void **state)
{
	struct fx *f = *state;

	assert_false(iommu_profile_has(f->p, IOMMU_OP(attach_group)));
	assert_false(iommu_profile_has(f->p, IOMMU_OP(detach_group)));
	assert_true(iommu_profile_has(f->p, IOMMU_OP(group_replace_domain)));
	assert_false(iommu_profile_has(&profile_linux_7_3,
				       IOMMU_OP(group_replace_domain)));
	assert_int_equal(IOMMU_ABSENT, iommu_attach_group(f->m, f->d1, f->a));
}

/* 1/8: -EPERM without an owner or when old is not the current domain */
static void replace_needs_owner_and_old(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->a->iommu_group;
	const char *c = iommu_cookie(f->m, "vfio");

	assert_int_equal(-EPERM,
			 iommu_group_replace_domain(f->m, f->a, NULL, f->d1));
	assert_int_equal(0, iommu_group_claim_dma_owner(f->m, f->a, c));
	assert_null(g->domain);
	assert_int_equal(-EPERM,
			 iommu_group_replace_domain(f->m, f->a, f->d2, f->d1));
	assert_int_equal(0,
			 iommu_group_replace_domain(f->m, f->a, NULL, f->d1));
	assert_ptr_equal(f->d1, g->domain);
	assert_int_equal(0,
			 iommu_group_replace_domain(f->m, f->a, f->d1, NULL));
	assert_null(g->domain);
	assert_int_equal(0, iommu_group_release_dma_owner(f->m, f->a));
	assert_ptr_equal(g->default_domain, g->domain);
}

/* 1/8: a failed attach of new re-attaches old */
static void failed_replace_reattaches_old(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->a->iommu_group;

	assert_int_equal(0, iommu_group_claim_dma_owner(
				    f->m, f->a, iommu_cookie(f->m, "v")));
	assert_int_equal(0,
			 iommu_group_replace_domain(f->m, f->a, NULL, f->d1));
	f->a->iommu->fail_attach = 1;
	assert_int_equal(-EINVAL,
			 iommu_group_replace_domain(f->m, f->a, f->d1, f->d2));
	assert_ptr_equal(f->d1, g->domain);
	assert_int_equal(0,
			 iommu_group_replace_domain(f->m, f->a, f->d1, NULL));
	assert_int_equal(0, iommu_group_release_dma_owner(f->m, f->a));
}

/* 3/8: every device of the group may attach the same domain */
static void attach_device_counts_per_group(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->a->iommu_group;
	u64 cnt = 0;

	assert_int_equal(0, iommu_attach_device(f->m, f->d1, f->a));
	assert_int_equal(-EPERM, iommu_attach_device(f->m, f->d2, f->b));
	assert_int_equal(0, iommu_attach_device(f->m, f->d1, f->b));
	assert_true(iommu_group_profile_value(f->m, g, "attach_cnt", &cnt));
	assert_int_equal(2, cnt);
	assert_int_equal(2, g->owner_cnt);
	assert_int_equal(0, iommu_detach_device(f->m, f->d1, f->a));
	assert_ptr_equal(f->d1, g->domain);
	assert_int_equal(0, iommu_detach_device(f->m, f->d1, f->b));
	assert_ptr_equal(g->default_domain, g->domain);
	assert_int_equal(0, g->owner_cnt);
}

/* 3/8: DMA-API users on a multi-device group make it -EBUSY */
static void attach_device_with_dma_api_user_is_ebusy(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, device_driver_attach(f->m, f->b,
						 driver_find(f->m, "e1000e")));
	assert_int_equal(-EBUSY, iommu_attach_device(f->m, f->d1, f->a));
	assert_int_equal(0, device_driver_detach(f->m, f->b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(group_api_is_absent, setup,
						teardown_fixture),
		cmocka_unit_test_setup_teardown(replace_needs_owner_and_old,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(failed_replace_reattaches_old,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(attach_device_counts_per_group,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(
			attach_device_with_dma_api_user_is_ebusy, setup,
			teardown_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
