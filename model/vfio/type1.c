// SPDX-License-Identifier: MIT
/*
 * type1.c - the DMA mappings of VFIO's type1 IOMMU driver (Linux 7.3
 * drivers/vfio/vfio_iommu_type1.c) behind a native container:
 * VFIO_IOMMU_MAP_DMA, VFIO_IOMMU_UNMAP_DMA, VFIO_IOMMU_GET_INFO, the
 * replay of existing mappings into a group's new domain and the unmap of
 * everything when the last domain goes, the VADDR update (UNMAP VADDR
 * invalidates a mapping's vaddr, MAP VADDR gives it a new one) and
 * The domains themselves are container.c's; this file owns the vfio_dma
 * list; the IOVA list and the checks of a group joining a container that
 * has mappings are type1_iova.c's, dirty page tracking type1_dirty.c's.
 *
 * Pinning is the caller process's (model/iommufd/process.c): each page's
 * PA from its VMAs, charged to mm->locked_vm against RLIMIT_MEMLOCK unless
 * CAP_IPC_LOCK (vfio_pin_pages_remote(), vfio_lock_acct()); a MAP VADDR
 * from another process moves the charge to it (vfio_change_dma_owner()),
 * and the pages of an owner that exited are given back to no one
 * (vfio_lock_acct(): mmget_not_zero() fails). Not modelled: emulated
 * (mdev) groups and the pinning through vfio_pin_pages() they do.
 */
#include <string.h>

#include "vfio/type1_private.h"
#include "state.h"
#include "pt/amdv1.h"
#include "pt/physmem.h"

struct vfio_iommu *vfio_type1_open(struct vfio *v, bool v2)
{
	struct vfio_iommu *t1 = g_new0(struct vfio_iommu, 1);

	t1->vfio = v;
	t1->v2 = v2;
	t1->dma_list = g_ptr_array_new();
	t1->dma_avail = T1_DMA_ENTRY_LIMIT;
	t1->aper_end = T1_U64_MAX;
	return t1;
}

u64 vfio_type1_hash(const struct vfio_iommu *t1, u64 h)
{
	h = iommu_hash_mix(h, t1->v2);
	h = iommu_hash_mix(h, t1->dma_avail);
	h = iommu_hash_mix(h, t1->dirty_page_tracking);
	h = iommu_hash_mix(h, t1->aper_start);
	h = iommu_hash_mix(h, t1->aper_end);
	for (guint i = 0; i < t1->dma_list->len; i++) {
		const struct vfio_dma *d = t1->dma_list->pdata[i];

		h = iommu_hash_mix(h, d->iova);
		h = iommu_hash_mix(h, d->size);
		h = iommu_hash_mix(h, d->vaddr);
		h = iommu_hash_mix(h, d->prot | d->lock_cap << 8 |
					      d->vaddr_invalid << 9);
		for (u64 p = 0; d->pa && p < d->size >> 12; p++)
			h = iommu_hash_mix(h, d->pa[p]);
		for (u64 w = 0; w < d->bitmap_words; w++)
			h = iommu_hash_mix(h, d->bitmap[w]);
	}
	return h;
}

/* iommu->vaddr_invalid_count: a group's attach is refused (-EBUSY) */
bool vfio_type1_vaddr_invalid(const struct vfio_iommu *t1)
{
	return t1 && t1->vaddr_invalid_count;
}

/* vfio_iommu_type1_release(): the mappings went with the last domain */
void vfio_type1_release(struct vfio_iommu *t1)
{
	if (!t1)
		return;
	IOMMU_WARN_ON(t1->vfio->m, t1->dma_list->len);
	g_ptr_array_free(t1->dma_list, TRUE);
	g_free(t1);
}

static gint newest_first(gconstpointer a, gconstpointer b)
{
	const struct iommu_domain *x = a, *y = b;

	return x->obj.serial < y->obj.serial ? 1 : -1;
}

/*
 * iommu->domain_list: @domains maps each group to its domain, and groups
 * share a domain (container.c): each domain once, in the list's order.
 * vfio_iommu_type1_attach_group() list_add()s a new domain at the head
 * right after allocating it, so the list runs newest domain first: the
 * domains' serials, never their addresses (a hash table's order would
 * change which domain a group joins and the order tables are built in).
 */
GList *vfio_type1_domain_list(GHashTable *domains)
{
	g_autoptr(GList) all = g_hash_table_get_values(domains);
	GList *l = NULL;

	for (GList *it = all; it; it = it->next) {
		if (!g_list_find(l, it->data))
			l = g_list_prepend(l, it->data);
	}
	return g_list_sort(l, newest_first);
}

/* vfio_update_pgsize_bitmap(): what every domain can map, at least a
 * page; PAGE_MASK before any domain (vfio_iommu_type1_open()) */
static u64 type1_pgsize_bitmap(GHashTable *domains)
{
	GHashTableIter it;
	gpointer k, val;
	u64 bm = T1_U64_MAX;

	if (!g_hash_table_size(domains))
		return T1_PAGE_MASK;
	g_hash_table_iter_init(&it, domains);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		struct iommu_domain *d = val;

		bm &= d->pt ? d->pt->pgsize_bitmap : T1_PAGE_MASK;
	}
	if (bm & ~T1_PAGE_MASK)
		bm = (bm & T1_PAGE_MASK) | T1_PAGE_SIZE;
	return bm;
}

u64 vfio_type1_min_pgsize(GHashTable *domains)
{
	return 1ull << __builtin_ctzll(type1_pgsize_bitmap(domains));
}

struct vfio_dma *vfio_find_dma(struct vfio_iommu *t1, u64 start, u64 size)
{
	for (guint i = 0; i < t1->dma_list->len; i++) {
		struct vfio_dma *dma = t1->dma_list->pdata[i];

		if (start + size - 1 >= dma->iova &&
		    start <= dma->iova + dma->size - 1)
			return dma;
	}
	return NULL;
}

static gint dma_cmp(gconstpointer a, gconstpointer b)
{
	const struct vfio_dma *x = *(struct vfio_dma *const *)a;
	const struct vfio_dma *y = *(struct vfio_dma *const *)b;

	return x->iova < y->iova ? -1 : x->iova > y->iova;
}

/* vfio_iommu_map() of one domain: each physically contiguous run */
static int type1_map_domain(struct iommu_model *m, struct iommu_domain *d,
			    const struct vfio_dma *dma)
{
	u64 npages = dma->size / T1_PAGE_SIZE, run;
	int ret;

	for (u64 i = 0; i < npages; i += run) {
		for (run = 1;
		     i + run < npages &&
		     dma->pa[i + run] == dma->pa[i] + run * T1_PAGE_SIZE;
		     run++)
			;
		ret = iommu_map(m, d, dma->iova + i * T1_PAGE_SIZE, dma->pa[i],
				run * T1_PAGE_SIZE, dma->prot | IOMMU_CACHE);
		if (ret) {
			if (i)
				iommu_unmap(m, d, dma->iova, i * T1_PAGE_SIZE);
			return ret;
		}
	}
	return 0;
}

/* vfio_iommu_map() over every domain, unwinding the ones done */
static int type1_map_all(struct vfio_iommu *t1, GHashTable *domains,
			 const struct vfio_dma *dma)
{
	struct iommu_model *m = t1->vfio->m;
	g_autoptr(GList) l = vfio_type1_domain_list(domains);
	int ret = 0;

	for (GList *it = l; it; it = it->next) {
		ret = type1_map_domain(m, it->data, dma);
		if (!ret)
			continue;
		for (GList *u = l; u != it; u = u->next)
			iommu_unmap(m, u->data, dma->iova, dma->size);
		break;
	}
	return ret;
}

/*
 * vfio_pin_pages_remote(): every page must be mapped (writable for a
 * device write: FOLL_WRITE), and the locked_vm it adds stays under
 * RLIMIT_MEMLOCK unless CAP_IPC_LOCK. A page of a VM_PFNMAP VMA (a VFIO
 * BAR's mmap) is not pinned but read by vaddr_get_pfns()'s
 * follow_fault_pfn(); its pfn has no struct page (is_invalid_reserved_pfn())
 * so it is not counted ("if (!rsvd ...)"). Fills dma->pa and
 * dma->locked_vm (what vfio_lock_acct() will charge); charges nothing.
 */
static int type1_pin(struct iommu_model *m, struct process *task,
		     struct vfio_dma *dma)
{
	u64 npages = dma->size / T1_PAGE_SIZE;
	u64 limit = task->rlimit_memlock == RLIM_INFINITY
			    ? T1_U64_MAX
			    : task->rlimit_memlock / T1_PAGE_SIZE;

	dma->locked_vm = 0;
	for (u64 i = 0; i < npages; i++) {
		u64 va = dma->vaddr + i * T1_PAGE_SIZE;
		bool writable = false;

		dma->pa[i] = process_va_to_pa(task, va, &writable);
		dma->locked_vm += dma->pa[i] && !process_va_is_pfnmap(task, va);
		if (!dma->pa[i] || ((dma->prot & IOMMU_WRITE) && !writable))
			return iommu_refuse(
				m, -EFAULT, "vaddr_get_pfns",
				"vaddr 0x%llx is not mapped%s",
				(unsigned long long)(dma->vaddr +
						     i * T1_PAGE_SIZE),
				dma->pa[i] ? " writable" : "");
	}
	if (!dma->lock_cap && task->mm_locked_vm + dma->locked_vm > limit)
		return iommu_refuse(m, -ENOMEM, "vfio_pin_pages_remote",
				    "locked memory limit exceeded: %llu + "
				    "%llu pages > %llu",
				    (unsigned long long)task->mm_locked_vm,
				    (unsigned long long)dma->locked_vm,
				    (unsigned long long)limit);
	return 0;
}

static void dma_free(struct vfio_dma *dma)
{
	vfio_dma_bitmap_free(dma);
	physmem_uncharge(dma->budget, dma->size / T1_PAGE_SIZE * sizeof(u64));
	process_put(dma->task);
	g_free(dma->pa);
	g_free(dma);
}

/* vfio_remove_dma(): unmap from every domain, unpin, uncharge */
static void vfio_remove_dma(struct vfio_iommu *t1, GHashTable *domains,
			    struct vfio_dma *dma)
{
	g_autoptr(GList) l = vfio_type1_domain_list(domains);

	for (GList *it = l; it; it = it->next)
		iommu_unmap(t1->vfio->m, it->data, dma->iova, dma->size);
	/* vfio_lock_acct(dma, -unlocked, true): -ESRCH, nothing given back,
	 * once the owner's mm is gone */
	if (!dma->task->exited)
		dma->task->mm_locked_vm -= dma->locked_vm;
	if (dma->vaddr_invalid)
		t1->vaddr_invalid_count--;
	g_ptr_array_remove(t1->dma_list, dma);
	t1->dma_avail++;
	dma_free(dma);
}

/* the checks of vfio_dma_do_map() before anything is allocated */
static int map_check(struct vfio_iommu *t1, GHashTable *domains,
		     const struct vfio_iommu_type1_dma_map *map, int *prot)
{
	struct iommu_model *m = t1->vfio->m;
	u64 pgsize = vfio_type1_min_pgsize(domains);
	bool set_vaddr = map->flags & VFIO_DMA_MAP_FLAG_VADDR;

	if (!map->size)
		return -EINVAL;
	if (map->iova + (map->size - 1) < map->iova ||
	    map->vaddr + (map->size - 1) < map->vaddr)
		return -EOVERFLOW;
	*prot = (map->flags & VFIO_DMA_MAP_FLAG_WRITE ? IOMMU_WRITE : 0) |
		(map->flags & VFIO_DMA_MAP_FLAG_READ ? IOMMU_READ : 0);
	if (!!*prot == set_vaddr)
		return iommu_refuse(m, -EINVAL, "vfio_dma_do_map",
				    "READ/WRITE and VADDR: exactly one");
	if ((map->size | map->iova | map->vaddr) & (pgsize - 1))
		return iommu_refuse(m, -EINVAL, "vfio_dma_do_map",
				    "size, iova and vaddr must be aligned to "
				    "0x%llx",
				    (unsigned long long)pgsize);
	if (set_vaddr)
		return 0; /* map_set_vaddr() from here */
	if (vfio_find_dma(t1, map->iova, map->size))
		return iommu_refuse(m, -EEXIST, "vfio_dma_do_map",
				    "the range overlaps a mapping");
	if (!t1->dma_avail)
		return -ENOSPC;
	if (!vfio_type1_iova_valid(t1, domains, map->iova,
				   map->iova + map->size - 1))
		return iommu_refuse(m, -EINVAL, "vfio_iommu_iova_dma_valid",
				    "the range is not inside one IOVA range "
				    "(aperture, reserved regions)");
	return 0;
}

/* vfio_dma_do_map() with VFIO_DMA_MAP_FLAG_VADDR: exactly an
 * invalidated mapping gets its new vaddr; the pages pinned at the first
 * map and the IOMMU entries stay (vfio_change_dma_owner(): the same mm
 * moves nothing) */
/*
 * vfio_change_dma_owner(): a MAP VADDR from another mm (the model has no
 * threads: another process) moves the mapping's locked_vm charge to the
 * caller, against its RLIMIT_MEMLOCK unless CAP_IPC_LOCK
 * (mm_lock_acct() -> __account_locked_vm()), and gives it back to the
 * old owner unless that one's mm is gone (mmget_not_zero()); the caller
 * is the owner from then on (dma->task, dma->mm, dma->lock_cap).
 */
static int vfio_change_dma_owner(struct vfio_iommu *t1, struct vfio_dma *dma,
				 struct process *task)
{
	bool lock_cap = capable(task, CAP_IPC_LOCK);
	u64 limit = task->rlimit_memlock == RLIM_INFINITY
			    ? T1_U64_MAX
			    : task->rlimit_memlock / T1_PAGE_SIZE;

	if (task == dma->task)
		return 0;
	if (!lock_cap && task->mm_locked_vm + dma->locked_vm > limit)
		return iommu_refuse(t1->vfio->m, -ENOMEM, "__account_locked_vm",
				    "the new owner's locked memory limit: "
				    "%llu + %llu pages > %llu",
				    (unsigned long long)task->mm_locked_vm,
				    (unsigned long long)dma->locked_vm,
				    (unsigned long long)limit);
	task->mm_locked_vm += dma->locked_vm;
	if (!dma->task->exited)
		dma->task->mm_locked_vm -= dma->locked_vm;
	process_put(dma->task);
	dma->task = process_get(task);
	dma->lock_cap = lock_cap;
	return 0;
}

static int map_set_vaddr(struct vfio_iommu *t1, struct process *task,
			 const struct vfio_iommu_type1_dma_map *map)
{
	struct vfio_dma *dma = vfio_find_dma(t1, map->iova, map->size);
	struct iommu_model *m = t1->vfio->m;
	int ret;

	if (!dma)
		return iommu_refuse(m, -ENOENT, "vfio_dma_do_map",
				    "VADDR: no mapping in the range");
	if (!dma->vaddr_invalid || dma->iova != map->iova ||
	    dma->size != map->size)
		return iommu_refuse(m, -EINVAL, "vfio_dma_do_map",
				    "VADDR: the range must be exactly a "
				    "mapping whose vaddr UNMAP VADDR "
				    "invalidated");
	ret = vfio_change_dma_owner(t1, dma, task);
	if (ret)
		return ret;
	dma->vaddr = map->vaddr;
	dma->vaddr_invalid = false;
	t1->vaddr_invalid_count--;
	return 0;
}

/* vfio_dma_do_map(): reserve (pin, check), map every domain, publish */
static int vfio_dma_do_map(struct vfio_iommu *t1, GHashTable *domains,
			   struct process *task,
			   const struct vfio_iommu_type1_dma_map *map)
{
	struct iommu_model *m = t1->vfio->m;
	struct vfio_dma *dma;
	int prot = 0, ret;

	ret = map_check(t1, domains, map, &prot);
	if (ret)
		return ret;
	if (map->flags & VFIO_DMA_MAP_FLAG_VADDR)
		return map_set_vaddr(t1, task, map);
	if (fault_should_fail(&m->fault, "vfio_dma_do_map"))
		return -ENOMEM;
	/* the model's record of the pinned pages, 8 bytes a page: past the
	 * memory budget the map fails as a failed allocation would */
	if (!physmem_may_charge(m->physmem,
				map->size / T1_PAGE_SIZE * sizeof(u64)))
		return iommu_refuse(m, -ENOMEM, "vfio_dma_do_map",
				    "0x%llx bytes of pinned pages are past the "
				    "memory budget",
				    (unsigned long long)map->size);
	dma = g_new0(struct vfio_dma, 1);
	dma->budget = m->physmem;
	physmem_charge(dma->budget, map->size / T1_PAGE_SIZE * sizeof(u64));
	dma->iova = map->iova;
	dma->vaddr = map->vaddr;
	dma->size = map->size;
	dma->prot = prot;
	dma->lock_cap = capable(task, CAP_IPC_LOCK);
	dma->task = process_get(task);
	dma->pa = g_new0(u64, map->size / T1_PAGE_SIZE);
	ret = type1_pin(m, task, dma);
	if (!ret)
		ret = type1_map_all(t1, domains, dma);
	if (ret) {
		dma_free(dma);
		return ret;
	}
	dma->iommu_mapped = true;
	task->mm_locked_vm += dma->locked_vm; /* vfio_lock_acct() */
	t1->dma_avail--;
	g_ptr_array_add(t1->dma_list, dma);
	g_ptr_array_sort(t1->dma_list, dma_cmp);
	/* a mapping made while tracking gets its bitmap; without one it goes
	 * again (vfio_remove_dma()) */
	if (t1->dirty_page_tracking) {
		ret = vfio_dma_bitmap_alloc(t1, dma,
					    vfio_type1_min_pgsize(domains));
		if (ret)
			vfio_remove_dma(t1, domains, dma);
	}
	return ret;
}

/* the iova/size checks of vfio_dma_do_unmap(); *end the last IOVA */
static int unmap_check(struct vfio_iommu *t1, GHashTable *domains,
		       const struct vfio_iommu_type1_dma_unmap *u,
		       const struct vfio_bitmap *bitmap, u64 *end)
{
	u64 pgsize = vfio_type1_min_pgsize(domains);
	struct vfio_dma *dma;

	if (u->iova & (pgsize - 1))
		return -EINVAL;
	if (u->flags & VFIO_DMA_UNMAP_FLAG_ALL) {
		*end = T1_U64_MAX;
		return u->iova || u->size ? -EINVAL : 0;
	}
	if (!u->size || (u->size & (pgsize - 1)))
		return -EINVAL;
	if (u->iova + (u->size - 1) < u->iova)
		return -EOVERFLOW;
	*end = u->iova + u->size - 1;
	/* "When dirty tracking is enabled, allow only min supported pgsize" */
	if (bitmap && (!t1->dirty_page_tracking || bitmap->pgsize != pgsize))
		return iommu_refuse(t1->vfio->m, -EINVAL, "vfio_dma_do_unmap",
				    "GET_DIRTY_BITMAP: dirty tracking is off "
				    "or bitmap.pgsize is not 0x%llx",
				    (unsigned long long)pgsize);
	if (!t1->v2)
		return 0;
	/* v2: no mapping may be bisected by the range */
	dma = vfio_find_dma(t1, u->iova, 1);
	if (dma && dma->iova != u->iova)
		return iommu_refuse(t1->vfio->m, -EINVAL, "vfio_dma_do_unmap",
				    "the range starts inside a mapping");
	dma = vfio_find_dma(t1, *end, 1);
	if (dma && dma->iova + dma->size - 1 != *end)
		return iommu_refuse(t1->vfio->m, -EINVAL, "vfio_dma_do_unmap",
				    "the range ends inside a mapping");
	return 0;
}

/* UNMAP VADDR met an already invalid vaddr: the ones this call
 * invalidated, dma_list[first..last), are valid again */
static int vaddr_rollback(struct vfio_iommu *t1, guint first, guint last)
{
	for (guint i = first; i < last; i++) {
		struct vfio_dma *dma = t1->dma_list->pdata[i];

		dma->vaddr_invalid = false;
		t1->vaddr_invalid_count--;
	}
	return iommu_refuse(t1->vfio->m, -EINVAL, "vfio_dma_do_unmap",
			    "VADDR: a mapping's vaddr is already invalid");
}

/* vfio_dma_do_unmap(): the bytes unmapped (or, with VADDR, whose vaddr
 * was invalidated) go back in unmap->size, 0 on failure; with @bitmap
 * each mapping's dirty pages are copied out before it goes */
static int vfio_dma_do_unmap(struct vfio_iommu *t1, GHashTable *domains,
			     struct process *task,
			     struct vfio_iommu_type1_dma_unmap *u,
			     const struct vfio_bitmap *bitmap)
{
	bool invalidate = u->flags & VFIO_DMA_UNMAP_FLAG_VADDR;
	u64 end = 0, unmapped = 0;
	int ret = unmap_check(t1, domains, u, bitmap, &end), first = -1;

	for (guint i = 0; !ret && i < t1->dma_list->len;) {
		struct vfio_dma *dma = t1->dma_list->pdata[i];

		if (dma->iova + dma->size - 1 < u->iova) {
			i++;
			continue;
		}
		/* v1: a range starting after a mapping's first IOVA stops */
		if (dma->iova > end || (!t1->v2 && u->iova > dma->iova))
			break;
		if (first < 0)
			first = (int)i;
		if (invalidate && dma->vaddr_invalid) {
			ret = vaddr_rollback(t1, (guint)first, i);
			unmapped = 0;
		} else if (invalidate) {
			dma->vaddr_invalid = true;
			t1->vaddr_invalid_count++;
			unmapped += dma->size;
			i++;
		} else if (!bitmap ||
			   !(ret = vfio_update_user_bitmap(
				     t1, domains, task, dma, bitmap->data,
				     u->iova, bitmap->pgsize))) {
			unmapped += dma->size;
			vfio_remove_dma(t1, domains, dma);
		}
	}
	u->size = unmapped;
	return ret;
}

/* vfio_iommu_unmap_unpin_all(): the last domain is leaving */
void vfio_type1_unmap_unpin_all(struct vfio_iommu *t1, GHashTable *domains)
{
	while (t1 && t1->dma_list->len)
		vfio_remove_dma(t1, domains, t1->dma_list->pdata[0]);
}

/* vfio_iommu_replay(): a group's new domain gets every mapping */
int vfio_type1_replay(struct vfio_iommu *t1, struct iommu_domain *domain)
{
	struct iommu_model *m = t1->vfio->m;
	int ret;

	for (guint i = 0; i < t1->dma_list->len; i++) {
		ret = type1_map_domain(m, domain, t1->dma_list->pdata[i]);
		if (ret) {
			while (i--) {
				struct vfio_dma *dma = t1->dma_list->pdata[i];

				iommu_unmap(m, domain, dma->iova, dma->size);
			}
			return ret;
		}
	}
	return 0;
}

/* the capability chain of vfio_iommu_type1_get_info(): migration,
 * dma_avail, iova_range, each 8-byte aligned and linked by offset */
static size_t type1_caps(struct vfio_iommu *t1, GHashTable *domains, char *buf)
{
	g_autoptr(GArray) list = vfio_type1_iova_list(t1, domains);
	struct vfio_iommu_type1_info_cap_migration mig = {
		.header = { VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 1, 0 },
		.pgsize_bitmap = vfio_type1_min_pgsize(domains),
		.max_dirty_bitmap_size = T1_DIRTY_BITMAP_SIZE_MAX,
	};
	struct vfio_iommu_type1_info_dma_avail avail = {
		.header = { VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1, 0 },
		.avail = t1->dma_avail,
	};
	struct vfio_iommu_type1_info_cap_iova_range iova = {
		.header = { VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1, 0 },
		.nr_iovas = list->len,
	};
	size_t off = sizeof(struct vfio_iommu_type1_info);
	size_t o_avail = off + ALIGN8(sizeof(mig));
	size_t o_iova = o_avail + ALIGN8(sizeof(avail));
	size_t total = o_iova + sizeof(iova) +
		       list->len * sizeof(struct vfio_iova_range);

	if (buf) {
		mig.header.next = o_avail;
		avail.header.next = o_iova;
		memcpy(buf + off, &mig, sizeof(mig));
		memcpy(buf + o_avail, &avail, sizeof(avail));
		memcpy(buf + o_iova, &iova, sizeof(iova));
		memcpy(buf + o_iova + sizeof(iova), list->data,
		       list->len * sizeof(struct vfio_iova_range));
	}
	return total - off;
}

/* the start of both GET_INFOs (vfio_iommu_type1_get_info(),
 * iommufd_vfio_iommu_get_info()): argsz .. iova_pgsizes copied in, argsz
 * checked, *minsz what is copied back out */
int vfio_iommu_info_head(struct vfio_iommu_type1_info *info, const void *arg,
			 size_t len, size_t *minsz)
{
	*minsz = offsetof(struct vfio_iommu_type1_info, cap_offset);
	memset(info, 0, sizeof(*info));
	if (len < *minsz)
		return -EFAULT;
	memcpy(info, arg, *minsz);
	if (info->argsz < *minsz)
		return -EINVAL;
	*minsz = MIN((size_t)info->argsz, sizeof(*info));
	return 0;
}

/* vfio_iommu_type1_get_info(): argsz grows to what the caps need when
 * it is too small; only min(argsz, sizeof(info)) bytes are written */
static int type1_get_info(struct vfio_iommu *t1, GHashTable *domains, void *arg,
			  size_t len)
{
	struct vfio_iommu_type1_info info;
	size_t minsz, caps;
	int ret = vfio_iommu_info_head(&info, arg, len, &minsz);

	if (ret)
		return ret;
	info.flags = VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS;
	info.iova_pgsizes = type1_pgsize_bitmap(domains);
	caps = type1_caps(t1, domains, NULL);
	if (info.argsz < sizeof(info) + caps) {
		info.argsz = sizeof(info) + caps;
	} else {
		if (len < sizeof(info) + caps)
			return -EFAULT;
		type1_caps(t1, domains, arg);
		info.cap_offset = sizeof(info);
	}
	if (len < minsz)
		return -EFAULT;
	memcpy(arg, &info, minsz);
	return 0;
}

/* vfio_iommu_type1_unmap_dma(): the flags; GET_DIRTY_BITMAP alone,
 * with a struct vfio_bitmap behind the struct for the range; the
 * kernel's copy of the struct goes back only on success */
static int type1_unmap_ioctl(struct vfio_iommu *t1, GHashTable *domains,
			     struct process *task, void *arg, size_t len)
{
	const u32 mask = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
			 VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR;
	const size_t minsz = offsetof(struct vfio_iommu_type1_dma_unmap, data);
	struct vfio_iommu_type1_dma_unmap u;
	struct vfio_bitmap bitmap;
	bool get_dirty;
	int ret;

	if (len < minsz)
		return -EFAULT;
	memcpy(&u, arg, minsz);
	get_dirty = u.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	if (u.argsz < minsz || (u.flags & ~mask))
		return -EINVAL;
	if (get_dirty &&
	    (u.flags & (VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR)))
		return iommu_refuse(t1->vfio->m, -EINVAL,
				    "vfio_iommu_type1_unmap_dma",
				    "GET_DIRTY_BITMAP with ALL or VADDR");
	ret = get_dirty ? vfio_type1_unmap_bitmap(t1, &u, arg, len, &bitmap)
			: 0;
	if (!ret)
		ret = vfio_dma_do_unmap(t1, domains, task, &u,
					get_dirty ? &bitmap : NULL);
	if (!ret)
		memcpy(arg, &u, minsz);
	return ret;
}

/* vfio_iommu_type1_ioctl(): the three DMA ioctls; the rest -ENOTTY */
int vfio_type1_ioctl(struct vfio_iommu *t1, GHashTable *domains,
		     struct process *task, unsigned int cmd, void *arg,
		     size_t len)
{
	size_t minsz = offsetof(struct vfio_iommu_type1_dma_map, size) + 8;
	u32 argsz, flags;

	if (cmd == VFIO_IOMMU_GET_INFO)
		return type1_get_info(t1, domains, arg, len);
	if (cmd == VFIO_IOMMU_UNMAP_DMA)
		return type1_unmap_ioctl(t1, domains, task, arg, len);
	if (cmd == VFIO_IOMMU_DIRTY_PAGES)
		return vfio_type1_dirty_pages(t1, domains, task, arg, len);
	if (cmd != VFIO_IOMMU_MAP_DMA)
		return -ENOTTY;
	/* argsz, flags, then u64s ending at offset 32 */
	if (len < minsz)
		return -EFAULT;
	memcpy(&argsz, arg, sizeof(argsz));
	memcpy(&flags, (char *)arg + 4, sizeof(flags));
	return argsz < minsz || (flags & ~7u)
		       ? -EINVAL
		       : vfio_dma_do_map(t1, domains, task, arg);
}
