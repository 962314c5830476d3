// SPDX-License-Identifier: MIT
/*
 * pci.c - vfio-pci's probe (drivers/vfio/pci/vfio_pci.c), the refusals a
 * bind of vfio-pci can meet before any VFIO object exists.
 */
#include "vfio/vfio.h"
#include "core/kerrno.h"

/*
 * vfio_pci_probe() -> vfio_pci_core_register_device(): a bridge (header
 * type not normal) is -EINVAL; then vfio_register_group_dev() ->
 * drivers/vfio/group.c vfio_group_find_or_alloc(): no iommu_group (and no
 * noiommu mode) is -EINVAL. really_probe() returns the probe's error to
 * bind_store().
 */
int vfio_pci_probe(struct iommu_model *m, struct device *dev)
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
