/* SPDX-License-Identifier: MIT */
/*
 * uapi.h - the part of Linux 7.3's include/uapi/linux/vfio.h the model
 * answers: the container, group and device ioctls and their structs,
 * written out here (field names, order and widths as the kernel has them;
 * tests/unit/vfio/test_uapi_layout.c compares them with the kernel's
 * headers_install output).
 */
#ifndef IOMMUSIM_MODEL_VFIO_UAPI_H
#define IOMMUSIM_MODEL_VFIO_UAPI_H

#include <stdint.h>

#define VFIO_API_VERSION 0

/* Extensions (VFIO_CHECK_EXTENSION / VFIO_SET_IOMMU arguments) */
#define VFIO_TYPE1_IOMMU 1
#define VFIO_SPAPR_TCE_IOMMU 2
#define VFIO_TYPE1v2_IOMMU 3
#define VFIO_DMA_CC_IOMMU 4
#define VFIO_EEH 5
#define __VFIO_RESERVED_TYPE1_NESTING_IOMMU 6
#define VFIO_SPAPR_TCE_v2_IOMMU 7
#define VFIO_NOIOMMU_IOMMU 8
#define VFIO_UNMAP_ALL 9
#define VFIO_UPDATE_VADDR 10

/* _IO(VFIO_TYPE, VFIO_BASE + n): no size or direction bits */
#define VFIO_TYPE ';'
#define VFIO_BASE 100
#define VFIO_IO(nr) ((unsigned int)(((VFIO_TYPE) << 8) | (VFIO_BASE + (nr))))

#define VFIO_GET_API_VERSION VFIO_IO(0)
#define VFIO_CHECK_EXTENSION VFIO_IO(1)
#define VFIO_SET_IOMMU VFIO_IO(2)
#define VFIO_GROUP_GET_STATUS VFIO_IO(3)
#define VFIO_GROUP_SET_CONTAINER VFIO_IO(4)
#define VFIO_GROUP_UNSET_CONTAINER VFIO_IO(5)
#define VFIO_GROUP_GET_DEVICE_FD VFIO_IO(6)
#define VFIO_DEVICE_GET_INFO VFIO_IO(7)
#define VFIO_DEVICE_GET_REGION_INFO VFIO_IO(8)
#define VFIO_DEVICE_GET_IRQ_INFO VFIO_IO(9)
#define VFIO_DEVICE_SET_IRQS VFIO_IO(10)
#define VFIO_DEVICE_RESET VFIO_IO(11)
#define VFIO_DEVICE_GET_PCI_HOT_RESET_INFO VFIO_IO(12)
#define VFIO_DEVICE_PCI_HOT_RESET VFIO_IO(13)
#define VFIO_DEVICE_IOEVENTFD VFIO_IO(16)
#define VFIO_IOMMU_GET_INFO VFIO_IO(12)
#define VFIO_IOMMU_MAP_DMA VFIO_IO(13)
#define VFIO_IOMMU_UNMAP_DMA VFIO_IO(14)
#define VFIO_IOMMU_DIRTY_PAGES VFIO_IO(17)
/* the same number as VFIO_IOMMU_DIRTY_PAGES: a container's or a device's */
#define VFIO_DEVICE_FEATURE VFIO_IO(17)
#define VFIO_DEVICE_BIND_IOMMUFD VFIO_IO(18)
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT VFIO_IO(19)
#define VFIO_DEVICE_DETACH_IOMMUFD_PT VFIO_IO(20)

struct vfio_group_status {
	uint32_t argsz;
	uint32_t flags;
};
#define VFIO_GROUP_FLAGS_VIABLE (1u << 0)
#define VFIO_GROUP_FLAGS_CONTAINER_SET (1u << 1)

struct vfio_device_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
	uint32_t cap_offset;
	uint32_t pad;
};
#define VFIO_DEVICE_FLAGS_RESET (1u << 0)
#define VFIO_DEVICE_FLAGS_PCI (1u << 1)
#define VFIO_DEVICE_FLAGS_CAPS (1u << 7)

/* VFIO_DEVICE_GET_PCI_HOT_RESET_INFO: a device the hot reset affects;
 * group_id for a group-opened caller, devid for a cdev one */
struct vfio_pci_dependent_device {
	union {
		uint32_t group_id;
		uint32_t devid;
	};
	uint16_t segment;
	uint8_t bus;
	uint8_t devfn;
};
#define VFIO_PCI_DEVID_OWNED 0
#define VFIO_PCI_DEVID_NOT_OWNED -1

struct vfio_pci_hot_reset_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t count;
	struct vfio_pci_dependent_device devices[];
};
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID (1u << 0)
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED (1u << 1)

/* VFIO_DEVICE_PCI_HOT_RESET: the group fds proving ownership (none for
 * a cdev-opened caller) */
struct vfio_pci_hot_reset {
	uint32_t argsz;
	uint32_t flags;
	uint32_t count;
	int32_t group_fds[];
};

struct vfio_region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size __attribute__((aligned(8)));
	uint64_t offset __attribute__((aligned(8)));
};
#define VFIO_REGION_INFO_FLAG_READ (1u << 0)
#define VFIO_REGION_INFO_FLAG_WRITE (1u << 1)
#define VFIO_REGION_INFO_FLAG_MMAP (1u << 2)
#define VFIO_REGION_INFO_FLAG_CAPS (1u << 3)
#define VFIO_REGION_INFO_CAP_MSIX_MAPPABLE 3

struct vfio_irq_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};
#define VFIO_IRQ_INFO_EVENTFD (1u << 0)
#define VFIO_IRQ_INFO_MASKABLE (1u << 1)
#define VFIO_IRQ_INFO_AUTOMASKED (1u << 2)
#define VFIO_IRQ_INFO_NORESIZE (1u << 3)

struct vfio_irq_set {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
	uint8_t data[];
};
#define VFIO_IRQ_SET_DATA_NONE (1u << 0)
#define VFIO_IRQ_SET_DATA_BOOL (1u << 1)
#define VFIO_IRQ_SET_DATA_EVENTFD (1u << 2)
#define VFIO_IRQ_SET_ACTION_MASK (1u << 3)
#define VFIO_IRQ_SET_ACTION_UNMASK (1u << 4)
#define VFIO_IRQ_SET_ACTION_TRIGGER (1u << 5)
#define VFIO_IRQ_SET_DATA_TYPE_MASK                                            \
	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL |                     \
	 VFIO_IRQ_SET_DATA_EVENTFD)
#define VFIO_IRQ_SET_ACTION_TYPE_MASK                                          \
	(VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_UNMASK |               \
	 VFIO_IRQ_SET_ACTION_TRIGGER)

/* vfio-pci's region and IRQ indices (enum in the uapi header) */
#define VFIO_PCI_BAR0_REGION_INDEX 0
#define VFIO_PCI_BAR1_REGION_INDEX 1
#define VFIO_PCI_BAR2_REGION_INDEX 2
#define VFIO_PCI_BAR3_REGION_INDEX 3
#define VFIO_PCI_BAR4_REGION_INDEX 4
#define VFIO_PCI_BAR5_REGION_INDEX 5
#define VFIO_PCI_ROM_REGION_INDEX 6
#define VFIO_PCI_CONFIG_REGION_INDEX 7
#define VFIO_PCI_VGA_REGION_INDEX 8
#define VFIO_PCI_NUM_REGIONS 9
#define VFIO_PCI_INTX_IRQ_INDEX 0
#define VFIO_PCI_MSI_IRQ_INDEX 1
#define VFIO_PCI_MSIX_IRQ_INDEX 2
#define VFIO_PCI_ERR_IRQ_INDEX 3
#define VFIO_PCI_REQ_IRQ_INDEX 4
#define VFIO_PCI_NUM_IRQS 5

/* VFIO_DEVICE_FEATURE: the feature in flags' low 16 bits, what to do
 * with it in the bits above; data[] is the feature's own struct */
struct vfio_device_feature {
	uint32_t argsz;
	uint32_t flags;
	uint8_t data[];
};
#define VFIO_DEVICE_FEATURE_MASK 0xffffu
#define VFIO_DEVICE_FEATURE_GET (1u << 16)
#define VFIO_DEVICE_FEATURE_SET (1u << 17)
#define VFIO_DEVICE_FEATURE_PROBE (1u << 18)
#define VFIO_DEVICE_FEATURE_PCI_VF_TOKEN 0
#define VFIO_DEVICE_FEATURE_MIGRATION 1
#define VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE 2
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY 3
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP 4
#define VFIO_DEVICE_FEATURE_LOW_POWER_EXIT 5
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_START 6
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP 7
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT 8
#define VFIO_DEVICE_FEATURE_MIG_DATA_SIZE 9
#define VFIO_DEVICE_FEATURE_BUS_MASTER 10
#define VFIO_DEVICE_FEATURE_DMA_BUF 11
#define VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 12
#define VFIO_DEVICE_FEATURE_ZPCI_ERROR 13

/* MIGRATION's GET answer: device->migration_flags */
#define VFIO_MIGRATION_STOP_COPY (1u << 0)
#define VFIO_MIGRATION_P2P (1u << 1)
#define VFIO_MIGRATION_PRE_COPY (1u << 2)

/* LOW_POWER_ENTRY_WITH_WAKEUP's data: the eventfd the resume signals */
struct vfio_device_low_power_entry_with_wakeup {
	int32_t wakeup_eventfd;
	uint32_t reserved;
};

struct vfio_device_bind_iommufd {
	uint32_t argsz;
	uint32_t flags;
	int32_t iommufd;
	uint32_t out_devid;
	uint64_t token_uuid_ptr __attribute__((aligned(8)));
};
#define VFIO_DEVICE_BIND_FLAG_TOKEN (1u << 0)

struct vfio_device_attach_iommufd_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pt_id;
	uint32_t pasid;
};
#define VFIO_DEVICE_ATTACH_PASID (1u << 0)

struct vfio_device_detach_iommufd_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pasid;
};
#define VFIO_DEVICE_DETACH_PASID (1u << 0)

/* VFIO_DEVICE_IOEVENTFD: write @data of the flags' width at the device
 * fd @offset each time eventfd @fd is signalled; fd -1 removes it */
struct vfio_device_ioeventfd {
	uint32_t argsz;
	uint32_t flags;
	uint64_t offset __attribute__((aligned(8)));
	uint64_t data __attribute__((aligned(8)));
	int32_t fd;
	uint32_t reserved;
};
#define VFIO_DEVICE_IOEVENTFD_8 (1u << 0)
#define VFIO_DEVICE_IOEVENTFD_16 (1u << 1)
#define VFIO_DEVICE_IOEVENTFD_32 (1u << 2)
#define VFIO_DEVICE_IOEVENTFD_64 (1u << 3)
#define VFIO_DEVICE_IOEVENTFD_SIZE_MASK (0xf)

struct vfio_iommu_type1_info {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova_pgsizes __attribute__((aligned(8)));
	uint32_t cap_offset;
	uint32_t pad;
};
#define VFIO_IOMMU_INFO_PGSIZES (1u << 0)
#define VFIO_IOMMU_INFO_CAPS (1u << 1)

/* VFIO_IOMMU_GET_INFO's capability chain (at cap_offset) */
struct vfio_info_cap_header {
	uint16_t id;
	uint16_t version;
	uint32_t next;
};

struct vfio_iova_range {
	uint64_t start;
	uint64_t end;
};

#define VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE 1
struct vfio_iommu_type1_info_cap_iova_range {
	struct vfio_info_cap_header header;
	uint32_t nr_iovas;
	uint32_t reserved;
	struct vfio_iova_range iova_ranges[];
};

#define VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION 2
struct vfio_iommu_type1_info_cap_migration {
	struct vfio_info_cap_header header;
	uint32_t flags;
	uint64_t pgsize_bitmap;
	uint64_t max_dirty_bitmap_size;
};

#define VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL 3
struct vfio_iommu_type1_info_dma_avail {
	struct vfio_info_cap_header header;
	uint32_t avail;
};

struct vfio_iommu_type1_dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t vaddr;
	uint64_t iova;
	uint64_t size;
};
#define VFIO_DMA_MAP_FLAG_READ (1u << 0)
#define VFIO_DMA_MAP_FLAG_WRITE (1u << 1)
#define VFIO_DMA_MAP_FLAG_VADDR (1u << 2)

struct vfio_iommu_type1_dma_unmap {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova;
	uint64_t size;
	uint8_t data[];
};
/* the bitmap behind it with GET_DIRTY_BITMAP; data is a user pointer */
struct vfio_bitmap {
	uint64_t pgsize;
	uint64_t size;
	uint64_t data;
};
#define VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP (1u << 0)
#define VFIO_DMA_UNMAP_FLAG_ALL (1u << 1)
#define VFIO_DMA_UNMAP_FLAG_VADDR (1u << 2)

struct vfio_iommu_type1_dirty_bitmap {
	uint32_t argsz;
	uint32_t flags;
	uint8_t data[];
};
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_START (1u << 0)
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP (1u << 1)
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP (1u << 2)
/* behind it with GET_BITMAP */
struct vfio_iommu_type1_dirty_bitmap_get {
	uint64_t iova;
	uint64_t size;
	struct vfio_bitmap bitmap;
};

#endif
