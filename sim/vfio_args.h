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

/* the devices of a hot reset a caller has room for, and the group fds
 * it passes: out_bus0 .., group_fds0 .. (include/uapi/linux/vfio.h's
 * devices[] and group_fds[] behind the headers) */
#define VFIO_HOT_RESET_DEVICES 4

struct vfio_hot_reset_info_arg {
	uint32_t argsz;
	uint32_t flags;
	uint32_t count;
	struct vfio_pci_dependent_device devices[VFIO_HOT_RESET_DEVICES];
};
_Static_assert(offsetof(struct vfio_hot_reset_info_arg, devices) ==
		       sizeof(struct vfio_pci_hot_reset_info),
	       "the devices are the header's devices[]");

struct vfio_hot_reset_arg {
	uint32_t argsz;
	uint32_t flags;
	uint32_t count;
	int32_t group_fds[VFIO_HOT_RESET_DEVICES];
};
_Static_assert(offsetof(struct vfio_hot_reset_arg, group_fds) ==
		       sizeof(struct vfio_pci_hot_reset),
	       "the fds are the header's group_fds[]");

/* VFIO_DEVICE_FEATURE with the data[] of the one feature whose data
 * vfio-pci reads: LOW_POWER_ENTRY_WITH_WAKEUP's eventfd */
struct vfio_device_feature_arg {
	uint32_t argsz;
	uint32_t flags; /* the feature in the low 16 bits (feature=) */
	struct vfio_device_low_power_entry_with_wakeup low_power;
};
_Static_assert(offsetof(struct vfio_device_feature_arg, low_power) ==
		       sizeof(struct vfio_device_feature),
	       "the entry is the header's data[]");

/* the words of the bitmap read back: out_bitmap0 .. out_bitmap3 */
#define VFIO_OUT_BITMAP_WORDS 4

/* VFIO_DEVICE_SET_IRQS with room for the entries of data[] a step
 * gives (data0 .. : an eventfd each, or a bool, as flags says) */
#define VFIO_IRQ_SET_ENTRIES 5

struct vfio_irq_set_arg {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
	int32_t data[VFIO_IRQ_SET_ENTRIES]; /* u8 each with DATA_BOOL */
};
_Static_assert(offsetof(struct vfio_irq_set_arg, data) ==
		       offsetof(struct vfio_irq_set, data),
	       "the entries are the header's data[]");

#endif
