// SPDX-License-Identifier: MIT
/*
 * test_domain_object.c - domains as objects (domain.c): ids are the lowest
 * free from 1 and come back on free, a failed allocation consumes no id
 * and no memory, a reference to a freed domain stays dead when its id is
 * reused, and the caller's free is refused while the domain is in use.
 */
#include "fixture.h"
#include "model/core/kerrno.h"
#include "pt/physmem.h"

struct fx {
	struct iommu_model *m;
	struct device *d;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->m = machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	f->d = pci(f->m, "d", DEV_PCI, NULL, 2, 0);
	if (iommu_model_boot(f->m))
		return -1;
	*state = f;
	return 0;
}

static struct iommu_domain *alloc(struct fx *f)
{
	struct iommu_domain *dom = NULL;

	assert_int_equal(0, iommu_paging_domain_alloc(f->m, f->d, &dom));
	return dom;
}

static void domain_ids_are_reused_after_free(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *a = alloc(f), *b = alloc(f), *c;
	unsigned int a_id = a->obj.id;

	assert_int_equal(a_id + 1, b->obj.id);
	iommu_domain_free(f->m, a);
	c = alloc(f);
	assert_int_equal(a_id, c->obj.id);
	iommu_domain_free(f->m, b);
	iommu_domain_free(f->m, c);
}

static void failed_alloc_consumes_no_id_and_no_memory(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *dom = NULL;
	unsigned int ids = obj_ids_taken(&f->m->domains);
	struct physmem_stats before, after;

	physmem_get_stats(f->m->physmem, &before);
	fault_arm(&f->m->fault, 1);
	assert_int_equal(-ENOMEM, iommu_paging_domain_alloc(f->m, f->d, &dom));
	assert_null(dom);
	assert_string_equal("physmem_alloc_table", f->m->fault.hit);
	physmem_get_stats(f->m->physmem, &after);
	assert_int_equal(ids, obj_ids_taken(&f->m->domains));
	assert_int_equal(before.table_pages, after.table_pages);
	dom = alloc(f);
	assert_int_equal(ids + 1, dom->obj.id);
	iommu_domain_free(f->m, dom);
}

static void stale_reference_is_detected_after_id_reuse(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *a = alloc(f), *c;
	struct iommu_domain_ref old = iommu_domain_ref(a);

	assert_ptr_equal(a, iommu_domain_lookup(f->m, old));
	iommu_domain_free(f->m, a);
	c = alloc(f);
	assert_int_equal(old.id, c->obj.id);
	assert_null(iommu_domain_lookup(f->m, old));
	assert_ptr_equal(c, iommu_domain_lookup(f->m, iommu_domain_ref(c)));
	iommu_domain_free(f->m, c);
}

static void free_of_an_attached_domain_is_undefined(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *dom = alloc(f);
	struct iommu_domain_ref ref = iommu_domain_ref(dom);

	assert_int_equal(0, iommu_attach_device(f->m, dom, f->d));
	assert_int_equal(IOMMU_UB, iommu_domain_free_checked(f->m, dom));
	assert_ptr_equal(dom, iommu_domain_lookup(f->m, ref));
	assert_int_equal(0, iommu_detach_device(f->m, dom, f->d));
	assert_int_equal(0, iommu_domain_free_checked(f->m, dom));
	assert_null(iommu_domain_lookup(f->m, ref));
}

static void static_domains_are_never_freed(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *id = NULL;

	f->d->iommu->identity = IDENTITY_STATIC;
	assert_int_equal(0, iommu_alloc_identity_domain(f->m, f->d, &id));
	iommu_domain_free(f->m, id);
	assert_true(iommu_domain_live(f->m, id));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown_fixture)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(domain_ids_are_reused_after_free),
		T(failed_alloc_consumes_no_id_and_no_memory),
		T(stale_reference_is_detected_after_id_reuse),
		T(free_of_an_attached_domain_is_undefined),
		T(static_domains_are_never_freed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
