// SPDX-License-Identifier: MIT
/*
 * test_pci_core.c - what vfio-pci tells about its device (Linux 7.3
 * drivers/vfio/pci/vfio_pci_core.c vfio_pci_ioctl_get_region_info(),
 * vfio_pci_ioctl_get_irq_info(), vfio_pci_get_irq_count();
 * drivers/vfio/vfio_main.c vfio_get_region_info()) for the default
 * device description, QEMU's e1000e: the values the 7.3 guest's
 * vfio_pci_device_test prints for its e1000e (BAR 0 0x20000, BAR 1
 * 0x20000, BAR 2 no mmap, BAR 3 0x4000, BARs 4 and 5 no mmap; MSI 1
 * vector, MSI-X 5).
 */
#include "fx_vfio.h"

/* include/linux/vfio_pci_core.h VFIO_PCI_INDEX_TO_OFFSET() */
#define INDEX_OFFSET(i) ((uint64_t)(i) << 40)
#define RW (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)

/* region info with room for one capability behind it */
struct region_buf {
	struct vfio_region_info info;
	struct vfio_info_cap_header cap;
};

static void close_bound(struct vfio_file *df, struct vfio_file *ifd)
{
	vfio_close(df);
	fx_close_iommufd(ifd);
}

static int region(struct fx *f, struct vfio_file *df, u32 index, u32 argsz,
		  struct region_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->info.argsz = argsz;
	b->info.index = index;
	return fx_ioctl(f, df, VFIO_DEVICE_GET_REGION_INFO, b, sizeof(*b));
}

static int irq(struct fx *f, struct vfio_file *df, u32 index,
	       struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return fx_ioctl(f, df, VFIO_DEVICE_GET_IRQ_INFO, info, sizeof(*info));
}

/* VFIO_PCI_CONFIG_REGION_INDEX: pdev->cfg_size (4096 on PCIe), read and
 * write, never mmap (the library asserts it) */
static void config_region_is_the_extended_space_read_write(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	struct region_buf b;

	assert_int_equal(0, region(f, df, VFIO_PCI_CONFIG_REGION_INDEX,
				   sizeof(b.info), &b));
	assert_int_equal(4096, b.info.size);
	assert_int_equal(RW, b.info.flags);
	assert_true(b.info.offset == INDEX_OFFSET(7));
	close_bound(df, ifd);
}

/* a conventional PCI function's config space is 256 bytes
 * (pci_cfg_space_size() without a PCIe capability) */
static void conventional_function_config_region_is_256_bytes(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df;
	struct region_buf b;

	f->c->pcie = false;
	df = fx_open_bound(f, &ifd);
	assert_int_equal(0, region(f, df, VFIO_PCI_CONFIG_REGION_INDEX,
				   sizeof(b.info), &b));
	assert_int_equal(256, b.info.size);
	close_bound(df, ifd);
}

#define NORESIZE (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE)

/* c as a conventional function of QEMU @model (NULL: e1000), bound */
static struct vfio_file *open_conventional(struct fx *f, const char *model,
					   struct vfio_file **ifd)
{
	f->c->pcie = false;
	device_describe_pci(f->c, model);
	return fx_open_bound(f, ifd);
}

/* QEMU's e1000 (a conventional function) and edu (model=edu), as the
 * guest shows them: e1000 BAR0 128 KiB of memory (mmap), BAR1 64 bytes
 * of I/O ports, no MSI; edu BAR0 1 MiB, one MSI vector; neither has
 * MSI-X: count 0 and, without has_dyn_msix, NORESIZE
 * (vfio_pci_ioctl_get_irq_info()) */
static void conventional_e1000_has_no_msi_nor_msix(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = open_conventional(f, NULL, &ifd);
	struct vfio_irq_info info;
	struct region_buf b;

	assert_int_equal(0, region(f, df, 1, sizeof(b.info), &b));
	assert_int_equal(64, b.info.size);
	assert_int_equal(RW, b.info.flags);
	assert_int_equal(0, irq(f, df, VFIO_PCI_MSI_IRQ_INDEX, &info));
	assert_int_equal(0, info.count);
	assert_int_equal(0, irq(f, df, VFIO_PCI_MSIX_IRQ_INDEX, &info));
	assert_int_equal(NORESIZE, info.flags);
	assert_int_equal(0, info.count);
	close_bound(df, ifd);
}

static void edu_has_one_msi_vector_and_no_msix(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = open_conventional(f, "edu", &ifd);
	struct vfio_irq_info info;
	struct region_buf b;

	assert_int_equal(0, region(f, df, 0, sizeof(b.info), &b));
	assert_int_equal(1 << 20, b.info.size);
	assert_int_equal(0, irq(f, df, VFIO_PCI_MSI_IRQ_INDEX, &info));
	assert_int_equal(1, info.count);
	assert_int_equal(0, irq(f, df, VFIO_PCI_MSIX_IRQ_INDEX, &info));
	assert_int_equal(NORESIZE, info.flags);
	close_bound(df, ifd);
}

/* BARs: pci_resource_len(); memory BARs of a page or more mmap
 * (vfio_pci_probe_mmaps()), the I/O BAR and empty BARs do not; the MSI-X
 * BAR carries VFIO_REGION_INFO_CAP_MSIX_MAPPABLE at sizeof(info) */
static void bars_have_e1000e_sizes_and_memory_bars_mmap(void **state)
{
	const u32 mmap = RW | VFIO_REGION_INFO_FLAG_MMAP;
	const u64 len[6] = { 0x20000, 0x20000, 32, 0x4000, 0, 0 };
	const u32 flags[6] = { mmap, mmap,
			       RW,   mmap | VFIO_REGION_INFO_FLAG_CAPS,
			       0,    0 };
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	struct region_buf b;

	for (u32 i = 0; i < 6; i++) {
		assert_int_equal(0, region(f, df, i, sizeof(b), &b));
		assert_true(b.info.size == len[i]);
		assert_int_equal(flags[i], b.info.flags);
		assert_true(b.info.offset == INDEX_OFFSET(i));
		assert_int_equal(i == 3 ? sizeof(b.info) : 0,
				 b.info.cap_offset);
		assert_int_equal(i == 3 ? VFIO_REGION_INFO_CAP_MSIX_MAPPABLE
					: 0,
				 b.cap.id);
		assert_int_equal(i == 3, b.cap.version);
		assert_int_equal(0, b.cap.next);
	}
	close_bound(df, ifd);
}

/* vfio_get_region_info(): an argsz without room for the capability
 * grows to sizeof(info) + the capability, cap_offset 0, the flag set */
static void msix_bar_short_argsz_grows_argsz(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	struct region_buf b;

	assert_int_equal(0, region(f, df, 3, sizeof(b.info), &b));
	assert_int_equal(sizeof(b.info) + 8, b.info.argsz);
	assert_int_equal(0, b.info.cap_offset);
	assert_true(b.info.flags & VFIO_REGION_INFO_FLAG_CAPS);
	assert_int_equal(0, b.cap.id);
	close_bound(df, ifd);
}

/* vfio_get_region_info() copies the caller's struct in up to offset and
 * back out: a region without a capability chain leaves cap_offset (and a
 * large argsz) as the caller wrote them */
static void region_without_caps_leaves_cap_offset_as_given(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	struct region_buf b;

	memset(&b, 0, sizeof(b));
	b.info.argsz = 0x100;
	b.info.index = 0;
	b.info.cap_offset = 0x55;
	assert_int_equal(
		0, fx_ioctl(f, df, VFIO_DEVICE_GET_REGION_INFO, &b, sizeof(b)));
	assert_int_equal(0x100, b.info.argsz);
	assert_int_equal(0x55, b.info.cap_offset);
	assert_int_equal(RW | VFIO_REGION_INFO_FLAG_MMAP, b.info.flags);
	close_bound(df, ifd);
}

/* the ROM index of a device without ROM: size 0, no flags; VGA without
 * has_vga and any index past the 9 regions -EINVAL; argsz below
 * offsetofend(offset) -EINVAL */
static void rom_is_empty_vga_and_beyond_are_einval(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	struct region_buf b;

	assert_int_equal(0, region(f, df, VFIO_PCI_ROM_REGION_INDEX,
				   sizeof(b.info), &b));
	assert_int_equal(0, b.info.size);
	assert_int_equal(0, b.info.flags);
	assert_int_equal(-EINVAL, region(f, df, VFIO_PCI_VGA_REGION_INDEX,
					 sizeof(b.info), &b));
	assert_int_equal(-EINVAL, region(f, df, 9, sizeof(b.info), &b));
	assert_int_equal(-EINVAL, region(f, df, 0, sizeof(b.info) - 1, &b));
	close_bound(df, ifd);
}

/* vfio_pci_ioctl_get_irq_info(): every index has an eventfd; INTx (pin
 * A) 1, maskable and automasked; MSI 1 and MSI-X 5 (the guest's
 * vfio_pci_irq_test enables 1 and 5); MSI-X resizable on x86
 * (has_dyn_msix), the rest NORESIZE; ERR and REQ 1; index 5 -EINVAL */
static void irq_info_counts_e1000e_vectors(void **state)
{
	const u32 ev = VFIO_IRQ_INFO_EVENTFD, nr = VFIO_IRQ_INFO_NORESIZE;
	const u32 flags[5] = { ev | VFIO_IRQ_INFO_MASKABLE |
				       VFIO_IRQ_INFO_AUTOMASKED,
			       ev | nr, ev, ev | nr, ev | nr };
	const u32 count[5] = { 1, 1, 5, 1, 1 };
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	struct vfio_irq_info info;

	for (u32 i = 0; i < 5; i++) {
		assert_int_equal(0, irq(f, df, i, &info));
		assert_int_equal(flags[i], info.flags);
		assert_int_equal(count[i], info.count);
	}
	assert_int_equal(-EINVAL, irq(f, df, 5, &info));
	close_bound(df, ifd);
}

/* before VFIO_DEVICE_BIND_IOMMUFD neither ioctl is answered:
 * vfio_device_fops_unl_ioctl() -EINVAL while access is not granted */
static void region_and_irq_info_need_access(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df;
	struct region_buf b;
	struct vfio_irq_info info;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(-EINVAL, region(f, df, 0, sizeof(b.info), &b));
	assert_int_equal(-EINVAL, irq(f, df, 1, &info));
	vfio_close(df);
}

/* vfio_pci_core_mmap(): a shared mapping inside an mmap()able BAR's
 * page-aligned length, at pgoff index << 28 plus the page in the BAR;
 * the I/O BAR, an empty BAR, the config space, a private mapping or a
 * range past the BAR -EINVAL; vfio_device_fops_mmap(): -EINVAL before
 * the bind */
static void mmap_is_shared_and_inside_an_mmap_bar(void **state)
{
	const u64 pg = 1ull << 28; /* VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT */
	struct fx *f = *state;
	struct vfio_file *ifd, *df;
	unsigned int bar = 9;
	u64 start = 1, blen = 0;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(-EINVAL, vfio_device_mmap(df, 0, 4096, true, &bar,
						   &start, &blen));
	ifd = fx_iommufd(f);
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, NULL));
	assert_int_equal(
		0, vfio_device_mmap(df, 0, 0x20000, true, &bar, &start, &blen));
	assert_int_equal(0, bar);
	assert_true(start == 0 && blen == 0x20000);
	assert_int_equal(0, vfio_device_mmap(df, 3 * pg + 2, 0x2000, true, &bar,
					     &start, &blen));
	assert_int_equal(3, bar);
	assert_true(start == 0x2000 && blen == 0x4000);
	assert_int_equal(-EINVAL, vfio_device_mmap(df, 3 * pg + 2, 0x3000, true,
						   &bar, &start, &blen));
	assert_int_equal(-EINVAL, vfio_device_mmap(df, 0, 4096, false, &bar,
						   &start, &blen));
	for (u64 i = 2; i < 9; i += (i == 2 ? 2 : 1))
		assert_int_equal(-EINVAL,
				 vfio_device_mmap(df, i * pg, 4096, true, &bar,
						  &start, &blen));
	close_bound(df, ifd);
}

/* do_mmap(): a group file has no f_op->mmap, -ENODEV */
static void group_file_has_no_mmap(void **state)
{
	struct fx *f = *state;
	struct vfio_file *g;
	unsigned int bar;
	u64 start, blen;
	char *path;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	path = g_strdup_printf("/dev/vfio/%d", f->c->iommu_group->id);
	g = fx_open(f, path);
	g_free(path);
	assert_int_equal(-ENODEV, vfio_device_mmap(g, 0, 4096, true, &bar,
						   &start, &blen));
	vfio_close(g);
}

static ssize_t cfg_rw(struct vfio_file *df, void *buf, size_t n, u64 off,
		      bool write)
{
	return vfio_device_rw(df, buf, n, INDEX_OFFSET(7) + off, write, NULL);
}

/* vfio_pci_config_rw(): the basic perms of the header: vendor and device
 * ids read-only (8086:10d3, as the guest's config_space_read_write
 * prints), COMMAND written through (Bus Master on: 0x0107, off again:
 * 0x0103, the guest's values), the pin read-only; between the header
 * and the first capability nothing (0: test_pci_config.c has the
 * capabilities); outside cfg_size -EFAULT (a BAR's access:
 * test_pci_rdwr.c) */
static void config_reads_ids_and_writes_command(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	u16 w = 0xffff;
	u32 d = 0;
	u8 b[8];

	assert_int_equal(4, cfg_rw(df, &d, 4, 0, false));
	assert_int_equal(0x10d38086, d);
	assert_int_equal(2, cfg_rw(df, &w, 2, 4, false));
	assert_int_equal(0x0103, w);
	w |= 0x4;
	assert_int_equal(2, cfg_rw(df, &w, 2, 4, true));
	assert_int_equal(2, cfg_rw(df, &w, 2, 4, false));
	assert_int_equal(0x0107, w);
	w = 0x0103;
	assert_int_equal(2, cfg_rw(df, &w, 2, 4, true));
	assert_int_equal(2, cfg_rw(df, &w, 2, 4, false));
	assert_int_equal(0x0103, w);
	w = 0x1234;
	assert_int_equal(2, cfg_rw(df, &w, 2, 0, true));
	assert_int_equal(2, cfg_rw(df, &w, 2, 0, false));
	assert_int_equal(0x8086, w);
	assert_int_equal(1, cfg_rw(df, b, 1, 0x3d, false));
	assert_int_equal(1, b[0]);
	memset(b, 0xff, sizeof(b));
	assert_int_equal(8, cfg_rw(df, b, 8, 0x40, false));
	assert_int_equal(0, b[0] | b[7]);
	assert_int_equal(-EFAULT, cfg_rw(df, b, 2, 4095, false));
	close_bound(df, ifd);
}

/* vfio_bar_fixup(): a BAR reads back what was written masked to its size
 * with its flags (sizing: all ones reads ~(len - 1)); the I/O BAR has
 * bit 0; an empty BAR reads 0 */
static void bar_writes_read_back_masked_to_size(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	u32 all = 0xffffffff, v = 0;

	assert_int_equal(4, cfg_rw(df, &all, 4, 0x10, true));
	assert_int_equal(4, cfg_rw(df, &v, 4, 0x10, false));
	assert_int_equal(0xfffe0000, v);
	assert_int_equal(4, cfg_rw(df, &all, 4, 0x18, true));
	assert_int_equal(4, cfg_rw(df, &v, 4, 0x18, false));
	assert_int_equal(0xffffffe1, v);
	assert_int_equal(4, cfg_rw(df, &all, 4, 0x20, true));
	assert_int_equal(4, cfg_rw(df, &v, 4, 0x20, false));
	assert_int_equal(0, v);
	close_bound(df, ifd);
}

/* read/write of a device file before the bind -EINVAL
 * (vfio_device_fops_read()); a zero count is 0 (vfio_pci_core_read()) */
static void config_rw_needs_access(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df, *ifd;
	u32 d;

	df = fx_open_bound(f, &ifd);
	assert_int_equal(0, cfg_rw(df, &d, 0, 0, false));
	close_bound(df, ifd);
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(-EINVAL, cfg_rw(df, &d, 4, 0, false));
	vfio_close(df);
}

/* vfio_pci_ioctl_reset(): a PCIe function resets (its FLR) and keeps
 * what vfio-pci shows of its config; a conventional function has no
 * reset_works, -EINVAL */
static void reset_works_on_pcie_only(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	u16 w = 0x0107;

	assert_int_equal(2, cfg_rw(df, &w, 2, 4, true));
	assert_int_equal(0, fx_ioctl(f, df, VFIO_DEVICE_RESET, NULL, 0));
	assert_int_equal(2, cfg_rw(df, &w, 2, 4, false));
	assert_int_equal(0x0107, w);
	close_bound(df, ifd);
}

static void conventional_function_reset_is_einval(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df;

	f->c->pcie = false;
	df = fx_open_bound(f, &ifd);
	assert_int_equal(-EINVAL, fx_ioctl(f, df, VFIO_DEVICE_RESET, NULL, 0));
	close_bound(df, ifd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			config_region_is_the_extended_space_read_write,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			conventional_function_config_region_is_256_bytes,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			conventional_e1000_has_no_msi_nor_msix, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			edu_has_one_msi_vector_and_no_msix, fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			bars_have_e1000e_sizes_and_memory_bars_mmap, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			msix_bar_short_argsz_grows_argsz, fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			rom_is_empty_vga_and_beyond_are_einval, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(irq_info_counts_e1000e_vectors,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			region_without_caps_leaves_cap_offset_as_given,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(region_and_irq_info_need_access,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			mmap_is_shared_and_inside_an_mmap_bar, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(group_file_has_no_mmap,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			config_reads_ids_and_writes_command, fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			bar_writes_read_back_masked_to_size, fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(config_rw_needs_access,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(reset_works_on_pcie_only,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			conventional_function_reset_is_einval, fx_setup,
			fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
