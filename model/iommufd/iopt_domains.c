// SPDX-License-Identifier: MIT
/*
 * iopt_domains.c - the domains attached to an io_pagetable, after Linux
 * 7.3's drivers/iommu/iommufd/io_pagetable.c: iopt_table_add_domain()
 * fills a new domain with every area (iopt_fill_domain()) and reserves
 * what lies outside its aperture, iopt_table_remove_domain() unfills it
 * (iopt_unfill_domain()); and the IOVA alignment the domains and the
 * accesses impose (iopt_calculate_iova_alignment(), large pages on/off).
 */
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"
#include "pt/amdv1.h"

/* The domain's geometry and smallest page (domain->geometry,
 * domain->pgsize_bitmap): from its AMDv1 table. */
static void domain_geometry(const struct iommu_domain *d, u64 *start, u64 *end,
			    u64 *min_pgsize)
{
	*start = d->pt ? d->pt->aperture_start : 0;
	*end = d->pt ? d->pt->aperture_end : IOMMUFD_ULONG_MAX;
	*min_pgsize = d->pt ? 1ull << __builtin_ctzll(d->pgsize_bitmap)
			    : IOMMUFD_PAGE_SIZE;
}

/* iopt_check_iova_alignment(): every area conforms to a larger alignment */
static int iopt_check_iova_alignment(struct io_pagetable *iopt, u64 align)
{
	for (unsigned int i = 0; i < iopt->areas->len; i++) {
		struct iopt_area *area = iopt->areas->pdata[i];

		if ((iopt_area_iova(area) & (align - 1)) ||
		    (iopt_area_length(area) & (align - 1)) ||
		    (area->page_offset & (align - 1)))
			return iommu_refuse(
				iopt->m, -EADDRINUSE,
				"iopt_check_iova_alignment",
				"area at 0x%llx is not 0x%llx aligned",
				(unsigned long long)area->node.start,
				(unsigned long long)align);
	}
	return 0;
}

/* iopt_calculate_iova_alignment(): the largest minimum page of any domain
 * and alignment of any access (PAGE_SIZE when large pages are off) */
int iopt_calculate_iova_alignment(struct io_pagetable *iopt)
{
	u64 align = iopt->disable_large_pages ? IOMMUFD_PAGE_SIZE : 1;
	int rc;

	for (unsigned int i = 0; i < iopt->domains->len; i++) {
		u64 start, end, pgsize;

		domain_geometry(iopt->domains->pdata[i], &start, &end, &pgsize);
		align = MAX(align, pgsize);
	}
	for (unsigned int i = 0; i < iopt->access_list->len; i++)
		align = MAX(
			align,
			((struct iommufd_access *)iopt->access_list->pdata[i])
				->iova_alignment);
	if (align > iopt->iova_alignment) {
		rc = iopt_check_iova_alignment(iopt, align);
		if (rc)
			return rc;
	}
	iopt->iova_alignment = align;
	return 0;
}

/* iopt_fill_domain(): every area into @domain, or none */
static int iopt_fill_domain(struct io_pagetable *iopt,
			    struct iommu_domain *domain)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < iopt->areas->len; i++) {
		struct iopt_area *area = iopt->areas->pdata[i];

		if (!area->pages)
			continue;
		rc = iopt_area_fill_domain(area, domain);
		if (rc)
			break;
		if (!area->storage_domain)
			area->storage_domain = domain;
	}
	if (!rc)
		return 0;
	while (i--) {
		struct iopt_area *area = iopt->areas->pdata[i];

		if (!area->pages)
			continue;
		if (!iopt->domains->len) {
			area->storage_domain = NULL;
			iopt_area_unfill_domain(area, area->pages, domain);
		} else {
			iopt_area_unmap_domain(area, domain);
		}
	}
	return rc;
}

/* Reserve what lies outside the domain's aperture, owned by the domain. */
static int iopt_reserve_aperture(struct io_pagetable *iopt,
				 struct iommu_domain *domain)
{
	u64 start, end, pgsize;
	int rc = 0;

	domain_geometry(domain, &start, &end, &pgsize);
	if (start != 0)
		rc = iopt_reserve_iova(iopt, 0, start - 1, domain);
	if (!rc && end != IOMMUFD_ULONG_MAX)
		rc = iopt_reserve_iova(iopt, end + 1, IOMMUFD_ULONG_MAX,
				       domain);
	return rc;
}

int iopt_table_add_domain(struct io_pagetable *iopt,
			  struct iommu_domain *domain)
{
	u64 start, end, pgsize, align;
	int rc;

	if (IOMMU_WARN_ON_AS(iopt->m,
			     g_ptr_array_find(iopt->domains, domain, NULL),
			     "iopt_table_add_domain", "iter_domain == domain"))
		return -EEXIST;
	/* A domain must take PAGE_SIZE: contiguity above it is not known */
	domain_geometry(domain, &start, &end, &pgsize);
	align = MAX(pgsize, iopt->iova_alignment);
	if (align > IOMMUFD_PAGE_SIZE)
		return iommu_refuse(iopt->m, -EINVAL, "iopt_table_add_domain",
				    "domain's smallest page 0x%llx",
				    (unsigned long long)pgsize);
	if (align != iopt->iova_alignment) {
		rc = iopt_check_iova_alignment(iopt, align);
		if (rc)
			return rc;
	}
	rc = iopt_reserve_aperture(iopt, domain);
	if (rc)
		goto out_reserved;
	/* xa_reserve() of the next domain slot */
	if (fault_should_fail(&iopt->m->fault, "iopt_table_add_domain")) {
		rc = -ENOMEM;
		goto out_reserved;
	}
	rc = iopt_fill_domain(iopt, domain);
	if (rc)
		goto out_reserved;
	iopt->iova_alignment = align;
	g_ptr_array_add(iopt->domains, domain);
	return 0;

out_reserved:
	iopt_remove_reserved_iova(iopt, domain);
	return rc;
}

/*
 * iopt_unfill_domain(): with other domains left, the areas it stored move
 * to the first of them and it is only unmapped; the last one also unpins.
 */
static void iopt_unfill_domain(struct io_pagetable *iopt,
			       struct iommu_domain *domain)
{
	for (unsigned int i = 0; i < iopt->areas->len; i++) {
		struct iopt_area *area = iopt->areas->pdata[i];

		if (!area->pages)
			continue;
		if (iopt->domains->len) {
			if (area->storage_domain == domain)
				area->storage_domain = iopt->domains->pdata[0];
			iopt_area_unmap_domain(area, domain);
		} else {
			IOMMU_WARN_ON(iopt->m, area->storage_domain != domain);
			area->storage_domain = NULL;
			iopt_area_unfill_domain(area, area->pages, domain);
		}
	}
}

void iopt_table_remove_domain(struct io_pagetable *iopt,
			      struct iommu_domain *domain)
{
	unsigned int index, tail;

	if (IOMMU_WARN_ON_AS(
		    iopt->m, !g_ptr_array_find(iopt->domains, domain, &index),
		    "iopt_table_remove_domain", "iter_domain != domain"))
		return;
	/* keep the array dense: the tail entry takes the erased slot */
	tail = iopt->domains->len - 1;
	iopt->domains->pdata[index] = iopt->domains->pdata[tail];
	g_ptr_array_set_size(iopt->domains, tail);
	iopt_unfill_domain(iopt, domain);
	iopt_remove_reserved_iova(iopt, domain);
	IOMMU_WARN_ON(iopt->m, iopt_calculate_iova_alignment(iopt) != 0);
}

void iopt_enable_large_pages(struct io_pagetable *iopt)
{
	iopt->disable_large_pages = false;
	IOMMU_WARN_ON(iopt->m, iopt_calculate_iova_alignment(iopt) != 0);
}

int iopt_disable_large_pages(struct io_pagetable *iopt)
{
	int rc;

	if (iopt->disable_large_pages)
		return 0;
	/* Won't do it if domains already have pages mapped in them */
	if (iopt->domains->len && iopt->areas->len)
		return iommu_refuse(iopt->m, -EINVAL,
				    "iopt_disable_large_pages",
				    "domains already hold mappings");
	iopt->disable_large_pages = true;
	rc = iopt_calculate_iova_alignment(iopt);
	if (rc)
		iopt->disable_large_pages = false;
	return rc;
}
