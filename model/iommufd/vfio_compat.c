// SPDX-License-Identifier: MIT
/*
 * vfio_compat.c - iommufd's VFIO compatibility (Linux 7.3
 * drivers/iommu/iommufd/vfio_compat.c): the compat IOAS the group path
 * creates at VFIO_GROUP_SET_CONTAINER, no_iommu_mode for a noiommu
 * group, and the type1 container ioctls an iommufd file answers (it is
 * /dev/vfio/vfio with CONFIG_IOMMUFD_VFIO_CONTAINER). IOMMU_VFIO_IOAS is
 * in ioas.c. Where this differs from the native container
 * (model/vfio/container.c) is noted at each function.
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "iommufd/iopt_itree.h"
#include "pt/amdv1.h"
#include "vfio/uapi.h"
#include "vfio/vfio.h"
#include "pt/pt_types.h"
#include "core/kerrno.h"

/* include/linux/iommu.h (as ioas.c has it) */
#ifndef IOMMU_CACHE
#define IOMMU_CACHE (1 << 2)
#endif

/* get_compat_ioas() + put: 0 or -ENODEV */
int iommufd_vfio_compat_ioas_get_id(struct iommufd_ctx *ictx, u32 *id)
{
	if (!ictx->vfio_ioas)
		return -ENODEV;
	*id = ictx->vfio_ioas->obj.id;
	return 0;
}

/* iommufd_vfio_compat_set_no_iommu(): only while there is no compat IOAS */
int iommufd_vfio_compat_set_no_iommu(struct iommufd_ctx *ictx)
{
	if (ictx->vfio_ioas)
		return iommu_refuse(ictx->m, -EINVAL,
				    "iommufd_vfio_compat_set_no_iommu",
				    "the ctx already has a compat IOAS");
	ictx->no_iommu_mode = 1;
	return 0;
}

/* iommufd_vfio_compat_ioas_create(): a new IOAS unless one exists (0) or
 * the ctx is in no_iommu_mode (-EINVAL); the allocation comes first */
int iommufd_vfio_compat_ioas_create(struct iommufd_ctx *ictx)
{
	struct iommufd_ioas *ioas;
	int rc;

	rc = iommufd_ioas_alloc(ictx, &ioas);
	if (rc)
		return rc;
	if (ictx->no_iommu_mode || ictx->vfio_ioas) {
		rc = ictx->no_iommu_mode
			     ? iommu_refuse(ictx->m, -EINVAL,
					    "iommufd_vfio_compat_ioas_create",
					    "the ctx is in no_iommu_mode")
			     : 0;
		iommufd_object_abort_and_destroy(ictx, &ioas->obj);
		return rc;
	}
	ictx->vfio_ioas = ioas;
	iommufd_object_finalize(ictx, &ioas->obj);
	return 0;
}

/*
 * iommufd_vfio_check_extension(). Unlike the native container (which asks
 * its registered IOMMU drivers, or the one set), TYPE1 answers 1 on a
 * fresh ctx, before any group is set, and VFIO_NOIOMMU_IOMMU answers by
 * CONFIG_VFIO_NOIOMMU alone (the native one: vfio_noiommu, the
 * parameter). VFIO_DMA_CC_IOMMU needs the compat IOAS (-ENODEV).
 */
static int iommufd_vfio_check_extension(struct iommufd_ctx *ictx,
					unsigned long type, bool cfg_noiommu)
{
	switch (type) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_UNMAP_ALL:
		return !ictx->no_iommu_mode;
	case VFIO_NOIOMMU_IOMMU:
		return cfg_noiommu;
	case VFIO_DMA_CC_IOMMU:
		if (!ictx->vfio_ioas)
			return -ENODEV;
		for (guint i = 0; i < ictx->vfio_ioas->hwpt_list->len; i++) {
			struct iommufd_hwpt_paging *p =
				ictx->vfio_ioas->hwpt_list->pdata[i];

			if (!p->enforce_cache_coherency)
				return 0;
		}
		return 1;
	default:
		return 0;
	}
}

/* iommufd_vfio_set_iommu(): NOIOMMU only in no_iommu_mode (then
 * CAP_SYS_RAWIO), TYPE1/TYPE1v2 only with the compat IOAS (TYPE1
 * disables large pages). Unlike the native container, it attaches
 * nothing: devices attached at VFIO_GROUP_GET_DEVICE_FD. */
static int iommufd_vfio_set_iommu(struct iommufd_ctx *ictx,
				  struct process *task, unsigned long type,
				  bool cfg_noiommu)
{
	if (cfg_noiommu && type == VFIO_NOIOMMU_IOMMU && ictx->no_iommu_mode)
		return capable(task, CAP_SYS_RAWIO)
			       ? 0
			       : iommu_refuse(ictx->m, -EPERM,
					      "iommufd_vfio_set_iommu",
					      "NOIOMMU needs CAP_SYS_RAWIO");
	if ((type != VFIO_TYPE1_IOMMU && type != VFIO_TYPE1v2_IOMMU) ||
	    ictx->no_iommu_mode)
		return iommu_refuse(ictx->m, -EINVAL, "iommufd_vfio_set_iommu",
				    "type %lu in %s mode", type,
				    ictx->no_iommu_mode ? "no_iommu" : "iommu");
	if (!ictx->vfio_ioas)
		return -ENODEV;
	if (type == VFIO_TYPE1_IOMMU)
		return iopt_disable_large_pages(&ictx->vfio_ioas->iopt);
	return 0;
}

/* iommufd_vfio_map_dma(): IOMMU_CACHE always; READ/WRITE only */
static int iommufd_vfio_map_dma(struct iommufd_ctx *ictx, struct process *task,
				void *arg, size_t len)
{
	struct vfio_iommu_type1_dma_map *map = arg;
	int prot = IOMMU_CACHE;
	u64 iova;

	if (len < sizeof(*map))
		return -EFAULT;
	if (map->argsz < sizeof(*map) ||
	    (map->flags & ~(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)))
		return -EINVAL;
	if (map->flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOMMU_READ;
	if (map->flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOMMU_WRITE;
	if (!ictx->vfio_ioas)
		return -ENODEV;
	iova = map->iova;
	return iopt_map_user_pages(ictx, &ictx->vfio_ioas->iopt, task, &iova,
				   map->vaddr, map->size, prot, 0);
}

/* With the IOAS's large pages off (VFIO_TYPE1_IOMMU, v1), cuts at the
 * range's last IOVA and (unless it starts at 0) the one before it, so an
 * unmap can take part of a mapping (iopt_cut_iova()) */
static int compat_cut(struct io_pagetable *iopt,
		      const struct vfio_iommu_type1_dma_unmap *unmap)
{
	u64 iovas[] = { unmap->iova + unmap->size - 1, unmap->iova - 1 };

	if (!iopt->disable_large_pages)
		return 0;
	return iopt_cut_iova(iopt, iovas, unmap->iova ? 2 : 1);
}

/* iommufd_vfio_unmap_dma(): VFIO_DMA_UNMAP_FLAG_ALL needs iova = size
 * = 0; the unmapped length goes back in size, after a failed unmap too
 * (copy_to_user() before the return of rc: *copied) */
static int iommufd_vfio_unmap_dma(struct iommufd_ctx *ictx, void *arg,
				  size_t len, size_t *copied)
{
	struct vfio_iommu_type1_dma_unmap *unmap = arg;
	u64 unmapped = 0;
	int rc;

	if (len < sizeof(*unmap))
		return -EFAULT;
	if (unmap->argsz < sizeof(*unmap) ||
	    (unmap->flags & ~VFIO_DMA_UNMAP_FLAG_ALL))
		return -EINVAL;
	if (!ictx->vfio_ioas)
		return -ENODEV;
	if (unmap->flags & VFIO_DMA_UNMAP_FLAG_ALL) {
		if (unmap->iova || unmap->size)
			return -EINVAL;
		rc = iopt_unmap_all(&ictx->vfio_ioas->iopt, &unmapped);
	} else {
		rc = compat_cut(&ictx->vfio_ioas->iopt, unmap);
		if (rc)
			return rc; /* err_put: nothing copied back */
		rc = iopt_unmap_iova(&ictx->vfio_ioas->iopt, unmap->iova,
				     unmap->size, &unmapped);
	}
	unmap->size = unmapped;
	*copied = sizeof(*unmap);
	return rc;
}

/* iommufd_get_pagesizes(): what every domain of the IOAS maps, at least
 * a page (as vfio_update_pgsize_bitmap()), no less than its alignment */
static u64 iommufd_get_pagesizes(struct iommufd_ioas *ioas)
{
	u64 bm = ~0ull, page_mask = ~(u64)(IOMMUFD_PAGE_SIZE - 1);

	for (guint i = 0; i < ioas->iopt.domains->len; i++) {
		struct iommu_domain *d = ioas->iopt.domains->pdata[i];

		if (d->pt)
			bm &= d->pt->pgsize_bitmap;
	}
	if (bm & ~page_mask)
		bm = (bm & page_mask) | IOMMUFD_PAGE_SIZE;
	return MAX(bm, ioas->iopt.iova_alignment);
}

/* @len bytes at @off of the caller's @arg (@size of it): the copy_to_user
 * of a cap's part, -EFAULT past what the caller gave */
static int put_cap(void *arg, size_t size, size_t off, const void *src,
		   size_t len)
{
	if (off + len > size)
		return -EFAULT;
	memcpy((char *)arg + off, src, len);
	return 0;
}

/* iommufd_fill_cap_dma_avail() at @off with @avail bytes of argsz left:
 * the cap's size; written only when it fits */
static int fill_cap_dma_avail(void *arg, size_t size, size_t off, size_t avail)
{
	struct vfio_iommu_type1_info_dma_avail cap = {
		.header = { VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1, 0 },
		.avail = UINT32_MAX,
	};

	if (avail >= sizeof(cap) && put_cap(arg, size, off, &cap, sizeof(cap)))
		return -EFAULT;
	return sizeof(cap);
}

/* iommufd_fill_cap_iova(): the holes of the reserved ranges, each range
 * written when argsz has room for it, the header when it has room for
 * all of them; the cap's size */
static int fill_cap_iova(struct iommufd_ioas *ioas, void *arg, size_t size,
			 size_t off, size_t avail)
{
	struct vfio_iommu_type1_info_cap_iova_range cap = {
		.header = { VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1, 0 },
	};
	const size_t rsz = sizeof(struct vfio_iova_range);
	struct iopt_itree_hole hole;
	int rc = 0;

	for (iopt_itree_hole_first(&hole, ioas->iopt.reserved, NULL, 0,
				   IOMMUFD_ULONG_MAX);
	     !hole.done && !rc; iopt_itree_hole_next(&hole)) {
		struct vfio_iova_range r = { hole.start, hole.last };

		if (avail >= sizeof(cap) + (cap.nr_iovas + 1) * rsz)
			rc = put_cap(arg, size,
				     off + sizeof(cap) + cap.nr_iovas * rsz, &r,
				     rsz);
		cap.nr_iovas++;
	}
	iopt_itree_hole_destroy(&hole);
	if (!rc && avail >= sizeof(cap) + cap.nr_iovas * rsz)
		rc = put_cap(arg, size, off, &cap, sizeof(cap));
	return rc ? rc : (int)(sizeof(cap) + cap.nr_iovas * rsz);
}

/*
 * iommufd_vfio_iommu_get_info(): dma_avail then iova_range, each 8-byte
 * aligned and linked by offset, written as far as argsz reaches; unlike
 * type1, argsz always comes back as what the whole chain needs, and
 * cap_offset is set once argsz reached it. No migration cap.
 */
static int iommufd_vfio_iommu_get_info(struct iommufd_ctx *ictx, void *arg,
				       size_t len)
{
	struct vfio_iommu_type1_info info;
	size_t minsz, total = sizeof(info), last = 0;
	int rc = vfio_iommu_info_head(&info, arg, len, &minsz);

	if (rc)
		return rc;
	if (!ictx->vfio_ioas)
		return -ENODEV;
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = iommufd_get_pagesizes(ictx->vfio_ioas);
	info.cap_offset = 0;
	for (int i = 0; i < 2; i++) {
		size_t avail = info.argsz > total ? info.argsz - total : 0;
		int size = i ? fill_cap_iova(ictx->vfio_ioas, arg, len, total,
					     avail)
			     : fill_cap_dma_avail(arg, len, total, avail);
		u32 next = total;

		if (size < 0)
			return size;
		if (last && info.argsz >= total &&
		    put_cap(arg, len,
			    last + offsetof(struct vfio_info_cap_header, next),
			    &next, sizeof(next)))
			return -EFAULT;
		last = total;
		total += (size + 7) & ~7ul;
	}
	if (info.argsz >= total)
		info.cap_offset = sizeof(info);
	info.argsz = total;
	info.flags |= VFIO_IOMMU_INFO_CAPS;
	memcpy(arg, &info, minsz);
	return 0;
}

/* iommufd_vfio_ioctl(); -ENOIOCTLCMD reaches the caller as -ENOTTY */
int iommufd_vfio_ioctl(struct iommufd_ctx *ictx, struct process *task,
		       unsigned int cmd, void *arg, size_t len, size_t *copied)
{
	size_t none;
	/* CONFIG_VFIO_NOIOMMU: the guest's config unless VFIO says */
	bool cfg_noiommu =
		!ictx->m->vfio || vfio_kconfig(ictx->m)->y[KS_VFIO_NOIOMMU];
	unsigned long a = arg && len >= sizeof(a) ? *(unsigned long *)arg : 0;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_SET_IOMMU:
		return iommufd_vfio_set_iommu(ictx, task, a, cfg_noiommu);
	case VFIO_CHECK_EXTENSION:
		return iommufd_vfio_check_extension(ictx, a, cfg_noiommu);
	case VFIO_IOMMU_GET_INFO:
		return iommufd_vfio_iommu_get_info(ictx, arg, len);
	case VFIO_IOMMU_MAP_DMA:
		return iommufd_vfio_map_dma(ictx, task, arg, len);
	case VFIO_IOMMU_UNMAP_DMA:
		return iommufd_vfio_unmap_dma(ictx, arg, len,
					      copied ? copied : &none);
	default:
		return -ENOTTY;
	}
}
