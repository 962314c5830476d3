// SPDX-License-Identifier: MIT
/*
 * pci_hot_reset.c - vfio-pci's resets that reach past one function
 * (drivers/vfio/pci/vfio_pci_core.c): the dev_set, the devices that share
 * a slot or bus reset (vfio_pci_core_register_device() ->
 * vfio_assign_device_set()), VFIO_DEVICE_GET_PCI_HOT_RESET_INFO (which
 * devices a hot reset affects, by group or by devid) and
 * VFIO_DEVICE_PCI_HOT_RESET (who must own what before the bus resets),
 * and whether a function can reset alone (reset_works).
 *
 * The dev_set is computed from the topology, never stored: its set_id is
 * the function itself on the root bus, else the bus it sits on (the
 * bridge above it; a slot never, pci_probe_reset_slot()). Its devices are
 * the registered vfio devices with the same set_id, in no order a caller
 * can see (every loop over it gives the same errno whatever the order).
 */
#include "vfio/vfio_private.h"

/* ---- drivers/pci/pci.c: what reset a function and its bus have ---- */

/*
 * pci_probe_reset_slot(pdev->slot): a pci_slot comes from a hotplug
 * driver (pciehp) or ACPI's pci_slot, and only a hotplug slot has
 * reset_slot; the guest kernel has neither (no CONFIG_HOTPLUG_PCI), so
 * pdev->slot is NULL: pci_slot_reset() -ENOTTY.
 */
static int pci_probe_reset_slot(const struct device *dev)
{
	(void)dev;
	return -ENOTTY;
}

/*
 * pci_probe_reset_bus(pdev->bus) -> pci_bus_reset(): the root bus has no
 * bus->self (-ENOTTY); below a bridge the bus resets unless a device on
 * it carries PCI_DEV_FLAGS_NO_BUS_RESET, which no QEMU device the model
 * describes does (quirks.c quirk_no_bus_reset(): Atheros, Qualcomm,
 * Cavium, TI, ASMedia, NVIDIA parts).
 */
static int pci_probe_reset_bus(const struct device *dev)
{
	return dev->parent ? 0 : -ENOTTY;
}

/* the devices on @dev's bus, in the bus's list order */
static GPtrArray *pci_bus_devices(struct iommu_model *m,
				  const struct device *dev)
{
	return dev->parent ? dev->parent->children : m->root_bus;
}

/*
 * pci_pm_init(): d3cold_delay is PCI_PM_D3COLD_WAIT (100) for a function
 * with a PCI PM capability, else 0. Of the QEMU devices the model's
 * functions stand for, the PCIe ones have one (e1000e, virtio-pci), the
 * conventional ones (e1000, edu) none; bridges are taken as their PCIe-ness
 * says (not measured: no scenario puts one beside a vfio function).
 */
static bool pci_has_pm_cap(const struct device *dev)
{
	return dev->pcie;
}

/*
 * pci_bridge_secondary_bus_reset() -> pci_bridge_wait_for_secondary_bus():
 * whether the devices below @bridge answer again. Nothing is waited for
 * when no device on the bus has a d3cold_delay
 * (pci_bus_max_d3cold_delay() 0). Else a PCIe downstream port faster
 * than 5 GT/s waits for its link to report Data Link Layer Link Active
 * (pcie_wait_for_link_delay()), -ENOTTY if it does not: QEMU 10.0.2's
 * pcie-root-port is such a port and its link never reports active after
 * the reset (measured: "Data Link Layer Link Active not set in 100
 * msec"); its xio3130-downstream is a 2.5 GT/s port, which only waits
 * for the child (pci_dev_wait()); a PCIe-to-PCI bridge is no downstream
 * port and a conventional one just sleeps (scenarios/vfio/reset/).
 */
static bool pci_bridge_link_comes_back(const struct device *bridge)
{
	if (bridge->kind != DEV_PCIE_ROOT_PORT)
		return true;
	for (guint i = 0; i < bridge->children->len; i++) {
		if (pci_has_pm_cap(bridge->children->pdata[i]))
			return false;
	}
	return true;
}

static int pci_bridge_secondary_bus_reset(struct iommu_model *m,
					  const struct device *bridge)
{
	if (pci_bridge_link_comes_back(bridge))
		return 0;
	return iommu_refuse(m, -ENOTTY, "pci_bridge_wait_for_secondary_bus",
			    "%s's link does not report Data Link Layer Link "
			    "Active after the secondary bus reset (QEMU's "
			    "pcie-root-port)",
			    bridge->name);
}

/*
 * pci_parent_bus_reset() (the "bus" method of pci_reset_bus_function()):
 * not on the root bus, not a bridge, alone on its bus, and (doing it) the
 * bus coming back.
 */
static bool pci_parent_bus_reset_works(struct iommu_model *m,
				       const struct device *dev)
{
	return dev->parent && !dev->children &&
	       pci_bus_devices(m, dev)->len == 1 &&
	       pci_bridge_link_comes_back(dev->parent);
}

/*
 * pci_try_reset_function() -> __pci_reset_function_locked(): the methods
 * the function got at enumeration, in pci_reset_fn_methods[] order: a
 * PCIe function's FLR (QEMU's e1000e and virtio-pci: pcie_cap_flr_init(),
 * measured in the guest), else the "bus" method (pci_init_reset_methods(),
 * core/pci_reset.c), which succeeds while the function is still alone on
 * its bus and the bus comes back. QEMU's e1000 and edu have no PM reset
 * or AF FLR. vfio_pci_core_enable() keeps the answer at each first open
 * as reset_works.
 */
bool vfio_pci_reset_works(struct iommu_model *m, const struct device *dev)
{
	return dev->pcie ||
	       (dev->reset_bus_method && pci_parent_bus_reset_works(m, dev));
}

/*
 * vfio_pci_for_each_slot_or_bus() -> pci_walk_bus(pdev->bus): each device
 * on the bus, then the buses below it, depth first; stops at the first
 * non-zero return. @slot is always false here (no slots).
 */
typedef int (*pci_walk_fn)(struct device *pdev, void *data);

static int pci_walk_bus(GPtrArray *bus, pci_walk_fn fn, void *data)
{
	for (guint i = 0; i < bus->len; i++) {
		struct device *pdev = bus->pdata[i];
		int ret = fn(pdev, data);

		if (!ret && pdev->children)
			ret = pci_walk_bus(pdev->children, fn, data);
		if (ret)
			return ret;
	}
	return 0;
}

static int vfio_pci_for_each_slot_or_bus(struct iommu_model *m,
					 const struct device *dev,
					 pci_walk_fn fn, void *data)
{
	return pci_walk_bus(pci_bus_devices(m, dev), fn, data);
}

/* "Can we do a slot or bus reset or neither?": 0 or -ENODEV */
static int vfio_pci_probe_hot_reset(struct iommu_model *m,
				    const struct device *dev, const char *func)
{
	if (!pci_probe_reset_slot(dev) || !pci_probe_reset_bus(dev))
		return 0;
	return iommu_refuse(m, -ENODEV, func,
			    "%s: no slot reset (no hotplug slot) and no bus "
			    "reset (on the root bus: bus->self is NULL)",
			    dev->name);
}

/* ---- the dev_set ---- */

/* vfio_pci_core_register_device() -> vfio_assign_device_set(): the set_id */
static const void *vfio_pci_dev_set_id(const struct device *dev)
{
	if (!dev->parent)
		return dev; /* pci_is_root_bus(): vdev, a set of its own */
	return dev->parent; /* pdev->bus (pci_probe_reset_slot() fails) */
}

/* The registered vfio devices sharing @vdev's dev_set; the caller frees */
static GPtrArray *vfio_pci_dev_set(struct vfio_device *vdev)
{
	const void *id = vfio_pci_dev_set_id(vdev->dev);
	GPtrArray *set = g_ptr_array_new();
	GHashTableIter it;
	gpointer val;

	g_hash_table_iter_init(&it, vdev->vfio->device_ida);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		struct vfio_device *cur = val;

		if (cur->dev->kind == DEV_PCI &&
		    vfio_pci_dev_set_id(cur->dev) == id)
			g_ptr_array_add(set, cur);
	}
	return set;
}

/* vfio_find_device_in_devset() */
static struct vfio_device *vfio_find_device_in_devset(GPtrArray *set,
						      const struct device *dev)
{
	for (guint i = 0; i < set->len; i++) {
		if (((struct vfio_device *)set->pdata[i])->dev == dev)
			return set->pdata[i];
	}
	return NULL;
}

/* ---- ownership through iommufd (drivers/vfio/iommufd.c) ---- */

/* vfio_iommufd_device_ictx() */
static struct iommufd_ctx *vfio_iommufd_device_ictx(struct vfio_device *vdev)
{
	return vdev->idev ? vdev->idev->ictx : NULL;
}

/*
 * vfio_iommufd_get_dev_id(): the devid when @vdev is bound to @ictx;
 * -ENOENT when it is not but a device of its group is (owned, no id);
 * -ENODEV otherwise (or -EINVAL: bound to no ctx while @ictx is NULL).
 */
static int vfio_iommufd_get_dev_id(struct vfio_device *vdev,
				   struct iommufd_ctx *ictx)
{
	struct iommu_group *group = vdev->dev->iommu_group;

	if (vfio_iommufd_device_ictx(vdev) == ictx)
		return vdev->idev ? (int)vdev->idev->obj.id : -EINVAL;
	if (!group)
		return -ENODEV;
	return iommufd_ctx_has_group(ictx, group) ? -ENOENT : -ENODEV;
}

/* ---- VFIO_DEVICE_GET_PCI_HOT_RESET_INFO ---- */

static int vfio_pci_count_devs(struct device *pdev, void *data)
{
	(void)pdev;
	(*(u32 *)data)++;
	return 0;
}

struct vfio_pci_fill_info {
	struct iommu_model *m;
	struct vfio_device *vdev;
	GPtrArray *dev_set;
	struct vfio_pci_dependent_device *devices;
	u32 nr_devices;
	u32 count;
	u32 flags;
};

/* the devid of @pdev as the cdev caller's ctx sees it */
static u32 vfio_pci_fill_devid(struct vfio_pci_fill_info *fill,
			       struct device *pdev)
{
	struct vfio_device *vdev =
		vfio_find_device_in_devset(fill->dev_set, pdev);
	int id;

	/* hot-reset requires all affected devices be in the dev_set */
	if (!vdev)
		return (u32)VFIO_PCI_DEVID_NOT_OWNED;
	id = vfio_iommufd_get_dev_id(vdev,
				     vfio_iommufd_device_ictx(fill->vdev));
	if (id > 0)
		return (u32)id;
	return id == -ENOENT ? VFIO_PCI_DEVID_OWNED
			     : (u32)VFIO_PCI_DEVID_NOT_OWNED;
}

/* vfio_pci_fill_devs(): segment, bus, devfn, and the devid or group id */
static int vfio_pci_fill_devs(struct device *pdev, void *data)
{
	struct vfio_pci_fill_info *fill = data;
	struct vfio_pci_dependent_device *info;

	if (fill->count >= fill->nr_devices)
		return -EAGAIN; /* the topology changed since the count */
	info = &fill->devices[fill->count++];
	info->segment = 0;
	info->bus = (u8)pdev->bus;
	info->devfn = pdev->devfn;
	if (fill->flags & VFIO_PCI_HOT_RESET_FLAG_DEV_ID) {
		info->devid = vfio_pci_fill_devid(fill, pdev);
		if (info->devid == (u32)VFIO_PCI_DEVID_NOT_OWNED)
			fill->flags &= ~VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED;
		return 0;
	}
	if (!pdev->iommu_group)
		return iommu_refuse(fill->m, -EPERM, "vfio_pci_fill_devs",
				    "%s has no iommu group: cannot reset "
				    "non-isolated devices",
				    pdev->name);
	info->group_id = (u32)pdev->iommu_group->id;
	return 0;
}

/* The devices into the caller's array, then the header: only on success */
static int vfio_pci_hot_reset_info_fill(struct vfio_file *df,
					struct vfio_pci_hot_reset_info *hdr,
					u32 count, void *arg, size_t len)
{
	struct vfio_device *vdev = df->device;
	size_t bytes = count * sizeof(struct vfio_pci_dependent_device);
	struct vfio_pci_fill_info fill = {
		.m = df->m,
		.vdev = vdev,
		.nr_devices = count,
	};
	int ret;

	fill.devices = g_new0(struct vfio_pci_dependent_device, count);
	fill.dev_set = vfio_pci_dev_set(vdev);
	if (vdev->cdev_opened)
		fill.flags = VFIO_PCI_HOT_RESET_FLAG_DEV_ID |
			     VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED;
	ret = vfio_pci_for_each_slot_or_bus(df->m, vdev->dev,
					    vfio_pci_fill_devs, &fill);
	if (!ret && len < sizeof(*hdr) + bytes)
		ret = -EFAULT; /* copy_to_user(arg->devices) */
	if (!ret) {
		memcpy((char *)arg + sizeof(*hdr), fill.devices, bytes);
		hdr->count = fill.count;
		hdr->flags = fill.flags;
		memcpy(arg, hdr, sizeof(*hdr));
	}
	g_ptr_array_free(fill.dev_set, TRUE);
	g_free(fill.devices);
	return ret;
}

/*
 * vfio_pci_ioctl_get_pci_hot_reset_info(): argsz .. count in; -ENODEV
 * without a slot or bus reset; -ENOSPC with the header copied back
 * (count, flags 0) when argsz has no room for every affected device
 * (*copied says so); else each device, by group id for a group-opened
 * caller (-EPERM for one without a group), by devid for a cdev one.
 */
int vfio_pci_ioctl_get_pci_hot_reset_info(struct vfio_file *df, void *arg,
					  size_t len, size_t *copied)
{
	size_t minsz =
		offsetof(struct vfio_pci_hot_reset_info, count) + sizeof(u32);
	struct vfio_pci_hot_reset_info hdr;
	u32 count = 0;
	int ret;

	if (len < minsz)
		return -EFAULT;
	memcpy(&hdr, arg, minsz);
	if (hdr.argsz < minsz)
		return iommu_refuse(df->m, -EINVAL,
				    "vfio_pci_ioctl_get_pci_hot_reset_info",
				    "argsz %u < %zu", hdr.argsz, minsz);
	hdr.flags = 0;
	ret = vfio_pci_probe_hot_reset(df->m, df->device->dev,
				       "vfio_pci_ioctl_get_pci_hot_reset_info");
	if (ret)
		return ret;
	vfio_pci_for_each_slot_or_bus(df->m, df->device->dev,
				      vfio_pci_count_devs, &count);
	if (count > (hdr.argsz - sizeof(hdr)) /
			    sizeof(struct vfio_pci_dependent_device)) {
		hdr.count = count;
		memcpy(arg, &hdr, minsz);
		*copied = minsz;
		return iommu_refuse(df->m, -ENOSPC,
				    "vfio_pci_ioctl_get_pci_hot_reset_info",
				    "argsz %u has no room for the %u devices "
				    "the reset affects",
				    hdr.argsz, count);
	}
	return vfio_pci_hot_reset_info_fill(df, &hdr, count, arg, len);
}

/* ---- VFIO_DEVICE_PCI_HOT_RESET ---- */

static int vfio_pci_is_device_in_set(struct device *pdev, void *data)
{
	return vfio_find_device_in_devset(data, pdev) ? 0 : -ENODEV;
}

/*
 * vfio_pci_dev_set_resettable(): a slot or bus reset works, and every
 * PCI device it reaches (bridges too) is in the dev_set, i.e. bound to
 * vfio-pci: "they stay put and every driver controlling the device can
 * co-ordinate with the device reset". The first device stands for all.
 */
static bool vfio_pci_dev_set_resettable(struct iommu_model *m, GPtrArray *set)
{
	const struct device *pdev = ((struct vfio_device *)set->pdata[0])->dev;

	if (pci_probe_reset_slot(pdev) && pci_probe_reset_bus(pdev))
		return false;
	return !vfio_pci_for_each_slot_or_bus(m, pdev,
					      vfio_pci_is_device_in_set, set);
}

/* vfio_file_has_dev() over the caller's group files */
static bool vfio_dev_in_groups(const struct vfio_device *vdev,
			       struct vfio_group **groups, u32 ngroups)
{
	for (u32 i = 0; i < ngroups; i++) {
		if (groups[i] == vdev->group)
			return true;
	}
	return false;
}

/* The first device of @set its caller does not own, or NULL */
static struct vfio_device *vfio_pci_dev_set_unowned(GPtrArray *set,
						    struct vfio_group **groups,
						    u32 ngroups,
						    struct iommufd_ctx *ictx)
{
	for (guint i = 0; i < set->len; i++) {
		struct vfio_device *vdev = set->pdata[i];
		int devid;

		if (!ictx) {
			if (!vfio_dev_in_groups(vdev, groups, ngroups))
				return vdev;
			continue;
		}
		devid = vfio_iommufd_get_dev_id(vdev, ictx);
		if (devid <= 0 && devid != -ENOENT)
			return vdev;
	}
	return NULL;
}

/*
 * vfio_pci_dev_set_hot_reset(): -EINVAL unless the dev_set is resettable
 * and the caller owns every device of it: its group among @groups (the
 * group path), or bound to @ictx or in a group a device bound to @ictx
 * is in (the cdev path). Then pci_reset_bus() (no slot:
 * pci_try_reset_bus()): a secondary bus reset by the bridge above the
 * bus, config saved and restored around it, -ENOTTY when the bus does
 * not come back (pci_bridge_secondary_bus_reset()); no IOMMU bracket on
 * that path, so nothing the model keeps changes either way. The
 * memory_lock trylock (-EBUSY) and the bus trylock (-EAGAIN) need a
 * second task: not modelled.
 */
static int vfio_pci_dev_set_hot_reset(struct vfio_device *vdev,
				      struct vfio_group **groups, u32 ngroups,
				      struct iommufd_ctx *ictx)
{
	struct iommu_model *m = vdev->vfio->m;
	GPtrArray *set = vfio_pci_dev_set(vdev);
	struct vfio_device *unowned = NULL;
	int ret = 0;

	if (!vfio_pci_dev_set_resettable(m, set))
		ret = iommu_refuse(m, -EINVAL, "vfio_pci_dev_set_resettable",
				   "a device the reset reaches is not in "
				   "%s's dev_set (not bound to vfio-pci)",
				   vdev->dev->name);
	else
		unowned = vfio_pci_dev_set_unowned(set, groups, ngroups, ictx);
	if (unowned)
		ret = iommu_refuse(
			m, -EINVAL, "vfio_pci_dev_set_hot_reset",
			"%s is not owned by the caller (%s)",
			unowned->dev->name,
			ictx ? "not bound to its iommufd ctx, nor "
			       "in a group a device bound to it is in"
			     : "its group is not among the group fds");
	/* each device of the dev_set back in D0 first */
	for (guint i = 0; !ret && i < set->len; i++)
		vfio_config_set_d0(set->pdata[i]);
	if (!ret)
		ret = pci_bridge_secondary_bus_reset(m, vdev->dev->parent);
	g_ptr_array_free(set, TRUE);
	return ret;
}

/*
 * vfio_pci_ioctl_pci_hot_reset_groups(): at most one fd per affected
 * device (-EINVAL), each an open file of the caller (fget(): -EBADF)
 * and a VFIO group's (vfio_file_is_group(): -EINVAL); the groups then
 * prove ownership.
 */
static int vfio_pci_ioctl_pci_hot_reset_groups(struct vfio_file *df,
					       struct process *task,
					       u32 array_count, void *arg,
					       size_t len)
{
	struct vfio_pci_hot_reset *hdr = arg;
	struct vfio *v = vfio_of(df->m);
	g_autofree struct vfio_group **groups = NULL;
	u32 count = 0;

	vfio_pci_for_each_slot_or_bus(df->m, df->device->dev,
				      vfio_pci_count_devs, &count);
	if (array_count > count)
		return iommu_refuse(df->m, -EINVAL,
				    "vfio_pci_ioctl_pci_hot_reset_groups",
				    "%u group fds for %u affected devices",
				    array_count, count);
	if (len < sizeof(*hdr) + (size_t)array_count * sizeof(int32_t))
		return -EFAULT;
	groups = g_new0(struct vfio_group *, array_count);
	for (u32 i = 0; i < array_count; i++) {
		struct iommufd_ctx *ictx;
		struct vfio_file *f;

		if (vfio_fget(v, task, hdr->group_fds[i], &f, &ictx))
			return -EBADF;
		if (!f || f->kind != VFIO_FILE_GROUP)
			return iommu_refuse(
				df->m, -EINVAL,
				"vfio_pci_ioctl_pci_hot_reset_groups",
				"fd %d is not a VFIO group file",
				hdr->group_fds[i]);
		groups[i] = f->group;
	}
	return vfio_pci_dev_set_hot_reset(df->device, groups, array_count,
					  NULL);
}

/*
 * vfio_pci_ioctl_pci_hot_reset(): flags must be 0; a group-opened caller
 * gives group fds, a cdev-opened one none (-EINVAL otherwise); -ENODEV
 * without a slot or bus reset.
 */
int vfio_pci_ioctl_pci_hot_reset(struct vfio_file *df, struct process *task,
				 void *arg, size_t len)
{
	size_t minsz = offsetof(struct vfio_pci_hot_reset, count) + sizeof(u32);
	struct vfio_device *vdev = df->device;
	struct vfio_pci_hot_reset hdr;
	int ret;

	if (len < minsz)
		return -EFAULT;
	memcpy(&hdr, arg, minsz);
	if (hdr.argsz < minsz || hdr.flags)
		return iommu_refuse(df->m, -EINVAL,
				    "vfio_pci_ioctl_pci_hot_reset",
				    "argsz %u (at least %zu), flags 0x%x",
				    hdr.argsz, minsz, hdr.flags);
	if (!!hdr.count == vdev->cdev_opened)
		return iommu_refuse(
			df->m, -EINVAL, "vfio_pci_ioctl_pci_hot_reset",
			"%u group fds from a %s-opened device: "
			"the zero-length array is only for cdev",
			hdr.count, vdev->cdev_opened ? "cdev" : "group");
	ret = vfio_pci_probe_hot_reset(df->m, vdev->dev,
				       "vfio_pci_ioctl_pci_hot_reset");
	if (ret)
		return ret;
	if (hdr.count)
		return vfio_pci_ioctl_pci_hot_reset_groups(df, task, hdr.count,
							   arg, len);
	return vfio_pci_dev_set_hot_reset(vdev, NULL, 0,
					  vfio_iommufd_device_ictx(vdev));
}
