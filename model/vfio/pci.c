// SPDX-License-Identifier: MIT
/*
 * pci.c - vfio-pci's probe and remove (drivers/vfio/pci/vfio_pci.c): the
 * refusals a bind of vfio-pci can meet before any VFIO object exists,
 * then registration with the VFIO core (vfio_main.c).
 */
#include "vfio/vfio_private.h"

/*
 * vfio_pci_probe() -> vfio_pci_core_register_device(): a bridge (header
 * type not normal) is -EINVAL; then vfio_register_group_dev() (group.c
 * vfio_group_find_or_alloc(): no iommu_group and no noiommu mode is
 * -EINVAL). really_probe() returns the probe's error to bind_store().
 * Without CONFIG_VFIO there is no vfio-pci to bind: -ENODEV.
 */
int vfio_pci_probe(struct iommu_model *m, struct device *dev)
{
	if (!vfio_get(m)->cfg.y[KS_VFIO])
		return iommu_refuse(m, -ENODEV, "bind_store",
				    "no vfio-pci driver without CONFIG_VFIO");
	if (dev->kind != DEV_PCI)
		return iommu_refuse(m, -EINVAL, "vfio_pci_core_register_device",
				    "%s is a bridge (hdr_type is not "
				    "PCI_HEADER_TYPE_NORMAL)",
				    dev->name);
	return vfio_register_group_dev(m, dev);
}

/* vfio_pci_remove() -> vfio_pci_core_unregister_device() ->
 * vfio_unregister_group_dev() */
int vfio_pci_remove(struct iommu_model *m, struct device *dev)
{
	return vfio_unregister_group_dev(m, dev);
}
