/* SPDX-License-Identifier: MIT */
/*
 * optable_machine.h - the machine's rows of the operation table
 * (included by optable.c where its machine section stood, spliced into
 * op_table first as MACHINE_ROWS): the scenario header, the kernel's
 * command line and Kconfig, the IOMMUs, devices and drivers of the
 * machine description, and boot. Handlers in setup.c.
 */
#ifndef IOMMUSIM_SIM_OPTABLE_MACHINE_H
#define IOMMUSIM_SIM_OPTABLE_MACHINE_H

/* handlers: setup.c */
int setup_scenario(struct runner *r, const struct statement *st);
int setup_cmdline(struct runner *r, const struct statement *st);
int setup_kconfig(struct runner *r, const struct statement *st);
int setup_iommu(struct runner *r, const struct statement *st);
int setup_device(struct runner *r, const struct statement *st);
int setup_driver(struct runner *r, const struct statement *st);
int setup_boot(struct runner *r, const struct statement *st);

static const struct arg_spec a_scenario[] = {
	{ .key = "profiles", .type = T_PROFILES },
	{ .key = "guest", .type = T_ENUM, .choices = "yes|no" },
	{ .key = "why", .type = T_STR },
	END,
};
/* guest=no says why (the corpus summary and the cross-check print it for
 * every file a guest cannot build); why= says nothing about a file that
 * runs in one */
static const struct arg *scenario_rule(const struct statement *st,
				       const char **why)
{
	const struct arg *guest = stmt_arg(st, "guest");
	const struct arg *reason = stmt_arg(st, "why");
	bool no = guest && !strcmp(guest->val.text, "no");

	if (no && !reason) {
		*why = "needs why=\"...\" too: what keeps the file out of a "
		       "guest (a QEMU machine cannot build it, model-only "
		       "injection, a non-7.3 profile)";
		return guest;
	}
	if (!no && reason) {
		*why = "says why a file cannot run in a guest: only with "
		       "guest=no";
		return reason;
	}
	return NULL;
}
static const struct arg_spec a_cmdline[] = {
	{ .key = "iommu.passthrough", .type = T_BOOL },
	{ .key = "iommu.strict", .type = T_BOOL },
	{ .key = "iommufd.allow_unsafe_interrupts", .type = T_BOOL },
	{ .key = "vfio.enable_unsafe_noiommu_mode", .type = T_BOOL },
	{ .key = "vfio_iommu_type1.allow_unsafe_interrupts", .type = T_BOOL },
	END,
};
/* IOMMU_DEFAULT picks the guest kernel's variant; the VFIO/IOMMUFD
 * symbols and DEBUG_GENERIC_PT are resolved by model/vfio/kconfig.c and
 * pick the VFIO variant (hw/crosscheck/kvariant.c) */
#define KSYM(name)                                                             \
	{                                                                      \
		.key = name, .type = T_ENUM, .choices = "y|n"                  \
	}
static const struct arg_spec a_kconfig[] = {
	{ .key = "IOMMU_DEFAULT",
	  .type = T_ENUM,
	  .choices = "lazy|strict|passthrough" },
	KSYM("VFIO"),
	KSYM("VFIO_GROUP"),
	KSYM("VFIO_CONTAINER"),
	KSYM("IOMMUFD_VFIO_CONTAINER"),
	KSYM("VFIO_DEVICE_CDEV"),
	KSYM("VFIO_NOIOMMU"),
	KSYM("IOMMUFD_NOIOMMU"),
	KSYM("GENERIC_ATOMIC64"),
	KSYM("IOMMUFD"),
	KSYM("DEBUG_GENERIC_PT"),
	ONLY,
	END,
};
#undef KSYM
static const struct arg_spec a_iommu[] = {
	{ .key = "name", .type = T_NAME, .ns = NS_IOMMU },
	{ .key = "driver",
	  .type = T_ENUM,
	  .required = true,
	  .choices = "amd-vi|intel-vtd|arm-smmu-v3|tegra-smmu|generic" },
	{ .key = "cache_coherency", .type = T_BOOL },
	{ .key = "enforce_cache_coherency", .type = T_BOOL },
	{ .key = "blocked_domain", .type = T_ENUM, .choices = "static|paging" },
	{ .key = "identity_domain",
	  .type = T_ENUM,
	  .choices = "static|alloc|none" },
	{ .key = "paging", .type = T_BOOL },
	{ .key = "np_cache", .type = T_BOOL },
	{ .key = "group_per", .type = T_ENUM, .choices = "pci|device|stream" },
	{ .key = "irq_remap", .type = T_BOOL },
	/* amd-vi's EFR.HATS (amd/init.c); 3 (host translation disabled)
	 * is not modelled */
	{ .key = "hats", .type = T_NUM, .max = 2 },
	/* iommu_dev->max_pasids (PASID_MASK: 20 bits) */
	{ .key = "max_pasids", .type = T_NUM, .max = 1u << 20 },
	END,
};
#define PCI_COMMON                                                             \
	{ .key = "name", .type = T_NAME, .required = true, .ns = NS_DEVICE },  \
		{ .key = "addr", .type = T_ADDR, .required = true },           \
		{ .key = "parent", .type = T_BRIDGE },                         \
		{ .key = "multifunction", .type = T_BOOL },                    \
		{ .key = "acs", .type = T_BOOL },                              \
		{ .key = "iommu", .type = T_IOMMU },                           \
		{ .key = "driver", .type = T_DRIVER },                         \
	{                                                                      \
		.key = "def_domain_type", .type = T_ENUM,                      \
		.choices = "identity|dma"                                      \
	}
static const struct arg_spec a_pci_device[] = {
	PCI_COMMON,
	{ .key = "pcie", .type = T_BOOL },
	{ .key = "dma_alias", .type = T_ADDR },
	{ .key = "untrusted", .type = T_BOOL },
	{ .key = "require_direct", .type = T_BOOL },
	/* firmware's direct-mapped ranges naming it (IVMD, RMRR, RMR) */
	{ .key = "direct", .type = T_DIRECT },
	{ .key = "ats", .type = T_BOOL }, /* a PCIe ATS capability */
	/* a PCIe PASID capability: pci_max_pasids(), 1 << its width */
	{ .key = "pasids", .type = T_NUM, .max = 1u << 20 },
	{ .key = "vendor", .type = T_NUM, .max = 0xffff },
	{ .key = "model", .type = T_STR },
	END,
};
static const struct arg_spec a_bridge[] = { PCI_COMMON, END };
static const struct arg_spec a_platform[] = {
	{ .key = "name", .type = T_NAME, .required = true, .ns = NS_DEVICE },
	{ .key = "iommu", .type = T_IOMMU },
	{ .key = "stream_id", .type = T_NUM, .max = UINT32_MAX },
	{ .key = "driver", .type = T_DRIVER },
	{ .key = "def_domain_type", .type = T_ENUM, .choices = "identity|dma" },
	END,
};
static const struct arg_spec a_driver[] = {
	{ .key = "name", .type = T_NAME, .required = true, .ns = NS_DRIVER },
	{ .key = "driver_managed_dma", .type = T_BOOL },
	END,
};

/* A device statement after boot is a hotplug: the guest rescans for the
 * device named by name= (machine.c has put it in the QEMU machine). */
#define DEVICE_ROW(n, a, dk)                                                   \
	{                                                                      \
		.name = n, .cls = STEP_SETUP, .args = a, .exec = setup_device, \
		.after_boot = true, .device = true, .dev_kind = dk,            \
		.kfunc = IOMMU_C "iommu_probe_device", .guest = {              \
			.kind = GUEST_RUNS,                                    \
			.verb = "hotplug",                                     \
			.pass = "dev=name"                                     \
		}                                                              \
	}
#define SETUP_ROW(n, a, fn, ...)                                               \
	{                                                                      \
		.name = n, .cls = STEP_SETUP, .args = a, .exec = fn,           \
		__VA_ARGS__                                                    \
	}
#define MACHINE_ROWS                                                           \
	SETUP_ROW("scenario", a_scenario, setup_scenario, .first_only = true,  \
		  .kfunc_none = "the file's header",                           \
		  .arg_rule = scenario_rule),                                  \
		SETUP_ROW("cmdline", a_cmdline, setup_cmdline,                 \
			  .kfunc_none =                                        \
				  "kernel parameters (early_param, "           \
				  "module_param), read where each is used"),   \
		SETUP_ROW("kconfig", a_kconfig, setup_kconfig,                 \
			  .kfunc_none = "build-time configuration (Kconfig)"), \
		SETUP_ROW("iommu", a_iommu, setup_iommu,                       \
			  .kfunc = IOMMU_C "iommu_device_register"),           \
		DEVICE_ROW("pci_device", a_pci_device, DEV_PCI),               \
		DEVICE_ROW("pcie_root_port", a_bridge, DEV_PCIE_ROOT_PORT),    \
		DEVICE_ROW("pcie_switch_upstream", a_bridge,                   \
			   DEV_PCIE_UPSTREAM),                                 \
		DEVICE_ROW("pcie_switch_downstream", a_bridge,                 \
			   DEV_PCIE_DOWNSTREAM),                               \
		DEVICE_ROW("pcie_pci_bridge", a_bridge, DEV_PCIE_PCI_BRIDGE),  \
		DEVICE_ROW("pci_bridge", a_bridge, DEV_PCI_BRIDGE),            \
		DEVICE_ROW("platform_device", a_platform, DEV_PLATFORM),       \
		SETUP_ROW("driver", a_driver, setup_driver,                    \
			  .kfunc = "drivers/base/driver.c:driver_register"),   \
		SETUP_ROW("boot", a_none, setup_boot, .boots = true,           \
			  .kfunc = IOMMU_C "bus_iommu_probe")

#endif
