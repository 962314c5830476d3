/* SPDX-License-Identifier: MIT */
/*
 * device.h - iommu.h's section for model/core/device.c: devices, PCI
 * topology and device drivers (struct device, struct device_driver, a
 * PCI function's resources as vfio-pci reads them).
 *
 * A sub-header: iommu.h includes it where the section stood, after its
 * kernel integer types (u8, u32) and struct iommu_device. Include
 * iommu.h, not this.
 */
#ifndef IOMMUSIM_MODEL_DEVICE_H
#define IOMMUSIM_MODEL_DEVICE_H

enum dev_kind {
	DEV_PCI, /* endpoint (or a root-complex integrated endpoint) */
	DEV_PCIE_ROOT_PORT,
	DEV_PCIE_UPSTREAM,
	DEV_PCIE_DOWNSTREAM,
	DEV_PCIE_PCI_BRIDGE, /* PCIe-to-PCI/X: aliases to the secondary bus */
	DEV_PCI_BRIDGE,	     /* conventional PCI-to-PCI: aliases to itself */
	DEV_PLATFORM,
};

struct device_driver {
	char *name;
	bool driver_managed_dma; /* struct pci_driver.driver_managed_dma */
	bool vfio_pci; /* probes as drivers/vfio/pci/vfio_pci.c does */
	/* probes as drivers/pci/pcie/portdrv.c pcie_portdrv_probe(): PCIe
	 * ports only */
	bool pcie_port;
	/* the machines' lists holding it (m->drivers, which copies share):
	 * driver_register() makes one a machine's own before it changes it */
	unsigned int refs;
};

/*
 * A PCI function's resources as vfio-pci reads them: each standard BAR's
 * pci_resource_len() and whether it is I/O space (IORESOURCE_IO, never
 * mmap()ed: vfio_pci_probe_mmaps()), PCI_INTERRUPT_PIN, the MSI
 * capability's vector count (1 << QMASK), the MSI-X capability's table
 * size (QSIZE + 1) and table BAR (0xff: no MSI-X), its device id and
 * class code. device_add() gives
 * every PCI function QEMU's e1000e's (pci_func_res_e1000e()), the device
 * the 7.3 guest binds to vfio-pci.
 */
#define PCI_STD_NUM_BARS 6
struct pci_func_res {
	uint64_t bar_len[PCI_STD_NUM_BARS];
	uint8_t bar_io; /* bit n: BAR n is I/O space */
	uint8_t intx_pin;
	uint8_t msi_vectors;   /* 0: no MSI capability */
	uint16_t msix_vectors; /* 0: no MSI-X capability */
	uint8_t msix_bar;
	uint32_t msix_table; /* the MSI-X table's offset in msix_bar */
	/* the function's config space as the guest reads it through sysfs
	 * once vfio-pci is bound (device.c): dwords at their offsets, the
	 * rest 0, ended by off 0; COMMAND, the BARs and INTERRUPT_LINE are
	 * vfio_pci_config.c's own */
	const struct pci_cfg_dword *cfg;
	/* the bits a config write can change (QEMU's wmask, measured
	 * through sysfs), by runs of dwords, ended by len 0 */
	const struct pci_cfg_wmask *cfg_wmask;
	/* QEMU gives it a MAC address (a NIC): its Device Serial Number is
	 * made from it (device.c pci_func_dsn_lo()) */
	bool nic;
	uint8_t exp_cap;  /* the PCI Express capability's offset (0: none) */
	uint16_t dsn_cap; /* the Device Serial Number's offset (0: none) */
};

/* One dword of a function's config space at @off (little-endian value) */
struct pci_cfg_dword {
	uint16_t off;
	uint32_t val;
};

/* @mask for each dword from @off to @off + @len */
struct pci_cfg_wmask {
	uint16_t off;
	uint16_t len;
	uint32_t mask;
};

#define DEV_LOCK_TASKS 4 /* tasks a device's lock holds and queues */

/* One firmware direct-mapped range, [start, last] as the table gives it */
#define IOMMU_FW_DIRECT_MAX 4
struct iommu_fw_direct {
	u64 start, last;
};

struct device {
	char *name;
	enum dev_kind kind;
	struct device *parent; /* upstream bridge; NULL on the root bus */
	GPtrArray *children;   /* devices on this bridge's secondary bus */
	u8 devfn;	       /* PCI_DEVFN(slot, fn) */
	int bus;	       /* bus number, assigned at boot (-1 before) */
	int secondary;	       /* bridges: secondary bus number */
	bool pcie;
	bool multifunction;
	bool acs;	 /* ACS capability with SV|RR|CR|UF enabled */
	uint16_t vendor; /* PCI vendor ID, 0: none given (no vendor quirk) */
	int dma_alias_devfn; /* PCI DMA alias quirk, -1 if none */
	bool untrusted;
	/* firmware's direct-mapped ranges naming it (AMD IVMD unity maps,
	 * VT-d RMRRs, IORT RMRs), as its table states them: its IOMMU
	 * driver's get_resv_regions() reports them (resv_regions.c) */
	struct iommu_fw_direct fw_direct[IOMMU_FW_DIRECT_MAX];
	u8 n_fw_direct;
	u8 fw_direct_relaxable; /* bit n: fw_direct[n] may be relaxed */
	/* firmware gives it an IOMMU_RESV_DIRECT range the scenario does
	 * not place (the language's require_direct=1) */
	bool fw_direct_unplaced;
	/* dev->iommu->require_direct: set from an IOMMU_RESV_DIRECT region
	 * by iommu_create_device_direct_mappings(), gone with dev->iommu */
	bool require_direct;
	unsigned int def_domain_type; /* ops->def_domain_type(dev), 0: none */
	bool has_stream_id;
	u32 stream_id;
	struct iommu_device *iommu; /* the IOMMU that covers it, or NULL */
	int decl_order;
	char *boot_driver; /* bound when the kernel boots, or NULL */

	/* dev->iommu != NULL after a successful probe */
	bool dev_iommu;
	struct iommu_group *iommu_group;
	struct iommu_domain *attached; /* what attach_dev last installed */
	struct device_driver *driver;
	unsigned int direct_uses; /* use_default_domain called directly */
	bool ats; /* a PCIe ATS capability: pci_ats_supported() */
	/* a copy's (core/copy.c): its name and boot driver sit in its own
	 * allocation, after the struct (device_free()) */
	bool one_block;
	/* the PASIDs the device can issue: a PCIe PASID capability's
	 * pci_max_pasids(), or the "pasid-num-bits" property's 1 << bits;
	 * 0: none */
	u32 pasids;
	/* dev->iommu->max_pasids after probe (dev_iommu_get_max_pasids()):
	 * min(pasids, iommu->max_pasids); 0: no PASID attach reaches it */
	u32 max_pasids;
	/* gdev->reset_depth, gdev->blocked: pci_dev_reset_iommu_prepare()
	 * parked it on the group's blocking domain (pci_reset.c) */
	unsigned int reset_depth;
	bool reset_blocked;
	/* pci_init_reset_methods() at enumeration: the "bus" method
	 * (pci_parent_bus_reset() probed with no other device on the bus
	 * yet); pci_reset.c */
	bool reset_bus_method;
	struct pci_func_res res; /* PCI functions: what vfio-pci reads */
	/* tasks in device_lock(dev) (bind.c): the first holds it, blocked
	 * in its driver's remove (vfio-pci waiting for the device's open
	 * files: vfio_unregister_group_dev()); the others wait for the
	 * lock, in order. None: the lock is free. Inline (a copy's
	 * struct assignment copies it); drivers are shared by copies. */
	u8 lock_tasks;
	/* device_del() took it off its bus: nothing outside the kernel can
	 * name it any more (its sysfs entries are gone) */
	bool removed;
	/* in its slot, but no scan found it (pci_probe.c): drivers/pci/
	 * probe.c pci_scan_slot() stopped at an absent or single-function
	 * function 0, or its bus was never scanned (its bridge not found).
	 * Linux has no pci_dev for it: off its bus's list, nothing can name
	 * it; a scan that finds a multifunction function 0 finds it */
	bool unscanned;
	/* its sysfs remove was written: the attribute removed itself
	 * (pci-sysfs.c remove_store() -> device_remove_file_self()) */
	bool remove_written;
	/* that removal waits for pci_rescan_remove_lock, held by another
	 * device's removal that waits (bind.c): its place in the queue,
	 * from 1; 0: not waiting for it */
	u8 rescan_wait;
	struct dev_lock_task {
		u8 what;		   /* enum dev_lock_what */
		struct device_driver *drv; /* DEV_LOCK_BIND's */
	} lock_task[DEV_LOCK_TASKS];
};

/* What a task in device_lock(dev) does: unbind_store(), bind_store(),
 * device_del() of a hot unplug. */
enum dev_lock_what { DEV_LOCK_UNBIND, DEV_LOCK_BIND, DEV_LOCK_DEL };
const char *dev_lock_what_name(enum dev_lock_what what);

#endif
