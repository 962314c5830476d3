// SPDX-License-Identifier: MIT
/*
 * pci_probe.c - drivers/pci/probe.c: which functions a scan finds
 * (pci_scan_slot(), next_fn()), the order it adds them in
 * (pci_scan_child_bus_extend()), and the bus numbers firmware gave the
 * bridges.
 *
 * A function the scan does not find sits in its slot, but Linux has no
 * pci_dev for it (dev->unscanned): it is off its bus's list, has no
 * group, and a bridge's bus behind it is never scanned. A later scan of
 * its slot that finds a multifunction function 0 finds it too.
 *
 * Behind a PCIe root port or switch downstream port only slot 0 is
 * scanned (only_one_child()): a function in any other slot is not found.
 *
 * ARI (next_ari_fn()) is not modelled: no modelled function has an ARI
 * capability (QEMU's e1000e has AER and DSN, e1000 and edu none), so
 * pci_configure_ari() never sets a bridge's ari_enabled. Nor is
 * hypervisor_isolated_pci_functions() (s390, LoongArch, Jailhouse only).
 */
#include "core.h"

static gint by_devfn(gconstpointer a, gconstpointer b)
{
	const struct device *x = *(struct device *const *)a;
	const struct device *y = *(struct device *const *)b;

	return (int)x->devfn - (int)y->devfn;
}

static GPtrArray *root_bus_devices(struct iommu_model *m)
{
	GPtrArray *root = g_ptr_array_new();

	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];

		if (dev->kind != DEV_PLATFORM && !dev->parent &&
		    !dev->unscanned)
			g_ptr_array_add(root, dev);
	}
	g_ptr_array_sort(root, by_devfn);
	return root;
}

/*
 * Firmware (SeaBIOS pci_bios_init_bus) numbers buses depth first, each
 * bridge in devfn order taking the next number before its children do.
 */
static void assign_bus(struct device *bridge, int *max)
{
	g_ptr_array_sort(bridge->children, by_devfn);
	bridge->secondary = ++*max;
	for (guint i = 0; i < bridge->children->len; i++) {
		struct device *child = bridge->children->pdata[i];

		child->bus = bridge->secondary;
		if (child->children)
			assign_bus(child, max);
	}
}

void pci_assign_busses(struct iommu_model *m)
{
	GPtrArray *root = root_bus_devices(m);
	int max = 0;

	for (guint i = 0; i < root->len; i++) {
		struct device *dev = root->pdata[i];

		dev->bus = 0;
		if (dev->children)
			assign_bus(dev, &max);
	}
	g_ptr_array_free(root, TRUE);
}

/*
 * drivers/pci/probe.c: pci_scan_child_bus_extend() device_add()s every
 * function on a bus in devfn order, then scans behind each bridge in turn,
 * so the bus's klist (what bus_for_each_dev() walks) has that order.
 */
static void add_bus_order(GPtrArray *out, GPtrArray *bus)
{
	for (guint i = 0; i < bus->len; i++)
		g_ptr_array_add(out, bus->pdata[i]);
	for (guint i = 0; i < bus->len; i++) {
		struct device *dev = bus->pdata[i];

		if (dev->children)
			add_bus_order(out, dev->children);
	}
}

GPtrArray *pci_bus_add_order(struct iommu_model *m)
{
	GPtrArray *root = root_bus_devices(m);
	GPtrArray *out = g_ptr_array_new();

	add_bus_order(out, root);
	g_ptr_array_free(root, TRUE);
	return out;
}

static GPtrArray *bus_list(struct iommu_model *m, const struct device *dev)
{
	return dev->parent ? dev->parent->children : m->root_bus;
}

/* The function Linux has at @devfn of @dev's bus, or NULL */
static struct device *pci_get_slot(struct iommu_model *m,
				   const struct device *dev, u8 devfn)
{
	GPtrArray *bus = bus_list(m, dev);

	for (guint i = 0; i < bus->len; i++) {
		struct device *d = bus->pdata[i];

		if (d->devfn == devfn)
			return d;
	}
	return NULL;
}

/*
 * only_one_child(): the secondary bus of a PCIe root port or switch
 * downstream port (pcie_downstream_port(); the model has no PCI-to-PCIe
 * bridge, the third type it names) is a link whose one device is device
 * 0, so pci_scan_slot() returns at once for any other slot. The root
 * bus (no bus->self), a switch's internal bus and a PCI bridge's bus are
 * scanned slot by slot. Nothing on an x86 QEMU machine sets
 * PCI_SCAN_ALL_PCIE_DEVS (pci=pcie_scan_all, or arch/x86/pci/common.c's
 * DMI quirk for Stratus/NEC ftServers).
 */
bool pci_only_one_child(enum dev_kind kind)
{
	return kind == DEV_PCIE_ROOT_PORT || kind == DEV_PCIE_DOWNSTREAM;
}

/*
 * pci_scan_slot() with next_fn(): function 0 is always looked at; a
 * function past it only while the slot's function 0 is there and
 * multifunction (a function > 0 found is marked multifunction, so the
 * scan goes on past it, and past a function that is absent).
 */
static bool pci_scan_slot_finds(struct iommu_model *m, const struct device *dev)
{
	const struct device *fn0;

	if (dev->parent && dev->parent->unscanned)
		return false; /* its bus was never scanned */
	if (dev->parent && pci_only_one_child(dev->parent->kind) &&
	    dev->devfn >> 3)
		return false; /* its slot is never scanned */
	if (!(dev->devfn & 7))
		return true;
	fn0 = pci_get_slot(m, dev, dev->devfn & ~7);
	return fn0 && fn0->multifunction;
}

/* Off its bus's list: Linux has no pci_dev for it, nor for anything
 * behind it (its bus is never scanned) */
static void pci_not_found(struct iommu_model *m, struct device *dev)
{
	iommu_touch_device(m, dev);
	dev->unscanned = true;
	g_ptr_array_remove(bus_list(m, dev), dev);
	for (guint i = 0; dev->children && i < dev->children->len;) {
		struct device *child = dev->children->pdata[i];

		pci_not_found(m, child);
	}
}

/* pci_scan_slot() marks every function past 0 that it finds
 * multifunction, whatever its header type says */
static void pci_found(struct iommu_model *m, struct device *dev)
{
	iommu_touch_device(m, dev);
	if (dev->devfn & 7)
		dev->multifunction = true;
}

/* Boot: each bus's functions as pci_scan_slot() finds them, in devfn
 * order, then behind each bridge found (pci_scan_child_bus_extend()) */
static void scan_bus(struct iommu_model *m, GPtrArray *bus)
{
	GPtrArray *order = g_ptr_array_copy(bus, NULL, NULL);

	g_ptr_array_sort(order, by_devfn);
	for (guint i = 0; i < order->len; i++) {
		struct device *dev = order->pdata[i];

		if (pci_scan_slot_finds(m, dev))
			pci_found(m, dev);
		else
			pci_not_found(m, dev);
	}
	for (guint i = 0; i < order->len; i++) {
		struct device *dev = order->pdata[i];

		if (dev->children && !dev->unscanned)
			scan_bus(m, dev->children);
	}
	g_ptr_array_free(order, TRUE);
}

void pci_scan_root_bus(struct iommu_model *m)
{
	scan_bus(m, m->root_bus);
}

/* The devices in @dev's slot (@dev's parent's bus, @dev's slot) no scan
 * has found, which are still plugged in, in function order */
static GPtrArray *slot_unscanned(struct iommu_model *m,
				 const struct device *dev)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < m->devices->len; i++) {
		struct device *d = m->devices->pdata[i];

		if (d->unscanned && !d->removed && d->kind != DEV_PLATFORM &&
		    d->parent == dev->parent &&
		    (d->devfn >> 3) == (dev->devfn >> 3))
			g_ptr_array_add(out, d);
	}
	g_ptr_array_sort(out, by_devfn);
	return out;
}

/* pci_scan_single_device() -> pci_device_add(): on its bus's list (at
 * its end, list_add_tail()), then device_add(), whose bus notifier
 * probes the IOMMU side at once (iommu_bus_notifier(BUS_NOTIFY_ADD_
 * DEVICE)), before the scan looks at the next function */
static void pci_device_add(struct iommu_model *m, struct device *dev)
{
	dev->unscanned = false;
	pci_found(m, dev);
	g_ptr_array_add(bus_list(m, dev), dev);
	iommu_probe_device(m, dev); /* its reset methods, bus numbers too */
}

/* pci_scan_slot() of @dev's slot: each function not found yet, from
 * function 0, added when next_fn() reaches it; what it adds goes on
 * @found */
static void scan_slot(struct iommu_model *m, const struct device *dev,
		      GPtrArray *found)
{
	GPtrArray *todo = slot_unscanned(m, dev);

	for (guint i = 0; i < todo->len; i++) {
		struct device *d = todo->pdata[i];

		if (pci_scan_slot_finds(m, d)) {
			pci_device_add(m, d);
			g_ptr_array_add(found, d);
		}
	}
	g_ptr_array_free(todo, TRUE);
}

/* pci_scan_bridge_extend() behind each bridge in @found: its bus was
 * never scanned, so pci_scan_child_bus_extend() scans every slot of it
 * (function 0's first), then behind each bridge that found */
static void scan_behind(struct iommu_model *m, GPtrArray *found)
{
	for (guint i = 0; i < found->len; i++) {
		struct device *br = found->pdata[i];
		GPtrArray *below = g_ptr_array_new();
		GPtrArray *fn0s = g_ptr_array_new();

		for (guint k = 0; br->children && k < m->devices->len; k++) {
			struct device *d = m->devices->pdata[k];

			if (d->parent == br && d->unscanned && !d->removed &&
			    !(d->devfn & 7))
				g_ptr_array_add(fn0s, d);
		}
		g_ptr_array_sort(fn0s, by_devfn);
		for (guint k = 0; k < fn0s->len; k++)
			scan_slot(m, fn0s->pdata[k], below);
		scan_behind(m, below);
		g_ptr_array_free(fn0s, TRUE);
		g_ptr_array_free(below, TRUE);
	}
}

/*
 * @dev was plugged in after boot (device_add() put it on its bus's list)
 * and its parent's bus is rescanned (pci_rescan_bus(): the guest writes
 * the bus's rescan attribute). Only @dev's slot can hold news: a
 * function an earlier scan did not find is found now only behind a
 * multifunction function 0, which @dev then is. What is found is added
 * and probed in scan order (pci_scan_child_bus(): the slot, then behind
 * the bridges found); pci_bus_add_devices() then binds no driver (the
 * model's drivers_autoprobe is off, as the guest's).
 */
void pci_rescan_bus(struct iommu_model *m, struct device *dev)
{
	GPtrArray *found = g_ptr_array_new();

	pci_not_found(m, dev);
	scan_slot(m, dev, found);
	scan_behind(m, found);
	g_ptr_array_free(found, TRUE);
}
