/* SPDX-License-Identifier: MIT */
/*
 * optable_ifd.h - the iommufd rows of the operation table, included by
 * optable.c only (inside its table: IFD_ROWS). The ioctls are named by
 * their uapi names and take their uapi field names (ifd_uapi.c fills the
 * struct from them); the kernel side of VFIO's bind/attach/detach is
 * named after the include/linux/iommufd.h functions (ifd.c).
 *
 * Guest spelling: every row names the agent verb it will run as
 * (.guest.verb); until the agent has iommufd rows (issue 8 item 9) they
 * are GUEST_PENDING. Rows that cannot run in a guest say why.
 */

/* handlers: ifd.c */
int op_iommufd_open(struct runner *r, const struct statement *st);
int op_iommufd_close(struct runner *r, const struct statement *st);
int op_user_buffer(struct runner *r, const struct statement *st);
int op_memfd_create(struct runner *r, const struct statement *st);
int op_capset(struct runner *r, const struct statement *st);
int op_setrlimit(struct runner *r, const struct statement *st);
int op_idev_bind(struct runner *r, const struct statement *st);
int op_idev_attach(struct runner *r, const struct statement *st);
int op_idev_replace(struct runner *r, const struct statement *st);
int op_idev_detach(struct runner *r, const struct statement *st);
int op_idev_unbind(struct runner *r, const struct statement *st);
int op_noiommu_group_alloc(struct runner *r, const struct statement *st);
int op_noiommu_group_free(struct runner *r, const struct statement *st);
/* handlers: ifd_uapi.c */
int op_iommu_destroy(struct runner *r, const struct statement *st);
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
/* check fields: ifd_checks.c */
CHECK_FIELD(chk_ifd_type);
CHECK_FIELD(chk_ifd_users);
CHECK_FIELD(chk_ifd_objects);
CHECK_FIELD(chk_ifd_file_refs);
CHECK_FIELD(chk_idev_noiommu);
CHECK_FIELD(chk_idev_group);
CHECK_FIELD(chk_idev_igroup_ref);
CHECK_FIELD(chk_idev_hwpt);
CHECK_FIELD(chk_ioas_areas);
CHECK_FIELD(chk_ioas_mapped);
CHECK_FIELD(chk_ioas_pinned);
CHECK_FIELD(chk_ioas_hwpts);
CHECK_FIELD(chk_ioas_domains);
CHECK_FIELD(chk_ioas_phys);
CHECK_FIELD(chk_proc_pinned_vm);
CHECK_FIELD(chk_proc_mm_locked_vm);
CHECK_FIELD(chk_proc_user_locked_vm);

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
#define CAPS "CAP_IPC_LOCK|CAP_SYS_RAWIO|CAP_SYS_RESOURCE"

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
static const struct arg_spec a_capset[] = {
	{ .key = "drop", .type = T_FLAGS, .choices = CAPS },
	{ .key = "raise", .type = T_FLAGS, .choices = CAPS },
	ONLY,
	END,
};
static const struct arg_spec a_setrlimit[] = {
	{ .key = "RLIMIT_MEMLOCK", .type = T_NUM, .required = true },
	ONLY,
	END,
};
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

static const struct arg_spec a_u_destroy[] = {
	UAPI_COMMON,
	ID("id", ht_anyid),
	END,
};
static const struct arg_spec a_u_ioas_alloc[] = {
	UAPI_COMMON,
	NUM("flags"),
	OUT_ID("out_ioas_id", ht_ioas),
	END,
};
static const struct arg_spec a_u_ioas_map[] = {
	UAPI_COMMON,	   FLAGS(MAP_FLAG_NAMES),    ID("ioas_id", ht_ioas),
	NUM("__reserved"), ID("user_va", ht_buffer), NUM("length"),
	NUM("iova"),	   OUT_NUM("out_iova"),	     END,
};
static const struct arg_spec a_u_ioas_map_file[] = {
	UAPI_COMMON,	    FLAGS(MAP_FLAG_NAMES), ID("ioas_id", ht_ioas),
	ID("fd", ht_memfd), NUM("start"),	   NUM("length"),
	NUM("iova"),	    OUT_NUM("out_iova"),   END,
};
static const struct arg_spec a_u_ioas_unmap[] = {
	UAPI_COMMON,   ID("ioas_id", ht_ioas), NUM("iova"),
	NUM("length"), OUT_NUM("out_length"),  END,
};
static const struct arg_spec a_u_ioas_copy[] = {
	UAPI_COMMON,
	FLAGS(MAP_FLAG_NAMES),
	ID("dst_ioas_id", ht_ioas),
	ID("src_ioas_id", ht_ioas),
	NUM("length"),
	NUM("dst_iova"),
	OUT_NUM("out_dst_iova"),
	NUM("src_iova"),
	END,
};
static const struct arg_spec a_u_iova_ranges[] = {
	UAPI_COMMON,
	ID("ioas_id", ht_ioas),
	NUM("num_iovas"),
	NUM("__reserved"),
	OUT_NUM("out_num_iovas"),
	OUT_NUM("out_iova_alignment"),
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
	ID("ioas_id", ht_ioas),
	NUM("num_iovas"),
	NUM("__reserved"),
	{ .key = "allowed_iovas", .type = T_NUMLIST },
	END,
};
static const struct arg_spec a_u_option[] = {
	UAPI_COMMON,
	{ .key = "option_id",
	  .type = T_CODE,
	  .choices = "RLIMIT_MODE|HUGE_PAGES" },
	{ .key = "op", .type = T_CODE, .choices = "SET|GET" },
	NUM("__reserved"),
	ID("object_id", ht_ioas),
	NUM("val64"),
	OUT_NUM("out_val64"),
	END,
};
static const struct arg_spec a_u_vfio_ioas[] = {
	UAPI_COMMON,
	ID("ioas_id", ht_ioas),
	{ .key = "op", .type = T_CODE, .choices = "GET|SET|CLEAR_GLOBAL" },
	NUM("__reserved"),
	OUT_ID("out_ioas_id", ht_ioas),
	END,
};
static const struct arg_spec a_u_hwpt_alloc[] = {
	UAPI_COMMON,
	FLAGS("NEST_PARENT|DIRTY_TRACKING|FAULT_ID_VALID|PASID"),
	ID("dev_id", ht_idev),
	PT_ID,
	OUT_ID("out_hwpt_id", ht_hwpt),
	NUM("__reserved"),
	NUM("data_type"),
	NUM("data_len"),
	NUM("fault_id"),
	NUM("__reserved2"),
	END,
};
static const struct arg_spec a_u_hw_info[] = {
	UAPI_COMMON,
	FLAGS("INPUT_TYPE"),
	ID("dev_id", ht_idev),
	NUM("data_len"),
	OUT_NUM("out_data_len"),
	NUM("in_data_type"),
	OUT_NUM("out_data_type"),
	OUT_NUM("out_max_pasid_log2"),
	OUT_NUM("out_capabilities"),
	END,
};
static const struct arg_spec a_u_set_dirty[] = {
	UAPI_COMMON, FLAGS("ENABLE"), ID("hwpt_id", ht_hwpt), NUM("__reserved"),
	END,
};
static const struct arg_spec a_u_get_dirty[] = {
	UAPI_COMMON,	   ID("hwpt_id", ht_hwpt),
	FLAGS("NO_CLEAR"), NUM("__reserved"),
	NUM("iova"),	   NUM("length"),
	NUM("page_size"),  END,
};
static const struct arg_spec a_u_invalidate[] = {
	UAPI_COMMON,	   ID("hwpt_id", ht_hwpt),
	NUM("data_type"),  NUM("entry_len"),
	NUM("entry_num"),  OUT_NUM("out_entry_num"),
	NUM("__reserved"), END,
};
static const struct arg_spec a_u_viommu[] = {
	UAPI_COMMON,
	NUM("flags"),
	NUM("type"),
	ID("dev_id", ht_idev),
	ID("hwpt_id", ht_hwpt),
	OUT_ID("out_viommu_id", ht_viommu),
	NUM("data_len"),
	END,
};
static const struct arg_spec a_u_vdevice[] = {
	UAPI_COMMON,	       ID("viommu_id", ht_viommu),
	ID("dev_id", ht_idev), OUT_ID("out_vdevice_id", ht_vdevice),
	NUM("virt_id"),	       END,
};
static const struct arg_spec a_u_get_pa[] = {
	UAPI_COMMON,	       NUM("flags"),	    ID("ioas_id", ht_ioas),
	NUM("__reserved"),     NUM("iova"),	    NUM("length"),
	OUT_NUM("out_length"), OUT_NUM("out_phys"), END,
};

/* checks */
static const struct arg_spec a_check_iommufd[] = {
	ICTX,
	ID("id", ht_anyid),
	{ .key = "type",
	  .type = T_ENUM,
	  .choices = "device|hwpt_paging|hwpt_nested|ioas|viommu|vdevice|none",
	  .check = chk_ifd_type },
	{ .key = "users", .type = T_NUM, .check = chk_ifd_users },
	{ .key = "objects", .type = T_NUM, .check = chk_ifd_objects },
	{ .key = "file_refs", .type = T_NUM, .check = chk_ifd_file_refs },
	ONLY,
	END,
};
static const struct arg_spec a_check_idev[] = {
	IDEV,
	{ .key = "noiommu", .type = T_BOOL, .check = chk_idev_noiommu },
	{ .key = "igroup_group",
	  .type = T_CODE,
	  .choices = "none",
	  .check = chk_idev_group },
	{ .key = "igroup_ref", .type = T_NUM, .check = chk_idev_igroup_ref },
	{ .key = "hwpt",
	  .type = T_HANDLE,
	  .choices = "none",
	  .htype = &ht_hwpt,
	  .check = chk_idev_hwpt },
	ONLY,
	END,
};
static const struct arg_spec a_check_ioas[] = {
	ICTX,
	{ .key = "ioas",
	  .type = T_HANDLE,
	  .required = true,
	  .htype = &ht_ioas },
	{ .key = "areas", .type = T_NUM, .check = chk_ioas_areas },
	{ .key = "mapped", .type = T_NUM, .check = chk_ioas_mapped },
	{ .key = "pinned", .type = T_NUM, .check = chk_ioas_pinned },
	{ .key = "hwpts", .type = T_NUM, .check = chk_ioas_hwpts },
	{ .key = "domains", .type = T_NUM, .check = chk_ioas_domains },
	NUM("iova"),
	{ .key = "phys", .type = T_NUM, .check = chk_ioas_phys },
	ONLY,
	END,
};
static const struct arg_spec a_check_process[] = {
	{ .key = "pinned_vm", .type = T_NUM, .check = chk_proc_pinned_vm },
	{ .key = "mm_locked_vm",
	  .type = T_NUM,
	  .check = chk_proc_mm_locked_vm },
	{ .key = "user_locked_vm",
	  .type = T_NUM,
	  .check = chk_proc_user_locked_vm },
	ONLY,
	END,
};

#define IFD_PENDING(gverb)                                                     \
	.guest = { .kind = GUEST_PENDING,                                      \
		   .verb = gverb,                                              \
		   .why = "the agent's iommufd rows are issue 8 item 9" }
#define UAPI_ROW(n, a, fn) OP_ROW(n, a, fn, IFD_PENDING(n))
#define IFD_CHECK_ROW(n, a, fn, ...)                                           \
	{                                                                      \
		.name = n, .cls = STEP_CHECK, .args = a, .exec = fn,           \
		__VA_ARGS__                                                    \
	}

#define IFD_ROWS                                                               \
	OP_ROW("iommufd_open", a_ifd_open, op_iommufd_open,                    \
	       IFD_PENDING("open_iommufd")),                                   \
		OP_ROW("iommufd_close", a_ifd_close, op_iommufd_close,         \
		       IFD_PENDING("close")),                                  \
		OP_ROW("user_buffer", a_user_buffer, op_user_buffer,           \
		       IFD_PENDING("mmap")),                                   \
		OP_ROW("memfd_create", a_memfd, op_memfd_create,               \
		       IFD_PENDING("memfd_create")),                           \
		OP_ROW("capset", a_capset, op_capset, IFD_PENDING("capset")),  \
		OP_ROW("setrlimit", a_setrlimit, op_setrlimit,                 \
		       IFD_PENDING("setrlimit")),                              \
		OP_ROW("iommufd_device_bind", a_idev_bind, op_idev_bind,       \
		       IFD_PENDING("VFIO_DEVICE_BIND_IOMMUFD")),               \
		OP_ROW("iommufd_device_attach", a_idev_pt, op_idev_attach,     \
		       IFD_PENDING("VFIO_DEVICE_ATTACH_IOMMUFD_PT")),          \
		OP_ROW("iommufd_device_replace", a_idev_pt, op_idev_replace,   \
		       IFD_PENDING("VFIO_DEVICE_ATTACH_IOMMUFD_PT")),          \
		OP_ROW("iommufd_device_detach", a_idev, op_idev_detach,        \
		       IFD_PENDING("VFIO_DEVICE_DETACH_IOMMUFD_PT")),          \
		OP_ROW("iommufd_device_unbind", a_idev, op_idev_unbind,        \
		       IFD_PENDING("close_device")),                           \
		OP_ROW("vfio_noiommu_group_alloc", a_dev,                      \
		       op_noiommu_group_alloc,                                 \
		       .guest = { .kind = GUEST_NO,                            \
				  .why = "a guest makes it inside vfio-pci's " \
					 "probe "                              \
					 "in noiommu mode (driver_bind), not " \
					 "on its "                             \
					 "own" }),                             \
		OP_ROW("vfio_noiommu_group_free", a_dev,                       \
		       op_noiommu_group_free,                                  \
		       .guest = { .kind = GUEST_NO,                            \
				  .why = "a guest frees it when vfio-pci "     \
					 "unbinds "                            \
					 "(driver_unbind), not on its own" }), \
		UAPI_ROW("IOMMU_DESTROY", a_u_destroy, op_iommu_destroy),      \
		UAPI_ROW("IOMMU_IOAS_ALLOC", a_u_ioas_alloc, op_ioas_alloc),   \
		UAPI_ROW("IOMMU_IOAS_MAP", a_u_ioas_map, op_ioas_map),         \
		UAPI_ROW("IOMMU_IOAS_MAP_FILE", a_u_ioas_map_file,             \
			 op_ioas_map_file),                                    \
		UAPI_ROW("IOMMU_IOAS_UNMAP", a_u_ioas_unmap, op_ioas_unmap),   \
		UAPI_ROW("IOMMU_IOAS_COPY", a_u_ioas_copy, op_ioas_copy),      \
		UAPI_ROW("IOMMU_IOAS_IOVA_RANGES", a_u_iova_ranges,            \
			 op_ioas_iova_ranges),                                 \
		UAPI_ROW("IOMMU_IOAS_ALLOW_IOVAS", a_u_allow_iovas,            \
			 op_ioas_allow_iovas),                                 \
		UAPI_ROW("IOMMU_OPTION", a_u_option, op_iommu_option),         \
		UAPI_ROW("IOMMU_VFIO_IOAS", a_u_vfio_ioas, op_vfio_ioas),      \
		UAPI_ROW("IOMMU_HWPT_ALLOC", a_u_hwpt_alloc, op_hwpt_alloc),   \
		UAPI_ROW("IOMMU_GET_HW_INFO", a_u_hw_info, op_get_hw_info),    \
		UAPI_ROW("IOMMU_HWPT_SET_DIRTY_TRACKING", a_u_set_dirty,       \
			 op_hwpt_set_dirty_tracking),                          \
		UAPI_ROW("IOMMU_HWPT_GET_DIRTY_BITMAP", a_u_get_dirty,         \
			 op_hwpt_get_dirty_bitmap),                            \
		UAPI_ROW("IOMMU_HWPT_INVALIDATE", a_u_invalidate,              \
			 op_hwpt_invalidate),                                  \
		UAPI_ROW("IOMMU_VIOMMU_ALLOC", a_u_viommu, op_viommu_alloc),   \
		UAPI_ROW("IOMMU_VDEVICE_ALLOC", a_u_vdevice,                   \
			 op_vdevice_alloc),                                    \
		UAPI_ROW("IOMMU_IOAS_NOIOMMU_GET_PA", a_u_get_pa,              \
			 op_ioas_noiommu_get_pa),                              \
		IFD_CHECK_ROW("check_iommufd", a_check_iommufd, check_exec,    \
			      .guest = { .kind = GUEST_DISPLAY,                \
					 .why = "model state: a kernel shows " \
						"no object users" }),          \
		IFD_CHECK_ROW("check_idev", a_check_idev, check_exec,          \
			      .guest = { .kind = GUEST_DISPLAY,                \
					 .why = "model state: a kernel shows " \
						"no igroup" }),                \
		IFD_CHECK_ROW("check_ioas", a_check_ioas, check_exec,          \
			      .guest = { .kind = GUEST_DISPLAY,                \
					 .why = "a kernel shows no areas or "  \
						"pins per "                    \
						"IOAS" }),                     \
		IFD_CHECK_ROW(                                                 \
			"check_process", a_check_process, check_exec,          \
			.guest = { .kind = GUEST_PENDING,                      \
				   .verb = "check_process",                    \
				   .why = "VmPin/VmLck of /proc/self/status: " \
					  "issue 8 item 9" })
