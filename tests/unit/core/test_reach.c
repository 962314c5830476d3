// SPDX-License-Identifier: MIT
/*
 * test_reach.c - the pointers a caller may pass that 7.3 does not expect:
 * NULL domains, a driver's static domains, prot bits without READ or
 * WRITE; what each function of iommu.c answers, and that a refusal
 * leaves the group as it was.
 */
#include "fixture.h"
#include "model/core/kerrno.h"
#include "model/pt/pt_types.h"

struct fx {
	struct iommu_model *m;
	struct device *solo; /* a singleton group on AMD-Vi (both statics) */
	struct iommu_domain *d;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->m = machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	f->solo = pci(f->m, "solo", DEV_PCI, NULL, 1, 0);
	if (iommu_model_boot(f->m) ||
	    iommu_paging_domain_alloc(f->m, f->solo, &f->d))
		return -1;
	*state = f;
	return 0;
}

static struct iommu_domain *named(struct fx *f, const char *name)
{
	struct iommu_domain *d = NULL;

	assert_int_equal(0, iommu_core_domain(f->m, f->solo, name, "test", &d));
	return d;
}

/* __iommu_attach_group(): -EBUSY is decided before domain->owner is read;
 * on a core domain a NULL domain is a dereference */
static void null_domain_attach_is_busy_before_it_is_undefined(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->solo->iommu_group;

	assert_int_equal(IOMMU_UB, iommu_attach_group(f->m, NULL, f->solo));
	assert_ptr_equal(g->default_domain, g->domain);
	assert_int_equal(0, iommu_attach_group(f->m, f->d, f->solo));
	assert_int_equal(-EBUSY, iommu_attach_group(f->m, NULL, f->solo));
	assert_int_equal(-EINVAL,
			 iommu_replace_group_handle(f->m, NULL, f->solo));
	assert_ptr_equal(f->d, g->domain);
	iommu_model_begin(f->m);
	assert_int_equal(0, iommu_detach_device(f->m, NULL, f->solo));
	assert_true(f->m->warned); /* WARN_ON(domain != group->domain) */
	assert_ptr_equal(f->d, g->domain);
	assert_int_equal(0, iommu_detach_group(f->m, NULL, f->solo));
	assert_ptr_equal(g->default_domain, g->domain);
}

static void null_domain_map_unmap_lookup_free_are_undefined(void **state)
{
	struct fx *f = *state;
	u64 v = 1;

	assert_int_equal(IOMMU_UB, iommu_map(f->m, NULL, 0x1000, 0x1000, 0x1000,
					     IOMMU_READ));
	assert_int_equal(IOMMU_UB,
			 iommu_unmap_checked(f->m, NULL, 0x1000, 0x1000, &v));
	assert_int_equal(0, v);
	v = 1;
	assert_int_equal(IOMMU_UB,
			 iommu_iova_to_phys_checked(f->m, NULL, 0x1000, &v));
	assert_int_equal(0, v);
	assert_int_equal(IOMMU_UB, iommu_domain_free_checked(f->m, NULL));
	assert_int_equal(-EINVAL, iommu_group_handle_null(
					  f->m, "iommu_attach_group_handle"));
}

/* amd/iommu.c: ops->identity_domain and ->blocked_domain are statics,
 * the same object every time, never freed */
static void static_domains_are_the_drivers_and_survive_free(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *id = named(f, "identity_domain");
	struct iommu_domain *bl = named(f, "blocked_domain");

	assert_non_null(id);
	assert_non_null(bl);
	assert_true(id->is_static && bl->is_static);
	assert_int_equal(IOMMU_DOMAIN_IDENTITY, id->type);
	assert_int_equal(IOMMU_DOMAIN_BLOCKED, bl->type);
	assert_ptr_equal(id, named(f, "identity_domain"));
	assert_ptr_equal(bl, f->solo->iommu->blocked_domain);
	assert_int_equal(0, iommu_attach_group(f->m, bl, f->solo));
	assert_int_equal(0, iommu_domain_free_checked(f->m, bl));
	assert_true(iommu_domain_live(f->m, bl));
	assert_int_equal(-EBUSY, iommu_attach_group(f->m, id, f->solo));
	assert_int_equal(0, iommu_detach_group(f->m, bl, f->solo));
	assert_int_equal(0, iommu_attach_device(f->m, id, f->solo));
	assert_ptr_equal(id, f->solo->attached);
	assert_int_equal(0, iommu_detach_device(f->m, id, f->solo));
}

/* a driver that allocates its identity domain and has no blocked one:
 * both ops fields are NULL, and so is what the names give */
static void names_of_missing_statics_are_null(void **state)
{
	struct fx *f = *state;

	f->solo->iommu->identity = IDENTITY_ALLOC;
	f->solo->iommu->blocked = BLOCKED_PAGING;
	assert_null(named(f, "identity_domain"));
	assert_null(named(f, "blocked_domain"));
}

/* iommu_map_nosync(): WARN_ON_ONCE on a non-paging domain, one WARN per
 * site; map_range(): WARN_ON for a prot without READ or WRITE, each time */
static void map_warnings_once_and_always(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *id = named(f, "identity_domain");
	u64 v = 1;

	iommu_model_begin(f->m);
	assert_int_equal(-EINVAL,
			 iommu_map(f->m, id, 0x1000, 0x1000, 0x1000, 3));
	assert_true(f->m->warned);
	iommu_model_begin(f->m);
	assert_int_equal(-EINVAL,
			 iommu_map(f->m, id, 0x1000, 0x1000, 0x1000, 3));
	assert_false(f->m->warned);
	assert_int_equal(0, iommu_unmap_checked(f->m, id, 0x1000, 0x1000, &v));
	assert_int_equal(0, v);
	assert_true(f->m->warned); /* __iommu_unmap: a site of its own */
	for (int i = 0; i < 2; i++) {
		iommu_model_begin(f->m);
		assert_int_equal(-EINVAL, iommu_map(f->m, f->d, 0x1000, 0x1000,
						    0x1000, IOMMU_MMIO));
		assert_true(f->m->warned);
	}
	assert_int_equal(0, iommu_iova_to_phys(f->m, f->d, 0x1000));
	f->d->pgsize_bitmap = 0; /* a driver declaring no page size */
	iommu_model_begin(f->m);
	assert_int_equal(-EINVAL, iommu_map(f->m, f->d, 0x1000, 0x1000, 0x1000,
					    IOMMU_READ));
	assert_false(f->m->warned); /* the iommu_map_nosync site fired */
}

/* __iommu_paging_domain_alloc_flags(): a flag goes to the driver's
 * domain_alloc_paging_flags (AMD-Vi on QEMU: none taken); a driver with
 * domain_alloc_paging only refuses any flag in the core */
static void alloc_flags_ask_the_driver(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *d = NULL;

	for (u32 flags = 1; flags < 0x20; flags <<= 1) {
		assert_int_equal(-EOPNOTSUPP,
				 iommu_paging_domain_alloc_flags(f->m, f->solo,
								 flags, &d));
		assert_null(d);
	}
	assert_int_equal(0,
			 iommu_paging_domain_alloc_flags(f->m, f->solo, 0, &d));
	assert_non_null(d->pt);
	iommu_domain_free(f->m, d);
	f->solo->iommu->kind = IOMMU_DRV_INTEL_VTD;
	assert_int_equal(0,
			 iommu_paging_domain_alloc_flags(f->m, f->solo, 8, &d));
	iommu_domain_free(f->m, d);
	f->solo->iommu->kind = IOMMU_DRV_TEGRA_SMMU;
	d = NULL;
	assert_int_equal(-EOPNOTSUPP,
			 iommu_paging_domain_alloc_flags(f->m, f->solo, 8, &d));
	assert_null(d);
	f->solo->iommu->kind = IOMMU_DRV_AMD_VI;
}

/* pci_dev_reset_iommu_prepare()/done(): an ATS device is parked on the
 * blocking domain, the group keeps its domain and refuses changes; a
 * device without ATS is not touched; an unbalanced done WARNs */
static void pci_reset_parks_the_device_and_busies_the_group(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->solo->iommu_group;

	assert_int_equal(0, pci_dev_reset_iommu_prepare(f->m, f->solo));
	assert_int_equal(0, g->recovery_cnt);
	f->solo->ats = true;
	assert_int_equal(0, pci_dev_reset_iommu_prepare(f->m, f->solo));
	assert_int_equal(1, g->recovery_cnt);
	assert_non_null(g->blocking_domain);
	assert_ptr_equal(g->blocking_domain, f->solo->attached);
	assert_ptr_equal(g->default_domain, g->domain);
	assert_null(iommu_check_invariants(f->m));
	assert_int_equal(-EBUSY, iommu_attach_group(f->m, f->d, f->solo));
	assert_ptr_equal(g->default_domain, g->domain);
	assert_int_equal(0, pci_dev_reset_iommu_done(f->m, f->solo));
	assert_int_equal(0, g->recovery_cnt);
	assert_ptr_equal(g->default_domain, f->solo->attached);
	iommu_model_begin(f->m);
	assert_int_equal(0, pci_dev_reset_iommu_done(f->m, f->solo));
	assert_true(f->m->warned);
}

/* a group held beyond its devices (iommufd's igroup) keeps its id and
 * loses its domains when the last device goes; the put frees it */
static void held_group_outlives_its_last_device(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->solo->iommu_group;
	int id = g->id;

	iommu_group_ref_get(g);
	assert_int_equal(0, device_del(f->m, f->solo));
	assert_int_equal(0, g->devices->len);
	assert_null(g->default_domain);
	assert_true(
		g_hash_table_contains(f->m->group_ids, GINT_TO_POINTER(id)));
	iommu_group_ref_put(f->m, g);
	assert_false(
		g_hash_table_contains(f->m->group_ids, GINT_TO_POINTER(id)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			null_domain_attach_is_busy_before_it_is_undefined,
			setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(
			null_domain_map_unmap_lookup_free_are_undefined, setup,
			teardown_fixture),
		cmocka_unit_test_setup_teardown(
			static_domains_are_the_drivers_and_survive_free, setup,
			teardown_fixture),
		cmocka_unit_test_setup_teardown(
			names_of_missing_statics_are_null, setup,
			teardown_fixture),
		cmocka_unit_test_setup_teardown(map_warnings_once_and_always,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(alloc_flags_ask_the_driver,
						setup, teardown_fixture),
		cmocka_unit_test_setup_teardown(
			pci_reset_parks_the_device_and_busies_the_group, setup,
			teardown_fixture),
		cmocka_unit_test_setup_teardown(
			held_group_outlives_its_last_device, setup,
			teardown_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
