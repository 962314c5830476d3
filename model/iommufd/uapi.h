/* SPDX-License-Identifier: MIT */
/*
 * uapi.h - the iommufd user API as the model takes it: every command
 * number and every struct of Linux 7.3's include/uapi/linux/iommufd.h,
 * written for this project and layout-compatible with it (same field
 * names, sizes, offsets and alignment; tests/unit/iommufd/
 * test_uapi_layout.c compares them against the kernel's headers_install
 * output when the 7.3 tree is at hand).
 *
 * The model's dispatcher (iommufd_ioctl(), model/iommufd/iommufd.h) takes a
 * command number from here and a pointer to one of these structs, so a
 * scenario verb and a preload shim hand it the very bytes a process would
 * hand the kernel. Only the layout matters here; what each field means is
 * in the kernel header's comments and in the handlers that read it.
 */
#ifndef IOMMUSIM_MODEL_IOMMUFD_UAPI_H
#define IOMMUSIM_MODEL_IOMMUFD_UAPI_H

#include <stdint.h>

/* __aligned_u64 / __aligned_le64: 8-byte alignment on every ABI */
typedef uint64_t iommufd_u64 __attribute__((aligned(8)));

/* _IO(IOMMUFD_TYPE, nr): direction and size bits are zero */
#define IOMMUFD_TYPE ';'
#define IOMMUFD_IO(nr) ((unsigned int)(((IOMMUFD_TYPE) << 8) | (nr)))
#define IOMMUFD_IOC_NR(cmd) ((cmd)&0xffu)
#define IOMMUFD_IOC_TYPE(cmd) (((cmd) >> 8) & 0xffu)

enum {
	IOMMUFD_CMD_BASE = 0x80,
	IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE,
	IOMMUFD_CMD_IOAS_ALLOC = 0x81,
	IOMMUFD_CMD_IOAS_ALLOW_IOVAS = 0x82,
	IOMMUFD_CMD_IOAS_COPY = 0x83,
	IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84,
	IOMMUFD_CMD_IOAS_MAP = 0x85,
	IOMMUFD_CMD_IOAS_UNMAP = 0x86,
	IOMMUFD_CMD_OPTION = 0x87,
	IOMMUFD_CMD_VFIO_IOAS = 0x88,
	IOMMUFD_CMD_HWPT_ALLOC = 0x89,
	IOMMUFD_CMD_GET_HW_INFO = 0x8a,
	IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING = 0x8b,
	IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP = 0x8c,
	IOMMUFD_CMD_HWPT_INVALIDATE = 0x8d,
	IOMMUFD_CMD_FAULT_QUEUE_ALLOC = 0x8e,
	IOMMUFD_CMD_IOAS_MAP_FILE = 0x8f,
	IOMMUFD_CMD_VIOMMU_ALLOC = 0x90,
	IOMMUFD_CMD_VDEVICE_ALLOC = 0x91,
	IOMMUFD_CMD_IOAS_CHANGE_PROCESS = 0x92,
	IOMMUFD_CMD_VEVENTQ_ALLOC = 0x93,
	IOMMUFD_CMD_HW_QUEUE_ALLOC = 0x94,
	IOMMUFD_CMD_IOAS_NOIOMMU_GET_PA = 0x95,
};

#define IOMMU_DESTROY IOMMUFD_IO(IOMMUFD_CMD_DESTROY)
#define IOMMU_IOAS_ALLOC IOMMUFD_IO(IOMMUFD_CMD_IOAS_ALLOC)
#define IOMMU_IOAS_ALLOW_IOVAS IOMMUFD_IO(IOMMUFD_CMD_IOAS_ALLOW_IOVAS)
#define IOMMU_IOAS_COPY IOMMUFD_IO(IOMMUFD_CMD_IOAS_COPY)
#define IOMMU_IOAS_IOVA_RANGES IOMMUFD_IO(IOMMUFD_CMD_IOAS_IOVA_RANGES)
#define IOMMU_IOAS_MAP IOMMUFD_IO(IOMMUFD_CMD_IOAS_MAP)
#define IOMMU_IOAS_UNMAP IOMMUFD_IO(IOMMUFD_CMD_IOAS_UNMAP)
#define IOMMU_OPTION IOMMUFD_IO(IOMMUFD_CMD_OPTION)
#define IOMMU_VFIO_IOAS IOMMUFD_IO(IOMMUFD_CMD_VFIO_IOAS)
#define IOMMU_HWPT_ALLOC IOMMUFD_IO(IOMMUFD_CMD_HWPT_ALLOC)
#define IOMMU_GET_HW_INFO IOMMUFD_IO(IOMMUFD_CMD_GET_HW_INFO)
#define IOMMU_HWPT_SET_DIRTY_TRACKING                                          \
	IOMMUFD_IO(IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING)
#define IOMMU_HWPT_GET_DIRTY_BITMAP                                            \
	IOMMUFD_IO(IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP)
#define IOMMU_HWPT_INVALIDATE IOMMUFD_IO(IOMMUFD_CMD_HWPT_INVALIDATE)
#define IOMMU_FAULT_QUEUE_ALLOC IOMMUFD_IO(IOMMUFD_CMD_FAULT_QUEUE_ALLOC)
#define IOMMU_IOAS_MAP_FILE IOMMUFD_IO(IOMMUFD_CMD_IOAS_MAP_FILE)
#define IOMMU_VIOMMU_ALLOC IOMMUFD_IO(IOMMUFD_CMD_VIOMMU_ALLOC)
#define IOMMU_VDEVICE_ALLOC IOMMUFD_IO(IOMMUFD_CMD_VDEVICE_ALLOC)
#define IOMMU_IOAS_CHANGE_PROCESS IOMMUFD_IO(IOMMUFD_CMD_IOAS_CHANGE_PROCESS)
#define IOMMU_VEVENTQ_ALLOC IOMMUFD_IO(IOMMUFD_CMD_VEVENTQ_ALLOC)
#define IOMMU_HW_QUEUE_ALLOC IOMMUFD_IO(IOMMUFD_CMD_HW_QUEUE_ALLOC)
#define IOMMU_IOAS_NOIOMMU_GET_PA IOMMUFD_IO(IOMMUFD_CMD_IOAS_NOIOMMU_GET_PA)

/* ---- objects and IOAS ---- */

struct iommu_destroy {
	uint32_t size;
	uint32_t id;
};

struct iommu_ioas_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_ioas_id;
};

struct iommu_iova_range {
	iommufd_u64 start;
	iommufd_u64 last;
};

struct iommu_ioas_iova_ranges {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t __reserved;
	iommufd_u64 allowed_iovas; /* user pointer to iommu_iova_range[] */
	iommufd_u64 out_iova_alignment;
};

struct iommu_ioas_allow_iovas {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t __reserved;
	iommufd_u64 allowed_iovas;
};

enum iommufd_ioas_map_flags {
	IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

struct iommu_ioas_map {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	uint32_t __reserved;
	iommufd_u64 user_va;
	iommufd_u64 length;
	iommufd_u64 iova;
};

struct iommu_ioas_noiommu_get_pa {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	uint32_t __reserved;
	iommufd_u64 iova;
	iommufd_u64 length;
	iommufd_u64 out_phys;
};

struct iommu_ioas_map_file {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	int32_t fd;
	iommufd_u64 start;
	iommufd_u64 length;
	iommufd_u64 iova;
};

struct iommu_ioas_copy {
	uint32_t size;
	uint32_t flags;
	uint32_t dst_ioas_id;
	uint32_t src_ioas_id;
	iommufd_u64 length;
	iommufd_u64 dst_iova;
	iommufd_u64 src_iova;
};

struct iommu_ioas_unmap {
	uint32_t size;
	uint32_t ioas_id;
	iommufd_u64 iova;
	iommufd_u64 length;
};

enum iommufd_option {
	IOMMU_OPTION_RLIMIT_MODE = 0,
	IOMMU_OPTION_HUGE_PAGES = 1,
};

enum iommufd_option_ops {
	IOMMU_OPTION_OP_SET = 0,
	IOMMU_OPTION_OP_GET = 1,
};

struct iommu_option {
	uint32_t size;
	uint32_t option_id;
	uint16_t op;
	uint16_t __reserved;
	uint32_t object_id;
	iommufd_u64 val64;
};

enum iommufd_vfio_ioas_op {
	IOMMU_VFIO_IOAS_GET = 0,
	IOMMU_VFIO_IOAS_SET = 1,
	IOMMU_VFIO_IOAS_CLEAR = 2,
};

struct iommu_vfio_ioas {
	uint32_t size;
	uint32_t ioas_id;
	uint16_t op;
	uint16_t __reserved;
};

struct iommu_ioas_change_process {
	uint32_t size;
	uint32_t __reserved;
};

/* ---- HWPT ---- */

enum iommufd_hwpt_alloc_flags {
	IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0,
	IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1,
	IOMMU_HWPT_FAULT_ID_VALID = 1 << 2,
	IOMMU_HWPT_ALLOC_PASID = 1 << 3,
};

enum iommu_hwpt_vtd_s1_flags {
	IOMMU_VTD_S1_SRE = 1 << 0,
	IOMMU_VTD_S1_EAFE = 1 << 1,
	IOMMU_VTD_S1_WPE = 1 << 2,
};

struct iommu_hwpt_vtd_s1 {
	iommufd_u64 flags;
	iommufd_u64 pgtbl_addr;
	uint32_t addr_width;
	uint32_t __reserved;
};

struct iommu_hwpt_arm_smmuv3 {
	iommufd_u64 ste[2];
};

struct iommu_hwpt_amd_guest {
	iommufd_u64 dte[4];
};

enum iommu_hwpt_data_type {
	IOMMU_HWPT_DATA_NONE = 0,
	IOMMU_HWPT_DATA_VTD_S1 = 1,
	IOMMU_HWPT_DATA_ARM_SMMUV3 = 2,
	IOMMU_HWPT_DATA_AMD_GUEST = 3,
};

struct iommu_hwpt_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pt_id;
	uint32_t out_hwpt_id;
	uint32_t __reserved;
	uint32_t data_type;
	uint32_t data_len;
	iommufd_u64 data_uptr;
	uint32_t fault_id;
	uint32_t __reserved2;
};

enum iommu_hw_info_vtd_flags {
	IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 = 1 << 0,
};

struct iommu_hw_info_vtd {
	uint32_t flags;
	uint32_t __reserved;
	iommufd_u64 cap_reg;
	iommufd_u64 ecap_reg;
};

enum iommu_hw_info_arm_smmuv3_flags {
	IOMMU_HW_INFO_ARM_SMMUV3_ERRATA_REPEAT_TLBI_CFGI = 1 << 0,
};

struct iommu_hw_info_arm_smmuv3 {
	uint32_t flags;
	uint32_t __reserved;
	uint32_t idr[6];
	uint32_t iidr;
	uint32_t aidr;
};

struct iommu_hw_info_tegra241_cmdqv {
	uint32_t flags;
	uint8_t version;
	uint8_t log2vcmdqs;
	uint8_t log2vsids;
	uint8_t __reserved;
};

struct iommu_hw_info_amd {
	iommufd_u64 efr;
	iommufd_u64 efr2;
};

enum iommu_hw_info_type {
	IOMMU_HW_INFO_TYPE_NONE = 0,
	IOMMU_HW_INFO_TYPE_DEFAULT = 0,
	IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
	IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,
	IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV = 3,
	IOMMU_HW_INFO_TYPE_AMD = 4,
};

enum iommufd_hw_capabilities {
	IOMMU_HW_CAP_DIRTY_TRACKING = 1 << 0,
	IOMMU_HW_CAP_PCI_PASID_EXEC = 1 << 1,
	IOMMU_HW_CAP_PCI_PASID_PRIV = 1 << 2,
	IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED = 1 << 3,
};

enum iommufd_hw_info_flags {
	IOMMU_HW_INFO_FLAG_INPUT_TYPE = 1 << 0,
};

struct iommu_hw_info {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t data_len;
	iommufd_u64 data_uptr;
	union {
		uint32_t in_data_type;
		uint32_t out_data_type;
	};
	uint8_t out_max_pasid_log2;
	uint8_t __reserved[3];
	iommufd_u64 out_capabilities;
};

enum iommufd_hwpt_set_dirty_tracking_flags {
	IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1,
};

struct iommu_hwpt_set_dirty_tracking {
	uint32_t size;
	uint32_t flags;
	uint32_t hwpt_id;
	uint32_t __reserved;
};

enum iommufd_hwpt_get_dirty_bitmap_flags {
	IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR = 1,
};

struct iommu_hwpt_get_dirty_bitmap {
	uint32_t size;
	uint32_t hwpt_id;
	uint32_t flags;
	uint32_t __reserved;
	iommufd_u64 iova;
	iommufd_u64 length;
	iommufd_u64 page_size;
	iommufd_u64 data;
};

enum iommu_hwpt_invalidate_data_type {
	IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 = 0,
	IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 = 1,
};

enum iommu_hwpt_vtd_s1_invalidate_flags {
	IOMMU_VTD_INV_FLAGS_LEAF = 1 << 0,
};

struct iommu_hwpt_vtd_s1_invalidate {
	iommufd_u64 addr;
	iommufd_u64 npages;
	uint32_t flags;
	uint32_t __reserved;
};

struct iommu_viommu_arm_smmuv3_invalidate {
	iommufd_u64 cmd[2];
};

struct iommu_hwpt_invalidate {
	uint32_t size;
	uint32_t hwpt_id;
	iommufd_u64 data_uptr;
	uint32_t data_type;
	uint32_t entry_len;
	uint32_t entry_num;
	uint32_t __reserved;
};

/* ---- fault queue ---- */

enum iommu_hwpt_pgfault_flags {
	IOMMU_PGFAULT_FLAGS_PASID_VALID = 1 << 0,
	IOMMU_PGFAULT_FLAGS_LAST_PAGE = 1 << 1,
};

enum iommu_hwpt_pgfault_perm {
	IOMMU_PGFAULT_PERM_READ = 1 << 0,
	IOMMU_PGFAULT_PERM_WRITE = 1 << 1,
	IOMMU_PGFAULT_PERM_EXEC = 1 << 2,
	IOMMU_PGFAULT_PERM_PRIV = 1 << 3,
};

struct iommu_hwpt_pgfault {
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t perm;
	uint32_t __reserved;
	iommufd_u64 addr;
	uint32_t length;
	uint32_t cookie;
};

enum iommufd_page_response_code {
	IOMMUFD_PAGE_RESP_SUCCESS = 0,
	IOMMUFD_PAGE_RESP_INVALID = 1,
};

struct iommu_hwpt_page_response {
	uint32_t cookie;
	uint32_t code;
};

struct iommu_fault_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_fault_id;
	uint32_t out_fault_fd;
};

/* ---- vIOMMU, vDEVICE, vEVENTQ, HW queue ---- */

enum iommu_viommu_type {
	IOMMU_VIOMMU_TYPE_DEFAULT = 0,
	IOMMU_VIOMMU_TYPE_ARM_SMMUV3 = 1,
	IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV = 2,
};

struct iommu_viommu_tegra241_cmdqv {
	iommufd_u64 out_vintf_mmap_offset;
	iommufd_u64 out_vintf_mmap_length;
};

struct iommu_viommu_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t type;
	uint32_t dev_id;
	uint32_t hwpt_id;
	uint32_t out_viommu_id;
	uint32_t data_len;
	uint32_t __reserved;
	iommufd_u64 data_uptr;
};

struct iommu_vdevice_alloc {
	uint32_t size;
	uint32_t viommu_id;
	uint32_t dev_id;
	uint32_t out_vdevice_id;
	iommufd_u64 virt_id;
};

enum iommu_veventq_flag {
	IOMMU_VEVENTQ_FLAG_LOST_EVENTS = 1u << 0,
};

struct iommufd_vevent_header {
	uint32_t flags;
	uint32_t sequence;
};

enum iommu_veventq_type {
	IOMMU_VEVENTQ_TYPE_DEFAULT = 0,
	IOMMU_VEVENTQ_TYPE_ARM_SMMUV3 = 1,
	IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV = 2,
};

struct iommu_vevent_arm_smmuv3 {
	iommufd_u64 evt[4];
};

struct iommu_vevent_tegra241_cmdqv {
	iommufd_u64 lvcmdq_err_map[2];
};

struct iommu_veventq_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t viommu_id;
	uint32_t type;
	uint32_t veventq_depth;
	uint32_t out_veventq_id;
	uint32_t out_veventq_fd;
	uint32_t __reserved;
};

enum iommu_hw_queue_type {
	IOMMU_HW_QUEUE_TYPE_DEFAULT = 0,
	IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV = 1,
};

struct iommu_hw_queue_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t viommu_id;
	uint32_t type;
	uint32_t index;
	uint32_t out_hw_queue_id;
	iommufd_u64 nesting_parent_iova;
	iommufd_u64 length;
};

#endif
