// SPDX-License-Identifier: MIT
/*
 * vfio_iommu.c - the handlers of the VFIO_IOMMU_* rows (optable_vfio.h):
 * a container's GET_INFO and MAP_DMA, and UNMAP_DMA and DIRTY_PAGES with
 * the caller's dirty bitmap, each through vstruct() (vfio.c). Nothing
 * here knows a kernel rule: model/vfio/type1.c (type1_dirty.c) and
 * model/iommufd/vfio_compat.c answer.
 */
#include <stddef.h>
#include <string.h>

#include "runner.h"
#include "model/vfio/uapi.h"
#include "vfio_args.h"
#include "vfio_call.h"

VSTRUCT_VERB(op_vfio_iommu_get_info, VFIO_IOMMU_GET_INFO, NULL)
VSTRUCT_VERB(op_vfio_iommu_map_dma, VFIO_IOMMU_MAP_DMA, NULL)

/*
 * The dirty bitmap a GET_BITMAP or GET_DIRTY_BITMAP caller passes: argsz
 * takes the struct behind the header in (as QEMU's
 * vfio_legacy_query_dirty_bitmap() and vfio_dma_unmap_bitmap() pass it)
 * unless argsz= says, and data points at bitmap_size bytes of the
 * caller's, each bitmap_fill (default 0) before the call.
 */
static int bitmap_prep(struct runner *r, const struct statement *st, void *buf,
		       size_t base, bool asked, size_t bitmap_off,
		       struct vscratch *sc)
{
	int err = 0;

	/* the bitmap's struct ends both */
	size_t full = bitmap_off + sizeof(struct vfio_bitmap);
	uint32_t argsz = (uint32_t)arg_num(st, "argsz", asked ? full : base);
	struct vfio_bitmap *b =
		(struct vfio_bitmap *)((char *)buf + bitmap_off);

	memcpy(buf, &argsz, sizeof(argsz));
	if (!asked || !b->size)
		return 0;
	/* the caller's memory: past the budget it has no such bitmap */
	sc->p = user_buffer(r, b->size, "dirty bitmap (size=)", &err);
	if (!sc->p)
		return err;
	sc->n = b->size;
	if (arg_num(st, "bitmap_fill", 0))
		memset(sc->p, (int)arg_num(st, "bitmap_fill", 0), b->size);
	b->data = (uintptr_t)sc->p;
	return 0;
}

static int unmap_prep(struct runner *r, const struct statement *st, void *buf,
		      struct vscratch *sc)
{
	return bitmap_prep(
		r, st, buf, offsetof(struct vfio_unmap_dma_arg, bitmap),
		arg_flags(st, "flags") & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
		offsetof(struct vfio_unmap_dma_arg, bitmap), sc);
}

static int dirty_prep(struct runner *r, const struct statement *st, void *buf,
		      struct vscratch *sc)
{
	return bitmap_prep(
		r, st, buf, offsetof(struct vfio_dirty_pages_arg, range),
		arg_flags(st, "flags") & VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP,
		offsetof(struct vfio_dirty_pages_arg, range.bitmap), sc);
}

/* the first words of the bitmap the kernel wrote: out_bitmap0.. */
static void bitmap_post(struct runner *r, const void *buf,
			const struct vscratch *sc)
{
	static const char *const key[VFIO_OUT_BITMAP_WORDS] = {
		"out_bitmap0", "out_bitmap1", "out_bitmap2", "out_bitmap3"
	};

	(void)buf;
	for (u64 i = 0; i < VFIO_OUT_BITMAP_WORDS && (i + 1) * 8 <= sc->n;
	     i++) {
		u64 w;

		memcpy(&w, (const char *)sc->p + i * 8, sizeof(w));
		op_out(r, key[i], NULL, w);
	}
}

static const struct vcall c_unmap = { VFIO_IOMMU_UNMAP_DMA, unmap_prep,
				      bitmap_post };
static const struct vcall c_dirty = { VFIO_IOMMU_DIRTY_PAGES, dirty_prep,
				      bitmap_post };

int op_vfio_iommu_unmap_dma(struct runner *r, const struct statement *st)
{
	return vstruct(r, st, &c_unmap);
}

int op_vfio_iommu_dirty_pages(struct runner *r, const struct statement *st)
{
	return vstruct(r, st, &c_dirty);
}
