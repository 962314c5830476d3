// SPDX-License-Identifier: MIT
/*
 * iommu_map.c - mapping in a paging domain: iommu.c iommu_map(),
 * iommu_unmap(), iommu_iova_to_phys(). Every paging domain's IO page table
 * is the AMDv1 table of model/pt (generic_pt's map_range/unmap_range, as
 * iommupt_from_domain() domains use in 7.3).
 */
#include "iommu.h"
#include "kerrno.h"
#include "pt/amdv1.h"

static bool paging(struct iommu_model *m, struct iommu_domain *d,
		   const char *func)
{
	if ((d->type & __IOMMU_DOMAIN_PAGING) && d->pt)
		return true;
	m->warned = true; /* WARN_ON_ONCE(!(domain->type & PAGING)) */
	iommu_refuse(m, 0, func, "%s is %s, not a paging domain",
		     iommu_domain_name(d), iommu_domain_type_name(d->type));
	return false;
}

/* iommu.c: iommu_map() -> iommu_map_nosync() -> map_range(); on failure
 * whatever was mapped is unmapped again */
int iommu_map(struct iommu_model *m, struct iommu_domain *domain, u64 iova,
	      u64 paddr, u64 size, int prot)
{
	u64 mapped = 0;
	int ret;

	if (!paging(m, domain, "iommu_map_nosync"))
		return -EINVAL;
	ret = pt_amdv1_map(domain->pt, iova, paddr, size, prot, &mapped);
	if (ret) {
		iommu_refuse(
			m, ret, "map_range",
			"iova 0x%llx pa 0x%llx size 0x%llx refused after "
			"0x%llx bytes",
			(unsigned long long)iova, (unsigned long long)paddr,
			(unsigned long long)size, (unsigned long long)mapped);
		if (mapped)
			pt_amdv1_unmap(domain->pt, iova, mapped);
	}
	return ret;
}

/* iommu.c: iommu_unmap(): the bytes unmapped */
u64 iommu_unmap(struct iommu_model *m, struct iommu_domain *domain, u64 iova,
		u64 size)
{
	if (!paging(m, domain, "__iommu_unmap"))
		return 0;
	return pt_amdv1_unmap(domain->pt, iova, size);
}

/* iommu.c: iommu_iova_to_phys() */
u64 iommu_iova_to_phys(struct iommu_model *m, struct iommu_domain *domain,
		       u64 iova)
{
	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return iova;
	if (domain->type == IOMMU_DOMAIN_BLOCKED || !domain->pt)
		return 0;
	return pt_amdv1_iova_to_phys(domain->pt, iova);
}
