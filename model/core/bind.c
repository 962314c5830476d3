// SPDX-License-Identifier: MIT
/*
 * bind.c - the driver core's part: binding a driver to a device through
 * sysfs (drivers/base/bus.c bind_store() -> dd.c device_driver_attach()
 * -> really_probe() -> bus dma_configure) and unbinding it
 * (unbind_store() -> device_driver_detach() -> bus dma_cleanup).
 * dma_configure is drivers/pci/pci-driver.c pci_dma_configure() or
 * drivers/base/platform.c platform_dma_configure(): either way a driver
 * without driver_managed_dma uses the default domain. Also here: the
 * drivers built into the modelled kernel, and device_del().
 */
#include "core.h"
#include "vfio/vfio.h"

/* The driver's own probe, after dma_configure (dd.c call_driver_probe();
 * a failure is -ENODEV or another negative errno for bind_store()). */
static int driver_probe(struct iommu_model *m, struct device *dev,
			struct device_driver *drv)
{
	if (drv->vfio_pci)
		return vfio_pci_probe(m, dev);
	/* pcie_portdrv_probe(): !pci_is_pcie() or a type other than a root,
	 * upstream or downstream port (or an RCEC, not modelled) */
	if (drv->pcie_port && dev->kind != DEV_PCIE_ROOT_PORT &&
	    dev->kind != DEV_PCIE_UPSTREAM && dev->kind != DEV_PCIE_DOWNSTREAM)
		return iommu_refuse(m, -ENODEV, "pcie_portdrv_probe",
				    "%s is not a PCIe root, upstream or "
				    "downstream port",
				    dev->name);
	return 0;
}

int device_driver_attach(struct iommu_model *m, struct device *dev,
			 struct device_driver *drv)
{
	int ret;

	/* dd.c: __driver_probe_device(): already bound */
	if (dev->driver)
		return iommu_refuse(m, -EBUSY, "__driver_probe_device",
				    "%s is already bound to %s", dev->name,
				    dev->driver->name);
	if (!drv->driver_managed_dma) {
		ret = iommu_device_use_default_domain(m, dev);
		if (ret) {
			/* device_driver_attach(): -EPROBE_DEFER -> -EAGAIN */
			iommu_refuse(m, ret,
				     dev->kind == DEV_PLATFORM
					     ? "platform_dma_configure"
					     : "pci_dma_configure",
				     "really_probe() fails the bind of %s",
				     drv->name);
			return ret == -EPROBE_DEFER ? -EAGAIN : ret;
		}
	}
	ret = driver_probe(m, dev, drv);
	if (ret) {
		/* probe_failed: pci_dma_cleanup() undoes dma_configure */
		if (!drv->driver_managed_dma)
			iommu_device_unuse_default_domain(m, dev);
		return ret;
	}
	iommu_touch_device(m, dev);
	dev->driver = drv;
	return 0;
}

int device_driver_detach(struct iommu_model *m, struct device *dev)
{
	struct device_driver *drv = dev->driver;

	int ret;

	if (!drv)
		return iommu_refuse(m, -ENODEV, "unbind_store",
				    "%s has no driver bound", dev->name);
	/* the driver's remove: vfio-pci unregisters from VFIO */
	ret = drv->vfio_pci ? vfio_pci_remove(m, dev) : 0;
	if (ret)
		return ret;
	iommu_touch_device(m, dev);
	dev->driver = NULL;
	/* pci_dma_cleanup() */
	if (!drv->driver_managed_dma)
		iommu_device_unuse_default_domain(m, dev);
	return 0;
}

/*
 * Drivers built into the modelled kernel, with driver_managed_dma as their
 * struct pci_driver sets it in Linux 7.3: drivers/vfio/pci/vfio_pci.c,
 * drivers/pci/pci-stub.c and drivers/pci/pcie/portdrv.c set it; the
 * others are ordinary DMA-API drivers. vfio-pci probes as
 * model/vfio/pci.c does.
 */
static const struct {
	const char *name;
	bool driver_managed_dma;
	bool vfio_pci, pcie_port;
} builtin[] = {
	{ "vfio-pci", true, true, false },
	{ "pci-stub", true, false, false },
	{ "pcieport", true, false, true },
	{ "e1000", false, false, false },
	{ "e1000e", false, false, false },
	{ "snd_hda_intel", false, false, false },
	{ "amdgpu", false, false, false },
	{ "nvme", false, false, false },
	{ "tegra-host1x-client", false, false, false },
	{ "iommusim-dma", false, false, false },
};

const char *const *iommu_builtin_drivers(void)
{
	static const char *names[G_N_ELEMENTS(builtin) + 1];

	if (!names[0]) {
		for (size_t i = 0; i < G_N_ELEMENTS(builtin); i++)
			names[i] = builtin[i].name;
	}
	return names;
}

void iommu_register_builtin_drivers(struct iommu_model *m)
{
	for (size_t i = 0; i < G_N_ELEMENTS(builtin); i++) {
		struct device_driver *drv = driver_register(
			m, builtin[i].name, builtin[i].driver_managed_dma);

		drv->vfio_pci = builtin[i].vfio_pci;
		drv->pcie_port = builtin[i].pcie_port;
	}
}

/*
 * drivers/base/core.c device_del(): the driver is released
 * (bus_remove_device() -> device_release_driver()) before the bus
 * notifier's BUS_NOTIFY_REMOVED_DEVICE reaches iommu_release_device().
 * The device is gone: a later probe would not find its IOMMU.
 */
int device_del(struct iommu_model *m, struct device *dev)
{
	if (dev->driver)
		device_driver_detach(m, dev);
	iommu_release_device(m, dev);
	dev->iommu = NULL;
	/* pci_destroy_dev(): list_del(&dev->bus_list), the bus no longer
	 * has it (the struct stays: names still resolve to it until a new
	 * device takes the name) */
	if (dev->kind != DEV_PLATFORM)
		g_ptr_array_remove(
			dev->parent ? dev->parent->children : m->root_bus, dev);
	return 0;
}
