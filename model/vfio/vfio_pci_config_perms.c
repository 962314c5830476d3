// SPDX-License-Identifier: MIT
/*
 * vfio_pci_config_perms.c - the perm_bits of a vfio-pci device's
 * capabilities (drivers/vfio/pci/vfio_pci_config.c): each chunk past the
 * header (vfio_pci_config_caps.c mapped the capabilities) is read and
 * written through its capability's
 * perm_bits (vfio_pci_init_perm_bits()): virt bits from vconfig, the
 * rest from the function; writable virt bits to vconfig, writable
 * others to the function (vfio_default_config_read() / _write()),
 * with PM's, MSI's and PCI Express's writefns after.
 *
 * The function's side is its config bytes (phys) where QEMU's wmask
 * lets a write change them (pci_func_cfg_wmask()), and MSI-X's Enable
 * while vdev->irq_type is MSI-X (msix_capability_init() set it).
 * Not modelled: VPD's access through pci_vpd_read/write(), and
 * the function reset of a PCI Express or AF FLR (none of the model's
 * functions advertises FLR).
 */
#include "vfio/vfio_pci_config.h"

#define PERM_MAX 64 /* the longest allocated perms: the basic header */

enum rdfn { RD_NONE, RD_DIRECT, RD_DEFAULT, RD_RAW, RD_VIRT, RD_MSI };
enum wrfn {
	WR_NONE,
	WR_DEFAULT,
	WR_RAW,
	WR_VIRT,
	WR_PM,
	WR_MSI,
	WR_EXP,
	WR_AF
};

/* struct perm_bits: one bit per bit of the capability, virt (read from
 * and written to vconfig) and write (a write may change it) */
struct perm_bits {
	u8 virt[PERM_MAX];
	u8 write[PERM_MAX];
	enum rdfn readfn;
	enum wrfn writefn;
};

static struct perm_bits cap_perms[PCI_CAP_ID_MAX + 1];
static struct perm_bits ecap_perms[PCI_EXT_CAP_ID_MAX + 1];
static const struct perm_bits direct_ro_perms = { .readfn = RD_DIRECT };
static const struct perm_bits unassigned_perms = { .readfn = RD_RAW,
						   .writefn = WR_RAW };
static const struct perm_bits virt_perms = { .readfn = RD_VIRT,
					     .writefn = WR_VIRT };

static void p_set(struct perm_bits *p, unsigned int off, unsigned int n,
		  u32 virt, u32 write)
{
	for (unsigned int i = 0; i < n; i++) {
		p->virt[off + i] = (virt >> (8 * i)) & 0xff;
		p->write[off + i] = (write >> (8 * i)) & 0xff;
	}
}

/* alloc_perm_bits(): all readable, none writable, none virtualised,
 * the default read and write */
static void alloc_perm_bits(struct perm_bits *p)
{
	memset(p, 0, sizeof(*p));
	p->readfn = RD_DEFAULT;
	p->writefn = WR_DEFAULT;
}

/* init_pci_cap_pm_perm(): PME_Support, PME_En and PME_Status
 * virtualised; the power state read-only (vfio_pm_config_write() sets
 * it); the rest of PMCSR writable through */
static void init_pm_perm(struct perm_bits *p)
{
	alloc_perm_bits(p);
	p->writefn = WR_PM;
	p_set(p, PCI_CAP_LIST_NEXT, 1, 0xff, 0);
	p_set(p, PCI_PM_PMC, 2, PCI_PM_CAP_PME_MASK, 0);
	p_set(p, PCI_PM_CTRL, 4,
	      PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS,
	      ~(u32)(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS |
		     PCI_PM_CTRL_STATE_MASK));
}

/* init_pci_cap_exp_perm(): DEVCTL writable but Phantom Functions, with
 * FLR, Max_Payload_Size and Max_Read_Request_Size virtualised; DEVCTL2
 * writable but ARI */
static void init_exp_perm(struct perm_bits *p)
{
	alloc_perm_bits(p);
	p->writefn = WR_EXP;
	p_set(p, PCI_CAP_LIST_NEXT, 1, 0xff, 0);
	p_set(p, PCI_EXP_DEVCTL, 2,
	      PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD |
		      PCI_EXP_DEVCTL_READRQ,
	      (u16)~PCI_EXP_DEVCTL_PHANTOM);
	p_set(p, PCI_EXP_DEVCTL2, 2, 0, (u16)~PCI_EXP_DEVCTL2_ARI);
}

/* init_pci_cap_vpd_perm(), init_pci_cap_pcix_perm(),
 * init_pci_cap_af_perm() */
static void init_small_perms(void)
{
	struct perm_bits *p = &cap_perms[CAP_VPD];

	alloc_perm_bits(p);
	p_set(p, PCI_CAP_LIST_NEXT, 1, 0xff, 0);
	p_set(p, PCI_VPD_ADDR, 2, 0xffff, 0xffff);
	p_set(p, PCI_VPD_DATA, 4, ~0u, ~0u);
	p = &cap_perms[CAP_PCIX];
	alloc_perm_bits(p);
	p_set(p, PCI_CAP_LIST_NEXT, 1, 0xff, 0);
	p_set(p, PCI_X_CMD, 2, 0, 0xffff);
	p_set(p, PCI_X_ECC_CSR, 4, 0, ~0u);
	p = &cap_perms[CAP_AF];
	alloc_perm_bits(p);
	p->writefn = WR_AF;
	p_set(p, PCI_CAP_LIST_NEXT, 1, 0xff, 0);
	p_set(p, PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR, PCI_AF_CTRL_FLR);
}

/* init_pci_ext_cap_err_perm(): the header dword virtualised; the error
 * bits 7.3 names writable through in the status, mask and severity
 * registers, ECRC's enables in the capabilities and control */
static void init_err_perm(struct perm_bits *p)
{
	u32 unc = 0x00000001 | 0x00000010 | 0x00000020 | 0x00001000 |
		  0x00002000 | 0x00004000 | 0x00008000 | 0x00010000 |
		  0x00020000 | 0x00040000 | 0x00080000 | 0x00100000 |
		  0x00200000 | 0x00400000 | 0x00800000 | 0x01000000 |
		  0x02000000; /* PCI_ERR_UNC_UND .. PCI_ERR_UNC_TLPPRE */
	u32 cor = 0x00000001 | 0x00000040 | 0x00000080 | 0x00000100 |
		  0x00001000 | 0x00002000 | 0x00004000 |
		  0x00008000; /* PCI_ERR_COR_RCVR .. PCI_ERR_COR_LOG_OVER */

	alloc_perm_bits(p);
	p_set(p, 0, 4, ~0u, 0);
	p_set(p, PCI_ERR_UNCOR_STATUS, 4, 0, unc);
	p_set(p, PCI_ERR_UNCOR_MASK, 4, 0, unc);
	p_set(p, PCI_ERR_UNCOR_SEVER, 4, 0, unc);
	p_set(p, PCI_ERR_COR_STATUS, 4, 0, cor);
	p_set(p, PCI_ERR_COR_MASK, 4, 0, cor);
	p_set(p, PCI_ERR_CAP, 4, 0, 0x40 | 0x100); /* ECRC_GENE, _CHKE */
}

/* vfio_pci_init_perm_bits(): every capability read-only and read from
 * the function (its next pointer from vconfig) unless set up here */
static void init_perm_bits(void)
{
	for (unsigned int i = 0; i <= PCI_CAP_ID_MAX; i++)
		cap_perms[i] = direct_ro_perms;
	for (unsigned int i = 0; i <= PCI_EXT_CAP_ID_MAX; i++)
		ecap_perms[i] = direct_ro_perms;
	init_pm_perm(&cap_perms[CAP_PM]);
	init_small_perms();
	cap_perms[CAP_VNDR].writefn = WR_RAW;
	init_exp_perm(&cap_perms[CAP_EXP]);
	init_err_perm(&ecap_perms[ECAP_ERR]);
	alloc_perm_bits(&ecap_perms[ECAP_PWR]);
	p_set(&ecap_perms[ECAP_PWR], 0, 4, ~0u, 0);
	p_set(&ecap_perms[ECAP_PWR], PCI_PWR_DATA, 1, 0, 0xff);
	ecap_perms[ECAP_VNDR].writefn = WR_RAW;
	ecap_perms[ECAP_DVSEC].writefn = WR_RAW;
}

void vfio_config_perms_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		init_perm_bits();
		g_once_init_leave(&done, 1);
	}
}

/* init_pci_cap_msi_perm(): per device, by its MSI flags: the low byte of
 * the flags, the address and the data virtualised and writable; the
 * mask and pending bits writable through */
void vfio_config_msi_perm_init(struct vfio_pci_cfgspace *cs, u16 flags)
{
	struct perm_bits p;

	alloc_perm_bits(&p);
	p_set(&p, PCI_CAP_LIST_NEXT, 1, 0xff, 0);
	p_set(&p, PCI_MSI_FLAGS, 1, 0xff, 0xff);
	p_set(&p, PCI_MSI_ADDRESS_LO, 4, ~0u, ~0u);
	if (flags & PCI_MSI_FLAGS_64BIT) {
		p_set(&p, PCI_MSI_ADDRESS_HI, 4, ~0u, ~0u);
		p_set(&p, PCI_MSI_DATA_64, 2, 0xffff, 0xffff);
		if (flags & PCI_MSI_FLAGS_MASKBIT) {
			p_set(&p, PCI_MSI_MASK_64, 4, 0, ~0u);
			p_set(&p, PCI_MSI_PENDING_64, 4, 0, ~0u);
		}
	} else {
		p_set(&p, PCI_MSI_DATA_32, 2, 0xffff, 0xffff);
		if (flags & PCI_MSI_FLAGS_MASKBIT) {
			p_set(&p, PCI_MSI_MASK_32, 4, 0, ~0u);
			p_set(&p, PCI_MSI_PENDING_32, 4, 0, ~0u);
		}
	}
	memcpy(cs->msi_virt, p.virt, VFIO_MSI_PERM_MAX);
	memcpy(cs->msi_write, p.write, VFIO_MSI_PERM_MAX);
}

static u32 dword_mask(unsigned int count)
{
	return count == 4 ? ~0u : (1u << (8 * count)) - 1;
}

/* pci_user_read_config_*(): the function's bytes, its serial number
 * from its description (never stored: the explorer's symmetric key
 * counts interchangeable devices once), MSI-X's Enable while the kernel
 * has MSI-X on for vfio (vfio_msi_enable()) */
u32 vfio_cfg_phys_read(const struct vfio_device *vdev,
		       const struct vfio_pci_cfgspace *cs, unsigned int pos,
		       unsigned int count)
{
	u32 v = get_le(cs->phys + pos, count);
	unsigned int en = cs->msix_pos + PCI_MSIX_FLAGS + 1;

	if (vfio_cfg_is_serial(vdev->dev, pos)) {
		u32 d = pci_func_cfg_dword(vdev->vfio->m, vdev->dev, pos & ~3u);

		v = (d >> (8 * (pos % 4))) & dword_mask(count);
	}
	if (cs->msix_pos && pos <= en && en < pos + count &&
	    vfio_pci_irq_type(vdev) == VFIO_PCI_MSIX_IRQ_INDEX)
		v |= (PCI_MSIX_FLAGS_ENABLE >> 8) << (8 * (en - pos));
	return v;
}

/* pci_user_write_config_*(): QEMU lets the bits of its wmask change */
void vfio_cfg_phys_write(const struct vfio_device *vdev,
			 struct vfio_pci_cfgspace *cs, unsigned int pos,
			 unsigned int count, u32 val)
{
	for (unsigned int i = 0; i < count; i++) {
		unsigned int o = pos + i;
		u8 m = pci_func_cfg_wmask(vdev->dev, o & ~3u) >> (8 * (o % 4));
		u8 b = (val >> (8 * i)) & 0xff;

		cs->phys[o] = (cs->phys[o] & ~m) | (b & m);
	}
}

/* vfio_find_cap_start() */
static unsigned int find_cap_start(const struct vfio_pci_cfgspace *cs,
				   unsigned int pos)
{
	unsigned int base = pos >= PCI_CFG_SPACE_SIZE ? PCI_CFG_SPACE_SIZE
						      : PCI_STD_HEADER_SIZEOF;
	u8 cap = cs->map[pos];

	while (pos - 1 >= base && cs->map[pos - 1] == cap)
		pos--;
	return pos;
}

/* vfio_default_config_read(): vconfig's virt bits over the function's */
static u32 default_read(const struct vfio_device *vdev,
			const struct vfio_pci_cfgspace *cs,
			const struct perm_bits *p, unsigned int pos,
			unsigned int count, unsigned int offset)
{
	u32 val = get_le(cs->vconfig + pos, count);
	u32 virt = get_le(p->virt + offset, count);

	if (virt != dword_mask(count))
		val = (vfio_cfg_phys_read(vdev, cs, pos, count) & ~virt) |
		      (val & virt);
	return val;
}

/* vfio_direct_config_read(): the function's bytes, a standard
 * capability's id and next (or an extended one's header) from vconfig */
static u32 direct_read(const struct vfio_device *vdev,
		       const struct vfio_pci_cfgspace *cs, unsigned int pos,
		       unsigned int count, unsigned int offset)
{
	u32 val = vfio_cfg_phys_read(vdev, cs, pos, count);
	unsigned int n = 0;

	if (pos >= PCI_CFG_SPACE_SIZE)
		n = offset < 4 ? count : 0;
	else if (pos >= PCI_STD_HEADER_SIZEOF && offset == 0 && count > 1)
		n = MIN(PCI_CAP_FLAGS, count);
	else if (pos >= PCI_STD_HEADER_SIZEOF && offset == PCI_CAP_LIST_NEXT)
		n = 1;
	if (n)
		val = (val & ~dword_mask(n)) | get_le(cs->vconfig + pos, n);
	return val;
}

/* vfio_default_config_write(): writable virt bits to vconfig, writable
 * others to the function, nothing without a writable bit */
static void default_write(struct vfio_device *vdev,
			  struct vfio_pci_cfgspace *cs,
			  const struct perm_bits *p, unsigned int pos,
			  unsigned int count, unsigned int offset, u32 val)
{
	u32 write = get_le(p->write + offset, count);
	u32 virt = get_le(p->virt + offset, count);

	if (!write)
		return;
	if (write & virt) {
		u32 v = get_le(cs->vconfig + pos, count) & ~(write & virt);

		set_le(cs->vconfig + pos, v | (val & write & virt), count);
	}
	if (write & ~virt) {
		u32 ph = vfio_cfg_phys_read(vdev, cs, pos, count) &
			 ~(write & ~virt);

		vfio_cfg_phys_write(vdev, cs, pos, count,
				    ph | (val & write & ~virt));
	}
}

/* vfio_pci_set_power_state() -> pci_set_power_state(): D0 from a low
 * state is pci_power_up() (PMCSR written 0); D1 and D2 only when PMC
 * has them (-EIO), never from a deeper state (-EINVAL); D3hot sets the
 * state bits (pci_set_low_power_state()). Its failure is not the
 * user's: vfio_pm_config_write() ignores it. */
static void set_power_state(struct vfio_device *vdev,
			    struct vfio_pci_cfgspace *cs, unsigned int state)
{
	unsigned int pm = 0, ctrl;
	u16 pmc, pmcsr, cur;

	for (unsigned int pos = PCI_STD_HEADER_SIZEOF; pos < 256 && !pm; pos++)
		if (cs->map[pos] == CAP_PM)
			pm = pos;
	if (!pm)
		return;
	ctrl = pm + PCI_PM_CTRL;
	pmc = get_le(cs->phys + pm + PCI_PM_PMC, 2);
	pmcsr = vfio_cfg_phys_read(vdev, cs, ctrl, 2);
	cur = pmcsr & PCI_PM_CTRL_STATE_MASK;
	if (cur == state)
		return;
	if (state == PCI_D0) {
		vfio_cfg_phys_write(vdev, cs, ctrl, 2, 0);
		return;
	}
	if ((state == 1 && !(pmc & PCI_PM_CAP_D1)) ||
	    (state == 2 && !(pmc & PCI_PM_CAP_D2)) || cur > state)
		return;
	vfio_cfg_phys_write(vdev, cs, ctrl, 2,
			    (pmcsr & ~PCI_PM_CTRL_STATE_MASK) | state);
}

/* vfio_pm_config_write(): then a write at PMCSR asks for the power state
 * its state bits name */
static void pm_write(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs,
		     const struct perm_bits *p, unsigned int pos,
		     unsigned int count, unsigned int offset, u32 val)
{
	default_write(vdev, cs, p, pos, count, offset, val);
	if (offset == PCI_PM_CTRL)
		set_power_state(vdev, cs, val & PCI_PM_CTRL_STATE_MASK);
}

/* vfio_msi_config_read(): 7.3 puts msi_qmax into the QMASK bits of the
 * capability's first word in vconfig (its id byte, which reads from the
 * function: nothing a read shows), then the default read */
static u32 msi_read(const struct vfio_device *vdev,
		    struct vfio_pci_cfgspace *cs, const struct perm_bits *p,
		    unsigned int pos, unsigned int count, unsigned int offset)
{
	if (offset <= PCI_MSI_FLAGS && offset + count >= PCI_MSI_FLAGS) {
		unsigned int start = find_cap_start(cs, pos);
		u16 w = get_le(cs->vconfig + start, 2) & ~PCI_MSI_FLAGS_QMASK;

		set_le(cs->vconfig + start, w | vdev->msi_qmax << 1, 2);
	}
	return default_read(vdev, cs, p, pos, count, offset);
}

/* vfio_msi_config_write(): then the flags word: Enable only while
 * irq_type is MSI (the ioctl enables MSI), the Multiple Message Enable
 * at most msi_qmax; back to vconfig and to the function */
static void msi_write(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs,
		      const struct perm_bits *p, unsigned int pos,
		      unsigned int count, unsigned int offset, u32 val)
{
	unsigned int start;
	u16 flags;

	default_write(vdev, cs, p, pos, count, offset, val);
	if (!(offset <= PCI_MSI_FLAGS && offset + count >= PCI_MSI_FLAGS))
		return;
	start = find_cap_start(cs, pos);
	flags = get_le(cs->vconfig + start + PCI_MSI_FLAGS, 2);
	if (vfio_pci_irq_type(vdev) != VFIO_PCI_MSI_IRQ_INDEX)
		flags &= ~PCI_MSI_FLAGS_ENABLE;
	if ((flags & PCI_MSI_FLAGS_QSIZE) >> 4 > vdev->msi_qmax)
		flags = (flags & ~PCI_MSI_FLAGS_QSIZE) | vdev->msi_qmax << 4;
	set_le(cs->vconfig + start + PCI_MSI_FLAGS, flags, 2);
	vfio_cfg_phys_write(vdev, cs, start + PCI_MSI_FLAGS, 2, flags);
}

/* pcie_set_readrq(): 128 to 4096, a power of 2, else -EINVAL */
static void set_readrq(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs,
		       unsigned int devctl, unsigned int rq)
{
	u16 ctl;

	if (rq < 128 || rq > 4096 || (rq & (rq - 1)))
		return;
	ctl = vfio_cfg_phys_read(vdev, cs, devctl, 2) & ~PCI_EXP_DEVCTL_READRQ;
	vfio_cfg_phys_write(vdev, cs, devctl, 2,
			    ctl | (g_bit_storage(rq) - 8) << 12);
}

/* vfio_exp_config_write(): then FLR reads 0 again (a reset when DEVCAP
 * has FLR: not modelled, no model function has it), and a new
 * Max_Read_Request_Size goes to the function, at least its
 * Max_Payload_Size (pcie_get_mps()) */
static void exp_write(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs,
		      const struct perm_bits *p, unsigned int pos,
		      unsigned int count, unsigned int offset, u32 val)
{
	unsigned int devctl = pos - offset + PCI_EXP_DEVCTL;
	u16 rq0 = get_le(cs->vconfig + devctl, 2) & PCI_EXP_DEVCTL_READRQ;
	u16 ctl;

	default_write(vdev, cs, p, pos, count, offset, val);
	ctl = get_le(cs->vconfig + devctl, 2);
	if (ctl & PCI_EXP_DEVCTL_BCR_FLR) {
		ctl &= ~PCI_EXP_DEVCTL_BCR_FLR;
		set_le(cs->vconfig + devctl, ctl, 2);
	}
	if ((ctl & PCI_EXP_DEVCTL_READRQ) != rq0) {
		unsigned int rq = 128u << ((ctl & PCI_EXP_DEVCTL_READRQ) >> 12);
		unsigned int mps =
			128u << ((vfio_cfg_phys_read(vdev, cs, devctl, 2) &
				  PCI_EXP_DEVCTL_PAYLOAD) >>
				 5);

		set_readrq(vdev, cs, devctl, MAX(rq, mps));
	}
}

/* vfio_af_config_write(): FLR reads 0 again (the reset: not modelled) */
static void af_write(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs,
		     const struct perm_bits *p, unsigned int pos,
		     unsigned int count, unsigned int offset, u32 val)
{
	unsigned int ctrl = pos - offset + PCI_AF_CTRL;

	default_write(vdev, cs, p, pos, count, offset, val);
	cs->vconfig[ctrl] &= ~PCI_AF_CTRL_FLR;
}

/* vfio_pci_config_rw_single()'s choice of perm_bits and cap_start: the
 * unassigned bytes raw, a standard capability by its id (MSI's the
 * device's own), an extended one by its id, an id past the table's
 * (a hidden first extended capability) read-only */
static const struct perm_bits *perm_at(const struct vfio_pci_cfgspace *cs,
				       unsigned int pos, struct perm_bits *msi,
				       unsigned int *cap_start)
{
	u8 id = cs->map[pos];

	*cap_start = pos;
	if (id == PCI_CAP_ID_INVALID)
		return &unassigned_perms;
	if (id == PCI_CAP_ID_INVALID_VIRT)
		return &virt_perms;
	*cap_start = find_cap_start(cs, pos);
	if (pos >= PCI_CFG_SPACE_SIZE)
		return id > PCI_EXT_CAP_ID_MAX ? &direct_ro_perms
					       : &ecap_perms[id];
	if (id != CAP_MSI)
		return &cap_perms[id];
	memset(msi, 0, sizeof(*msi));
	memcpy(msi->virt, cs->msi_virt, VFIO_MSI_PERM_MAX);
	memcpy(msi->write, cs->msi_write, VFIO_MSI_PERM_MAX);
	msi->readfn = RD_MSI;
	msi->writefn = WR_MSI;
	return msi;
}

u32 vfio_config_cap_read(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs,
			 unsigned int pos, unsigned int count)
{
	struct perm_bits msi;
	unsigned int start;
	const struct perm_bits *p = perm_at(cs, pos, &msi, &start);
	unsigned int offset = pos - start;

	vfio_config_perms_init();
	switch (p->readfn) {
	case RD_DIRECT:
		return direct_read(vdev, cs, pos, count, offset);
	case RD_DEFAULT:
		return default_read(vdev, cs, p, pos, count, offset);
	case RD_RAW:
		return vfio_cfg_phys_read(vdev, cs, pos, count);
	case RD_VIRT:
		return get_le(cs->vconfig + pos, count);
	case RD_MSI:
		return msi_read(vdev, cs, p, pos, count, offset);
	case RD_NONE:
		break;
	}
	return 0;
}

void vfio_config_cap_write(struct vfio_device *vdev,
			   struct vfio_pci_cfgspace *cs, unsigned int pos,
			   unsigned int count, u32 val)
{
	struct perm_bits msi;
	unsigned int start;
	const struct perm_bits *p = perm_at(cs, pos, &msi, &start);
	unsigned int offset = pos - start;

	vfio_config_perms_init();
	switch (p->writefn) {
	case WR_DEFAULT:
		return default_write(vdev, cs, p, pos, count, offset, val);
	case WR_RAW:
		return vfio_cfg_phys_write(vdev, cs, pos, count, val);
	case WR_VIRT:
		return set_le(cs->vconfig + pos, val, count);
	case WR_PM:
		return pm_write(vdev, cs, p, pos, count, offset, val);
	case WR_MSI:
		return msi_write(vdev, cs, p, pos, count, offset, val);
	case WR_EXP:
		return exp_write(vdev, cs, p, pos, count, offset, val);
	case WR_AF:
		return af_write(vdev, cs, p, pos, count, offset, val);
	case WR_NONE:
		break;
	}
}

/* vfio_pci_core_disable(): vfio_pci_set_power_state(D0) first; then
 * pci_restore_state() of what the first open saved, which for what the
 * model keeps past the header is nothing: the guest kernel has no
 * CONFIG_PCIEAER (hw/kernel/iommusim.config), so pci_save_aer_state()
 * and pci_restore_aer_state() are drivers/pci/pci.h's stubs and AER's
 * registers keep what was written */
void vfio_config_caps_close(struct vfio_device *vdev,
			    struct vfio_pci_cfgspace *cs)
{
	if (cs)
		set_power_state(vdev, cs, PCI_D0);
}

void vfio_config_set_d0(struct vfio_device *vdev)
{
	vfio_config_caps_close(vdev, vdev->cfgsp);
}

/* pdev->current_state: PMCSR's state bits, PCI_D0 .. PCI_D3hot (D0
 * without a PM capability) */
unsigned int vfio_config_power_state(const struct vfio_device *vdev)
{
	const struct vfio_pci_cfgspace *cs = vdev->cfgsp;

	for (unsigned int pos = PCI_STD_HEADER_SIZEOF; cs && pos < 256; pos++)
		if (cs->map[pos] == CAP_PM)
			return cs->phys[pos + PCI_PM_CTRL] &
			       PCI_PM_CTRL_STATE_MASK;
	return PCI_D0;
}

bool vfio_config_in_d0(const struct vfio_device *vdev)
{
	return vfio_config_power_state(vdev) == PCI_D0;
}
