// SPDX-License-Identifier: MIT
/*
 * Drives the kernel's AMDv1 table (oracle_amdv1.c) the way iommufd's
 * noiommu HWPT and the AMD driver do: pt_iommu_amdv1_init() with
 * DYNAMIC_TOP | ENCRYPT_TABLES | FORCE_COHERENCE, then map_range,
 * unmap_range with a gather synced at once, iova_to_phys, deinit; or the
 * selftest's amdv1_mock table (oracle_mock.c) as the mock domain does.
 */
#include <linux/generic_pt/iommu.h>
#include <stdio.h>
#include "oracle_api.h"
extern long oracle_pages_in_use;
extern int oracle_fail_nth;
struct oracle {
	struct pt_iommu_amdv1 t; /* pt_iommu_amdv1_mock is the same struct */
	spinlock_t lock;
	bool mock;
};
static void ch_top(struct pt_iommu *i, phys_addr_t p, unsigned int l)
{
}
static spinlock_t *get_lock(struct pt_iommu *i)
{
	return &container_of(i, struct oracle, t.iommu)->lock;
}
static const struct pt_iommu_driver_ops dops = { .change_top = ch_top,
						 .get_top_lock = get_lock };
struct oracle *oracle_new(unsigned int vasz, unsigned int start_level, int *rc,
			  uint64_t *pgsize)
{
	struct oracle *o = calloc(1, sizeof(*o));
	struct pt_iommu_amdv1_cfg cfg = {};
	cfg.common.hw_max_vasz_lg2 = vasz;
	cfg.common.hw_max_oasz_lg2 = 52;
	cfg.starting_level = start_level;
	cfg.common.features = BIT(PT_FEAT_DYNAMIC_TOP) |
			      BIT(PT_FEAT_AMDV1_ENCRYPT_TABLES) |
			      BIT(PT_FEAT_AMDV1_FORCE_COHERENCE);
	o->t.iommu.driver_ops = &dops;
	o->t.iommu.nid = NUMA_NO_NODE;
	*rc = pt_iommu_amdv1_init(&o->t, &cfg, GFP_KERNEL);
	*pgsize = o->t.iommu.domain.pgsize_bitmap;
	return o;
}
struct oracle *oracle_new_mock(int *rc, uint64_t *pgsize)
{
	struct oracle *o = calloc(1, sizeof(*o));
	struct pt_iommu_amdv1_mock_cfg cfg = {};
	cfg.common.hw_max_vasz_lg2 = 56;
	cfg.common.hw_max_oasz_lg2 = 51;
	cfg.starting_level = 2;
	o->mock = true;
	o->t.iommu.nid = NUMA_NO_NODE;
	*rc = pt_iommu_amdv1_mock_init(&o->t, &cfg, GFP_KERNEL);
	*pgsize = o->t.iommu.domain.pgsize_bitmap;
	return o;
}
int oracle_map(struct oracle *o, uint64_t iova, uint64_t pa, uint64_t len,
	       int prot, uint64_t *mapped)
{
	size_t m = 0;
	int ret = o->t.iommu.ops->map_range(&o->t.iommu, iova, pa, len, prot,
					    GFP_KERNEL, &m);
	*mapped += m;
	return ret;
}
uint64_t oracle_unmap(struct oracle *o, uint64_t iova, uint64_t len)
{
	struct iommu_iotlb_gather g;
	size_t n;
	iommu_iotlb_gather_init(&g);
	n = o->t.iommu.ops->unmap_range(&o->t.iommu, iova, len, &g);
	iommu_iotlb_sync(&o->t.iommu.domain, &g);
	return n;
}
uint64_t oracle_i2p(struct oracle *o, uint64_t iova)
{
	if (o->mock)
		return pt_iommu_amdv1_mock_iova_to_phys(&o->t.iommu.domain,
							iova);
	return pt_iommu_amdv1_iova_to_phys(&o->t.iommu.domain, iova);
}
void oracle_top(struct oracle *o, uint64_t **table, unsigned int *level)
{
	uintptr_t top = o->t.amdpt.common.top_of_table;
	*level = top & 7;
	*table = (uint64_t *)(top & ~(uintptr_t)7);
}
void oracle_free(struct oracle *o)
{
	pt_iommu_deinit(&o->t.iommu);
	free(o);
}
long oracle_pages(void)
{
	return oracle_pages_in_use;
}
static long warn_count;
static char warn_where[256];
void oracle_warned(const char *file, int line)
{
	const char *base = strrchr(file, '/');
	size_t n = strlen(warn_where);

	warn_count++;
	if (n < sizeof(warn_where) - 64)
		snprintf(warn_where + n, sizeof(warn_where) - n, "%s%s:%d",
			 n ? " " : "", base ? base + 1 : file, line);
}
long oracle_warns(const char **where)
{
	static char last[sizeof(warn_where)];
	long n = warn_count;

	memcpy(last, warn_where, sizeof(last));
	if (where)
		*where = last;
	warn_count = 0;
	warn_where[0] = 0;
	return n;
}
void oracle_inject(int nth)
{
	oracle_fail_nth = nth;
}
