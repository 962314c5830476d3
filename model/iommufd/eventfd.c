// SPDX-License-Identifier: MIT
/*
 * eventfd.c - eventfd files and their ctx (Linux 7.3 fs/eventfd.c), as
 * far as a driver signalling one and the process reading it go: always
 * non-blocking (a modelled read that would wait has nobody to wake it).
 */
#include "iommufd/eventfd.h"
#include "core/kerrno.h"

void eventfd_ctx_put(struct eventfd_ctx *ctx)
{
	if (!ctx || --ctx->refs)
		return;
	if (ctx->release)
		ctx->release(ctx->data);
	g_free(ctx);
}

/* wake_up_poll(): every waiter told, each free to take itself off */
static void eventfd_wake(struct eventfd_ctx *ctx, unsigned int events)
{
	GList *l = ctx->wqh;

	while (l) {
		struct eventfd_wait *w = l->data;

		l = l->next;
		w->wake(w, events);
	}
}

/* eventfd_release(): the waiters told of the hang-up, the file's
 * reference put */
static void eventfd_file_release(void *priv)
{
	eventfd_wake(priv, EVENTFD_POLLHUP);
	eventfd_ctx_put(priv);
}

bool eventfd_add_wait_queue(struct eventfd_ctx *ctx, struct eventfd_wait *w)
{
	ctx->wqh = g_list_prepend(ctx->wqh, w);
	return ctx->count > 0;
}

u64 eventfd_ctx_do_read(struct eventfd_ctx *ctx)
{
	u64 cnt = ctx->count;

	ctx->count = 0;
	return cnt;
}

void eventfd_ctx_remove_wait_queue(struct eventfd_ctx *ctx,
				   struct eventfd_wait *w)
{
	eventfd_ctx_do_read(ctx);
	ctx->wqh = g_list_remove(ctx->wqh, w);
}

/* eventfd_read() of a non-semaphore eventfd: the counter, then 0; -EAGAIN
 * while it is 0 (O_NONBLOCK), -EINVAL for less than 8 bytes */
static ssize_t eventfd_read(void *priv, struct process *task, u64 ubuf,
			    u64 count)
{
	struct eventfd_ctx *ctx = priv;
	u64 ucnt = ctx->count;
	int ret;

	if (count < sizeof(ucnt))
		return -EINVAL;
	if (!ucnt)
		return -EAGAIN;
	ret = process_copy_to_user(task, ubuf, &ucnt, sizeof(ucnt));
	if (ret)
		return ret;
	ctx->count = 0;
	return sizeof(ucnt);
}

/* eventfd_write(): adds the value; ULLONG_MAX itself -EINVAL, a sum that
 * would reach it -EAGAIN (O_NONBLOCK) */
static ssize_t eventfd_write(void *priv, struct process *task, u64 ubuf,
			     u64 count)
{
	struct eventfd_ctx *ctx = priv;
	u64 ucnt;

	if (count != sizeof(ucnt))
		return -EINVAL;
	if (process_copy_from_user(task, &ucnt, ubuf, sizeof(ucnt)))
		return -EFAULT;
	if (ucnt == ~0ull)
		return -EINVAL;
	if (~0ull - ctx->count <= ucnt)
		return -EAGAIN;
	ctx->count += ucnt;
	eventfd_wake(ctx, EVENTFD_POLLIN); /* even for 0 */
	return sizeof(ucnt);
}

/* a modelled eventfd is read and written here; a real one's stand-in
 * has no ops: its reads and writes are the real fd's */
static struct file *eventfd_file(struct eventfd_ctx *ctx)
{
	struct file *f =
		anon_inode_getfile("[eventfd]", eventfd_file_release, ctx);

	if (!ctx->signal) {
		f->read = eventfd_read;
		f->write = eventfd_write;
	}
	return f;
}

int eventfd_create(struct process *p)
{
	struct eventfd_ctx *ctx = g_new0(struct eventfd_ctx, 1);
	struct file *f;
	int fd;

	ctx->refs = 1;
	f = eventfd_file(ctx);
	fd = process_fd_install(p, f);
	if (fd < 0)
		fput(f);
	return fd;
}

struct file *eventfd_file_external(void (*signal)(void *data),
				   void (*release)(void *data), void *data)
{
	struct eventfd_ctx *ctx = g_new0(struct eventfd_ctx, 1);

	ctx->refs = 1;
	ctx->signal = signal;
	ctx->release = release;
	ctx->data = data;
	return eventfd_file(ctx);
}

bool is_eventfd_file(const struct file *f)
{
	return f && f->release == eventfd_file_release;
}

struct eventfd_ctx *eventfd_ctx_fdget(struct process *p, int fd, int *err)
{
	struct file *f = fget(p, fd);
	struct eventfd_ctx *ctx = NULL;

	*err = 0;
	if (!f)
		*err = -EBADF;
	else if (!is_eventfd_file(f))
		*err = -EINVAL; /* eventfd_ctx_fileget(): f_op differs */
	else
		ctx = f->private_data;
	if (ctx)
		ctx->refs++;
	fput(f);
	return ctx;
}

/* eventfd_signal() -> eventfd_signal_mask(): the counter stops at
 * ULLONG_MAX; the waiters woken (a virqfd on the same eventfd reads it
 * at once) */
void eventfd_signal(struct eventfd_ctx *ctx)
{
	if (ctx->count < ~0ull)
		ctx->count++;
	if (ctx->signal)
		ctx->signal(ctx->data);
	eventfd_wake(ctx, EVENTFD_POLLIN);
}
