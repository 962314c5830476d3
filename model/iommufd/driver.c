// SPDX-License-Identifier: MIT
/*
 * driver.c - what iommufd exports to IOMMU drivers for their own objects,
 * after Linux 7.3's drivers/iommu/iommufd/driver.c: one object depending
 * on another (_iommufd_object_depend(): a HW queue on the one before it)
 * and an mmap-able region of a driver's memory (_iommufd_alloc_mmap():
 * the offset user space gives mmap() on the iommufd; main.c's
 * iommufd_fops_mmap() maps it).
 *
 * The ctx's mt_mmap (a maple tree in 7.3) is a list of regions sorted by
 * offset; an offset is allocated as mtree_alloc_range() does, the lowest
 * gap of the region's length at or above PAGE_SIZE (offset 0 is never
 * handed out, so a caller can tell an offset from none).
 */
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"

int _iommufd_object_depend(struct obj_header *obj_dependent,
			   struct obj_header *obj_depended)
{
	/* a self dependency would never let the object go */
	if (obj_dependent == obj_depended)
		return -EINVAL;
	if (obj_dependent->type != obj_depended->type)
		return -EINVAL;
	obj_users_inc(obj_depended);
	return 0;
}

void _iommufd_object_undepend(struct iommu_model *m,
			      struct obj_header *obj_dependent,
			      struct obj_header *obj_depended)
{
	if (IOMMU_WARN_ON(m, obj_dependent == obj_depended ||
				     obj_dependent->type != obj_depended->type))
		return;
	obj_users_dec(obj_depended);
}

static bool page_aligned(u64 x)
{
	return !(x & (IOMMUFD_PAGE_SIZE - 1));
}

/* mtree_alloc_range(min PAGE_SIZE, max ULONG_MAX): the lowest free
 * offset of @length, or -EBUSY when none is left */
static int mt_mmap_alloc_range(struct iommufd_ctx *ictx, u64 length,
			       u64 *startp, GList **before)
{
	u64 start = IOMMUFD_PAGE_SIZE;

	for (GList *l = ictx->mt_mmap; l; l = l->next) {
		struct iommufd_mmap *immap = l->data;
		u64 first = immap->vm_pgoff * IOMMUFD_PAGE_SIZE;

		if (start + length - 1 < first) {
			*before = l;
			*startp = start;
			return 0;
		}
		start = first + immap->length;
	}
	if (start + length - 1 < start)
		return -EBUSY;
	*before = NULL;
	*startp = start;
	return 0;
}

int _iommufd_alloc_mmap(struct iommufd_ctx *ictx, struct obj_header *owner,
			u64 mmio_addr, u64 length, u64 *offset)
{
	struct iommufd_mmap *immap;
	GList *before;
	u64 startp;
	int rc;

	if (!page_aligned(mmio_addr))
		return -EINVAL;
	if (!length || !page_aligned(length))
		return -EINVAL;
	/* kzalloc_obj(), then the tree's node */
	if (iommufd_should_fail(ictx, "_iommufd_alloc_mmap") ||
	    iommufd_should_fail(ictx, "mtree_alloc_range"))
		return -ENOMEM;
	rc = mt_mmap_alloc_range(ictx, length, &startp, &before);
	if (rc)
		return rc;
	immap = g_new0(struct iommufd_mmap, 1);
	immap->owner = owner;
	immap->length = length;
	immap->mmio_addr = mmio_addr;
	/* mmap() gives the offset to the driver page-shifted (vm_pgoff) */
	immap->vm_pgoff = startp / IOMMUFD_PAGE_SIZE;
	ictx->mt_mmap = g_list_insert_before(ictx->mt_mmap, before, immap);
	*offset = startp;
	return 0;
}

/* mtree_load(): the region holding byte @offset, or NULL */
struct iommufd_mmap *iommufd_mt_mmap_load(struct iommufd_ctx *ictx, u64 offset)
{
	for (GList *l = ictx->mt_mmap; l; l = l->next) {
		struct iommufd_mmap *immap = l->data;
		u64 first = immap->vm_pgoff * IOMMUFD_PAGE_SIZE;

		if (offset >= first && offset - first < immap->length)
			return immap;
	}
	return NULL;
}

void _iommufd_destroy_mmap(struct iommufd_ctx *ictx, struct obj_header *owner,
			   u64 offset)
{
	struct iommufd_mmap *immap = iommufd_mt_mmap_load(ictx, offset);

	/* mtree_erase() of the region's start, which must be @owner's */
	if (IOMMU_WARN_ON(ictx->m,
			  !immap || immap->owner != owner ||
				  immap->vm_pgoff * IOMMUFD_PAGE_SIZE !=
					  offset))
		return;
	ictx->mt_mmap = g_list_remove(ictx->mt_mmap, immap);
	g_free(immap);
}
