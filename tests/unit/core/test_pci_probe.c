// SPDX-License-Identifier: MIT
/*
 * test_pci_probe.c - which PCI functions a scan finds (drivers/pci/probe.c
 * pci_scan_slot(), next_fn()), at boot and when a device is plugged in
 * after it (pci_rescan_bus()), and the groups of what it finds.
 */
#include "fixture.h"

static int setup(void **state)
{
	*state = machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	return 0;
}

/* Linux has no pci_dev for it: off its bus, no group */
static void assert_not_found(const struct device *dev)
{
	assert_true(dev->unscanned);
	assert_null(dev->iommu_group);
}

/* A root port with ACS at 1c.0 (group 0 once booted) */
static struct device *acs_port(struct iommu_model *m)
{
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);

	rp->acs = true;
	return rp;
}

/* pci_scan_slot(): an absent function 0 ends the slot's scan */
static void function_past_0_without_function_0_is_not_found(void **state)
{
	struct iommu_model *m = *state;
	struct device *f1 = pci(m, "f1", DEV_PCI, NULL, 2, 1);
	g_autoptr(GPtrArray) order = NULL;

	f1->multifunction = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_not_found(f1);
	assert_int_equal(0, m->groups->len);
	order = pci_bus_add_order(m);
	assert_int_equal(0, order->len);
}

/* next_fn(): no function past a function 0 that is not multifunction */
static void function_past_single_function_0_is_not_found(void **state)
{
	struct iommu_model *m = *state;
	struct device *f0 = pci(m, "f0", DEV_PCI, NULL, 2, 0);
	struct device *f1 = pci(m, "f1", DEV_PCI, NULL, 2, 1);

	f1->multifunction = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_false(f0->unscanned);
	assert_non_null(f0->iommu_group);
	assert_not_found(f1);
	assert_int_equal(1, m->root_bus->len);
}

/* pci_scan_slot() marks a function past 0 multifunction, so without ACS
 * it shares function 0's group (get_pci_function_alias_group()) whatever
 * its own header says */
static void function_past_0_found_is_multifunction(void **state)
{
	struct iommu_model *m = *state;
	struct device *f0 = pci(m, "f0", DEV_PCI, NULL, 2, 0);
	struct device *f1 = pci(m, "f1", DEV_PCI, NULL, 2, 1);

	f0->multifunction = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_true(f1->multifunction);
	assert_ptr_equal(f0->iommu_group, f1->iommu_group);
}

/* pci_scan_child_bus_extend(): no bus behind a bridge no scan found */
static void nothing_behind_a_bridge_not_found(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 1);
	struct device *d = pci(m, "d", DEV_PCI, rp, 0, 0);

	assert_int_equal(0, iommu_model_boot(m));
	assert_true(rp->unscanned);
	assert_not_found(d);
	assert_int_equal(0, rp->children->len);
}

/* only_one_child(): a root port's bus is a link, scanned at slot 00
 * only; a function in another slot is not found, whatever it is */
static void slot_past_0_behind_root_port_is_not_found(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = acs_port(m);
	struct device *d0 = pci(m, "d0", DEV_PCI, rp, 0, 0);
	struct device *d1 = pci(m, "d1", DEV_PCI, rp, 1, 0);

	assert_int_equal(0, iommu_model_boot(m));
	assert_non_null(d0->iommu_group);
	assert_not_found(d1);
	assert_int_equal(1, rp->children->len);
	assert_int_equal(2, m->groups->len);
}

/* a switch downstream port's bus is a link too; a bridge in a slot past
 * 0 of it is not found, so nothing behind it is */
static void slot_past_0_behind_downstream_port_is_not_found(void **state)
{
	struct iommu_model *m = *state;
	struct device *usp =
		pci(m, "usp", DEV_PCIE_UPSTREAM, acs_port(m), 0, 0);
	struct device *dsp = pci(m, "dsp", DEV_PCIE_DOWNSTREAM, usp, 0, 0);
	struct device *br = pci(m, "br", DEV_PCIE_PCI_BRIDGE, dsp, 3, 0);
	struct device *d = pci(m, "d", DEV_PCI, br, 0, 0);

	assert_int_equal(0, iommu_model_boot(m));
	assert_non_null(dsp->iommu_group);
	assert_not_found(br);
	assert_not_found(d);
	assert_int_equal(0, dsp->children->len);
}

/* every function of a slot past 0 of a link: the slot is never looked
 * at, so a multifunction function 0 there finds nothing either */
static void multifunction_slot_past_0_of_link_is_not_found(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = acs_port(m);
	struct device *f0 = pci(m, "f0", DEV_PCI, rp, 2, 0);
	struct device *f1 = pci(m, "f1", DEV_PCI, rp, 2, 1);

	f0->multifunction = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_not_found(f0);
	assert_not_found(f1);
	assert_int_equal(0, rp->children->len);
}

/* Boot behind a root port with ACS, its group 0. */
static struct device *booted_port(struct iommu_model *m)
{
	struct device *rp = acs_port(m);

	assert_int_equal(0, iommu_model_boot(m));
	return rp;
}

/* A device plugged in after boot: its bus rescanned. */
static struct device *plug(struct iommu_model *m, const char *name,
			   struct device *parent, int slot, int fn, bool mf)
{
	struct device *dev = pci(m, name, DEV_PCI, parent, slot, fn);

	dev->multifunction = mf;
	pci_rescan_bus(m, dev);
	return dev;
}

/* a hot-added function 1 alone in its slot: the rescan finds nothing */
static void hotplug_of_function_1_alone_finds_nothing(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = booted_port(m);
	struct device *f1 = plug(m, "f1", rp, 0, 1, true);

	assert_not_found(f1);
	assert_int_equal(0, rp->children->len);
	assert_int_equal(1, m->groups->len);
}

/* a rescan of a root port's bus scans slot 00 only (pci_scan_child_bus()
 * -> pci_scan_slot() -> only_one_child()): a device plugged in at slot 01
 * is not found */
static void hotplug_at_slot_past_0_of_root_port_finds_nothing(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = booted_port(m);
	struct device *d = plug(m, "d", rp, 1, 0, false);

	assert_not_found(d);
	assert_int_equal(0, rp->children->len);
	assert_int_equal(1, m->groups->len);
}

/* a multifunction function 0 plugged in later: pci_scan_slot() finds it,
 * then the function waiting in its slot, each probed as it is added
 * (function 0 first: it takes the new group, function 1 joins it) */
static void hotplug_of_multifunction_0_finds_waiting_function(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = booted_port(m);
	struct device *f1 = plug(m, "f1", rp, 0, 1, false);
	struct device *f0 = plug(m, "f0", rp, 0, 0, true);

	assert_false(f1->unscanned);
	assert_true(f1->multifunction);
	assert_non_null(f0->iommu_group);
	assert_ptr_equal(f0->iommu_group, f1->iommu_group);
	assert_ptr_equal(f0, f0->iommu_group->devices->pdata[0]);
	assert_ptr_equal(f1, f0->iommu_group->devices->pdata[1]);
	assert_int_equal(2, rp->children->len);
}

/* a single-function function 0 plugged in later: next_fn() stops there */
static void hotplug_of_single_function_0_leaves_function_1(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = booted_port(m);
	struct device *f1 = plug(m, "f1", rp, 0, 1, true);
	struct device *f0 = plug(m, "f0", rp, 0, 0, false);

	assert_non_null(f0->iommu_group);
	assert_not_found(f1);
}

/* a function hot-added beside a multifunction function 0 without ACS
 * joins its group (get_pci_function_alias_group()) */
static void hotplug_beside_function_0_without_acs_joins_it(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	struct device *f0 = pci(m, "f0", DEV_PCI, rp, 0, 0), *f1;

	rp->acs = true;
	f0->multifunction = true;
	assert_int_equal(0, iommu_model_boot(m));
	f1 = plug(m, "f1", rp, 0, 1, true);
	assert_ptr_equal(f0->iommu_group, f1->iommu_group);
}

/* with ACS the new function is isolated: pci_acs_enabled() skips it in
 * get_pci_function_alias_group(), and it gets a group of its own */
static void hotplug_beside_function_0_with_acs_gets_own_group(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp = pci(m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	struct device *f0 = pci(m, "f0", DEV_PCI, rp, 0, 0), *f1;

	rp->acs = true;
	f0->multifunction = true;
	assert_int_equal(0, iommu_model_boot(m));
	f1 = pci(m, "f1", DEV_PCI, rp, 0, 1);
	f1->acs = true;
	pci_rescan_bus(m, f1);
	assert_non_null(f1->iommu_group);
	assert_ptr_not_equal(f0->iommu_group, f1->iommu_group);
	assert_int_equal(3, m->groups->len);
}

/* a bridge found late has its bus scanned (pci_scan_bridge_extend()):
 * the port at 1c.1 and the device behind it, once 1c.0 arrives
 * multifunction; probed in scan order */
static void bridge_found_late_brings_its_bus(void **state)
{
	struct iommu_model *m = *state;
	struct device *rp1 = pci(m, "rp1", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 1);
	struct device *d = pci(m, "d", DEV_PCI, rp1, 0, 0);
	struct device *rp0;

	rp1->acs = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_true(d->unscanned);
	rp0 = pci(m, "rp0", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	rp0->acs = rp0->multifunction = true;
	pci_rescan_bus(m, rp0);
	assert_false(rp1->unscanned);
	assert_false(d->unscanned);
	assert_int_equal(0, rp0->iommu_group->id);
	assert_int_equal(1, rp1->iommu_group->id);
	assert_int_equal(2, d->iommu_group->id);
	assert_int_equal(rp1->secondary, d->bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			function_past_0_without_function_0_is_not_found, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			function_past_single_function_0_is_not_found, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			function_past_0_found_is_multifunction, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			nothing_behind_a_bridge_not_found, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			hotplug_of_function_1_alone_finds_nothing, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			hotplug_of_multifunction_0_finds_waiting_function,
			setup, teardown_model),
		cmocka_unit_test_setup_teardown(
			hotplug_of_single_function_0_leaves_function_1, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			hotplug_beside_function_0_without_acs_joins_it, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			hotplug_beside_function_0_with_acs_gets_own_group,
			setup, teardown_model),
		cmocka_unit_test_setup_teardown(
			bridge_found_late_brings_its_bus, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			slot_past_0_behind_root_port_is_not_found, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			slot_past_0_behind_downstream_port_is_not_found, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			multifunction_slot_past_0_of_link_is_not_found, setup,
			teardown_model),
		cmocka_unit_test_setup_teardown(
			hotplug_at_slot_past_0_of_root_port_finds_nothing,
			setup, teardown_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
