// SPDX-License-Identifier: MIT
/*
 * dma.c - a device doing DMA: what the IOMMU hardware does with the
 * device's request, given the domain the device is attached to. Paging
 * domains are walked from their raw AMDv1 entries (pt/amdv1_hw.c, as
 * QEMU's hw/i386/amd_iommu.c walks them); identity passes the address
 * through; a blocked domain's device table entry allows no access; a
 * device no IOMMU translates reaches physical memory directly (which of
 * these a device has is its reach: reach.c).
 */
#include "iommu.h"
#include "kerrno.h"
#include "pt/amdv1.h"
#include "pt/amdv1_hw.h"
#include "pt/physmem.h"
#include "reach.h"

/* Where the IOMMU's walk of @d stopped for @iova: the level, the entry
 * and its bits (the AMD IOMMU spec's PTE/PDE: PR, NextLevel, IR, IW), as
 * the fault's why (the walk is amdv1_hw_translate()'s, the device's) */
static void walk_report(struct iommu_model *m, struct iommu_domain *d, u64 iova,
			bool write)
{
	struct amdv1_hw_xlate x = { 0 };
	int fault = amdv1_hw_translate(m->physmem, pt_amdv1_root_pa(d->pt),
				       pt_amdv1_mode(d->pt), iova,
				       write ? IOMMU_WRITE : IOMMU_READ, &x);

	if (!iommu_is_dma_fault(fault))
		return;
	iommu_refuse(m, fault, "amdv1_hw_translate",
		     "iova 0x%llx in %s stopped at level %u, entry 0x%016llx "
		     "(PR=%d NextLevel=%llu IR=%d IW=%d): %s",
		     (unsigned long long)iova, iommu_domain_name(d), x.level,
		     (unsigned long long)x.entry, !!(x.entry & AMDV1PT_PR),
		     (unsigned long long)((x.entry & AMDV1PT_NL_MASK) >>
					  AMDV1PT_NL_SHIFT),
		     !!(x.entry & AMDV1PT_IR), !!(x.entry & AMDV1PT_IW),
		     amdv1_hw_fault_name(fault));
}

int iommu_dma(struct iommu_model *m, struct device *dev, u64 iova, void *buf,
	      u64 len, bool write, u64 *fault_iova)
{
	struct iommu_domain *d;
	int ret;

	*fault_iova = iova;
	switch (iommu_device_reach(dev, &d)) {
	case REACH_ALL_DIRECT:
		return write ? physmem_write(m->physmem, iova, buf, len)
			     : physmem_read(m->physmem, iova, buf, len);
	case REACH_NONE:
		return IOMMU_DMA_BLOCKED;
	case REACH_ALL_IDENTITY:
		return amdv1_dma(m->physmem, 0, 0, iova, buf, len, write,
				 fault_iova);
	case REACH_NOT_WALKED:
		/* the IOMMUFD selftest's amdv1_mock table: no hardware
		 * walks it, and its devices are software ones that never
		 * do DMA */
		return iommu_refuse(m, IOMMU_DMA_BLOCKED, "iommu_dma",
				    "%s's table is %s: no IOMMU walks it",
				    iommu_domain_name(d),
				    d->pt ? d->pt->fmt->name : "a guest's");
	case REACH_TABLE:
		break;
	}
	ret = amdv1_dma(m->physmem, pt_amdv1_root_pa(d->pt),
			pt_amdv1_mode(d->pt), iova, buf, len, write,
			fault_iova);
	if (iommu_is_dma_fault(ret))
		walk_report(m, d, *fault_iova, write);
	return ret;
}
