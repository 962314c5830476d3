// SPDX-License-Identifier: MIT
/*
 * test_pci_group.c - which devices share an iommu group (iommu.c
 * pci_device_group()) and in which order groups get their ids.
 */
#include "fixture.h"

static int setup(void **state)
{
	*state = machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	return 0;
}

/* root-complex devices each get a group, ids in devfn order */
static void root_complex_devices_are_alone(void **state)
{
	struct iommu_model *m = *state;
	struct device *b = pci(m, "b", DEV_PCI, NULL, 3, 0);
	struct device *a = pci(m, "a", DEV_PCI, NULL, 2, 0);

	assert_int_equal(0, iommu_model_boot(m));
	assert_int_equal(0, a->iommu_group->id);
	assert_int_equal(1, b->iommu_group->id);
	assert_int_equal(2, m->groups->len);
}

/* get_pci_function_alias_group(): functions of one slot without ACS */
static void multifunction_without_acs_shares(void **state)
{
	struct iommu_model *m = *state;
	struct device *f0 = pci(m, "f0", DEV_PCI, NULL, 0x1f, 0);
	struct device *f2 = pci(m, "f2", DEV_PCI, NULL, 0x1f, 2);
	struct device *f3 = pci(m, "f3", DEV_PCI, NULL, 0x1f, 3);

	f0->multifunction = f2->multifunction = f3->multifunction = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_equal(f0->iommu_group, f2->iommu_group);
	assert_ptr_equal(f0->iommu_group, f3->iommu_group);
	assert_int_equal(3, iommu_group_device_count(f0->iommu_group));
}

static void multifunction_with_acs_splits(void **state)
{
	struct iommu_model *m = *state;
	struct device *f0 = pci(m, "f0", DEV_PCI, NULL, 0x1f, 0);
	struct device *f1 = pci(m, "f1", DEV_PCI, NULL, 0x1f, 1);

	f0->multifunction = f1->multifunction = true;
	f0->acs = f1->acs = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_not_equal(f0->iommu_group, f1->iommu_group);
}

/* quirks.c pci_quirk_rciep_acs(): Intel's functions on the root bus
 * (RCiEPs) count as ACS-isolated without the capability */
static void intel_rciep_functions_are_isolated_by_quirk(void **state)
{
	struct iommu_model *m = *state;
	struct device *f0 = pci(m, "f0", DEV_PCI, NULL, 3, 0);
	struct device *f1 = pci(m, "f1", DEV_PCI, NULL, 3, 1);

	f0->multifunction = f1->multifunction = true;
	f0->vendor = f1->vendor = 0x8086;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_not_equal(f0->iommu_group, f1->iommu_group);
}

/* the RCiEP quirk needs the root bus: behind a root port an Intel
 * function is a PCI_EXP_TYPE_ENDPOINT and shares its slot's group */
static void intel_endpoint_behind_a_port_still_shares(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	struct device *f0 = pci(m, "f0", DEV_PCI, rp, 0, 0);
	struct device *f1 = pci(m, "f1", DEV_PCI, rp, 0, 1);

	rp->acs = true;
	f0->multifunction = f1->multifunction = true;
	f0->vendor = f1->vendor = 0x8086;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_equal(f0->iommu_group, f1->iommu_group);
}

/* pci_for_each_dma_alias(): PCIe-to-PCI bridge takes the requester ID */
static void pcie_to_pci_bridge_groups_all_behind(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	struct device *br = pci(m, "br", DEV_PCIE_PCI_BRIDGE, rp, 0, 0);
	struct device *d1 = pci(m, "d1", DEV_PCI, br, 1, 0);
	struct device *d2 = pci(m, "d2", DEV_PCI, br, 2, 0);

	rp->acs = true;
	d1->pcie = d2->pcie = false;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_equal(br->iommu_group, d1->iommu_group);
	assert_ptr_equal(br->iommu_group, d2->iommu_group);
	assert_ptr_not_equal(rp->iommu_group, br->iommu_group);
	assert_int_equal(2, m->groups->len);
}

/* no ACS at the root port: the endpoint joins the port's group */
static void root_port_without_acs_joins_port(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	struct device *ep = pci(m, "ep", DEV_PCI, rp, 0, 0);

	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_equal(rp->iommu_group, ep->iommu_group);
}

static void root_port_with_acs_isolates(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	struct device *ep = pci(m, "ep", DEV_PCI, rp, 0, 0);

	rp->acs = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_not_equal(rp->iommu_group, ep->iommu_group);
	assert_int_equal(0, rp->iommu_group->id);
	assert_int_equal(1, ep->iommu_group->id);
}

/* a downstream port without ACS: its endpoint joins the port's group,
 * which also holds nothing else (the upstream port's path has ACS) */
static void switch_downstream_without_acs(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	struct device *up = pci(m, "up", DEV_PCIE_UPSTREAM, rp, 0, 0);
	struct device *dp0 = pci(m, "dp0", DEV_PCIE_DOWNSTREAM, up, 0, 0);
	struct device *dp1 = pci(m, "dp1", DEV_PCIE_DOWNSTREAM, up, 1, 0);
	struct device *e0 = pci(m, "e0", DEV_PCI, dp0, 0, 0);
	struct device *e1 = pci(m, "e1", DEV_PCI, dp1, 0, 0);

	rp->acs = true;
	dp1->acs = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_equal(dp0->iommu_group, e0->iommu_group);
	assert_ptr_not_equal(dp1->iommu_group, e1->iommu_group);
}

/* a DMA alias quirk on the same bus puts both in one group */
static void dma_alias_quirk_shares(void **state)
{
	struct iommu_model *m = *state;
	struct device *a = pci(m, "a", DEV_PCI, NULL, 4, 0);
	struct device *b = pci(m, "b", DEV_PCI, NULL, 5, 0);

	b->dma_alias_devfn = 4 << 3;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_equal(a->iommu_group, b->iommu_group);
}

/* ida_alloc(): the lowest free id is reused after a removal */
static void freed_group_id_is_reused(void **state)
{
	struct iommu_model *m = *state;
	struct device *a = pci(m, "a", DEV_PCI, NULL, 2, 0);
	struct device *c;

	pci(m, "b", DEV_PCI, NULL, 3, 0);
	assert_int_equal(0, iommu_model_boot(m));
	iommu_release_device(m, a);
	a->iommu = NULL;
	c = pci(m, "c", DEV_PCI, NULL, 4, 0);
	assert_int_equal(0, iommu_probe_device(m, c));
	assert_int_equal(0, c->iommu_group->id);
}

/* no IOMMU: no group, and the DMA-API use is a no-op */
static void device_without_iommu_has_no_group(void **state)
{
	struct iommu_model *m = *state;
	struct device *p = device_add(m, "p", DEV_PLATFORM, NULL, 0);

	assert_int_equal(0, iommu_model_boot(m));
	assert_null(p->iommu_group);
	assert_int_equal(0, iommu_device_use_default_domain(m, p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(root_complex_devices_are_alone,
						setup, teardown_model),
		cmocka_unit_test_setup_teardown(
			multifunction_without_acs_shares, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(multifunction_with_acs_splits,
						setup, teardown_model),
		cmocka_unit_test_setup_teardown(
			intel_rciep_functions_are_isolated_by_quirk, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			intel_endpoint_behind_a_port_still_shares, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			pcie_to_pci_bridge_groups_all_behind, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			root_port_without_acs_joins_port, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(root_port_with_acs_isolates,
						setup, teardown_model),
		cmocka_unit_test_setup_teardown(switch_downstream_without_acs,
						setup, teardown_model),
		cmocka_unit_test_setup_teardown(dma_alias_quirk_shares, setup,
						teardown_model),
		cmocka_unit_test_setup_teardown(freed_group_id_is_reused, setup,
						teardown_model),
		cmocka_unit_test_setup_teardown(
			device_without_iommu_has_no_group, setup,
			teardown_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
