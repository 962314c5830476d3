// SPDX-License-Identifier: MIT
/*
 * type1_dirty.c - type1's dirty page tracking (Linux 7.3
 * drivers/vfio/vfio_iommu_type1.c): VFIO_IOMMU_DIRTY_PAGES START, STOP and
 * GET_BITMAP, and the bitmap VFIO_IOMMU_UNMAP_DMA's GET_DIRTY_BITMAP
 * copies out before each mapping goes.
 *
 * No modelled driver pins pages through vfio_pin_pages() (there are no
 * emulated/mdev groups), so no group ever gets pinned_page_dirty_scope:
 * iommu->num_non_pinned_groups counts every group of the container and
 * update_user_bitmap() reports every page of a mapping dirty at each
 * read. A mapping's own bitmap (dma->bitmap) is kept bit for bit as 7.3
 * keeps it, because what a read leaves there shows in the next read: the
 * shift of a mapping that does not start on a 64-page boundary of the
 * range is not masked (__bitmap_shift_left() of a run-time length) and
 * the clear after the read covers only the first size >> pgshift bits,
 * so the top bits the shift moved up stay set and come back, shifted
 * again, past the mapping's end in the next read's last word.
 */
#include <string.h>

#include "vfio/type1_private.h"
#include "state.h"
#include "pt/physmem.h"

#define T1_BITS 64u
/* arch/x86 __access_ok(): USER_PTR_MAX is TASK_SIZE_MAX with 4-level
 * paging, (1 << 47) - PAGE_SIZE */
#define T1_USER_PTR_MAX ((1ull << 47) - T1_PAGE_SIZE)

/* __access_ok() for a range of @size bytes at @uptr */
static bool access_ok(u64 uptr, u64 size)
{
	return uptr + size >= uptr && uptr + size <= T1_USER_PTR_MAX;
}

/* bitmap_set() / bitmap_clear() of bits [start, start + n) */
static void bits_assign(u64 *map, u64 start, u64 n, bool set)
{
	for (u64 b = start; b < start + n; b++) {
		if (set)
			map[b / T1_BITS] |= 1ull << (b % T1_BITS);
		else
			map[b / T1_BITS] &= ~(1ull << (b % T1_BITS));
	}
}

/* __bitmap_shift_left(map, map, shift, nbits), shift < 64: whole words
 * up to BITS_TO_LONGS(nbits), the last one not masked */
static void bits_shift_left(u64 *map, unsigned int shift, u64 nbits)
{
	u64 lim = (nbits + T1_BITS - 1) / T1_BITS;

	for (u64 k = lim; k-- > 0;) {
		u64 lower = k ? map[k - 1] >> (T1_BITS - shift) : 0;

		map[k] = lower | map[k] << shift;
	}
}

int vfio_dma_bitmap_alloc(struct vfio_iommu *t1, struct vfio_dma *dma,
			  u64 pgsize)
{
	u64 npages = dma->size / pgsize;
	u64 words = T1_DIRTY_BITMAP_BYTES(npages) / 8 + 1;

	if (npages > T1_DIRTY_BITMAP_PAGES_MAX)
		return iommu_refuse(t1->vfio->m, -EINVAL,
				    "vfio_dma_bitmap_alloc",
				    "0x%llx pages are past "
				    "DIRTY_BITMAP_PAGES_MAX",
				    (unsigned long long)npages);
	if (fault_should_fail(&t1->vfio->m->fault, "vfio_dma_bitmap_alloc") ||
	    !physmem_may_charge(dma->budget, words * 8))
		return -ENOMEM;
	physmem_charge(dma->budget, words * 8);
	dma->bitmap = g_new0(u64, words);
	dma->bitmap_words = words;
	return 0;
}

void vfio_dma_bitmap_free(struct vfio_dma *dma)
{
	if (!dma->bitmap)
		return;
	physmem_uncharge(dma->budget, dma->bitmap_words * 8);
	g_free(dma->bitmap);
	dma->bitmap = NULL;
	dma->bitmap_words = 0;
}

/* vfio_dma_bitmap_alloc_all(): every mapping's, or none (the ones before
 * a failure are freed again); vfio_dma_populate_bitmap() adds nothing:
 * no page is pinned through vfio_pin_pages() */
static int bitmap_alloc_all(struct vfio_iommu *t1, u64 pgsize)
{
	for (guint i = 0; i < t1->dma_list->len; i++) {
		int ret = vfio_dma_bitmap_alloc(t1, t1->dma_list->pdata[i],
						pgsize);

		if (ret) {
			while (i--)
				vfio_dma_bitmap_free(t1->dma_list->pdata[i]);
			return ret;
		}
	}
	return 0;
}

int vfio_update_user_bitmap(struct vfio_iommu *t1, GHashTable *domains,
			    struct process *task, struct vfio_dma *dma,
			    u64 uptr, u64 base_iova, u64 pgsize)
{
	unsigned int pgshift = (unsigned int)__builtin_ctzll(pgsize);
	u64 nbits = dma->size >> pgshift;
	u64 bit_offset = (dma->iova - base_iova) >> pgshift;
	u64 copy_offset = bit_offset / T1_BITS;
	unsigned int shift = bit_offset % T1_BITS;
	u64 at = uptr + copy_offset * 8, leftover;

	if (IOMMU_WARN_ON(t1->vfio->m,
			  T1_DIRTY_BITMAP_BYTES(nbits + shift) / 8 >
				  dma->bitmap_words))
		return -EFAULT;
	/* "mark all pages dirty if any IOMMU capable device is not able to
	 * report dirty pages and all pages are pinned and mapped" */
	if (g_hash_table_size(domains) && dma->iommu_mapped)
		bits_assign(dma->bitmap, 0, nbits, true);
	if (shift) {
		bits_shift_left(dma->bitmap, shift, nbits + shift);
		if (process_copy_from_user(task, &leftover, at, 8))
			return -EFAULT;
		/* bitmap_or() of BITS_TO_LONGS(shift) = one whole word */
		dma->bitmap[0] |= leftover;
	}
	return process_copy_to_user(task, at, dma->bitmap,
				    T1_DIRTY_BITMAP_BYTES(nbits + shift))
		       ? -EFAULT
		       : 0;
}

/* vfio_iova_dirty_bitmap(): the range may not bisect a mapping; each
 * mapping in it is read, then its bitmap cleared of its first
 * size >> pgshift bits and repopulated (with nothing pinned) */
static int iova_dirty_bitmap(struct vfio_iommu *t1, GHashTable *domains,
			     struct process *task, u64 uptr, u64 iova,
			     u64 iova_end, u64 pgsize)
{
	struct iommu_model *m = t1->vfio->m;
	struct vfio_dma *dma = vfio_find_dma(t1, iova, 1);
	unsigned int pgshift = (unsigned int)__builtin_ctzll(pgsize);

	if (dma && dma->iova != iova)
		return iommu_refuse(m, -EINVAL, "vfio_iova_dirty_bitmap",
				    "the range starts inside a mapping");
	dma = vfio_find_dma(t1, iova_end, 1);
	if (dma && dma->iova + dma->size - 1 != iova_end)
		return iommu_refuse(m, -EINVAL, "vfio_iova_dirty_bitmap",
				    "the range ends inside a mapping");
	for (guint i = 0; i < t1->dma_list->len; i++) {
		int ret;

		dma = t1->dma_list->pdata[i];
		if (dma->iova < iova)
			continue;
		if (dma->iova > iova_end)
			break;
		ret = vfio_update_user_bitmap(t1, domains, task, dma, uptr,
					      iova, pgsize);
		if (ret)
			return ret;
		bits_assign(dma->bitmap, 0, dma->size >> pgshift, false);
	}
	return 0;
}

/* verify_bitmap_size() */
static int verify_bitmap_size(struct iommu_model *m, u64 npages, u64 size)
{
	if (!npages || !size || size > T1_DIRTY_BITMAP_SIZE_MAX ||
	    size < T1_DIRTY_BITMAP_BYTES(npages))
		return iommu_refuse(
			m, -EINVAL, "verify_bitmap_size",
			"bitmap size 0x%llx for 0x%llx pages "
			"(needs 0x%llx, at most 0x%llx)",
			(unsigned long long)size, (unsigned long long)npages,
			(unsigned long long)T1_DIRTY_BITMAP_BYTES(npages),
			(unsigned long long)T1_DIRTY_BITMAP_SIZE_MAX);
	return 0;
}

/* the user's struct vfio_bitmap against @size bytes of IOVA: access_ok(),
 * __ffs(pgsize), verify_bitmap_size(); __ffs(0) is undefined */
static int bitmap_arg_check(struct iommu_model *m, const char *fn, u64 size,
			    const struct vfio_bitmap *b)
{
	if (!access_ok(b->data, b->size))
		return iommu_refuse(m, -EINVAL, fn,
				    "!access_ok(bitmap.data, bitmap.size)");
	if (!b->pgsize && b->size)
		return iommu_refuse(m, IOMMU_UB, fn,
				    "__ffs(bitmap.pgsize) of 0 is undefined");
	return verify_bitmap_size(
		m, b->pgsize ? size >> __builtin_ctzll(b->pgsize) : 0, b->size);
}

int vfio_type1_unmap_bitmap(struct vfio_iommu *t1,
			    const struct vfio_iommu_type1_dma_unmap *u,
			    const void *arg, size_t len,
			    struct vfio_bitmap *bitmap)
{
	const size_t minsz = offsetof(struct vfio_iommu_type1_dma_unmap, data);

	if (u->argsz < minsz + sizeof(*bitmap))
		return iommu_refuse(
			t1->vfio->m, -EINVAL, "vfio_iommu_type1_unmap_dma",
			"argsz has no room for a struct vfio_bitmap");
	if (len < minsz + sizeof(*bitmap))
		return -EFAULT;
	memcpy(bitmap, (const char *)arg + minsz, sizeof(*bitmap));
	return bitmap_arg_check(t1->vfio->m, "vfio_iommu_type1_unmap_dma",
				u->size, bitmap);
}

/* GET_BITMAP: the range behind the struct, its checks in 7.3's order,
 * then the read under iommu->lock */
static int dirty_get_bitmap(struct vfio_iommu *t1, GHashTable *domains,
			    struct process *task,
			    const struct vfio_iommu_type1_dirty_bitmap *d,
			    size_t len)
{
	const size_t minsz =
		offsetof(struct vfio_iommu_type1_dirty_bitmap, data);
	const char *f = "vfio_iommu_type1_dirty_pages";
	struct iommu_model *m = t1->vfio->m;
	struct vfio_iommu_type1_dirty_bitmap_get range;
	u64 pgsize = vfio_type1_min_pgsize(domains);
	int ret;

	if (d->argsz - minsz < sizeof(range))
		return iommu_refuse(m, -EINVAL, f,
				    "argsz has no room for a struct "
				    "vfio_iommu_type1_dirty_bitmap_get");
	if (len < minsz + sizeof(range))
		return -EFAULT;
	memcpy(&range, d->data, sizeof(range));
	if (!range.size)
		return iommu_refuse(m, -EINVAL, f, "size 0");
	if (range.iova + (range.size - 1) < range.iova)
		return -EOVERFLOW;
	ret = bitmap_arg_check(m, f, range.size, &range.bitmap);
	if (ret)
		return ret;
	if (range.bitmap.pgsize != pgsize ||
	    ((range.iova | range.size) & (pgsize - 1)))
		return iommu_refuse(m, -EINVAL, f,
				    "bitmap.pgsize, iova and size must be "
				    "the smallest IOMMU page size, 0x%llx, "
				    "and aligned to it",
				    (unsigned long long)pgsize);
	if (!t1->dirty_page_tracking)
		return iommu_refuse(m, -EINVAL, f, "dirty tracking is off");
	return iova_dirty_bitmap(t1, domains, task, range.bitmap.data,
				 range.iova, range.iova + range.size - 1,
				 pgsize);
}

/* vfio_iommu_type1_dirty_pages(): TYPE1v2 only, one flag at a time;
 * START allocates every mapping's bitmap (once: a second START keeps
 * them), STOP frees them */
int vfio_type1_dirty_pages(struct vfio_iommu *t1, GHashTable *domains,
			   struct process *task, void *arg, size_t len)
{
	struct vfio_iommu_type1_dirty_bitmap *d = arg;
	size_t minsz = offsetof(struct vfio_iommu_type1_dirty_bitmap, data);
	struct iommu_model *m = t1->vfio->m;
	const char *f = "vfio_iommu_type1_dirty_pages";
	int ret = 0;

	if (!t1->v2)
		return iommu_refuse(m, -EACCES, f, "not a TYPE1v2 container");
	if (len < minsz)
		return -EFAULT;
	/* flags 0: __ffs(0) and __fls(0) are undefined; refused here */
	if (d->argsz < minsz || (d->flags & ~7u) ||
	    __builtin_popcount(d->flags) != 1)
		return iommu_refuse(m, -EINVAL, f,
				    "argsz, or not exactly one of START, "
				    "STOP, GET_BITMAP");
	if (d->flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP)
		return dirty_get_bitmap(t1, domains, task, d, len);
	if ((d->flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_START) &&
	    !t1->dirty_page_tracking) {
		ret = bitmap_alloc_all(t1, vfio_type1_min_pgsize(domains));
		t1->dirty_page_tracking = !ret;
	} else if ((d->flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP) &&
		   t1->dirty_page_tracking) {
		t1->dirty_page_tracking = false;
		for (guint i = 0; i < t1->dma_list->len; i++)
			vfio_dma_bitmap_free(t1->dma_list->pdata[i]);
	}
	return ret;
}
