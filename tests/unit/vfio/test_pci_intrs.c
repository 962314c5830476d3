// SPDX-License-Identifier: MIT
/*
 * test_pci_intrs.c - VFIO_DEVICE_SET_IRQS on the default device (QEMU's
 * e1000e: INTx pin A, 1 MSI vector, 5 MSI-X), as Linux 7.3's
 * drivers/vfio/pci/vfio_pci_intrs.c and vfio_main.c
 * vfio_set_irqs_validate_and_prepare() answer it, with eventfds of the
 * calling process (fs/eventfd.c).
 */
#include "fx_vfio.h"
#include "iommufd/eventfd.h"

#define TRIGGER VFIO_IRQ_SET_ACTION_TRIGGER
#define EVENTFD VFIO_IRQ_SET_DATA_EVENTFD
#define NONE VFIO_IRQ_SET_DATA_NONE
#define UNMASK VFIO_IRQ_SET_ACTION_UNMASK
#define MASK VFIO_IRQ_SET_ACTION_MASK
#define INTX VFIO_PCI_INTX_IRQ_INDEX
#define MSI VFIO_PCI_MSI_IRQ_INDEX
#define MSIX VFIO_PCI_MSIX_IRQ_INDEX

struct irq_buf {
	struct vfio_irq_set hdr;
	int32_t fds[8];
};

static int set_irqs(struct fx *f, struct vfio_file *df, u32 flags, u32 index,
		    u32 start, u32 count, const int32_t *fds)
{
	struct irq_buf b = { .hdr = { .argsz = sizeof(b.hdr),
				      .flags = flags,
				      .index = index,
				      .start = start,
				      .count = count } };

	if (flags & EVENTFD) {
		b.hdr.argsz += count * sizeof(int32_t);
		memcpy(b.fds, fds, count * sizeof(int32_t));
	}
	return fx_ioctl(f, df, VFIO_DEVICE_SET_IRQS, &b, sizeof(b));
}

/* the eventfd's counter, read without consuming it */
static u64 count_of(struct fx *f, int fd)
{
	int err;
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(f->root, fd, &err);
	u64 n;

	assert_non_null(ctx);
	n = ctx->count;
	eventfd_ctx_put(ctx);
	return n;
}

static unsigned int refs_of(struct fx *f, int fd)
{
	int err;
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(f->root, fd, &err);
	unsigned int n = ctx->refs - 1;

	eventfd_ctx_put(ctx);
	return n;
}

/* vfio_pci_irq_test: enable MSI-X's 5 vectors with eventfds, each
 * DATA_NONE trigger signals exactly its own (vfio_pci_set_msi_trigger()) */
static void msix_trigger_signals_only_its_vector(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t fds[5];

	for (int i = 0; i < 5; i++)
		fds[i] = eventfd_create(f->root);
	assert_int_equal(0,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSIX, 0, 5, fds));
	assert_int_equal(0, set_irqs(f, df, NONE | TRIGGER, MSIX, 2, 1, NULL));
	for (int i = 0; i < 5; i++)
		assert_int_equal(i == 2, count_of(f, fds[i]));
	assert_int_equal(0, set_irqs(f, df, NONE | TRIGGER, MSIX, 0, 0, NULL));
	assert_null(df->device->irqs);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* one interrupt mode at a time: MSI while MSI-X is enabled is -EINVAL
 * (vfio_pci_set_msi_trigger(): !(irq_is() || is_irq_none())), INTx too
 * (vfio_pci_set_intx_trigger()), and nothing changes */
static void mixing_modes_is_einval_and_keeps_the_mode(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t fd = eventfd_create(f->root);

	assert_int_equal(0,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSIX, 0, 1, &fd));
	assert_int_equal(-EINVAL,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSI, 0, 1, &fd));
	assert_int_equal(-EINVAL,
			 set_irqs(f, df, EVENTFD | TRIGGER, INTX, 0, 1, &fd));
	assert_int_equal(MSIX, vfio_pci_irq_type(df->device));
	assert_int_equal(2, refs_of(f, fd)); /* the file's, vector 0's */
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* a bad fd at the first enable: -EBADF, or -EINVAL for a file that is
 * not an eventfd (eventfd_ctx_fdget()), and vfio_msi_disable() leaves no
 * mode */
static void bad_fd_at_enable_leaves_no_mode(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	u64 pa = 1ull << 30;
	int32_t fds[2] = { eventfd_create(f->root), 99 };

	assert_int_equal(-EBADF,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSIX, 0, 2, fds));
	assert_null(df->device->irqs);
	fds[1] = process_memfd_create(f->root, 4096, &pa);
	assert_int_equal(-EINVAL,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSIX, 0, 2, fds));
	assert_null(df->device->irqs);
	assert_int_equal(1, refs_of(f, fds[0]));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* on the enabled mode a bad fd fails the block, and vfio_msi_set_block()'s
 * undo leaves every vector before it without a trigger: a failure the
 * kernel does not undo (left_inconsistent) */
static void bad_fd_in_enabled_block_switches_off_its_head(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t fds[2] = { eventfd_create(f->root), eventfd_create(f->root) };
	int32_t bad[2] = { fds[1], 99 };

	assert_int_equal(0,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSIX, 0, 2, fds));
	f->m->left_inconsistent = false;
	assert_int_equal(-EBADF,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSIX, 0, 2, bad));
	assert_true(f->m->left_inconsistent);
	assert_int_equal(MSIX, vfio_pci_irq_type(df->device));
	assert_int_equal(1, refs_of(f, fds[0]));
	assert_int_equal(1, refs_of(f, fds[1]));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* validation (vfio_set_irqs_validate_and_prepare()): a range past the
 * index's count, two data types, an unknown flag, data past argsz; then
 * MSI's masking has no handler (-ENOTTY); disabling what is not enabled
 * is -EINVAL */
static void validation_errnos(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t fds[2] = { eventfd_create(f->root), eventfd_create(f->root) };
	struct irq_buf b = { .hdr = { .argsz = sizeof(b.hdr),
				      .flags = EVENTFD | TRIGGER,
				      .index = MSIX,
				      .count = 2 } };

	assert_int_equal(-EINVAL,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSI, 0, 2, fds));
	assert_int_equal(-EINVAL,
			 set_irqs(f, df, EVENTFD | TRIGGER, MSIX, 5, 1, fds));
	assert_int_equal(-EINVAL,
			 set_irqs(f, df,
				  NONE | VFIO_IRQ_SET_DATA_BOOL | TRIGGER, MSIX,
				  0, 1, NULL));
	assert_int_equal(-EINVAL, set_irqs(f, df, NONE | TRIGGER | 0x40, MSIX,
					   0, 1, NULL));
	assert_int_equal(-EINVAL,
			 fx_ioctl(f, df, VFIO_DEVICE_SET_IRQS, &b, sizeof(b)));
	assert_int_equal(-ENOTTY,
			 set_irqs(f, df, NONE | VFIO_IRQ_SET_ACTION_MASK, MSI,
				  0, 1, NULL));
	assert_int_equal(-EINVAL,
			 set_irqs(f, df, NONE | TRIGGER, MSI, 0, 0, NULL));
	assert_null(df->device->irqs);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* the kernel holds the ctx (eventfd_ctx_fdget()): a trigger outlives the
 * user's close of its fd, and the device's last close puts it
 * (vfio_pci_core_close_device()) */
static void trigger_outlives_the_fd_until_last_close(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t fd = eventfd_create(f->root), err;
	struct eventfd_ctx *ctx;

	assert_int_equal(0,
			 set_irqs(f, df, EVENTFD | TRIGGER, INTX, 0, 1, &fd));
	ctx = eventfd_ctx_fdget(f->root, fd, &err);
	assert_int_equal(0, process_close_fd(f->root, fd));
	assert_int_equal(2, ctx->refs); /* ours and INTx's */
	assert_int_equal(0, set_irqs(f, df, NONE | TRIGGER, INTX, 0, 1, NULL));
	assert_int_equal(1, ctx->count);
	vfio_close(df);
	assert_int_equal(1, ctx->refs);
	assert_null(vfio_device_of(f->m, f->c)->irqs);
	eventfd_ctx_put(ctx);
	fx_close_iommufd(ifd);
}

/* ERR and REQ (vfio_pci_set_ctx_trigger_single()): a loopback without
 * an eventfd is -EINVAL; with one it signals */
static void err_trigger_needs_an_eventfd(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd, *df = fx_open_bound(f, &ifd);
	int32_t fd = eventfd_create(f->root);
	u32 err = VFIO_PCI_ERR_IRQ_INDEX;

	assert_int_equal(-EINVAL,
			 set_irqs(f, df, NONE | TRIGGER, err, 0, 1, NULL));
	assert_null(df->device->irqs);
	assert_int_equal(0, set_irqs(f, df, EVENTFD | TRIGGER, err, 0, 1, &fd));
	assert_int_equal(0, set_irqs(f, df, NONE | TRIGGER, err, 0, 1, NULL));
	assert_int_equal(1, count_of(f, fd));
	assert_int_equal(0, set_irqs(f, df, NONE | TRIGGER, err, 0, 0, NULL));
	assert_null(df->device->irqs);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* write(fd, &value, 8) of the process's eventfd */
static void write_eventfd(struct fx *f, int fd, u64 value)
{
	assert_int_equal(8, process_file_rw(f->root, fd, (uintptr_t)&value,
					    sizeof(value), true));
}

static struct vfio_pci_irq_ctx *intx_ctx(struct vfio_file *df)
{
	return g_hash_table_lookup(df->device->irqs->ctx, GUINT_TO_POINTER(0));
}

/* INTx enabled and masked, an unmask eventfd armed on @u */
static struct vfio_file *intx_masked_with_unmask(struct fx *f,
						 struct vfio_file **ifd,
						 int32_t t, int32_t u)
{
	struct vfio_file *df = fx_open_bound(f, ifd);

	assert_int_equal(0, set_irqs(f, df, EVENTFD | TRIGGER, INTX, 0, 1, &t));
	assert_int_equal(0, set_irqs(f, df, NONE | MASK, INTX, 0, 1, NULL));
	assert_true(intx_ctx(df)->masked);
	assert_int_equal(0, set_irqs(f, df, EVENTFD | UNMASK, INTX, 0, 1, &u));
	return df;
}

/* virqfd_wakeup(): a write to the armed unmask eventfd is read at once
 * (eventfd_ctx_do_read()) and vfio_pci_intx_unmask_handler() unmasks */
static void unmask_eventfd_write_is_read_and_unmasks(void **state)
{
	struct fx *f = *state;
	int32_t t = eventfd_create(f->root), u = eventfd_create(f->root);
	struct vfio_file *ifd, *df = intx_masked_with_unmask(f, &ifd, t, u);

	assert_true(intx_ctx(df)->masked); /* the counter was 0 at enable */
	write_eventfd(f, u, 5);
	assert_int_equal(0, count_of(f, u));
	assert_false(intx_ctx(df)->masked);
	assert_int_equal(0, count_of(f, t)); /* nothing pending: no signal */
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_virqfd_enable(): vfs_poll() finding the counter set runs the
 * handler without reading the counter */
static void
unmask_eventfd_set_at_enable_unmasks_and_keeps_the_count(void **state)
{
	struct fx *f = *state;
	int32_t t = eventfd_create(f->root), u = eventfd_create(f->root);
	struct vfio_file *ifd, *df;

	write_eventfd(f, u, 2);
	df = intx_masked_with_unmask(f, &ifd, t, u);
	assert_false(intx_ctx(df)->masked);
	assert_int_equal(2, count_of(f, u));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* vfio_virqfd_enable(): -EBADF, -EINVAL (not an eventfd) before -EBUSY
 * (*pvirqfd set); each refusal leaves the eventfds' refs as they were */
static void second_unmask_eventfd_is_ebusy_after_the_fd_checks(void **state)
{
	struct fx *f = *state;
	int32_t t = eventfd_create(f->root), u = eventfd_create(f->root);
	int32_t v = eventfd_create(f->root), bad = 99;
	u64 pa = 1ull << 30;
	int32_t m = process_memfd_create(f->root, 4096, &pa);
	struct vfio_file *ifd, *df = intx_masked_with_unmask(f, &ifd, t, u);

	assert_int_equal(-EBUSY,
			 set_irqs(f, df, EVENTFD | UNMASK, INTX, 0, 1, &v));
	assert_int_equal(-EBADF,
			 set_irqs(f, df, EVENTFD | UNMASK, INTX, 0, 1, &bad));
	assert_int_equal(-EINVAL,
			 set_irqs(f, df, EVENTFD | UNMASK, INTX, 0, 1, &m));
	assert_int_equal(1, refs_of(f, v));
	assert_int_equal(2, refs_of(f, u)); /* the file's, the virqfd's */
	vfio_close(df);
	assert_int_equal(1, refs_of(f, u));
	fx_close_iommufd(ifd);
}

/* fd -1 (vfio_virqfd_disable()) reads the counter to 0 on the way out
 * (virqfd_shutdown() -> eventfd_ctx_remove_wait_queue()); later writes
 * stay */
static void unmask_eventfd_disarmed_reads_the_counter_once(void **state)
{
	struct fx *f = *state;
	int32_t t = eventfd_create(f->root), u = eventfd_create(f->root);
	int32_t none = -1;
	struct vfio_file *ifd, *df;

	write_eventfd(f, u, 9);
	df = intx_masked_with_unmask(f, &ifd, t, u);
	assert_int_equal(0,
			 set_irqs(f, df, EVENTFD | UNMASK, INTX, 0, 1, &none));
	assert_null(intx_ctx(df)->unmask);
	assert_int_equal(0, count_of(f, u));
	assert_int_equal(1, refs_of(f, u));
	write_eventfd(f, u, 3);
	assert_int_equal(3, count_of(f, u));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* the eventfd's last close (eventfd_release(): EPOLLHUP) lets the virqfd
 * go at once: the next one arms */
static void closing_the_unmask_eventfd_disarms_it(void **state)
{
	struct fx *f = *state;
	int32_t t = eventfd_create(f->root), u = eventfd_create(f->root);
	int32_t v = eventfd_create(f->root);
	struct vfio_file *ifd, *df = intx_masked_with_unmask(f, &ifd, t, u);

	assert_int_equal(0, process_close_fd(f->root, u));
	assert_null(intx_ctx(df)->unmask);
	assert_int_equal(0, set_irqs(f, df, EVENTFD | UNMASK, INTX, 0, 1, &v));
	assert_non_null(intx_ctx(df)->unmask);
	vfio_close(df);
	assert_int_equal(1, refs_of(f, v));
	fx_close_iommufd(ifd);
}

/* vfio_intx_disable() disables the unmask virqfd first (the counter read
 * to 0); the trigger's own signal wakes a virqfd on the same eventfd */
static void intx_disable_takes_the_unmask_eventfd(void **state)
{
	struct fx *f = *state;
	int32_t t = eventfd_create(f->root), u = eventfd_create(f->root);
	struct vfio_file *ifd, *df;

	write_eventfd(f, u, 4);
	df = intx_masked_with_unmask(f, &ifd, t, u);
	assert_int_equal(0, set_irqs(f, df, NONE | TRIGGER, INTX, 0, 0, NULL));
	assert_int_equal(0, count_of(f, u));
	assert_int_equal(1, refs_of(f, u));
	assert_null(df->device->irqs);
	assert_int_equal(0, set_irqs(f, df, EVENTFD | TRIGGER, INTX, 0, 1, &t));
	assert_int_equal(0, set_irqs(f, df, EVENTFD | UNMASK, INTX, 0, 1, &t));
	assert_int_equal(0, set_irqs(f, df, NONE | TRIGGER, INTX, 0, 1, NULL));
	assert_int_equal(0, count_of(f, t));
	vfio_close(df);
	assert_int_equal(1, refs_of(f, t));
	fx_close_iommufd(ifd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			msix_trigger_signals_only_its_vector, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			mixing_modes_is_einval_and_keeps_the_mode, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(bad_fd_at_enable_leaves_no_mode,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			bad_fd_in_enabled_block_switches_off_its_head, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(validation_errnos, fx_setup,
						fx_free),
		cmocka_unit_test_setup_teardown(
			trigger_outlives_the_fd_until_last_close, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(err_trigger_needs_an_eventfd,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			unmask_eventfd_write_is_read_and_unmasks, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			unmask_eventfd_set_at_enable_unmasks_and_keeps_the_count,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			second_unmask_eventfd_is_ebusy_after_the_fd_checks,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			unmask_eventfd_disarmed_reads_the_counter_once,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			closing_the_unmask_eventfd_disarms_it, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			intx_disable_takes_the_unmask_eventfd, fx_setup,
			fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
