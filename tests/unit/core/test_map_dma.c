// SPDX-License-Identifier: MIT
/*
 * test_map_dma.c - iommu_map()/iommu_unmap()/iommu_iova_to_phys() on a
 * paging domain (iommu_map.c) and a device's DMA through it (dma.c).
 */
#include <string.h>

#include "fixture.h"
#include "pt/amdv1_hw.h"
#include "pt/physmem.h"

struct fx {
	struct iommu_model *m;
	struct device *d;
	struct iommu_domain *dom;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->m = machine_new(&profile_linux_7_3, IOMMU_DRV_AMD_VI);
	f->d = pci(f->m, "d", DEV_PCI, NULL, 2, 0);
	if (iommu_model_boot(f->m) ||
	    iommu_paging_domain_alloc(f->m, f->d, &f->dom) ||
	    iommu_attach_device(f->m, f->dom, f->d))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, iommu_detach_device(f->m, f->dom, f->d));
	iommu_domain_free(f->m, f->dom);
	return teardown_fixture(state);
}

static void map_translate_unmap(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, iommu_map(f->m, f->dom, 0x200000, 0x80000000,
				      0x200000, IOMMU_READ | IOMMU_WRITE));
	assert_int_equal(0x80012345,
			 iommu_iova_to_phys(f->m, f->dom, 0x212345));
	assert_int_equal(0, iommu_unmap(f->m, f->dom, 0x201000, 0x1000));
	assert_int_equal(0x200000, iommu_unmap(f->m, f->dom, 0x200000, 0x1000));
	assert_int_equal(0, iommu_iova_to_phys(f->m, f->dom, 0x212345));
}

/* iommu_map_nosync(): WARN_ON_ONCE on a domain that is not paging */
static void map_on_identity_warns_einval(void **state)
{
	struct fx *f = *state;
	struct iommu_domain *id;

	assert_int_equal(0, iommu_alloc_identity_domain(f->m, f->d, &id));
	iommu_model_begin(f->m);
	assert_int_equal(-EINVAL, iommu_map(f->m, id, 0, 0, 0x1000, 1));
	assert_true(f->m->warned);
	assert_int_equal(0x1234, iommu_iova_to_phys(f->m, id, 0x1234));
}

static void dma_write_lands_at_translated_address(void **state)
{
	struct fx *f = *state;
	u8 out[8], in[8] = { 0 };
	u64 fault = 0;

	memset(out, 0xa5, sizeof(out));
	assert_int_equal(0, iommu_map(f->m, f->dom, 0x1000, 0x7000, 0x1000,
				      IOMMU_READ | IOMMU_WRITE));
	assert_int_equal(0,
			 iommu_dma(f->m, f->d, 0x1010, out, 8, true, &fault));
	assert_int_equal(0, physmem_read(f->m->physmem, 0x7010, in, 8));
	assert_memory_equal(out, in, 8);
	assert_int_equal(AMDV1_HW_FAULT_NOT_PRESENT,
			 iommu_dma(f->m, f->d, 0x3000, in, 8, false, &fault));
	assert_int_equal(0x3000, fault);
	assert_int_equal(0x1000, iommu_unmap(f->m, f->dom, 0x1000, 0x1000));
}

static void dma_on_blocking_domain_is_blocked(void **state)
{
	struct fx *f = *state;
	u8 buf[4];
	u64 fault;

	assert_int_equal(0, iommu_detach_device(f->m, f->dom, f->d));
	assert_int_equal(0, iommu_device_claim_dma_owner(
				    f->m, f->d, iommu_cookie(f->m, "v")));
	assert_int_equal(IOMMU_DMA_BLOCKED,
			 iommu_dma(f->m, f->d, 0, buf, 4, false, &fault));
	assert_int_equal(0, iommu_device_release_dma_owner(f->m, f->d));
	assert_int_equal(0, iommu_attach_device(f->m, f->dom, f->d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(map_translate_unmap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(map_on_identity_warns_einval,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			dma_write_lands_at_translated_address, setup, teardown),
		cmocka_unit_test_setup_teardown(
			dma_on_blocking_domain_is_blocked, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
