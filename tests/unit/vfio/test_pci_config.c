// SPDX-License-Identifier: MIT
/*
 * test_pci_config.c - the config region of a vfio-pci device past the
 * standard header, as Linux 7.3's drivers/vfio/pci/vfio_pci_config.c
 * builds and serves it: vfio_cap_init() / vfio_ecap_init() (which
 * capabilities are kept, which hidden and how the chain skips them), the
 * perm_bits of PM, MSI, PCI Express, MSI-X and AER, and
 * vfio_pci_config_rw_single()'s chunks. The default device is QEMU's
 * e1000e (model/core/device.c cfg_e1000e: PM 0xc8, MSI 0xd0, PCI Express
 * 0xe0 (version 1, integrated), MSI-X 0xa0; AER 0x100, DSN 0x140).
 */
#include "fx_vfio.h"
#include "iommufd/eventfd.h"
#include "vfio/vfio_pci_config.h"

#define CFG(off) ((7ull << 40) + (off))

static u32 rd(struct vfio_file *df, u64 off, size_t count)
{
	u32 v = 0;

	assert_int_equal(count,
			 vfio_device_rw(df, &v, count, CFG(off), false, NULL));
	return v;
}

static void wr(struct vfio_file *df, u64 off, size_t count, u32 v)
{
	assert_int_equal(count,
			 vfio_device_rw(df, &v, count, CFG(off), true, NULL));
}

/* SET_IRQS: MSI vector 0 triggering a new eventfd */
static int msi_enable(struct fx *f, struct vfio_file *df)
{
	struct {
		struct vfio_irq_set hdr;
		int32_t fd;
	} s = { { sizeof(s),
		  VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		  VFIO_PCI_MSI_IRQ_INDEX, 0, 1 },
		eventfd_create(f->root) };

	return fx_ioctl(f, df, VFIO_DEVICE_SET_IRQS, &s, sizeof(s));
}

/* vfio_cap_init(): every capability of known length kept, its bytes
 * mapped (MSI 14: 64-bit without mask bits; PCI Express 0xc: version 1
 * RC_END), the bytes between them unassigned; vfio_ecap_init(): AER
 * PCI_ERR_ROOT_COMMAND bytes, DSN 12 */
static void capabilities_are_mapped_by_their_lengths(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	const struct vfio_pci_cfgspace *cs = df->device->cfgsp;

	assert_int_equal(0x01, cs->map[0xc8]);
	assert_int_equal(0x01, cs->map[0xcf]);
	assert_int_equal(0x05, cs->map[0xdd]);
	assert_int_equal(PCI_CAP_ID_INVALID, cs->map[0xde]);
	assert_int_equal(0x10, cs->map[0xeb]);
	assert_int_equal(PCI_CAP_ID_INVALID, cs->map[0xec]);
	assert_int_equal(0x11, cs->map[0xab]);
	assert_int_equal(0x01, cs->map[0x12b]);
	assert_int_equal(PCI_CAP_ID_INVALID, cs->map[0x12c]);
	assert_int_equal(0x03, cs->map[0x14b]);
	assert_int_equal(4096, cs->size);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* A function with a capability of unknown length (DBG, 0x0a) between PM
 * and MSI, and extended ones of unknown length first (MRIOV, 0x11) and
 * between AER and DSN (SECPCI, 0x19) */
static const struct pci_cfg_dword cfg_hidden[] = {
	{ 0x00, 0x10d38086 },
	{ 0x04, 0x00100000 },
	{ 0x34, 0x00000040 },
	{ 0x40, 0x00004801 },  /* PM, next 0x48 */
	{ 0x48, 0x0000500a },  /* DBG, next 0x50: hidden */
	{ 0x50, 0x00806005 },  /* MSI, next 0x60 */
	{ 0x60, 0x00010010 },  /* PCI Express v1 endpoint, next 0 */
	{ 0x100, 0x18010011 }, /* MRIOV, next 0x180: placeholder */
	{ 0x180, 0x20020001 }, /* AER, next 0x200 */
	{ 0x200, 0x24010019 }, /* SECPCI, next 0x240: skipped */
	{ 0x240, 0x00010003 }, /* DSN, next 0 */
	{ 0 },
};

/* vfio_cap_init(): a hidden capability is skipped by the previous next
 * pointer; vfio_ecap_init(): a hidden first extended one stays as a
 * placeholder whose id and version read 0 (its next kept), a later one
 * is skipped by the previous header's next */
static void hidden_capabilities_are_skipped_in_the_chain(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df;

	f->c->res.cfg = cfg_hidden;
	df = fx_open_bound(f, &ifd);
	assert_int_equal(0x5001, rd(df, 0x40, 2)); /* PM's next: MSI */
	/* DBG's bytes: unassigned, read raw from the function */
	assert_int_equal(0x0000500a, rd(df, 0x48, 4));
	assert_int_equal(PCI_CAP_ID_INVALID, df->device->cfgsp->map[0x48]);
	assert_int_equal(0x18000000, rd(df, 0x100, 4));
	assert_int_equal(0x24020001, rd(df, 0x180, 4));
	assert_int_equal(0x00010003, rd(df, 0x240, 4));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* init_pci_cap_pm_perm(): PME_En read-only and virtualised (0), the
 * state only through vfio_pm_config_write()'s power change: D1 without
 * PCI_PM_CAP_D1 changes nothing, D3hot sets it, D0 is pci_power_up()
 * writing PMCSR 0; the last close puts the function back in D0 */
static void pmcsr_state_changes_only_through_the_power_state(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	wr(df, 0xcc, 2, 0x0100);
	assert_int_equal(0, rd(df, 0xcc, 2));
	wr(df, 0xcc, 2, 0x0001);
	assert_int_equal(0, rd(df, 0xcc, 2));
	wr(df, 0xcc, 2, 0x1e03);
	assert_int_equal(0x1e03, rd(df, 0xcc, 2));
	wr(df, 0xcd, 1, 0x00); /* not at PCI_PM_CTRL: no power change */
	assert_int_equal(0x0003, rd(df, 0xcc, 2));
	vfio_close(df);
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, NULL));
	assert_int_equal(0, rd(df, 0xcc, 2));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_msi_config_write(): Enable kept only while irq_type is MSI, the
 * Multiple Message Enable capped at msi_qmax (0 for one vector); the id
 * and next read-only */
static void msi_enable_follows_the_ioctl_and_qsize_is_capped(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	wr(df, 0xd2, 2, 0x00f1);
	assert_int_equal(0x0080, rd(df, 0xd2, 2));
	wr(df, 0xd0, 2, 0xffff);
	assert_int_equal(0xe005, rd(df, 0xd0, 2));
	assert_int_equal(0, msi_enable(f, df));
	assert_int_equal(0, df->device->msi_qmax);
	wr(df, 0xd2, 2, 0x00f1);
	assert_int_equal(0x0081, rd(df, 0xd2, 2));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* __pci_enable_msi_range(): -EINVAL out of D0, before the count;
 * vfio_pci_ioctl_reset() puts the function back in D0 first */
static void msi_needs_d0_and_reset_brings_it_back(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	wr(df, 0xcc, 2, 0x0003);
	assert_false(vfio_config_in_d0(df->device));
	assert_int_equal(-EINVAL, msi_enable(f, df));
	vfio_config_set_d0(df->device);
	assert_int_equal(0, rd(df, 0xcc, 2));
	assert_int_equal(0, msi_enable(f, df));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* init_pci_cap_exp_perm(): DEVCTL's FLR, payload and read request
 * virtualised (FLR reads 0 again: vfio_exp_config_write()), the rest to
 * the function (QEMU's version 1 capability keeps none of it) */
static void devctl_keeps_virtual_fields_and_drops_flr(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	wr(df, 0xe8, 2, 0xffff);
	assert_int_equal(0x70e0, rd(df, 0xe8, 2));
	wr(df, 0xe8, 2, 0x8000);
	assert_int_equal(0, rd(df, 0xe8, 2));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* cap_perms[MSI-X] and ecap_perms[DSN]: no writefn, writes dropped;
 * init_pci_ext_cap_err_perm(): the header read-only, the uncorrectable
 * mask through to the function (QEMU keeps 0x03fff030 of 0x03fff031) */
static void msix_and_dsn_drop_writes_aer_masks_go_through(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	wr(df, 0xa0, 4, 0xffffffff);
	assert_int_equal(0x00040011, rd(df, 0xa0, 4));
	wr(df, 0x144, 4, 0);
	assert_int_equal(0xff123458, rd(df, 0x144, 4)); /* the third NIC */
	wr(df, 0x100, 4, 0);
	assert_int_equal(0x14020001, rd(df, 0x100, 4));
	wr(df, 0x108, 4, 0xffffffff);
	assert_int_equal(0x03fff030, rd(df, 0x108, 4));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_pci_config_rw_single(): a chunk never spans two capabilities (nor
 * a capability and unassigned bytes): MSI's data then raw bytes */
static void a_dword_across_a_capability_end_is_two_chunks(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	wr(df, 0xdc, 4, 0xa5a55a5a);
	assert_int_equal(0x5a5a, rd(df, 0xdc, 2)); /* virtual MSI data */
	assert_int_equal(0xa5a5, rd(df, 0xde, 2)); /* QEMU's free space */
	assert_int_equal(0xa5a55a5a, rd(df, 0xdc, 4));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			capabilities_are_mapped_by_their_lengths, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			hidden_capabilities_are_skipped_in_the_chain, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			pmcsr_state_changes_only_through_the_power_state,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			msi_enable_follows_the_ioctl_and_qsize_is_capped,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			msi_needs_d0_and_reset_brings_it_back, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			devctl_keeps_virtual_fields_and_drops_flr, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			msix_and_dsn_drop_writes_aer_masks_go_through, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			a_dword_across_a_capability_end_is_two_chunks, fx_setup,
			fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
