/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for include/linux/iommu.h: the domain fields generic_pt reads and
 * writes, and an IOTLB gather whose sync frees the queued table pages.
 */
#ifndef ORACLE_LINUX_IOMMU_H
#define ORACLE_LINUX_IOMMU_H
#include <kshim.h>
#include <oracle_iommu_pages.h>
#define IOMMU_READ (1 << 0)
#define IOMMU_WRITE (1 << 1)
#define IOMMU_CACHE (1 << 2)
#define IOMMU_NOEXEC (1 << 3)
#define IOMMU_MMIO (1 << 4)
#define __IOMMU_DOMAIN_PAGING (1U << 0)
#define IOMMU_DIRTY_NO_CLEAR (1 << 0)
struct iommu_domain_geometry {
	dma_addr_t aperture_start, aperture_end;
	bool force_aperture;
};
struct iommu_domain_ops;
struct iommu_domain {
	unsigned type;
	const struct iommu_domain_ops *ops;
	unsigned long pgsize_bitmap;
	struct iommu_domain_geometry geometry;
	bool is_iommupt;
};
struct iommu_iotlb_gather {
	unsigned long start, end;
	size_t pgsize;
	struct iommu_pages_list freelist;
	bool queued;
	struct {
		u8 leaf_levels_bitmap, table_levels_bitmap;
	} pt;
};
static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *g)
{
	*g = (struct iommu_iotlb_gather){ .start = ULONG_MAX,
					  .freelist = IOMMU_PAGES_LIST_INIT(
						  g->freelist) };
}
static inline bool iommu_iotlb_gather_queued(struct iommu_iotlb_gather *g)
{
	return g && g->queued;
}
static inline bool iommu_iotlb_gather_is_disjoint(struct iommu_iotlb_gather *g,
						  unsigned long iova,
						  size_t size)
{
	return false;
}
static inline void iommu_iotlb_gather_add_range(struct iommu_iotlb_gather *g,
						unsigned long iova, size_t size)
{
	unsigned long end = iova + size - 1;
	if (g->start > iova)
		g->start = iova;
	if (g->end < end)
		g->end = end;
}
static inline void iommu_iotlb_sync(struct iommu_domain *d,
				    struct iommu_iotlb_gather *g)
{
	iommu_put_pages_list(&g->freelist);
}
struct iova_bitmap;
struct iommu_dirty_bitmap {
	struct iova_bitmap *bitmap;
	struct iommu_iotlb_gather *gather;
};
static inline void iova_bitmap_set(struct iova_bitmap *b, unsigned long iova,
				   size_t len)
{
}
#endif
