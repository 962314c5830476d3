// SPDX-License-Identifier: MIT
/*
 * test_sysfs_state.c - kernel behaviour that lives in the model: device_del
 * (bind.c), the sysfs store and show rules (sysfs.c), the built-in drivers
 * and vfio-pci's probe (model/vfio), and the state snapshot's hash
 * (snapshot.c).
 */
#include "fixture.h"
#include "model/state.h"
#include "model/core/kerrno.h"

struct fx {
	struct iommu_model *m;
	struct device *rp, *d;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->m = iommu_model_new(iommu_profile_default());
	iommu_device_add(f->m, "iommu0", IOMMU_DRV_AMD_VI);
	iommu_register_builtin_drivers(f->m);
	f->rp = pci(f->m, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	f->d = pci(f->m, "d", DEV_PCI, f->rp, 0, 0);
	f->rp->acs = true;
	if (iommu_model_boot(f->m))
		return -1;
	*state = f;
	return 0;
}

/* drivers/base/core.c device_del(): unbind first, then the IOMMU release;
 * owner_cnt is back to 0 when the group goes, so no WARN fires. */
static void device_del_unbinds_before_the_iommu_release(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, device_driver_attach(f->m, f->d,
						 driver_find(f->m, "e1000e")));
	assert_int_equal(1, f->d->iommu_group->owner_cnt);
	iommu_model_begin(f->m);
	assert_int_equal(0, device_del(f->m, f->d));
	assert_false(f->m->warned);
	assert_null(f->d->driver);
	assert_null(f->d->iommu_group);
	assert_null(f->d->iommu); /* a later probe finds no IOMMU */
}

static void sysfs_store_refuses_read_only_and_groupless(void **state)
{
	struct fx *f = *state;
	g_autofree char *type = NULL;

	assert_int_equal(-EACCES, iommu_sysfs_store(f->m, f->d, "driver",
						    "e1000e", NULL));
	/* write(2)'s count: the whole buffer, newline included */
	assert_int_equal(9, iommu_sysfs_store(f->m, f->d, "iommu_group/type",
					      "identity\n", NULL));
	type = iommu_sysfs_show(f->d, "iommu_group/type");
	assert_string_equal("identity", type);
	assert_int_equal(0, device_del(f->m, f->d));
	assert_int_equal(
		-ENOENT,
		iommu_sysfs_store(f->m, f->d, "iommu_group/type", "DMA", NULL));
}

static void sysfs_show_reads_links_as_none_when_absent(void **state)
{
	struct fx *f = *state;
	g_autofree char *drv = iommu_sysfs_show(f->d, "driver");
	g_autofree char *grp = iommu_sysfs_show(f->d, "iommu_group");
	g_autofree char *port = iommu_sysfs_show(f->rp, "driver");

	assert_string_equal("none", drv);
	assert_string_equal("1", grp);
	assert_string_equal("none", port); /* nothing autobinds here */
}

/* vfio_pci_core_register_device(): a bridge is not vfio-pci's */
static void vfio_pci_refuses_a_bridge_and_keeps_the_default_domain(void **s)
{
	struct fx *f = *s;
	struct device_driver *vfio = driver_find(f->m, "vfio-pci");

	assert_true(vfio->driver_managed_dma);
	assert_int_equal(-EINVAL, device_driver_attach(f->m, f->rp, vfio));
	assert_null(f->rp->driver);
	assert_int_equal(0, device_driver_attach(f->m, f->d, vfio));
	assert_int_equal(0, f->d->iommu_group->owner_cnt);
	assert_int_equal(0, device_driver_detach(f->m, f->d));
}

static void
state_hash_is_equal_for_equal_states_and_moves_on_change(void **state)
{
	struct fx *f = *state;
	struct iommu_model *twin = iommu_model_new(iommu_profile_default());
	struct iommu_domain *dom = NULL;
	struct device *rp, *d;
	u64 h = iommu_state_hash(f->m);

	iommu_device_add(twin, "iommu0", IOMMU_DRV_AMD_VI);
	iommu_register_builtin_drivers(twin);
	rp = pci(twin, "rp", DEV_PCIE_ROOT_PORT, NULL, 0x1c, 0);
	d = pci(twin, "d", DEV_PCI, rp, 0, 0);
	rp->acs = true;
	assert_int_equal(0, iommu_model_boot(twin));
	assert_true(h == iommu_state_hash(twin));
	assert_int_equal(0, iommu_paging_domain_alloc(twin, d, &dom));
	assert_int_equal(0, iommu_map(twin, dom, 0, 0x1000, 0x1000, 3));
	assert_true(h != iommu_state_hash(twin));
	assert_int_equal(0x1000, iommu_unmap(twin, dom, 0, 0x1000));
	assert_true(h != iommu_state_hash(twin)); /* the domain is still live */
	iommu_domain_free(twin, dom);
	assert_true(h == iommu_state_hash(twin));
	iommu_model_free(twin);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown_fixture)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(device_del_unbinds_before_the_iommu_release),
		T(sysfs_store_refuses_read_only_and_groupless),
		T(sysfs_show_reads_links_as_none_when_absent),
		T(vfio_pci_refuses_a_bridge_and_keeps_the_default_domain),
		T(state_hash_is_equal_for_equal_states_and_moves_on_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
