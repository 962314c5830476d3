// SPDX-License-Identifier: MIT
/*
 * test_device_feature.c - VFIO_DEVICE_FEATURE on a vfio-pci device file
 * (Linux 7.3 drivers/vfio/vfio_main.c vfio_ioctl_device_feature(),
 * include/linux/vfio.h vfio_check_feature(), drivers/vfio/pci/
 * vfio_pci_core.c vfio_pci_core_ioctl_feature() and the low power entry
 * and exit behind it), as the QEMU guest's kernel builds it: no
 * CONFIG_PM, no CONFIG_PCI_IOV, no CONFIG_VFIO_PCI_DMABUF.
 */
#include "fx_vfio.h"
#include "iommufd/eventfd.h"

#define GET VFIO_DEVICE_FEATURE_GET
#define SET VFIO_DEVICE_FEATURE_SET
#define PROBE VFIO_DEVICE_FEATURE_PROBE

/* the header with LOW_POWER_ENTRY_WITH_WAKEUP's entry behind it */
struct feature_buf {
	struct vfio_device_feature hdr;
	struct vfio_device_low_power_entry_with_wakeup entry;
};

static int feature(struct fx *f, struct vfio_file *df, u32 flags, u32 argsz,
		   int32_t wakeup_fd)
{
	struct feature_buf b = {
		.hdr = { .argsz = argsz, .flags = flags },
		.entry = { .wakeup_eventfd = wakeup_fd },
	};

	return fx_ioctl(f, df, VFIO_DEVICE_FEATURE, &b, sizeof(b));
}

static int set(struct fx *f, struct vfio_file *df, u32 index)
{
	return feature(f, df, SET | index, sizeof(struct feature_buf), -1);
}

/* the references on @fd's eventfd ctx besides its file's */
static unsigned int refs_of(struct fx *f, int fd)
{
	int err;
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(f->root, fd, &err);
	unsigned int n;

	assert_non_null(ctx);
	n = ctx->refs - 2;
	eventfd_ctx_put(ctx);
	return n;
}

static void close_bound(struct vfio_file *df, struct vfio_file *ifd)
{
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_ioctl_device_feature(): argsz below the header, an unknown flag,
 * GET with SET but no PROBE: -EINVAL before the feature is looked at
 * (MIGRATION would be -ENOTTY) */
static void header_checks_come_before_the_feature(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	const u32 mig = VFIO_DEVICE_FEATURE_MIGRATION;

	assert_int_equal(-EINVAL, feature(f, df, PROBE | mig, 7, -1));
	assert_int_equal(-EINVAL, feature(f, df, (1u << 19) | mig, 8, -1));
	assert_int_equal(-EINVAL, feature(f, df, GET | SET | mig, 8, -1));
	assert_int_equal(-ENOTTY,
			 feature(f, df, GET | SET | PROBE | mig, 8, -1));
	close_bound(df, ifd);
}

/* vfio-pci has no mig_ops or log_ops: the migration and DMA logging
 * features are -ENOTTY whatever the flags; MIG_PRECOPY_INFOv2 -EINVAL
 * (migration_flags without PRE_COPY), PROBE too */
static void migration_and_logging_are_not_vfio_pcis(void **state)
{
	static const u32 enotty[] = {
		VFIO_DEVICE_FEATURE_MIGRATION,
		VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
		VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
		VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
		VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
		VFIO_DEVICE_FEATURE_MIG_DATA_SIZE,
	};
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	for (size_t i = 0; i < G_N_ELEMENTS(enotty); i++) {
		assert_int_equal(-ENOTTY,
				 feature(f, df, PROBE | enotty[i], 8, -1));
		assert_int_equal(-ENOTTY,
				 feature(f, df, GET | enotty[i], 8, -1));
	}
	assert_int_equal(-EINVAL,
			 feature(f, df,
				 PROBE | VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2,
				 8, -1));
	close_bound(df, ifd);
}

/* vfio_pci_core_ioctl_feature(): no vf_token on a function that is no
 * SR-IOV PF, no DMA_BUF without VFIO_PCI_DMABUF, ZPCI_ERROR s390's,
 * BUS_MASTER and unknown features: -ENOTTY */
static void vf_token_dma_buf_and_unknown_features_enotty(void **state)
{
	static const u32 enotty[] = {
		VFIO_DEVICE_FEATURE_PCI_VF_TOKEN,
		VFIO_DEVICE_FEATURE_BUS_MASTER,
		VFIO_DEVICE_FEATURE_DMA_BUF,
		VFIO_DEVICE_FEATURE_ZPCI_ERROR,
		14,
		0xffff,
	};
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	for (size_t i = 0; i < G_N_ELEMENTS(enotty); i++)
		assert_int_equal(-ENOTTY,
				 feature(f, df, SET | enotty[i],
					 sizeof(struct feature_buf), -1));
	close_bound(df, ifd);
}

/* vfio_check_feature() for the SET-only low power features: PROBE (with
 * SET) 0 even with no data, GET -EINVAL, neither GET nor SET -EINVAL,
 * WITH_WAKEUP's SET needs its 8 bytes of data */
static void low_power_features_are_set_only(void **state)
{
	const u32 entry = VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY;
	const u32 wake = VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP;
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	assert_int_equal(0, feature(f, df, PROBE | SET | wake, 8, -1));
	assert_int_equal(-EINVAL, feature(f, df, PROBE | GET | entry, 8, -1));
	assert_int_equal(-EINVAL, feature(f, df, GET | entry, 8, -1));
	assert_int_equal(-EINVAL, feature(f, df, entry, 8, -1));
	assert_int_equal(-EINVAL, feature(f, df, SET | wake, 15, -1));
	/* PROBE engaged nothing */
	assert_false(df->device->pm_runtime_engaged);
	close_bound(df, ifd);
}

/* vfio_pci_runtime_pm_entry(): a second entry -EINVAL while engaged;
 * vfio_pci_core_pm_exit() 0 engaged or not, and the next entry works */
static void second_entry_refused_until_exit(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);

	assert_int_equal(0, set(f, df, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
	assert_int_equal(0, set(f, df, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY));
	assert_true(df->device->pm_runtime_engaged);
	assert_int_equal(-EINVAL,
			 set(f, df, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY));
	assert_int_equal(0, set(f, df, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
	assert_false(df->device->pm_runtime_engaged);
	assert_int_equal(0, set(f, df, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY));
	close_bound(df, ifd);
}

/* vfio_pci_core_pm_entry_with_wakeup(): the device holds the eventfd's
 * ctx until the exit puts it; a refused entry (already engaged) puts it
 * back at once; fd -1 -EINVAL, no such fd -EBADF; nothing signals it
 * (no CONFIG_PM: the function never suspends nor resumes) */
static void wakeup_entry_holds_the_eventfd_until_exit(void **state)
{
	const u32 wake = SET | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP;
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int fd = eventfd_create(f->root);

	assert_int_equal(-EINVAL, feature(f, df, wake, 16, -1));
	assert_int_equal(-EBADF, feature(f, df, wake, 16, 999));
	assert_int_equal(0, feature(f, df, wake, 16, fd));
	assert_int_equal(1, refs_of(f, fd));
	assert_int_equal(-EINVAL, feature(f, df, wake, 16, fd));
	assert_int_equal(1, refs_of(f, fd));
	assert_int_equal(0, set(f, df, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
	assert_int_equal(0, refs_of(f, fd));
	close_bound(df, ifd);
}

/* vfio_pci_core_disable() at the last close: vfio_pci_runtime_pm_exit(),
 * the wakeup ctx put; a new open may enter again */
static void last_close_exits_low_power(void **state)
{
	const u32 wake = SET | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP;
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int fd = eventfd_create(f->root);

	assert_int_equal(0, feature(f, df, wake, 16, fd));
	vfio_close(df);
	assert_int_equal(0, refs_of(f, fd));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, NULL));
	assert_int_equal(0, set(f, df, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY));
	close_bound(df, ifd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			header_checks_come_before_the_feature, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			migration_and_logging_are_not_vfio_pcis, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			vf_token_dma_buf_and_unknown_features_enotty, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(low_power_features_are_set_only,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(second_entry_refused_until_exit,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			wakeup_entry_holds_the_eventfd_until_exit, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(last_close_exits_low_power,
						fx_setup, fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
