// SPDX-License-Identifier: MIT
/*
 * direct_mappings.c - the 1:1 entries firmware asks a device's DMA-API
 * domain to hold (iommu.c iommu_create_device_direct_mappings()), and
 * dev->iommu->require_direct, which the same function sets from an
 * IOMMU_RESV_DIRECT region. Its callers: iommu_setup_default_domain()
 * for each device of the group before the new default domain is
 * attached (default_domain.c), and __iommu_probe_device() for a device
 * joining a group that has one (probe.c).
 */
#include "core.h"

/*
 * One region: from its start aligned up to the domain's smallest page to
 * its end aligned up, each run of pages iommu_iova_to_phys() finds
 * unmapped (address 1 asked for 0, whose answer would be ambiguous) is
 * mapped at its own address; what another device's region mapped
 * already is skipped.
 */
static int map_direct(struct iommu_model *m, struct iommu_domain *domain,
		      const struct iommu_resv_region *r, u64 pg_size)
{
	u64 start = (r->start + pg_size - 1) & ~(pg_size - 1);
	u64 end = (r->start + r->length + pg_size - 1) & ~(pg_size - 1);
	u64 map_size = 0;

	for (u64 addr = start; addr <= end; addr += pg_size) {
		int ret;

		if (addr != end &&
		    !iommu_iova_to_phys(m, domain, addr ? addr : 1)) {
			map_size += pg_size;
			continue;
		}
		if (map_size) {
			ret = iommu_map(m, domain, addr - map_size,
					addr - map_size, map_size, r->prot);
			if (ret)
				return ret;
			map_size = 0;
		}
		if (addr == end) /* the kernel's loop would wrap past 2^64 */
			break;
	}
	return 0;
}

int iommu_create_device_direct_mappings(struct iommu_model *m,
					struct iommu_domain *domain,
					struct device *dev)
{
	struct iommu_resv_region resv[IOMMU_RESV_MAX];
	bool dma = domain->type & __IOMMU_DOMAIN_DMA_API;
	u64 pg_size = domain->pgsize_bitmap
			      ? 1ull << __builtin_ctzll(domain->pgsize_bitmap)
			      : 0;
	unsigned int n;
	int ret = 0;

	if (iommu_warn_on_once(m, dma && !pg_size,
			       "iommu_create_device_direct_mappings",
			       "iommu_is_dma_domain(domain) && !pg_size"))
		return -EINVAL;
	n = iommu_get_resv_regions(dev, resv);
	if (dev->fw_direct_unplaced && !dev->require_direct) {
		iommu_touch_device(m, dev);
		dev->require_direct = true;
	}
	for (unsigned int i = 0; i < n && !ret; i++) {
		if (resv[i].type == IOMMU_RESV_DIRECT && !dev->require_direct) {
			iommu_touch_device(m, dev);
			dev->require_direct = true;
		}
		if ((resv[i].type != IOMMU_RESV_DIRECT &&
		     resv[i].type != IOMMU_RESV_DIRECT_RELAXABLE) ||
		    !dma)
			continue;
		ret = map_direct(m, domain, &resv[i], pg_size);
	}
	return ret;
}
