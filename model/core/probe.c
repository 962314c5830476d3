// SPDX-License-Identifier: MIT
/*
 * probe.c - boot: the PCI scan (pci_probe.c), then the iommu probe of
 * every device found (iommu.c: iommu_device_register() ->
 * bus_iommu_probe() -> __iommu_probe_device()), then the default domains,
 * then the drivers built into the kernel binding to their devices.
 */
#include "core.h"

static bool dev_is_pci(const struct device *dev)
{
	return dev->kind != DEV_PLATFORM;
}

static struct iommu_group *device_group(struct iommu_model *m,
					struct device *dev)
{
	struct iommu_device *iommu = dev->iommu;
	struct iommu_group *group = NULL;
	gpointer key = GUINT_TO_POINTER(dev->stream_id + 1);

	/* tegra-smmu.c: tegra_smmu_device_group(), one group per swgroup */
	if (iommu->device_group == GROUP_STREAM_ID && dev->has_stream_id &&
	    iommu->stream_groups)
		group = g_hash_table_lookup(iommu->stream_groups, key);
	if (group)
		return group;
	if (dev_is_pci(dev) && iommu->device_group != GROUP_PER_DEVICE)
		group = pci_device_group(m, dev);
	else
		group = iommu_group_alloc(m); /* generic_device_group() */
	if (iommu->device_group == GROUP_STREAM_ID && dev->has_stream_id)
		g_hash_table_insert(iommu_stream_table(&iommu->stream_groups),
				    key, group);
	return group;
}

static void iommu_deinit_device(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	iommu_touch_device(m, dev);
	iommu_touch_group(m, group);
	g_ptr_array_remove(group->devices, dev);
	iommu_driver_release_device(m, dev);
	dev->iommu_group = NULL;
	dev->dev_iommu = false; /* dev_iommu_free(): its require_direct too */
	dev->require_direct = false;
	dev->max_pasids = 0;
	iommu_domain_slot_set(&dev->attached, NULL);
	if (!group->devices->len)
		iommu_group_free(m, group);
}

/* iommu.c: __iommu_probe_device(); @group_list NULL for a hotplug */
static int __iommu_probe_device(struct iommu_model *m, struct device *dev,
				GPtrArray *group_list, GHashTable *listed)
{
	struct iommu_group *group;
	int ret = 0;

	if (dev->iommu_group || !dev->iommu)
		return dev->iommu_group ? 0 : -ENODEV;

	/* iommu_init_device(): ops->probe_device(), then ops->device_group() */
	ret = iommu_driver_probe_device(m, dev);
	if (ret)
		return ret;
	iommu_touch_device(m, dev);
	dev->dev_iommu = true;
	/* iommu_init_device(): dev_iommu_get_max_pasids() */
	dev->max_pasids = MIN(dev->pasids, dev->iommu->max_pasids);
	group = device_group(m, dev);
	iommu_touch_group(m, group);
	dev->iommu_group = group;
	g_ptr_array_add(group->devices, dev);
	IOMMU_WARN_ON(m, group->default_domain && !group->domain);
	/* its result unchecked: a failure leaves the map to the driver */
	if (group->default_domain)
		iommu_create_device_direct_mappings(m, group->default_domain,
						    dev);
	if (group->domain)
		ret = __iommu_device_set_domain(m, group, dev, group->domain,
						false);
	else if (!group->default_domain && !group_list)
		ret = iommu_setup_default_domain(m, group, 0);
	else if (!group->default_domain && g_hash_table_add(listed, group))
		g_ptr_array_add(group_list, group);
	if (ret)
		iommu_deinit_device(m, dev);
	return ret;
}

/* iommu.c: bus_iommu_probe() for the devices @iommu covers on one bus */
static int bus_iommu_probe(struct iommu_model *m, GPtrArray *bus_devs,
			   struct iommu_device *iommu)
{
	GPtrArray *group_list = g_ptr_array_new();
	GHashTable *listed = g_hash_table_new(g_direct_hash, g_direct_equal);
	int ret = 0;

	for (guint i = 0; i < bus_devs->len; i++) {
		struct device *dev = bus_devs->pdata[i];

		if (dev->iommu == iommu)
			__iommu_probe_device(m, dev, group_list, listed);
	}
	g_hash_table_destroy(listed);
	for (guint i = 0; i < group_list->len && !ret; i++)
		ret = iommu_setup_default_domain(m, group_list->pdata[i], 0);
	g_ptr_array_free(group_list, TRUE);
	return ret;
}

/*
 * iommu_subsys_init(): the default domain type from Kconfig and the
 * command line; drivers of IOMMUs that cache non-present entries call
 * iommu_set_dma_strict() at init (amd/init.c, intel/iommu.c).
 */
static void iommu_subsys_init(struct iommu_model *m)
{
	bool passthrough = m->kconfig_default == IOMMU_DOMAIN_IDENTITY;

	m->dma_strict = m->kconfig_default == IOMMU_DOMAIN_DMA;
	if (m->cmdline_passthrough_set)
		passthrough = m->cmdline_passthrough;
	if (m->cmdline_strict_set)
		m->dma_strict = m->cmdline_strict;
	m->def_domain_type =
		passthrough ? IOMMU_DOMAIN_IDENTITY : IOMMU_DOMAIN_DMA;
	if (!passthrough && !m->dma_strict)
		m->def_domain_type = IOMMU_DOMAIN_DMA_FQ;
	for (guint i = 0; i < m->iommus->len; i++) {
		struct iommu_device *iommu = m->iommus->pdata[i];

		if (!iommu->np_cache)
			continue;
		/* iommu.c: iommu_set_dma_strict() */
		m->dma_strict = true;
		if (m->def_domain_type == IOMMU_DOMAIN_DMA_FQ)
			m->def_domain_type = IOMMU_DOMAIN_DMA;
	}
}

static GPtrArray *platform_devices(struct iommu_model *m)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];

		if (!dev_is_pci(dev))
			g_ptr_array_add(out, dev);
	}
	return out;
}

/* iommu.c: iommu_device_unregister(): a registration that failed takes
 * every device it probed out of its group again (remove_iommu_group) */
static void iommu_device_unregister(struct iommu_model *m,
				    struct iommu_device *iommu)
{
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];

		if (dev->iommu == iommu && dev->iommu_group)
			iommu_release_device(m, dev);
		if (dev->iommu == iommu)
			dev->iommu = NULL;
	}
}

int iommu_model_boot(struct iommu_model *m)
{
	GPtrArray *plat, *pci;
	int ret = 0;

	iommu_touch_all(m);
	pci_scan_root_bus(m);
	pci_assign_busses(m);
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];

		if (!dev->unscanned)
			pci_init_reset_methods(m, dev);
	}
	iommu_subsys_init(m);
	plat = platform_devices(m);
	pci = pci_bus_add_order(m);
	/* iommu_device_register(): iommu_buses[] is platform, then PCI */
	for (guint i = 0; i < m->iommus->len; i++) {
		struct iommu_device *iommu = m->iommus->pdata[i];
		int err = bus_iommu_probe(m, plat, iommu);

		if (!err)
			err = bus_iommu_probe(m, pci, iommu);
		if (err)
			iommu_device_unregister(m, iommu);
		ret = ret ? ret : err;
	}
	g_ptr_array_free(plat, TRUE);
	g_ptr_array_free(pci, TRUE);
	m->booted = true;
	return ret;
}

/* A device added after boot: iommu_bus_notifier(BUS_NOTIFY_ADD_DEVICE) */
int iommu_probe_device(struct iommu_model *m, struct device *dev)
{
	if (dev_is_pci(dev)) {
		pci_init_reset_methods(m, dev);
		pci_assign_busses(m);
	}
	return __iommu_probe_device(m, dev, NULL, NULL);
}

/* iommu_release_device(): BUS_NOTIFY_REMOVED_DEVICE */
void iommu_release_device(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return;
	/* __iommu_group_free_device(): the last device leaving must find
	 * ownership released and the group back on its default domain */
	if (group->devices->len == 1)
		IOMMU_WARN_ON(m,
			      group->owner_cnt ||
				      group->domain != group->default_domain);
	iommu_deinit_device(m, dev);
}
