// SPDX-License-Identifier: MIT
/*
 * test_direct_mappings.c - firmware's direct-mapped regions: the 1:1
 * entries a DMA-API default domain gets (iommu.c iommu_create_device_
 * direct_mappings(), from iommu_setup_default_domain() and
 * __iommu_probe_device()), dev->iommu->require_direct derived from an
 * IOMMU_RESV_DIRECT region, and the group's merged reserved regions
 * (iommu_get_group_resv_regions(), iommu_group_show_resv_regions()).
 */
#include "fixture.h"

/* One device on the root bus behind an IOMMU of @kind with one firmware
 * range [start, last]. */
static struct iommu_model *one_device(enum iommu_driver_kind kind, u64 start,
				      u64 last, bool relaxable,
				      struct device **dev)
{
	struct iommu_model *m = machine_new(&profile_linux_7_3, kind);

	*dev = pci(m, "d", DEV_PCI, NULL, 2, 0);
	(*dev)->fw_direct[0] = (struct iommu_fw_direct){ start, last };
	(*dev)->n_fw_direct = 1;
	(*dev)->fw_direct_relaxable = relaxable;
	return m;
}

static u64 phys(struct iommu_model *m, struct device *d, u64 iova)
{
	return iommu_iova_to_phys(m, d->iommu_group->default_domain, iova);
}

/* An IVMD unity map: the DMA default domain maps it at its own address,
 * and nothing past it; the device must keep a 1:1 map */
static void unity_map_is_mapped_one_to_one_in_dma_default_domain(void **state)
{
	struct device *d;
	struct iommu_model *m =
		one_device(IOMMU_DRV_AMD_VI, 0xe0000, 0xeffff, false, &d);

	*state = m;
	assert_int_equal(0, iommu_model_boot(m));
	assert_string_equal("DMA", iommu_group_type_str(d->iommu_group));
	assert_int_equal(0xe0000, phys(m, d, 0xe0000));
	assert_int_equal(0xeffff, phys(m, d, 0xeffff));
	assert_int_equal(0, phys(m, d, 0xf0000));
	assert_int_equal(0, phys(m, d, 0xdf000));
	assert_true(d->require_direct);
	assert_false(m->warned);
}

/* An identity default domain is not a DMA-API one: nothing is mapped,
 * but require_direct is set all the same, so the blocking domain (any
 * DMA owner's claim) is refused */
static void identity_default_maps_nothing_but_requires_direct(void **state)
{
	struct device *d;
	struct iommu_model *m =
		one_device(IOMMU_DRV_AMD_VI, 0xe0000, 0xeffff, false, &d);

	*state = m;
	iommu_set_cmdline(m, "iommu.passthrough", true);
	assert_int_equal(0, iommu_model_boot(m));
	assert_string_equal("identity", iommu_group_type_str(d->iommu_group));
	assert_true(d->require_direct);
	assert_int_equal(-EINVAL, iommu_group_claim_dma_owner(m, d, "vfio"));
	assert_int_equal(0, d->iommu_group->owner_cnt);
}

/* A relaxable RMRR is mapped as well, but sets no require_direct: the
 * group can be claimed and goes to its blocking domain */
static void relaxable_rmrr_is_mapped_and_does_not_require_direct(void **state)
{
	struct device *d;
	struct iommu_model *m =
		one_device(IOMMU_DRV_INTEL_VTD, 0xe0000, 0xeffff, true, &d);

	*state = m;
	assert_int_equal(0, iommu_model_boot(m));
	assert_int_equal(0xe8000, phys(m, d, 0xe8000));
	assert_false(d->require_direct);
	assert_int_equal(0, iommu_group_claim_dma_owner(m, d, "vfio"));
	assert_ptr_equal(d->iommu_group->blocking_domain,
			 d->iommu_group->domain);
	assert_int_equal(0, iommu_group_release_dma_owner(m, d));
}

/* An RMRR is taken as firmware gives it; its start and its end are
 * aligned up to the domain's smallest page (ALIGN()), so the page
 * holding its start is left out and the one holding its end is in */
static void unaligned_rmrr_is_aligned_up_to_the_smallest_page(void **state)
{
	struct device *d;
	struct iommu_model *m =
		one_device(IOMMU_DRV_INTEL_VTD, 0x100800, 0x1027ff, false, &d);

	*state = m;
	assert_int_equal(0, iommu_model_boot(m));
	assert_int_equal(0, phys(m, d, 0x100800));
	assert_int_equal(0x101000, phys(m, d, 0x101000));
	assert_int_equal(0x102fff, phys(m, d, 0x102fff));
	assert_int_equal(0, phys(m, d, 0x103000));
}

/* Two devices of one group whose ranges overlap: the second maps only
 * what the first left unmapped, and nothing fails */
static void overlap_with_a_siblings_range_is_skipped(void **state)
{
	struct iommu_model *m =
		machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	struct device *a, *b;

	*state = m;
	shared_pair(m, &a, &b);
	a->fw_direct[0] = (struct iommu_fw_direct){ 0xe0000, 0xeffff };
	b->fw_direct[0] = (struct iommu_fw_direct){ 0xe8000, 0xf7fff };
	a->n_fw_direct = b->n_fw_direct = 1;
	assert_int_equal(0, iommu_model_boot(m));
	assert_ptr_equal(a->iommu_group, b->iommu_group);
	assert_int_equal(0xe0000, phys(m, a, 0xe0000));
	assert_int_equal(0xf7000, phys(m, b, 0xf7000));
	assert_false(m->warned);
}

/* The sysfs type store's new DMA default domain gets the 1:1 map before
 * the group moves to it (iommu_setup_default_domain()) */
static void type_store_to_dma_maps_the_range(void **state)
{
	struct device *d;
	struct iommu_model *m =
		one_device(IOMMU_DRV_AMD_VI, 0xe0000, 0xeffff, false, &d);

	*state = m;
	iommu_set_cmdline(m, "iommu.passthrough", true);
	assert_int_equal(0, iommu_model_boot(m));
	assert_int_equal(3, iommu_group_store_type(m, d, "DMA"));
	assert_string_equal("DMA", iommu_group_type_str(d->iommu_group));
	assert_int_equal(0xe4000, phys(m, d, 0xe4000));
}

/* A device hot-added into a group that has a default domain gets its
 * range mapped there (__iommu_probe_device()) */
static void hotplug_into_a_group_maps_the_new_range(void **state)
{
	struct iommu_model *m =
		machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	struct device *a = pci(m, "a", DEV_PCI, NULL, 2, 0), *b;

	*state = m;
	a->multifunction = true;
	assert_int_equal(0, iommu_model_boot(m));
	b = pci(m, "b", DEV_PCI, NULL, 2, 1);
	b->multifunction = true;
	b->fw_direct[0] = (struct iommu_fw_direct){ 0xe0000, 0xeffff };
	b->n_fw_direct = 1;
	assert_int_equal(0, iommu_probe_device(m, b));
	assert_ptr_equal(a->iommu_group, b->iommu_group);
	assert_int_equal(0xe0000, phys(m, b, 0xe0000));
	assert_true(b->require_direct);
	assert_false(a->require_direct);
}

/* dev->iommu->require_direct goes with dev->iommu (dev_iommu_free()) */
static void release_forgets_require_direct(void **state)
{
	struct device *d;
	struct iommu_model *m =
		one_device(IOMMU_DRV_AMD_VI, 0xe0000, 0xeffff, false, &d);

	*state = m;
	assert_int_equal(0, iommu_model_boot(m));
	iommu_release_device(m, d);
	assert_false(d->require_direct);
}

/* The older require_direct=1, a range the machine does not place: the
 * device requires a 1:1 map, and nothing is mapped or listed */
static void unplaced_range_requires_direct_and_maps_nothing(void **state)
{
	struct iommu_model *m =
		machine_new(&profile_linux_7_3, IOMMU_DRV_GENERIC);
	struct device *d = pci(m, "d", DEV_PCI, NULL, 2, 0);
	g_autofree char *text = NULL;

	*state = m;
	d->fw_direct_unplaced = true;
	assert_int_equal(0, iommu_model_boot(m));
	assert_true(d->require_direct);
	text = iommu_group_show_resv_regions(d->iommu_group);
	assert_string_equal("", text);
}

/* The group's file: sorted, overlapping ranges of one type merged, the
 * driver's MSI and HyperTransport windows after them */
static void group_file_merges_overlapping_ranges(void **state)
{
	struct iommu_model *m =
		machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	struct device *a, *b;
	g_autofree char *text = NULL;

	*state = m;
	shared_pair(m, &a, &b);
	a->fw_direct[0] = (struct iommu_fw_direct){ 0xe8000, 0xf7fff };
	b->fw_direct[0] = (struct iommu_fw_direct){ 0xe0000, 0xeffff };
	a->n_fw_direct = b->n_fw_direct = 1;
	assert_int_equal(0, iommu_model_boot(m));
	text = iommu_group_show_resv_regions(a->iommu_group);
	assert_string_equal("0x00000000000e0000 0x00000000000f7fff direct\n"
			    "0x00000000fee00000 0x00000000feefffff msi\n"
			    "0x000000fd00000000 0x000000ffffffffff reserved\n",
			    text);
}

/* An IVMD's start and length are page-aligned up at init
 * (amd/init.c init_unity_map_range()) */
static void ivmd_range_is_page_aligned_at_init(void **state)
{
	struct device *d;
	struct iommu_model *m =
		one_device(IOMMU_DRV_AMD_VI, 0x100800, 0x1017ff, false, &d);
	struct iommu_resv_region r[IOMMU_RESV_MAX];

	*state = m;
	assert_int_equal(3, iommu_get_resv_regions(d, r));
	assert_int_equal(0x101000, r[0].start);
	assert_int_equal(0x1000, r[0].length);
	assert_int_equal(IOMMU_RESV_DIRECT, r[0].type);
	assert_int_equal(0, iommu_model_boot(m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			unity_map_is_mapped_one_to_one_in_dma_default_domain,
			teardown_model),
		cmocka_unit_test_teardown(
			identity_default_maps_nothing_but_requires_direct,
			teardown_model),
		cmocka_unit_test_teardown(
			relaxable_rmrr_is_mapped_and_does_not_require_direct,
			teardown_model),
		cmocka_unit_test_teardown(
			unaligned_rmrr_is_aligned_up_to_the_smallest_page,
			teardown_model),
		cmocka_unit_test_teardown(
			overlap_with_a_siblings_range_is_skipped,
			teardown_model),
		cmocka_unit_test_teardown(type_store_to_dma_maps_the_range,
					  teardown_model),
		cmocka_unit_test_teardown(
			hotplug_into_a_group_maps_the_new_range,
			teardown_model),
		cmocka_unit_test_teardown(release_forgets_require_direct,
					  teardown_model),
		cmocka_unit_test_teardown(
			unplaced_range_requires_direct_and_maps_nothing,
			teardown_model),
		cmocka_unit_test_teardown(group_file_merges_overlapping_ranges,
					  teardown_model),
		cmocka_unit_test_teardown(ivmd_range_is_page_aligned_at_init,
					  teardown_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
