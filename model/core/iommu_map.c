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

/* A NULL domain: iommupt_from_domain() reads domain->is_iommupt first
 * (iommu_map_nosync(), __iommu_unmap()), iommu_iova_to_phys()
 * domain->type: a NULL dereference, nothing the kernel checks. */
static int null_domain(struct iommu_model *m, const char *func)
{
	return iommu_refuse(m, IOMMU_UB, func,
			    "a NULL domain: the kernel dereferences it");
}

/* WARN_ON_ONCE(!(domain->type & __IOMMU_DOMAIN_PAGING) ||
 * !domain->pgsize_bitmap): the static identity and blocked domains, and
 * a paging domain of a driver that declares no page size */
static bool paging(struct iommu_model *m, struct iommu_domain *d,
		   const char *func)
{
	bool bad = !(d->type & __IOMMU_DOMAIN_PAGING) || !d->pgsize_bitmap ||
		   !d->pt;

	if (!iommu_warn_on_once(m, bad, func,
				"!(domain->type & __IOMMU_DOMAIN_PAGING) || "
				"!domain->pgsize_bitmap"))
		return true;
	iommu_refuse(m, 0, func, "%s is %s with pgsize_bitmap 0x%llx",
		     iommu_domain_name(d), iommu_domain_type_name(d->type),
		     (unsigned long long)d->pgsize_bitmap);
	return false;
}

/* The WARNs map_range() fired, or the undefined behaviour it would have
 * gone on with (model/pt's report): IOMMU_UB then, else @ret */
static int map_report(struct iommu_model *m, const struct pt_amdv1 *pt, int ret)
{
	const struct pt_amdv1_report *r = &pt->report;

	for (unsigned int i = 0; i < r->nr_warn && i < G_N_ELEMENTS(r->warn);
	     i++)
		iommu_warn_on(m, true, r->warn[i].func, r->warn[i].cond);
	if (r->ub)
		return iommu_refuse(m, IOMMU_UB, "map_range", "%s", r->ub);
	return ret;
}

/* iommu.c: iommu_map() -> iommu_map_nosync() -> map_range(); on failure
 * whatever was mapped is unmapped again */
int iommu_map(struct iommu_model *m, struct iommu_domain *domain, u64 iova,
	      u64 paddr, u64 size, int prot)
{
	u64 mapped = 0;
	int ret;

	if (!domain)
		return null_domain(m, "iommu_map_nosync");
	if (!paging(m, domain, "iommu_map_nosync"))
		return -EINVAL;
	/* generic_pt's map_range() before anything else (pt_amdv1_map()
	 * checks it too, for its own callers) */
	if (IOMMU_WARN_ON_AS(m, !(prot & (IOMMU_READ | IOMMU_WRITE)),
			     "map_range",
			     "!(prot & (IOMMU_READ | IOMMU_WRITE))"))
		return -EINVAL;
	ret = pt_amdv1_map(domain->pt, iova, paddr, size, prot, &mapped);
	ret = map_report(m, domain->pt, ret);
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

/* iommu.c: iommu_unmap(): the bytes unmapped; IOMMU_UB for a NULL
 * domain (as a negative int: the runner's refusal) */
int iommu_unmap_checked(struct iommu_model *m, struct iommu_domain *domain,
			u64 iova, u64 size, u64 *unmapped)
{
	*unmapped = 0;
	if (!domain)
		return null_domain(m, "__iommu_unmap");
	*unmapped = iommu_unmap(m, domain, iova, size);
	return 0;
}

u64 iommu_unmap(struct iommu_model *m, struct iommu_domain *domain, u64 iova,
		u64 size)
{
	if (!paging(m, domain, "__iommu_unmap"))
		return 0;
	return pt_amdv1_unmap(domain->pt, iova, size);
}

/* iommu.c: iommu_iova_to_phys() */
int iommu_iova_to_phys_checked(struct iommu_model *m,
			       struct iommu_domain *domain, u64 iova, u64 *phys)
{
	*phys = 0;
	if (!domain)
		return null_domain(m, "iommu_iova_to_phys");
	*phys = iommu_iova_to_phys(m, domain, iova);
	return 0;
}

u64 iommu_iova_to_phys(struct iommu_model *m, struct iommu_domain *domain,
		       u64 iova)
{
	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return iova;
	if (domain->type == IOMMU_DOMAIN_BLOCKED || !domain->pt)
		return 0;
	return pt_amdv1_iova_to_phys(domain->pt, iova);
}

/* iommupt_from_domain(domain)->ops: NULL for a domain without a generic_pt
 * table (the statics), which a direct caller then dereferences */
static int no_table(struct iommu_model *m, struct iommu_domain *domain,
		    const char *func)
{
	if (!domain)
		return null_domain(m, func);
	if (domain->pt)
		return 0;
	return iommu_refuse(m, IOMMU_UB, func,
			    "%s (%s) has no generic_pt table: "
			    "iommupt_from_domain() is NULL",
			    iommu_domain_name(domain),
			    iommu_domain_type_name(domain->type));
}

/*
 * generic_pt's pt->ops->map_range() called directly, as iommu_map_nosync()
 * calls it but without its domain checks and its rollback: on failure the
 * entries written before the refusal stay (*mapped bytes).
 */
int iommu_pt_map_range(struct iommu_model *m, struct iommu_domain *domain,
		       u64 iova, u64 paddr, u64 size, int prot, u64 *mapped)
{
	int ret = no_table(m, domain, "map_range");

	*mapped = 0;
	if (ret)
		return ret;
	if (IOMMU_WARN_ON_AS(m, !(prot & (IOMMU_READ | IOMMU_WRITE)),
			     "map_range",
			     "!(prot & (IOMMU_READ | IOMMU_WRITE))"))
		return -EINVAL;
	ret = pt_amdv1_map(domain->pt, iova, paddr, size, prot, mapped);
	if (ret)
		iommu_refuse(m, ret, "map_range",
			     "iova 0x%llx size 0x%llx refused with 0x%llx "
			     "bytes mapped, which stay (no rollback)",
			     (unsigned long long)iova, (unsigned long long)size,
			     (unsigned long long)*mapped);
	return ret;
}

/* pt->ops->unmap_range() called directly: the bytes unmapped */
int iommu_pt_unmap_range(struct iommu_model *m, struct iommu_domain *domain,
			 u64 iova, u64 size, u64 *unmapped)
{
	int ret = no_table(m, domain, "unmap_range");

	*unmapped = 0;
	if (!ret)
		*unmapped = pt_amdv1_unmap(domain->pt, iova, size);
	return ret;
}
