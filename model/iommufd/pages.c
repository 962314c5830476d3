// SPDX-License-Identifier: MIT
/*
 * pages.c - the user pages behind areas, after Linux 7.3's
 * drivers/iommu/iommufd/pages.c: iopt_alloc_pages() records who maps
 * (current: its mm, user and CAP_IPC_LOCK), pages are pinned while an area
 * holding them sits in a domain, and every change in the number pinned is
 * charged or uncharged afterwards (pfn_reader_user_update_pinned(),
 * iopt_pages_update_pinned(): user->locked_vm against RLIMIT_MEMLOCK, or
 * mm->locked_vm in VFIO's mode, and mm->pinned_vm always).
 *
 * The kernel reads PFNs in batches and keeps them in an xarray or reads
 * them back from the storage domain; the model keeps a pin count per page
 * index, which gives the same npinned and the same charges. Failure points
 * asked of the knob: the pin (pfn_reader_user_pin(), -EFAULT), the charge
 * (pfn_reader_user_update_pinned(), -ENOMEM) and, inside iommu_map(), every
 * page-table page.
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/selftest_dmabuf.h"
#include "core/kerrno.h"
#include "pt/physmem.h"

/* include/linux/iommu.h: IOMMU_CACHE, which conv_iommu_prot() always sets */
#ifndef IOMMU_CACHE
#define IOMMU_CACHE (1 << 2)
#endif

/* iopt_alloc_pages(): who maps, and how it will be charged */
static int iopt_alloc_pages(struct iommufd_ctx *ictx, struct process *task,
			    u64 start_byte, u64 length, bool writable,
			    struct iopt_pages **out)
{
	struct iopt_pages *pages;

	if (length > IOMMUFD_ULONG_MAX - IOMMUFD_PAGE_SIZE || length == 0)
		return iommu_refuse(ictx->m, -EINVAL, "iopt_alloc_pages",
				    "length 0x%llx",
				    (unsigned long long)length);
	if (iommufd_should_fail(ictx, "iopt_alloc_pages"))
		return -ENOMEM;
	pages = g_new0(struct iopt_pages, 1);
	pages->refs = 1;
	pages->m = ictx->m;
	pages->source_task = process_get(task);
	pages->npages = (length + start_byte + IOMMUFD_PAGE_SIZE - 1) /
			IOMMUFD_PAGE_SIZE;
	pages->writable = writable;
	pages->account_mode = capable(task, CAP_IPC_LOCK)
				      ? IOPT_PAGES_ACCOUNT_NONE
				      : IOPT_PAGES_ACCOUNT_USER;
	*out = pages;
	return 0;
}

int iopt_alloc_user_pages(struct iommufd_ctx *ictx, struct process *task,
			  u64 uptr, u64 length, bool writable,
			  struct iopt_pages **out)
{
	u64 uptr_down = uptr & ~(IOMMUFD_PAGE_SIZE - 1), end;
	int rc;

	if (__builtin_add_overflow(uptr, length, &end))
		return -EOVERFLOW;
	rc = iopt_alloc_pages(ictx, task, uptr - uptr_down, length, writable,
			      out);
	if (rc)
		return rc;
	(*out)->uptr = uptr_down;
	(*out)->type = IOPT_ADDRESS_USER;
	return 0;
}

int iopt_alloc_file_pages(struct iommufd_ctx *ictx, struct process *task,
			  struct file *file, u64 start_byte, u64 start,
			  u64 length, bool writable, struct iopt_pages **out)
{
	int rc;

	rc = iopt_alloc_pages(ictx, task, start_byte, length, writable, out);
	if (rc)
		return rc;
	file->refs++; /* get_file() */
	(*out)->file = file;
	(*out)->start = start - start_byte;
	(*out)->type = IOPT_ADDRESS_FILE;
	return 0;
}

/* pages.c's MAX_NPFNS: a pfn batch counts pages in a u32 */
#define MAX_NPFNS UINT32_MAX

/*
 * iopt_map_dmabuf(): attach (the importer's revoke op) and ask the
 * exporter for its physical range (sym_vfio_pci_dma_buf_iommufd_map():
 * the selftest's first, then VFIO's, which the model has not: both
 * -EOPNOTSUPP for any other exporter)
 */
static int iopt_map_dmabuf(struct iommu_model *m, struct dma_buf *dmabuf)
{
	u64 len;
	int rc = iommufd_test_dma_buf_iommufd_map(dmabuf, &len);

	if (rc)
		return iommu_refuse(m, rc, "iopt_map_dmabuf", "%s",
				    rc == -ENODEV ? "the dma-buf is revoked"
						  : "no exporter maps it");
	return 0;
}

/*
 * The range must end inside the buffer ("dmabuf->size <= start + length
 * - 1": -EINVAL), iopt_alloc_pages() must succeed and the exporter map
 * it; the area over its physical range (IOPT_ADDRESS_DMABUF: charged to
 * no one, unmapped from every domain on revoke by iopt_revoke_notify())
 * is not modelled yet, so the import stops there with -EOPNOTSUPP.
 */
static int iopt_alloc_dmabuf_pages(struct iommufd_ctx *ictx,
				   struct process *task, struct dma_buf *dmabuf,
				   u64 start_byte, u64 start, u64 length,
				   bool writable)
{
	struct iopt_pages *pages;
	int rc;

	if (dmabuf->size <= start + length - 1 ||
	    length / IOMMUFD_PAGE_SIZE >= MAX_NPFNS)
		return iommu_refuse(ictx->m, -EINVAL, "iopt_alloc_dmabuf_pages",
				    "[0x%llx, +0x%llx) is past the 0x%llx "
				    "byte dma-buf",
				    (unsigned long long)start,
				    (unsigned long long)length,
				    (unsigned long long)dmabuf->size);
	rc = iopt_alloc_pages(ictx, task, start_byte, length, writable, &pages);
	if (rc)
		return rc;
	rc = iopt_map_dmabuf(ictx->m, dmabuf);
	iopt_put_pages(pages);
	if (rc)
		return rc;
	return iommu_refuse(ictx->m, -EOPNOTSUPP, "iopt_alloc_dmabuf_pages",
			    "a dma-buf's area is not modelled yet");
}

int iopt_import_dmabuf(struct iommufd_ctx *ictx, struct process *task,
		       struct dma_buf *dmabuf, u64 start_byte, u64 start,
		       u64 length, bool writable)
{
	int rc = iopt_alloc_dmabuf_pages(ictx, task, dmabuf, start_byte, start,
					 length, writable);

	dma_buf_put(dmabuf); /* 7.3 puts it on failure, and here all fail */
	return rc;
}

/* iopt_release_pages() */
void iopt_put_pages(struct iopt_pages *pages)
{
	if (--pages->refs)
		return;
	IOMMU_WARN_ON(pages->m, pages->npinned != 0);
	IOMMU_WARN_ON(pages->m, pages->accesses && pages->accesses->len);
	if (pages->accesses)
		g_ptr_array_free(pages->accesses, TRUE);
	fput(pages->file);
	process_put(pages->source_task);
	if (pages->pin_count)
		physmem_uncharge(pages->m->physmem,
				 pages->npages * sizeof(unsigned int));
	g_free(pages->pin_count);
	g_free(pages);
}

/* 0 when no page is there to pin, or it cannot be pinned writeable
 * (pin_user_pages_fast() with FOLL_WRITE on a read-only VMA), or it is
 * a pfn of a VM_IO | VM_PFNMAP VMA (a VFIO BAR's mmap: check_vma_flags()
 * is -EFAULT, and pfn_reader_user_pin() returns it) */
u64 iopt_pages_index_to_pa(struct iopt_pages *pages, u64 index)
{
	bool vma_writable = false;
	u64 pa, off;
	int err = 0;

	if (pages->type == IOPT_ADDRESS_FILE) {
		off = pages->start + index * IOMMUFD_PAGE_SIZE;
		if (off >= pages->file->size)
			return 0;
		/* mm/gup.c memfd_pin_folios() allocates a hole's folio
		 * (memfd_alloc_folio()): 0 if its record cannot be had */
		return shmem_page_get(pages->file, off / IOMMUFD_PAGE_SIZE,
				      &err);
	}
	pa = process_gup_va_to_pa(pages->source_task,
				  pages->uptr + index * IOMMUFD_PAGE_SIZE,
				  &vma_writable);
	if (pages->writable && !vma_writable)
		return 0;
	return pa;
}

static u64 area_first_index(const struct iopt_area *area)
{
	return area->start_byte / IOMMUFD_PAGE_SIZE;
}

static u64 area_last_index(const struct iopt_area *area)
{
	return (area->start_byte + iopt_area_length(area) - 1) /
	       IOMMUFD_PAGE_SIZE;
}

/* iopt_area_index_to_iova(): where page @index of the area starts */
static u64 area_index_to_iova(const struct iopt_area *area, u64 index)
{
	return iopt_area_iova(area) - area->page_offset +
	       (index - area_first_index(area)) * IOMMUFD_PAGE_SIZE;
}

/*
 * memfd_pin_folios() as pin_memfd_pages() calls it for the unpinned pages
 * up to @last_needed: only a shmem or hugetlbfs file has pages, and
 * "end >= i_size_read()" is -EINVAL, end being the last byte of the last
 * whole page asked for.
 */
static int memfd_pin_check(struct iopt_pages *pages, u64 last_needed)
{
	u64 end = pages->start + (last_needed + 1) * IOMMUFD_PAGE_SIZE - 1;

	if (!pages->file->shmem)
		return iommu_refuse(pages->m, -EINVAL, "memfd_pin_folios",
				    "%s is not a shmem or hugetlbfs file",
				    pages->file->name);
	if (end >= pages->file->size)
		return iommu_refuse(pages->m, -EINVAL, "memfd_pin_folios",
				    "end 0x%llx >= i_size 0x%llx",
				    (unsigned long long)end,
				    (unsigned long long)pages->file->size);
	return 0;
}

/* Pin the area's pages once more: all of them, or none and -EFAULT
 * (-EINVAL for a file, memfd_pin_check()). */
static int iopt_pages_pin(struct iopt_pages *pages, u64 first, u64 last)
{
	u64 last_needed = 0;
	bool need = false;
	int rc;

	if (!pages->pin_count) {
		/* the model's per-page pin records: past the memory budget
		 * the pin fails as the kernel's batch allocation would */
		if (!physmem_may_charge(pages->m->physmem,
					pages->npages * sizeof(unsigned int)))
			return iommu_refuse(pages->m, -ENOMEM,
					    "pfn_reader_user_init",
					    "%llu pages to pin are past the "
					    "memory budget",
					    (unsigned long long)pages->npages);
		physmem_charge(pages->m->physmem,
			       pages->npages * sizeof(unsigned int));
		pages->pin_count = g_new0(unsigned int, pages->npages);
	}
	for (u64 i = first; i <= last; i++) {
		if (!pages->pin_count[i]) {
			need = true;
			last_needed = i;
		}
	}
	if (need && pages->type == IOPT_ADDRESS_FILE) {
		rc = memfd_pin_check(pages, last_needed);
		if (rc)
			return rc;
	}
	/* a user mapping of a process that exited: mmget_not_zero() fails */
	if (need && pages->type == IOPT_ADDRESS_USER &&
	    pages->source_task->exited)
		return iommu_refuse(pages->m, -EFAULT, "pfn_reader_user_pin",
				    "the process that mapped it has exited "
				    "(mmget_not_zero() fails)");
	for (u64 i = first; i <= last; i++) {
		if (!pages->pin_count[i] && !iopt_pages_index_to_pa(pages, i))
			return iommu_refuse(pages->m, -EFAULT,
					    "pfn_reader_user_pin",
					    "page %llu of the mapping cannot "
					    "be pinned",
					    (unsigned long long)i);
	}
	if (need && fault_should_fail(&pages->m->fault, "pfn_reader_user_pin"))
		return -EFAULT;
	for (u64 i = first; i <= last; i++) {
		if (!pages->pin_count[i]++)
			pages->npinned++;
	}
	return 0;
}

static void iopt_pages_unpin(struct iopt_pages *pages, u64 first, u64 last)
{
	for (u64 i = first; i <= last; i++) {
		if (!--pages->pin_count[i])
			pages->npinned--;
	}
}

static u64 *account_counter(struct process *task, u8 account_mode)
{
	switch (account_mode) {
	case IOPT_PAGES_ACCOUNT_USER:
		return &task->user->locked_vm;
	case IOPT_PAGES_ACCOUNT_MM:
		return &task->mm_locked_vm;
	default:
		return NULL;
	}
}

/*
 * iopt_pages_update_pinned() for @task: charge (@inc) or uncharge @n
 * pages: user->locked_vm (incr_user_locked_vm()) or mm->locked_vm
 * (__account_locked_vm()) by @account_mode, against the task's
 * RLIMIT_MEMLOCK, then mm->pinned_vm. A refused charge changes nothing.
 */
int iopt_account_pinned(struct iommu_model *m, struct process *task,
			u8 account_mode, u64 n, bool inc)
{
	u64 *counter = account_counter(task, account_mode);
	u64 limit = task->rlimit_memlock >> IOMMUFD_PAGE_SHIFT;

	if (!inc) {
		if (counter && !IOMMU_WARN_ON(m, *counter < n))
			*counter -= n;
		task->pinned_vm -= n;
		return 0;
	}
	if (counter && *counter + n > limit)
		return iommu_refuse(m, -ENOMEM, "iopt_pages_update_pinned",
				    "%llu pages locked + %llu exceeds "
				    "RLIMIT_MEMLOCK (%llu pages)",
				    (unsigned long long)*counter,
				    (unsigned long long)n,
				    (unsigned long long)limit);
	if (counter)
		*counter += n;
	task->pinned_vm += n;
	return 0;
}

/*
 * pfn_reader_user_update_pinned(): charge or uncharge the change since
 * last time; a refused charge changes nothing (the caller unpins what it
 * just pinned).
 */
static int iopt_pages_update_pinned(struct iopt_pages *pages)
{
	bool inc = pages->npinned > pages->last_npinned;
	u64 n;
	int rc;

	if (pages->npinned == pages->last_npinned)
		return 0;
	if (inc && fault_should_fail(&pages->m->fault,
				     "pfn_reader_user_update_pinned"))
		return -ENOMEM;
	n = inc ? pages->npinned - pages->last_npinned
		: pages->last_npinned - pages->npinned;
	rc = iopt_account_pinned(pages->m, pages->source_task,
				 pages->account_mode, n, inc);
	if (rc)
		return rc;
	pages->last_npinned = pages->npinned;
	return 0;
}

/*
 * batch_to_domain(): the area's pages into @domain, each physically
 * contiguous run in one iommu_map() (page by page when the IOAS has large
 * pages off: batch_iommu_map_small()); on failure what was mapped is
 * unmapped again.
 */
static int area_map_domain(struct iopt_area *area, struct iopt_pages *pages,
			   struct iommu_domain *domain)
{
	struct io_pagetable *iopt = area->iopt;
	u64 first = area_first_index(area), last = area_last_index(area);
	u64 i = first;
	int rc;

	while (i <= last) {
		u64 pa = iopt_pages_index_to_pa(pages, i), n = 1;

		while (!iopt->disable_large_pages && i + n <= last &&
		       iopt_pages_index_to_pa(pages, i + n) ==
			       pa + n * IOMMUFD_PAGE_SIZE)
			n++;
		rc = iommu_map(iopt->m, domain, area_index_to_iova(area, i), pa,
			       n * IOMMUFD_PAGE_SIZE, area->iommu_prot);
		if (rc) {
			if (i != first)
				iommu_unmap(iopt->m, domain,
					    area_index_to_iova(area, first),
					    (i - first) * IOMMUFD_PAGE_SIZE);
			return rc;
		}
		i += n;
	}
	return 0;
}

void iopt_area_unmap_domain(struct iopt_area *area, struct iommu_domain *domain)
{
	u64 first = area_first_index(area), last = area_last_index(area);

	iommu_unmap(area->iopt->m, domain, area_index_to_iova(area, first),
		    (last - first + 1) * IOMMUFD_PAGE_SIZE);
}

/* Pin (if no domain holds the area yet), map, charge; or nothing. */
int iopt_area_fill_domain(struct iopt_area *area, struct iommu_domain *domain)
{
	struct iopt_pages *pages = area->pages;
	bool pin = !area->storage_domain;
	int rc;

	if (pin) {
		rc = iopt_pages_pin(pages, area_first_index(area),
				    area_last_index(area));
		if (rc)
			return rc;
	}
	rc = area_map_domain(area, pages, domain);
	if (rc)
		goto out_unpin;
	rc = iopt_pages_update_pinned(pages);
	if (rc)
		goto out_unmap;
	return 0;

out_unmap:
	iopt_area_unmap_domain(area, domain);
out_unpin:
	if (pin)
		iopt_pages_unpin(pages, area_first_index(area),
				 area_last_index(area));
	return rc;
}

/*
 * iopt_area_fill_domains(): a new area (area->pages still NULL) into every
 * domain of its table, the first of which becomes its storage domain.
 * With no domain nothing is pinned: the pages stay a lazy reference.
 */
int iopt_area_fill_domains(struct iopt_area *area, struct iopt_pages *pages)
{
	GPtrArray *domains = area->iopt->domains;
	unsigned int done;
	int rc;

	if (!domains->len)
		return 0;
	rc = iopt_pages_pin(pages, area_first_index(area),
			    area_last_index(area));
	if (rc)
		return rc;
	for (done = 0; done < domains->len; done++) {
		rc = area_map_domain(area, pages, domains->pdata[done]);
		if (rc)
			goto out_unmap;
	}
	rc = iopt_pages_update_pinned(pages);
	if (rc)
		goto out_unmap;
	area->storage_domain = domains->pdata[0];
	return 0;

out_unmap:
	while (done--)
		iopt_area_unmap_domain(area, domains->pdata[done]);
	iopt_pages_unpin(pages, area_first_index(area), area_last_index(area));
	return rc;
}

static void area_unpin(struct iopt_area *area, struct iopt_pages *pages)
{
	iopt_pages_unpin(pages, area_first_index(area), area_last_index(area));
	iopt_pages_update_pinned(pages); /* an uncharge cannot fail */
}

/* iopt_area_unfill_domains(): out of every domain, pins dropped */
void iopt_area_unfill_domains(struct iopt_area *area, struct iopt_pages *pages)
{
	GPtrArray *domains = area->iopt->domains;

	if (!area->storage_domain)
		return;
	for (unsigned int i = 0; i < domains->len; i++)
		iopt_area_unmap_domain(area, domains->pdata[i]);
	area_unpin(area, pages);
	area->storage_domain = NULL;
}

/* iopt_area_unfill_domain(): out of its last domain, pins dropped */
void iopt_area_unfill_domain(struct iopt_area *area, struct iopt_pages *pages,
			     struct iommu_domain *domain)
{
	iopt_area_unmap_domain(area, domain);
	area_unpin(area, pages);
}

/* ---- in-kernel accesses (iopt_area_add_access() and friends) ---- */

/* iopt_pages_get_exact_access() */
static struct iopt_pages_access *get_exact_access(struct iopt_pages *pages,
						  u64 start, u64 last)
{
	for (guint i = 0; pages->accesses && i < pages->accesses->len; i++) {
		struct iopt_pages_access *a = pages->accesses->pdata[i];

		if (a->start == start && a->last == last)
			return a;
	}
	return NULL;
}

static void fill_pa(struct iopt_pages *pages, u64 start, u64 last, u64 *out)
{
	for (u64 i = start; out && i <= last; i++)
		*out++ = iopt_pages_index_to_pa(pages, i);
}

/*
 * iopt_area_add_access(): a second user of the same exact range shares
 * its record (the pages are pinned once for it); a new range pins and
 * charges (iopt_pages_fill_xarray()), or changes nothing.
 */
int iopt_area_add_access(struct iopt_area *area, u64 start_index,
			 u64 last_index, u64 *out_pa, unsigned int flags,
			 bool lock_area)
{
	struct iopt_pages *pages = area->pages;
	struct iopt_pages_access *access;
	int rc;

	if ((flags & IOMMUFD_ACCESS_RW_WRITE) && !pages->writable)
		return iommu_refuse(pages->m, -EPERM, "iopt_area_add_access",
				    "a write access to read-only pages");
	access = get_exact_access(pages, start_index, last_index);
	if (!access) {
		if (fault_should_fail(&pages->m->fault, "iopt_area_add_access"))
			return -ENOMEM; /* kzalloc */
		rc = iopt_pages_pin(pages, start_index, last_index);
		if (rc)
			return rc;
		rc = iopt_pages_update_pinned(pages);
		if (rc) {
			iopt_pages_unpin(pages, start_index, last_index);
			return rc;
		}
		access = g_new0(struct iopt_pages_access, 1);
		access->start = start_index;
		access->last = last_index;
		if (!pages->accesses)
			pages->accesses =
				g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(pages->accesses, access);
	}
	access->users++;
	area->num_accesses++;
	if (lock_area)
		area->num_locks++;
	fill_pa(pages, start_index, last_index, out_pa);
	return 0;
}

/* iopt_area_remove_access(): the last user unpins and uncharges */
void iopt_area_remove_access(struct iopt_area *area, u64 start_index,
			     u64 last_index, bool unlock_area)
{
	struct iopt_pages *pages = area->pages;
	struct iopt_pages_access *access =
		get_exact_access(pages, start_index, last_index);

	if (IOMMU_WARN_ON(pages->m, !access))
		return;
	IOMMU_WARN_ON(pages->m, area->num_accesses == 0);
	if (unlock_area) {
		IOMMU_WARN_ON(pages->m, area->num_locks == 0);
		area->num_locks--;
	}
	area->num_accesses--;
	if (--access->users)
		return;
	iopt_pages_unpin(pages, start_index, last_index);
	iopt_pages_update_pinned(pages); /* an uncharge cannot fail */
	g_ptr_array_remove(pages->accesses, access);
}

/* One page's part of a copy, through the page's modelled PA */
static int rw_physmem(struct iopt_pages *pages, u64 index, u64 offset,
		      void *data, u64 len, bool write)
{
	u64 pa = iopt_pages_index_to_pa(pages, index);

	if (!pa)
		return iommu_refuse(pages->m, -EFAULT, "iopt_pages_rw_slow",
				    "page %llu is not there to pin",
				    (unsigned long long)index);
	return write ? physmem_write(pages->m->physmem, pa + offset, data, len)
		     : physmem_read(pages->m->physmem, pa + offset, data, len);
}

/*
 * iopt_pages_rw_access(): user pages are copied through the source
 * process's memory (copy_to_user()/copy_from_user() on uptr, or the
 * remote-mm paths, which land on the same pages): process_access_vm().
 * File pages (iopt_pages_rw_slow()) and a process whose memory has no
 * contents of its own (a scenario's) go through the modelled physmem at
 * each page's PA.
 */
int iopt_pages_rw_access(struct iopt_pages *pages, u64 start_byte, void *data,
			 u64 length, unsigned int flags)
{
	bool write = flags & IOMMUFD_ACCESS_RW_WRITE;
	int rc = 0;

	if (write && !pages->writable)
		return iommu_refuse(pages->m, -EPERM, "iopt_pages_rw_access",
				    "a write to read-only pages");
	if (pages->type == IOPT_ADDRESS_USER && pages->source_task->access_vm)
		return process_access_vm(pages->source_task,
					 pages->uptr + start_byte, data, length,
					 write);
	while (length && !rc) {
		u64 off = start_byte % IOMMUFD_PAGE_SIZE;
		u64 n = MIN(length, IOMMUFD_PAGE_SIZE - off);

		rc = rw_physmem(pages, start_byte / IOMMUFD_PAGE_SIZE, off,
				data, n, write);
		data = (u8 *)data + n;
		start_byte += n;
		length -= n;
	}
	return rc;
}
