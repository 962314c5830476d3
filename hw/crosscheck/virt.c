// SPDX-License-Identifier: MIT
/*
 * virt.c - the aarch64 guest: a scenario whose IOMMU is arm-smmu-v3 runs
 * on QEMU's virt machine with iommu=smmuv3 (qemu-system-aarch64 10.0.2
 * from bookworm-backports, TCG, -cpu max), a Linux 7.3 kernel
 * cross-compiled for arm64 (hw/kernel/build.sh --arch arm64) and the same
 * agent built for aarch64 (hw/initramfs/build.sh).
 *
 * QEMU's hw/arm/virt.c puts one SMMUv3 in front of the PCIe root complex
 * (pcie.0, its primary bus) and gives the host bridge's device-tree node
 * iommu-map = <0 &smmu 0 0x10000>: each requester ID is the StreamID of
 * the same value, so 7.3's of_iommu_configure() gives a PCI device one
 * StreamID per DMA alias (drivers/pci/search.c pci_for_each_dma_alias()),
 * as the model's stream_ids() does (model/core/driver.c). The PCI devices
 * are q35's (machine.c qemu_device()); the GIC is a GICv3 with its ITS, so
 * that PCI MSIs are isolated (irq-gic-v3-its.c sets
 * IRQ_DOMAIN_FLAG_ISOLATED_MSI), as the model's arm-smmu-v3 irq_remap
 * says. Not on virt: platform devices behind the SMMU (it translates the
 * root complex only), a second IOMMU, memmap= (machine.c says so).
 */
#include <string.h>

#include "hw.h"

void hw_virt_smmuv3(struct hw_machine *m, const struct hw_qemu *qemu,
		    const struct statement *st)
{
	if (!qemu->binary_aarch64)
		hw_why_not(m, st, "%s",
			   "no qemu-system-aarch64 (hw/fetch-qemu.sh aarch64 "
			   "failed)");
	m->arch = HW_ARCH_AARCH64;
	g_free(m->qemu_machine);
	m->qemu_machine = g_strdup("virt,iommu=smmuv3,gic-version=3");
}

/*
 * virt's root bus has one device of its own: the host bridge at 00.0
 * (QEMU's gpex-root, conventional, single function). A scenario device
 * there that looks the same is played by it, as q35's 00.0 is.
 */
bool hw_virt_builtin(struct hw_machine *m, const struct statement *st,
		     const struct device *dev, const char *addr)
{
	if (strcmp(addr, "00.0"))
		return false;
	if (dev->kind != DEV_PCI || dev->pcie || dev->multifunction)
		hw_why_not(m, st,
			   "addr=%s is virt's own host bridge, with "
			   "other properties",
			   addr);
	return true;
}

static void why_kconfig(struct hw_machine *m, const char *why)
{
	g_string_append_printf(m->why_all, "kconfig: %s\n", why);
	if (!m->why_not)
		m->why_not = g_strdup_printf("kconfig: %s", why);
}

/*
 * One aarch64 kernel, for the cold build's time: hw/kernel/arm64.config,
 * whose default domain type is arm64's Kconfig default,
 * IOMMU_DEFAULT_DMA_STRICT (drivers/iommu/Kconfig: DMA_LAZY only on X86
 * and S390), and whose VFIO/IOMMUFD are iommusim.config's. The model's
 * default without a kconfig statement is x86's DMA_LAZY, so a scenario
 * says IOMMU_DEFAULT=strict; other variants have no aarch64 kernel.
 */
void hw_virt_config(struct hw_machine *m, const struct iommu_model *model)
{
	if (model->kconfig_default != IOMMU_DOMAIN_DMA)
		why_kconfig(m, "the aarch64 guest's kernel is "
			       "IOMMU_DEFAULT_DMA_STRICT (arm64's Kconfig "
			       "default): say kconfig IOMMU_DEFAULT=strict");
	else if (m->kconfig &&
		 strcmp(m->kconfig, "iommu-default-strict.config"))
		why_kconfig(m, "the aarch64 guest has one kernel "
			       "(hw/kernel/arm64.config): no VFIO/IOMMUFD "
			       "variant");
	g_free(m->kconfig);
	m->kconfig = NULL;
}
