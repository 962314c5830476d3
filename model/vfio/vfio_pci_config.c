// SPDX-License-Identifier: MIT
/*
 * vfio_pci_config.c - the config space vfio-pci shows through the device
 * fd (drivers/vfio/pci/vfio_pci_config.c): vfio_pci_config_rw() chops an
 * access into aligned chunks within a dword (vfio_pci_config_rw_single()),
 * and each chunk of the standard header goes through the basic perms
 * (init_pci_cap_basic_perm()): vendor and device ids, the capability
 * pointer and the interrupt pin virtualised read-only; COMMAND written
 * through to the function; the BARs and INTERRUPT_LINE virtualised and
 * writable (vfio_bar_fixup() on reads).
 *
 * Not modelled: the function's capabilities. The model's functions have
 * none in config space (STATUS_CAP_LIST clear, pointer 0), so every byte
 * past the header is unassigned and reads 0 (vfio_raw_config_read() of a
 * function with nothing there); writes there are dropped. The BARs'
 * addresses are not modelled: a BAR reads its flags with address 0 until
 * written.
 */
#include "vfio/vfio_private.h"

#define PCI_STD_HEADER_SIZEOF 64
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_COMMAND_INTX_DISABLE 0x400

/*
 * The bits of COMMAND the function implements (QEMU's pci_init_wmask():
 * IO, MEMORY, MASTER, INTX_DISABLE, and SERR and PARITY); what the
 * function has at the first open: pci_enable_device() set IO and MEMORY
 * for its BARs and the firmware SERR (the guest's e1000e reads 0x0103
 * with Bus Master off: vfio_pci_device_test, selftests-vfio-last.tap).
 */
#define CMD_WMASK 0x0547
#define CMD_AT_OPEN 0x0103

/* vfio_generate_bar_flags(): I/O space, or 32-bit non-prefetchable
 * memory (the e1000e's: QEMU registers them PCI_BASE_ADDRESS_SPACE_MEMORY
 * without MEM_TYPE_64 or PREFETCH) */
static u32 bar_flags(const struct pci_func_res *res, unsigned int bar)
{
	return res->bar_io & (1u << bar) ? 1u : 0u;
}

/* vfio_config_init() at vfio_pci_core_enable(): vconfig from the
 * function's header; pci_enable_device() has set the decodes */
void vfio_config_init(struct vfio_device *vdev)
{
	const struct pci_func_res *res = &vdev->dev->res;

	for (unsigned int i = 0; i < PCI_STD_NUM_BARS; i++)
		vdev->cfg.bar[i] = res->bar_len[i] ? bar_flags(res, i) : 0;
	vdev->cfg.command = CMD_AT_OPEN;
	vdev->cfg.intx_line = 0;
}

/* vfio_bar_fixup(): a BAR reads what was written, masked to its size,
 * with its flags; an empty BAR reads 0 */
static u32 vbar_read(const struct vfio_device *vdev, unsigned int bar)
{
	const struct pci_func_res *res = &vdev->dev->res;
	u64 len = res->bar_len[bar];

	if (!len)
		return 0;
	return (vdev->cfg.bar[bar] & (u32) ~(len - 1)) | bar_flags(res, bar);
}

/* The standard header as a read sees it, little-endian */
static void header_bytes(const struct vfio_device *vdev, u8 *h)
{
	const struct device *dev = vdev->dev;
	u16 vendor = dev->vendor ? dev->vendor : PCI_VENDOR_ID_DEFAULT;

	memset(h, 0, PCI_STD_HEADER_SIZEOF);
	h[PCI_VENDOR_ID] = vendor & 0xff;
	h[PCI_VENDOR_ID + 1] = vendor >> 8;
	h[PCI_DEVICE_ID] = dev->res.device_id & 0xff;
	h[PCI_DEVICE_ID + 1] = dev->res.device_id >> 8;
	h[PCI_COMMAND] = vdev->cfg.command & 0xff;
	h[PCI_COMMAND + 1] = vdev->cfg.command >> 8;
	h[PCI_CLASS_REVISION + 3] = dev->res.class_code >> 16;
	h[PCI_CLASS_REVISION + 2] = (dev->res.class_code >> 8) & 0xff;
	h[PCI_CLASS_REVISION + 1] = dev->res.class_code & 0xff;
	h[PCI_HEADER_TYPE] = dev->multifunction ? 0x80 : 0;
	for (unsigned int i = 0; i < PCI_STD_NUM_BARS; i++) {
		u32 v = vbar_read(vdev, i);

		for (unsigned int b = 0; b < 4; b++)
			h[PCI_BASE_ADDRESS_0 + 4 * i + b] =
				(v >> (8 * b)) & 0xff;
	}
	h[PCI_INTERRUPT_LINE] = vdev->cfg.intx_line;
	h[PCI_INTERRUPT_PIN] = dev->res.intx_pin;
}

/* vfio_basic_config_write() of one chunk: COMMAND to the function (its
 * implemented bits), a BAR or INTERRUPT_LINE to vconfig, the read-only
 * rest dropped */
static void header_write(struct vfio_device *vdev, unsigned int pos,
			 const u8 *buf, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		unsigned int o = pos + i;

		if (o == PCI_COMMAND || o == PCI_COMMAND + 1) {
			unsigned int sh = 8 * (o - PCI_COMMAND);
			u16 keep = vdev->cfg.command & ~(0xffu << sh);
			u16 val = (u16)(buf[i] << sh) &
				  (CMD_WMASK & (0xffu << sh));

			vdev->cfg.command = keep | val;
		} else if (o >= PCI_BASE_ADDRESS_0 &&
			   o < PCI_BASE_ADDRESS_0 + 4 * PCI_STD_NUM_BARS) {
			unsigned int bar = (o - PCI_BASE_ADDRESS_0) / 4;
			unsigned int sh = 8 * ((o - PCI_BASE_ADDRESS_0) % 4);

			vdev->cfg.bar[bar] =
				(vdev->cfg.bar[bar] & ~(0xffu << sh)) |
				((u32)buf[i] << sh);
		} else if (o == PCI_INTERRUPT_LINE) {
			vdev->cfg.intx_line = buf[i];
		}
	}
}

/* vfio_pci_config_rw_single(): one aligned chunk of at most a dword;
 * -EFAULT outside pdev->cfg_size */
static ssize_t config_rw_single(struct vfio_device *vdev, u8 *buf, size_t count,
				u64 pos, bool iswrite)
{
	u64 cfg_size = vdev->dev->pcie ? 4096 : 256;
	u8 h[PCI_STD_HEADER_SIZEOF];

	if (pos >= cfg_size || pos + count > cfg_size)
		return -EFAULT;
	count = MIN(count, 4 - pos % 4); /* vfio_pci_cap_remaining_dword() */
	if (count >= 4 && !(pos % 4))
		count = 4;
	else if (count >= 2 && !(pos % 2))
		count = 2;
	else
		count = 1;
	if (iswrite) {
		if (pos < PCI_STD_HEADER_SIZEOF)
			header_write(vdev, pos, buf, count);
		return count;
	}
	header_bytes(vdev, h);
	for (size_t i = 0; i < count; i++)
		buf[i] = pos + i < PCI_STD_HEADER_SIZEOF ? h[pos + i] : 0;
	return count;
}

/* vfio_pci_config_rw(): chunk by chunk at @pos (the offset in the config
 * region); the bytes done, or the first chunk's -errno */
ssize_t vfio_pci_config_rw(struct vfio_device *vdev, void *buf, size_t count,
			   u64 pos, bool iswrite)
{
	size_t done = 0;

	while (count) {
		ssize_t ret = config_rw_single(vdev, (u8 *)buf + done, count,
					       pos + done, iswrite);

		if (ret < 0)
			return ret;
		count -= ret;
		done += ret;
	}
	return done;
}
