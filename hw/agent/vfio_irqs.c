// SPDX-License-Identifier: MIT
/*
 * vfio_irqs.c - the agent's eventfd verbs, run for real in the guest
 * (sim/optable_vfio_irqs.h's rows): an eventfd (EFD_NONBLOCK, as the
 * model's always is), its read and write, VFIO_DEVICE_GET_IRQ_INFO,
 * VFIO_DEVICE_SET_IRQS and VFIO_DEVICE_IOEVENTFD with the real
 * <linux/vfio.h> structs, data0.. the entries of data[] as
 * sim/vfio_irqs.c lays them out (an fd slot, "none" for -1, or a bool).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "agent.h"

#define IRQ_SET_ENTRIES 5 /* sim/vfio_args.h VFIO_IRQ_SET_ENTRIES */

struct irq_set_arg {
	struct vfio_irq_set hdr;
	int32_t data[IRQ_SET_ENTRIES];
};

static void print_ret(long ret)
{
	if (ret < 0)
		printf(" -%s", errname(errno));
	else
		printf(" 0");
}

static void do_eventfd(const struct step *st)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0) {
		printf(" -%s", errname(errno));
		return;
	}
	ifd_fd_bind(st, "out_fd", fd);
	printf(" 0");
}

static void do_eventfd_read(const struct step *st)
{
	uint64_t buf[2] = { 0, 0 };
	size_t count = (size_t)ifd_num(st, "count", sizeof(uint64_t));
	ssize_t n = read((int)ifd_num(st, "fd", -1), buf,
			 count < sizeof(buf) ? count : sizeof(buf));

	if (n < 0) {
		printf(" -%s", errname(errno));
		return;
	}
	printf(" 0 out_value=0x%llx", (unsigned long long)buf[0]);
}

/* write(fd, &value, count): value= (default 1), count= (default 8) */
static void do_eventfd_write(const struct step *st)
{
	uint64_t buf[2] = { 0, 0 };
	size_t count = (size_t)ifd_num(st, "count", sizeof(uint64_t));

	buf[0] = ifd_num(st, "value", 1);
	print_ret(write((int)ifd_num(st, "fd", -1), buf,
			count < sizeof(buf) ? count : sizeof(buf)));
}

static void do_get_irq_info(const struct step *st)
{
	struct vfio_irq_info info = { 0 };

	info.argsz = (uint32_t)ifd_num(st, "argsz", sizeof(info));
	info.index = (uint32_t)ifd_num(st, "index", 0);
	if (ioctl((int)ifd_num(st, "fd", -1), VFIO_DEVICE_GET_IRQ_INFO,
		  &info)) {
		printf(" -%s", errname(errno));
		return;
	}
	printf(" 0 out_flags=0x%x out_count=0x%x", info.flags, info.count);
}

/* data0..: each given entry; count and argsz as many as were given
 * unless the step says (sim/vfio_irqs.c irq_set_prep()) */
static void do_set_irqs(const struct step *st)
{
	struct irq_set_arg a = { 0 };
	int bools;
	uint32_t n = 0;

	a.hdr.flags = (uint32_t)ifd_num(st, "flags", 0);
	a.hdr.index = (uint32_t)ifd_num(st, "index", 0);
	a.hdr.start = (uint32_t)ifd_num(st, "start", 0);
	bools = !!(a.hdr.flags & VFIO_IRQ_SET_DATA_BOOL);
	for (uint32_t i = 0; i < IRQ_SET_ENTRIES; i++) {
		char key[16];
		const char *v;
		int32_t x;

		snprintf(key, sizeof(key), "data%u", i);
		v = ifd_arg(st, key);
		if (!v)
			continue;
		x = !strcmp(v, "none") ? -1 : (int32_t)ifd_num(st, key, 0);
		if (bools)
			((uint8_t *)a.data)[i] = (uint8_t)x;
		else
			a.data[i] = x;
		n = i + 1;
	}
	a.hdr.count = (uint32_t)ifd_num(st, "count", n);
	a.hdr.argsz =
		(uint32_t)ifd_num(st, "argsz",
				  offsetof(struct irq_set_arg, data) +
					  n * (bools ? 1 : sizeof(int32_t)));
	print_ret(ioctl((int)ifd_num(st, "fd", -1), VFIO_DEVICE_SET_IRQS, &a));
}

/* eventfd=: the struct's fd ("none": -1); argsz the struct's size
 * unless the step says */
static void do_ioeventfd(const struct step *st)
{
	struct vfio_device_ioeventfd io = { 0 };
	const char *efd = ifd_arg(st, "eventfd");

	io.argsz = (uint32_t)ifd_num(st, "argsz", sizeof(io));
	io.flags = (uint32_t)ifd_num(st, "flags", 0);
	io.offset = ifd_num(st, "offset", 0);
	io.data = ifd_num(st, "data", 0);
	io.fd = efd && !strcmp(efd, "none")
			? -1
			: (int32_t)ifd_num(st, "eventfd", 0);
	print_ret(
		ioctl((int)ifd_num(st, "fd", -1), VFIO_DEVICE_IOEVENTFD, &io));
}

void vfio_irqs_step(const struct step *st)
{
	if (!strcmp(st->verb, "eventfd"))
		return do_eventfd(st);
	if (!strcmp(st->verb, "eventfd_read"))
		return do_eventfd_read(st);
	if (!strcmp(st->verb, "eventfd_write"))
		return do_eventfd_write(st);
	if (!strcmp(st->verb, "VFIO_DEVICE_GET_IRQ_INFO"))
		return do_get_irq_info(st);
	if (!strcmp(st->verb, "VFIO_DEVICE_SET_IRQS"))
		return do_set_irqs(st);
	if (!strcmp(st->verb, "VFIO_DEVICE_IOEVENTFD"))
		return do_ioeventfd(st);
	printf(" unsupported");
}
