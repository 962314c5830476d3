// SPDX-License-Identifier: MIT
/*
 * vfio_pci_config.c - the config space vfio-pci shows through the device
 * fd (drivers/vfio/pci/vfio_pci_config.c): vfio_pci_config_rw() chops an
 * access into aligned chunks within a dword and within one capability
 * (vfio_pci_config_rw_single(), vfio_pci_cap_remaining_dword()); each
 * chunk goes through the perm_bits of what pci_config_map says holds it:
 *  - the standard header, the basic perms (init_pci_cap_basic_perm()):
 *    vendor and device ids, STATUS's CAP_LIST, the capability pointer
 *    and the interrupt pin virtualised read-only; COMMAND written through
 *    to the function; the BARs and INTERRUPT_LINE virtualised and
 *    writable (vfio_bar_fixup() on reads);
 *  - a capability vfio_cap_init() / vfio_ecap_init() kept, its perms
 *    (vfio_pci_config_perms.c): the next pointers virtualised, the rest
 *    read from the function unless the perms virtualise it, written
 *    where the perms allow, through the capability's writefn;
 *  - bytes no kept capability holds, raw (unassigned_perms).
 * The function's own bytes (phys) come from its description (model/core/
 * device.c: the guest's sysfs read of QEMU's device) at the first open
 * and change only as QEMU lets a write change them (its wmask).
 *
 * Not modelled: the BARs' firmware addresses (a BAR reads its flags with
 * address 0 until written), the firmware's INTERRUPT_LINE (0 here),
 * what the kernel writes to the MSI and MSI-X capabilities' hidden
 * registers (address, data) when it enables them; a rebind to vfio-pci
 * starts the function's bytes afresh.
 */
#include "state.h"
#include "vfio/vfio_pci_config.h"

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_COMMAND_MEMORY 0x2

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

/* The function's own config bytes at the first open, from its
 * description (the header's COMMAND, BARs and INTERRUPT_LINE are cfg's) */
static void phys_fill(struct vfio_device *vdev, struct vfio_pci_cfgspace *cs)
{
	for (unsigned int off = 0; off < cs->size; off += 4) {
		u32 v = vfio_cfg_is_serial(vdev->dev, off)
				? 0
				: pci_func_cfg_dword(vdev->vfio->m, vdev->dev,
						     off);

		memcpy(cs->phys + off, &v, 4);
	}
}

/* vfio_config_init() at vfio_pci_core_enable(): vconfig from the
 * function's header; pci_enable_device() has set the decodes; then the
 * capability lists (vfio_cap_init(), vfio_ecap_init()) */
void vfio_config_init(struct vfio_device *vdev)
{
	const struct pci_func_res *res = &vdev->dev->res;
	struct vfio_pci_cfgspace *cs = vdev->cfgsp;

	for (unsigned int i = 0; i < PCI_STD_NUM_BARS; i++)
		vdev->cfg.bar[i] = res->bar_len[i] ? bar_flags(res, i) : 0;
	vdev->cfg.command = CMD_AT_OPEN;
	vdev->cfg.intx_line = 0;
	if (!cs) {
		cs = vdev->cfgsp = g_new0(struct vfio_pci_cfgspace, 1);
		cs->size = vdev->dev->pcie ? 4096 : 256;
		phys_fill(vdev, cs);
	}
	vfio_config_caps_init(vdev, cs);
}

/* vfio_pci_core_disable(): the function back to D0; vfio_config_free()
 * drops the map and vconfig (the model rebuilds them at the next first
 * open: vfio_config_init()) */
void vfio_config_close(struct vfio_device *vdev)
{
	vfio_config_caps_close(vdev, vdev->cfgsp);
}

/* __vfio_pci_memory_enabled(): current_state above D3hot and vconfig's
 * COMMAND with MEMORY; vconfig keeps the MEMORY and IO bits of the last
 * COMMAND write (vfio_basic_config_write()), which the model's command
 * holds as written (no backdoor reset makes the function's differ; the
 * function is no VF, so no no_command_memory) */
bool vfio_pci_memory_enabled(const struct vfio_device *vdev)
{
	return vfio_config_power_state(vdev) < PCI_D3HOT &&
	       (vdev->cfg.command & PCI_COMMAND_MEMORY);
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

static void put_le(u8 *p, u32 v, unsigned int n)
{
	for (unsigned int b = 0; b < n; b++)
		p[b] = (v >> (8 * b)) & 0xff;
}

/* The standard header as a read sees it, little-endian: the function's
 * bytes with the virtualised fields over them (vendor and device ids,
 * STATUS's CAP_LIST and the capability pointer from vconfig) */
static void header_bytes(const struct vfio_device *vdev, u8 *h)
{
	const struct device *dev = vdev->dev;
	const struct vfio_pci_cfgspace *cs = vdev->cfgsp;

	memcpy(h, cs->phys, PCI_STD_HEADER_SIZEOF);
	put_le(h + PCI_VENDOR_ID, pci_func_vendor(dev), 2);
	put_le(h + PCI_COMMAND, vdev->cfg.command, 2);
	h[PCI_STATUS] = (h[PCI_STATUS] & ~PCI_STATUS_CAP_LIST) |
			(cs->vconfig[PCI_STATUS] & PCI_STATUS_CAP_LIST);
	for (unsigned int i = 0; i < PCI_STD_NUM_BARS; i++)
		put_le(h + PCI_BASE_ADDRESS_0 + 4 * i, vbar_read(vdev, i), 4);
	h[PCI_CAPABILITY_LIST] = cs->vconfig[PCI_CAPABILITY_LIST];
	h[PCI_INTERRUPT_LINE] = vdev->cfg.intx_line;
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

/* vfio_pci_cap_remaining_dword(): the bytes from @pos to the end of its
 * dword that the same capability holds */
static size_t cap_remaining_dword(const struct vfio_pci_cfgspace *cs, u64 pos)
{
	u8 cap = cs->map[pos];
	size_t i;

	for (i = 1; (pos + i) % 4 && cs->map[pos + i] == cap; i++)
		;
	return i;
}

/* vfio_pci_config_rw_single(): one aligned chunk of at most a dword and
 * one capability; -EFAULT outside pdev->cfg_size */
static ssize_t config_rw_single(struct vfio_device *vdev, u8 *buf, size_t count,
				u64 pos, bool iswrite)
{
	struct vfio_pci_cfgspace *cs = vdev->cfgsp;
	u8 h[PCI_STD_HEADER_SIZEOF];

	if (pos >= cs->size || pos + count > cs->size)
		return iommu_refuse(vdev->vfio->m, -EFAULT,
				    "vfio_pci_config_rw_single",
				    "offset 0x%llx + %zu is past cfg_size %u",
				    (unsigned long long)pos, count, cs->size);
	count = MIN(count, cap_remaining_dword(cs, pos));
	if (count >= 4 && !(pos % 4))
		count = 4;
	else if (count >= 2 && !(pos % 2))
		count = 2;
	else
		count = 1;
	if (pos >= PCI_STD_HEADER_SIZEOF) {
		u32 val = 0;

		if (!iswrite) {
			val = vfio_config_cap_read(vdev, cs, (unsigned int)pos,
						   (unsigned int)count);
			memcpy(buf, &val, count);
			return count;
		}
		memcpy(&val, buf, count);
		vfio_config_cap_write(vdev, cs, (unsigned int)pos,
				      (unsigned int)count, val);
		return count;
	}
	if (iswrite) {
		header_write(vdev, pos, buf, count);
		return count;
	}
	header_bytes(vdev, h);
	memcpy(buf, h + pos, count);
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

void vfio_config_free(struct vfio_device *vdev)
{
	g_free(vdev->cfgsp);
	vdev->cfgsp = NULL;
}

/* Eight bytes at a time, each 64-byte block of zeros skipped (most of a
 * PCIe function's 4 KiB, which every key of an explorer's search read
 * whole: two fifths of a noiommu search, callgrind); a block that is
 * not all zeros is mixed with its offset, so which blocks are zero is
 * in the hash too. The copies an explorer keys must match exactly. */
static u64 hash_bytes(u64 h, const u8 *p, size_t n)
{
	g_assert(n % 64 == 0); /* 256 or 4096 */
	for (size_t b = 0; b < n; b += 64) {
		u64 w[8], any = 0;

		memcpy(w, p + b, sizeof(w));
		for (int i = 0; i < 8; i++)
			any |= w[i];
		if (!any)
			continue;
		h = iommu_hash_mix(h, b);
		for (int i = 0; i < 8; i++)
			h = iommu_hash_mix(h, w[i]);
	}
	return h;
}

u64 vfio_config_hash(const struct vfio_device *vdev, u64 h)
{
	const struct vfio_pci_cfgspace *cs = vdev->cfgsp;

	h = iommu_hash_mix(h, vdev->msi_qmax);
	if (!cs)
		return iommu_hash_mix(h, 0);
	/* the map is left out: vfio_config_init() derives it from the
	 * function's capability headers, which no write changes */
	h = iommu_hash_mix(h, cs->size);
	h = hash_bytes(h, cs->vconfig, cs->size);
	return hash_bytes(h, cs->phys, cs->size);
}
