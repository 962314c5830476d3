/* SPDX-License-Identifier: MIT */
/*
 * type1_private.h - the objects of the model's vfio_iommu_type1.c, shared
 * by type1.c (the mappings) and type1_dirty.c (dirty page tracking): a
 * container's driver data (struct vfio_iommu) owns its vfio_dma list,
 * each vfio_dma its pinned pages' record and, while tracking is on, its
 * dirty bitmap.
 */
#ifndef IOMMUSIM_MODEL_VFIO_TYPE1_PRIVATE_H
#define IOMMUSIM_MODEL_VFIO_TYPE1_PRIVATE_H

#include "vfio/vfio_private.h"

/* include/linux/iommu.h */
#ifndef IOMMU_CACHE
#define IOMMU_CACHE (1 << 2)
#endif
#define T1_PAGE_SIZE 4096ull
#define T1_PAGE_MASK (~(T1_PAGE_SIZE - 1))
#define T1_U64_MAX (~0ull)
/* vfio_iommu_type1.c dma_entry_limit (U16_MAX) */
#define T1_DMA_ENTRY_LIMIT 65535u
/* DIRTY_BITMAP_BYTES(n): n bits in whole u64s, in bytes */
#define T1_DIRTY_BITMAP_BYTES(n) (((u64)(n) + 63) / 64 * 8)
/* DIRTY_BITMAP_PAGES_MAX (INT_MAX) and DIRTY_BITMAP_SIZE_MAX */
#define T1_DIRTY_BITMAP_PAGES_MAX ((u64)0x7fffffff)
#define T1_DIRTY_BITMAP_SIZE_MAX                                               \
	T1_DIRTY_BITMAP_BYTES(T1_DIRTY_BITMAP_PAGES_MAX)
#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

/* struct vfio_dma */
struct vfio_dma {
	u64 iova, size, vaddr;
	int prot;
	bool lock_cap;		/* capable(CAP_IPC_LOCK) at the map */
	bool vaddr_invalid;	/* UNMAP VADDR until MAP VADDR */
	bool iommu_mapped;	/* vfio_pin_map_dma() mapped it */
	struct process *task;	/* dma->task, dma->mm (mmgrab) */
	u64 locked_vm;		/* dma->locked_vm: pages charged to task */
	u64 *pa;		/* the pinned pages, size / 4 KiB */
	struct physmem *budget; /* what @pa and @bitmap are charged to */
	/* dma->bitmap while tracking (vfio_dma_bitmap_alloc()): @bitmap_words
	 * u64s, DIRTY_BITMAP_BYTES(pages) and one more for the shift */
	u64 *bitmap;
	u64 bitmap_words;
};

/* struct vfio_iommu: the driver data of one container */
struct vfio_iommu {
	struct vfio *vfio;
	bool v2;
	GPtrArray
		*dma_list; /* struct vfio_dma *, sorted by iova: the rb-tree */
	unsigned int dma_avail;
	unsigned int vaddr_invalid_count;
	bool dirty_page_tracking; /* DIRTY_PAGES START .. STOP */
	/* the bounds of iommu->iova_list: [0, U64_MAX] until attaches
	 * narrow them (vfio_iommu_aper_resize()) */
	u64 aper_start, aper_end;
};

/* type1.c */
/* vfio_find_dma(): the first mapping overlapping [start, start + size) */
struct vfio_dma *vfio_find_dma(struct vfio_iommu *t1, u64 start, u64 size);
/* 1 << __ffs(iommu->pgsize_bitmap): the smallest page size */
u64 vfio_type1_min_pgsize(GHashTable *domains);

/* type1_iova.c */
/* iommu->iova_list, in IOVA order (newly allocated) */
GArray *vfio_type1_iova_list(const struct vfio_iommu *t1, GHashTable *domains);
/* vfio_iommu_iova_dma_valid(): [start, end] inside one range of it */
bool vfio_type1_iova_valid(const struct vfio_iommu *t1, GHashTable *domains,
			   u64 start, u64 end);

/* type1_dirty.c */
/* vfio_dma_bitmap_alloc() / _free(): the bitmap of @dma's pages of
 * @pgsize (-EINVAL past DIRTY_BITMAP_PAGES_MAX, -ENOMEM past the budget) */
int vfio_dma_bitmap_alloc(struct vfio_iommu *t1, struct vfio_dma *dma,
			  u64 pgsize);
void vfio_dma_bitmap_free(struct vfio_dma *dma);
/* vfio_iommu_type1_unmap_dma() with GET_DIRTY_BITMAP: the struct
 * vfio_bitmap behind the unmap struct, checked, into *bitmap */
int vfio_type1_unmap_bitmap(struct vfio_iommu *t1,
			    const struct vfio_iommu_type1_dma_unmap *u,
			    const void *arg, size_t len,
			    struct vfio_bitmap *bitmap);
/* update_user_bitmap(): @dma's dirty pages into the user's bitmap at
 * @uptr, bit 0 being @base_iova */
int vfio_update_user_bitmap(struct vfio_iommu *t1, GHashTable *domains,
			    struct process *task, struct vfio_dma *dma,
			    u64 uptr, u64 base_iova, u64 pgsize);
/* vfio_iommu_type1_dirty_pages() */
int vfio_type1_dirty_pages(struct vfio_iommu *t1, GHashTable *domains,
			   struct process *task, void *arg, size_t len);

#endif
