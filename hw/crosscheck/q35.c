// SPDX-License-Identifier: MIT
/*
 * q35.c - the x86_64 guest's machine: QEMU's q35 with amd-iommu or
 * intel-iommu (machine.c maps the PCI devices, which are the same on
 * virt, virt.c); what each QEMU IOMMU needs from the machine and the
 * kernel command line, and the functions q35 has on bus 0 itself.
 */
#include <string.h>

#include "hw.h"

void hw_q35_amd_vi(struct hw_machine *m, const struct hw_qemu *qemu,
		   const struct iommu_device *iommu, const struct statement *st)
{
	/* QEMU's AMD-Vi always reports NpCache (amd/init.c then calls
	 * iommu_set_dma_strict()); 7.3 leaves interrupt remapping off
	 * on q35 (no IOAPIC at 00:14.0; the model's irq_remap is off
	 * there too): type1's and iommufd's unsafe-interrupts
	 * parameters are the scenario's (setup_config) */
	if (!iommu->np_cache)
		hw_why_not(m, st, "%s", "QEMU's amd-iommu has NpCache");
	/* QEMU 10.0.2's amd-iommu with its default pt=on stops the
	 * guest's interrupts once /init runs (measured: the agent
	 * never prints); pt=off boots as 7.2 did. pt= is QEMU's
	 * own switch: 7.3's amd driver does not ask for it */
	m->iommu =
		g_strdup(qemu->major >= 10 ? "amd-iommu,pt=off" : "amd-iommu");
}

void hw_q35_intel_vtd(struct hw_machine *m, const struct iommu_device *iommu)
{
	/* caching mode is VT-d's np_cache (intel/iommu.c forces strict
	 * on it); interrupt remapping needs the split irqchip */
	m->iommu = g_strdup_printf("intel-iommu,intremap=on%s",
				   iommu->np_cache ? ",caching-mode=on" : "");
	g_free(m->qemu_machine);
	m->qemu_machine = g_strdup("q35,kernel-irqchip=split");
}

/*
 * Bus 0 functions that q35 itself has: the host bridge (00.0, single
 * function) and ICH9's LPC, AHCI and SMBus (1f.0, 1f.2, 1f.3, one
 * multifunction slot), all conventional PCI. A scenario device there that
 * looks the same is played by the built-in one; anything else cannot be.
 */
bool hw_q35_builtin(struct hw_machine *m, const struct statement *st,
		    const struct device *dev, const char *addr)
{
	static const char *const ich9[] = { "1f.0", "1f.2", "1f.3", NULL };

	if (dev->kind != DEV_PCI ||
	    (strcmp(addr, "00.0") && !g_strv_contains(ich9, addr))) {
		if (!strncmp(addr, "00.", 3) || !strncmp(addr, "1f.", 3))
			hw_why_not(m, st, "addr=%s is q35's own", addr);
		return false;
	}
	if (dev->pcie || dev->multifunction != (addr[0] == '1'))
		hw_why_not(m, st, "addr=%s is q35's own, with other properties",
			   addr);
	return true;
}

/*
 * ats=1: an endpoint with a PCIe ATS capability (pci_ats_supported()).
 * e1000e has none; QEMU's virtio-pci devices add one with ats=on when they
 * are PCIe, i.e. behind a port (virtio_pci_realize()). virtio-rng-pci
 * needs no backend; the guest has no virtio driver, so a driver= is
 * played by the test driver's stand-ins (hw_guest_driver()). The aarch64
 * kernel has no CONFIG_PCI_ATS (AMD_IOMMU and INTEL_IOMMU select it,
 * ARM_SMMU_V3 does not): q35 only.
 */
char *hw_q35_ats_device(struct hw_machine *m, const struct statement *st,
			const struct device *dev, struct hw_dev *d,
			const struct hw_dev *parent)
{
	if (!dev->pcie || !parent)
		hw_why_not(m, st, "%s",
			   "ats: QEMU's ATS-capable device (virtio-pci, "
			   "ats=on) is PCIe only behind a port");
	if (m->arch != HW_ARCH_X86_64)
		hw_why_not(m, st, "%s",
			   "ats: the aarch64 guest's kernel has no "
			   "CONFIG_PCI_ATS");
	d->qemu_model = g_strdup("virtio-rng-pci");
	return g_strdup("virtio-rng-pci,ats=on");
}
