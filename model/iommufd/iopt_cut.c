// SPDX-License-Identifier: MIT
/*
 * iopt_cut.c - cutting an area in two, after Linux 7.3's
 * drivers/iommu/iommufd/io_pagetable.c iopt_area_split() and
 * iopt_cut_iova(): what lets the VFIO type1 (v1) compat unmap part of a
 * mapping (vfio_compat.c iommufd_vfio_unmap_dma(), with the IOAS's large
 * pages off). Both halves keep the same iopt_pages (one more reference)
 * and the storage domain; nothing is remapped, repinned or recharged.
 *
 * Pins are counted per page of the iopt_pages and dropped per area: a
 * cut with a storage domain is only allowed with large pages off, so
 * the IOVA alignment is at least PAGE_SIZE and no page ends up in both
 * halves while pinned once.
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/iopt_itree.h"
#include "core/kerrno.h"

/* What iopt_area_split() checks before it touches the tree */
static int iopt_area_split_check(struct iopt_area *area, u64 new_start)
{
	struct io_pagetable *iopt = area->iopt;
	const char *f = "iopt_area_split";
	u64 alignment = iopt->iova_alignment;

	if (!area->pages || area->prevent_access)
		return -EBUSY;
	if ((new_start & (alignment - 1)) ||
	    (iopt_area_start_byte(area, new_start) & (alignment - 1)))
		return iommu_refuse(iopt->m, -EINVAL, f,
				    "0x%llx is not aligned to 0x%llx",
				    (unsigned long long)new_start,
				    (unsigned long long)alignment);
	/* the two iopt_area_alloc()s */
	if (fault_should_fail(&iopt->m->fault, "iopt_area_alloc") ||
	    fault_should_fail(&iopt->m->fault, "iopt_area_alloc"))
		return -ENOMEM;
	if (area->num_accesses)
		return iommu_refuse(iopt->m, -EINVAL, f,
				    "an access pins the area");
	if (area->storage_domain && !iopt->disable_large_pages)
		return iommu_refuse(iopt->m, -EINVAL, f,
				    "a domain may map the area with huge "
				    "pages (large pages on)");
	return 0;
}

/* iopt_area_split(): @iova becomes the last of a new area */
static int iopt_area_split(struct iopt_area *area, u64 iova)
{
	u64 start_iova = iopt_area_iova(area);
	u64 last_iova = iopt_area_last_iova(area);
	struct io_pagetable *iopt = area->iopt;
	struct iopt_pages *pages = area->pages;
	u64 new_start = iova + 1;
	struct iopt_area *lhs, *rhs;
	int rc;

	if (iova == start_iova || iova == last_iova)
		return 0;
	rc = iopt_area_split_check(area, new_start);
	if (rc)
		return rc;
	lhs = g_new0(struct iopt_area, 1);
	rhs = g_new0(struct iopt_area, 1);
	g_ptr_array_remove(iopt->areas, area); /* interval_tree_remove() */
	/* the halves lie exactly where the area did: these cannot fail
	 * (WARN_ON in 7.3) */
	iopt_insert_area(iopt, lhs, pages, start_iova,
			 iopt_area_start_byte(area, start_iova),
			 new_start - start_iova, area->iommu_prot);
	iopt_insert_area(iopt, rhs, pages, new_start,
			 iopt_area_start_byte(area, new_start),
			 last_iova - new_start + 1, area->iommu_prot);
	lhs->storage_domain = rhs->storage_domain = area->storage_domain;
	lhs->pages = rhs->pages = pages;
	pages->refs++; /* kref_get(): the area's reference is lhs's now */
	g_free(area);
	return 0;
}

/*
 * iopt_cut_iova(): the cuts made before a failing one stay, as in 7.3
 * (the unmap then fails with nothing unmapped, but the areas are more):
 * said to the fail-nth runner as a change 7.3 itself makes.
 */
int iopt_cut_iova(struct io_pagetable *iopt, const u64 *iovas, size_t num_iovas)
{
	guint areas = iopt->areas->len;

	for (size_t i = 0; i < num_iovas; i++) {
		struct iopt_area *area =
			iopt_area_iter_first(iopt, iovas[i], iovas[i]);
		int rc;

		if (!area)
			continue;
		rc = iopt_area_split(area, iovas[i]);
		if (rc) {
			if (iopt->areas->len != areas)
				iopt->m->left_inconsistent = true;
			return rc;
		}
	}
	return 0;
}
