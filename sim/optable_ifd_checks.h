/* SPDX-License-Identifier: MIT */
/*
 * optable_ifd_checks.h - the iommufd checks of the operation table
 * (included by optable_ifd.h where its checks stood, spliced into
 * IFD_ROWS last as IFD_CHECK_ROWS): an object's type and users, a bound
 * device, an IOAS, the process's pinned and locked memory. Check fields
 * in ifd_checks.c.
 */
#ifndef IOMMUSIM_SIM_OPTABLE_IFD_CHECKS_H
#define IOMMUSIM_SIM_OPTABLE_IFD_CHECKS_H

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

static const struct arg_spec a_check_iommufd[] = {
	ICTX,
	ID("id", ht_anyid),
	{ .key = "type",
	  .type = T_ENUM,
	  .choices = "device|hwpt_paging|hwpt_nested|ioas|fault|viommu|vdevice|"
		     "selftest|none",
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
	/* the calling process, or (in a forked child) the one that forked */
	{ .key = "process", .type = T_ENUM, .choices = "self|parent" },
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

#define IFD_CHECK_ROW(n, a, fn, ...)                                           \
	{                                                                      \
		.name = n, .cls = STEP_CHECK, .args = a, .exec = fn,           \
		CHECK_NONE, __VA_ARGS__                                        \
	}

#define IFD_CHECK_ROWS                                                         \
	IFD_CHECK_ROW("check_iommufd", a_check_iommufd, check_exec,            \
		      .guest = { .kind = GUEST_DISPLAY,                        \
				 .why = "model state: a kernel shows "         \
					"no object users" }),                  \
		IFD_CHECK_ROW("check_idev", a_check_idev, check_exec,          \
			      .guest = { .kind = GUEST_DISPLAY,                \
					 .why = "model state: a kernel shows " \
						"no igroup" }),                \
		IFD_CHECK_ROW("check_ioas", a_check_ioas, check_exec,          \
			      .guest = { .kind = GUEST_DISPLAY,                \
					 .why = "a kernel shows no areas or "  \
						"pins per "                    \
						"IOAS" }),                     \
		IFD_CHECK_ROW("check_process", a_check_process, check_exec,    \
			      .guest = { .kind = GUEST_RUNS,                   \
					 .verb = "check_process" })

#endif
