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

/*
 * The table a paging domain gets at allocation: amd/iommu.c
 * amd_iommu_domain_alloc_paging_v1() (48-bit VA with EFR.HATS = 0, the
 * AMD_IOMMU_PGSIZES page sizes). Other drivers' formats are not modelled:
 * their paging domains use the same table (docs/model.md).
 */
int iommu_domain_init_pt(struct iommu_model *m, struct iommu_domain *dom)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_amd_v1(
		AMD_IOMMU_HPT_VASIZE_HATS0, AMD_IOMMU_PGSIZES);
	int ret;

	if (!(dom->type & __IOMMU_DOMAIN_PAGING) || dom->pt)
		return 0;
	dom->pt = g_new0(struct pt_amdv1, 1);
	ret = pt_amdv1_init(dom->pt, m->physmem, &cfg);
	if (ret) {
		g_free(dom->pt);
		dom->pt = NULL;
	}
	return ret;
}

void iommu_domain_release_pt(struct iommu_domain *dom)
{
	if (!dom->pt)
		return;
	pt_amdv1_deinit(dom->pt);
	g_free(dom->pt);
	dom->pt = NULL;
}

static bool paging(struct iommu_model *m, struct iommu_domain *d,
		   const char *func)
{
	if ((d->type & __IOMMU_DOMAIN_PAGING) && d->pt)
		return true;
	m->warned = true; /* WARN_ON_ONCE(!(domain->type & PAGING)) */
	iommu_refuse(m, 0, func, "domain#%d is %s, not a paging domain", d->id,
		     iommu_domain_type_name(d->type));
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
