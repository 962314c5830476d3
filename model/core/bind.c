// SPDX-License-Identifier: MIT
/*
 * bind.c - the driver core's part: binding a driver to a device through
 * sysfs (drivers/base/bus.c bind_store() -> dd.c device_driver_attach()
 * -> really_probe() -> bus dma_configure) and unbinding it
 * (unbind_store() -> device_driver_detach() -> bus dma_cleanup).
 * dma_configure is drivers/pci/pci-driver.c pci_dma_configure() or
 * drivers/base/platform.c platform_dma_configure(): either way a driver
 * without driver_managed_dma uses the default domain.
 */
#include "iommu.h"
#include "kerrno.h"

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
	dev->driver = drv;
	return 0;
}

int device_driver_detach(struct iommu_model *m, struct device *dev)
{
	struct device_driver *drv = dev->driver;

	if (!drv)
		return iommu_refuse(m, -ENODEV, "unbind_store",
				    "%s has no driver bound", dev->name);
	dev->driver = NULL;
	/* pci_dma_cleanup() */
	if (!drv->driver_managed_dma)
		iommu_device_unuse_default_domain(m, dev);
	return 0;
}
