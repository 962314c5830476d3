// SPDX-License-Identifier: MIT
/*
 * test_attach.c - attach, detach and replace in Linux 7.3 (iommu.c), and
 * what a failed attach leaves behind.
 */
#include "fixture.h"

struct fx {
	struct iommu_model *m;
	struct device *solo;  /* a singleton group */
	struct device *a, *b; /* a two-device group */
	struct iommu_domain *d1, *d2;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->m = machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	f->solo = pci(f->m, "solo", DEV_PCI, NULL, 1, 0);
	shared_pair(f->m, &f->a, &f->b);
	if (iommu_model_boot(f->m) ||
	    iommu_paging_domain_alloc(f->m, f->a, &f->d1) ||
	    iommu_paging_domain_alloc(f->m, f->a, &f->d2))
		return -1;
	*state = f;
	return 0;
}

static void attach_device_needs_singleton(void **state)
{
	struct fx *f = *state;

	assert_int_equal(-EINVAL, iommu_attach_device(f->m, f->d1, f->a));
	assert_int_equal(0, iommu_attach_device(f->m, f->d1, f->solo));
	assert_ptr_equal(f->d1, f->solo->iommu_group->domain);
	assert_ptr_equal(f->d1, f->solo->attached);
	assert_int_equal(0, iommu_detach_device(f->m, f->d1, f->solo));
	assert_ptr_equal(f->solo->iommu_group->default_domain,
			 f->solo->iommu_group->domain);
}

/* __iommu_attach_group(): only from a core domain */
static void attach_over_non_core_domain_is_ebusy(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, iommu_attach_group(f->m, f->d1, f->a));
	assert_int_equal(-EBUSY, iommu_attach_group(f->m, f->d2, f->a));
	assert_ptr_equal(f->d1, f->a->iommu_group->domain);
	assert_int_equal(0, iommu_detach_group(f->m, f->d1, f->a));
}

static void detach_device_wrong_domain_warns(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, iommu_attach_device(f->m, f->d1, f->solo));
	iommu_model_begin(f->m);
	assert_int_equal(0, iommu_detach_device(f->m, f->d2, f->solo));
	assert_true(f->m->warned);
	assert_ptr_equal(f->d1, f->solo->iommu_group->domain);
	assert_int_equal(0, iommu_detach_device(f->m, f->d1, f->solo));
}

/* __iommu_group_set_domain_internal(): a failure on the second device
 * puts the first back on the old domain */
static void failed_replace_reverts_moved_devices(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->a->iommu_group;
	struct iommu_domain *old = g->domain;

	f->a->iommu->fail_attach = 1;
	f->a->iommu->fail_attach_dev = f->b;
	assert_int_equal(-EINVAL,
			 iommu_replace_group_handle(f->m, f->d1, f->a));
	assert_ptr_equal(old, g->domain);
	assert_ptr_equal(old, f->a->attached);
	assert_ptr_equal(old, f->b->attached);
	assert_null(g->handle);
}

static void handle_attach_twice_is_ebusy(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, iommu_attach_group_handle(f->m, f->d1, f->a));
	assert_int_equal(-EBUSY, iommu_attach_group_handle(f->m, f->d2, f->a));
	assert_int_equal(0, iommu_replace_group_handle(f->m, f->d2, f->a));
	assert_ptr_equal(f->d2, f->a->iommu_group->handle);
	assert_int_equal(0, iommu_detach_group_handle(f->m, f->d2, f->a));
	assert_null(f->a->iommu_group->handle);
}

/* domain_iommu_ops_compatible(): another driver's domain is -EINVAL */
static void foreign_domain_is_einval(void **state)
{
	struct fx *f = *state;
	struct iommu_device *other =
		iommu_device_add(f->m, "smmu", IOMMU_DRV_ARM_SMMU_V3);
	struct iommu_domain *d =
		iommu_domain_new(f->m, other, IOMMU_DOMAIN_UNMANAGED);

	assert_int_equal(-EINVAL, iommu_attach_group(f->m, d, f->a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(attach_device_needs_singleton,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(
			attach_over_non_core_domain_is_ebusy, setup,
			teardown_fixture),
		cmocka_unit_test_setup_teardown(
			detach_device_wrong_domain_warns, setup,
			teardown_fixture),
		cmocka_unit_test_setup_teardown(
			failed_replace_reverts_moved_devices, setup,
			teardown_fixture),
		cmocka_unit_test_setup_teardown(handle_attach_twice_is_ebusy,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(foreign_domain_is_einval, setup,
						teardown_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
