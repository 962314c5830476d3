// SPDX-License-Identifier: MIT
/*
 * hwpt_noiommu.c - the HWPT of a device without an IOMMU, after Linux
 * 7.3's drivers/iommu/iommufd/hwpt_noiommu.c (seed 002): just enough of an
 * IOMMU driver for get_iommu_ops() to hand iommufd_hwpt_paging_alloc(),
 * whose domain_alloc_paging_flags gives a SW-only AMDv1 table. Nothing
 * translates DMA through it (a noiommu device reaches physical memory
 * directly): it exists so the IOAS's mappings have a table that
 * IOMMU_IOAS_NOIOMMU_GET_PA can read IOVA -> PA from.
 */
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"
#include "pt/amdv1.h"

/*
 * iommufd_noiommu_ops: a domain whose owner is this is SW-only
 * (iopt_get_phys() tests exactly that). It is no IOMMU of the machine:
 * it covers no device, and only domain_alloc_paging_flags exists.
 */
struct iommu_device iommufd_noiommu_ops = {
	.name = "iommufd-noiommu",
	.kind = IOMMU_DRV_NOIOMMU,
	.paging = true,
};

/*
 * noiommu_alloc_paging_flags(): no flags, no user data; the AMDv1 table
 * in its noiommu configuration (pt_amdv1_cfg_noiommu(): starting level 2,
 * dynamic top, 64-bit VA, 52-bit OA). -ENOMEM if the domain or its top
 * table cannot be allocated; nothing is left behind.
 */
int iommufd_noiommu_alloc_paging_flags(struct iommufd_ctx *ictx,
				       struct device *dev, u32 flags,
				       const struct iommu_user_data *user_data,
				       struct iommu_domain **out)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_noiommu();
	struct iommu_domain *dom;
	int rc;

	if (flags || user_data)
		return iommu_refuse(ictx->m, -EOPNOTSUPP,
				    "noiommu_alloc_paging_flags",
				    "%s: flags 0x%x or user data on a noiommu "
				    "HWPT",
				    dev->name, flags);
	dom = iommu_domain_new(ictx->m, &iommufd_noiommu_ops,
			       IOMMU_DOMAIN_UNMANAGED);
	if (!dom)
		return -ENOMEM;
	cfg.debug = ictx->m->debug_generic_pt;
	dom->pt = g_new0(struct pt_amdv1, 1);
	rc = pt_amdv1_init(dom->pt, ictx->m->physmem, &cfg);
	if (rc) {
		g_free(dom->pt);
		dom->pt = NULL;
		iommu_domain_free(ictx->m, dom); /* its id comes back */
		return rc;
	}
	dom->pgsize_bitmap = pt_amdv1_pgsize_bitmap(dom->pt);
	*out = dom;
	return 0;
}
