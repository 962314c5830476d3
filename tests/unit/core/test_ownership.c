// SPDX-License-Identifier: MIT
/*
 * test_ownership.c - DMA ownership in Linux 7.3 (iommu.c): DMA-API use
 * of the default domain against exclusive claims, and where each leaves
 * the group's domain.
 */
#include "fixture.h"

struct fx {
	struct iommu_model *m;
	struct device *a, *b; /* one group: multifunction, no ACS */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->m = machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	shared_pair(f->m, &f->a, &f->b);
	if (iommu_model_boot(f->m))
		return -1;
	*state = f;
	return 0;
}

static void kernel_driver_blocks_claim(void **state)
{
	struct fx *f = *state;
	const char *c = iommu_cookie(f->m, "vfio");

	assert_int_equal(0, device_driver_attach(f->m, f->a,
						 driver_find(f->m, "e1000e")));
	assert_int_equal(1, f->a->iommu_group->owner_cnt);
	assert_int_equal(-EPERM, iommu_device_claim_dma_owner(f->m, f->b, c));
	assert_int_equal(-EPERM, iommu_group_claim_dma_owner(f->m, f->b, c));
	assert_int_equal(0, device_driver_detach(f->m, f->a));
	assert_int_equal(0, iommu_device_claim_dma_owner(f->m, f->b, c));
	assert_int_equal(0, iommu_device_release_dma_owner(f->m, f->b));
}

static void claim_blocks_kernel_driver_bind(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->a->iommu_group;

	assert_int_equal(0, iommu_device_claim_dma_owner(
				    f->m, f->a, iommu_cookie(f->m, "vfio")));
	assert_ptr_equal(g->blocking_domain, g->domain);
	assert_int_equal(
		-EBUSY,
		device_driver_attach(f->m, f->b, driver_find(f->m, "e1000e")));
	/* driver_managed_dma drivers do not touch owner_cnt */
	assert_int_equal(0, device_driver_attach(
				    f->m, f->b, driver_find(f->m, "vfio-pci")));
	assert_int_equal(1, g->owner_cnt);
	assert_int_equal(0, device_driver_detach(f->m, f->b));
	assert_int_equal(0, iommu_device_release_dma_owner(f->m, f->a));
}

static void same_cookie_counts_up_other_is_eperm(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->a->iommu_group;
	const char *c = iommu_cookie(f->m, "x");

	assert_int_equal(0, iommu_device_claim_dma_owner(f->m, f->a, c));
	assert_int_equal(0, iommu_device_claim_dma_owner(f->m, f->b, c));
	assert_int_equal(2, g->owner_cnt);
	assert_int_equal(-EPERM, iommu_device_claim_dma_owner(
					 f->m, f->a, iommu_cookie(f->m, "y")));
	assert_int_equal(0, iommu_device_release_dma_owner(f->m, f->a));
	assert_int_equal(1, g->owner_cnt);
	assert_ptr_equal(g->blocking_domain, g->domain);
	assert_int_equal(0, iommu_device_release_dma_owner(f->m, f->b));
	assert_int_equal(0, g->owner_cnt);
	assert_ptr_equal(g->default_domain, g->domain);
}

/* iommu_group_claim_dma_owner(): any owner_cnt means -EPERM, even the
 * same cookie; the group release is always a full release */
static void group_claim_is_exclusive(void **state)
{
	struct fx *f = *state;
	const char *c = iommu_cookie(f->m, "vfio");

	assert_int_equal(0, iommu_group_claim_dma_owner(f->m, f->a, c));
	assert_int_equal(-EPERM, iommu_group_claim_dma_owner(f->m, f->a, c));
	assert_int_equal(0, iommu_device_claim_dma_owner(f->m, f->b, c));
	assert_int_equal(2, f->a->iommu_group->owner_cnt);
	assert_int_equal(0, iommu_group_release_dma_owner(f->m, f->a));
	assert_int_equal(0, f->a->iommu_group->owner_cnt);
	assert_false(f->m->warned);
}

/* iommu_device_unuse_default_domain() with owner_cnt 0 WARNs */
static void unuse_without_use_warns(void **state)
{
	struct fx *f = *state;

	iommu_model_begin(f->m);
	assert_int_equal(0, iommu_device_unuse_default_domain(f->m, f->a));
	assert_true(f->m->warned);
	assert_int_equal(0, f->a->iommu_group->owner_cnt);
}

/* __iommu_release_dma_ownership() WARNs when nobody owns the group */
static void release_unowned_warns(void **state)
{
	struct fx *f = *state;

	iommu_model_begin(f->m);
	assert_int_equal(0, iommu_group_release_dma_owner(f->m, f->a));
	assert_true(f->m->warned);
}

static void claimed_reports_owner_cnt(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, iommu_group_dma_owner_claimed(f->m, f->a));
	assert_int_equal(0, iommu_device_use_default_domain(f->m, f->a));
	f->a->direct_uses++;
	assert_int_equal(1, iommu_group_dma_owner_claimed(f->m, f->b));
	assert_int_equal(0, iommu_device_unuse_default_domain(f->m, f->a));
	f->a->direct_uses--;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(kernel_driver_blocks_claim,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(claim_blocks_kernel_driver_bind,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(
			same_cookie_counts_up_other_is_eperm, setup,
			teardown_fixture),
		cmocka_unit_test_setup_teardown(group_claim_is_exclusive, setup,
						teardown_fixture),
		cmocka_unit_test_setup_teardown(unuse_without_use_warns, setup,
						teardown_fixture),
		cmocka_unit_test_setup_teardown(release_unowned_warns, setup,
						teardown_fixture),
		cmocka_unit_test_setup_teardown(claimed_reports_owner_cnt,
						setup, teardown_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
