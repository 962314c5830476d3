// SPDX-License-Identifier: MIT
/*
 * test_default_domain.c - the default domain a group gets at probe
 * (iommu.c iommu_subsys_init(), iommu_get_default_domain_type(),
 * iommu_setup_default_domain()) and changes through sysfs
 * (iommu_group_store_type()).
 */
#include "fixture.h"

static struct iommu_model *one_device(enum iommu_driver_kind kind,
				      struct device **dev)
{
	struct iommu_model *m = machine_new(&profile_linux_7_3, kind);

	*dev = pci(m, "d", DEV_PCI, NULL, 2, 0);
	return m;
}

static const char *boot_type(struct iommu_model *m, struct device *d)
{
	assert_int_equal(0, iommu_model_boot(m));
	return iommu_group_type_str(d->iommu_group);
}

/* Kconfig IOMMU_DEFAULT_DMA_LAZY on x86: DMA-FQ on real hardware */
static void lazy_default_is_dma_fq(void **state)
{
	struct device *d;
	struct iommu_model *m = one_device(IOMMU_DRV_AMD_VI, &d);

	*state = m;
	((struct iommu_device *)m->iommus->pdata[0])->np_cache = false;
	assert_string_equal("DMA-FQ", boot_type(m, d));
}

/* amd/init.c: NpCache (QEMU's amd-iommu) -> iommu_set_dma_strict() */
static void np_cache_forces_strict(void **state)
{
	struct device *d;
	struct iommu_model *m = one_device(IOMMU_DRV_AMD_VI, &d);

	*state = m;
	assert_string_equal("DMA", boot_type(m, d));
}

static void passthrough_cmdline_is_identity(void **state)
{
	struct device *d;
	struct iommu_model *m = one_device(IOMMU_DRV_AMD_VI, &d);

	*state = m;
	iommu_set_cmdline(m, "iommu.passthrough", true);
	assert_string_equal("identity", boot_type(m, d));
}

/* tegra_smmu_def_domain_type(): IDENTITY for every device */
static void tegra_wants_identity(void **state)
{
	struct iommu_model *m =
		machine_new(&profile_linux_7_3, IOMMU_DRV_TEGRA_SMMU);
	struct device *d = device_add(m, "gr2d", DEV_PLATFORM, NULL, 0);

	*state = m;
	d->iommu = m->iommus->pdata[0];
	assert_string_equal("identity", boot_type(m, d));
}

/* an untrusted device forces DMA even under passthrough */
static void untrusted_forces_dma(void **state)
{
	struct device *d;
	struct iommu_model *m = one_device(IOMMU_DRV_INTEL_VTD, &d);

	*state = m;
	d->untrusted = true;
	iommu_set_cmdline(m, "iommu.passthrough", true);
	assert_string_equal("DMA", boot_type(m, d));
}

static void sysfs_type_rules(void **state)
{
	struct device *d;
	struct iommu_model *m = one_device(IOMMU_DRV_AMD_VI, &d);

	*state = m;
	assert_string_equal("DMA", boot_type(m, d));
	assert_int_equal(0,
			 device_driver_attach(m, d, driver_find(m, "e1000e")));
	assert_int_equal(-EPERM, iommu_group_store_type(m, d, "identity"));
	/* DMA -> DMA-FQ needs no unbind */
	assert_int_equal(6, iommu_group_store_type(m, d, "DMA-FQ"));
	assert_string_equal("DMA-FQ", iommu_group_type_str(d->iommu_group));
	assert_int_equal(0, device_driver_detach(m, d));
	assert_int_equal(8, iommu_group_store_type(m, d, "identity"));
	assert_string_equal("identity", iommu_group_type_str(d->iommu_group));
	assert_ptr_equal(d->iommu_group->default_domain, d->attached);
	assert_int_equal(-EINVAL, iommu_group_store_type(m, d, "bogus"));
	/* vfio-pci bound but idle: owner_cnt stays 0 */
	assert_int_equal(
		0, device_driver_attach(m, d, driver_find(m, "vfio-pci")));
	assert_int_equal(3, iommu_group_store_type(m, d, "DMA"));
	assert_int_equal(0, device_driver_detach(m, d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(lazy_default_is_dma_fq,
					  teardown_model),
		cmocka_unit_test_teardown(np_cache_forces_strict,
					  teardown_model),
		cmocka_unit_test_teardown(passthrough_cmdline_is_identity,
					  teardown_model),
		cmocka_unit_test_teardown(tegra_wants_identity, teardown_model),
		cmocka_unit_test_teardown(untrusted_forces_dma, teardown_model),
		cmocka_unit_test_teardown(sysfs_type_rules, teardown_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
