// SPDX-License-Identifier: MIT
/*
 * optable.c - the operation table (op.h): one row per verb, with its
 * arguments, out fields, handler, how its result reads, the profile entry
 * point it needs, and how it runs in the guest. Adding a verb: its row
 * here, or in its family's sub-header (the machine's: optable_machine.h),
 * with its handler's prototype above the rows, its handler (setup.c,
 * ops.c or checks.c), and for the guest its agent row (hw/agent/agent.c)
 * plus a test-driver command if it is kernel-internal. See "Adding a
 * verb" in docs/scenario-language.md.
 */
#include <string.h>

#include "runner.h"
#include "verbs.h"

/* handlers: ops.c */
int op_driver_bind(struct runner *r, const struct statement *st);
int op_driver_unbind(struct runner *r, const struct statement *st);
int op_device_del(struct runner *r, const struct statement *st);
int op_sysfs_write(struct runner *r, const struct statement *st);
int op_paging_domain_alloc(struct runner *r, const struct statement *st);
int op_paging_domain_alloc_flags(struct runner *r, const struct statement *st);
int op_reset_prepare(struct runner *r, const struct statement *st);
int op_reset_done(struct runner *r, const struct statement *st);
int op_domain_free(struct runner *r, const struct statement *st);
int op_attach_device(struct runner *r, const struct statement *st);
int op_detach_device(struct runner *r, const struct statement *st);
int op_attach_group(struct runner *r, const struct statement *st);
int op_detach_group(struct runner *r, const struct statement *st);
int op_attach_group_handle(struct runner *r, const struct statement *st);
int op_detach_group_handle(struct runner *r, const struct statement *st);
int op_replace_group_handle(struct runner *r, const struct statement *st);
int op_group_replace_domain(struct runner *r, const struct statement *st);
int op_attach_device_pasid(struct runner *r, const struct statement *st);
int op_replace_device_pasid(struct runner *r, const struct statement *st);
int op_detach_device_pasid(struct runner *r, const struct statement *st);
int op_group_claim(struct runner *r, const struct statement *st);
int op_group_release(struct runner *r, const struct statement *st);
int op_device_claim(struct runner *r, const struct statement *st);
int op_device_release(struct runner *r, const struct statement *st);
int op_use_default_domain(struct runner *r, const struct statement *st);
int op_unuse_default_domain(struct runner *r, const struct statement *st);
int op_owner_claimed(struct runner *r, const struct statement *st);
int op_inject(struct runner *r, const struct statement *st);
int op_failslab(struct runner *r, const struct statement *st);
int op_iommu_map(struct runner *r, const struct statement *st);
int op_iommu_unmap(struct runner *r, const struct statement *st);
int op_map_range(struct runner *r, const struct statement *st);
int op_unmap_range(struct runner *r, const struct statement *st);
int op_iova_to_phys(struct runner *r, const struct statement *st);
int op_dump(struct runner *r, const struct statement *st);
int op_dma(struct runner *r, const struct statement *st);
int op_memory_write(struct runner *r, const struct statement *st);
int op_sysfs_show(struct runner *r, const struct statement *st);
/* check fields: checks.c */
#define CHECK_FIELD(fn)                                                        \
	void fn(struct runner *r, const struct statement *st,                  \
		const struct arg *a, struct mismatch *mm)
CHECK_FIELD(chk_group_id);
CHECK_FIELD(chk_group_devices);
CHECK_FIELD(chk_group_domain);
CHECK_FIELD(chk_group_handle);
CHECK_FIELD(chk_group_pasid_domain);
CHECK_FIELD(chk_group_pasid_cnt);
CHECK_FIELD(chk_group_domain_type);
CHECK_FIELD(chk_group_default_type);
CHECK_FIELD(chk_group_owner);
CHECK_FIELD(chk_group_owner_cnt);
CHECK_FIELD(chk_group_attach_cnt);
CHECK_FIELD(chk_dev_driver);
CHECK_FIELD(chk_dev_group);
CHECK_FIELD(chk_dev_domain);
CHECK_FIELD(chk_dev_bdf);
CHECK_FIELD(chk_dev_reach);
CHECK_FIELD(chk_sysfs_value);
CHECK_FIELD(chk_groups_count);
CHECK_FIELD(chk_memory_pattern);

#define END                                                                    \
	{                                                                      \
		.key = NULL                                                    \
	}
#define ONLY                                                                   \
	{                                                                      \
		.key = "only", .type = T_PROFILES                              \
	}
#define DEV                                                                    \
	{                                                                      \
		.key = "dev", .type = T_DEV, .required = true                  \
	}
#define DOMAIN(k, names, req)                                                  \
	{                                                                      \
		.key = k, .type = T_HANDLE, .required = req, .choices = names, \
		.htype = &ht_domain                                            \
	}
/* what an operation's domain argument may name instead of a handle: the
 * group's core domains, the driver's statics (dev_iommu_ops(dev)->
 * identity_domain / blocked_domain) and NULL */
#define OP_DOMAINS "default|blocking|identity_domain|blocked_domain|none"
#define CORE_DOMAINS_NONE "default|blocking|none"
/* the device whose group or driver a domain name is resolved through */
#define NAMES_DEV                                                              \
	{                                                                      \
		.key = "dev", .type = T_DEV                                    \
	}
#define DOMAIN_TYPES "blocked|identity|unmanaged|DMA|DMA-FQ|none"
#define PROFILE(op) IOMMU_OP(op)

/* ---- the machine: optable_machine.h ---- */

#include "optable_machine.h"

/* ---- operations ---- */

static const struct arg_spec a_none[] = { ONLY, END };
static const struct arg_spec a_dev[] = { DEV, ONLY, END };
static const struct arg_spec a_bind[] = {
	DEV,
	{ .key = "driver", .type = T_DRIVER, .required = true },
	ONLY,
	END,
};
static const struct arg_spec a_sysfs_write[] = {
	DEV,
	{ .key = "attr",
	  .type = T_ENUM,
	  .required = true,
	  .choices = "iommu_group/type" },
	/* iommu_group_store_type(): the four it knows, and one it refuses */
	{ .key = "value",
	  .type = T_STR,
	  .required = true,
	  .values = "identity|DMA|DMA-FQ|auto|x" },
	ONLY,
	END,
};
static const struct arg_spec a_alloc[] = {
	DEV,
	{ .key = "out_domain",
	  .type = T_OUT,
	  .required = true,
	  .htype = &ht_domain },
	ONLY,
	END,
};
/* include/uapi/linux/iommufd.h enum iommufd_hwpt_alloc_flags, bit 0 up */
static const struct arg_spec a_alloc_flags[] = {
	DEV,
	{ .key = "flags",
	  .type = T_FLAGS,
	  .required = true,
	  .choices = "NEST_PARENT|DIRTY_TRACKING|FAULT_ID_VALID|PASID" },
	{ .key = "out_domain",
	  .type = T_OUT,
	  .required = true,
	  .htype = &ht_domain },
	ONLY,
	END,
};
static const struct arg_spec a_domain[] = {
	DOMAIN("domain", OP_DOMAINS, true),
	NAMES_DEV,
	ONLY,
	END,
};
static const struct arg_spec a_domain_dev[] = {
	DOMAIN("domain", OP_DOMAINS, true),
	DEV,
	ONLY,
	END,
};
/* the attach handle: a new one per call, or NULL */
static const struct arg_spec a_domain_dev_handle[] = {
	DOMAIN("domain", OP_DOMAINS, true),
	DEV,
	{ .key = "handle", .type = T_ENUM, .choices = "new|none" },
	ONLY,
	END,
};
/* the PASID API: a PASID above IOMMU_NO_PASID (ioasid_t) */
#define PASID_ARG                                                              \
	{                                                                      \
		.key = "pasid", .type = T_NUM, .required = true,               \
		.max = UINT32_MAX, .values = "1|2"                             \
	}
static const struct arg_spec a_domain_dev_pasid_handle[] = {
	DOMAIN("domain", OP_DOMAINS, true),
	DEV,
	PASID_ARG,
	{ .key = "handle", .type = T_ENUM, .choices = "new|none" },
	ONLY,
	END,
};
static const struct arg_spec a_domain_dev_pasid[] = {
	DOMAIN("domain", OP_DOMAINS, true), DEV, PASID_ARG, ONLY, END,
};
static const struct arg_spec a_replace_domain[] = {
	DEV,
	DOMAIN("old", OP_DOMAINS, true),
	DOMAIN("new", OP_DOMAINS, true),
	ONLY,
	END,
};
static const struct arg_spec a_claim[] = {
	DEV,
	{ .key = "owner", .type = T_COOKIE, .required = true },
	ONLY,
	END,
};
static const struct arg_spec a_inject[] = {
	{ .key = "iommu", .type = T_IOMMU, .required = true },
	{ .key = "fail",
	  .type = T_ENUM,
	  .required = true,
	  .choices = "attach" },
	{ .key = "dev", .type = T_DEV },
	{ .key = "count", .type = T_NUM, .max = INT32_MAX },
	{ .key = "skip", .type = T_NUM, .max = INT32_MAX },
	{ .key = "errno", .type = T_ERRNO },
	ONLY,
	END,
};
/* the model's allocation sites that are a kernel function's own
 * allocation (model/fault.h; tests/failslab-sites.sh holds each
 * to a fault_should_fail() call of that name) */
static const struct arg_spec a_failslab[] = {
	{ .key = "function",
	  .type = T_ENUM,
	  .required = true,
	  .choices = "dev_set_name|vfio_init_device|vfio_device_add|"
		     "vfio_group_alloc|iommu_group_alloc|iommufd_alloc_group|"
		     "_iommufd_object_alloc|vfio_allocate_device_file" },
	ONLY,
	END,
};
static const struct arg_spec a_map[] = {
	DOMAIN("domain", OP_DOMAINS, true),
	NAMES_DEV,
	{ .key = "iova", .type = T_NUM, .required = true },
	{ .key = "paddr", .type = T_NUM, .required = true, .guest = GF_PADDR },
	{ .key = "size", .type = T_NUM, .required = true, .guest = GF_PLEN },
	/* include/linux/iommu.h IOMMU_READ (bit 0) ... IOMMU_PRIV (bit 5) */
	{ .key = "prot",
	  .type = T_FLAGS,
	  .choices = "READ|WRITE|CACHE|NOEXEC|MMIO|PRIV" },
	ONLY,
	END,
};
static const struct arg_spec a_unmap[] = {
	DOMAIN("domain", OP_DOMAINS, true),
	NAMES_DEV,
	{ .key = "iova", .type = T_NUM, .required = true },
	{ .key = "size", .type = T_NUM, .required = true },
	ONLY,
	END,
};
static const struct arg_spec a_iova[] = {
	DOMAIN("domain", OP_DOMAINS, true),
	NAMES_DEV,
	{ .key = "iova", .type = T_NUM, .required = true },
	ONLY,
	END,
};
/* one transfer in the model: at most 64M */
static const struct arg_spec a_dma[] = {
	DEV,
	{ .key = "iova", .type = T_NUM, .required = true },
	{ .key = "len", .type = T_NUM, .required = true, .max = 64u << 20 },
	{ .key = "dir",
	  .type = T_ENUM,
	  .required = true,
	  .choices = "read|write" },
	{ .key = "pattern", .type = T_NUM, .max = 0xff },
	ONLY,
	END,
};
/* A physical range the CPU writes or checks: one transfer of at most 64M,
 * set aside in the guest (GF_PADDR/GF_PLEN, hw/crosscheck/machine.c). */
#define PHYS_RANGE                                                             \
	{ .key = "paddr",                                                      \
	  .type = T_NUM,                                                       \
	  .required = true,                                                    \
	  .guest = GF_PADDR },                                                 \
	{                                                                      \
		.key = "len", .type = T_NUM, .required = true,                 \
		.max = 64u << 20, .guest = GF_PLEN                             \
	}
static const struct arg_spec a_memory[] = {
	PHYS_RANGE,
	{ .key = "pattern",
	  .type = T_NUM,
	  .required = true,
	  .max = 0xff,
	  .values = "0x5a" },
	ONLY,
	END,
};

/* ---- checks: the fields each compares (selectors have no .check) ---- */

static const struct arg_spec a_check_group[] = {
	DEV,
	{ .key = "id", .type = T_NUM, .check = chk_group_id, .guest = GF_RANK },
	{ .key = "devices", .type = T_DEVLIST, .check = chk_group_devices },
	{ .key = "domain",
	  .type = T_HANDLE,
	  .choices = CORE_DOMAINS_NONE,
	  .htype = &ht_domain,
	  .check = chk_group_domain },
	{ .key = "domain_type",
	  .type = T_ENUM,
	  .choices = DOMAIN_TYPES,
	  .check = chk_group_domain_type },
	{ .key = "default_type",
	  .type = T_ENUM,
	  .choices = DOMAIN_TYPES,
	  .check = chk_group_default_type },
	{ .key = "owner", .type = T_COOKIE, .check = chk_group_owner },
	{ .key = "owner_cnt", .type = T_NUM, .check = chk_group_owner_cnt },
	{ .key = "attach_cnt", .type = T_NUM, .check = chk_group_attach_cnt },
	{ .key = "handle",
	  .type = T_HANDLE,
	  .choices = CORE_DOMAINS_NONE,
	  .htype = &ht_domain,
	  .check = chk_group_handle },
	/* group->pasid_array above IOMMU_NO_PASID: pasid= selects the
	 * entry pasid_domain= compares; pasid_cnt= counts them */
	{ .key = "pasid", .type = T_NUM, .max = UINT32_MAX },
	{ .key = "pasid_domain",
	  .type = T_HANDLE,
	  .choices = CORE_DOMAINS_NONE,
	  .htype = &ht_domain,
	  .check = chk_group_pasid_domain },
	{ .key = "pasid_cnt", .type = T_NUM, .check = chk_group_pasid_cnt },
	ONLY,
	END,
};
static const struct arg_spec a_check_device[] = {
	DEV,
	{ .key = "driver",
	  .type = T_STR,
	  .check = chk_dev_driver,
	  .guest = GF_DRIVER },
	{ .key = "group",
	  .type = T_ENUM,
	  .choices = "none",
	  .check = chk_dev_group },
	{ .key = "domain",
	  .type = T_HANDLE,
	  .choices = CORE_DOMAINS_NONE,
	  .htype = &ht_domain,
	  .check = chk_dev_domain,
	  .guest = GF_DEV_DOM },
	{ .key = "bdf", .type = T_STR, .check = chk_dev_bdf, .guest = GF_BDF },
	{ .key = "reach",
	  .type = T_ENUM,
	  .choices = "none|direct|identity|table|not-walked",
	  .check = chk_dev_reach,
	  .guest = GF_MODEL },
	ONLY,
	END,
};
static const struct arg_spec a_check_sysfs[] = {
	DEV,
	{ .key = "attr",
	  .type = T_ENUM,
	  .required = true,
	  .choices = "iommu_group|iommu_group/type|"
		     "iommu_group/reserved_regions|driver" },
	{ .key = "value",
	  .type = T_STR,
	  .required = true,
	  .check = chk_sysfs_value,
	  .guest = GF_RANK },
	ONLY,
	END,
};
static const struct arg_spec a_check_groups[] = {
	{ .key = "count",
	  .type = T_NUM,
	  .required = true,
	  .check = chk_groups_count },
	ONLY,
	END,
};
static const struct arg_spec a_check_memory[] = {
	PHYS_RANGE,
	{ .key = "pattern",
	  .type = T_NUM,
	  .required = true,
	  .max = 0xff,
	  .check = chk_memory_pattern,
	  .guest = GF_BYTE },
	ONLY,
	END,
};

/* ---- the rows ---- */

/* .kfunc: where each verb's function is in the 7.3 tree */
#define IOMMU_C "drivers/iommu/iommu.c:"
#define CHECK_NONE                                                             \
	.kfunc_none = "a check: compares the model's state (in the guest, "    \
		      "what the kernel shows)"

#define OP_ROW(n, a, fn, ...)                                                  \
	{                                                                      \
		.name = n, .cls = STEP_OP, .args = a, .exec = fn, __VA_ARGS__  \
	}
/* the agent runs it under the same name, its result compared as ret */
#define IN_GUEST .guest = { .kind = GUEST_RUNS }
#define CHECK_ROW(n, a, fn)                                                    \
	{                                                                      \
		.name = n, .cls = STEP_CHECK, .args = a, .exec = fn,           \
		CHECK_NONE, .guest = {                                         \
			.kind = GUEST_RUNS                                     \
		}                                                              \
	}

/* generic_pt's table ops, pt->ops->map_range/unmap_range */
#define PT_OPS_WHY                                                             \
	"generic_pt's NS(map_range)/NS(unmap_range) in "                       \
	"drivers/iommu/generic_pt/iommu_pt.h, a template (pt_iommu_amdv1_*), " \
	"called through pt->ops"

/* the core PASID API on a q35 guest */
#define PASID_WHY                                                              \
	"the test driver has no PASID command: no device QEMU 10.0.2 builds "  \
	"has a PCIe PASID capability (no device property adds one: the only "  \
	"PASID switch in qemu-system-x86_64 is intel-iommu's own "             \
	"x-pasid-mode), so set_dev_pasid() is never reached on a guest "       \
	"(dev->iommu->max_pasids is 0)"

#include "optable_ifd.h"
#include "optable_vfio.h"
#include "optable_vfio_irqs.h"

const struct op op_table[] = {
	MACHINE_ROWS,
	OP_ROW("driver_bind", a_bind, op_driver_bind,
	       .kfunc = "drivers/base/bus.c:bind_store", IN_GUEST),
	OP_ROW("driver_unbind", a_dev, op_driver_unbind,
	       .kfunc = "drivers/base/bus.c:unbind_store", IN_GUEST),
	OP_ROW("device_del", a_dev, op_device_del, .removes_dev = true,
	       .kfunc = "drivers/base/core.c:device_del", IN_GUEST),
	OP_ROW("sysfs_write", a_sysfs_write, op_sysfs_write,
	       .result = RES_VALUE, .kfunc = IOMMU_C "iommu_group_store_type",
	       IN_GUEST),
	OP_ROW("iommu_paging_domain_alloc", a_alloc, op_paging_domain_alloc,
	       .kfunc = IOMMU_C "iommu_paging_domain_alloc_flags", IN_GUEST),
	OP_ROW("iommu_paging_domain_alloc_flags", a_alloc_flags,
	       op_paging_domain_alloc_flags,
	       .kfunc = IOMMU_C "iommu_paging_domain_alloc_flags", IN_GUEST),
	OP_ROW("iommu_domain_free", a_domain, op_domain_free,
	       .kfunc = IOMMU_C "iommu_domain_free", IN_GUEST),
	OP_ROW("iommu_attach_device", a_domain_dev, op_attach_device,
	       .profile_op = PROFILE(attach_device),
	       .kfunc = IOMMU_C "iommu_attach_device", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_detach_device", a_domain_dev, op_detach_device,
	       .profile_op = PROFILE(detach_device),
	       .kfunc = IOMMU_C "iommu_detach_device", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_attach_group", a_domain_dev, op_attach_group,
	       .profile_op = PROFILE(attach_group),
	       .kfunc = IOMMU_C "iommu_attach_group", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_detach_group", a_domain_dev, op_detach_group,
	       .profile_op = PROFILE(detach_group),
	       .kfunc = IOMMU_C "iommu_detach_group", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_attach_group_handle", a_domain_dev_handle,
	       op_attach_group_handle,
	       .profile_op = PROFILE(attach_group_handle),
	       .kfunc = IOMMU_C "iommu_attach_group_handle", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_detach_group_handle", a_domain_dev,
	       op_detach_group_handle,
	       .profile_op = PROFILE(detach_group_handle),
	       .kfunc = IOMMU_C "iommu_detach_group_handle", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_replace_group_handle", a_domain_dev_handle,
	       op_replace_group_handle,
	       .profile_op = PROFILE(replace_group_handle),
	       .kfunc = IOMMU_C "iommu_replace_group_handle", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_attach_device_pasid", a_domain_dev_pasid_handle,
	       op_attach_device_pasid,
	       .kfunc = IOMMU_C "iommu_attach_device_pasid",
	       .guest = { .kind = GUEST_NO, .why = PASID_WHY },
	       .owner_only = true),
	OP_ROW("iommu_replace_device_pasid", a_domain_dev_pasid_handle,
	       op_replace_device_pasid,
	       .kfunc = IOMMU_C "iommu_replace_device_pasid",
	       .guest = { .kind = GUEST_NO, .why = PASID_WHY },
	       .owner_only = true),
	OP_ROW("iommu_detach_device_pasid", a_domain_dev_pasid,
	       op_detach_device_pasid,
	       .kfunc = IOMMU_C "iommu_detach_device_pasid",
	       .guest = { .kind = GUEST_NO, .why = PASID_WHY },
	       .owner_only = true),
	OP_ROW("iommu_group_replace_domain", a_replace_domain,
	       op_group_replace_domain,
	       .profile_op = PROFILE(group_replace_domain),
	       .kfunc_none = "rfc-2022-v1 only: Linux 7.3 has no such function",
	       .guest = { .kind = GUEST_NO,
			  .why = "rfc-2022-v1 only: Linux 7.3 has no such "
				 "function" },
	       .owner_only = true),
	OP_ROW("iommu_group_claim_dma_owner", a_claim, op_group_claim,
	       .profile_op = PROFILE(group_claim_dma_owner),
	       .kfunc = IOMMU_C "iommu_group_claim_dma_owner", IN_GUEST),
	OP_ROW("iommu_group_release_dma_owner", a_dev, op_group_release,
	       .profile_op = PROFILE(group_release_dma_owner),
	       .kfunc = IOMMU_C "iommu_group_release_dma_owner", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_device_claim_dma_owner", a_claim, op_device_claim,
	       .profile_op = PROFILE(device_claim_dma_owner),
	       .kfunc = IOMMU_C "iommu_device_claim_dma_owner", IN_GUEST),
	OP_ROW("iommu_device_release_dma_owner", a_dev, op_device_release,
	       .profile_op = PROFILE(device_release_dma_owner),
	       .kfunc = IOMMU_C "iommu_device_release_dma_owner", IN_GUEST,
	       .owner_only = true),
	OP_ROW("iommu_device_use_default_domain", a_dev, op_use_default_domain,
	       .kfunc = IOMMU_C "iommu_device_use_default_domain", IN_GUEST),
	OP_ROW("iommu_device_unuse_default_domain", a_dev,
	       op_unuse_default_domain,
	       .kfunc = IOMMU_C "iommu_device_unuse_default_domain", IN_GUEST),
	OP_ROW("pci_dev_reset_iommu_prepare", a_dev, op_reset_prepare,
	       .kfunc = IOMMU_C "pci_dev_reset_iommu_prepare", IN_GUEST),
	OP_ROW("pci_dev_reset_iommu_done", a_dev, op_reset_done,
	       .kfunc = IOMMU_C "pci_dev_reset_iommu_done", IN_GUEST),
	OP_ROW("iommu_group_dma_owner_claimed", a_dev, op_owner_claimed,
	       .result = RES_VALUE,
	       .kfunc = IOMMU_C "iommu_group_dma_owner_claimed", IN_GUEST),
	OP_ROW("inject", a_inject, op_inject,
	       .kfunc_none = "fault injection into the model's driver",
	       .guest = { .kind = GUEST_MODEL_ONLY,
			  .why = "fault injection into the model's driver" }),
	OP_ROW("failslab", a_failslab, op_failslab,
	       .kfunc_none = "fault injection: failslab narrowed to one "
			     "function's allocation",
	       .guest = { .kind = GUEST_MODEL_ONLY,
			  .why = "an allocation failed in one function" }),
	OP_ROW("iommu_map", a_map, op_iommu_map, .kfunc = IOMMU_C "iommu_map",
	       IN_GUEST),
	OP_ROW("iommu_unmap", a_unmap, op_iommu_unmap, .result = RES_VALUE,
	       .kfunc = IOMMU_C "iommu_unmap", IN_GUEST),
	OP_ROW("map_range", a_map, op_map_range, .kfunc_none = PT_OPS_WHY,
	       IN_GUEST),
	OP_ROW("unmap_range", a_unmap, op_unmap_range, .result = RES_VALUE,
	       .kfunc_none = PT_OPS_WHY, IN_GUEST),
	OP_ROW("iommu_iova_to_phys", a_iova, op_iova_to_phys,
	       .result = RES_VALUE, .kfunc = IOMMU_C "iommu_iova_to_phys",
	       IN_GUEST),
	OP_ROW("dump", a_domain, op_dump,
	       .kfunc_none = "the model's AMDv1 entries, shown for the trace",
	       .guest = { .kind = GUEST_DISPLAY,
			  .why = "shows the model's raw page-table entries" }),
	OP_ROW("dma", a_dma, op_dma, .result = RES_FAULT,
	       .kfunc_none = "the device's DMA: the IOMMU walks the table in "
			     "hardware (model/pt/amdv1_hw.c)",
	       .guest = { .kind = GUEST_RUNS,
			  .dev_model = "edu",
			  .result = GR_DMA }),
	OP_ROW("memory_write", a_memory, op_memory_write,
	       .kfunc_none = "the CPU writes memory", IN_GUEST),
	OP_ROW("sysfs_show", a_none, op_sysfs_show,
	       .kfunc_none = "a listing of the model's sysfs for the trace",
	       .guest = { .kind = GUEST_NO,
			  .why = "a view of the model's sysfs for the "
				 "trace" }),
	CHECK_ROW("check_group", a_check_group, check_group_exec),
	CHECK_ROW("check_device", a_check_device, check_exec),
	CHECK_ROW("check_sysfs", a_check_sysfs, check_exec),
	CHECK_ROW("check_groups", a_check_groups, check_exec),
	CHECK_ROW("check_memory", a_check_memory, check_exec),
	IFD_ROWS,
	VFIO_ROWS,
	VFIO_IRQ_ROWS,
	{ .name = NULL },
};

/* name -> row, built once: every step and argument looks its row up */
static GHashTable *op_index(void)
{
	static gsize once;
	static GHashTable *index;

	if (g_once_init_enter(&once)) {
		index = g_hash_table_new(g_str_hash, g_str_equal);
		for (const struct op *op = op_table; op->name; op++)
			g_hash_table_insert(index, (gpointer)op->name,
					    (gpointer)op);
		g_once_init_leave(&once, 1);
	}
	return index;
}

/* A row by its name, or by a profile's alias for it (verbs.c): the
 * validator refuses an alias outside its profile. */
const struct op *op_find(const char *name)
{
	/* the last verb found, per thread: a step asks for its own once per
	 * argument (a string hash each was a twentieth of a search) */
	static __thread const struct op *last;
	const struct op *op;
	const struct verb_alias *a;

	if (last && !strcmp(last->name, name))
		return last;
	op = g_hash_table_lookup(op_index(), name);
	a = op ? NULL : verb_alias_find(name);
	if (a)
		return g_hash_table_lookup(op_index(), a->verb);
	if (op)
		last = op;
	return op;
}

bool op_absent(const struct op *op, const struct iommu_profile *p)
{
	return op->profile_op && !iommu_profile_has(p, op->profile_op);
}

const struct arg_spec *op_arg(const struct op *op, const char *key)
{
	for (const struct arg_spec *a = op->args; a->key; a++) {
		if (!strcmp(a->key, key))
			return a;
	}
	return NULL;
}

const char *op_guest_verb(const struct op *op)
{
	return op->guest.verb ? op->guest.verb : op->name;
}

bool stmt_declares_device(const struct statement *st)
{
	const struct op *op = op_find(st->verb);

	return op && op->device;
}
