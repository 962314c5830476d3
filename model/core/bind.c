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

/*
 * drivers/vfio/pci/vfio_pci.c vfio_pci_probe() -> vfio_pci_core_register_
 * device(): a bridge (header type not normal) is -EINVAL; then
 * vfio_register_group_dev() -> drivers/vfio/group.c
 * vfio_group_find_or_alloc(): no iommu_group (and no noiommu mode) is
 * -EINVAL. really_probe() returns the probe's error to bind_store().
 */
static int vfio_pci_probe(struct iommu_model *m, struct device *dev)
{
	if (dev->kind != DEV_PCI)
		return iommu_refuse(m, -EINVAL, "vfio_pci_core_register_device",
				    "%s is a bridge (hdr_type is not "
				    "PCI_HEADER_TYPE_NORMAL)",
				    dev->name);
	if (!dev->iommu_group)
		return iommu_refuse(m, -EINVAL, "vfio_group_find_or_alloc",
				    "%s has no iommu_group and noiommu mode "
				    "is off",
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
	ret = drv->vfio_pci ? vfio_pci_probe(m, dev) : 0;
	if (ret) {
		/* probe_failed: pci_dma_cleanup() undoes dma_configure */
		if (!drv->driver_managed_dma)
			iommu_device_unuse_default_domain(m, dev);
		return ret;
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
