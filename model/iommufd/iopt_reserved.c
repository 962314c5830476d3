// SPDX-License-Identifier: MIT
/*
 * iopt_reserved.c - the IOVA an io_pagetable may not hand out: reserved
 * ranges (a domain's outside-the-aperture, a device's reserved regions)
 * and the allowed list (IOMMU_IOAS_ALLOW_IOVAS), after Linux 7.3's
 * io_pagetable.c: iopt_reserve_iova(), iopt_remove_reserved_iova(),
 * iopt_set_allow_iova(), iopt_table_enforce_dev_resv_regions().
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/iopt_itree.h"
#include "core/kerrno.h"

int iopt_reserve_iova(struct io_pagetable *iopt, u64 start, u64 last,
		      const void *owner)
{
	struct iopt_reserved *reserved;

	if (iopt_area_iter_first(iopt, start, last) ||
	    iopt_itree_first(iopt->allowed, start, last))
		return iommu_refuse(iopt->m, -EADDRINUSE, "iopt_reserve_iova",
				    "[0x%llx, 0x%llx] is mapped or allowed",
				    (unsigned long long)start,
				    (unsigned long long)last);
	if (fault_should_fail(&iopt->m->fault, "iopt_reserve_iova"))
		return -ENOMEM;
	reserved = g_new0(struct iopt_reserved, 1);
	reserved->node.start = start;
	reserved->node.last = last;
	reserved->owner = owner;
	iopt_itree_insert(iopt->reserved, reserved);
	return 0;
}

void iopt_remove_reserved_iova(struct io_pagetable *iopt, const void *owner)
{
	for (unsigned int i = iopt->reserved->len; i--;) {
		struct iopt_reserved *reserved = iopt->reserved->pdata[i];

		if (reserved->owner == owner)
			g_ptr_array_remove_index(iopt->reserved, i);
	}
}

/*
 * iopt_set_allow_iova(): @allowed (sorted, not overlapping: the caller
 * checked) replaces the list unless a reserved range meets it.
 */
int iopt_set_allow_iova(struct io_pagetable *iopt,
			const struct iopt_node *allowed, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (iopt_itree_first(iopt->reserved, allowed[i].start,
				     allowed[i].last))
			return iommu_refuse(
				iopt->m, -EADDRINUSE, "iopt_set_allow_iova",
				"allowed [0x%llx, 0x%llx] meets a reserved "
				"range",
				(unsigned long long)allowed[i].start,
				(unsigned long long)allowed[i].last);
	}
	g_ptr_array_set_size(iopt->allowed, 0);
	for (unsigned int i = 0; i < n; i++)
		iopt_itree_insert(iopt->allowed,
				  g_memdup2(&allowed[i], sizeof(allowed[i])));
	return 0;
}

int iopt_table_enforce_dev_resv_regions(struct io_pagetable *iopt,
					struct iommu_model *m,
					struct device *dev, u64 *sw_msi_start)
{
	struct iommu_resv_region resv[IOMMU_RESV_MAX];
	unsigned int n, num_hw_msi = 0, num_sw_msi = 0;
	int rc = 0;

	if (fault_should_fail(&m->fault, "iopt_table_enforce_dev_resv_regions"))
		return -EINVAL;
	n = iommu_get_resv_regions(dev, resv);
	for (unsigned int i = 0; i < n && !rc; i++) {
		if (resv[i].type == IOMMU_RESV_DIRECT_RELAXABLE)
			continue;
		if (sw_msi_start && resv[i].type == IOMMU_RESV_MSI)
			num_hw_msi++;
		if (sw_msi_start && resv[i].type == IOMMU_RESV_SW_MSI) {
			*sw_msi_start = resv[i].start;
			num_sw_msi++;
		}
		rc = iopt_reserve_iova(iopt, resv[i].start,
				       resv[i].start + resv[i].length - 1, dev);
	}
	/* Drivers must offer sane combinations of regions */
	if (!rc && (IOMMU_WARN_ON(m, num_sw_msi && num_hw_msi) ||
		    IOMMU_WARN_ON(m, num_sw_msi > 1)))
		rc = -EINVAL;
	if (rc)
		iopt_remove_reserved_iova(iopt, dev);
	return rc;
}
