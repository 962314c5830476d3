// SPDX-License-Identifier: MIT
/*
 * pci_group.c - which iommu group a PCI device joins: iommu.c
 * pci_device_group() with drivers/pci/search.c pci_for_each_dma_alias()
 * and drivers/pci/pci.c pci_acs_enabled() / pci_acs_path_enabled().
 *
 * ACS here means the ACS capability with Source Validation, Request and
 * Completion Redirect and Upstream Forwarding enabled (REQ_ACS_FLAGS).
 */
#include "events.h"
#include "iommu.h"

static bool on_root_bus(const struct device *dev)
{
	return dev->parent == NULL;
}

#define PCI_VENDOR_ID_INTEL 0x8086

/*
 * quirks.c pci_dev_specific_acs_enabled(): of its table, the one entry a
 * modelled device can match is { PCI_VENDOR_ID_INTEL, PCI_ANY_ID,
 * pci_quirk_rciep_acs }: an Intel Root Complex integrated Endpoint (a PCIe
 * endpoint on the root bus, PCI_EXP_TYPE_RC_END) is taken to have SV, RR,
 * CR and UF, all of REQ_ACS_FLAGS (VT-d r3.1 3.16: RCiEPs do peer-to-peer
 * only on translated addresses). 1: enabled, -1: -ENOTTY (no quirk, the
 * capability decides).
 */
static int pci_dev_specific_acs_enabled(const struct device *dev)
{
	if (dev->vendor == PCI_VENDOR_ID_INTEL && dev->kind == DEV_PCI &&
	    dev->pcie && on_root_bus(dev))
		return 1;
	return -1;
}

/* pci.c: pci_acs_enabled(pdev, REQ_ACS_FLAGS): a device quirk first, then
 * the capability by PCIe type */
static bool pci_acs_enabled(const struct device *dev)
{
	if (pci_dev_specific_acs_enabled(dev) >= 0)
		return true;
	if (!dev->pcie)
		return false; /* conventional PCI never isolates */
	switch (dev->kind) {
	case DEV_PCIE_PCI_BRIDGE:
		return false; /* PCIe 3.0 6.12.1: ACS never applicable */
	case DEV_PCIE_DOWNSTREAM:
	case DEV_PCIE_ROOT_PORT:
		return dev->acs;
	case DEV_PCI:
	case DEV_PCIE_UPSTREAM:
		/* 6.12.1.2: only part of a multifunction device needs ACS */
		return dev->multifunction ? dev->acs : true;
	default:
		return true;
	}
}

/* pci.c: pci_acs_path_enabled(start, NULL, REQ_ACS_FLAGS) */
static bool pci_acs_path_enabled(const struct device *start)
{
	for (const struct device *d = start; d; d = d->parent) {
		if (!pci_acs_enabled(d))
			return false;
	}
	return true;
}

/*
 * search.c: pci_for_each_dma_alias() with iommu.c get_pci_alias_or_group()
 * as the callback: returns the first group met, else sets *last to the
 * last device visited (the point of minimum granularity).
 */
static struct iommu_group *dma_alias_walk(struct device *dev,
					  struct device **last)
{
	*last = dev;
	if (dev->iommu_group)
		return dev->iommu_group;
	for (struct device *br = dev->parent; br; br = br->parent) {
		switch (br->kind) {
		case DEV_PCIE_ROOT_PORT:
		case DEV_PCIE_UPSTREAM:
		case DEV_PCIE_DOWNSTREAM:
			continue;	  /* PCIe ports do not take ownership */
		case DEV_PCIE_PCI_BRIDGE: /* alias: (secondary bus, 00.0) */
		case DEV_PCI_BRIDGE: /* conventional: alias to the bridge */
		default:
			*last = br;
			if (br->iommu_group)
				return br->iommu_group;
		}
	}
	return NULL;
}

/* pci_devs_are_dma_aliases(): a quirk aliases one devfn to another */
static bool dma_aliases(const struct device *a, const struct device *b)
{
	return (a->dma_alias_devfn >= 0 && a->dma_alias_devfn == b->devfn) ||
	       (b->dma_alias_devfn >= 0 && b->dma_alias_devfn == a->devfn);
}

/* the devices on @dev's bus (for_each_pci_dev() filtered by bus) */
static GPtrArray *bus_devices(struct iommu_model *m, const struct device *dev)
{
	return dev->parent ? dev->parent->children : m->root_bus;
}

static struct iommu_group *function_alias_group(struct iommu_model *m,
						struct device *dev,
						GHashTable *seen);

/* iommu.c: get_pci_alias_group() */
static struct iommu_group *alias_group(struct iommu_model *m,
				       struct device *dev, GHashTable *seen)
{
	if (!g_hash_table_add(seen, GUINT_TO_POINTER(dev->devfn + 1)))
		return NULL;
	if (dev->iommu_group)
		return dev->iommu_group;
	GPtrArray *bus = bus_devices(m, dev);

	for (guint i = 0; i < bus->len; i++) {
		struct device *tmp = bus->pdata[i];
		struct iommu_group *group;

		if (tmp == dev || !dma_aliases(dev, tmp))
			continue;
		group = alias_group(m, tmp, seen);
		if (!group)
			group = function_alias_group(m, tmp, seen);
		if (group)
			return group;
	}
	return NULL;
}

/* iommu.c: get_pci_function_alias_group() */
static struct iommu_group *function_alias_group(struct iommu_model *m,
						struct device *dev,
						GHashTable *seen)
{
	GPtrArray *bus = bus_devices(m, dev);

	if (!dev->multifunction || pci_acs_enabled(dev))
		return NULL;
	for (guint i = 0; i < bus->len; i++) {
		struct device *tmp = bus->pdata[i];
		struct iommu_group *group;

		if (tmp == dev || (tmp->devfn >> 3) != (dev->devfn >> 3) ||
		    pci_acs_enabled(tmp))
			continue;
		group = alias_group(m, tmp, seen);
		if (group)
			return group;
	}
	return NULL;
}

/* The trace's why for @dev's group (run -v "inside:") */
static struct iommu_group *group_why(struct iommu_model *m, struct device *dev,
				     struct iommu_group *g, const char *reason,
				     struct device *via)
{
	if (g)
		iommu_event_group(m, dev, g, reason, via);
	return g;
}

/* iommu.c: pci_device_group() */
struct iommu_group *pci_device_group(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group;
	struct device *pdev;
	GHashTable *seen;

	group = dma_alias_walk(dev, &pdev);
	if (group)
		return group_why(m, dev, group, "a DMA alias on the way up",
				 pdev);
	/* upstream to where ACS isolates us from peers */
	while (!on_root_bus(pdev)) {
		if (pci_acs_path_enabled(pdev->parent))
			break;
		pdev = pdev->parent;
		if (pdev->iommu_group)
			return group_why(m, dev, pdev->iommu_group,
					 "no ACS path up to", pdev);
	}
	seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	group = alias_group(m, pdev, seen);
	if (group) {
		g_hash_table_destroy(seen);
		return group_why(
			m, dev, group,
			"a peer on the bus aliases (get_pci_alias_group) "
			"from",
			pdev);
	}
	group = function_alias_group(m, pdev, seen);
	g_hash_table_destroy(seen);
	if (group)
		return group_why(m, dev, group,
				 "a function of the same slot without ACS "
				 "(get_pci_function_alias_group) from",
				 pdev);
	return group_why(m, dev, iommu_group_alloc(m),
			 "a new group: ACS isolates it and no alias shares "
			 "one, walked from",
			 pdev);
}
