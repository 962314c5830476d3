// SPDX-License-Identifier: MIT
/*
 * vfio_pci_core.c - vfio-pci's answers about the device it exposes
 * (drivers/vfio/pci/vfio_pci_core.c): VFIO_DEVICE_GET_INFO, the regions
 * behind VFIO_DEVICE_GET_REGION_INFO (the config space and the BARs of
 * the device description, struct pci_func_res) and VFIO_DEVICE_GET_IRQ_INFO.
 * The device has no ROM, no VGA and no device-specific regions. Its
 * VFIO_DEVICE_FEATUREs (vfio_pci_core_ioctl_feature()): low power entry
 * and exit; no SR-IOV, so no VF token.
 */
#include "vfio/vfio_private.h"
#include "iommufd/eventfd.h"

/* include/linux/vfio_pci_core.h: a region's offset in the device fd */
#define VFIO_PCI_OFFSET_SHIFT 40
#define VFIO_PCI_INDEX_TO_OFFSET(index)                                        \
	((uint64_t)(index) << VFIO_PCI_OFFSET_SHIFT)

#define PAGE_SZ 4096u
#define PCI_CFG_SPACE_SIZE 256
#define PCI_CFG_SPACE_EXP_SIZE 4096

/* vfio_pci_ioctl_get_info(): vfio-pci's answer; RESET when reset_works
 * (taken at the first open: vfio_pci_reset_works(), pci_hot_reset.c) */
int vfio_pci_ioctl_get_info(struct vfio_file *df, void *arg, size_t len)
{
	struct vfio_device_info *info = arg;
	size_t minsz = offsetof(struct vfio_device_info, cap_offset);

	if (len < minsz)
		return -EFAULT;
	if (info->argsz < minsz)
		return -EINVAL;
	info->flags = VFIO_DEVICE_FLAGS_PCI |
		      (df->device->reset_works ? VFIO_DEVICE_FLAGS_RESET : 0);
	info->num_regions = VFIO_PCI_NUM_REGIONS;
	info->num_irqs = VFIO_PCI_NUM_IRQS;
	return 0;
}

/* vfio_pci_probe_mmaps(): a memory BAR of a page or more can be mmap()ed;
 * I/O BARs never. (A sub-page memory BAR is mmap()able when page-aligned
 * and the rest of its page can be reserved: the model's BAR addresses are
 * not modelled, so a sub-page BAR is taken as not mmap()able.) */
static bool vfio_pci_bar_mmap_supported(const struct pci_func_res *res,
					unsigned int bar)
{
	return !(res->bar_io & (1u << bar)) && res->bar_len[bar] >= PAGE_SZ;
}

/* vfio_pci_ioctl_get_region_info(): @info's offset, size and flags for
 * its index; *@msix_cap set when the region carries
 * VFIO_REGION_INFO_CAP_MSIX_MAPPABLE (msix_mmappable_cap(): the
 * mmap()able BAR holding the MSI-X table). 0 or -EINVAL. */
int vfio_pci_ioctl_get_region_info(struct vfio_device *vdev,
				   struct vfio_region_info *info,
				   bool *msix_cap)
{
	const struct device *dev = vdev->dev;
	const struct pci_func_res *res = &dev->res;
	unsigned int i = info->index;

	*msix_cap = false;
	if (i == VFIO_PCI_CONFIG_REGION_INDEX) {
		info->offset = VFIO_PCI_INDEX_TO_OFFSET(i);
		/* pci_cfg_space_size(): extended config space on PCIe */
		info->size =
			dev->pcie ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		return 0;
	}
	if (i <= VFIO_PCI_BAR5_REGION_INDEX) {
		info->offset = VFIO_PCI_INDEX_TO_OFFSET(i);
		info->size = res->bar_len[i];
		info->flags = 0;
		if (!info->size)
			return 0;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		if (vfio_pci_bar_mmap_supported(res, i)) {
			info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
			*msix_cap = res->msix_vectors && i == res->msix_bar;
		}
		return 0;
	}
	if (i == VFIO_PCI_ROM_REGION_INDEX) {
		/* no ROM BAR and no pdev->rom: size 0, no flags */
		info->offset = VFIO_PCI_INDEX_TO_OFFSET(i);
		info->size = 0;
		info->flags = 0;
		return 0;
	}
	/* VGA without vdev->has_vga, and any index past the fixed regions
	 * (vdev->num_regions is 0): -EINVAL */
	return iommu_refuse(
		vdev->vfio->m, -EINVAL, "vfio_pci_ioctl_get_region_info",
		"region index %u: %s", i,
		i == VFIO_PCI_VGA_REGION_INDEX ? "the device has no VGA"
					       : "past the device's regions");
}

#define PAGE_SHIFT_ 12

/* vfio_pci_core_mmap(): a shared mapping of an mmap()able BAR, within
 * its page-aligned length (the MSI-X BAR too: its table is mmap()able,
 * MSIX_MAPPABLE). No device-specific regions (num_regions 0). */
static int vfio_pci_core_mmap(struct vfio_device *vdev, u64 pgoff, u64 len,
			      bool shared, unsigned int *bar, u64 *start,
			      u64 *bar_len)
{
	const struct pci_func_res *res = &vdev->dev->res;
	u64 index = pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT_);
	u64 phys_len, req_start;

	if (index >= VFIO_PCI_NUM_REGIONS || !shared ||
	    index >= VFIO_PCI_ROM_REGION_INDEX ||
	    !vfio_pci_bar_mmap_supported(res, index))
		return iommu_refuse(vdev->vfio->m, -EINVAL,
				    "vfio_pci_core_mmap",
				    "region %llu is not an mmap()able BAR, or "
				    "the mapping is not shared",
				    (unsigned long long)index);
	phys_len = (res->bar_len[index] + PAGE_SZ - 1) & ~(u64)(PAGE_SZ - 1);
	req_start =
		(pgoff & ((1ull << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT_)) - 1))
		<< PAGE_SHIFT_;
	if (req_start + len > phys_len)
		return iommu_refuse(
			vdev->vfio->m, -EINVAL, "vfio_pci_core_mmap",
			"0x%llx bytes at 0x%llx pass BAR %llu's "
			"0x%llx",
			(unsigned long long)len, (unsigned long long)req_start,
			(unsigned long long)index,
			(unsigned long long)phys_len);
	*bar = index;
	*start = req_start;
	*bar_len = phys_len;
	return 0;
}

/* vfio_device_fops_mmap(); group and container files have no mmap
 * (do_mmap(): -ENODEV without f_op->mmap) */
int vfio_device_mmap(struct vfio_file *f, u64 pgoff, u64 len, bool shared,
		     unsigned int *bar, u64 *start, u64 *bar_len)
{
	if (f->kind != VFIO_FILE_DEVICE)
		return -ENODEV;
	if (!f->access_granted)
		return iommu_refuse(f->m, -EINVAL, "vfio_device_fops_mmap",
				    "access is not granted until "
				    "VFIO_DEVICE_BIND_IOMMUFD");
	return vfio_pci_core_mmap(f->device, pgoff, len, shared, bar, start,
				  bar_len);
}

const char *vfio_file_pci_name(const struct vfio_file *f)
{
	return f->kind == VFIO_FILE_DEVICE ? f->device->dev->name : NULL;
}

/*
 * vfio_pci_rw() by the region index in @pos: -EINVAL past the fixed
 * regions (no device-specific ones: vdev->num_regions 0); then
 * pm_runtime_resume_and_get(), the stub's 0 (the guest kernel has no
 * CONFIG_PM); the config region, a BAR, the ROM (read only: a write is
 * -EINVAL) through vfio_pci_bar_rw(); VGA -EINVAL (the guest kernel has
 * no CONFIG_VFIO_PCI_VGA, whose stub refuses, and no function is VGA:
 * no has_vga)
 */
static ssize_t vfio_pci_rw(struct vfio_device *vdev, void *buf, size_t count,
			   u64 pos, bool iswrite, bool *modelled)
{
	u64 index = pos >> VFIO_PCI_OFFSET_SHIFT;
	u64 off = pos & ((1ull << VFIO_PCI_OFFSET_SHIFT) - 1);
	struct iommu_model *m = vdev->vfio->m;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return vfio_pci_config_rw(vdev, buf, count, off, iswrite);
	case VFIO_PCI_ROM_REGION_INDEX:
		if (iswrite)
			return iommu_refuse(m, -EINVAL, "vfio_pci_rw",
					    "the ROM is read-only");
		return vfio_pci_bar_rw(vdev, buf, count, index, off, false,
				       modelled);
	case VFIO_PCI_VGA_REGION_INDEX:
		return iommu_refuse(m, -EINVAL, "vfio_pci_vga_rw",
				    "no VGA: CONFIG_VFIO_PCI_VGA is off, and "
				    "%s is no VGA function",
				    vdev->dev->name);
	default:
		if (index <= VFIO_PCI_BAR5_REGION_INDEX)
			return vfio_pci_bar_rw(vdev, buf, count, index, off,
					       iswrite, modelled);
		return iommu_refuse(m, -EINVAL, "vfio_pci_rw",
				    "region %llu is past the device's %u",
				    (unsigned long long)index,
				    VFIO_PCI_NUM_REGIONS);
	}
}

/* vfio_device_fops_read()/_write() -> vfio_pci_core_read()/_write() */
ssize_t vfio_device_rw(struct vfio_file *f, void *buf, size_t count, u64 pos,
		       bool iswrite, bool *modelled)
{
	bool ignored;

	if (!modelled)
		modelled = &ignored;
	*modelled = true;
	if (f->kind != VFIO_FILE_DEVICE)
		return -EINVAL;
	if (!f->access_granted)
		return iommu_refuse(f->m, -EINVAL, "vfio_device_fops_read",
				    "access is not granted until "
				    "VFIO_DEVICE_BIND_IOMMUFD");
	if (!count)
		return 0;
	return vfio_pci_rw(f->device, buf, count, pos, iswrite, modelled);
}

/* vfio_pci_get_irq_count(): INTx is there when PCI_INTERRUPT_PIN is set
 * (vfio_config_init() keeps it: the device has an irq), MSI's count is
 * 1 << QMASK, MSI-X's QSIZE + 1, ERR and REQ one each */
u32 vfio_pci_get_irq_count(const struct pci_func_res *res, unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return res->intx_pin ? 1 : 0;
	case VFIO_PCI_MSI_IRQ_INDEX:
		return res->msi_vectors;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return res->msix_vectors;
	default:
		return 1;
	}
}

/* vfio_pci_ioctl_get_irq_info(): argsz .. count in and out. MSI-X can
 * grow while enabled (has_dyn_msix: pci_msix_can_alloc_dyn(), x86's MSI
 * domains have MSI_FLAG_PCI_MSIX_ALLOC_DYN, arch/x86/include/asm/msi.h),
 * so INTx (maskable, automasked) and MSI-X are not NORESIZE, the others
 * are; a function without MSI-X has no has_dyn_msix
 * (vfio_pci_core_enable()): its MSI-X index is NORESIZE too */
static int vfio_pci_ioctl_get_irq_info(struct vfio_file *df, void *arg,
				       size_t len)
{
	size_t minsz = offsetof(struct vfio_irq_info, count) + sizeof(u32);
	struct vfio_irq_info info;

	if (len < minsz)
		return -EFAULT;
	memcpy(&info, arg, minsz);
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return iommu_refuse(df->m, -EINVAL,
				    "vfio_pci_ioctl_get_irq_info",
				    "argsz %u, index %u (%u IRQ indices)",
				    info.argsz, info.index, VFIO_PCI_NUM_IRQS);
	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = vfio_pci_get_irq_count(&df->device->dev->res, info.index);
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else if (info.index != VFIO_PCI_MSIX_IRQ_INDEX ||
		 !df->device->dev->res.msix_vectors)
		info.flags |= VFIO_IRQ_INFO_NORESIZE;
	memcpy(arg, &info, minsz);
	return 0;
}

/*
 * vfio_pci_ioctl_reset(): -EINVAL without reset_works (taken at the first
 * open); else pci_try_reset_function(): -EAGAIN while another task
 * holds the device's lock, then pcie_flr() or
 * pci_reset_bus_function(), each parking the function on its group's
 * blocking domain around the reset (pci_dev_reset_iommu_prepare()/
 * _done(), core/pci_reset.c). The bus method fails (-ENOTTY, the bracket
 * undone) once another function has joined the bus since the open. The
 * function's config is saved and restored around it
 * (pci_dev_save_and_disable()/pci_dev_restore()), so what vfio-pci shows
 * of it is as before.
 */
static int vfio_pci_ioctl_reset(struct vfio_file *df)
{
	struct device *dev = df->device->dev;
	int ret;

	if (!df->device->reset_works)
		return iommu_refuse(df->m, -EINVAL, "vfio_pci_ioctl_reset",
				    "%s had no working reset method at its "
				    "first open (reset_works)",
				    dev->name);
	/* the function back in D0 before the reset, whatever its outcome */
	vfio_config_set_d0(df->device);
	/* pci_try_reset_function(): pci_dev_trylock() fails while a task
	 * holds device_lock(dev), an unbind or removal waiting in vfio-pci's
	 * remove (core/bind.c) */
	if (dev->lock_tasks)
		return iommu_refuse(df->m, -EAGAIN, "pci_try_reset_function",
				    "device_lock(%s) is held by the %s waiting "
				    "in its driver's remove",
				    dev->name,
				    dev_lock_what_name(dev->lock_task[0].what));
	if (!vfio_pci_reset_works(df->m, dev))
		return iommu_refuse(df->m, -ENOTTY, "pci_parent_bus_reset",
				    "%s is no longer alone on its bus: its "
				    "bus method fails and it has no other",
				    dev->name);
	ret = pci_dev_reset_iommu_prepare(df->m, dev);
	if (ret)
		return ret;
	return pci_dev_reset_iommu_done(df->m, dev);
}

/* vfio_pci_core_ioctl(): what the model answers; the rest -ENOTTY */
int vfio_pci_core_ioctl(struct vfio_file *df, struct process *task,
			unsigned int cmd, void *arg, size_t len, size_t *copied)
{
	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vfio_pci_ioctl_get_info(df, arg, len);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vfio_pci_ioctl_get_irq_info(df, arg, len);
	case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return vfio_pci_ioctl_get_pci_hot_reset_info(df, arg, len,
							     copied);
	case VFIO_DEVICE_PCI_HOT_RESET:
		return vfio_pci_ioctl_pci_hot_reset(df, task, arg, len);
	case VFIO_DEVICE_RESET:
		return vfio_pci_ioctl_reset(df);
	default:
		return -ENOTTY;
	}
}

/* ---- VFIO_DEVICE_FEATURE: vfio-pci's device_feature op ---- */

/*
 * vfio_pci_runtime_pm_entry(): under memory_lock (whose zap of the BAR
 * mappings the model has none of, see docs/vfio.md), -EINVAL when low
 * power is already engaged; else engaged with @ctx (NULL without
 * wakeup), whose reference the device now holds. The guest kernel has no
 * CONFIG_PM: pm_runtime_put_noidle() is a stub and the function never
 * suspends, so nothing but LOW_POWER_EXIT and the last close ends it.
 */
static int vfio_pci_runtime_pm_entry(struct vfio_device *vdev,
				     struct eventfd_ctx *ctx)
{
	if (vdev->pm_runtime_engaged)
		return iommu_refuse(
			vdev->vfio->m, -EINVAL, "vfio_pci_runtime_pm_entry",
			"%s: low power entry is already engaged", vdev->name);
	vdev->pm_runtime_engaged = true;
	vdev->pm_wake_eventfd_ctx = ctx;
	return 0;
}

/* vfio_pci_core_pm_entry(): SET only, no data */
static int vfio_pci_core_pm_entry(struct vfio_device *vdev, u32 flags,
				  size_t argsz)
{
	int ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET, 0);

	if (ret != 1)
		return ret;
	return vfio_pci_runtime_pm_entry(vdev, NULL);
}

/* vfio_pci_core_pm_entry_with_wakeup(): SET only, data[] the entry; a
 * negative fd -EINVAL, then eventfd_ctx_fdget() (-EBADF, or -EINVAL for
 * a file that is not an eventfd); a refused entry puts the ctx back */
static int vfio_pci_core_pm_entry_with_wakeup(struct vfio_device *vdev,
					      struct process *task, u32 flags,
					      const void *data, size_t len,
					      size_t argsz)
{
	struct vfio_device_low_power_entry_with_wakeup entry;
	struct eventfd_ctx *ctx;
	int ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET,
				     sizeof(entry));

	if (ret != 1)
		return ret;
	if (len < sizeof(entry))
		return -EFAULT;
	memcpy(&entry, data, sizeof(entry));
	if (entry.wakeup_eventfd < 0)
		return iommu_refuse(vdev->vfio->m, -EINVAL,
				    "vfio_pci_core_pm_entry_with_wakeup",
				    "wakeup_eventfd %d", entry.wakeup_eventfd);
	ctx = eventfd_ctx_fdget(task, entry.wakeup_eventfd, &ret);
	if (!ctx)
		return iommu_refuse(vdev->vfio->m, ret, "eventfd_ctx_fdget",
				    "fd %d: %s", entry.wakeup_eventfd,
				    ret == -EBADF ? "not open"
						  : "not an eventfd");
	ret = vfio_pci_runtime_pm_entry(vdev, ctx);
	if (ret)
		eventfd_ctx_put(ctx);
	return ret;
}

void __vfio_pci_runtime_pm_exit(struct vfio_device *vdev)
{
	if (!vdev->pm_runtime_engaged)
		return;
	vdev->pm_runtime_engaged = false;
	if (vdev->pm_wake_eventfd_ctx) {
		eventfd_ctx_put(vdev->pm_wake_eventfd_ctx);
		vdev->pm_wake_eventfd_ctx = NULL;
	}
}

/* vfio_pci_core_pm_exit(): SET only, no data; 0 whether engaged or not
 * (pm_runtime_engaged makes the exit a no-op) */
static int vfio_pci_core_pm_exit(struct vfio_device *vdev, u32 flags,
				 size_t argsz)
{
	int ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET, 0);

	if (ret != 1)
		return ret;
	__vfio_pci_runtime_pm_exit(vdev);
	return 0;
}

/*
 * vfio_pci_core_ioctl_feature(). PCI_VF_TOKEN: vdev->vf_token exists only
 * for an SR-IOV PF (vfio_pci_vf_init(); the guest kernel has no
 * CONFIG_PCI_IOV, and no function of the model is a PF): -ENOTTY before
 * its flags are checked. DMA_BUF: the guest kernel has no PCI_P2PDMA, so
 * no VFIO_PCI_DMABUF and the stub's -ENOTTY. ZPCI_ERROR: s390's only
 * (vfio_pci_zdev_feature_err()'s stub). The rest: -ENOTTY.
 */
int vfio_pci_core_ioctl_feature(struct vfio_device *vdev, struct process *task,
				u32 flags, void *data, size_t len, size_t argsz)
{
	switch (flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY:
		return vfio_pci_core_pm_entry(vdev, flags, argsz);
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP:
		return vfio_pci_core_pm_entry_with_wakeup(vdev, task, flags,
							  data, len, argsz);
	case VFIO_DEVICE_FEATURE_LOW_POWER_EXIT:
		return vfio_pci_core_pm_exit(vdev, flags, argsz);
	case VFIO_DEVICE_FEATURE_PCI_VF_TOKEN:
		return iommu_refuse(
			vdev->vfio->m, -ENOTTY, "vfio_pci_core_feature_token",
			"%s is not an SR-IOV PF: no vf_token", vdev->dev->name);
	default:
		return iommu_refuse(vdev->vfio->m, -ENOTTY,
				    "vfio_pci_core_ioctl_feature",
				    "feature %u: not vfio-pci's in this "
				    "kernel",
				    flags & VFIO_DEVICE_FEATURE_MASK);
	}
}
