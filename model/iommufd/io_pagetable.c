// SPDX-License-Identifier: MIT
/*
 * io_pagetable.c - the IOVA -> pages map of an IOAS, after Linux 7.3's
 * drivers/iommu/iommufd/io_pagetable.c: areas inserted at a fixed or an
 * allocated IOVA (iopt_alloc_iova(), iopt_check_iova()), unmapped whole
 * (iopt_unmap_iova_range()), shared by IOAS_COPY (iopt_get_pages()),
 * looked up by GET_PA (iopt_get_phys()), and copied into every domain
 * attached to the table (iopt_table_add_domain()/remove_domain():
 * iopt_domains.c).
 *
 * The three interval trees are sorted arrays (iopt_itree.c); pinning and
 * filling domains is pages.c's.
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/iopt_itree.h"
#include "iommufd/dma_buf.h"
#include "core/kerrno.h"

void iopt_init_table(struct io_pagetable *iopt, struct iommu_model *m)
{
	iopt->m = m;
	iopt->domains = g_ptr_array_new();
	iopt->areas = g_ptr_array_new();
	iopt->allowed = g_ptr_array_new_with_free_func(g_free);
	iopt->reserved = g_ptr_array_new_with_free_func(g_free);
	iopt->access_list = g_ptr_array_new();
	/* SW tables start with the whole IOVA space and no alignment */
	iopt->iova_alignment = 1;
	iopt->disable_large_pages = false;
}

void iopt_destroy_table(struct io_pagetable *iopt)
{
	/* CONFIG_IOMMUFD_TEST (the model's, as the guest's kernel): the
	 * ranges IOMMU_TEST_CMD ADD_RESERVED reserved for no owner go
	 * first, so they are no WARN (7.3 iopt_destroy_table()) */
	iopt_remove_reserved_iova(iopt, NULL);
	IOMMU_WARN_ON_AS(iopt->m, iopt->reserved->len != 0,
			 "iopt_destroy_table",
			 "!RB_EMPTY_ROOT(&iopt->reserved_itree.rb_root)");
	IOMMU_WARN_ON_AS(iopt->m, iopt->domains->len != 0, "iopt_destroy_table",
			 "!xa_empty(&iopt->domains)");
	IOMMU_WARN_ON_AS(iopt->m, iopt->areas->len != 0, "iopt_destroy_table",
			 "!RB_EMPTY_ROOT(&iopt->area_itree.rb_root)");
	g_ptr_array_free(iopt->allowed, TRUE);
	g_ptr_array_free(iopt->reserved, TRUE);
	g_ptr_array_free(iopt->areas, TRUE);
	g_ptr_array_free(iopt->domains, TRUE);
	g_ptr_array_free(iopt->access_list, TRUE);
}

struct iopt_area *iopt_area_find(struct io_pagetable *iopt, u64 iova)
{
	return iopt_area_iter_first(iopt, iova, iova);
}

u64 iopt_iova_to_phys(struct io_pagetable *iopt, u64 iova)
{
	struct iopt_area *area = iopt_area_find(iopt, iova);
	u64 byte, pa;

	if (!area || !area->pages)
		return 0;
	byte = area->start_byte + (iova - iopt_area_iova(area));
	pa = iopt_pages_index_to_pa(area->pages, byte / IOMMUFD_PAGE_SIZE);
	return pa ? pa + byte % IOMMUFD_PAGE_SIZE : 0;
}

static inline u64 roundup_pow_of_two(u64 v)
{
	u64 r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

/*
 * __alloc_iova_check_range(): align *start up to @align, keep the page
 * offset, and say whether @length still fits before @last.
 */
static bool alloc_iova_check_range(u64 *start, u64 last, u64 length, u64 align,
				   u64 page_offset)
{
	u64 aligned;

	if (__builtin_add_overflow(*start, align - 1, &aligned))
		return false;
	aligned &= ~(align - 1);
	aligned |= page_offset;
	if (aligned >= last || last - aligned < length - 1)
		return false;
	*start = aligned;
	return true;
}

/* The first hole of reserved ∪ areas inside [start, last] that fits. */
static bool alloc_iova_in_span(struct io_pagetable *iopt, u64 start, u64 last,
			       u64 length, u64 align, u64 page_offset,
			       u64 *iova)
{
	struct iopt_itree_hole it;
	bool found = false;

	for (iopt_itree_hole_first(&it, iopt->reserved, iopt->areas, start,
				   last);
	     !it.done && !found; iopt_itree_hole_next(&it)) {
		u64 hole = it.start;

		if (!alloc_iova_check_range(&hole, it.last, length, align,
					    page_offset))
			continue;
		*iova = hole;
		found = true;
	}
	iopt_itree_hole_destroy(&it);
	return found;
}

/*
 * iopt_alloc_iova(): a block of IOVA neither used nor reserved, inside the
 * allowed ranges (all of [PAGE_SIZE, ULONG_MAX - PAGE_SIZE] when none are
 * set), aligned to keep @addr's alignment (a THP at most). Never 0.
 */
static int iopt_alloc_iova(struct io_pagetable *iopt, u64 *iova, u64 addr,
			   u64 length)
{
	const u64 lo = IOMMUFD_PAGE_SIZE, hi = IOMMUFD_ULONG_MAX - lo;
	u64 page_offset = addr % IOMMUFD_PAGE_SIZE;
	struct iopt_itree_span span;
	u64 align;

	if (length == 0 || length >= IOMMUFD_ULONG_MAX / 2)
		return -EOVERFLOW;
	align = roundup_pow_of_two(length);
	if (addr)
		align = MIN(align, 1ull << __builtin_ctzll(addr));
	if (align >= IOMMUFD_HPAGE_SIZE)
		align = IOMMUFD_HPAGE_SIZE;
	if (align < iopt->iova_alignment)
		return iommu_refuse(iopt->m, -EINVAL, "iopt_alloc_iova",
				    "alignment 0x%llx below the table's 0x%llx",
				    (unsigned long long)align,
				    (unsigned long long)iopt->iova_alignment);

	for (iopt_itree_span_first(&span, iopt->allowed, lo, hi); !span.done;
	     iopt_itree_span_next(&span)) {
		u64 start = span.start;

		if (!alloc_iova_check_range(&start, span.last, length, align,
					    page_offset))
			continue;
		if (alloc_iova_in_span(iopt, start, span.last, length, align,
				       page_offset, iova)) {
			iopt_itree_span_destroy(&span);
			return 0;
		}
	}
	iopt_itree_span_destroy(&span);
	return iommu_refuse(iopt->m, -ENOSPC, "iopt_alloc_iova",
			    "no free IOVA for 0x%llx bytes",
			    (unsigned long long)length);
}

static int iopt_check_iova(struct io_pagetable *iopt, u64 iova, u64 length)
{
	u64 last;

	if (iova & (iopt->iova_alignment - 1))
		return iommu_refuse(iopt->m, -EINVAL, "iopt_check_iova",
				    "iova 0x%llx not aligned to 0x%llx",
				    (unsigned long long)iova,
				    (unsigned long long)iopt->iova_alignment);
	if (__builtin_add_overflow(iova, length - 1, &last))
		return -EOVERFLOW;
	if (iopt_itree_first(iopt->reserved, iova, last))
		return iommu_refuse(iopt->m, -EINVAL, "iopt_check_iova",
				    "[0x%llx, 0x%llx] meets a reserved range",
				    (unsigned long long)iova,
				    (unsigned long long)last);
	if (iopt_area_iter_first(iopt, iova, last))
		return iommu_refuse(iopt->m, -EEXIST, "iopt_check_iova",
				    "[0x%llx, 0x%llx] is already mapped",
				    (unsigned long long)iova,
				    (unsigned long long)last);
	return 0;
}

/* iopt_insert_area(): the area takes pages' bytes [start_byte, +length) */
int iopt_insert_area(struct io_pagetable *iopt, struct iopt_area *area,
		     struct iopt_pages *pages, u64 iova, u64 start_byte,
		     u64 length, int iommu_prot)
{
	u64 last_byte;

	if ((iommu_prot & IOMMU_WRITE) && !pages->writable)
		return iommu_refuse(iopt->m, -EPERM, "iopt_insert_area",
				    "writeable mapping of read-only pages");
	area->iommu_prot = iommu_prot;
	area->page_offset = start_byte % IOMMUFD_PAGE_SIZE;
	if (area->page_offset & (iopt->iova_alignment - 1))
		return iommu_refuse(
			iopt->m, -EINVAL, "iopt_insert_area",
			"page offset 0x%llx not aligned to the IOAS's "
			"alignment 0x%llx",
			(unsigned long long)area->page_offset,
			(unsigned long long)iopt->iova_alignment);
	area->node.start = iova;
	if (__builtin_add_overflow(iova, length - 1, &area->node.last))
		return -EOVERFLOW;
	if (__builtin_add_overflow(start_byte, length - 1, &last_byte))
		return -EOVERFLOW;
	if (IOMMU_WARN_ON(iopt->m,
			  last_byte / IOMMUFD_PAGE_SIZE >= pages->npages))
		return -EOVERFLOW;
	area->start_byte = start_byte;
	area->iopt = iopt;
	iopt_itree_insert(iopt->areas, area);
	return 0;
}

/* iopt_abort_area(): out of the tree (if it got in) and freed */
static void iopt_abort_area(struct iopt_area *area)
{
	if (area->iopt)
		g_ptr_array_remove(area->iopt->areas, area);
	g_free(area);
}

void iopt_free_pages_list(GArray *pages_list)
{
	for (unsigned int i = 0; i < pages_list->len; i++) {
		struct iopt_pages_list *elm =
			&g_array_index(pages_list, struct iopt_pages_list, i);

		if (elm->area)
			iopt_abort_area(elm->area);
		if (elm->pages)
			iopt_put_pages(elm->pages);
	}
	g_array_free(pages_list, TRUE);
}

static u64 pages_list_start_addr(const struct iopt_pages_list *elm)
{
	if (elm->pages->type == IOPT_ADDRESS_FILE)
		return elm->start_byte + elm->pages->start;
	return elm->start_byte + elm->pages->uptr;
}

/* iopt_alloc_area_pages(): areas for every element, in the tree at the
 * chosen IOVA, with no pages yet */
static int iopt_alloc_area_pages(struct io_pagetable *iopt, GArray *pages_list,
				 u64 length, u64 *dst_iova, int iommu_prot,
				 unsigned int flags)
{
	struct iopt_pages_list *elm;
	u64 iova;
	int rc;

	for (unsigned int i = 0; i < pages_list->len; i++) {
		elm = &g_array_index(pages_list, struct iopt_pages_list, i);
		if (fault_should_fail(&iopt->m->fault, "iopt_area_alloc"))
			return -ENOMEM;
		elm->area = g_new0(struct iopt_area, 1);
	}
	if ((length & (iopt->iova_alignment - 1)) || !length)
		return iommu_refuse(iopt->m, -EINVAL, "iopt_alloc_area_pages",
				    "length 0x%llx is 0 or not aligned to "
				    "0x%llx",
				    (unsigned long long)length,
				    (unsigned long long)iopt->iova_alignment);
	elm = &g_array_index(pages_list, struct iopt_pages_list, 0);
	if (flags & IOPT_ALLOC_IOVA)
		rc = iopt_alloc_iova(iopt, dst_iova, pages_list_start_addr(elm),
				     length);
	else
		rc = iopt_check_iova(iopt, *dst_iova, length);
	if (rc)
		return rc;

	iova = *dst_iova;
	for (unsigned int i = 0; i < pages_list->len; i++) {
		elm = &g_array_index(pages_list, struct iopt_pages_list, i);
		rc = iopt_insert_area(iopt, elm->area, elm->pages, iova,
				      elm->start_byte, elm->length, iommu_prot);
		if (rc)
			return rc;
		iova += elm->length;
	}
	return 0;
}

/* iopt_fill_domains_pages(): all or nothing */
static int iopt_fill_domains_pages(GArray *pages_list)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < pages_list->len; i++) {
		struct iopt_pages_list *elm =
			&g_array_index(pages_list, struct iopt_pages_list, i);

		rc = iopt_area_fill_domains(elm->area, elm->pages);
		if (rc)
			break;
	}
	if (!rc)
		return 0;
	while (i--) {
		struct iopt_pages_list *elm =
			&g_array_index(pages_list, struct iopt_pages_list, i);

		iopt_area_unfill_domains(elm->area, elm->pages);
	}
	return rc;
}

/*
 * iopt_map_pages(): every element becomes an area, filled into every
 * domain; on success the pages references move into the areas and the
 * list holds nothing, on failure the caller's iopt_free_pages_list()
 * takes the areas out again.
 */
int iopt_map_pages(struct io_pagetable *iopt, GArray *pages_list, u64 length,
		   u64 *dst_iova, int iommu_prot, unsigned int flags)
{
	int rc;

	rc = iopt_alloc_area_pages(iopt, pages_list, length, dst_iova,
				   iommu_prot, flags);
	if (rc)
		return rc;
	rc = iopt_fill_domains_pages(pages_list);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < pages_list->len; i++) {
		struct iopt_pages_list *elm =
			&g_array_index(pages_list, struct iopt_pages_list, i);

		elm->area->pages = elm->pages;
		elm->pages = NULL;
		elm->area = NULL;
	}
	return 0;
}

static int iopt_map_common(struct iommufd_ctx *ictx, struct io_pagetable *iopt,
			   struct iopt_pages *pages, u64 *iova, u64 length,
			   u64 start_byte, int iommu_prot, unsigned int flags)
{
	struct iopt_pages_list elm = {
		.pages = pages,
		.start_byte = start_byte,
		.length = length,
	};
	GArray *list = g_array_new(FALSE, TRUE, sizeof(elm));
	int rc;

	if (ictx->account_mode == IOPT_PAGES_ACCOUNT_MM &&
	    pages->account_mode == IOPT_PAGES_ACCOUNT_USER)
		pages->account_mode = IOPT_PAGES_ACCOUNT_MM;
	g_array_append_val(list, elm);
	rc = iopt_map_pages(iopt, list, length, iova, iommu_prot, flags);
	iopt_free_pages_list(list);
	return rc;
}

int iopt_map_user_pages(struct iommufd_ctx *ictx, struct io_pagetable *iopt,
			struct process *task, u64 *iova, u64 uptr, u64 length,
			int iommu_prot, unsigned int flags)
{
	struct iopt_pages *pages;
	int rc;

	rc = iopt_alloc_user_pages(ictx, task, uptr, length,
				   iommu_prot & IOMMU_WRITE, &pages);
	if (rc)
		return rc;
	return iopt_map_common(ictx, iopt, pages, iova, length,
			       uptr - pages->uptr, iommu_prot, flags);
}

int iopt_map_file_pages(struct iommufd_ctx *ictx, struct io_pagetable *iopt,
			struct process *task, u64 *iova, int fd, u64 start,
			u64 length, int iommu_prot, unsigned int flags)
{
	struct dma_buf *dmabuf;
	struct file *file;
	struct iopt_pages *pages;
	u64 start_byte = start % IOMMUFD_PAGE_SIZE, last;
	int rc;

	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(start, length - 1, &last))
		return -EOVERFLOW;
	dmabuf = dma_buf_get(task, fd, &rc);
	if (dmabuf) /* refused in the model, after dma_buf_put() */
		return iopt_import_dmabuf(ictx, task, dmabuf, start_byte, start,
					  length, iommu_prot & IOMMU_WRITE);
	file = fget(task, fd); /* memfd_pin_folios() judges it when pinned */
	if (!file)
		return iommu_refuse(iopt->m, -EBADF, "iopt_map_file_pages",
				    "fd %d is not open", fd);
	rc = iopt_alloc_file_pages(ictx, task, file, start_byte, start, length,
				   iommu_prot & IOMMU_WRITE, &pages);
	fput(file); /* fput(): pages holds its own reference */
	if (rc)
		return rc;
	return iopt_map_common(ictx, iopt, pages, iova, length, start_byte,
			       iommu_prot, flags);
}

/*
 * iopt_get_pages(): references to the pages behind [iova, iova + length),
 * which must be covered by contiguous areas (-ENOENT otherwise).
 */
int iopt_get_pages(struct io_pagetable *iopt, u64 iova, u64 length,
		   GArray **out)
{
	GArray *list;
	u64 last_iova, cur;
	struct iopt_area *area;

	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, &last_iova))
		return -EOVERFLOW;
	list = g_array_new(FALSE, TRUE, sizeof(struct iopt_pages_list));
	for (cur = iova; (area = iopt_area_find(iopt, cur)) && area->pages;
	     cur = iopt_area_last_iova(area) + 1) {
		u64 last = MIN(last_iova, iopt_area_last_iova(area));
		struct iopt_pages_list elm = {
			.start_byte =
				area->start_byte + (cur - area->node.start),
			.pages = area->pages,
			.length = last - cur + 1,
		};

		if (fault_should_fail(&iopt->m->fault, "iopt_get_pages")) {
			iopt_free_pages_list(list);
			return -ENOMEM;
		}
		iopt_get_pages_ref(area->pages);
		g_array_append_val(list, elm);
		if (last == last_iova) {
			*out = list;
			return 0;
		}
	}
	iopt_free_pages_list(list);
	return iommu_refuse(iopt->m, -ENOENT, "iopt_get_pages",
			    "[0x%llx, 0x%llx] not fully mapped",
			    (unsigned long long)iova,
			    (unsigned long long)last_iova);
}

/*
 * iopt_unmap_iova_range(): every area inside [start, last] goes, in IOVA
 * order; an area that sticks out of the range stops the walk with -ENOENT
 * and what was unmapped before it stays unmapped (*unmapped says how
 * much). An area an internal access locks (a HW queue's guest queue,
 * viommu.c) is -EBUSY, likewise. An area in-kernel
 * accesses pin is closed to new ones (prevent_access) and the IOAS's
 * accesses are told to unpin it (iommufd_access_notify_unmap()); one that
 * does not is a driver bug 7.3 gives up on after 100 tries with a WARN
 * and -EDEADLOCK, which the model, single-threaded, knows after one.
 */
static int iopt_unmap_iova_range(struct io_pagetable *iopt, u64 start, u64 last,
				 u64 *unmapped)
{
	struct iopt_area *area, *notified = NULL;
	u64 unmapped_bytes = 0;
	int rc = 0;

	while ((area = iopt_area_iter_first(iopt, start, last))) {
		u64 area_first = iopt_area_iova(area);
		u64 area_last = iopt_area_last_iova(area);
		struct iopt_pages *pages = area->pages;

		if (!pages) { /* a racing map or unmap of it */
			rc = -EBUSY;
			break;
		}
		if (area->num_locks) {
			rc = iommu_refuse(
				iopt->m, -EBUSY, "iopt_unmap_iova_range",
				"area [0x%llx, 0x%llx] is locked by %u "
				"internal access(es) (a HW queue)",
				(unsigned long long)area_first,
				(unsigned long long)area_last, area->num_locks);
			break;
		}
		if (area_first < start || area_last > last) {
			rc = iommu_refuse(iopt->m, -ENOENT,
					  "iopt_unmap_iova_range",
					  "area [0x%llx, 0x%llx] is not inside "
					  "[0x%llx, 0x%llx]",
					  (unsigned long long)area_first,
					  (unsigned long long)area_last,
					  (unsigned long long)start,
					  (unsigned long long)last);
			break;
		}
		if (area->num_accesses) {
			if (IOMMU_WARN_ON_AS(iopt->m, notified == area,
					     "iopt_unmap_iova_range",
					     "tries > 100")) {
				rc = -EDEADLOCK;
				break;
			}
			area->prevent_access = true;
			notified = area;
			iommufd_access_notify_unmap(iopt, area_first,
						    iopt_area_length(area));
			continue;
		}
		area->pages = NULL;
		iopt_area_unfill_domains(area, pages);
		iopt_abort_area(area);
		iopt_put_pages(pages);
		unmapped_bytes += area_last - area_first + 1;
		if (area_last >= last)
			break;
		start = area_last + 1;
	}
	if (unmapped)
		*unmapped = unmapped_bytes;
	return rc;
}

int iopt_unmap_iova(struct io_pagetable *iopt, u64 iova, u64 length,
		    u64 *unmapped)
{
	u64 iova_last;

	if (!length)
		return iommu_refuse(iopt->m, -EINVAL, "iopt_unmap_iova",
				    "length 0");
	if (__builtin_add_overflow(iova, length - 1, &iova_last))
		return -EOVERFLOW;
	return iopt_unmap_iova_range(iopt, iova, iova_last, unmapped);
}

int iopt_unmap_all(struct io_pagetable *iopt, u64 *unmapped)
{
	return iopt_unmap_iova_range(iopt, 0, IOMMUFD_ULONG_MAX, unmapped);
}

/*
 * iopt_get_phys(): GET_PA answers from the area's storage domain, which
 * must be the noiommu one; the length is the physically contiguous run
 * from @iova, capped by the area's end and the caller's *length.
 */
int iopt_get_phys(struct io_pagetable *iopt, u64 iova, u64 *paddr, u64 *length)
{
	u64 max_length = *length, len, pa;
	struct iopt_area *area;
	struct iommu_domain *d;

	if (!max_length)
		return -EINVAL;
	area = iopt_area_find(iopt, iova);
	if (!area || !area->pages)
		return iommu_refuse(iopt->m, -ENOENT, "iopt_get_phys",
				    "nothing mapped at 0x%llx",
				    (unsigned long long)iova);
	d = area->storage_domain;
	if (!d || !iommufd_domain_is_noiommu(d))
		return iommu_refuse(iopt->m, -EOPNOTSUPP, "iopt_get_phys",
				    "the area's storage domain is %s",
				    d ? "not the noiommu one" : "none");
	*paddr = pa = iommu_iova_to_phys(iopt->m, d, iova);
	len = MIN(IOMMUFD_PAGE_SIZE - iova % IOMMUFD_PAGE_SIZE,
		  iopt_area_last_iova(area) - iova + 1);
	while (iova < iopt_area_last_iova(area) && len < max_length) {
		u64 next_iova, next_pa;

		if (__builtin_add_overflow(iova, IOMMUFD_PAGE_SIZE,
					   &next_iova) ||
		    next_iova > iopt_area_last_iova(area))
			break;
		next_pa = iommu_iova_to_phys(iopt->m, d, next_iova);
		if (!next_pa || next_pa != pa + IOMMUFD_PAGE_SIZE)
			break;
		iova = next_iova;
		pa += IOMMUFD_PAGE_SIZE;
		len += IOMMUFD_PAGE_SIZE;
	}
	*length = MIN(len, max_length);
	return 0;
}
