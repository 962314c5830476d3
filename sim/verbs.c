// SPDX-License-Identifier: MIT
/*
 * verbs.c - the verb table: every statement's name, class, arguments and
 * the function that executes it. Validation (run.c) and the docs follow
 * this table; see docs/scenario-language.md.
 */
#include <stddef.h>
#include <string.h>

#include "runner.h"

int setup_scenario(struct runner *r, const struct statement *st);
int setup_cmdline(struct runner *r, const struct statement *st);
int setup_kconfig(struct runner *r, const struct statement *st);
int setup_iommu(struct runner *r, const struct statement *st);
int setup_device(struct runner *r, const struct statement *st);
int setup_driver(struct runner *r, const struct statement *st);
int setup_boot(struct runner *r, const struct statement *st);
int op_driver_bind(struct runner *r, const struct statement *st);
int op_driver_unbind(struct runner *r, const struct statement *st);
int op_device_del(struct runner *r, const struct statement *st);
int op_sysfs_write(struct runner *r, const struct statement *st);
int op_paging_domain_alloc(struct runner *r, const struct statement *st);
int op_domain_free(struct runner *r, const struct statement *st);
int op_attach_device(struct runner *r, const struct statement *st);
int op_detach_device(struct runner *r, const struct statement *st);
int op_attach_group(struct runner *r, const struct statement *st);
int op_detach_group(struct runner *r, const struct statement *st);
int op_attach_group_handle(struct runner *r, const struct statement *st);
int op_detach_group_handle(struct runner *r, const struct statement *st);
int op_replace_group_handle(struct runner *r, const struct statement *st);
int op_group_replace_domain(struct runner *r, const struct statement *st);
int op_group_claim(struct runner *r, const struct statement *st);
int op_group_release(struct runner *r, const struct statement *st);
int op_device_claim(struct runner *r, const struct statement *st);
int op_device_release(struct runner *r, const struct statement *st);
int op_use_default_domain(struct runner *r, const struct statement *st);
int op_unuse_default_domain(struct runner *r, const struct statement *st);
int op_owner_claimed(struct runner *r, const struct statement *st);
int op_inject(struct runner *r, const struct statement *st);
int op_iommu_map(struct runner *r, const struct statement *st);
int op_iommu_unmap(struct runner *r, const struct statement *st);
int op_iova_to_phys(struct runner *r, const struct statement *st);
int op_dump(struct runner *r, const struct statement *st);
int op_dma(struct runner *r, const struct statement *st);
int op_memory_write(struct runner *r, const struct statement *st);
int op_sysfs_show(struct runner *r, const struct statement *st);

#define END                                                                    \
	{                                                                      \
		NULL, 0, false, NULL                                           \
	}
#define OPT_ONLY                                                               \
	{                                                                      \
		"only", T_PROFILES, false, NULL                                \
	}
#define PROFILE(op) (offsetof(struct iommu_profile, op) + 1)

static const struct arg_spec a_scenario[] = {
	{ "profiles", T_PROFILES, false, NULL },
	{ "guest", T_ENUM, false, "yes|no" },
	{ "why", T_STR, false, NULL },
	END,
};
static const struct arg_spec a_cmdline[] = {
	{ "iommu.passthrough", T_BOOL, false, NULL },
	{ "iommu.strict", T_BOOL, false, NULL },
	END,
};
static const struct arg_spec a_kconfig[] = {
	{ "IOMMU_DEFAULT", T_ENUM, true, "lazy|strict|passthrough" },
	END,
};
static const struct arg_spec a_iommu[] = {
	{ "name", T_NAME, false, NULL },
	{ "driver", T_ENUM, true,
	  "amd-vi|intel-vtd|arm-smmu-v3|tegra-smmu|generic" },
	{ "cache_coherency", T_BOOL, false, NULL },
	{ "enforce_cache_coherency", T_BOOL, false, NULL },
	{ "blocked_domain", T_ENUM, false, "static|paging" },
	{ "identity_domain", T_ENUM, false, "static|alloc|none" },
	{ "paging", T_BOOL, false, NULL },
	{ "np_cache", T_BOOL, false, NULL },
	{ "group_per", T_ENUM, false, "pci|device|stream" },
	END,
};
#define PCI_COMMON                                                             \
	{ "name", T_NAME, true, NULL }, { "addr", T_ADDR, true, NULL },        \
		{ "parent", T_BRIDGE, false, NULL },                           \
		{ "multifunction", T_BOOL, false, NULL },                      \
		{ "acs", T_BOOL, false, NULL },                                \
		{ "iommu", T_IOMMU, false, NULL },                             \
		{ "driver", T_DRIVER, false, NULL },                           \
	{                                                                      \
		"def_domain_type", T_ENUM, false, "identity|dma"               \
	}
static const struct arg_spec a_pci_device[] = {
	PCI_COMMON,
	{ "pcie", T_BOOL, false, NULL },
	{ "dma_alias", T_ADDR, false, NULL },
	{ "untrusted", T_BOOL, false, NULL },
	{ "require_direct", T_BOOL, false, NULL },
	{ "model", T_STR, false, NULL },
	END,
};
static const struct arg_spec a_bridge[] = {
	PCI_COMMON,
	END,
};
static const struct arg_spec a_platform[] = {
	{ "name", T_NAME, true, NULL },
	{ "iommu", T_IOMMU, false, NULL },
	{ "stream_id", T_NUM, false, NULL },
	{ "driver", T_DRIVER, false, NULL },
	{ "def_domain_type", T_ENUM, false, "identity|dma" },
	END,
};
static const struct arg_spec a_driver[] = {
	{ "name", T_NAME, true, NULL },
	{ "driver_managed_dma", T_BOOL, false, NULL },
	END,
};
static const struct arg_spec a_none[] = { OPT_ONLY, END };
static const struct arg_spec a_dev[] = {
	{ "dev", T_DEV, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_bind[] = {
	{ "dev", T_DEV, true, NULL },
	{ "driver", T_DRIVER, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_sysfs_write[] = {
	{ "dev", T_DEV, true, NULL },
	{ "attr", T_ENUM, true, "iommu_group/type" },
	{ "value", T_STR, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_alloc[] = {
	{ "dev", T_DEV, true, NULL },
	{ "out_domain", T_OUT_DOMAIN, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_domain[] = {
	{ "domain", T_DOMAIN, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_domain_dev[] = {
	{ "domain", T_DOMAIN, true, NULL },
	{ "dev", T_DEV, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_replace_domain[] = {
	{ "dev", T_DEV, true, NULL },
	{ "old", T_DOMAIN_NONE, true, NULL },
	{ "new", T_DOMAIN_NONE, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_claim[] = {
	{ "dev", T_DEV, true, NULL },
	{ "owner", T_COOKIE, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_inject[] = {
	{ "iommu", T_IOMMU, true, NULL },
	{ "fail", T_ENUM, true, "attach" },
	{ "dev", T_DEV, false, NULL },
	{ "count", T_NUM, false, NULL },
	{ "skip", T_NUM, false, NULL },
	{ "errno", T_ERRNO, false, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_map[] = {
	{ "domain", T_DOMAIN, true, NULL },
	{ "iova", T_NUM, true, NULL },
	{ "paddr", T_NUM, true, NULL },
	{ "size", T_NUM, true, NULL },
	{ "prot", T_ENUM, false, "r|w|rw" },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_unmap[] = {
	{ "domain", T_DOMAIN, true, NULL },
	{ "iova", T_NUM, true, NULL },
	{ "size", T_NUM, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_iova[] = {
	{ "domain", T_DOMAIN, true, NULL },
	{ "iova", T_NUM, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_dma[] = {
	{ "dev", T_DEV, true, NULL },
	{ "iova", T_NUM, true, NULL },
	{ "len", T_NUM, true, NULL },
	{ "dir", T_ENUM, true, "read|write" },
	{ "pattern", T_NUM, false, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_memory[] = {
	{ "paddr", T_NUM, true, NULL },
	{ "len", T_NUM, true, NULL },
	{ "pattern", T_NUM, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_check_group[] = {
	{ "dev", T_DEV, true, NULL },
	{ "id", T_NUM, false, NULL },
	{ "devices", T_DEVLIST, false, NULL },
	{ "domain", T_DOMAIN_NONE, false, NULL },
	{ "domain_type", T_ENUM, false,
	  "blocked|identity|unmanaged|DMA|DMA-FQ|none" },
	{ "default_type", T_ENUM, false,
	  "blocked|identity|unmanaged|DMA|DMA-FQ|none" },
	{ "owner", T_COOKIE, false, NULL },
	{ "owner_cnt", T_NUM, false, NULL },
	{ "attach_cnt", T_NUM, false, NULL },
	{ "handle", T_DOMAIN_NONE, false, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_check_device[] = {
	{ "dev", T_DEV, true, NULL },
	{ "driver", T_STR, false, NULL },
	{ "group", T_ENUM, false, "none" },
	{ "domain", T_DOMAIN_NONE, false, NULL },
	{ "bdf", T_STR, false, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_check_sysfs[] = {
	{ "dev", T_DEV, true, NULL },
	{ "attr", T_ENUM, true, "iommu_group|iommu_group/type|driver" },
	{ "value", T_STR, true, NULL },
	OPT_ONLY,
	END,
};
static const struct arg_spec a_check_groups[] = {
	{ "count", T_NUM, true, NULL },
	OPT_ONLY,
	END,
};

#define SETUP(n, a, fn)                                                        \
	{                                                                      \
		n, STEP_SETUP, a, fn, 0, false, false, false                   \
	}
#define DEVICE(n, a)                                                           \
	{                                                                      \
		n, STEP_SETUP, a, setup_device, 0, false, false, true          \
	}
#define OP(n, a, fn)                                                           \
	{                                                                      \
		n, STEP_OP, a, fn, 0, false, false, false                      \
	}
#define POP(n, a, fn, op)                                                      \
	{                                                                      \
		n, STEP_OP, a, fn, PROFILE(op), false, false, false            \
	}
#define VAL(n, a, fn)                                                          \
	{                                                                      \
		n, STEP_OP, a, fn, 0, false, true, false                       \
	}
#define CHECK(n, a)                                                            \
	{                                                                      \
		n, STEP_CHECK, a, check_exec, 0, false, false, false           \
	}

const struct verb verb_table[] = {
	SETUP("scenario", a_scenario, setup_scenario),
	SETUP("cmdline", a_cmdline, setup_cmdline),
	SETUP("kconfig", a_kconfig, setup_kconfig),
	SETUP("iommu", a_iommu, setup_iommu),
	DEVICE("pci_device", a_pci_device),
	DEVICE("pcie_root_port", a_bridge),
	DEVICE("pcie_switch_upstream", a_bridge),
	DEVICE("pcie_switch_downstream", a_bridge),
	DEVICE("pcie_pci_bridge", a_bridge),
	DEVICE("pci_bridge", a_bridge),
	DEVICE("platform_device", a_platform),
	SETUP("driver", a_driver, setup_driver),
	SETUP("boot", a_none, setup_boot),
	OP("driver_bind", a_bind, op_driver_bind),
	OP("driver_unbind", a_dev, op_driver_unbind),
	OP("device_del", a_dev, op_device_del),
	OP("sysfs_write", a_sysfs_write, op_sysfs_write),
	OP("iommu_paging_domain_alloc", a_alloc, op_paging_domain_alloc),
	OP("iommu_domain_free", a_domain, op_domain_free),
	POP("iommu_attach_device", a_domain_dev, op_attach_device,
	    attach_device),
	POP("iommu_detach_device", a_domain_dev, op_detach_device,
	    detach_device),
	POP("iommu_attach_group", a_domain_dev, op_attach_group, attach_group),
	POP("iommu_detach_group", a_domain_dev, op_detach_group, detach_group),
	POP("iommu_attach_group_handle", a_domain_dev, op_attach_group_handle,
	    attach_group_handle),
	POP("iommu_detach_group_handle", a_domain_dev, op_detach_group_handle,
	    detach_group_handle),
	POP("iommu_replace_group_handle", a_domain_dev, op_replace_group_handle,
	    replace_group_handle),
	POP("iommu_group_replace_domain", a_replace_domain,
	    op_group_replace_domain, group_replace_domain),
	POP("iommu_group_claim_dma_owner", a_claim, op_group_claim,
	    group_claim_dma_owner),
	POP("iommu_group_release_dma_owner", a_dev, op_group_release,
	    group_release_dma_owner),
	POP("iommu_device_claim_dma_owner", a_claim, op_device_claim,
	    device_claim_dma_owner),
	POP("iommu_device_release_dma_owner", a_dev, op_device_release,
	    device_release_dma_owner),
	OP("iommu_device_use_default_domain", a_dev, op_use_default_domain),
	OP("iommu_device_unuse_default_domain", a_dev, op_unuse_default_domain),
	VAL("iommu_group_dma_owner_claimed", a_dev, op_owner_claimed),
	{ "inject", STEP_OP, a_inject, op_inject, 0, true, false, false },
	OP("iommu_map", a_map, op_iommu_map),
	VAL("iommu_unmap", a_unmap, op_iommu_unmap),
	VAL("iommu_iova_to_phys", a_iova, op_iova_to_phys),
	OP("dump", a_domain, op_dump),
	OP("dma", a_dma, op_dma),
	OP("memory_write", a_memory, op_memory_write),
	OP("sysfs_show", a_none, op_sysfs_show),
	CHECK("check_group", a_check_group),
	CHECK("check_device", a_check_device),
	CHECK("check_sysfs", a_check_sysfs),
	CHECK("check_groups", a_check_groups),
	CHECK("check_memory", a_memory),
	{ NULL },
};

const struct verb *verb_find(const char *name)
{
	for (const struct verb *v = verb_table; v->name; v++) {
		if (!strcmp(v->name, name))
			return v;
	}
	return NULL;
}

bool stmt_declares_device(const struct statement *st)
{
	const struct verb *v = verb_find(st->verb);

	return v && v->exec == setup_device;
}

bool verb_absent(const struct verb *v, const struct iommu_profile *p)
{
	const void *fn;

	if (!v->profile_op)
		return false;
	memcpy(&fn, (const char *)p + v->profile_op - 1, sizeof(fn));
	return fn == NULL;
}

const struct arg_spec *verb_arg_spec(const struct verb *v, const char *key)
{
	for (const struct arg_spec *a = v->args; a->key; a++) {
		if (!strcmp(a->key, key))
			return a;
	}
	return NULL;
}
