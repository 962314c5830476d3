// SPDX-License-Identifier: MIT
/*
 * access.c - iommufd_access, a driver's CPU access to an IOAS, after Linux
 * 7.3's drivers/iommu/iommufd/device.c (iommufd_access_create(), _attach(),
 * _replace(), _destroy(), _notify_unmap(), _pin_pages(), _unpin_pages(),
 * _rw()) and io_pagetable.c (iopt_add_access(), iopt_remove_access()).
 *
 * Who holds whom: the access holds a ctx reference and, while on an IOAS,
 * a users reference on it (so the IOAS cannot be destroyed under it); the
 * driver that made it holds a users reference on the access until
 * iommufd_access_destroy() (IOMMU_DESTROY of its id is -EBUSY). Its pins
 * are per exact page range in the area's pages (pages.c), and an unmap of
 * a pinned area asks every access of the IOAS to unpin first.
 *
 * The access API has no ioctl of its own: the selftest's access objects
 * (selftest_access.c) are its driver users. An internal access
 * (iommufd_access_create_internal(): a NULL ictx and no ops, what a HW
 * queue pins its guest queue with, viommu.c) is never told to unpin: its
 * pins lock their areas (num_locks), so an unmap of them is -EBUSY.
 */
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"

/* iopt_add_access(): on the IOAS's list, its alignment enforced */
static int iopt_add_access(struct io_pagetable *iopt,
			   struct iommufd_access *access)
{
	int rc;

	if (fault_should_fail(&iopt->m->fault, "iopt_add_access"))
		return -ENOMEM; /* xa_alloc() */
	g_ptr_array_add(iopt->access_list, access);
	rc = iopt_calculate_iova_alignment(iopt);
	if (rc)
		g_ptr_array_remove(iopt->access_list, access);
	return rc;
}

static void iopt_remove_access(struct io_pagetable *iopt,
			       struct iommufd_access *access)
{
	IOMMU_WARN_ON(iopt->m, !g_ptr_array_remove(iopt->access_list, access));
	IOMMU_WARN_ON(iopt->m, iopt_calculate_iova_alignment(iopt) != 0);
}

/*
 * iommufd_access_change_ioas(): onto @new_ioas (or none), off the current
 * one after its unmap op dropped every pin; nothing changed on error.
 */
static int iommufd_access_change_ioas(struct iommufd_access *access,
				      struct iommufd_ioas *new_ioas)
{
	struct iommufd_ioas *cur_ioas = access->ioas;
	int rc;

	if (cur_ioas == new_ioas)
		return 0;
	if (new_ioas) {
		rc = iopt_add_access(&new_ioas->iopt, access);
		if (rc)
			return rc;
		obj_users_inc(&new_ioas->obj);
	}
	access->ioas = NULL; /* no new pins while the old ones go */
	if (cur_ioas) {
		if (!iommufd_access_is_internal(access) && access->ops->unmap)
			access->ops->unmap(access->data, 0, IOMMUFD_ULONG_MAX);
		iopt_remove_access(&cur_ioas->iopt, access);
		obj_users_dec(&cur_ioas->obj);
	}
	access->ioas = new_ioas;
	access->ioas_unpin = new_ioas;
	return 0;
}

static int iommufd_access_change_ioas_id(struct iommufd_access *access, u32 id)
{
	struct iommufd_ioas *ioas = iommufd_get_ioas(access->ictx, id);
	int rc;

	if (!ioas)
		return iommu_refuse(access->m, -ENOENT,
				    "iommufd_access_change_ioas_id",
				    "no IOAS %u", id);
	rc = iommufd_access_change_ioas(access, ioas);
	iommufd_put_object(access->ictx, &ioas->obj);
	return rc;
}

/* IOMMUFD_OBJ_ACCESS's destroy op */
void iommufd_access_destroy_object(struct obj_header *obj)
{
	struct iommufd_access *access = (struct iommufd_access *)obj;

	if (access->ioas)
		IOMMU_WARN_ON(access->m,
			      iommufd_access_change_ioas(access, NULL) != 0);
	if (!iommufd_access_is_internal(access))
		iommufd_ctx_put(access->ictx);
}

/* __iommufd_access_create(): reserved, not yet published */
static int access_alloc(struct iommufd_ctx *ictx, struct iommufd_access **out)
{
	struct iommufd_access *access;
	int rc;

	rc = _iommufd_object_alloc(ictx, sizeof(*access), IOMMUFD_OBJ_ACCESS,
				   (void **)&access);
	if (rc)
		return rc;
	/* the calling driver is a user until iommufd_access_destroy() */
	obj_users_inc(&access->obj);
	access->m = ictx->m;
	*out = access;
	return 0;
}

/* iommufd_access_create_internal(): page-aligned pins, no ops, no ctx
 * reference (the object in the ctx's table is what keeps it) */
int iommufd_access_create_internal(struct iommufd_ctx *ictx,
				   struct iommufd_access **out)
{
	struct iommufd_access *access;
	int rc = access_alloc(ictx, &access);

	if (rc)
		return rc;
	access->iova_alignment = IOMMUFD_PAGE_SIZE;
	iommufd_object_finalize(ictx, &access->obj);
	*out = access;
	return 0;
}

/* iommufd_access_destroy_internal(): the driver's reference goes and
 * the object with it (the ctx is the caller's, access->ictx is NULL) */
void iommufd_access_destroy_internal(struct iommufd_ctx *ictx,
				     struct iommufd_access *access)
{
	iommufd_object_destroy_user(ictx, &access->obj);
}

int iommufd_access_attach_internal(struct iommufd_access *access,
				   struct iommufd_ioas *ioas)
{
	if (IOMMU_WARN_ON(access->m, access->ioas != NULL))
		return -EINVAL;
	return iommufd_access_change_ioas(access, ioas);
}

/* iommufd_access_detach() */
void iommufd_access_detach_internal(struct iommufd_access *access)
{
	if (IOMMU_WARN_ON(access->m, !access->ioas))
		return;
	IOMMU_WARN_ON(access->m, iommufd_access_change_ioas(access, NULL) != 0);
}

int iommufd_access_create(struct iommufd_ctx *ictx,
			  const struct iommufd_access_ops *ops, void *data,
			  u32 *id, struct iommufd_access **out)
{
	struct iommufd_access *access;
	int rc = access_alloc(ictx, &access);

	if (rc)
		return rc;
	access->data = data;
	access->ops = ops;
	access->iova_alignment = ops->needs_pin_pages ? IOMMUFD_PAGE_SIZE : 1;
	access->ictx = ictx;
	iommufd_ctx_get(ictx);
	iommufd_object_finalize(ictx, &access->obj);
	*id = access->obj.id;
	*out = access;
	return 0;
}

void iommufd_access_destroy(struct iommufd_access *access)
{
	iommufd_object_destroy_user(access->ictx, &access->obj);
}

int iommufd_access_attach(struct iommufd_access *access, u32 ioas_id)
{
	if (IOMMU_WARN_ON(access->m, access->ioas != NULL))
		return -EINVAL;
	return iommufd_access_change_ioas_id(access, ioas_id);
}

int iommufd_access_replace(struct iommufd_access *access, u32 ioas_id)
{
	if (!access->ioas)
		return iommu_refuse(access->m, -ENOENT,
				    "iommufd_access_replace",
				    "access %u is on no IOAS", access->obj.id);
	return iommufd_access_change_ioas_id(access, ioas_id);
}

/* Every access of the IOAS a ref can be taken on (iommufd_lock_obj()) */
void iommufd_access_notify_unmap(struct io_pagetable *iopt, u64 iova,
				 u64 length)
{
	g_autoptr(GPtrArray) list =
		g_ptr_array_copy(iopt->access_list, NULL, NULL);

	for (guint i = 0; i < list->len; i++) {
		struct iommufd_access *access = list->pdata[i];

		if (iommufd_access_is_internal(access))
			continue; /* its pins lock the area: never asked */
		obj_users_inc(&access->obj);
		access->ops->unmap(access->data, iova, length);
		iommufd_put_object(access->ictx, &access->obj);
	}
}

/*
 * iopt_for_each_contig_area(): the areas covering [iova, last] with no
 * hole between them, each with pages; done when the last one reaches
 * @last (iopt_area_contig_done()).
 */
struct contig_iter {
	struct io_pagetable *iopt;
	u64 cur_iova, last_iova;
	struct iopt_area *area;
};

static struct iopt_area *contig_first(struct contig_iter *it,
				      struct io_pagetable *iopt, u64 iova,
				      u64 last)
{
	it->iopt = iopt;
	it->cur_iova = iova;
	it->last_iova = last;
	it->area = iopt_area_find(iopt, iova);
	if (it->area && !it->area->pages)
		it->area = NULL;
	return it->area;
}

static struct iopt_area *contig_next(struct contig_iter *it)
{
	u64 area_last;

	if (!it->area)
		return NULL;
	area_last = iopt_area_last_iova(it->area);
	if (it->last_iova <= area_last)
		return NULL;
	it->cur_iova = area_last + 1;
	it->area = iopt_area_find(it->iopt, it->cur_iova);
	if (it->area &&
	    (iopt_area_iova(it->area) != it->cur_iova || !it->area->pages))
		it->area = NULL;
	return it->area;
}

static bool contig_done(const struct contig_iter *it)
{
	return it->area && it->last_iova <= iopt_area_last_iova(it->area);
}

static u64 contig_last(const struct contig_iter *it)
{
	return MIN(it->last_iova, iopt_area_last_iova(it->area));
}

static u64 area_index(const struct iopt_area *area, u64 iova)
{
	return iopt_area_start_byte(area, iova) / IOMMUFD_PAGE_SIZE;
}

/* iommufd_access_unpin_pages(): exactly what one pin_pages() pinned */
void iommufd_access_unpin_pages(struct iommufd_access *access, u64 iova,
				u64 length)
{
	struct iommu_model *m = access->m;
	struct contig_iter it;
	struct iopt_area *area;
	u64 last_iova;

	if (IOMMU_WARN_ON(m, !length) ||
	    IOMMU_WARN_ON(
		    m, __builtin_add_overflow(iova, length - 1, &last_iova)) ||
	    IOMMU_WARN_ON(m, !access->ioas_unpin))
		return;
	for (area = contig_first(&it, &access->ioas_unpin->iopt, iova,
				 last_iova);
	     area; area = contig_next(&it))
		iopt_area_remove_access(area, area_index(area, it.cur_iova),
					area_index(area, contig_last(&it)),
					iommufd_access_is_internal(access));
	IOMMU_WARN_ON(m, !contig_done(&it));
}

/* pin_pages()' and rw()'s checks: a range that does not wrap, an IOAS */
static int access_range(struct iommufd_access *access, u64 iova, u64 length,
			u64 *last_iova)
{
	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, last_iova))
		return -EOVERFLOW;
	if (!access->ioas)
		return -ENOENT;
	return 0;
}

/* iopt_area_contig_is_aligned(): whole pages only */
static bool contig_is_aligned(const struct contig_iter *it)
{
	const struct iopt_area *area = it->area;

	if (iopt_area_start_byte(area, it->cur_iova) % IOMMUFD_PAGE_SIZE)
		return false;
	return contig_done(it) ||
	       iopt_area_start_byte(area, iopt_area_last_iova(area)) %
			       IOMMUFD_PAGE_SIZE ==
		       IOMMUFD_PAGE_SIZE - 1;
}

/* check_area_prot() */
static bool area_allows(const struct iopt_area *area, unsigned int flags)
{
	return area->iommu_prot &
	       (flags & IOMMUFD_ACCESS_RW_WRITE ? IOMMU_WRITE : IOMMU_READ);
}

/* Undo the pins of [iova, end) taken so far by a failing pin_pages() */
static void unpin_done(struct iommufd_access *access, u64 iova, u64 end)
{
	if (iova < end)
		iommufd_access_unpin_pages(access, iova, end - iova);
}

static int pin_one(struct iommufd_access *access, struct contig_iter *it,
		   u64 **out_pa, unsigned int flags)
{
	struct iopt_area *area = it->area;
	u64 index = area_index(area, it->cur_iova);
	u64 last_index = area_index(area, contig_last(it));
	int rc;

	if (area->prevent_access || !contig_is_aligned(it))
		return iommu_refuse(access->m, -EINVAL,
				    "iommufd_access_pin_pages",
				    "IOVA 0x%llx: an unmap is pending or the "
				    "range is not whole pages",
				    (unsigned long long)it->cur_iova);
	if (!area_allows(area, flags))
		return iommu_refuse(access->m, -EPERM,
				    "iommufd_access_pin_pages",
				    "the area at 0x%llx does not allow it",
				    (unsigned long long)iopt_area_iova(area));
	rc = iopt_area_add_access(area, index, last_index, *out_pa, flags,
				  iommufd_access_is_internal(access));
	if (!rc && *out_pa)
		*out_pa += last_index - index + 1;
	return rc;
}

int iommufd_access_pin_pages(struct iommufd_access *access, u64 iova,
			     u64 length, u64 *out_pa, unsigned int flags)
{
	struct contig_iter it;
	struct iopt_area *area;
	u64 last_iova;
	int rc = 0;

	/* CONFIG_IOMMUFD_TEST: ops without needs_pin_pages */
	if (IOMMU_WARN_ON(access->m,
			  access->iova_alignment != IOMMUFD_PAGE_SIZE ||
				  (!iommufd_access_is_internal(access) &&
				   !access->ops->unmap)))
		return -EINVAL;
	rc = access_range(access, iova, length, &last_iova);
	if (rc)
		return rc;
	for (area = contig_first(&it, &access->ioas->iopt, iova, last_iova);
	     area; area = contig_next(&it)) {
		rc = pin_one(access, &it, &out_pa, flags);
		if (rc)
			break;
	}
	if (!rc && !contig_done(&it))
		rc = iommu_refuse(
			access->m, -ENOENT, "iommufd_access_pin_pages",
			"a hole in [0x%llx, 0x%llx]", (unsigned long long)iova,
			(unsigned long long)last_iova);
	if (rc)
		unpin_done(access, iova, it.cur_iova);
	return rc;
}

/* iommufd_access_rw(): copy through each contiguous area's pages */
int iommufd_access_rw(struct iommufd_access *access, u64 iova, void *data,
		      u64 length, unsigned int flags)
{
	struct contig_iter it;
	struct iopt_area *area;
	u64 last_iova;
	int rc = access_range(access, iova, length, &last_iova);

	if (rc)
		return rc;
	rc = -EINVAL;
	for (area = contig_first(&it, &access->ioas->iopt, iova, last_iova);
	     area; area = contig_next(&it)) {
		u64 bytes = contig_last(&it) - it.cur_iova + 1;

		if (area->prevent_access)
			return -EINVAL;
		if (!area_allows(area, flags))
			return iommu_refuse(
				access->m, -EPERM, "iommufd_access_rw",
				"the area at 0x%llx does not "
				"allow it",
				(unsigned long long)iopt_area_iova(area));
		rc = iopt_pages_rw_access(
			area->pages, iopt_area_start_byte(area, it.cur_iova),
			data, bytes, flags);
		if (rc)
			return rc;
		data = (u8 *)data + bytes;
	}
	if (!contig_done(&it))
		rc = iommu_refuse(access->m, -ENOENT, "iommufd_access_rw",
				  "a hole in [0x%llx, 0x%llx]",
				  (unsigned long long)iova,
				  (unsigned long long)last_iova);
	return rc;
}
