// SPDX-License-Identifier: MIT
/*
 * device.c - the machine description: IOMMU instances with their drivers'
 * capabilities, devices in a PCI or platform topology, device drivers.
 */
#include "copy.h"
#include "core.h"

#define PCI_EXP_TYPE_ENDPOINT 0x0 /* PCI_EXP_FLAGS_TYPE of an endpoint */

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
 * The config spaces below are what the 7.3 guest reads through sysfs
 * (/sys/bus/pci/devices/.../config) with vfio-pci bound, QEMU 10.0.2,
 * 2026-12-03 (hw/qemu/run.sh, one boot with each device on pcie.0 and an
 * e1000e behind a pcie-root-port). COMMAND, the BARs (the firmware's
 * addresses) and INTERRUPT_LINE are left out: vfio_pci_config.c keeps
 * them. Only the dwords that are not 0 are listed.
 *
 * e1000e (hw/net/e1000e.c): STATUS CAP_LIST; subsystem 8086:0000; the
 * capability list at 0xc8: PM (PMC 0x0022: version 3, DSI; no D1/D2, no
 * PME), MSI at 0xd0 (64-bit, one vector, no per-vector masking), PCI
 * Express at 0xe0 (version 1; type 9, a root-complex integrated
 * endpoint, on pcie.0, type 0 below a port: pci_func_pcie_flags()),
 * MSI-X at 0xa0 (5 entries, table BAR3 + 0, PBA BAR3 + 0x2000); the
 * extended list: AER at 0x100 (version 2), Device Serial Number at 0x140.
 */
static const struct pci_cfg_dword cfg_e1000e[] = {
	{ 0x00, 0x10d38086 }, /* 8086:10d3, E1000_DEV_ID_82574L */
	{ 0x04, 0x00100000 }, /* STATUS: CAP_LIST */
	{ 0x08, 0x02000000 }, /* Ethernet controller, revision 0 */
	{ 0x2c, 0x00008086 },
	{ 0x34, 0x000000c8 },
	{ 0x3c, 0x00000100 }, /* INTx pin A */
	{ 0xa0, 0x00040011 }, /* MSI-X, next 0, table size 5 */
	{ 0xa4, 0x00000003 },
	{ 0xa8, 0x00002003 },
	{ 0xc8, 0x0022d001 },  /* PM, next 0xd0 */
	{ 0xd0, 0x0080e005 },  /* MSI, next 0xe0, 64-bit */
	{ 0xe0, 0x0091a010 },  /* PCI Express, next 0xa0 */
	{ 0xe4, 0x00008020 },  /* DEVCAP: extended tag, role-based errors */
	{ 0xec, 0x00000411 },  /* LNKCAP: 2.5 GT/s x1, ASPM L0s */
	{ 0xf0, 0x00110000 },  /* LNKSTA: 2.5 GT/s x1 */
	{ 0x100, 0x14020001 }, /* AER v2, next 0x140 */
	{ 0x10c, 0x00462030 }, /* uncorrectable severity */
	{ 0x114, 0x0000e000 }, /* correctable mask */
	{ 0x118, 0x000000a0 }, /* ECRC generation and check capable */
	{ 0x140, 0x00010003 }, /* DSN v1, next 0: pci_func_dsn_lo() */
	{ 0 },
};

/* e1000 (hw/net/e1000.c): no capabilities (STATUS 0, pointer 0) */
static const struct pci_cfg_dword cfg_e1000[] = {
	{ 0x00, 0x100e8086 }, /* 8086:100e, 82540EM */
	{ 0x08, 0x02000003 }, /* Ethernet controller, revision 3 */
	{ 0x2c, 0x11001af4 }, /* subsystem 1af4:1100 (QEMU's) */
	{ 0x3c, 0x00000100 }, { 0 },
};

/* edu (hw/misc/edu.c): one capability, MSI at 0x40 (64-bit, one vector) */
static const struct pci_cfg_dword cfg_edu[] = {
	{ 0x00, 0x11e81234 }, /* 1234:11e8 */
	{ 0x04, 0x00100000 },
	{ 0x08, 0x00ff0010 }, /* class ff00 (unclassified), revision 0x10 */
	{ 0x2c, 0x11001af4 },
	{ 0x34, 0x00000040 },
	{ 0x3c, 0x00000100 },
	{ 0x40, 0x00800005 }, /* MSI, next 0, 64-bit */
	{ 0 },
};

/*
 * The bits a config write can change in each function (QEMU's wmask:
 * written all ones through sysfs and read back, the same boot): the
 * space no capability holds is plain storage (measured at 0x40, 0xf4 to
 * 0xff, 0x14c and 0x200 of e1000e, 0x40 and 0xfc of e1000, 0x50 and 0xfc
 * of edu); PMCSR's PME_En, Data_Select and PowerState; AER's
 * uncorrectable mask and severity (0x03fff030), correctable mask
 * (0xf1c1) and ECRC enables (0x140). DEVCTL, DEVSTA and the link
 * registers of e1000e's version 1 PCI Express capability ignore writes,
 * as do the status registers (write-1-to-clear, all clear).
 * COMMAND is vfio_pci_config.c's.
 */
static const struct pci_cfg_wmask wmask_e1000e[] = {
	{ 0x40, 0x60, 0xffffffff },
	{ 0xac, 0x1c, 0xffffffff },
	{ 0xcc, 4, 0x00001f03 },
	{ 0xdc, 4, 0xffff0000 }, /* past MSI's 14 bytes */
	{ 0xf4, 0x0c, 0xffffffff },
	{ 0x108, 8, 0x03fff030 },
	{ 0x114, 4, 0x0000f1c1 },
	{ 0x118, 4, 0x00000140 },
	{ 0x14c, 0x1000 - 0x14c, 0xffffffff },
	{ 0 },
};
static const struct pci_cfg_wmask wmask_e1000[] = {
	{ 0x40, 0xc0, 0xffffffff },
	{ 0 },
};
static const struct pci_cfg_wmask wmask_edu[] = {
	{ 0x4c, 4, 0xffff0000 }, /* past MSI's 14 bytes */
	{ 0x50, 0xb0, 0xffffffff },
	{ 0 },
};

/*
 * QEMU's e1000e (hw/net/e1000e.c, e1000e.h), the PCIe function the 7.3
 * guest binds to vfio-pci: BAR0 MMIO and BAR1 flash of 128 KiB, BAR2 32
 * bytes of I/O ports, BAR3 the 16 KiB MSI-X BAR holding its 5 vectors
 * (E1000E_MSIX_VEC_NUM) in a table at its start, one MSI vector (e1000e_init_msi()), INTx pin A.
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
	.msix_table = 0x0000, /* E1000E_MSIX_TABLE (the PBA at 0x2000) */
	.cfg = cfg_e1000e,
	.cfg_wmask = wmask_e1000e,
	.nic = true,
	.exp_cap = 0xe0,
	.dsn_cap = 0x140,
};

/*
 * QEMU's e1000 (a conventional function without model=) and edu
 * (model=edu), as the 7.3 guest's vfio-pci shows them
 * (VFIO_DEVICE_GET_REGION_INFO, VFIO_DEVICE_GET_IRQ_INFO, 2026-12-03):
 * e1000 BAR0 128 KiB of MMIO and BAR1 64 bytes of I/O ports, edu BAR0
 * 1 MiB of MMIO and one MSI vector; neither has MSI-X, both INTx pin A.
 */
static const struct pci_func_res pci_func_res_e1000 = {
	.bar_len = { 128 << 10, 64, 0, 0, 0, 0 },
	.bar_io = 1u << 1,
	.intx_pin = 1,
	.cfg = cfg_e1000,
	.cfg_wmask = wmask_e1000,
	.nic = true,
};
static const struct pci_func_res pci_func_res_edu = {
	.bar_len = { 1 << 20, 0, 0, 0, 0, 0 },
	.intx_pin = 1,
	.msi_vectors = 1,
	.cfg = cfg_edu,
	.cfg_wmask = wmask_edu,
};

static u32 cfg_image_dword(const struct device *dev, unsigned int off)
{
	for (const struct pci_cfg_dword *c = dev->res.cfg; c && c->val; c++)
		if (c->off == off)
			return c->val;
	return 0;
}

/* QEMU's default MAC for the NIC it creates @index-th without mac=
 * (net/net.c qemu_macaddr_default_if_unset(): 52:54:00:12:34:56 + index),
 * in the order of the command line the harness writes, the model's
 * declaration order; the Device Serial Number's low dword is its last
 * three bytes under 0xff (hw/net/e1000e.c e1000e_init_net_peer() ->
 * pcie_dev_ser_num_init()) */
static u32 pci_func_dsn_lo(const struct iommu_model *m,
			   const struct device *dev)
{
	unsigned int index = 0;

	for (guint i = 0; i < m->devices->len; i++) {
		const struct device *d = m->devices->pdata[i];

		if (d == dev)
			break;
		if (d->kind == DEV_PCI && d->res.nic)
			index++;
	}
	return 0xff000000u | (0x123456u + index);
}

u32 pci_func_cfg_dword(const struct iommu_model *m, const struct device *dev,
		       unsigned int off)
{
	u32 val = cfg_image_dword(dev, off & ~3u);

	/* the PCI Express capability's type (QEMU's
	 * pcie_endpoint_cap_v1_init(): a root-complex integrated endpoint on
	 * the root bus, an endpoint below a port) */
	if (dev->res.exp_cap && (off & ~3u) == dev->res.exp_cap && dev->parent)
		val = (val & ~0x00f00000u) | (PCI_EXP_TYPE_ENDPOINT << 20);
	/* the Device Serial Number (pcie_dev_ser_num_init()) */
	if (dev->res.dsn_cap && (off & ~3u) == dev->res.dsn_cap + 4u)
		val = pci_func_dsn_lo(m, dev);
	if (dev->res.dsn_cap && (off & ~3u) == dev->res.dsn_cap + 8u)
		val = 0x525400ff; /* 52:54:00, QEMU's prefix */
	return val;
}

uint16_t pci_func_vendor(const struct device *dev)
{
	return dev->vendor ? dev->vendor : cfg_image_dword(dev, 0) & 0xffff;
}

uint16_t pci_func_device(const struct device *dev)
{
	return cfg_image_dword(dev, 0) >> 16;
}

u32 pci_func_cfg_wmask(const struct device *dev, unsigned int off)
{
	const struct pci_cfg_wmask *w = dev->res.cfg_wmask;

	for (; w && w->len; w++)
		if (off >= w->off && off < (unsigned int)w->off + w->len)
			return w->mask;
	return 0;
}

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
