// SPDX-License-Identifier: MIT
/*
 * pci_reset.c - iommu.c's PCI reset recovery: pci_dev_reset_iommu_prepare()
 * parks an ATS-capable device on its group's blocking domain while the
 * group keeps its domain, and pci_dev_reset_iommu_done() puts it back.
 * In between the group is "in recovery": __iommu_group_set_domain_
 * internal() refuses a change with -EBUSY unless it must succeed, and
 * skips the parked device when it does change (attach.c).
 */
#include "core.h"

/*
 * pci_init_reset_methods() from pci_device_add() -> pci_init_capabilities(),
 * before the device joins its bus's list: the "bus" method is kept when
 * pci_parent_bus_reset(PROBE) holds then: not on the root bus, not a
 * bridge, and no other device on the bus yet. At boot the bus's devices
 * are added in devfn order (pci_scan_child_bus_extend()), so only the
 * first may have it; a hot-added one has it when the bus held nothing.
 */
void pci_init_reset_methods(struct iommu_model *m, struct device *dev)
{
	dev->reset_bus_method =
		dev->kind == DEV_PCI && dev->parent &&
		(m->booted ? dev->parent->children->len == 1
			   : dev->parent->children->pdata[0] == dev);
}

/* pci_reset_supported(): a reset method at all: FLR (the model's PCIe
 * functions: QEMU's e1000e has pcie_cap_flr_init()) or the bus method
 * pci_init_reset_methods() kept */
bool pci_reset_supported(const struct device *dev)
{
	return dev->pcie || dev->reset_bus_method;
}

static bool reset_applies(struct device *dev)
{
	/* pci_ats_supported(): an ATS capability on a trusted device */
	return dev->kind != DEV_PLATFORM && dev->ats && !dev->untrusted &&
	       dev->dev_iommu && dev->iommu_group;
}

/* Stage or restore @dev's PASIDs (pci_dev_reset_iommu_prepare() and
 * _done(): pasid_array keeps them): to the blocked domain, or from it
 * back to each entry's domain */
static void reset_pasids(struct iommu_model *m, struct iommu_group *group,
			 struct device *dev, bool restore)
{
	struct iommu_domain *blocked = dev->iommu->blocked_domain;

	for (guint i = 0;
	     dev->max_pasids && group->pasids && i < group->pasids->len; i++) {
		const struct iommu_pasid_entry *e = &g_array_index(
			group->pasids, struct iommu_pasid_entry, i);

		IOMMU_WARN_ON_AS(
			m,
			iommu_driver_set_dev_pasid(
				m, restore ? e->domain : blocked, dev, e->pasid,
				restore ? group->blocking_domain : e->domain),
			restore ? "pci_dev_reset_iommu_done"
				: "iommu_remove_dev_pasid",
			"set_dev_pasid()");
	}
}

/* iommu.c: pci_dev_reset_iommu_prepare() */
int pci_dev_reset_iommu_prepare(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	int ret;

	if (!reset_applies(dev))
		return 0;
	iommu_touch_device(m, dev);
	iommu_touch_group(m, group);
	if (dev->reset_depth++)
		return 0;
	ret = __iommu_group_alloc_blocking_domain(m, group);
	if (ret)
		goto err_depth;
	if (group->domain != group->blocking_domain) {
		ret = __iommu_attach_device(m, group->blocking_domain, dev);
		iommu_event(m, IOMMU_EV_DEV_ATTACH, group, dev, group->domain,
			    group->blocking_domain, ret);
		if (ret)
			goto err_depth;
	}
	dev->reset_blocked = true;
	reset_pasids(m, group, dev, false);
	group->recovery_cnt++;
	return 0;

err_depth:
	dev->reset_depth--;
	return ret;
}

/* iommu.c: pci_dev_reset_iommu_done(): void, WARNs on misuse */
int pci_dev_reset_iommu_done(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	int ret;

	if (!reset_applies(dev))
		return 0;
	/* "Unbalanced done() calls would underflow the counter" */
	if (IOMMU_WARN_ON_AS(m, dev->reset_depth == 0,
			     "pci_dev_reset_iommu_done",
			     "gdev->reset_depth == 0"))
		return 0;
	iommu_touch_device(m, dev);
	iommu_touch_group(m, group);
	if (--dev->reset_depth)
		return 0;
	if (IOMMU_WARN_ON_AS(m, !group->blocking_domain,
			     "pci_dev_reset_iommu_done",
			     "!group->blocking_domain"))
		return 0;
	if (group->domain && group->domain != group->blocking_domain) {
		ret = __iommu_attach_device(m, group->domain, dev);
		iommu_event(m, IOMMU_EV_DEV_ATTACH, group, dev,
			    group->blocking_domain, group->domain, ret);
		IOMMU_WARN_ON_AS(m, ret, "pci_dev_reset_iommu_done",
				 "__iommu_attach_device(group->domain, ...)");
	}
	dev->reset_blocked = false;
	reset_pasids(m, group, dev, true);
	if (!IOMMU_WARN_ON_AS(m, group->recovery_cnt == 0,
			      "pci_dev_reset_iommu_done",
			      "group->recovery_cnt == 0"))
		group->recovery_cnt--;
	return 0;
}
