// SPDX-License-Identifier: MIT
/*
 * bench_kernel.c - Linux 7.3's own generic_pt AMDv1 code (iommu_pt.h over
 * fmt/amdv1.h), compiled for user space as a production kernel builds it
 * (CONFIG_DEBUG_GENERIC_PT off) by tests/unit/pt/CMakeLists.txt, driven
 * like iommufd's noiommu HWPT. Table pages come from the oracle's stand-in
 * for iommu-pages.h (posix_memalign + memset): the kernel column pays for
 * its allocations as the model's pays for physmem's.
 */
#include <stddef.h>

#include "bench.h"

#ifdef IOMMUSIM_KERNEL_ORACLE
#include "oracle_api.h"

static void *k_create(void)
{
	uint64_t pgsize;
	int rc;
	struct oracle *o = oracle_new(64, 2, &rc, &pgsize);

	return rc ? NULL : o;
}

static int k_map(void *t, uint64_t iova, uint64_t pa, uint64_t len, int prot,
		 uint64_t *mapped)
{
	return oracle_map(t, iova, pa, len, prot, mapped);
}

static uint64_t k_unmap(void *t, uint64_t iova, uint64_t len)
{
	return oracle_unmap(t, iova, len);
}

static uint64_t k_iova_to_phys(void *t, uint64_t iova)
{
	return oracle_i2p(t, iova);
}

static uint64_t k_table_pages(void *t)
{
	return (uint64_t)oracle_pages();
}

static void k_destroy(void *t)
{
	oracle_free(t);
}

static const struct pt_engine kernel_engine = {
	.name = "kernel",
	.create = k_create,
	.map = k_map,
	.unmap = k_unmap,
	.iova_to_phys = k_iova_to_phys,
	.table_pages = k_table_pages,
	.destroy = k_destroy,
};

const struct pt_engine *bench_kernel_engine(void)
{
	return &kernel_engine;
}
#else
const struct pt_engine *bench_kernel_engine(void)
{
	return NULL;
}
#endif
