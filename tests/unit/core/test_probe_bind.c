// SPDX-License-Identifier: MIT
/*
 * test_probe_bind.c - boot order and bus numbers (probe.c), driver bind
 * and unbind (bind.c), fault injection in attach_dev (driver.c) and the
 * invariant checker catching a state the kernel never reaches.
 */
#include "fixture.h"

static int setup(void **state)
{
	*state = machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	return 0;
}

/* SeaBIOS numbers buses depth first; pci_scan_child_bus_extend() adds a
 * bus's devices before descending, so group ids follow that order */
static void buses_depth_first_groups_in_scan_order(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp1 = pci(m, "rp1", DEV_PCIE_ROOT_PORT, NULL, 0x1d, 0);
	struct device *rp0 = pci(m, "rp0", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	struct device *e1 = pci(m, "e1", DEV_PCI, rp1, 0, 0);
	struct device *e0 = pci(m, "e0", DEV_PCI, rp0, 0, 0);
	struct device *rc = pci(m, "rc", DEV_PCI, NULL, 0x1f, 0);

	rp0->acs = rp1->acs = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_int_equal(1, rp0->secondary);
	assert_int_equal(2, rp1->secondary);
	assert_int_equal(1, e0->bus);
	assert_int_equal(0, rp0->iommu_group->id);
	assert_int_equal(1, rp1->iommu_group->id);
	assert_int_equal(2, rc->iommu_group->id);
	assert_int_equal(3, e0->iommu_group->id);
	assert_int_equal(4, e1->iommu_group->id);
}

static void bind_twice_is_ebusy_unbind_unbound_is_enodev(void **state)
{
	struct iommu_model *m = *state;
	struct device *d = pci(m, "d", DEV_PCI, NULL, 2, 0);
	struct device_driver *drv = driver_find(m, "e1000e");

	assert_int_equal(0, iommu_model_boot(m));
	assert_int_equal(0, device_driver_attach(m, d, drv));
	assert_int_equal(-EBUSY, device_driver_attach(m, d, drv));
	assert_int_equal(1, d->iommu_group->owner_cnt);
	assert_int_equal(0, device_driver_detach(m, d));
	assert_int_equal(-ENODEV, device_driver_detach(m, d));
	assert_int_equal(0, d->iommu_group->owner_cnt);
}

/* the first attach of a default domain may not fail: MUST_SUCCEED, WARN */
static void injected_attach_failure_moves_nothing(void **state)
{
	struct iommu_model *m = *state;
	struct device *d = pci(m, "d", DEV_PCI, NULL, 2, 0);
	struct iommu_domain *dom;

	assert_int_equal(0, iommu_model_boot(m));
	assert_int_equal(0, iommu_paging_domain_alloc(m, d, &dom));
	d->iommu->fail_attach = 1;
	d->iommu->fail_attach_errno = ENOSPC;
	assert_int_equal(-ENOSPC, iommu_attach_device(m, dom, d));
	assert_ptr_equal(d->iommu_group->default_domain, d->attached);
	assert_int_equal(0, d->iommu->fail_attach);
	assert_int_equal(0, iommu_attach_device(m, dom, d));
	assert_int_equal(0, iommu_detach_device(m, dom, d));
}

/* a device not on its group's domain: the kernel's code never leaves
 * that without a WARN, so it is a model invariant */
static void invariants_catch_a_stray_device(void **state)
{
	struct iommu_model *m = *state;
	struct device *d = pci(m, "d", DEV_PCI, NULL, 2, 0);
	struct iommu_domain *saved;
	char *bad;

	assert_int_equal(0, iommu_model_boot(m));
	saved = d->attached;
	d->attached = NULL;
	bad = iommu_check_invariants(m);
	assert_non_null(bad);
	assert_non_null(strstr(bad, "d is attached to domain#0"));
	g_free(bad);
	d->attached = saved;
}

/* a domain pointer written past iommu_domain_slot_set(): the count the
 * caller's free asks (domain->holders) no longer says what points at the
 * domain, and the full check's recount names it */
static void
invariants_catch_a_domain_pointer_written_past_the_count(void **state)
{
	struct iommu_model *m = *state;
	struct device *d = pci(m, "d", DEV_PCI, NULL, 2, 0);
	struct iommu_group *g;
	struct iommu_domain *def;
	char *bad;

	assert_int_equal(0, iommu_model_boot(m));
	g = d->iommu_group;
	def = g->default_domain;
	/* default_domain, domain and d's attached */
	assert_int_equal(3, def->holders);
	assert_true(iommu_domain_in_use(def));
	g->handle = def; /* behind the count's back */
	bad = iommu_check_invariants(m);
	assert_non_null(bad);
	assert_non_null(strstr(bad, "has 3 holders but 4 slots point at it"));
	g_free(bad);
	g->handle = NULL;
	assert_null(iommu_check_invariants(m));
}

/* a domain that is not in the machine's table (a freed one: only its
 * address is compared, never read) found by the whole check, as a
 * group's domain and as a slot the count does not cover */
static void invariants_catch_a_domain_that_is_not_live(void **state)
{
	struct iommu_model *m = *state;
	struct device *d = pci(m, "d", DEV_PCI, NULL, 2, 0);
	struct iommu_domain ghost = { .obj.id = 99 };
	struct iommu_domain *dom, *att;
	struct iommu_group *g;
	char *bad;

	assert_int_equal(0, iommu_model_boot(m));
	g = d->iommu_group;
	dom = g->domain;
	att = d->attached;
	g->domain = d->attached = &ghost;
	bad = iommu_check_invariants(m);
	assert_non_null(bad);
	assert_non_null(strstr(bad, "uses a freed domain"));
	g_free(bad);
	g->domain = dom;
	d->attached = att;
	g->handle = &ghost;
	bad = iommu_check_invariants(m);
	assert_non_null(bad);
	assert_non_null(strstr(bad, "points at a domain that is not live"));
	g_free(bad);
	g->handle = NULL;
	assert_null(iommu_check_invariants(m));
}

/* owner_cnt without a driver or claim: callers can do that to the kernel
 * (an unbalanced unuse/release), so it is the contract that breaks */
static void contract_catches_a_corrupt_count(void **state)
{
	struct iommu_model *m = *state;
	struct device *d = pci(m, "d", DEV_PCI, NULL, 2, 0);
	char *bad;

	assert_int_equal(0, iommu_model_boot(m));
	d->iommu_group->owner_cnt = 3;
	assert_null(iommu_check_invariants(m));
	bad = iommu_check_contract(m);
	assert_non_null(bad);
	assert_non_null(strstr(bad, "owner_cnt 3"));
	g_free(bad);
	d->iommu_group->owner_cnt = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			buses_depth_first_groups_in_scan_order, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			bind_twice_is_ebusy_unbind_unbound_is_enodev, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			injected_attach_failure_moves_nothing, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(invariants_catch_a_stray_device,
						setup, teardown_model),
		cmocka_unit_test_setup_teardown(
			invariants_catch_a_domain_pointer_written_past_the_count,
			setup, teardown_model),
		cmocka_unit_test_setup_teardown(
			invariants_catch_a_domain_that_is_not_live, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			contract_catches_a_corrupt_count, setup,
			teardown_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
