// SPDX-License-Identifier: MIT
/*
 * device.c - the machine description: IOMMU instances with their drivers'
 * capabilities, devices in a PCI or platform topology, device drivers.
 */
#include "copy.h"
#include "core.h"

/*
 * Capabilities of each modelled IOMMU driver in Linux 7.3:
 *  amd-vi      drivers/iommu/amd/iommu.c amd_iommu_ops: blocked_domain and
 *              identity_domain statics, domain_alloc_paging_flags;
 *              amd_iommu_capable(): CACHE_COHERENCY and
 *              ENFORCE_CACHE_COHERENCY true. init.c calls
 *              iommu_set_dma_strict() when the IOMMU caches non-present
 *              entries (NpCache), which QEMU's amd-iommu advertises.
 *  intel-vtd   drivers/iommu/intel/iommu.c: blocking_domain and identity
 *              statics; intel_iommu_capable(): CACHE_COHERENCY true,
 *              ENFORCE_CACHE_COHERENCY = ecap SC (off in QEMU); caching
 *              mode (QEMU's intel-iommu) makes it iommu_set_dma_strict().
 *  arm-smmu-v3 arm-smmu-v3.c: arm_smmu_blocked_domain and
 *              arm_smmu_identity_domain statics; pci_device_group() for
 *              PCI, generic_device_group() otherwise.
 *  tegra-smmu  tegra-smmu.c: identity_domain static, no blocked_domain
 *              (the core allocates an empty paging domain to block), no
 *              capable(), tegra_smmu_device_group(): one group per swgroup
 *              (our stream_id), tegra_smmu_def_domain_type(): IDENTITY.
 *  mock        iommufd/selftest.c mock_ops (CONFIG_IOMMUFD_TEST): its
 *              default_domain and blocked_domain are one static blocked
 *              domain, no identity, generic_device_group();
 *              mock_domain_capable(): CACHE_COHERENCY only.
 * Interrupt remapping (irq_remap): on, except on amd-vi, where Linux 7.3
 * disables it on QEMU's q35 (no southbridge IOAPIC at 00:14.0; REFERENCE
 * .md).
 */
static void iommu_device_defaults(struct iommu_device *iommu)
{
	iommu->paging = true;
	iommu->blocked = BLOCKED_STATIC;
	iommu->identity = IDENTITY_STATIC;
	iommu->device_group = GROUP_PCI;
	iommu->fail_attach_errno = EINVAL;
	iommu->irq_remap = true;
	iommu->hats = 2;
	switch (iommu->kind) {
	case IOMMU_DRV_AMD_VI:
		iommu->cap_cache_coherency = true;
		iommu->cap_enforce_cache_coherency = true;
		iommu->np_cache = true;
		iommu->irq_remap = false;
		break;
	case IOMMU_DRV_INTEL_VTD:
		iommu->cap_cache_coherency = true;
		iommu->np_cache = true;
		break;
	case IOMMU_DRV_ARM_SMMU_V3:
		iommu->cap_cache_coherency = true;
		break;
	case IOMMU_DRV_TEGRA_SMMU:
		iommu->blocked = BLOCKED_PAGING;
		iommu->device_group = GROUP_STREAM_ID;
		break;
	case IOMMU_DRV_MOCK:
		iommu->cap_cache_coherency = true;
		iommu->identity = IDENTITY_NONE;
		iommu->device_group = GROUP_PER_DEVICE;
		iommu->default_blocked = true;
		break;
	case IOMMU_DRV_NOIOMMU:
	case IOMMU_DRV_GENERIC:
		iommu->cap_cache_coherency = true;
		break;
	}
}

struct iommu_device *iommu_device_new(const char *name,
				      enum iommu_driver_kind kind)
{
	struct iommu_device *iommu = g_new0(struct iommu_device, 1);

	iommu->name = g_strdup(name);
	iommu->kind = kind;
	iommu_device_defaults(iommu);
	return iommu;
}

void iommu_device_free(struct iommu_device *iommu)
{
	if (iommu->stream_groups)
		g_hash_table_destroy(iommu->stream_groups);
	if (iommu->stream_owners)
		g_hash_table_destroy(iommu->stream_owners);
	g_free(iommu->name);
	g_free(iommu);
}

struct iommu_device *iommu_device_add(struct iommu_model *m, const char *name,
				      enum iommu_driver_kind kind)
{
	struct iommu_device *iommu = iommu_device_new(name, kind);

	g_ptr_array_add(m->iommus, iommu);
	return iommu;
}

struct iommu_device *iommu_device_find(struct iommu_model *m, const char *name)
{
	for (guint i = 0; i < m->iommus->len; i++) {
		struct iommu_device *iommu = m->iommus->pdata[i];

		if (g_str_equal(iommu->name, name))
			return iommu;
	}
	return NULL;
}

/*
 * QEMU's e1000e (hw/net/e1000e.c, e1000e.h), the PCIe function the 7.3
 * guest binds to vfio-pci: BAR0 MMIO and BAR1 flash of 128 KiB, BAR2 32
 * bytes of I/O ports, BAR3 the 16 KiB MSI-X BAR holding its 5 vectors
 * (E1000E_MSIX_VEC_NUM) in a table at its start, one MSI vector (e1000e_init_msi()), INTx pin A,
 * device 0x10d3, an Ethernet controller (the guest reads 8086:10d3).
 * The guest's vfio_pci_device_test prints the same BAR sizes and vector
 * counts (~/.cache/iommusim/selftests-vfio-last.tap).
 */
static const struct pci_func_res pci_func_res_e1000e = {
	.bar_len = { 128 << 10, 128 << 10, 32, 16 << 10, 0, 0 },
	.bar_io = 1u << 2,
	.intx_pin = 1,
	.msi_vectors = 1,
	.msix_vectors = 5,
	.msix_bar = 3,
	.msix_table = 0x0000,	/* E1000E_MSIX_TABLE (the PBA at 0x2000) */
	.device_id = 0x10d3,	/* E1000_DEV_ID_82574L */
	.class_code = 0x020000, /* PCI_CLASS_NETWORK_ETHERNET */
};

/*
 * QEMU's e1000 (a conventional function without model=) and edu
 * (model=edu), as the 7.3 guest's vfio-pci shows them
 * (VFIO_DEVICE_GET_REGION_INFO, VFIO_DEVICE_GET_IRQ_INFO, 2026-12-03):
 * e1000 BAR0 128 KiB of MMIO and BAR1 64 bytes of I/O ports, edu BAR0
 * 1 MiB of MMIO and one MSI vector; neither has MSI-X, both INTx pin A.
 * Their ids and class are not modelled: e1000e's are kept.
 */
static const struct pci_func_res pci_func_res_e1000 = {
	.bar_len = { 128 << 10, 64, 0, 0, 0, 0 },
	.bar_io = 1u << 1,
	.intx_pin = 1,
	.device_id = 0x10d3,
	.class_code = 0x020000,
};
static const struct pci_func_res pci_func_res_edu = {
	.bar_len = { 1 << 20, 0, 0, 0, 0, 0 },
	.intx_pin = 1,
	.msi_vectors = 1,
	.device_id = 0x10d3,
	.class_code = 0x020000,
};

void device_describe_pci(struct device *dev, const char *model)
{
	if (model && !strcmp(model, "edu"))
		dev->res = pci_func_res_edu;
	else
		dev->res = dev->pcie ? pci_func_res_e1000e : pci_func_res_e1000;
}

struct device *device_add(struct iommu_model *m, const char *name,
			  enum dev_kind kind, struct device *parent, u8 devfn)
{
	struct device *dev = g_new0(struct device, 1);

	dev->name = g_strdup(name);
	dev->kind = kind;
	dev->parent = parent;
	dev->devfn = devfn;
	dev->bus = -1;
	dev->secondary = -1;
	dev->pcie = true;
	dev->dma_alias_devfn = -1;
	dev->res = pci_func_res_e1000e;
	dev->decl_order = m->devices->len;
	if (kind != DEV_PCI && kind != DEV_PLATFORM)
		dev->children = g_ptr_array_new();
	if (parent)
		g_ptr_array_add(parent->children, dev);
	else if (kind != DEV_PLATFORM)
		g_ptr_array_add(m->root_bus, dev);
	/* PCI devices sit behind the machine's first IOMMU unless told */
	if (kind != DEV_PLATFORM && m->iommus->len)
		dev->iommu = m->iommus->pdata[0];
	iommu_touch_device_new(m, dev, device_find(m, name));
	g_ptr_array_add(m->devices, dev);
	if (g_hash_table_size(m->device_names)) /* built: kept whole */
		g_hash_table_insert(m->device_names, dev->name, dev);
	return dev;
}

/* The newest device of that name: a deleted device's name is free again,
 * and a later declaration (a hotplug) takes it over. */
struct device *device_create_soft(const char *name, struct iommu_device *iommu)
{
	struct device *dev = g_new0(struct device, 1);

	dev->name = g_strdup(name);
	dev->kind = DEV_PLATFORM;
	dev->bus = -1;
	dev->secondary = -1;
	dev->dma_alias_devfn = -1;
	dev->decl_order = -1;
	dev->iommu = iommu;
	return dev;
}

/*
 * m->devices only grows (a deleted device stays, its name resolving to
 * it until a new device takes the name), so the newest device of a name
 * is the last of that name in it. A machine of a few devices is searched
 * from its newest; a wide one through m->device_names, built at its
 * first search and kept whole by device_add() from then on (empty until
 * then: a copy of the machine does not make it, core/copy.c).
 */
#define DEVICE_NAMES_SCAN 32

struct device *device_find(struct iommu_model *m, const char *name)
{
	if (m->devices->len <= DEVICE_NAMES_SCAN) {
		for (guint i = m->devices->len; i--;) {
			struct device *dev = m->devices->pdata[i];

			if (!strcmp(dev->name, name))
				return dev;
		}
		return NULL;
	}
	if (!g_hash_table_size(m->device_names)) {
		for (guint i = 0; i < m->devices->len; i++) {
			struct device *dev = m->devices->pdata[i];

			g_hash_table_insert(m->device_names, dev->name, dev);
		}
	}
	return g_hash_table_lookup(m->device_names, name);
}

/* m->drivers[@i] made @m's own, to change it: a driver a copy of the
 * machine shares is copied, and @m's devices bound to it move over. */
static struct device_driver *driver_own(struct iommu_model *m, guint i)
{
	struct device_driver *drv = m->drivers->pdata[i], *own;

	if (drv->refs == 1)
		return drv;
	own = g_memdup2(drv, sizeof(*drv));
	own->name = g_strdup(drv->name);
	own->refs = 1;
	drv->refs--;
	m->drivers->pdata[i] = own;
	for (guint k = 0; k < m->devices->len; k++) {
		struct device *dev = m->devices->pdata[k];

		if (dev->driver == drv)
			dev->driver = own;
	}
	return own;
}

/* m->drivers made @m's own, to change it: a list copies of the machine
 * share is copied, each of its drivers held once more. */
static void drivers_own(struct iommu_model *m)
{
	GPtrArray *own;

	if (*m->drivers_holders == 1)
		return;
	--*m->drivers_holders;
	own = spare_ptr_array(m->drivers->len);
	g_ptr_array_set_size(own, m->drivers->len);
	for (guint i = 0; i < m->drivers->len; i++) {
		struct device_driver *drv = m->drivers->pdata[i];

		drv->refs++;
		own->pdata[i] = drv;
	}
	m->drivers = own;
	m->drivers_holders = g_new(unsigned int, 1);
	*m->drivers_holders = 1;
}

/* @m lets go of its list of drivers: the last holder frees it. */
void drivers_release(struct iommu_model *m)
{
	if (--*m->drivers_holders)
		return;
	for (guint i = 0; i < m->drivers->len; i++)
		driver_put(m->drivers->pdata[i]);
	spare_ptr_array_put(m->drivers);
	g_free(m->drivers_holders);
}

struct device_driver *driver_register(struct iommu_model *m, const char *name,
				      bool driver_managed_dma)
{
	struct device_driver *drv = NULL;

	drivers_own(m);
	for (guint i = 0; i < m->drivers->len && !drv; i++) {
		if (g_str_equal(((struct device_driver *)m->drivers->pdata[i])
					->name,
				name))
			drv = driver_own(m, i);
	}
	if (!drv) {
		drv = g_new0(struct device_driver, 1);
		drv->name = g_strdup(name);
		drv->refs = 1;
		g_ptr_array_add(m->drivers, drv);
	}
	drv->driver_managed_dma = driver_managed_dma;
	return drv;
}

void driver_put(struct device_driver *drv)
{
	if (drv && !--drv->refs) {
		g_free(drv->name);
		g_free(drv);
	}
}

struct device_driver *driver_find(struct iommu_model *m, const char *name)
{
	for (guint i = 0; i < m->drivers->len; i++) {
		struct device_driver *drv = m->drivers->pdata[i];

		if (g_str_equal(drv->name, name))
			return drv;
	}
	return NULL;
}
