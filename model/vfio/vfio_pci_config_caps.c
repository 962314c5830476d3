// SPDX-License-Identifier: MIT
/*
 * vfio_pci_config_caps.c - the capability lists of a vfio-pci device's
 * config space (drivers/vfio/pci/vfio_pci_config.c vfio_cap_init(),
 * vfio_ecap_init()): each capability whose length pci_cap_length[] /
 * pci_ext_cap_length[] (or vfio_cap_len() / vfio_ext_cap_len()) knows is
 * kept, its bytes marked in pci_config_map and copied into vconfig (PM's
 * PME bits cleared: vfio_update_pm_vconfig_bytes()); the others are
 * hidden by pointing the previous next pointer past them, the first
 * extended one instead kept as a placeholder whose id and version read
 * 0. The perm_bits each chunk then goes through:
 * vfio_pci_config_perms.c.
 *
 * Not modelled: the lengths of HyperTransport, SATA, VC, MFVC,
 * Resizable BAR, DPA and TPH capabilities (no device of the model has
 * one: they count as hidden here).
 */
#include "vfio/vfio_pci_config.h"

/* vfio_fill_vconfig_bytes(): vconfig from the function (its stored
 * bytes: the serial number's, which 7.3 copies too, are never read from
 * vconfig, vfio_direct_config_read() taking only a header from it) */
static void fill_vconfig(struct vfio_pci_cfgspace *cs, unsigned int pos,
			 unsigned int len)
{
	memcpy(cs->vconfig + pos, cs->phys + pos, len);
}

/* vfio_cap_len() of the variable-length capabilities the model knows */
static unsigned int cap_len(struct vfio_device *vdev,
			    struct vfio_pci_cfgspace *cs, u8 cap,
			    unsigned int pos, bool *extended_caps)
{
	u16 flags = get_le(cs->phys + pos + PCI_CAP_FLAGS, 2);

	switch (cap) {
	case CAP_MSI: /* vfio_msi_cap_len(): 10, 14, 20 or 24 */
		if (!cs->msi_pos)
			vfio_config_msi_perm_init(cs, flags);
		cs->msi_pos = pos;
		return 10 + (flags & PCI_MSI_FLAGS_64BIT ? 4 : 0) +
		       (flags & PCI_MSI_FLAGS_MASKBIT ? 10 : 0);
	case CAP_PCIX: /* PCI_X_CMD_VERSION() */
		if (!(get_le(cs->phys + pos + PCI_X_CMD, 2) & 0x3000))
			return PCI_CAP_PCIX_SIZEOF_V0;
		*extended_caps = cs->size > PCI_CFG_SPACE_SIZE &&
				 get_le(cs->phys + PCI_CFG_SPACE_SIZE, 4);
		return PCI_CAP_PCIX_SIZEOF_V2;
	case CAP_VNDR: /* the length follows the next field */
		return cs->phys[pos + PCI_CAP_FLAGS];
	case CAP_EXP: /* by version and type */
		*extended_caps = cs->size > PCI_CFG_SPACE_SIZE &&
				 get_le(cs->phys + PCI_CFG_SPACE_SIZE, 4);
		if ((flags & PCI_EXP_FLAGS_VERS) == 1)
			return (flags & PCI_EXP_FLAGS_TYPE) >> 4 ==
					       PCI_EXP_TYPE_RC_END
				       ? 0xc
				       : PCI_CAP_EXP_ENDPOINT_SIZEOF_V1;
		return (flags & PCI_EXP_FLAGS_TYPE) >> 4 == PCI_EXP_TYPE_RC_END
			       ? 0x2c
			       : PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
	}
	(void)vdev;
	return 0; /* HT, SATA: not modelled (hidden) */
}

/* pci_cap_length[] */
static unsigned int cap_length(u8 cap)
{
	switch (cap) {
	case PCI_CAP_ID_BASIC:
		return PCI_STD_HEADER_SIZEOF;
	case CAP_PM:
	case CAP_VPD:
		return 8;
	case CAP_AGP:
		return 12;
	case CAP_MSIX:
		return 12;
	case CAP_AF:
		return 6;
	case CAP_MSI:
	case CAP_PCIX:
	case 0x08: /* HT */
	case CAP_VNDR:
	case CAP_EXP:
	case 0x12: /* SATA */
		return 0xff;
	}
	return 0;
}

/* vfio_update_pm_vconfig_bytes(): PME_Support, PME_Status, PME_En clear */
static void update_pm_vconfig(struct vfio_pci_cfgspace *cs, unsigned int pos)
{
	set_le(cs->vconfig + pos + PCI_PM_PMC,
	       get_le(cs->vconfig + pos + PCI_PM_PMC, 2) & ~PCI_PM_CAP_PME_MASK,
	       2);
	set_le(cs->vconfig + pos + PCI_PM_CTRL,
	       get_le(cs->vconfig + pos + PCI_PM_CTRL, 2) &
		       ~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS),
	       2);
}

/* vfio_cap_init(): the standard list from PCI_CAPABILITY_LIST, each
 * capability of known length kept, the others skipped by the previous
 * next pointer; CAP_LIST cleared when none is kept */
static bool cap_init(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs)
{
	u8 *prev = &cs->vconfig[PCI_CAPABILITY_LIST];
	unsigned int pos, caps = 0;
	int loops = (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / 4;
	bool extended_caps = false;

	if (!(cs->phys[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return false;
	pos = cs->phys[PCI_CAPABILITY_LIST];
	while (pos && loops--) {
		u8 cap = cs->phys[pos],
		   next = cs->phys[pos + PCI_CAP_LIST_NEXT];
		unsigned int len = 0;

		if (cap && cap <= PCI_CAP_ID_MAX) {
			len = cap_length(cap);
			if (len == 0xff)
				len = cap_len(vdev, cs, cap, pos,
					      &extended_caps);
		}
		if (!len) { /* hidden: "hiding cap" */
			*prev = next;
			pos = next;
			continue;
		}
		memset(cs->map + pos, cap, len);
		fill_vconfig(cs, pos, len);
		if (cap == CAP_PM)
			update_pm_vconfig(cs, pos);
		if (cap == CAP_MSIX)
			cs->msix_pos = pos;
		prev = &cs->vconfig[pos + PCI_CAP_LIST_NEXT];
		pos = next;
		caps++;
	}
	if (!caps)
		cs->vconfig[PCI_STATUS] &= ~PCI_STATUS_CAP_LIST;
	return extended_caps;
}

/* vfio_ext_cap_len() of the variable-length ones the model knows */
static unsigned int ext_cap_len(const struct vfio_pci_cfgspace *cs, u16 ecap,
				unsigned int epos)
{
	u32 dword = get_le(cs->phys + epos + 4, 4);

	switch (ecap) {
	case ECAP_VNDR:	 /* PCI_VNDR_HEADER_LEN() */
	case ECAP_DVSEC: /* PCI_DVSEC_HEADER1_LEN() */
		return (dword >> 20) & 0xfff;
	case ECAP_ACS: {
		u8 bits = cs->phys[epos + PCI_ACS_EGRESS_BITS];

		if (!(get_le(cs->phys + epos + PCI_ACS_CAP, 2) & PCI_ACS_EC))
			return 8;
		return 8 + (bits ? (bits + 31u) / 32 * 32 : 256) / 8;
	}
	}
	return 0; /* VC, MFVC, REBAR, DPA, TPH: not modelled (hidden) */
}

/* pci_ext_cap_length[] */
static unsigned int ext_cap_length(u16 ecap)
{
	switch (ecap) {
	case ECAP_ERR:
		return PCI_ERR_ROOT_COMMAND;
	case ECAP_DSN:
		return 12;
	case ECAP_PWR:
	case ECAP_PRI:
		return 16;
	case ECAP_ARI:
	case ECAP_ATS:
	case ECAP_LTR:
		return 8;
	case ECAP_SRIOV:
		return 0x40;
	case ECAP_MCAST:
		return 40;
	case 0x02: /* VC */
	case 0x08: /* MFVC */
	case 0x09: /* VC9 */
	case ECAP_VNDR:
	case ECAP_ACS:
	case 0x15: /* REBAR */
	case 0x16: /* DPA */
	case 0x17: /* TPH */
	case ECAP_DVSEC:
		return 0xff;
	}
	return 0;
}

/* vfio_ecap_init(): the extended list from 0x100; an unknown one is
 * skipped by the previous header's next, or, first in the list, kept as
 * a placeholder whose id and version read 0; no real one: 0x100 reads 0 */
static void ecap_init(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs)
{
	unsigned int epos = PCI_CFG_SPACE_SIZE, ecaps = 0;
	int loops = (cs->size - PCI_CFG_SPACE_SIZE) / 4;
	u8 *prev = NULL;

	while (loops-- && epos >= PCI_CFG_SPACE_SIZE) {
		u32 header = get_le(cs->phys + epos, 4);
		u16 ecap = header & 0xffff;
		unsigned int len = 0, next = (header >> 20) & 0xffc;
		bool hidden = false;

		if (ecap <= PCI_EXT_CAP_ID_MAX) {
			len = ext_cap_length(ecap);
			if (len == 0xff)
				len = ext_cap_len(cs, ecap, epos);
		}
		if (!len) {
			if (prev) {
				set_le(prev,
				       (get_le(prev, 4) & ~(0xffcu << 20)) |
					       (next << 20),
				       4);
				epos = next;
				continue;
			}
			len = 4;
			hidden = true;
		}
		memset(cs->map + epos, (u8)ecap, len);
		fill_vconfig(cs, epos, len);
		if (hidden)
			set_le(cs->vconfig + epos,
			       get_le(cs->vconfig + epos, 4) & (0xffcu << 20),
			       4);
		else
			ecaps++;
		prev = &cs->vconfig[epos];
		epos = next;
	}
	if (!ecaps)
		set_le(cs->vconfig + PCI_CFG_SPACE_SIZE, 0, 4);
}

void vfio_config_caps_init(struct vfio_device *vdev,
			   struct vfio_pci_cfgspace *cs)
{
	vfio_config_perms_init();
	memset(cs->map, PCI_CAP_ID_BASIC, PCI_STD_HEADER_SIZEOF);
	memset(cs->map + PCI_STD_HEADER_SIZEOF, PCI_CAP_ID_INVALID,
	       cs->size - PCI_STD_HEADER_SIZEOF);
	memset(cs->vconfig, 0, sizeof(cs->vconfig));
	memcpy(cs->vconfig, cs->phys, PCI_STD_HEADER_SIZEOF);
	cs->msi_pos = cs->msix_pos = 0;
	if (cap_init(vdev, cs))
		ecap_init(vdev, cs);
}
