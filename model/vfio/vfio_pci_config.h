/* SPDX-License-Identifier: MIT */
/*
 * vfio_pci_config.h - between vfio_pci_config.c (the header, the
 * chunking) and vfio_pci_config_perms.c (the capability lists and their
 * perm_bits), both drivers/vfio/pci/vfio_pci_config.c in 7.3.
 */
#ifndef IOMMUSIM_VFIO_PCI_CONFIG_H
#define IOMMUSIM_VFIO_PCI_CONFIG_H

#include "vfio/vfio_private.h"

#define PCI_STD_HEADER_SIZEOF 64
#define PCI_CFG_SPACE_SIZE 256
#define PCI_CAP_ID_BASIC 0
#define PCI_CAP_ID_INVALID 0xff	     /* default raw access */
#define PCI_CAP_ID_INVALID_VIRT 0xfe /* default virt access */

/* include/uapi/linux/pci_regs.h, what these files use */
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34
#define PCI_CAP_LIST_NEXT 1
#define PCI_CAP_FLAGS 2
#define PCI_CAP_ID_MAX 0x14
#define PCI_EXT_CAP_ID_MAX 0x31

enum cap_id {
	CAP_PM = 0x01,
	CAP_AGP = 0x02,
	CAP_VPD = 0x03,
	CAP_MSI = 0x05,
	CAP_PCIX = 0x07,
	CAP_VNDR = 0x09,
	CAP_EXP = 0x10,
	CAP_MSIX = 0x11,
	CAP_AF = 0x13,
};

enum ecap_id {
	ECAP_ERR = 0x01,
	ECAP_DSN = 0x03,
	ECAP_PWR = 0x04,
	ECAP_VNDR = 0x0b,
	ECAP_ACS = 0x0d,
	ECAP_ARI = 0x0e,
	ECAP_ATS = 0x0f,
	ECAP_SRIOV = 0x10,
	ECAP_MCAST = 0x12,
	ECAP_PRI = 0x13,
	ECAP_LTR = 0x18,
	ECAP_DVSEC = 0x23,
};

/* PM (pci_regs.h) */
#define PCI_PM_PMC 2
#define PCI_PM_CTRL 4
#define PCI_PM_CAP_PME_MASK 0xf800
#define PCI_PM_CTRL_STATE_MASK 0x0003
#define PCI_PM_CTRL_PME_ENABLE 0x0100
#define PCI_PM_CTRL_PME_STATUS 0x8000
#define PCI_PM_CAP_D1 0x0200
#define PCI_PM_CAP_D2 0x0400
#define PCI_D0 0
#define PCI_D3HOT 3
/* MSI */
#define PCI_MSI_FLAGS 2
#define PCI_MSI_FLAGS_ENABLE 0x0001
#define PCI_MSI_FLAGS_QMASK 0x000e
#define PCI_MSI_FLAGS_QSIZE 0x0070
#define PCI_MSI_FLAGS_64BIT 0x0080
#define PCI_MSI_FLAGS_MASKBIT 0x0100
#define PCI_MSI_ADDRESS_LO 4
#define PCI_MSI_ADDRESS_HI 8
#define PCI_MSI_DATA_32 8
#define PCI_MSI_MASK_32 12
#define PCI_MSI_PENDING_32 16
#define PCI_MSI_DATA_64 12
#define PCI_MSI_MASK_64 16
#define PCI_MSI_PENDING_64 20
#define PCI_MSIX_FLAGS 2
#define PCI_MSIX_FLAGS_ENABLE 0x8000
/* PCI Express */
#define PCI_EXP_FLAGS 2
#define PCI_EXP_FLAGS_VERS 0x000f
#define PCI_EXP_FLAGS_TYPE 0x00f0
#define PCI_EXP_TYPE_RC_END 0x9
#define PCI_EXP_DEVCAP 4
#define PCI_EXP_DEVCAP_FLR 0x10000000
#define PCI_EXP_DEVCTL 8
#define PCI_EXP_DEVCTL_PAYLOAD 0x00e0
#define PCI_EXP_DEVCTL_PHANTOM 0x0200
#define PCI_EXP_DEVCTL_READRQ 0x7000
#define PCI_EXP_DEVCTL_BCR_FLR 0x8000
#define PCI_EXP_DEVCTL2 0x28
#define PCI_EXP_DEVCTL2_ARI 0x0020
#define PCI_CAP_EXP_ENDPOINT_SIZEOF_V1 20
#define PCI_CAP_EXP_ENDPOINT_SIZEOF_V2 0x34
/* PCI-X, AF, VPD */
#define PCI_X_CMD 2
#define PCI_X_ECC_CSR 8
#define PCI_CAP_PCIX_SIZEOF_V0 8
#define PCI_CAP_PCIX_SIZEOF_V2 24
#define PCI_AF_CTRL 3
#define PCI_AF_CTRL_FLR 0x01
#define PCI_VPD_ADDR 2
#define PCI_VPD_DATA 4
/* AER, power budgeting, ACS, vendor-specific, DVSEC */
#define PCI_ERR_UNCOR_STATUS 0x04
#define PCI_ERR_UNCOR_MASK 0x08
#define PCI_ERR_UNCOR_SEVER 0x0c
#define PCI_ERR_COR_STATUS 0x10
#define PCI_ERR_COR_MASK 0x14
#define PCI_ERR_CAP 0x18
#define PCI_ERR_ROOT_COMMAND 0x2c
#define PCI_PWR_DATA 4
#define PCI_ACS_CAP 4
#define PCI_ACS_EC 0x0040
#define PCI_ACS_EGRESS_BITS 5

/* Little-endian fields of the config bytes */
static inline u32 get_le(const u8 *p, unsigned int n)
{
	u32 v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (u32)p[i] << (8 * i);
	return v;
}

static inline void set_le(u8 *p, u32 v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

/* vfio_cap_init() and vfio_ecap_init() over @cs's phys: map and vconfig */
void vfio_config_caps_init(struct vfio_device *vdev,
			   struct vfio_pci_cfgspace *cs);
void vfio_config_caps_close(struct vfio_device *vdev,
			    struct vfio_pci_cfgspace *cs);
/* vfio_pci_init_perm_bits(), once; init_pci_cap_msi_perm() for @cs's
 * MSI capability of @flags (vdev->msi_perm) */
void vfio_config_perms_init(void);
void vfio_config_msi_perm_init(struct vfio_pci_cfgspace *cs, u16 flags);
/* The Device Serial Number's eight bytes, which differ between
 * otherwise interchangeable functions (QEMU's MAC order): a chunk never
 * spans them and anything else (they end the DSN capability's dword) */
static inline bool vfio_cfg_is_serial(const struct device *dev,
				      unsigned int pos)
{
	unsigned int dsn = dev->res.dsn_cap;

	return dsn && pos >= dsn + 4 && pos < dsn + 12;
}

/* pci_user_read_config_*() / _write_*(): the function's side */
u32 vfio_cfg_phys_read(const struct vfio_device *vdev,
		       const struct vfio_pci_cfgspace *cs, unsigned int pos,
		       unsigned int count);
void vfio_cfg_phys_write(const struct vfio_device *vdev,
			 struct vfio_pci_cfgspace *cs, unsigned int pos,
			 unsigned int count, u32 val);
/* One chunk past the header through its perm_bits' readfn / writefn */
u32 vfio_config_cap_read(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs,
			 unsigned int pos, unsigned int count);
void vfio_config_cap_write(struct vfio_device *vdev,
			   struct vfio_pci_cfgspace *cs, unsigned int pos,
			   unsigned int count, u32 val);

#endif
