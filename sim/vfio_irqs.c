// SPDX-License-Identifier: MIT
/*
 * vfio_irqs.c - the handlers of the eventfd rows (optable_vfio_irqs.h):
 * an eventfd of the process, its read and write, VFIO_DEVICE_GET_IRQ_INFO,
 * VFIO_DEVICE_SET_IRQS with data0.. as the entries of its data[] (an
 * eventfd's fd each, "none" for -1, or a bool), and
 * VFIO_DEVICE_IOEVENTFD. Nothing here knows a kernel rule:
 * model/vfio/vfio_pci_intrs.c, vfio_pci_rdwr.c and
 * model/iommufd/eventfd.c answer.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"
#include "model/iommufd/eventfd.h"
#include "model/vfio/uapi.h"
#include "vfio_args.h"
#include "vfio_call.h"

/* eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) */
int op_eventfd(struct runner *r, const struct statement *st)
{
	int fd = eventfd_create(ifd_task(r));

	if (fd < 0)
		return fd;
	op_out(r, "out_fd", NULL, (u64)fd);
	return 0;
}

/* The caller's buffer: two u64s, as the guest agent's
 * (hw/agent/vfio_irqs.c); count= past it reads or writes 16 bytes (a
 * memfd's, whose read takes what it is given) */
#define EVENTFD_BUF 16u

/* read(fd, &u64, count): the counter (then 0), -EAGAIN while it is 0;
 * whatever file the number names now (a VFIO device file's read is a
 * BAR's at its position, whose bytes the model does not have: no
 * out_value then) */
int op_eventfd_read(struct runner *r, const struct statement *st)
{
	u64 count = MIN(arg_num(st, "count", sizeof(u64)), EVENTFD_BUF);
	g_autofree u8 *buf = g_malloc0(EVENTFD_BUF);
	int fd = (int)handle_num(r, st, "fd");
	ssize_t n =
		process_file_rw(ifd_task(r), fd, (uintptr_t)buf, count, false);
	const struct file *f = process_file_at(ifd_task(r), fd);
	u64 value;

	if (n < 0)
		return (int)n;
	if (f && f->read_unmodelled) {
		r->step->detail = g_strdup_printf(
			"%zd bytes read: a device register's, not modelled", n);
		return 0;
	}
	memcpy(&value, buf, sizeof(value));
	op_out(r, "out_value", NULL, value);
	return 0;
}

/* write(fd, &value, count): the value added, waiters woken */
int op_eventfd_write(struct runner *r, const struct statement *st)
{
	u64 count = MIN(arg_num(st, "count", sizeof(u64)), EVENTFD_BUF);
	u64 value = arg_num(st, "value", 1);
	g_autofree u8 *buf = g_malloc0(EVENTFD_BUF);
	ssize_t n;

	memcpy(buf, &value, sizeof(value));
	n = process_file_rw(ifd_task(r), (int)handle_num(r, st, "fd"),
			    (uintptr_t)buf, count, true);
	return n < 0 ? (int)n : 0;
}

/* data0..: the entries given, each an fd (a handle, a number, "none" for
 * -1) or with DATA_BOOL a byte; count and argsz as many as were given
 * unless the step says */
static int irq_set_prep(struct runner *r, const struct statement *st, void *buf,
			struct vscratch *sc)
{
	struct vfio_irq_set_arg *a = buf;
	bool bools = a->flags & VFIO_IRQ_SET_DATA_BOOL;
	u32 n = 0;

	(void)sc;
	for (u32 i = 0; i < VFIO_IRQ_SET_ENTRIES; i++) {
		char key[16];
		const struct arg *v;
		int32_t x;

		snprintf(key, sizeof(key), "data%u", i);
		v = stmt_arg(st, key);
		if (!v)
			continue;
		x = handle_fd_or_none(r, st, key);
		if (bools)
			((u8 *)a->data)[i] = (u8)x;
		else
			a->data[i] = x;
		n = i + 1;
	}
	if (!arg_has(st, "count"))
		a->count = n;
	if (!arg_has(st, "argsz"))
		a->argsz = offsetof(struct vfio_irq_set_arg, data) +
			   n * (bools ? 1 : sizeof(int32_t));
	return 0;
}

int op_vfio_device_set_irqs(struct runner *r, const struct statement *st)
{
	static const struct vcall c = { VFIO_DEVICE_SET_IRQS, irq_set_prep,
					NULL };

	return vstruct(r, st, &c);
}

/* eventfd=: the struct's fd, "none" for -1 */
static int ioeventfd_prep(struct runner *r, const struct statement *st,
			  void *buf, struct vscratch *sc)
{
	struct vfio_device_ioeventfd *a = buf;

	(void)sc;
	a->fd = handle_fd_or_none(r, st, "eventfd");
	return 0;
}

int op_vfio_device_ioeventfd(struct runner *r, const struct statement *st)
{
	static const struct vcall c = { VFIO_DEVICE_IOEVENTFD, ioeventfd_prep,
					NULL };

	return vstruct(r, st, &c);
}

int op_vfio_device_get_irq_info(struct runner *r, const struct statement *st)
{
	static const struct vcall c = { VFIO_DEVICE_GET_IRQ_INFO, NULL, NULL };

	return vstruct(r, st, &c);
}
