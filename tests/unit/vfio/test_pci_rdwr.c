// SPDX-License-Identifier: MIT
/*
 * test_pci_rdwr.c - VFIO_DEVICE_IOEVENTFD on the default device (QEMU's
 * e1000e: BAR0/BAR1 128 KiB memory, BAR2 32 bytes I/O, BAR3 the 16 KiB
 * MSI-X BAR with a 5-entry table at 0), as Linux 7.3's
 * drivers/vfio/pci/vfio_pci_core.c vfio_pci_ioctl_ioeventfd() and
 * vfio_pci_rdwr.c vfio_pci_ioeventfd() answer it; and read()/write() of
 * its regions by vfio_pci_core.c vfio_pci_rw() and vfio_pci_rdwr.c
 * vfio_pci_bar_rw(), vfio_pci_core_do_io_rw().
 */
#include "fx_vfio.h"
#include "iommufd/eventfd.h"
#include "state.h"

#define W8 VFIO_DEVICE_IOEVENTFD_8
#define W32 VFIO_DEVICE_IOEVENTFD_32
#define W64 VFIO_DEVICE_IOEVENTFD_64
#define BAR(n) ((u64)(n) << 40)

static int ioeventfd(struct fx *f, struct vfio_file *df, u32 flags, u64 offset,
		     u64 data, int32_t fd)
{
	struct vfio_device_ioeventfd io = { .argsz = sizeof(io),
					    .flags = flags,
					    .offset = offset,
					    .data = data,
					    .fd = fd };

	return fx_ioctl(f, df, VFIO_DEVICE_IOEVENTFD, &io, sizeof(io));
}

static void write_eventfd(struct fx *f, int fd, u64 value)
{
	assert_int_equal(8, process_file_rw(f->root, fd, (uintptr_t)&value,
					    sizeof(value), true));
}

static u64 count_of(struct fx *f, int fd)
{
	int err;
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(f->root, fd, &err);
	u64 n = ctx->count;

	eventfd_ctx_put(ctx);
	return n;
}

/* vfio_pci_ioctl_ioeventfd(): argsz below offsetofend(fd) (28), a flag
 * outside SIZE_MASK, no width or two, fd below -1: -EINVAL, nothing
 * registered */
static void ioctl_checks_are_einval(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t e = eventfd_create(f->root);
	struct vfio_device_ioeventfd io = {
		.argsz = 27, .flags = W32, .offset = BAR(2), .fd = e
	};

	assert_int_equal(-EINVAL, fx_ioctl(f, df, VFIO_DEVICE_IOEVENTFD, &io,
					   sizeof(io)));
	io.argsz = 28;
	assert_int_equal(
		0, fx_ioctl(f, df, VFIO_DEVICE_IOEVENTFD, &io, sizeof(io)));
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0, -1));
	assert_int_equal(-EINVAL, ioeventfd(f, df, W32 | 0x10, BAR(2), 0, e));
	assert_int_equal(-EINVAL, ioeventfd(f, df, 0, BAR(2), 0, e));
	assert_int_equal(-EINVAL, ioeventfd(f, df, W8 | W32, BAR(2), 0, e));
	assert_int_equal(-EINVAL, ioeventfd(f, df, W32, BAR(2), 0, -2));
	assert_int_equal(0, df->device->ioeventfds_nr);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_pci_ioeventfd(): BARs only, within the BAR (an empty one has
 * none), clear of the MSI-X table's 5 * 16 bytes; each before the fd */
static void only_bars_within_length_clear_of_msix_table(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t e = eventfd_create(f->root);

	for (u64 region = 6; region <= 9; region++)
		assert_int_equal(-EINVAL,
				 ioeventfd(f, df, W32, BAR(region), 0, e));
	assert_int_equal(-EINVAL, ioeventfd(f, df, W8, BAR(4), 0, 99));
	assert_int_equal(-EINVAL, ioeventfd(f, df, W32, BAR(2) + 29, 0, e));
	assert_int_equal(-EINVAL, ioeventfd(f, df, W64, 0x1fffc, 0, e));
	assert_int_equal(-EINVAL, ioeventfd(f, df, W8, BAR(3) + 0x4f, 0, e));
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2) + 28, 0, e));
	assert_int_equal(0, ioeventfd(f, df, W64, 0x1fff8, 0, e));
	assert_int_equal(0, ioeventfd(f, df, W8, BAR(3) + 0x50, 0, e));
	assert_int_equal(3, df->device->ioeventfds_nr);
	vfio_close(df);
	assert_int_equal(0, vfio_device_of(f->m, f->c)->ioeventfds_nr);
	fx_close_iommufd(ifd);
}

/* the same BAR, offset, data and width: -EEXIST for any fd (the search
 * comes first), removed by -1, then -ENODEV; other data is another */
static void registration_is_known_by_place_data_and_width(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t e = eventfd_create(f->root), g = eventfd_create(f->root);

	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0x10, e));
	assert_int_equal(-EEXIST, ioeventfd(f, df, W32, BAR(2), 0x10, g));
	assert_int_equal(-EEXIST, ioeventfd(f, df, W32, BAR(2), 0x10, 99));
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0x14, e));
	assert_int_equal(2, df->device->ioeventfds_nr);
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0x10, -1));
	assert_int_equal(-ENODEV, ioeventfd(f, df, W32, BAR(2), 0x10, -1));
	assert_int_equal(1, df->device->ioeventfds_nr);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* a counter set at registration makes one write and stays; removal
 * reads it to 0 (virqfd_shutdown()); armed, a write to the eventfd is
 * read at once and makes the device write */
static void eventfd_write_makes_the_write(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t e = eventfd_create(f->root);
	struct vfio_device *vdev = df->device;

	write_eventfd(f, e, 4);
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0x18, e));
	assert_int_equal(1, vfio_pci_ioeventfds_writes(vdev));
	assert_int_equal(4, count_of(f, e));
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0x18, -1));
	assert_int_equal(0, count_of(f, e));
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0x18, e));
	assert_int_equal(0, vfio_pci_ioeventfds_writes(vdev));
	write_eventfd(f, e, 1);
	assert_int_equal(0, count_of(f, e));
	write_eventfd(f, e, 0); /* a write of 0 wakes it too */
	assert_int_equal(2, vfio_pci_ioeventfds_writes(vdev));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_pci_ioeventfd_handler(): a memory BAR is written only while
 * the virtual COMMAND decodes memory (__vfio_pci_memory_enabled()); the
 * eventfd is read either way. The I/O BAR has no such test. */
static void memory_bar_write_needs_memory_decoding(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t e = eventfd_create(f->root);
	struct vfio_device *vdev = df->device;

	assert_int_equal(0, ioeventfd(f, df, W32, 0x100, 1, e));
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 1, e));
	vdev->cfg.command &= ~0x2; /* PCI_COMMAND_MEMORY */
	write_eventfd(f, e, 1);
	assert_int_equal(0, count_of(f, e));
	assert_int_equal(1, vfio_pci_ioeventfds_writes(vdev));
	vdev->cfg.command |= 0x2;
	write_eventfd(f, e, 1);
	assert_int_equal(3, vfio_pci_ioeventfds_writes(vdev));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* closing the eventfd lets the virqfd go but not the registration:
 * still -EEXIST, still counted, removed by -1 */
static void closed_eventfd_leaves_the_registration(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t e = eventfd_create(f->root), g = eventfd_create(f->root);

	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0x10, e));
	assert_int_equal(0, process_close_fd(f->root, e));
	assert_int_equal(-EEXIST, ioeventfd(f, df, W32, BAR(2), 0x10, g));
	assert_int_equal(1, df->device->ioeventfds_nr);
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 0x10, -1));
	assert_int_equal(0, df->device->ioeventfds_nr);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* VFIO_PCI_IOEVENTFD_MAX (1000): the 1001st is -ENOSPC, a bad fd too
 * (the limit is checked first); a registered one is still -EEXIST */
static void at_most_1000_registrations(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t e = eventfd_create(f->root);

	for (u64 i = 0; i < 1000; i++)
		assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), i, e));
	assert_int_equal(-ENOSPC, ioeventfd(f, df, W32, BAR(2), 1000, e));
	assert_int_equal(-ENOSPC, ioeventfd(f, df, W32, BAR(2), 1000, 99));
	assert_int_equal(-EEXIST, ioeventfd(f, df, W32, BAR(2), 999, e));
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 500, -1));
	assert_int_equal(0, ioeventfd(f, df, W32, BAR(2), 1000, e));
	assert_int_equal(1000, df->device->ioeventfds_nr);
	vfio_close(df);
	assert_int_equal(0, vfio_device_of(f->m, f->c)->ioeventfds_nr);
	fx_close_iommufd(ifd);
}

/* One table: a closed eventfd's number goes to the next open, a VFIO
 * device file here; given that number the ioeventfd finds no eventfd
 * (virqfd.c vfio_virqfd_enable() -> eventfd_ctx_fileget(): -EINVAL), and
 * once nothing is open there, none at all (-EBADF) */
static void an_eventfds_number_taken_by_a_vfio_file_is_einval(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd), *df2;
	int32_t e = eventfd_create(f->root);

	assert_int_equal(0, process_close_fd(f->root, e));
	df2 = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(e, vfio_file_fd(df2));
	assert_int_equal(-EINVAL, ioeventfd(f, df, W32, BAR(2), 0, e));
	vfio_close(df2);
	assert_int_equal(-EBADF, ioeventfd(f, df, W32, BAR(2), 0, e));
	assert_int_equal(0, df->device->ioeventfds_nr);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* ---- read()/write() of a BAR, the ROM, VGA ---- */

#define ROM BAR(6)
#define CFG BAR(7)
#define VGA BAR(8)

/* a read or write of @n bytes at @pos; *@modelled as the model says */
static ssize_t rw(struct vfio_file *df, u64 pos, size_t n, bool write,
		  bool *modelled)
{
	u8 buf[16] = { 0 };
	bool ignored;

	return vfio_device_rw(df, buf, n, pos, write,
			      modelled ? modelled : &ignored);
}

static void command_write(struct vfio_file *df, u16 cmd)
{
	assert_int_equal(2, vfio_device_rw(df, &cmd, 2, CFG + 4, true, NULL));
}

/* vfio_pci_bar_rw() in bounds: the count asked, a read's bytes the
 * device's (not modelled), a write's dropped by the model */
static void bar_access_in_bounds_gives_the_count(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	u64 before = iommu_state_hash(f->m);
	bool modelled = true;

	assert_int_equal(4, rw(df, BAR(0), 4, false, &modelled));
	assert_false(modelled);
	assert_int_equal(4, rw(df, BAR(0), 4, true, &modelled));
	assert_true(modelled);
	assert_int_equal(8, rw(df, BAR(1) + 0x100, 8, false, NULL));
	assert_int_equal(1, rw(df, BAR(2) + 0x1f, 1, true, NULL));
	assert_int_equal(before, iommu_state_hash(f->m));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_pci_bar_rw(): count = min(count, end - pos), so an access across
 * the end is cut there; pos >= end -EINVAL, and an empty BAR (no
 * pci_resource_start()) -EINVAL */
static void bar_access_is_cut_at_the_end_and_einval_past_it(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	assert_int_equal(4, rw(df, BAR(2) + 0x1c, 8, false, NULL));
	assert_int_equal(2, rw(df, BAR(0) + 0x1fffe, 8, true, NULL));
	assert_int_equal(-EINVAL, rw(df, BAR(2) + 0x20, 1, false, NULL));
	assert_int_equal(-EINVAL, rw(df, BAR(0) + 0x20000, 4, true, NULL));
	assert_int_equal(-EINVAL, rw(df, BAR(4), 4, false, NULL));
	assert_int_equal(-EINVAL, rw(df, BAR(5), 4, true, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_pci_core_ioread/iowrite##size(): a memory BAR (IORESOURCE_MEM)
 * tests __vfio_pci_memory_enabled(), vconfig's COMMAND MEMORY, before
 * each access: -EIO without it; the I/O BAR is not tested */
static void memory_bar_is_eio_while_command_does_not_decode_memory(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	command_write(df, 0x0101);
	assert_int_equal(-EIO, rw(df, BAR(0), 4, false, NULL));
	assert_int_equal(-EIO, rw(df, BAR(1) + 8, 8, true, NULL));
	assert_int_equal(4, rw(df, BAR(2), 4, false, NULL));
	command_write(df, 0x0103);
	assert_int_equal(4, rw(df, BAR(0), 4, false, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* __vfio_pci_memory_enabled(): current_state below D3hot too; a PMCSR
 * write puts the function in D3hot (vfio_pm_config_write()), and
 * VFIO_DEVICE_RESET brings it back to D0 (vfio_pci_ioctl_reset()) */
static void memory_bar_is_eio_in_d3hot(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	u16 d3hot = 3;

	assert_int_equal(2,
			 vfio_device_rw(df, &d3hot, 2, CFG + 0xcc, true, NULL));
	assert_int_equal(-EIO, rw(df, BAR(0), 4, false, NULL));
	assert_int_equal(4, rw(df, BAR(2), 4, true, NULL));
	assert_int_equal(0, fx_ioctl(f, df, VFIO_DEVICE_RESET, NULL, 0));
	assert_int_equal(4, rw(df, BAR(0), 4, false, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_pci_core_do_io_rw() on the MSI-X BAR (x_start msix_offset 0,
 * x_end + 5 * 16): the table reads 0xff and drops writes without a test
 * of memory; an access reaching past it touches the device (-EIO while
 * memory is off, the table's fill lost with it) */
static void msix_table_reads_ff_and_drops_writes(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	bool modelled = false;
	u64 v = 0;

	assert_int_equal(
		8, vfio_device_rw(df, &v, 8, BAR(3) + 0x48, false, &modelled));
	assert_true(modelled);
	assert_int_equal(0xffffffffffffffffull, v);
	assert_int_equal(8, rw(df, BAR(3) + 0x4c, 8, false, &modelled));
	assert_false(modelled);
	command_write(df, 0x0101);
	assert_int_equal(8, rw(df, BAR(3), 8, false, NULL));
	assert_int_equal(4, rw(df, BAR(3) + 0x10, 4, true, NULL));
	assert_int_equal(-EIO, rw(df, BAR(3) + 0x4c, 8, false, NULL));
	assert_int_equal(-EIO, rw(df, BAR(3) + 0x50, 4, true, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_pci_rw(): a ROM write -EINVAL, a read through vfio_pci_bar_rw()
 * -EINVAL (no ROM BAR, no pdev->rom); VGA vfio_pci_vga_rw()'s stub
 * -EINVAL (no CONFIG_VFIO_PCI_VGA); index 9 and on past
 * VFIO_PCI_NUM_REGIONS + num_regions (0) -EINVAL */
static void rom_vga_and_past_the_regions_are_einval(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	assert_int_equal(-EINVAL, rw(df, ROM, 4, false, NULL));
	assert_int_equal(-EINVAL, rw(df, ROM, 4, true, NULL));
	assert_int_equal(-EINVAL, rw(df, VGA + 0xa0000, 4, false, NULL));
	assert_int_equal(-EINVAL, rw(df, VGA + 0x3c0, 1, true, NULL));
	assert_int_equal(-EINVAL, rw(df, BAR(9), 4, false, NULL));
	assert_int_equal(-EINVAL, rw(df, BAR(0x7fffff), 4, true, NULL));
	assert_int_equal(0, rw(df, BAR(9), 0, false, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_pci_core_do_io_rw()'s accesses: the widest of 8, 4, 2 that the
 * bytes left before the excluded range and the offset's alignment allow,
 * at most max_width (4 for a ROM), else one byte; the excluded range is
 * no access */
static void accesses_are_the_widest_aligned_that_fit(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	struct vfio_pci_io_log log = { 0 };
	struct vfio_pci_io io = { .max_width = 8, .log = &log };
	u8 buf[16];
	bool modelled;

	assert_int_equal(9, vfio_pci_core_do_io_rw(df->device, &io, buf, 1, 9,
						   false, &modelled));
	assert_int_equal(4, log.n);
	assert_memory_equal(((u8[]){ 1, 2, 4, 2 }), log.width, 4);
	log.n = 0;
	io.max_width = 4;
	assert_int_equal(16, vfio_pci_core_do_io_rw(df->device, &io, buf, 0, 16,
						    true, &modelled));
	assert_int_equal(4, log.n);
	assert_memory_equal(((u8[]){ 4, 4, 4, 4 }), log.width, 4);
	log.n = 0;
	io.max_width = 8;
	io.x_start = 4;
	io.x_end = 8;
	assert_int_equal(12, vfio_pci_core_do_io_rw(df->device, &io, buf, 0, 12,
						    false, &modelled));
	assert_int_equal(2, log.n);
	assert_memory_equal(((u8[]){ 4, 4 }), log.width, 2);
	assert_int_equal(0xff, buf[4] & buf[7]);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* read()/write() by number, as a closed eventfd's number reaches a
 * device file (vfio_device_fops_read()/_write()): at the file's f_pos,
 * BAR0 offset 0 at the open, moved on by the bytes done
 * (vfio_pci_bar_rw(): *ppos += done) and not by a refusal; a register's
 * bytes are not the model's: the caller's buffer keeps its own */
static void read_by_number_goes_to_bar0_at_the_files_position(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int fd = vfio_file_fd(df);
	struct file *filp = process_file_at(f->root, fd);
	u64 v = 0x1234;

	assert_int_equal(8,
			 process_file_rw(f->root, fd, (uintptr_t)&v, 8, false));
	assert_true(filp->read_unmodelled);
	assert_int_equal(0x1234, v);
	assert_int_equal(8, filp->pos);
	assert_int_equal(4,
			 process_file_rw(f->root, fd, (uintptr_t)&v, 4, true));
	assert_int_equal(12, filp->pos);
	command_write(df, 0x0101);
	assert_int_equal(-EIO,
			 process_file_rw(f->root, fd, (uintptr_t)&v, 8, false));
	assert_int_equal(12, filp->pos);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ioctl_checks_are_einval,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			only_bars_within_length_clear_of_msix_table, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			registration_is_known_by_place_data_and_width, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(eventfd_write_makes_the_write,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			memory_bar_write_needs_memory_decoding, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			closed_eventfd_leaves_the_registration, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(at_most_1000_registrations,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			an_eventfds_number_taken_by_a_vfio_file_is_einval,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			bar_access_in_bounds_gives_the_count, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			bar_access_is_cut_at_the_end_and_einval_past_it,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			memory_bar_is_eio_while_command_does_not_decode_memory,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(memory_bar_is_eio_in_d3hot,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			msix_table_reads_ff_and_drops_writes, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			rom_vga_and_past_the_regions_are_einval, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			accesses_are_the_widest_aligned_that_fit, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			read_by_number_goes_to_bar0_at_the_files_position,
			fx_setup, fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
