// SPDX-License-Identifier: MIT
/*
 * iova_bitmap.c - dirty tracking of an IOAS's domain, after Linux 7.3's
 * drivers/iommu/iommufd/io_pagetable.c (iopt_set_dirty_tracking(),
 * iopt_clear_dirty_data(), iopt_read_and_clear_dirty_data(),
 * iommufd_check_iova_range()) and iova_bitmap.c (the user's bitmap, one
 * bit per page_size of IOVA from bitmap->iova, ORed in: bits already set
 * stay set).
 *
 * A domain has dirty ops when its driver gave them at allocation
 * (domain->dirty_ops: only the selftest's mock, for
 * IOMMU_HWPT_ALLOC_DIRTY_TRACKING); its read_and_clear_dirty is
 * generic_pt's over the domain's AMDv1 table (pt_amdv1_read_and_clear_
 * dirty()) and its set_dirty_tracking the mock's switch.
 *
 * 7.3 walks the bitmap in windows of the user pages it pins at a time
 * (iova_bitmap_for_each()), restarting the walk of contiguous areas in
 * each; the model takes the range as one window, which differs only when
 * a hole between areas lies inside a window (the areas after it are not
 * read in that window in 7.3, and no error is returned either way).
 */
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"
#include "pt/amdv1.h"

/* iommufd_check_iova_range(): the bitmap's range against the IOAS */
int iommufd_check_iova_range(struct io_pagetable *iopt,
			     const struct iommu_hwpt_get_dirty_bitmap *bitmap)
{
	u64 pgsize = iopt->iova_alignment;
	u64 last_iova;

	if (!bitmap->length)
		return -EINVAL;
	if (__builtin_add_overflow(bitmap->iova, bitmap->length - 1,
				   &last_iova))
		return -EOVERFLOW;
	if ((bitmap->iova & (pgsize - 1)) || ((last_iova + 1) & (pgsize - 1)))
		return -EINVAL;
	if (!bitmap->page_size)
		return -EINVAL;
	if ((bitmap->iova & (bitmap->page_size - 1)) ||
	    ((last_iova + 1) & (bitmap->page_size - 1)))
		return -EINVAL;
	return 0;
}

/* The user's bitmap: struct iova_bitmap as far as iova_bitmap_set() goes */
struct iova_bitmap {
	struct process *task;
	u64 iova, length, page_size;
	u64 data; /* the user pointer, a u64 array */
};

/* iova_bitmap_set(): bits of [iova, iova + length) inside the bitmap's
 * range set in the user's memory, byte by byte (little endian, as the
 * kernel's unsigned long bitmap on x86) */
static void iova_bitmap_set(void *priv, u64 iova, u64 length)
{
	struct iova_bitmap *b = priv;
	u64 last = iova + length - 1, b_last = b->iova + b->length - 1;
	u64 first_bit, last_bit;

	if (last < b->iova || iova > b_last)
		return;
	first_bit =
		((iova > b->iova ? iova : b->iova) - b->iova) / b->page_size;
	last_bit = ((last < b_last ? last : b_last) - b->iova) / b->page_size;
	for (u64 byte = first_bit / 8; byte <= last_bit / 8; byte++) {
		u8 v;

		/* a bad pointer: 7.3's iova_bitmap_for_each() result is
		 * ignored by iommu_read_and_clear_dirty(), so no error */
		if (process_copy_from_user(b->task, &v, b->data + byte, 1))
			return;
		for (u64 bit = byte * 8; bit < byte * 8 + 8; bit++)
			if (bit >= first_bit && bit <= last_bit)
				v |= 1u << (bit % 8);
		process_copy_to_user(b->task, b->data + byte, &v, 1);
	}
}

static void record_nothing(void *priv, u64 iova, u64 length)
{
	(void)priv, (void)iova, (void)length;
}

/* iopt_clear_dirty_data(): every area's dirty bits cleared, unrecorded */
static void iopt_clear_dirty_data(struct io_pagetable *iopt,
				  struct iommu_domain *domain)
{
	for (guint i = 0; i < iopt->areas->len; i++) {
		struct iopt_area *area = iopt->areas->pdata[i];

		if (!area->pages)
			continue;
		pt_amdv1_read_and_clear_dirty(domain->pt, iopt_area_iova(area),
					      iopt_area_length(area), false,
					      record_nothing, NULL);
	}
}

int iopt_set_dirty_tracking(struct io_pagetable *iopt,
			    struct iommu_domain *domain, bool enable)
{
	if (!domain->dirty_ops)
		return iommu_refuse(
			iopt->m, -EOPNOTSUPP, "iopt_set_dirty_tracking",
			"%s has no dirty_ops", iommu_domain_name(domain));
	/* a clean snapshot: the bits from before tracking was on go */
	if (enable)
		iopt_clear_dirty_data(iopt, domain);
	/* ops->set_dirty_tracking: mock_domain_set_dirty_tracking() */
	domain->dirty_tracking = enable;
	return 0;
}

/* __iommu_read_and_clear_dirty(): each area from bitmap->iova on, while
 * they are contiguous (iopt_for_each_contig_area()) */
static void read_contig_areas(struct io_pagetable *iopt,
			      struct iommu_domain *domain, bool no_clear,
			      struct iova_bitmap *b)
{
	u64 cur = b->iova, last = b->iova + b->length - 1;

	for (;;) {
		struct iopt_area *area = iopt_area_find(iopt, cur);
		u64 end;

		if (!area || !area->pages)
			return; /* a hole: -EINVAL, which 7.3 drops */
		end = iopt_area_last_iova(area) < last
			      ? iopt_area_last_iova(area)
			      : last;
		pt_amdv1_read_and_clear_dirty(domain->pt, cur, end - cur + 1,
					      no_clear, iova_bitmap_set, b);
		if (end == last)
			return;
		cur = end + 1;
	}
}

int iopt_read_and_clear_dirty_data(
	struct io_pagetable *iopt, struct iommu_domain *domain,
	struct process *task, const struct iommu_hwpt_get_dirty_bitmap *cmd)
{
	struct iova_bitmap b = { .task = task,
				 .iova = cmd->iova,
				 .length = cmd->length,
				 .page_size = cmd->page_size,
				 .data = cmd->data };
	int rc = iommufd_check_iova_range(iopt, cmd);

	if (rc)
		return rc;
	/* iommu_read_and_clear_dirty() */
	if (!domain->dirty_ops)
		return iommu_refuse(
			iopt->m, -EOPNOTSUPP, "iommu_read_and_clear_dirty",
			"%s has no dirty_ops", iommu_domain_name(domain));
	if (fault_should_fail(&iopt->m->fault, "iova_bitmap_alloc"))
		return -ENOMEM;
	read_contig_areas(iopt, domain,
			  cmd->flags & IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR,
			  &b);
	return 0;
}
