// SPDX-License-Identifier: MIT
/*
 * eventfd.c - a program's own eventfds as VFIO interrupt triggers
 * through the shim (preload/eventfd.c), run unmodified under `iommusim
 * exec tests/preload/noiommu.scn`: the cdev bound to an iommufd, MSI-X
 * enabled with two eventfds (VFIO_DEVICE_SET_IRQS DATA_EVENTFD), the
 * loopback trigger (DATA_NONE | ACTION_TRIGGER) seen by read() and
 * poll() of the real fd, a trigger still signalling after the program
 * closed the fd it passed (the kernel holds the eventfd's ctx:
 * vfio_msi_set_vector_signal() -> eventfd_ctx_fdget()), and a fd that
 * is not an eventfd refused (-EINVAL, eventfd_ctx_fileget()). Output:
 * TAP; exit 1 if any check fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tap.h"

struct irq_set2 {
	struct vfio_irq_set hdr;
	int32_t fds[2];
};

static int set_irqs(int dev, uint32_t flags, uint32_t start, uint32_t count,
		    const int32_t *fds)
{
	struct irq_set2 s = { .hdr = { .argsz = sizeof(s.hdr),
				       .flags = flags,
				       .index = VFIO_PCI_MSIX_IRQ_INDEX,
				       .start = start,
				       .count = count } };

	if (fds) {
		s.hdr.argsz += count * sizeof(int32_t);
		memcpy(s.fds, fds, count * sizeof(int32_t));
	}
	return ioctl(dev, VFIO_DEVICE_SET_IRQS, &s);
}

static int trigger(int dev, uint32_t vector)
{
	return set_irqs(dev,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			vector, 1, NULL);
}

/* the counter, 0 when nothing is pending (EAGAIN) */
static uint64_t counter(int fd)
{
	uint64_t v = 0;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

static int bound_cdev(void)
{
	int ifd = open("/dev/iommu", O_RDWR);
	int dev = open("/dev/vfio/devices/noiommu-vfio0", O_RDWR);
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b),
					      .iommufd = ifd };

	if (ifd < 0 || dev < 0 || ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &b)) {
		perror("open and bind");
		exit(2);
	}
	return dev;
}

int main(void)
{
	int dev = bound_cdev();
	int e0 = eventfd(0, EFD_NONBLOCK), e1 = eventfd(0, EFD_NONBLOCK);
	int keep = dup(e1), mfd = memfd_create("not-an-eventfd", 0);
	int32_t fds[2] = { e0, e1 };
	struct pollfd p = { .fd = e0, .events = POLLIN };

	printf("TAP version 13\n1..6\n");
	CHECK(!set_irqs(dev,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 2, fds),
	      "MSI-X enabled with two eventfds");
	CHECK(poll(&p, 1, 0) == 0, "nothing pending before a trigger");
	CHECK(!trigger(dev, 0) && poll(&p, 1, 0) == 1 && counter(e0) == 1 &&
		      counter(e1) == 0,
	      "vector 0's trigger: poll() and read() of its eventfd see 1");
	close(e1);
	CHECK(!trigger(dev, 1) && counter(keep) == 1,
	      "vector 1 still signals after its fd was closed (a dup reads 1)");
	fds[0] = mfd;
	CHECK(set_irqs(dev,
		       VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       0, 1, fds) == -1 &&
		      errno == EINVAL,
	      "a memfd is not an eventfd: EINVAL");
	CHECK(!set_irqs(dev,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0,
			0, NULL),
	      "MSI-X disabled");
	return tap_failed ? 1 : 0;
}
