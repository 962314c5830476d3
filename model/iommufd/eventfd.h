/* SPDX-License-Identifier: MIT */
/*
 * eventfd.h - the part of Linux 7.3's fs/eventfd.c a driver's interrupt
 * reaches: an eventfd file of a process (eventfd2() with EFD_NONBLOCK),
 * its counter, the context a driver takes by fd and signals.
 *
 * Ownership: the file holds one reference on its ctx; a driver that
 * takes the ctx (eventfd_ctx_fdget()) holds another until it puts it, so
 * a trigger outlives the user's close of the fd, as in the kernel.
 */
#ifndef IOMMUSIM_MODEL_IOMMUFD_EVENTFD_H
#define IOMMUSIM_MODEL_IOMMUFD_EVENTFD_H

#include "iommufd/process.h"

/* A wait queue entry on an eventfd (wait_queue_entry_t with its wake
 * function, as a virqfd installs through vfs_poll()): told of each
 * write or signal (EPOLLIN) and of the file's release (EPOLLHUP), in
 * the call that causes it. The waiter embeds it. */
#define EVENTFD_POLLIN 0x001u  /* EPOLLIN */
#define EVENTFD_POLLHUP 0x010u /* EPOLLHUP */
struct eventfd_wait {
	void (*wake)(struct eventfd_wait *w, unsigned int events);
};

struct eventfd_ctx {
	unsigned int refs; /* kref: the file's, each driver's */
	u64 count;
	GList *wqh; /* struct eventfd_wait, the newest first (ctx->wqh) */
	/* A real eventfd behind it (a preload shim's: the program's own
	 * fd): @signal is told of each eventfd_signal(), @release when the
	 * last reference goes. NULL for a modelled one. */
	void (*signal)(void *data);
	void (*release)(void *data);
	void *data;
};

/* eventfd2(0, EFD_NONBLOCK): the new fd of @p, or -errno */
int eventfd_create(struct process *p);
/* A file standing for a real eventfd, whose signals go to @signal(@data)
 * and whose last put calls @release(@data) */
struct file *eventfd_file_external(void (*signal)(void *data),
				   void (*release)(void *data), void *data);
/* eventfd_ctx_fdget(): a reference on the ctx of @p's fd @fd, or
 * *err = -EBADF (no such fd) / -EINVAL (not an eventfd) and NULL */
struct eventfd_ctx *eventfd_ctx_fdget(struct process *p, int fd, int *err);
void eventfd_ctx_put(struct eventfd_ctx *ctx);
/* eventfd_signal(): the counter + 1 (saturating), the real fd told */
void eventfd_signal(struct eventfd_ctx *ctx);
/* add_wait_queue() through eventfd_poll(): whether the counter was
 * non-zero (EPOLLIN), which the waiter handles itself */
bool eventfd_add_wait_queue(struct eventfd_ctx *ctx, struct eventfd_wait *w);
/* eventfd_ctx_remove_wait_queue(): the counter read (and zeroed) and @w
 * taken off */
void eventfd_ctx_remove_wait_queue(struct eventfd_ctx *ctx,
				   struct eventfd_wait *w);
/* eventfd_ctx_do_read(): the counter, then 0 (no EFD_SEMAPHORE) */
u64 eventfd_ctx_do_read(struct eventfd_ctx *ctx);
/* whether @f is an eventfd's (f_op == &eventfd_fops) */
bool is_eventfd_file(const struct file *f);

#endif
