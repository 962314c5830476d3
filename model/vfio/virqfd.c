// SPDX-License-Identifier: MIT
/*
 * virqfd.c - an eventfd whose signal runs a VFIO handler (Linux 7.3
 * drivers/vfio/virqfd.c): vfio-pci's INTx unmask eventfd.
 *
 * vfio_virqfd_enable() takes the eventfd's ctx and waits on it
 * (vfs_poll() installs virqfd_wakeup()). Each write or signal of the
 * eventfd wakes it in that call: the counter is read to 0
 * (eventfd_ctx_do_read()) and the handler runs; a counter already
 * non-zero at enable runs the handler once without reading it. The
 * thread (schedule_work(&inject)) runs only when the handler says a
 * signal is due, which vfio-pci's unmask handler never does here (no
 * interrupt is ever pending: vfio_pci_intrs.c), so it is not kept.
 *
 * It goes either way, each leaving *pvirqfd NULL: vfio_virqfd_disable()
 * (fd -1, INTx disabled, the device's last close), or the eventfd's last
 * file closing (EPOLLHUP). The kernel's shutdown work removes the wait
 * and reads the counter to 0 (eventfd_ctx_remove_wait_queue()), then
 * puts the ctx; disable flushes it before returning, and the hang-up's
 * runs on a workqueue whose effects nobody can see (the file is gone),
 * so the model does it at once.
 *
 * Ownership: the virqfd holds one ctx reference and is owned by the
 * slot @pvirqfd names (vfio_pci_irq_ctx.unmask).
 */
#include "vfio/vfio_private.h"
#include "iommufd/eventfd.h"
#include "copy.h"

struct virqfd {
	struct eventfd_wait wait; /* first: the wait entry is the virqfd */
	struct eventfd_ctx *eventfd;
	struct virqfd **pvirqfd;
	int (*handler)(void *opaque, void *data);
	void *opaque, *data;
};

/* virqfd_shutdown(): the wait removed (the counter read), the ctx put */
static void virqfd_shutdown(struct virqfd *virqfd)
{
	eventfd_ctx_remove_wait_queue(virqfd->eventfd, &virqfd->wait);
	eventfd_ctx_put(virqfd->eventfd);
	g_free(virqfd);
}

/* virqfd_wakeup(): EPOLLIN reads the counter and runs the handler;
 * EPOLLHUP (the eventfd's file released) lets the virqfd go */
static void virqfd_wakeup(struct eventfd_wait *w, unsigned int events)
{
	struct virqfd *virqfd = (struct virqfd *)w;

	if (events & EVENTFD_POLLIN) {
		eventfd_ctx_do_read(virqfd->eventfd);
		virqfd->handler(virqfd->opaque, virqfd->data);
	}
	if ((events & EVENTFD_POLLHUP) && *virqfd->pvirqfd == virqfd) {
		*virqfd->pvirqfd = NULL;
		virqfd_shutdown(virqfd);
	}
}

static void virqfd_install(struct virqfd *virqfd)
{
	virqfd->wait.wake = virqfd_wakeup;
	*virqfd->pvirqfd = virqfd;
}

/* vfio_virqfd_enable(): -EBADF for an fd that is not open, -EINVAL for
 * a file that is not an eventfd (eventfd_ctx_fileget()), -EBUSY while
 * *pvirqfd is armed; a counter already set runs the handler once */
int vfio_virqfd_enable(struct iommu_model *m, struct process *task,
		       void *opaque, int (*handler)(void *, void *), void *data,
		       struct virqfd **pvirqfd, int fd)
{
	struct virqfd *virqfd;
	struct eventfd_ctx *ctx;
	int err;

	ctx = eventfd_ctx_fdget(task, fd, &err);
	if (!ctx)
		return iommu_refuse(
			m, err, "vfio_virqfd_enable", "fd %d is %s", fd,
			err == -EBADF ? "not open" : "not an eventfd");
	if (*pvirqfd) {
		eventfd_ctx_put(ctx);
		return iommu_refuse(m, -EBUSY, "vfio_virqfd_enable",
				    "an unmask eventfd is already set");
	}
	virqfd = g_new0(struct virqfd, 1);
	virqfd->eventfd = ctx;
	virqfd->pvirqfd = pvirqfd;
	virqfd->handler = handler;
	virqfd->opaque = opaque;
	virqfd->data = data;
	virqfd_install(virqfd);
	if (eventfd_add_wait_queue(ctx, &virqfd->wait))
		handler(opaque, data);
	return 0;
}

/* vfio_virqfd_disable(): none is fine */
void vfio_virqfd_disable(struct virqfd **pvirqfd)
{
	struct virqfd *virqfd = *pvirqfd;

	if (!virqfd)
		return;
	*pvirqfd = NULL;
	virqfd_shutdown(virqfd);
}

/* A copy of @o for the copied machine: the same handler on the copy of
 * its eventfd, for @opaque's @data, owned by *@pvirqfd */
struct virqfd *vfio_virqfd_copy(struct iommu_copy *c, const struct virqfd *o,
				void *opaque, void *data,
				struct virqfd **pvirqfd)
{
	struct virqfd *n;

	if (!o)
		return NULL;
	n = g_new0(struct virqfd, 1);
	n->eventfd = iommufd_copy_eventfd(c, o->eventfd);
	n->pvirqfd = pvirqfd;
	n->handler = o->handler;
	n->opaque = opaque;
	n->data = data;
	virqfd_install(n);
	eventfd_add_wait_queue(n->eventfd, &n->wait);
	return n;
}
