// SPDX-License-Identifier: MIT
/*
 * bind.c - the driver core's part: binding a driver to a device through
 * sysfs (drivers/base/bus.c bind_store() -> dd.c device_driver_attach()
 * -> really_probe() -> bus dma_configure) and unbinding it
 * (unbind_store() -> device_driver_detach() -> bus dma_cleanup).
 * A driver's remove can block (vfio-pci's, until the device's files are
 * closed): its task keeps device_lock(dev), and every later bind, unbind
 * or unplug of the device waits for the lock behind it.
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

/* ---- device_lock(dev) held by a task blocked in a driver's remove ---- */

const char *dev_lock_what_name(enum dev_lock_what what)
{
	static const char *const name[] = { "unbind", "bind", "unplug" };

	return name[what];
}

/* Another task takes device_lock(@dev) (bus.c bind_store() and
 * unbind_store() -> dd.c __device_driver_lock(); core.c device_del() ->
 * device_lock()): while a blocked remove holds it, the task queues and
 * the call does not return, IOMMU_BLOCKS; 0 when the lock is free. */
static int lock_or_queue(struct iommu_model *m, struct device *dev,
			 enum dev_lock_what what, struct device_driver *drv)
{
	if (!dev->lock_tasks)
		return 0;
	if (dev->lock_tasks == DEV_LOCK_TASKS)
		return iommu_refuse(m, IOMMU_UB, "__device_driver_lock",
				    "not modelled: %u tasks already wait for "
				    "device_lock(%s), the most the model "
				    "queues",
				    dev->lock_tasks - 1, dev->name);
	iommu_touch_device(m, dev);
	dev->lock_task[dev->lock_tasks++] =
		(struct dev_lock_task){ .what = what, .drv = drv };
	return iommu_refuse(m, IOMMU_BLOCKS, "__device_driver_lock",
			    "device_lock(%s) is held by the %s blocked in "
			    "its driver's remove: this %s waits behind it",
			    dev->name,
			    dev_lock_what_name(dev->lock_task[0].what),
			    dev_lock_what_name(what));
}

struct device_driver *dev_driver_link(const struct device *dev)
{
	bool removing =
		dev->lock_tasks && dev->lock_task[0].what != DEV_LOCK_BIND;

	return removing ? NULL : dev->driver;
}

/* The driver's remove blocked (it returned IOMMU_BLOCKS): its task holds
 * device_lock(@dev) until device_remove_done(). */
static int remove_blocks(struct iommu_model *m, struct device *dev,
			 enum dev_lock_what what)
{
	iommu_touch_device(m, dev);
	dev->lock_tasks = 1;
	dev->lock_task[0] = (struct dev_lock_task){ .what = what };
	return IOMMU_BLOCKS;
}

int device_driver_attach(struct iommu_model *m, struct device *dev,
			 struct device_driver *drv)
{
	int ret = lock_or_queue(m, dev, DEV_LOCK_BIND, drv);

	if (ret)
		return ret;
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

/* The driver released, after its remove returned (dd.c
 * device_remove() then dev->driver = NULL and the bus's dma_cleanup) */
static void driver_released(struct iommu_model *m, struct device *dev)
{
	struct device_driver *drv = dev->driver;

	iommu_touch_device(m, dev);
	dev->driver = NULL;
	/* pci_dma_cleanup() */
	if (!drv->driver_managed_dma)
		iommu_device_unuse_default_domain(m, dev);
}

/* unbind_store(): dev->driver is read before the lock is taken, so a
 * second unbind of a device whose remove blocks queues too. */
static int detach(struct iommu_model *m, struct device *dev,
		  enum dev_lock_what what)
{
	struct device_driver *drv = dev->driver;
	int ret;

	if (!drv)
		return iommu_refuse(m, -ENODEV, "unbind_store",
				    "%s has no driver bound", dev->name);
	ret = lock_or_queue(m, dev, what, NULL);
	if (ret)
		return ret;
	/* the driver's remove: vfio-pci unregisters from VFIO */
	ret = drv->vfio_pci ? vfio_pci_remove(m, dev) : 0;
	if (ret == IOMMU_BLOCKS)
		return remove_blocks(m, dev, what);
	if (ret)
		return ret;
	driver_released(m, dev);
	return 0;
}

int device_driver_detach(struct iommu_model *m, struct device *dev)
{
	return detach(m, dev, DEV_LOCK_UNBIND);
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
static void device_del_rest(struct iommu_model *m, struct device *dev);

/* The removal, pci_rescan_remove_lock held (a PCI device's) */
static int device_del_locked(struct iommu_model *m, struct device *dev)
{
	int ret = dev->driver ? detach(m, dev, DEV_LOCK_DEL)
			      : lock_or_queue(m, dev, DEV_LOCK_DEL, NULL);

	if (ret == IOMMU_BLOCKS || ret == IOMMU_UB)
		return ret;
	device_del_rest(m, dev);
	return 0;
}

/* The device whose removal holds pci_rescan_remove_lock while it waits
 * (in its driver's remove, or for device_lock behind a blocked unbind:
 * a removal in its lock's tasks), or NULL */
struct device *pci_rescan_remove_holder(struct iommu_model *m)
{
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *d = m->devices->pdata[i];

		for (u8 t = 0; t < d->lock_tasks; t++) {
			if (d->lock_task[t].what == DEV_LOCK_DEL)
				return d;
		}
	}
	return NULL;
}

static u8 rescan_waiters(struct iommu_model *m)
{
	u8 n = 0;

	for (guint i = 0; i < m->devices->len; i++)
		n += ((struct device *)m->devices->pdata[i])->rescan_wait != 0;
	return n;
}

/* The holder's removal is over (device_remove_done()): the lock goes to
 * the first removal waiting for it, and on in order while each one
 * finishes without waiting (mutex_unlock() hands a mutex to its first
 * waiter) */
static void rescan_remove_unlock(struct iommu_model *m)
{
	while (!pci_rescan_remove_holder(m)) {
		struct device *next = NULL;

		for (guint i = 0; i < m->devices->len; i++) {
			struct device *d = m->devices->pdata[i];

			if (!d->rescan_wait)
				continue;
			iommu_touch_device(m, d);
			if (!--d->rescan_wait)
				next = d;
		}
		if (!next)
			return;
		device_del_locked(m, next);
	}
}

/*
 * As the guest removes a PCI device, by its sysfs remove
 * (drivers/pci/pci-sysfs.c remove_store()): the attribute removes
 * itself first (device_remove_file_self()), so a second write finds no
 * file, -ENOENT; then pci_stop_and_remove_bus_device_locked() holds the
 * global pci_rescan_remove_lock for the whole removal. While a removal
 * that waits holds it, every other PCI device's removal waits for it, in
 * order (drivers/pci/probe.c pci_lock_rescan_remove()).
 */
int device_del(struct iommu_model *m, struct device *dev)
{
	struct device *holder;
	int ret;

	if (dev->kind == DEV_PLATFORM)
		return device_del_locked(m, dev);
	if (dev->remove_written)
		return iommu_refuse(
			m, -ENOENT, "remove_store",
			"%s's remove attribute is gone: an earlier "
			"removal took it (device_remove_file_self()) "
			"and waits",
			dev->name);
	holder = pci_rescan_remove_holder(m);
	iommu_touch_device(m, dev);
	dev->remove_written = true;
	if (holder) {
		dev->rescan_wait = rescan_waiters(m) + 1;
		return iommu_refuse(
			m, IOMMU_BLOCKS, "pci_lock_rescan_remove",
			"pci_rescan_remove_lock is held by the "
			"removal of %s, which waits: the removal of "
			"%s waits behind it",
			holder->name, dev->name);
	}
	ret = device_del_locked(m, dev);
	if (ret == IOMMU_UB)
		dev->remove_written = false;
	return ret;
}

/* device_del() past the driver's release */
static void device_del_rest(struct iommu_model *m, struct device *dev)
{
	dev->removed = true;
	iommu_release_device(m, dev);
	dev->iommu = NULL;
	/* pci_destroy_dev(): list_del(&dev->bus_list), the bus no longer
	 * has it (the struct stays: names still resolve to it until a new
	 * device takes the name) */
	if (dev->kind != DEV_PLATFORM)
		g_ptr_array_remove(
			dev->parent ? dev->parent->children : m->root_bus, dev);
}

/* The driver the device's driver_override names once every queued bind
 * has written it: each driver_bind writes driver_override before the
 * driver's bind (as vfio-pci is bound), and only the bind blocks, so the
 * last queued one's driver; NULL when none is queued */
static struct device_driver *last_override(const struct dev_lock_task *q, u8 n)
{
	for (u8 i = n; i-- > 1;) {
		if (q[i].what == DEV_LOCK_BIND)
			return q[i].drv;
	}
	return NULL;
}

/*
 * The blocked remove returned (the device's last file closed:
 * vfio_unregister_group_dev()'s wait is over): its task releases the
 * driver (and, for an unplug, goes on with device_del()), then drops
 * device_lock(@dev), and each queued task runs in turn, its result going
 * back to a caller that no scenario step sees. A queued bind of another
 * driver than the override names probes nothing: pci_match_device()
 * honours driver_override at probe time (drivers/pci/pci-driver.c), so
 * its really_probe() is -ENODEV.
 */
void device_remove_done(struct iommu_model *m, struct device *dev)
{
	struct dev_lock_task q[DEV_LOCK_TASKS];
	u8 n = dev->lock_tasks;
	struct device_driver *override = last_override(dev->lock_task, n);

	if (!n)
		return;
	memcpy(q, dev->lock_task, sizeof(q));
	iommu_touch_device(m, dev);
	dev->lock_tasks = 0;
	if (dev->driver)
		driver_released(m, dev);
	if (q[0].what == DEV_LOCK_DEL)
		device_del_rest(m, dev);
	/* each queued task in turn; one queued behind an unplug meets a dead
	 * device (dd.c driver_probe_device(): -ENODEV; nothing to unbind) */
	for (u8 i = 1; i < n && q[i - 1].what != DEV_LOCK_DEL; i++) {
		if (q[i].what == DEV_LOCK_BIND && q[i].drv == override)
			device_driver_attach(m, dev, q[i].drv);
		else if (q[i].what == DEV_LOCK_UNBIND && dev->driver)
			device_driver_detach(m, dev);
		else if (q[i].what == DEV_LOCK_DEL)
			device_del_locked(m, dev);
	}
	/* a removal that held pci_rescan_remove_lock is over */
	if (dev->removed && dev->kind != DEV_PLATFORM)
		rescan_remove_unlock(m);
}
