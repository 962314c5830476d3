// SPDX-License-Identifier: MIT
/*
 * setup.c - the machine statements: configuration, IOMMUs, devices,
 * drivers and boot. They only build the model; the semantics are model/.
 */
#include <string.h>

#include "runner.h"
#include "model/core/kerrno.h"
#include "model/vfio/vfio.h"

int setup_scenario(struct runner *r, const struct statement *st)
{
	return 0; /* read by scenario_profiles() and the guest harness */
}

int setup_cmdline(struct runner *r, const struct statement *st)
{
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];

		/* VFIO's module parameters are model/vfio's */
		if (!strcmp(a->key, "vfio.enable_unsafe_noiommu_mode"))
			vfio_set_noiommu_param(r->m, a->val.num != 0);
		else if (!strcmp(a->key,
				 "vfio_iommu_type1.allow_unsafe_interrupts"))
			vfio_set_type1_allow_unsafe_interrupts(r->m,
							       a->val.num != 0);
		else
			iommu_set_cmdline(r->m, a->key, a->val.num != 0);
	}
	return 0;
}

/* The statement's VFIO/IOMMUFD symbols as a Kconfig request. */
void kconfig_request(const struct statement *st, struct vfio_kconfig_req *req)
{
	vfio_kconfig_req_init(req);
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		int sym = vfio_ksym_lookup(a->key);

		if (sym >= 0)
			req->v[sym] = !strcmp(arg_str(st, a->key, "n"), "y");
	}
}

int setup_kconfig(struct runner *r, const struct statement *st)
{
	const char *def = arg_str(st, "IOMMU_DEFAULT", "lazy");
	struct vfio_kconfig_req req;
	g_autofree char *why = NULL;
	int ret;

	/* validate.c refused what does not resolve */
	kconfig_request(st, &req);
	ret = vfio_set_kconfig(r->m, &req, &why);
	if (ret)
		return ret;
	r->m->debug_generic_pt = vfio_kconfig(r->m)->y[KS_DEBUG_GENERIC_PT];

	if (!strcmp(def, "strict"))
		r->m->kconfig_default = IOMMU_DOMAIN_DMA;
	else if (!strcmp(def, "passthrough"))
		r->m->kconfig_default = IOMMU_DOMAIN_IDENTITY;
	else
		r->m->kconfig_default = IOMMU_DOMAIN_DMA_FQ;
	return 0;
}

static enum iommu_driver_kind driver_kind(const char *s)
{
	if (!strcmp(s, "amd-vi"))
		return IOMMU_DRV_AMD_VI;
	if (!strcmp(s, "intel-vtd"))
		return IOMMU_DRV_INTEL_VTD;
	if (!strcmp(s, "arm-smmu-v3"))
		return IOMMU_DRV_ARM_SMMU_V3;
	if (!strcmp(s, "tegra-smmu"))
		return IOMMU_DRV_TEGRA_SMMU;
	return IOMMU_DRV_GENERIC;
}

int setup_iommu(struct runner *r, const struct statement *st)
{
	struct iommu_device *iommu;
	const char *s;

	iommu = iommu_device_add(r->m, arg_str(st, "name", "iommu0"),
				 driver_kind(arg_str(st, "driver", "generic")));
	iommu->cap_cache_coherency =
		arg_num(st, "cache_coherency", iommu->cap_cache_coherency);
	iommu->cap_enforce_cache_coherency =
		arg_num(st, "enforce_cache_coherency",
			iommu->cap_enforce_cache_coherency);
	iommu->paging = arg_num(st, "paging", iommu->paging);
	iommu->np_cache = arg_num(st, "np_cache", iommu->np_cache);
	iommu->irq_remap = arg_num(st, "irq_remap", iommu->irq_remap);
	iommu->hats = arg_num(st, "hats", iommu->hats);
	iommu->max_pasids = arg_num(st, "max_pasids", iommu->max_pasids);
	s = arg_str(st, "blocked_domain", NULL);
	if (s)
		iommu->blocked =
			!strcmp(s, "static") ? BLOCKED_STATIC : BLOCKED_PAGING;
	s = arg_str(st, "identity_domain", NULL);
	if (s)
		iommu->identity = !strcmp(s, "static")	? IDENTITY_STATIC
				  : !strcmp(s, "alloc") ? IDENTITY_ALLOC
							: IDENTITY_NONE;
	s = arg_str(st, "group_per", NULL);
	if (s)
		iommu->device_group = !strcmp(s, "device")   ? GROUP_PER_DEVICE
				      : !strcmp(s, "stream") ? GROUP_STREAM_ID
							     : GROUP_PCI;
	return 0;
}

static void set_pci_attrs(struct runner *r, const struct statement *st,
			  struct device *dev)
{
	const char *alias = arg_str(st, "dma_alias", NULL);
	u8 devfn;

	dev->pcie = arg_num(st, "pcie", dev->kind != DEV_PCI_BRIDGE);
	dev->multifunction = arg_num(st, "multifunction", 0);
	dev->acs = arg_num(st, "acs", 0);
	dev->vendor = arg_num(st, "vendor", 0);
	dev->untrusted = arg_num(st, "untrusted", 0);
	/* an IOMMU_RESV_DIRECT range the file does not place */
	dev->fw_direct_unplaced = arg_num(st, "require_direct", 0);
	arg_direct(st, dev);
	dev->ats = arg_num(st, "ats", 0);
	dev->pasids = arg_num(st, "pasids", 0);
	if (alias && !parse_addr(alias, &devfn))
		dev->dma_alias_devfn = devfn;
	device_describe_pci(dev, arg_str(st, "model", NULL));
}

static void set_def_domain_type(const struct statement *st, struct device *dev)
{
	const char *t = arg_str(st, "def_domain_type", NULL);

	if (t)
		dev->def_domain_type = !strcmp(t, "identity")
					       ? IOMMU_DOMAIN_IDENTITY
					       : IOMMU_DOMAIN_DMA;
}

int setup_device(struct runner *r, const struct statement *st)
{
	enum dev_kind kind = op_find(st->verb)->dev_kind;
	struct device *parent = NULL, *dev, *holder;
	const char *iommu = arg_str(st, "iommu", NULL);
	u8 devfn = 0;

	/* drivers/pci/pci-sysfs.c rescan_store() takes
	 * pci_rescan_remove_lock, which a removal that waits holds for its
	 * whole wait: the rescan would wait behind it, a setup step that
	 * does not return, which the model does not run */
	if ((holder = stmt_hotplug_waits(r, st))) {
		g_string_append_printf(r->m->why,
				       "not modelled: the rescan would wait "
				       "for pci_rescan_remove_lock, which the "
				       "removal of %s holds while it waits",
				       holder->name);
		return -EBUSY;
	}
	/* a hotplug where a removal whose outcome the file does not state
	 * did not remove the device: the file cannot know, the validator
	 * let it through (validate_names.c pending_addrs); bad input now */
	if (r->m->booted && stmt_declares_taken(r, st)) {
		g_string_append_printf(r->m->why,
				       "address %s is still taken: the "
				       "removal of the device there has not "
				       "happened",
				       arg_str(st, "addr", ""));
		return -EEXIST;
	}
	if (arg_has(st, "parent"))
		parent = arg_dev(r, st, "parent");
	if (arg_has(st, "addr"))
		parse_addr(arg_str(st, "addr", ""), &devfn);
	dev = device_add(r->m, arg_str(st, "name", ""), kind, parent, devfn);
	if (iommu)
		dev->iommu = iommu_device_find(r->m, iommu);
	if (kind == DEV_PLATFORM) {
		dev->has_stream_id = arg_has(st, "stream_id");
		dev->stream_id = arg_num(st, "stream_id", 0);
	} else {
		set_pci_attrs(r, st, dev);
	}
	set_def_domain_type(st, dev);
	dev->boot_driver = g_strdup(arg_str(st, "driver", NULL));
	if (!r->m->booted)
		return 0;
	/* hotplug: a PCI function is found as a rescan of its bus finds it
	 * (model/core/pci_probe.c; maybe not at all), a platform device is
	 * there; the bus notifier probes what is found at once, and a failed
	 * probe leaves the device on the bus without a group (iommu.c:
	 * iommu_bus_notifier() returns NOTIFY_DONE) */
	if (kind == DEV_PLATFORM)
		iommu_probe_device(r->m, dev);
	else
		pci_rescan_bus(r->m, dev);
	return 0;
}

int setup_driver(struct runner *r, const struct statement *st)
{
	driver_register(r->m, arg_str(st, "name", ""),
			arg_num(st, "driver_managed_dma", 0));
	return 0;
}

/* Drivers built into the kernel bind as devices appear: after the IOMMU
 * probe on x86 (IOMMU init is a rootfs_initcall, drivers device_initcall
 * later). PCIe ports get pcieport, which is driver_managed_dma. A probe
 * failure is the device's alone: drivers/base/dd.c driver_probe_device()
 * logs it ("probe of X failed with error") and the next device still gets
 * its driver; boot itself succeeds. */
static int autobind(struct runner *r)
{
	GPtrArray *order = pci_bus_add_order(r->m);

	for (guint i = 0; i < r->m->devices->len; i++) {
		struct device *dev = r->m->devices->pdata[i];

		if (dev->kind == DEV_PLATFORM)
			g_ptr_array_add(order, dev);
	}
	for (guint i = 0; i < order->len; i++) {
		struct device *dev = order->pdata[i];
		const char *name = dev->boot_driver;

		if (!name && (dev->kind == DEV_PCIE_ROOT_PORT ||
			      dev->kind == DEV_PCIE_UPSTREAM ||
			      dev->kind == DEV_PCIE_DOWNSTREAM))
			name = "pcieport";
		if (name)
			device_driver_attach(r->m, dev,
					     driver_find(r->m, name));
	}
	g_ptr_array_free(order, TRUE);
	return 0;
}

int setup_boot(struct runner *r, const struct statement *st)
{
	int ret = iommu_model_boot(r->m);

	return ret ? ret : autobind(r);
}
