/* SPDX-License-Identifier: MIT */
/*
 * optable_vfio.h - the VFIO rows of the operation table (included by
 * optable.c, spliced into op_table as VFIO_ROWS): the nodes and sysfs
 * entries model/vfio gives (docs/vfio.md), and VFIO's files: open of a
 * node, close, and the ioctls by their uapi names with the uapi's field
 * names (the F_* field macros of optable_ifd.h, included first).
 * Handlers in vfio.c (the VFIO_IOMMU_* rows' in vfio_iommu.c); the agent
 * runs each under the row's name (hw/agent/vfio.c; the nodes:
 * hw/agent/vfio_nodes.c).
 */

#include "model/vfio/uapi.h"
#include "vfio_args.h"
#ifndef IOMMUSIM_SIM_OPTABLE_VFIO_H
#define IOMMUSIM_SIM_OPTABLE_VFIO_H

int op_vfio_nodes(struct runner *r, const struct statement *st);
CHECK_FIELD(chk_vfio_node_exists);
CHECK_FIELD(chk_vfio_node_content);
CHECK_FIELD(chk_taint_user);

int op_module_param_write(struct runner *r, const struct statement *st);
CHECK_FIELD(chk_module_param_value);

int op_vfio_open(struct runner *r, const struct statement *st);
int op_vfio_close(struct runner *r, const struct statement *st);
int op_vfio_get_api_version(struct runner *r, const struct statement *st);
int op_vfio_check_extension(struct runner *r, const struct statement *st);
int op_vfio_set_iommu(struct runner *r, const struct statement *st);
int op_vfio_group_get_status(struct runner *r, const struct statement *st);
int op_vfio_group_set_container(struct runner *r, const struct statement *st);
int op_vfio_group_unset_container(struct runner *r, const struct statement *st);
int op_vfio_group_get_device_fd(struct runner *r, const struct statement *st);
int op_vfio_device_get_info(struct runner *r, const struct statement *st);
int op_vfio_device_get_region_info(struct runner *r,
				   const struct statement *st);
int op_vfio_device_feature(struct runner *r, const struct statement *st);
int op_vfio_device_bind_iommufd(struct runner *r, const struct statement *st);
int op_vfio_device_attach_pt(struct runner *r, const struct statement *st);
int op_vfio_device_detach_pt(struct runner *r, const struct statement *st);
int op_vfio_iommu_get_info(struct runner *r, const struct statement *st);
int op_vfio_iommu_map_dma(struct runner *r, const struct statement *st);
int op_vfio_iommu_unmap_dma(struct runner *r, const struct statement *st);
int op_vfio_iommu_dirty_pages(struct runner *r, const struct statement *st);
int op_vfio_device_reset(struct runner *r, const struct statement *st);
int op_vfio_pread(struct runner *r, const struct statement *st);
int op_vfio_pwrite(struct runner *r, const struct statement *st);
int op_vfio_device_get_pci_hot_reset_info(struct runner *r,
					  const struct statement *st);
int op_vfio_device_pci_hot_reset(struct runner *r, const struct statement *st);

/* fd=: a VFIO file; the container ioctls also take an iommufd ctx */
#define VFD                                                                    \
	{                                                                      \
		.key = "fd", .type = T_HANDLE, .required = true,               \
		.htype = &ht_vfio_fd                                           \
	}
#define VFD_OR_IOMMUFD                                                         \
	{                                                                      \
		.key = "fd", .type = T_HANDLE, .required = true,               \
		.htype = &ht_vfio_fd, .htype_alt = &ht_iommufd                 \
	}
#define VFIO_EXTENSIONS                                                        \
	"0|VFIO_TYPE1_IOMMU|VFIO_SPAPR_TCE_IOMMU|VFIO_TYPE1v2_IOMMU|"          \
	"VFIO_DMA_CC_IOMMU|VFIO_EEH|VFIO_RESERVED_TYPE1_NESTING_IOMMU|"        \
	"VFIO_SPAPR_TCE_v2_IOMMU|VFIO_NOIOMMU_IOMMU|VFIO_UNMAP_ALL|"           \
	"VFIO_UPDATE_VADDR"
#define S_GSTAT struct vfio_group_status
#define S_DINFO struct vfio_device_info
#define S_RINFO struct vfio_region_info
#define S_FEAT struct vfio_device_feature_arg
#define S_BIND struct vfio_device_bind_iommufd
#define S_ATT struct vfio_device_attach_iommufd_pt
#define S_DET struct vfio_device_detach_iommufd_pt
#define S_IINFO struct vfio_iommu_type1_info
#define S_DMAP struct vfio_iommu_type1_dma_map
#define S_DUNMAP struct vfio_unmap_dma_arg
#define S_VDIRTY struct vfio_dirty_pages_arg
#define S_HRINFO struct vfio_hot_reset_info_arg
#define S_HRESET struct vfio_hot_reset_arg

static const struct arg_spec a_vfio_open[] = {
	/* the other nodes are a group's or a device's (group_of=, cdev_of=) */
	{ .key = "path",
	  .type = T_STR,
	  .values = "/dev/vfio/vfio",
	  .one_of = 1 },
	{ .key = "group_of", .type = T_DEV, .one_of = 1 },
	{ .key = "cdev_of", .type = T_DEV, .one_of = 1 },
	{ .key = "out_fd",
	  .type = T_OUT,
	  .required = true,
	  .htype = &ht_vfio_fd },
	ONLY,
	END,
};
static const struct arg_spec a_vfio_fd[] = { VFD, ONLY, END };
/* pread()/pwrite() of a device file; the search's offsets: the config
 * header's first dword, each capability of QEMU's e1000e (PM 0xc8, MSI
 * 0xd0, PCI Express 0xe0, MSI-X 0xa0), PMCSR, DEVCTL, AER 0x100 and its
 * masks, DSN 0x140, a byte between capabilities, past the region */
#define VFIO_PRW_OFFSETS                                                       \
	"0x70000000000|0x70000000034|0x700000000a0|0x700000000c8|"             \
	"0x700000000cc|0x700000000d0|0x700000000d2|0x700000000e0|"             \
	"0x700000000e8|0x700000000f4|0x70000000100|0x70000000108|"             \
	"0x70000000140|0x70000000040|0x70000001000"
static const struct arg_spec a_vfio_pread[] = {
	VFD,
	{ .key = "offset", .type = T_NUM, .values = VFIO_PRW_OFFSETS },
	{ .key = "count", .type = T_NUM, .max = 8, .values = "1|2|4" },
	{ .key = "out_count", .type = T_OUT },
	{ .key = "out_value", .type = T_OUT },
	ONLY,
	END,
};
static const struct arg_spec a_vfio_pwrite[] = {
	VFD,
	{ .key = "offset", .type = T_NUM, .values = VFIO_PRW_OFFSETS },
	{ .key = "count", .type = T_NUM, .max = 8, .values = "1|2|4" },
	{ .key = "value", .type = T_NUM, .values = "0|0xffffffff|0x3|0x1" },
	{ .key = "out_count", .type = T_OUT },
	ONLY,
	END,
};
static const struct arg_spec a_vfio_container_fd[] = { VFD_OR_IOMMUFD, ONLY,
						       END };
/* the ioctl's integer argument, by the uapi constant's name */
#define VFIO_ARG_CODE(k)                                                       \
	{                                                                      \
		.key = k, .type = T_CODE, .required = true,                    \
		.choices = VFIO_EXTENSIONS, .values = VFIO_EXTENSIONS          \
	}
static const struct arg_spec a_vfio_check_ext[] = {
	VFD_OR_IOMMUFD,
	VFIO_ARG_CODE("extension"),
	ONLY,
	END,
};
static const struct arg_spec a_vfio_set_iommu[] = {
	VFD_OR_IOMMUFD,
	VFIO_ARG_CODE("type"),
	ONLY,
	END,
};
static const struct arg_spec a_vfio_set_container[] = {
	VFD,
	{ .key = "container_fd",
	  .type = T_HANDLE,
	  .required = true,
	  .htype = &ht_vfio_fd,
	  .htype_alt = &ht_iommufd },
	ONLY,
	END,
};
static const struct arg_spec a_vfio_get_device_fd[] = {
	VFD,
	DEV,
	{ .key = "out_fd",
	  .type = T_OUT,
	  .required = true,
	  .htype = &ht_vfio_fd },
	ONLY,
	END,
};
static const struct arg_spec a_vfio_group_status[] = {
	VFD, F_NUM(S_GSTAT, argsz), F_BACK(S_GSTAT, flags), ONLY, END,
};
static const struct arg_spec a_vfio_device_info[] = {
	VFD,
	F_NUM(S_DINFO, argsz),
	F_BACK(S_DINFO, flags),
	F_BACK(S_DINFO, num_regions),
	F_BACK(S_DINFO, num_irqs),
	F_BACK(S_DINFO, cap_offset),
	ONLY,
	END,
};
/* vfio-pci's fixed regions (include/uapi/linux/vfio.h's enum: 0 .. 8) */
#define VFIO_REGION_INDICES                                                    \
	"VFIO_PCI_BAR0_REGION_INDEX|VFIO_PCI_BAR1_REGION_INDEX|"               \
	"VFIO_PCI_BAR2_REGION_INDEX|VFIO_PCI_BAR3_REGION_INDEX|"               \
	"VFIO_PCI_BAR4_REGION_INDEX|VFIO_PCI_BAR5_REGION_INDEX|"               \
	"VFIO_PCI_ROM_REGION_INDEX|VFIO_PCI_CONFIG_REGION_INDEX|"              \
	"VFIO_PCI_VGA_REGION_INDEX"
/* the capability at cap_offset, when the chain fit behind the struct:
 * its struct vfio_info_cap_header */
static const struct arg_spec a_vfio_region_info[] = {
	VFD,
	F_NUM(S_RINFO, argsz),
	F_CODE(S_RINFO, index, VFIO_REGION_INDICES),
	F_BACK(S_RINFO, argsz),
	F_BACK(S_RINFO, flags),
	F_BACK(S_RINFO, cap_offset),
	F_BACK(S_RINFO, size),
	F_BACK(S_RINFO, offset),
	OUT_NUM("out_cap_id"),
	OUT_NUM("out_cap_version"),
	OUT_NUM("out_cap_next"),
	ONLY,
	END,
};
/* VFIO_DEVICE_FEATURE's flags above the feature index (bits 16, 17, 18;
 * "_" a gap), and the features by their uapi names (0 .. 13) */
#define VFIO_FEATURE_FLAGS "_|_|_|_|_|_|_|_|_|_|_|_|_|_|_|_|GET|SET|PROBE"
#define VFIO_FEATURES                                                          \
	"VFIO_DEVICE_FEATURE_PCI_VF_TOKEN|VFIO_DEVICE_FEATURE_MIGRATION|"      \
	"VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE|"                                \
	"VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY|"                                 \
	"VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP|"                     \
	"VFIO_DEVICE_FEATURE_LOW_POWER_EXIT|"                                  \
	"VFIO_DEVICE_FEATURE_DMA_LOGGING_START|"                               \
	"VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP|"                                \
	"VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT|"                              \
	"VFIO_DEVICE_FEATURE_MIG_DATA_SIZE|VFIO_DEVICE_FEATURE_BUS_MASTER|"    \
	"VFIO_DEVICE_FEATURE_DMA_BUF|VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2|"  \
	"VFIO_DEVICE_FEATURE_ZPCI_ERROR"
/* feature= goes in flags' low 16 bits (sim/vfio.c feature_prep());
 * wakeup_eventfd= an eventfd, a number, or none for -1 */
static const struct arg_spec a_vfio_feature[] = {
	VFD,
	F_NUM(S_FEAT, argsz),
	F_FLAGS(S_FEAT, VFIO_FEATURE_FLAGS),
	{ .key = "feature",
	  .type = T_CODE,
	  .required = true,
	  .choices = VFIO_FEATURES,
	  /* what a search tries: vfio-pci's own, a migration one, one
	   * with no handler */
	  .values = "VFIO_DEVICE_FEATURE_PCI_VF_TOKEN|"
		    "VFIO_DEVICE_FEATURE_MIGRATION|"
		    "VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY|"
		    "VFIO_DEVICE_FEATURE_LOW_POWER_EXIT|"
		    "VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2|14" },
	{ .key = "wakeup_eventfd",
	  .type = T_HANDLE,
	  .htype = &ht_memfd,
	  .choices = "none" },
	ONLY,
	END,
};
static const struct arg_spec a_vfio_bind[] = {
	VFD,
	F_NUM(S_BIND, argsz),
	F_FLAGS(S_BIND, "TOKEN"),
	{ .key = "iommufd",
	  .type = T_HANDLE,
	  .htype = &ht_iommufd,
	  .htype_alt = &ht_vfio_fd },
	F_OUT_ID(S_BIND, out_devid, ht_idev),
	F_ID(S_BIND, token_uuid_ptr, ht_buffer),
	ONLY,
	END,
};
static const struct arg_spec a_vfio_attach[] = {
	VFD,
	F_NUM(S_ATT, argsz),
	F_FLAGS(S_ATT, "PASID"),
	{ .key = "pt_id",
	  .type = T_HANDLE,
	  .htype = &ht_ioas,
	  .htype_alt = &ht_hwpt,
	  W(S_ATT, pt_id) },
	{ .key = "out_pt_id",
	  .type = T_OUT,
	  .htype = &ht_hwpt,
	  W(S_ATT, pt_id) },
	F_NUM(S_ATT, pasid),
	ONLY,
	END,
};
static const struct arg_spec a_vfio_detach[] = {
	VFD,
	F_NUM(S_DET, argsz),
	F_FLAGS(S_DET, "PASID"),
	F_NUM(S_DET, pasid),
	ONLY,
	END,
};
static const struct arg_spec a_vfio_iommu_info[] = {
	VFD_OR_IOMMUFD,
	F_NUM(S_IINFO, argsz),
	F_BACK(S_IINFO, argsz),
	F_BACK(S_IINFO, flags),
	F_BACK(S_IINFO, iova_pgsizes),
	F_BACK(S_IINFO, cap_offset),
	ONLY,
	END,
};
static const struct arg_spec a_vfio_map_dma[] = {
	VFD_OR_IOMMUFD,
	F_NUM(S_DMAP, argsz),
	/* explore: a mapping's READ,WRITE too (each name alone and all
	 * three never map both ways) */
	{ .key = "flags",
	  .type = T_FLAGS,
	  .choices = "READ|WRITE|VADDR",
	  .values = "0|READ,WRITE|READ|WRITE|VADDR|READ,WRITE,VADDR",
	  W(S_DMAP, flags) },
	F_ID(S_DMAP, vaddr, ht_buffer),
	F_NUM(S_DMAP, iova),
	/* the mapping's size (argsz is the struct's): explore maps one
	 * page (0 is vfio_dma_do_map()'s -EINVAL, nothing else) */
	F_NUM_V(S_DMAP, size, "0x1000"),
	ONLY,
	END,
};
/* the caller's dirty bitmap (GET_DIRTY_BITMAP, GET_BITMAP): struct
 * vfio_bitmap's pgsize and size, data pointed at bitmap_size bytes each
 * bitmap_fill before the call, its first words read back */
#define F_BITMAP(t, f)                                                         \
	{ .key = "bitmap_pgsize", .type = T_NUM, W(t, f.pgsize) },             \
		{ .key = "bitmap_size", .type = T_NUM, W(t, f.size) },         \
		{ .key = "bitmap_fill", .type = T_NUM, .max = 0xff },          \
		OUT_NUM("out_bitmap0"), OUT_NUM("out_bitmap1"),                \
		OUT_NUM("out_bitmap2"), OUT_NUM("out_bitmap3")
static const struct arg_spec a_vfio_unmap_dma[] = {
	VFD_OR_IOMMUFD,
	F_NUM(S_DUNMAP, argsz),
	F_FLAGS(S_DUNMAP, "GET_DIRTY_BITMAP|ALL|VADDR"),
	F_NUM(S_DUNMAP, iova),
	F_NUM_V(S_DUNMAP, size, "0x1000"), /* as MAP_DMA's */
	F_BACK(S_DUNMAP, size),
	F_BITMAP(S_DUNMAP, bitmap),
	ONLY,
	END,
};

/* the affected devices read back, VFIO_HOT_RESET_DEVICES of them: the
 * group id (a group-opened caller; compared in the guest by rank) or
 * the devid (a cdev one), the bus and devfn */
#define OUT_HOT_RESET_DEV(i)                                                   \
	OUT_NUM("out_group_id" #i), OUT_NUM("out_devid" #i),                   \
		OUT_NUM("out_bus" #i), OUT_NUM("out_devfn" #i)
static const struct arg_spec a_vfio_hot_reset_info[] = {
	VFD,
	F_NUM_V(S_HRINFO, argsz, "12|44"),
	F_BACK(S_HRINFO, flags),
	F_BACK(S_HRINFO, count),
	OUT_HOT_RESET_DEV(0),
	OUT_HOT_RESET_DEV(1),
	OUT_HOT_RESET_DEV(2),
	OUT_HOT_RESET_DEV(3),
	ONLY,
	END,
};
/* group_fds0..: a group fd (or any other VFIO or iommufd fd) each;
 * count is how many were given unless count= says */
#define GROUP_FD(i)                                                            \
	{                                                                      \
		.key = "group_fds" #i, .type = T_HANDLE, .htype = &ht_vfio_fd, \
		.htype_alt = &ht_iommufd                                       \
	}
static const struct arg_spec a_vfio_hot_reset[] = {
	VFD,
	F_NUM(S_HRESET, argsz),
	F_NUM(S_HRESET, flags),
	F_NUM_V(S_HRESET, count, "0|1"),
	GROUP_FD(0),
	GROUP_FD(1),
	GROUP_FD(2),
	GROUP_FD(3),
	ONLY,
	END,
};

/* vfio's writable module parameter, written through sysfs at run time */
static const struct arg_spec a_module_param_write[] = {
	{ .key = "param",
	  .type = T_ENUM,
	  .required = true,
	  .choices = "vfio.enable_unsafe_noiommu_mode" },
	/* a bool parameter: param_set_bool() -> kstrtobool() */
	{ .key = "value", .type = T_STR, .required = true, .values = "Y|N" },
	ONLY,
	END,
};
/* what the parameter's file reads */
static const struct arg_spec a_check_module_param[] = {
	{ .key = "param",
	  .type = T_ENUM,
	  .required = true,
	  .choices = "vfio.enable_unsafe_noiommu_mode" },
	{ .key = "value",
	  .type = T_ENUM,
	  .choices = "Y|N|none",
	  .check = chk_module_param_value },
	ONLY,
	END,
};

/* GET_BITMAP's range (struct vfio_iommu_type1_dirty_bitmap_get) */
static const struct arg_spec a_vfio_dirty_pages[] = {
	VFD_OR_IOMMUFD,
	F_NUM(S_VDIRTY, argsz),
	F_FLAGS(S_VDIRTY, "START|STOP|GET_BITMAP"),
	{ .key = "iova", .type = T_NUM, W(S_VDIRTY, range.iova) },
	{ .key = "size", .type = T_NUM, W(S_VDIRTY, range.size) },
	F_BITMAP(S_VDIRTY, range.bitmap),
	ONLY,
	END,
};

static const struct arg_spec a_check_vfio_node[] = {
	{ .key = "path", .type = T_STR, .required = true },
	{ .key = "exists", .type = T_BOOL, .check = chk_vfio_node_exists },
	{ .key = "content", .type = T_STR, .check = chk_vfio_node_content },
	ONLY,
	END,
};

static const struct arg_spec a_check_taint[] = {
	{ .key = "user",
	  .type = T_BOOL,
	  .required = true,
	  .check = chk_taint_user },
	ONLY,
	END,
};

#define VFIO_RUNS .guest = { .kind = GUEST_RUNS }
#define VFIO_ROW(n, a, fn, ...) OP_ROW(n, a, fn, VFIO_RUNS, __VA_ARGS__)
#define VFIO_UROW(n, a, fn, t, kf)                                             \
	OP_ROW(n, a, fn, VFIO_RUNS, .uapi_size = sizeof(t), .kfunc = kf)
/* a container's DMA ioctls are the calling process's own: a forked child
 * makes them on the container fd it inherited (the VADDR update from
 * another process, vfio_change_dma_owner()) */
#define VFIO_UROW_CHILD(n, a, fn, t, kf)                                       \
	OP_ROW(n, a, fn, VFIO_RUNS, .uapi_size = sizeof(t), .kfunc = kf,       \
	       .in_child = true)
/* .kfunc: where each verb's function is in the 7.3 tree; a verb that
 * VFIO's container and iommufd's compat both serve names both */
#define VFIO_GROUP_C "drivers/vfio/group.c:"
#define VFIO_CDEV_C "drivers/vfio/device_cdev.c:"
#define KF_OPEN                                                                \
	"drivers/vfio/container.c:vfio_fops_open, "                            \
	"drivers/vfio/group.c:vfio_group_fops_open, "                          \
	"drivers/vfio/device_cdev.c:vfio_device_fops_cdev_open"
#define KF_CLOSE                                                               \
	"drivers/vfio/container.c:vfio_fops_release, "                         \
	"drivers/vfio/group.c:vfio_group_fops_release, "                       \
	"drivers/vfio/vfio_main.c:vfio_device_fops_release"
#define KF_API_VERSION                                                         \
	"drivers/vfio/container.c:vfio_fops_unl_ioctl, "                       \
	"drivers/iommu/iommufd/vfio_compat.c:iommufd_vfio_ioctl"
#define KF_CHECK_EXTENSION                                                     \
	"drivers/vfio/container.c:vfio_container_ioctl_check_extension, "      \
	"drivers/iommu/iommufd/vfio_compat.c:iommufd_vfio_check_extension"
#define KF_SET_IOMMU                                                           \
	"drivers/vfio/container.c:vfio_ioctl_set_iommu, "                      \
	"drivers/iommu/iommufd/vfio_compat.c:iommufd_vfio_set_iommu"
#define KF_IOMMU_GET_INFO                                                      \
	"drivers/vfio/vfio_iommu_type1.c:vfio_iommu_type1_get_info, "          \
	"drivers/iommu/iommufd/vfio_compat.c:iommufd_vfio_iommu_get_info"
#define KF_MAP_DMA                                                             \
	"drivers/vfio/vfio_iommu_type1.c:vfio_dma_do_map, "                    \
	"drivers/iommu/iommufd/vfio_compat.c:iommufd_vfio_map_dma"
#define KF_UNMAP_DMA                                                           \
	"drivers/vfio/vfio_iommu_type1.c:vfio_dma_do_unmap, "                  \
	"drivers/iommu/iommufd/vfio_compat.c:iommufd_vfio_unmap_dma"
#define VFIO_PCI_CORE_C "drivers/vfio/pci/vfio_pci_core.c:"
#define KF_DIRTY_PAGES                                                         \
	"drivers/vfio/vfio_iommu_type1.c:vfio_iommu_type1_dirty_pages, "       \
	"drivers/iommu/iommufd/vfio_compat.c:iommufd_vfio_ioctl"

#define VFIO_ROWS                                                              \
	VFIO_ROW("vfio_open", a_vfio_open, op_vfio_open, .kfunc = KF_OPEN,     \
		 .result = RES_STATUS),                                        \
		VFIO_ROW("vfio_close", a_vfio_fd, op_vfio_close,               \
			 .kfunc = KF_CLOSE, .result = RES_STATUS),             \
		VFIO_ROW("VFIO_GET_API_VERSION", a_vfio_container_fd,          \
			 op_vfio_get_api_version, .kfunc = KF_API_VERSION,     \
			 .result = RES_VALUE),                                 \
		VFIO_ROW("VFIO_CHECK_EXTENSION", a_vfio_check_ext,             \
			 op_vfio_check_extension, .kfunc = KF_CHECK_EXTENSION, \
			 .result = RES_VALUE),                                 \
		VFIO_ROW("VFIO_SET_IOMMU", a_vfio_set_iommu,                   \
			 op_vfio_set_iommu, .kfunc = KF_SET_IOMMU,             \
			 .result = RES_STATUS),                                \
		VFIO_ROW("VFIO_GROUP_SET_CONTAINER", a_vfio_set_container,     \
			 op_vfio_group_set_container,                          \
			 .kfunc = VFIO_GROUP_C                                 \
			 "vfio_group_ioctl_set_container",                     \
			 .result = RES_STATUS),                                \
		VFIO_ROW("VFIO_GROUP_UNSET_CONTAINER", a_vfio_fd,              \
			 op_vfio_group_unset_container,                        \
			 .kfunc = VFIO_GROUP_C                                 \
			 "vfio_group_ioctl_unset_container",                   \
			 .result = RES_STATUS),                                \
		VFIO_ROW("VFIO_GROUP_GET_DEVICE_FD", a_vfio_get_device_fd,     \
			 op_vfio_group_get_device_fd,                          \
			 .kfunc = VFIO_GROUP_C                                 \
			 "vfio_group_ioctl_get_device_fd",                     \
			 .result = RES_STATUS),                                \
		VFIO_UROW("VFIO_GROUP_GET_STATUS", a_vfio_group_status,        \
			  op_vfio_group_get_status, S_GSTAT,                   \
			  VFIO_GROUP_C "vfio_group_ioctl_get_status"),         \
		VFIO_UROW("VFIO_DEVICE_GET_INFO", a_vfio_device_info,          \
			  op_vfio_device_get_info, S_DINFO,                    \
			  "drivers/vfio/pci/"                                  \
			  "vfio_pci_core.c:vfio_pci_ioctl_get_info"),          \
		VFIO_UROW("VFIO_DEVICE_GET_REGION_INFO", a_vfio_region_info,   \
			  op_vfio_device_get_region_info, S_RINFO,             \
			  "drivers/vfio/vfio_main.c:vfio_get_region_info"),    \
		VFIO_UROW(                                                     \
			"VFIO_DEVICE_FEATURE", a_vfio_feature,                 \
			op_vfio_device_feature, S_FEAT,                        \
			"drivers/vfio/vfio_main.c:vfio_ioctl_device_feature"), \
		VFIO_UROW("VFIO_DEVICE_BIND_IOMMUFD", a_vfio_bind,             \
			  op_vfio_device_bind_iommufd, S_BIND,                 \
			  VFIO_CDEV_C "vfio_df_ioctl_bind_iommufd"),           \
		VFIO_UROW("VFIO_DEVICE_ATTACH_IOMMUFD_PT", a_vfio_attach,      \
			  op_vfio_device_attach_pt, S_ATT,                     \
			  VFIO_CDEV_C "vfio_df_ioctl_attach_pt"),              \
		VFIO_UROW("VFIO_DEVICE_DETACH_IOMMUFD_PT", a_vfio_detach,      \
			  op_vfio_device_detach_pt, S_DET,                     \
			  VFIO_CDEV_C "vfio_df_ioctl_detach_pt"),              \
		VFIO_UROW_CHILD("VFIO_IOMMU_GET_INFO", a_vfio_iommu_info,      \
				op_vfio_iommu_get_info, S_IINFO,               \
				KF_IOMMU_GET_INFO),                            \
		VFIO_UROW_CHILD("VFIO_IOMMU_MAP_DMA", a_vfio_map_dma,          \
				op_vfio_iommu_map_dma, S_DMAP, KF_MAP_DMA),    \
		VFIO_UROW_CHILD("VFIO_IOMMU_UNMAP_DMA", a_vfio_unmap_dma,      \
				op_vfio_iommu_unmap_dma, S_DUNMAP,             \
				KF_UNMAP_DMA),                                 \
		VFIO_UROW_CHILD("VFIO_IOMMU_DIRTY_PAGES", a_vfio_dirty_pages,  \
				op_vfio_iommu_dirty_pages, S_VDIRTY,           \
				KF_DIRTY_PAGES),                               \
		VFIO_ROW("pread", a_vfio_pread, op_vfio_pread,                 \
			 .kfunc = VFIO_PCI_CORE_C "vfio_pci_rw"),              \
		VFIO_ROW("pwrite", a_vfio_pwrite, op_vfio_pwrite,              \
			 .kfunc = VFIO_PCI_CORE_C "vfio_pci_rw"),              \
		VFIO_ROW("VFIO_DEVICE_RESET", a_vfio_fd, op_vfio_device_reset, \
			 .kfunc = VFIO_PCI_CORE_C "vfio_pci_ioctl_reset",      \
			 .result = RES_STATUS),                                \
		VFIO_UROW("VFIO_DEVICE_GET_PCI_HOT_RESET_INFO",                \
			  a_vfio_hot_reset_info,                               \
			  op_vfio_device_get_pci_hot_reset_info, S_HRINFO,     \
			  VFIO_PCI_CORE_C                                      \
			  "vfio_pci_ioctl_get_pci_hot_reset_info"),            \
		VFIO_UROW("VFIO_DEVICE_PCI_HOT_RESET", a_vfio_hot_reset,       \
			  op_vfio_device_pci_hot_reset, S_HRESET,              \
			  VFIO_PCI_CORE_C "vfio_pci_ioctl_pci_hot_reset"),     \
		VFIO_ROW("module_param_write", a_module_param_write,           \
			 op_module_param_write,                                \
			 .kfunc = "kernel/params.c:param_attr_store",          \
			 .result = RES_STATUS),                                \
		OP_ROW("vfio_nodes", a_none, op_vfio_nodes,                    \
		       .kfunc_none =                                           \
			       "a listing of the model's nodes for the trace", \
		       .guest = { .kind = GUEST_RUNS, .result = GR_NODES }),   \
		{ .name = "check_vfio_node",                                   \
		  .cls = STEP_CHECK,                                           \
		  .args = a_check_vfio_node,                                   \
		  .exec = check_exec,                                          \
		  CHECK_NONE,                                                  \
		  .guest = { .kind = GUEST_RUNS } },                           \
		{ .name = "check_module_param",                                \
		  .cls = STEP_CHECK,                                           \
		  .args = a_check_module_param,                                \
		  .exec = check_exec,                                          \
		  CHECK_NONE,                                                  \
		  .guest = { .kind = GUEST_RUNS } },                           \
	{                                                                      \
		.name = "check_taint", .cls = STEP_CHECK,                      \
		.args = a_check_taint, .exec = check_exec, CHECK_NONE,         \
		.guest = {                                                     \
			.kind = GUEST_RUNS                                     \
		}                                                              \
	}

#endif
