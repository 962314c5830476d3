// SPDX-License-Identifier: MIT
/*
 * dma.c - a device doing DMA: what the IOMMU hardware does with the
 * device's request, given the domain the device is attached to. Paging
 * domains are walked from their raw AMDv1 entries (pt/amdv1_hw.c, as
 * QEMU's hw/i386/amd_iommu.c walks them); identity passes the address
 * through; a blocked domain's device table entry allows no access; a
 * device without an IOMMU reaches physical memory directly.
 */
#include "iommu.h"
#include "kerrno.h"
#include "pt/amdv1.h"
#include "pt/amdv1_hw.h"
#include "pt/physmem.h"

int iommu_dma(struct iommu_model *m, struct device *dev, u64 iova, void *buf,
	      u64 len, bool write, u64 *fault_iova)
{
	struct iommu_domain *d = dev->attached;
	int ret;

	*fault_iova = iova;
	if (!dev->iommu_group) {
		ret = write ? physmem_write(m->physmem, iova, buf, len)
			    : physmem_read(m->physmem, iova, buf, len);
		return ret;
	}
	if (!d || d->type == IOMMU_DOMAIN_BLOCKED ||
	    (d->type & __IOMMU_DOMAIN_PAGING && !d->pt))
		return IOMMU_DMA_BLOCKED;
	if (d->type == IOMMU_DOMAIN_IDENTITY)
		return amdv1_dma(m->physmem, 0, 0, iova, buf, len, write,
				 fault_iova);
	return amdv1_dma(m->physmem, pt_amdv1_root_pa(d->pt),
			 pt_amdv1_mode(d->pt), iova, buf, len, write,
			 fault_iova);
}
