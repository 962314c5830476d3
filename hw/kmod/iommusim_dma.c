// SPDX-License-Identifier: GPL-2.0
/*
 * iommusim_dma.c - the test driver's DMA and physical memory commands
 * (hw/kmod/iommusim_test.c runs them under its lock): "dma" by QEMU's
 * edu device through whatever its group is attached to, and
 * "memory_write"/"check_memory" on the ranges the host reserved.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "iommusim_test.h"

/*
 * DMA by QEMU's edu device (hw/misc/edu.c): BAR0 0x80 src, 0x88 dst, 0x90
 * count, 0x98 cmd (bit 0 run, cleared when done; bit 1 direction: 0 RAM ->
 * the device's buffer at 0x40000, 1 buffer -> RAM). QEMU 7.2 runs the
 * transfer 100 ms (virtual clock) after the start and aborts on 4096 bytes.
 */
#define EDU_BUF 0x40000
#define EDU_MAX 4095
#define EDU_TO_RAM 2
#define SCRATCH_IOVA 0x3ffff000ULL /* never named by a scenario */

/* RAM at @src (a device address) into the buffer, the buffer out to
 * @dst; 0 or -ETIMEDOUT */
static int edu_xfer(void __iomem *bar, u64 src, u64 dst, u64 cnt, u64 cmd)
{
	int i;

	writeq(src, bar + 0x80);
	writeq(dst, bar + 0x88);
	writeq(cnt, bar + 0x90);
	writeq(cmd | 1, bar + 0x98);
	for (i = 0; i < 2000; i++) {
		if (!(readq(bar + 0x98) & 1))
			return 0;
		msleep(5);
	}
	return -ETIMEDOUT;
}

/* What the device finds at @iova, into @buf through @scratch; ~@pat
 * stays where the read brought nothing back */
static int edu_fetch(void __iomem *bar, u64 iova, u64 scratch, u8 *buf, u64 len,
		     u8 pat)
{
	int ret = edu_xfer(bar, iova, EDU_BUF, len, 0);

	memset(buf, (u8)~pat, len);
	return ret ?: edu_xfer(bar, EDU_BUF, scratch, len, EDU_TO_RAM);
}

/*
 * "dma BDF read|write IOVA LEN PATTERN|-": the device reads or writes LEN
 * bytes at IOVA through whatever its group is attached to. Bytes travel
 * through a kernel page the device reaches at its physical address
 * (identity domain, no domain) or at SCRATCH_IOVA, mapped for the call (a
 * paging domain). QEMU 7.2's AMD-Vi refuses a faulting access silently
 * (no event, the read gets zeros), so the outcome is what the bytes show:
 *   read:  ok (all PATTERN), other (not: refused, or other bytes there),
 *          unknown (no pattern given, or a blocked domain: no page to
 *          bring them back to)
 *   write: read back through the device: ok (PATTERN there and not
 *          before), refused (not there), unknown (there before, or no
 *          page to stage the pattern in)
 */
int iommusim_dma(struct device *dev, char **argv)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	bool write = !strcmp(argv[2], "write"), mapped = false;
	bool haspat = strcmp(argv[5], "-");
	u64 iova, len, pat = 0, scratch = 0;
	const char *res = "unknown";
	void __iomem *bar = NULL;
	struct page *page;
	bool before;
	u8 *buf;
	int ret;

	if ((!write && strcmp(argv[2], "read")) ||
	    kstrtou64(argv[3], 0, &iova) || kstrtou64(argv[4], 0, &len) ||
	    (haspat && kstrtou64(argv[5], 0, &pat)) || (write && !haspat) ||
	    !len || len > EDU_MAX || pdev->vendor != 0x1234 ||
	    pdev->device != 0x11e8)
		return -EINVAL;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	buf = page_address(page);
	ret = pci_enable_device_mem(pdev);
	if (ret)
		goto out_page;
	pci_set_master(pdev);
	bar = pci_iomap(pdev, 0, 0x100);
	if (!bar) {
		ret = -ENOMEM;
		goto out_dev;
	}
	if (!d || d->type == IOMMU_DOMAIN_IDENTITY) {
		scratch = page_to_phys(page);
	} else if (d->type & __IOMMU_DOMAIN_PAGING) {
		ret = iommu_map(d, SCRATCH_IOVA, page_to_phys(page), PAGE_SIZE,
				IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
		if (ret)
			goto out_bar;
		mapped = true;
		scratch = SCRATCH_IOVA;
	}
	if (!scratch && write)
		goto done; /* nothing to stage the pattern in */
	if (!write) {
		ret = edu_xfer(bar, iova, EDU_BUF, len, 0);
		if (ret || !scratch || !haspat)
			goto done;
		memset(buf, (u8)~pat, len);
		ret = edu_xfer(bar, EDU_BUF, scratch, len, EDU_TO_RAM);
		res = memchr_inv(buf, (u8)pat, len) ? "other" : "ok";
		goto done;
	}
	ret = edu_fetch(bar, iova, scratch, buf, len, (u8)pat);
	if (ret)
		goto done;
	before = !memchr_inv(buf, (u8)pat, len);
	memset(buf, (u8)pat, len);
	ret = edu_xfer(bar, scratch, EDU_BUF, len, 0);
	ret = ret ?: edu_xfer(bar, EDU_BUF, iova, len, EDU_TO_RAM);
	ret = ret ?: edu_fetch(bar, iova, scratch, buf, len, (u8)pat);
	if (!ret && !before)
		res = memchr_inv(buf, (u8)pat, len) ? "refused" : "ok";
done:
	if (!ret) {
		iommusim_result("ret=0 dma=%s", res);
	}
	if (mapped)
		iommu_unmap(d, SCRATCH_IOVA, PAGE_SIZE);
out_bar:
	pci_iounmap(pdev, bar);
out_dev:
	pci_clear_master(pdev);
	pci_disable_device(pdev);
out_page:
	__free_page(page);
	return ret;
}

/*
 * "memory_write PADDR LEN PATTERN", "check_memory PADDR LEN": physical
 * memory the scenario names (kept from the kernel's allocator by the
 * memmap= reservations the host adds); check_memory reports "value=" the
 * byte found when all LEN bytes are equal, "mixed" otherwise.
 */
int iommusim_phys_op(int argc, char **argv)
{
	u64 paddr, len, pat = 0;
	u8 *p;

	if (kstrtou64(argv[1], 0, &paddr) || kstrtou64(argv[2], 0, &len) ||
	    !len || len > PAGE_SIZE ||
	    (argc == 4 && kstrtou64(argv[3], 0, &pat)))
		return -EINVAL;
	p = memremap(paddr, len, MEMREMAP_WB);
	if (!p)
		return -ENOMEM;
	if (!strcmp(argv[0], "memory_write")) {
		memset(p, (int)pat, len);
	} else if (memchr_inv(p, p[0], len)) {
		iommusim_result("ret=0 value=mixed");
	} else {
		iommusim_result("ret=0 value=0x%02x", p[0]);
	}
	memunmap(p);
	return 0;
}
