/* SPDX-License-Identifier: MIT */
/*
 * optable_ifd.h - the iommufd rows of the operation table, included by
 * optable.c only (inside its table: IFD_ROWS). The ioctls are named by
 * their uapi names and take their uapi field names (sim/uapi.c fills the
 * struct from them); the kernel side of VFIO's bind/attach/detach is
 * named after the include/linux/iommufd.h functions (ifd.c).
 *
 * Guest spelling: every row names the agent verb it runs as (.guest.verb,
 * hw/agent/iommufd.c, ifd_uapi.c): the ioctls by name on the guest's
 * /dev/iommu, the kernel side of VFIO's bind/attach/detach/unbind through
 * the device's cdev (attach and replace are both VFIO's ATTACH ioctl,
 * which replaces when attached: the agent runs each only from the state
 * that calls it). Checks of state a kernel does not show only show the
 * model's (GUEST_DISPLAY); the checks' rows are optable_ifd_checks.h's.
 * Rows that cannot run in a guest say why.
 */

#include <stddef.h>

#include "model/iommufd/uapi.h"
#include "model/iommufd/iommufd_test.h"

/* handlers: ifd.c */
int op_iommufd_open(struct runner *r, const struct statement *st);
int op_iommufd_close(struct runner *r, const struct statement *st);
int op_user_buffer(struct runner *r, const struct statement *st);
int op_memfd_create(struct runner *r, const struct statement *st);
int op_close_fd(struct runner *r, const struct statement *st);
/* handlers: ifd_fault.c */
int op_fault_read(struct runner *r, const struct statement *st);
int op_fault_write(struct runner *r, const struct statement *st);
int op_veventq_read(struct runner *r, const struct statement *st);
int op_capset(struct runner *r, const struct statement *st);
int op_setrlimit(struct runner *r, const struct statement *st);
int op_fork(struct runner *r, const struct statement *st);
int op_idev_bind(struct runner *r, const struct statement *st);
int op_idev_attach(struct runner *r, const struct statement *st);
int op_idev_replace(struct runner *r, const struct statement *st);
int op_idev_detach(struct runner *r, const struct statement *st);
int op_idev_unbind(struct runner *r, const struct statement *st);
/* handlers: ifd_uapi.c */
int op_iommu_destroy(struct runner *r, const struct statement *st);
int op_fault_queue_alloc(struct runner *r, const struct statement *st);
int op_ioas_alloc(struct runner *r, const struct statement *st);
int op_ioas_map(struct runner *r, const struct statement *st);
int op_ioas_map_file(struct runner *r, const struct statement *st);
int op_ioas_unmap(struct runner *r, const struct statement *st);
int op_ioas_copy(struct runner *r, const struct statement *st);
int op_ioas_iova_ranges(struct runner *r, const struct statement *st);
int op_ioas_allow_iovas(struct runner *r, const struct statement *st);
int op_iommu_option(struct runner *r, const struct statement *st);
int op_vfio_ioas(struct runner *r, const struct statement *st);
int op_hwpt_alloc(struct runner *r, const struct statement *st);
int op_get_hw_info(struct runner *r, const struct statement *st);
int op_hwpt_set_dirty_tracking(struct runner *r, const struct statement *st);
int op_hwpt_get_dirty_bitmap(struct runner *r, const struct statement *st);
int op_hwpt_invalidate(struct runner *r, const struct statement *st);
int op_viommu_alloc(struct runner *r, const struct statement *st);
int op_vdevice_alloc(struct runner *r, const struct statement *st);
int op_ioas_noiommu_get_pa(struct runner *r, const struct statement *st);
int op_ioas_change_process(struct runner *r, const struct statement *st);
int op_veventq_alloc(struct runner *r, const struct statement *st);
int op_hw_queue_alloc(struct runner *r, const struct statement *st);
int op_iommu_test_cmd(struct runner *r, const struct statement *st);
bool iommu_test_cmd_takes(uint64_t op, const char *key);
#define ICTX                                                                   \
	{                                                                      \
		.key = "ictx", .type = T_HANDLE, .required = true,             \
		.htype = &ht_iommufd                                           \
	}
#define NUM(k)                                                                 \
	{                                                                      \
		.key = k, .type = T_NUM                                        \
	}
#define ID(k, t)                                                               \
	{                                                                      \
		.key = k, .type = T_HANDLE, .htype = &t                        \
	}
#define OUT_ID(k, t)                                                           \
	{                                                                      \
		.key = k, .type = T_OUT, .htype = &t                           \
	}
#define OUT_NUM(k)                                                             \
	{                                                                      \
		.key = k, .type = T_OUT                                        \
	}
#define FLAGS(names)                                                           \
	{                                                                      \
		.key = "flags", .type = T_FLAGS, .choices = names              \
	}
/* the dispatcher's size rules: size= the struct's size field, tail= a
 * byte past the struct */
#define UAPI_COMMON ICTX, NUM("size"), NUM("tail"), ONLY
#define MAP_FLAG_NAMES "FIXED_IOVA|WRITEABLE|READABLE"
/* COPY's, and MOCK_FLAGS_ACCESS_SYZ (bit 16): under CONFIG_IOMMUFD_TEST
 * iommufd_ioas_copy() takes src_iova in syzkaller's form with it */
#define COPY_FLAG_NAMES MAP_FLAG_NAMES "|_|_|_|_|_|_|_|_|_|_|_|_|_|SYZ"
#define PT_ID                                                                  \
	{                                                                      \
		.key = "pt_id", .type = T_HANDLE, .htype = &ht_ioas,           \
		.htype_alt = &ht_hwpt                                          \
	}
#define LAYOUT                                                                 \
	{ .key = "layout",                                                     \
	  .type = T_ENUM,                                                      \
	  .choices = "contiguous|scattered|huge" },                            \
		NUM("pa")
#define CAPS "CAP_IPC_LOCK|CAP_SYS_RAWIO|CAP_SYS_RESOURCE|CAP_SYS_ADMIN"

static const struct arg_spec a_ifd_open[] = {
	{ .key = "out_fd",
	  .type = T_OUT,
	  .required = true,
	  .htype = &ht_iommufd },
	ONLY,
	END,
};
static const struct arg_spec a_ifd_close[] = { ICTX, ONLY, END };
static const struct arg_spec a_user_buffer[] = {
	{ .key = "size", .type = T_NUM, .required = true },
	LAYOUT,
	ID("fd", ht_memfd), /* MAP_SHARED of it instead of anonymous memory */
	NUM("va"),
	{ .key = "writable", .type = T_BOOL },
	OUT_ID("out_va", ht_buffer),
	ONLY,
	END,
};
static const struct arg_spec a_memfd[] = {
	{ .key = "size", .type = T_NUM, .required = true },
	LAYOUT,
	OUT_ID("out_fd", ht_memfd),
	ONLY,
	END,
};
static const struct arg_spec a_close_fd[] = {
	{ .key = "fd",
	  .type = T_HANDLE,
	  .required = true,
	  .htype = &ht_memfd,
	  .htype_alt = &ht_access_fd },
	ONLY,
	END,
};
/* a fault queue's fd (out_fault_fd): read and write (ifd_fault.c) */
static const struct arg_spec a_fault_read[] = {
	{ .key = "fd", .type = T_HANDLE, .required = true, .htype = &ht_memfd },
	NUM("count"),
	OUT_NUM("out_len"),
	OUT_NUM("out_dev_id"),
	OUT_NUM("out_flags"),
	OUT_NUM("out_pasid"),
	OUT_NUM("out_grpid"),
	OUT_NUM("out_perm"),
	OUT_NUM("out_addr"),
	OUT_NUM("out_cookie"),
	ONLY,
	END,
};
static const struct arg_spec a_fault_write[] = {
	{ .key = "fd", .type = T_HANDLE, .required = true, .htype = &ht_memfd },
	/* iommufd_fault_fops_read(): xa_alloc() from 1 (XA_FLAGS_ALLOC1) */
	{ .key = "cookie",
	  .type = T_NUMLIST,
	  .required = true,
	  .values = "1|2" },
	NUM("code"),
	NUM("count"),
	OUT_NUM("out_len"),
	ONLY,
	END,
};
/* a vEVENTQ's fd (out_veventq_fd): read (ifd_fault.c) */
static const struct arg_spec a_veventq_read[] = {
	{ .key = "fd", .type = T_HANDLE, .required = true, .htype = &ht_memfd },
	NUM("count"),
	OUT_NUM("out_len"),
	OUT_NUM("out_flags"),
	OUT_NUM("out_sequence"),
	OUT_NUM("out_data"),
	ONLY,
	END,
};
static const struct arg_spec a_capset[] = {
	{ .key = "drop", .type = T_FLAGS, .choices = CAPS },
	{ .key = "raise", .type = T_FLAGS, .choices = CAPS },
	ONLY,
	END,
};
static const struct arg_spec a_setrlimit[] = {
	/* none, one page, the 2 MiB of a huge page */
	{ .key = "RLIMIT_MEMLOCK",
	  .type = T_NUM,
	  .required = true,
	  .values = "0|0x1000|0x200000" },
	ONLY,
	END,
};
static const struct arg_spec a_fork[] = { ONLY, END };
static const struct arg_spec a_idev_bind[] = {
	DEV, ICTX, OUT_ID("out_dev_id", ht_idev), ONLY, END,
};
#define IDEV                                                                   \
	{                                                                      \
		.key = "idev", .type = T_HANDLE, .required = true,             \
		.htype = &ht_idev                                              \
	}
static const struct arg_spec a_idev_pt[] = {
	IDEV,
	{ .key = "pt_id",
	  .type = T_HANDLE,
	  .required = true,
	  .htype = &ht_ioas,
	  .htype_alt = &ht_hwpt },
	OUT_ID("out_pt_id", ht_hwpt),
	ONLY,
	END,
};
static const struct arg_spec a_idev[] = { IDEV, ONLY, END };

/* uapi fields: where the value goes in the row's struct (sim/uapi.c);
 * F_BACK reads an in/out field back as out_<field> */
#define W(t, f) .off = offsetof(t, f), .width = sizeof(((t *)0)->f)
#define F_NUM(t, f)                                                            \
	{                                                                      \
		.key = #f, .type = T_NUM, W(t, f)                              \
	}
/* a field whose values the search tries are the row's (explore_args.c) */
#define F_NUM_V(t, f, v)                                                       \
	{                                                                      \
		.key = #f, .type = T_NUM, .values = v, W(t, f)                 \
	}
#define F_ID(t, f, ht)                                                         \
	{                                                                      \
		.key = #f, .type = T_HANDLE, .htype = &ht, W(t, f)             \
	}
#define F_FLAGS(t, names)                                                      \
	{                                                                      \
		.key = "flags", .type = T_FLAGS, .choices = names, W(t, flags) \
	}
#define F_CODE(t, f, names)                                                    \
	{                                                                      \
		.key = #f, .type = T_CODE, .choices = names, W(t, f)           \
	}
#define F_OUT(t, f)                                                            \
	{                                                                      \
		.key = #f, .type = T_OUT, W(t, f)                              \
	}
#define F_OUT_ID(t, f, ht)                                                     \
	{                                                                      \
		.key = #f, .type = T_OUT, .htype = &ht, W(t, f)                \
	}
#define F_BACK(t, f)                                                           \
	{                                                                      \
		.key = "out_" #f, .type = T_OUT, W(t, f)                       \
	}

#define S_MAP struct iommu_ioas_map
#define S_MAPF struct iommu_ioas_map_file
#define S_UNMAP struct iommu_ioas_unmap
#define S_COPY struct iommu_ioas_copy
#define S_RANGES struct iommu_ioas_iova_ranges
#define S_ALLOW struct iommu_ioas_allow_iovas
#define S_OPT struct iommu_option
#define S_VIOAS struct iommu_vfio_ioas
#define S_HWPT struct iommu_hwpt_alloc
#define S_INFO struct iommu_hw_info
#define S_DIRTY struct iommu_hwpt_set_dirty_tracking
#define S_BITMAP struct iommu_hwpt_get_dirty_bitmap
#define S_INV struct iommu_hwpt_invalidate
#define S_VIOMMU struct iommu_viommu_alloc
#define S_VDEV struct iommu_vdevice_alloc
#define S_GETPA struct iommu_ioas_noiommu_get_pa

static const struct arg_spec a_u_destroy[] = {
	UAPI_COMMON,
	F_ID(struct iommu_destroy, id, ht_anyid),
	END,
};
static const struct arg_spec a_u_fault_alloc[] = {
	UAPI_COMMON,
	F_NUM(struct iommu_fault_alloc, flags),
	F_OUT_ID(struct iommu_fault_alloc, out_fault_id, ht_fault),
	F_OUT_ID(struct iommu_fault_alloc, out_fault_fd, ht_memfd),
	END,
};
static const struct arg_spec a_u_ioas_alloc[] = {
	UAPI_COMMON,
	F_NUM(struct iommu_ioas_alloc, flags),
	F_OUT_ID(struct iommu_ioas_alloc, out_ioas_id, ht_ioas),
	END,
};
static const struct arg_spec a_u_ioas_map[] = {
	UAPI_COMMON,
	F_FLAGS(S_MAP, MAP_FLAG_NAMES),
	F_ID(S_MAP, ioas_id, ht_ioas),
	F_NUM(S_MAP, __reserved),
	F_ID(S_MAP, user_va, ht_buffer),
	F_NUM(S_MAP, length),
	F_NUM(S_MAP, iova),
	F_BACK(S_MAP, iova),
	END,
};
static const struct arg_spec a_u_ioas_map_file[] = {
	UAPI_COMMON,
	F_FLAGS(S_MAPF, MAP_FLAG_NAMES),
	F_ID(S_MAPF, ioas_id, ht_ioas),
	F_ID(S_MAPF, fd, ht_memfd),
	F_NUM(S_MAPF, start),
	F_NUM(S_MAPF, length),
	F_NUM(S_MAPF, iova),
	F_BACK(S_MAPF, iova),
	END,
};
static const struct arg_spec a_u_ioas_unmap[] = {
	UAPI_COMMON,
	F_ID(S_UNMAP, ioas_id, ht_ioas),
	F_NUM(S_UNMAP, iova),
	F_NUM(S_UNMAP, length),
	F_BACK(S_UNMAP, length),
	END,
};
static const struct arg_spec a_u_ioas_copy[] = {
	UAPI_COMMON,
	F_FLAGS(S_COPY, COPY_FLAG_NAMES),
	F_ID(S_COPY, dst_ioas_id, ht_ioas),
	F_ID(S_COPY, src_ioas_id, ht_ioas),
	F_NUM(S_COPY, length),
	F_NUM(S_COPY, dst_iova),
	F_BACK(S_COPY, dst_iova),
	F_NUM(S_COPY, src_iova),
	END,
};
/* the ranges behind allowed_iovas read back in ifd_uapi.c */
static const struct arg_spec a_u_iova_ranges[] = {
	UAPI_COMMON,
	F_ID(S_RANGES, ioas_id, ht_ioas),
	F_NUM(S_RANGES, num_iovas),
	F_NUM(S_RANGES, __reserved),
	F_BACK(S_RANGES, num_iovas),
	F_OUT(S_RANGES, out_iova_alignment),
	OUT_NUM("out_start0"),
	OUT_NUM("out_last0"),
	OUT_NUM("out_start1"),
	OUT_NUM("out_last1"),
	OUT_NUM("out_start2"),
	OUT_NUM("out_last2"),
	OUT_NUM("out_start3"),
	OUT_NUM("out_last3"),
	END,
};
static const struct arg_spec a_u_allow_iovas[] = {
	UAPI_COMMON,
	F_ID(S_ALLOW, ioas_id, ht_ioas),
	F_NUM(S_ALLOW, num_iovas),
	F_NUM(S_ALLOW, __reserved),
	{ .key = "allowed_iovas", .type = T_NUMLIST },
	END,
};
static const struct arg_spec a_u_option[] = {
	UAPI_COMMON,
	F_CODE(S_OPT, option_id, "RLIMIT_MODE|HUGE_PAGES"),
	F_CODE(S_OPT, op, "SET|GET"),
	F_NUM(S_OPT, __reserved),
	F_ID(S_OPT, object_id, ht_ioas),
	F_NUM(S_OPT, val64),
	F_BACK(S_OPT, val64),
	END,
};
static const struct arg_spec a_u_vfio_ioas[] = {
	UAPI_COMMON,
	F_ID(S_VIOAS, ioas_id, ht_ioas),
	F_CODE(S_VIOAS, op, "GET|SET|CLEAR_GLOBAL"),
	F_NUM(S_VIOAS, __reserved),
	{ .key = "out_ioas_id",
	  .type = T_OUT,
	  .htype = &ht_ioas,
	  W(S_VIOAS, ioas_id) },
	END,
};
static const struct arg_spec a_u_hwpt_alloc[] = {
	UAPI_COMMON,
	F_FLAGS(S_HWPT, "NEST_PARENT|DIRTY_TRACKING|FAULT_ID_VALID|PASID"),
	F_ID(S_HWPT, dev_id, ht_idev),
	{ .key = "pt_id",
	  .type = T_HANDLE,
	  .htype = &ht_ioas,
	  .htype_alt = &ht_hwpt,
	  .htype_alt2 = &ht_viommu,
	  W(S_HWPT, pt_id) },
	F_OUT_ID(S_HWPT, out_hwpt_id, ht_hwpt),
	F_NUM(S_HWPT, __reserved),
	F_NUM(S_HWPT, data_type),
	F_NUM(S_HWPT, data_len),
	/* the u32 words behind data_uptr (ifd_uapi.c), zero beyond them */
	{ .key = "data", .type = T_NUMLIST },
	F_ID(S_HWPT, fault_id, ht_fault),
	F_NUM(S_HWPT, __reserved2),
	END,
};
static const struct arg_spec a_u_hw_info[] = {
	UAPI_COMMON,
	F_FLAGS(S_INFO, "INPUT_TYPE"),
	F_ID(S_INFO, dev_id, ht_idev),
	F_NUM(S_INFO, data_len),
	F_BACK(S_INFO, data_len),
	F_NUM(S_INFO, in_data_type),
	F_OUT(S_INFO, out_data_type),
	F_OUT(S_INFO, out_max_pasid_log2),
	F_OUT(S_INFO, out_capabilities),
	END,
};
static const struct arg_spec a_u_set_dirty[] = {
	UAPI_COMMON,
	F_FLAGS(S_DIRTY, "ENABLE"),
	F_ID(S_DIRTY, hwpt_id, ht_hwpt),
	F_NUM(S_DIRTY, __reserved),
	END,
};
static const struct arg_spec a_u_get_dirty[] = {
	UAPI_COMMON,
	F_ID(S_BITMAP, hwpt_id, ht_hwpt),
	F_FLAGS(S_BITMAP, "NO_CLEAR"),
	F_NUM(S_BITMAP, __reserved),
	F_NUM(S_BITMAP, iova),
	F_NUM(S_BITMAP, length),
	F_NUM(S_BITMAP, page_size),
	END,
};
static const struct arg_spec a_u_invalidate[] = {
	UAPI_COMMON,
	{ .key = "hwpt_id",
	  .type = T_HANDLE,
	  .htype = &ht_hwpt,
	  .htype_alt = &ht_viommu,
	  W(S_INV, hwpt_id) },
	F_NUM(S_INV, data_type),
	/* the u32 words behind data_uptr (ifd_uapi.c), zero beyond them */
	{ .key = "data", .type = T_NUMLIST },
	F_NUM(S_INV, entry_len),
	F_NUM(S_INV, entry_num),
	F_BACK(S_INV, entry_num),
	F_NUM(S_INV, __reserved),
	END,
};
static const struct arg_spec a_u_viommu[] = {
	UAPI_COMMON,
	F_NUM(S_VIOMMU, flags),
	/* iommufd_test.h IOMMU_VIOMMU_TYPE_SELFTEST: the mock's */
	F_NUM_V(S_VIOMMU, type, "0xdeadbeef"),
	F_ID(S_VIOMMU, dev_id, ht_idev),
	F_ID(S_VIOMMU, hwpt_id, ht_hwpt),
	F_OUT_ID(S_VIOMMU, out_viommu_id, ht_viommu),
	F_NUM(S_VIOMMU, data_len),
	END,
};
static const struct arg_spec a_u_vdevice[] = {
	UAPI_COMMON,
	F_ID(S_VDEV, viommu_id, ht_viommu),
	F_ID(S_VDEV, dev_id, ht_idev),
	F_OUT_ID(S_VDEV, out_vdevice_id, ht_vdevice),
	F_NUM(S_VDEV, virt_id),
	END,
};
#define S_VEVQ struct iommu_veventq_alloc
static const struct arg_spec a_u_veventq[] = {
	UAPI_COMMON,
	F_NUM(S_VEVQ, flags),
	F_ID(S_VEVQ, viommu_id, ht_viommu),
	/* IOMMU_VEVENTQ_TYPE_SELFTEST; a depth of 1 fills at once */
	F_NUM_V(S_VEVQ, type, "0xbeefbeef"),
	F_NUM_V(S_VEVQ, veventq_depth, "1"),
	F_OUT_ID(S_VEVQ, out_veventq_id, ht_veventq),
	F_OUT_ID(S_VEVQ, out_veventq_fd, ht_memfd),
	F_NUM(S_VEVQ, __reserved),
	END,
};
#define S_HWQ struct iommu_hw_queue_alloc
static const struct arg_spec a_u_hw_queue[] = {
	UAPI_COMMON,
	F_NUM(S_HWQ, flags),
	F_ID(S_HWQ, viommu_id, ht_viommu),
	/* IOMMU_HW_QUEUE_TYPE_SELFTEST */
	F_NUM_V(S_HWQ, type, "0xdeadbeef"),
	F_NUM(S_HWQ, index),
	F_OUT_ID(S_HWQ, out_hw_queue_id, ht_hw_queue),
	F_NUM(S_HWQ, nesting_parent_iova),
	F_NUM(S_HWQ, length),
	END,
};
static const struct arg_spec a_u_change_process[] = {
	UAPI_COMMON,
	F_NUM(struct iommu_ioas_change_process, __reserved),
	END,
};
static const struct arg_spec a_u_get_pa[] = {
	UAPI_COMMON,
	F_NUM(S_GETPA, flags),
	F_ID(S_GETPA, ioas_id, ht_ioas),
	F_NUM(S_GETPA, __reserved),
	F_NUM(S_GETPA, iova),
	F_NUM(S_GETPA, length),
	F_BACK(S_GETPA, length),
	F_OUT(S_GETPA, out_phys),
	END,
};

/* IOMMU_TEST_CMD: op= names the union member; its fields are placed by
 * the verb (ifd_uapi.c, iommufd_test.h IOMMU_TEST_CMD_FIELDS), so only
 * the fixed head has an offset here */
#define S_TEST struct iommu_test_cmd
#define TEST_OPS                                                               \
	"_|ADD_RESERVED|MOCK_DOMAIN|MD_CHECK_MAP|MD_CHECK_REFS|CREATE_ACCESS|" \
	"DESTROY_ACCESS_PAGES|ACCESS_PAGES|ACCESS_RW|SET_TEMP_MEMORY_LIMIT|"   \
	"MOCK_DOMAIN_REPLACE|ACCESS_REPLACE_IOAS|MOCK_DOMAIN_FLAGS|DIRTY|"     \
	"MD_CHECK_IOTLB|TRIGGER_IOPF|DEV_CHECK_CACHE|TRIGGER_VEVENT|"          \
	"PASID_ATTACH|PASID_REPLACE|PASID_DETACH|PASID_CHECK_HWPT|"            \
	"DMABUF_GET|DMABUF_REVOKE"
static const struct arg_spec a_u_test_cmd[] = {
	UAPI_COMMON,
	{ .key = "op",
	  .type = T_CODE,
	  .required = true,
	  .choices = TEST_OPS,
	  /* explore: each command its own verb (op.h .selector) */
	  .values = TEST_OPS,
	  W(S_TEST, op) },
	F_ID(S_TEST, id, ht_anyid),
	F_NUM(S_TEST, __reserved),
	NUM("start"),
	NUM("length"),
	NUM("iova"),
	ID("uptr", ht_buffer),
	NUM("refs"),
	NUM("limit"),
	NUM("cache_id"),
	NUM("cache"),
	NUM("iotlb_id"),
	NUM("iotlb"),
	ID("dev_id", ht_idev),
	NUM("pasid"),
	NUM("grpid"),
	NUM("perm"),
	NUM("addr"),
	ID("hwpt_id", ht_hwpt),
	NUM("open_flags"),
	ID("dmabuf_fd", ht_memfd),
	NUM("revoked"),
	{ .key = "dev_flags", .type = T_FLAGS, .choices = "NO_DIRTY|_|PASID" },
	/* MOCK_FLAGS_ACCESS_CREATE_*; ACCESS_PAGES' MOCK_FLAGS_ACCESS_* and
	 * ACCESS_RW's MOCK_ACCESS_RW_* share flags= (bit 0 WRITE in both,
	 * SYZ bit 16 in both: selftest.c takes it in either) */
	{ .key = "create_flags",
	  .type = T_FLAGS,
	  .choices = "NEEDS_PIN_PAGES" },
	{ .key = "flags",
	  .type = T_FLAGS,
	  .choices = "WRITE|_|SLOW_PATH|_|_|_|_|_|_|_|_|_|_|_|_|_|SYZ" },
	ID("access_pages_id", ht_access_pages),
	ID("ioas_id", ht_ioas),
	OUT_ID("out_access_fd", ht_access_fd),
	OUT_ID("out_access_pages_id", ht_access_pages),
	PT_ID,
	OUT_ID("out_stdev_id", ht_stdev),
	OUT_ID("out_hwpt_id", ht_hwpt),
	OUT_ID("out_idev_id", ht_idev),
	OUT_ID("out_pt_id", ht_hwpt),
	END,
};

/* checks: optable_ifd_checks.h */
#include "optable_ifd_checks.h"

#define IFD_GUEST(gverb) .guest = { .kind = GUEST_RUNS, .verb = gverb }
/* .kfunc: the 7.3 files */
#define IFD_DIR "drivers/iommu/iommufd/"
#define IFD_MAIN_C IFD_DIR "main.c:"
#define IFD_DEVICE_C IFD_DIR "device.c:"
#define IFD_IOAS_C IFD_DIR "ioas.c:"
#define IFD_HWPT_C IFD_DIR "hw_pagetable.c:"
#define IFD_VIOMMU_C IFD_DIR "viommu.c:"
#define IFD_COMPAT_C IFD_DIR "vfio_compat.c:"
/* the process's own calls: they run in a forked child too */
#define CHILD_OK .in_child = true
#define UAPI_ROW(n, a, fn, t, kf)                                              \
	OP_ROW(n, a, fn, .uapi_size = sizeof(t), .kfunc = kf, IFD_GUEST(n),    \
	       CHILD_OK)

#define IFD_ROWS                                                               \
	OP_ROW("iommufd_open", a_ifd_open, op_iommufd_open,                    \
	       .kfunc = IFD_MAIN_C "iommufd_fops_open",                        \
	       IFD_GUEST("open_iommufd"), CHILD_OK),                           \
		OP_ROW("iommufd_close", a_ifd_close, op_iommufd_close,         \
		       .kfunc = IFD_MAIN_C "iommufd_fops_release",             \
		       IFD_GUEST("close"), CHILD_OK),                          \
		OP_ROW("user_buffer", a_user_buffer, op_user_buffer,           \
		       .kfunc_none = "the process's own memory: mmap() and "   \
				     "its page faults",                        \
		       IFD_GUEST("mmap"), CHILD_OK),                           \
		OP_ROW("memfd_create", a_memfd, op_memfd_create,               \
		       .kfunc = "mm/memfd.c:memfd_create",                     \
		       IFD_GUEST("memfd_create"), CHILD_OK),                   \
		OP_ROW("close", a_close_fd, op_close_fd,                       \
		       .kfunc = "fs/file.c:close_fd", IFD_GUEST("close_fd"),   \
		       CHILD_OK),                                              \
		OP_ROW("iommufd_fault_read", a_fault_read, op_fault_read,      \
		       .kfunc = IFD_DIR "eventq.c:iommufd_fault_fops_read",    \
		       IFD_GUEST("fault_read"), CHILD_OK),                     \
		OP_ROW("iommufd_fault_write", a_fault_write, op_fault_write,   \
		       .kfunc = IFD_DIR "eventq.c:iommufd_fault_fops_write",   \
		       IFD_GUEST("fault_write"), CHILD_OK),                    \
		OP_ROW("iommufd_veventq_read", a_veventq_read,                 \
		       op_veventq_read,                                        \
		       .kfunc = IFD_DIR "eventq.c:iommufd_veventq_fops_read",  \
		       IFD_GUEST("veventq_read"), CHILD_OK),                   \
		OP_ROW("capset", a_capset, op_capset,                          \
		       .kfunc = "kernel/capability.c:capset",                  \
		       IFD_GUEST("capset"), CHILD_OK),                         \
		OP_ROW("setrlimit", a_setrlimit, op_setrlimit,                 \
		       .kfunc = "kernel/sys.c:setrlimit",                      \
		       IFD_GUEST("setrlimit"), CHILD_OK),                      \
		OP_ROW("fork", a_fork, op_fork,                                \
		       .kfunc = "kernel/fork.c:copy_process",                  \
		       IFD_GUEST("fork"), .forks = true),                      \
		OP_ROW("exit", a_fork, op_exit,                                \
		       .kfunc = "kernel/exit.c:do_exit", IFD_GUEST("exit"),    \
		       .exits = true),                                         \
		OP_ROW("iommufd_device_bind", a_idev_bind, op_idev_bind,       \
		       .kfunc = IFD_DEVICE_C "iommufd_device_bind",            \
		       IFD_GUEST("cdev_bind")),                                \
		OP_ROW("iommufd_device_attach", a_idev_pt, op_idev_attach,     \
		       .kfunc = IFD_DEVICE_C "iommufd_device_attach",          \
		       IFD_GUEST("cdev_attach")),                              \
		OP_ROW("iommufd_device_replace", a_idev_pt, op_idev_replace,   \
		       .kfunc = IFD_DEVICE_C "iommufd_device_replace",         \
		       IFD_GUEST("cdev_replace")),                             \
		OP_ROW("iommufd_device_detach", a_idev, op_idev_detach,        \
		       .kfunc = IFD_DEVICE_C "iommufd_device_detach",          \
		       IFD_GUEST("cdev_detach")),                              \
		OP_ROW("iommufd_device_unbind", a_idev, op_idev_unbind,        \
		       .kfunc = IFD_DEVICE_C "iommufd_device_unbind",          \
		       IFD_GUEST("close_device")),                             \
		UAPI_ROW("IOMMU_DESTROY", a_u_destroy, op_iommu_destroy,       \
			 struct iommu_destroy, IFD_MAIN_C "iommufd_destroy"),  \
		UAPI_ROW("IOMMU_FAULT_QUEUE_ALLOC", a_u_fault_alloc,           \
			 op_fault_queue_alloc, struct iommu_fault_alloc,       \
			 IFD_DIR "eventq.c:iommufd_fault_alloc"),              \
		UAPI_ROW("IOMMU_IOAS_ALLOC", a_u_ioas_alloc, op_ioas_alloc,    \
			 struct iommu_ioas_alloc,                              \
			 IFD_IOAS_C "iommufd_ioas_alloc_ioctl"),               \
		UAPI_ROW("IOMMU_IOAS_MAP", a_u_ioas_map, op_ioas_map, S_MAP,   \
			 IFD_IOAS_C "iommufd_ioas_map"),                       \
		UAPI_ROW("IOMMU_IOAS_MAP_FILE", a_u_ioas_map_file,             \
			 op_ioas_map_file, S_MAPF,                             \
			 IFD_IOAS_C "iommufd_ioas_map_file"),                  \
		UAPI_ROW("IOMMU_IOAS_UNMAP", a_u_ioas_unmap, op_ioas_unmap,    \
			 S_UNMAP, IFD_IOAS_C "iommufd_ioas_unmap"),            \
		UAPI_ROW("IOMMU_IOAS_COPY", a_u_ioas_copy, op_ioas_copy,       \
			 S_COPY, IFD_IOAS_C "iommufd_ioas_copy"),              \
		UAPI_ROW("IOMMU_IOAS_IOVA_RANGES", a_u_iova_ranges,            \
			 op_ioas_iova_ranges, S_RANGES,                        \
			 IFD_IOAS_C "iommufd_ioas_iova_ranges"),               \
		UAPI_ROW("IOMMU_IOAS_ALLOW_IOVAS", a_u_allow_iovas,            \
			 op_ioas_allow_iovas, S_ALLOW,                         \
			 IFD_IOAS_C "iommufd_ioas_allow_iovas"),               \
		UAPI_ROW("IOMMU_OPTION", a_u_option, op_iommu_option, S_OPT,   \
			 IFD_MAIN_C "iommufd_option"),                         \
		UAPI_ROW("IOMMU_VFIO_IOAS", a_u_vfio_ioas, op_vfio_ioas,       \
			 S_VIOAS, IFD_COMPAT_C "iommufd_vfio_ioas"),           \
		UAPI_ROW("IOMMU_HWPT_ALLOC", a_u_hwpt_alloc, op_hwpt_alloc,    \
			 S_HWPT, IFD_HWPT_C "iommufd_hwpt_alloc"),             \
		UAPI_ROW("IOMMU_GET_HW_INFO", a_u_hw_info, op_get_hw_info,     \
			 S_INFO, IFD_DEVICE_C "iommufd_get_hw_info"),          \
		UAPI_ROW("IOMMU_HWPT_SET_DIRTY_TRACKING", a_u_set_dirty,       \
			 op_hwpt_set_dirty_tracking, S_DIRTY,                  \
			 IFD_HWPT_C "iommufd_hwpt_set_dirty_tracking"),        \
		UAPI_ROW("IOMMU_HWPT_GET_DIRTY_BITMAP", a_u_get_dirty,         \
			 op_hwpt_get_dirty_bitmap, S_BITMAP,                   \
			 IFD_HWPT_C "iommufd_hwpt_get_dirty_bitmap"),          \
		UAPI_ROW("IOMMU_HWPT_INVALIDATE", a_u_invalidate,              \
			 op_hwpt_invalidate, S_INV,                            \
			 IFD_HWPT_C "iommufd_hwpt_invalidate"),                \
		UAPI_ROW("IOMMU_VIOMMU_ALLOC", a_u_viommu, op_viommu_alloc,    \
			 S_VIOMMU, IFD_VIOMMU_C "iommufd_viommu_alloc_ioctl"), \
		UAPI_ROW("IOMMU_VDEVICE_ALLOC", a_u_vdevice, op_vdevice_alloc, \
			 S_VDEV, IFD_VIOMMU_C "iommufd_vdevice_alloc_ioctl"),  \
		UAPI_ROW("IOMMU_IOAS_NOIOMMU_GET_PA", a_u_get_pa,              \
			 op_ioas_noiommu_get_pa, S_GETPA,                      \
			 IFD_IOAS_C "iommufd_ioas_noiommu_get_pa"),            \
		UAPI_ROW("IOMMU_VEVENTQ_ALLOC", a_u_veventq, op_veventq_alloc, \
			 S_VEVQ, IFD_DIR "eventq.c:iommufd_veventq_alloc"),    \
		UAPI_ROW("IOMMU_HW_QUEUE_ALLOC", a_u_hw_queue,                 \
			 op_hw_queue_alloc, S_HWQ,                             \
			 IFD_VIOMMU_C "iommufd_hw_queue_alloc_ioctl"),         \
		UAPI_ROW("IOMMU_IOAS_CHANGE_PROCESS", a_u_change_process,      \
			 op_ioas_change_process,                               \
			 struct iommu_ioas_change_process,                     \
			 IFD_IOAS_C "iommufd_ioas_change_process"),            \
		OP_ROW("IOMMU_TEST_CMD", a_u_test_cmd, op_iommu_test_cmd,      \
		       .uapi_size = sizeof(S_TEST),                            \
		       .kfunc = IFD_DIR "selftest.c:iommufd_test",             \
		       IFD_GUEST("IOMMU_TEST_CMD"), CHILD_OK,                  \
		       .selector = "op", .takes = iommu_test_cmd_takes),       \
		IFD_CHECK_ROWS
