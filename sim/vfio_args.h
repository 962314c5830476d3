/* SPDX-License-Identifier: MIT */
/*
 * vfio_args.h - what a caller of VFIO_IOMMU_UNMAP_DMA or
 * VFIO_IOMMU_DIRTY_PAGES passes when it asks for a dirty bitmap: the uapi
 * struct with the struct its data[] holds then (include/uapi/linux/
 * vfio.h: a struct vfio_bitmap behind the unmap, a struct
 * vfio_iommu_type1_dirty_bitmap_get behind the dirty-pages header), laid
 * out flat so the rows can name their fields (optable_vfio.h) and
 * sim/vfio.c point the bitmap at the caller's buffer.
 */
#ifndef IOMMUSIM_SIM_VFIO_ARGS_H
#define IOMMUSIM_SIM_VFIO_ARGS_H

#include <stddef.h>

#include "model/vfio/uapi.h"

struct vfio_unmap_dma_arg {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova;
	uint64_t size;
	struct vfio_bitmap bitmap; /* data[] with GET_DIRTY_BITMAP */
};
_Static_assert(offsetof(struct vfio_unmap_dma_arg, bitmap) ==
		       offsetof(struct vfio_iommu_type1_dma_unmap, data),
	       "the bitmap is the unmap's data[]");

struct vfio_dirty_pages_arg {
	uint32_t argsz;
	uint32_t flags;
	/* data[] with GET_BITMAP */
	struct vfio_iommu_type1_dirty_bitmap_get range;
};
_Static_assert(offsetof(struct vfio_dirty_pages_arg, range) ==
		       offsetof(struct vfio_iommu_type1_dirty_bitmap, data),
	       "the range is the header's data[]");

/* the words of the bitmap read back: out_bitmap0 .. out_bitmap3 */
#define VFIO_OUT_BITMAP_WORDS 4

#endif
