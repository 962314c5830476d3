// SPDX-License-Identifier: MIT
/*
 * ifd.c - the iommufd side of a run: the process that opens /dev/iommu
 * (its memory, capabilities and memlock limit), its ctx fds, the devices
 * VFIO has bound through iommufd_device_bind(), the handle types that name
 * them, and the verbs around the ioctls (open, close, fork and exit, the
 * kernel side of VFIO's bind/attach/detach). The process's memory and
 * credentials are ifd_process.c; the ioctls ifd_uapi.c; the checks
 * ifd_checks.c. No kernel behaviour here: every verb calls the model's
 * entry point.
 */
#include <string.h>

#include "runner.h"
#include "model/core/kerrno.h"
#include "model/iommufd/iommufd.h"
#include "model/pt/physmem.h"
#include "model/state.h"
#include "model/vfio/vfio.h"
#include "ifd_private.h"
#include "model/copy.h"

/* Where buffers go when the scenario does not say: user VAs from 256
 * MiB, PAs from 4 GiB (below physmem's table region), each 2 MiB aligned
 * with a 2 MiB gap so no two buffers are contiguous. */
#define IFD_VA_BASE 0x10000000ull
#define IFD_PA_BASE 0x100000000ull

/* @r's iommufd side, with @task as its process (charged to @r's model) */
static struct sim_ifd *ifd_new(struct runner *r, struct process *task)
{
	r->ifd = g_new0(struct sim_ifd, 1);
	r->ifd->task = task;
	process_charge_to(r->ifd->task, r->m);
	r->ifd->ctxs = g_ptr_array_new();
	r->ifd->idevs = g_ptr_array_new();
	r->ifd->next_va = IFD_VA_BASE;
	r->ifd->next_pa = IFD_PA_BASE;
	return r->ifd;
}

struct sim_ifd *ifd_state(struct runner *r)
{
	return r->ifd ? r->ifd : ifd_new(r, process_new());
}

struct process *ifd_task(struct runner *r)
{
	return ifd_state(r)->task;
}

struct process *ifd_parent(struct runner *r)
{
	return ifd_state(r)->parent;
}

/* The calling process's fd on @c: the child's between fork and exit */
static bool *ctx_fd(struct sim_ifd *s, struct sim_ctx *c)
{
	return s->parent ? &c->child_open : &c->open;
}

/* A ctx's last file reference went: the model freed it. */
static void ctx_put(struct sim_ctx *c, void (*put)(void *), void *arg)
{
	bool last = iommufd_view_file_refs(c->ictx) == 1;

	put(arg);
	if (last)
		c->ictx = NULL;
}

/* A ctx released under an fd still open (a posted version's extra put):
 * the number stays taken, its file names no ctx any more */
static void ctx_fd_orphan(struct process *task, struct sim_ctx *c)
{
	struct file *f = process_file_at(task, c->fd);

	if (f && iommufd_ctx_from_file(f) == c->ictx)
		f->private_data = NULL;
}

/*
 * A ctx can also go by a reference the runner does not hold itself: a
 * VFIO device file bound to it unbinds at its last close
 * (vfio_df_unbind_iommufd() -> iommufd_ctx_put()), with the ctx's own fd
 * closed before. After every step the ctxs the model has released are
 * forgotten here (ictx NULL), before anything reads them.
 */
void ifd_forget_released(struct runner *r)
{
	for (guint i = 0; r->ifd && i < r->ifd->ctxs->len; i++) {
		struct sim_ctx *c = r->ifd->ctxs->pdata[i];

		if (c->ictx && !iommufd_ctx_live(r->m, c->ictx)) {
			ctx_fd_orphan(r->ifd->task, c);
			if (r->ifd->parent)
				ctx_fd_orphan(r->ifd->parent, c);
			c->ictx = NULL;
		}
	}
}

static void unbind_put(void *arg)
{
	iommufd_device_unbind(arg);
}

static void close_put(void *arg)
{
	iommufd_fops_close(arg);
}

void ifd_free(struct runner *r)
{
	struct sim_ifd *s = r->ifd;

	if (!s)
		return;
	if (s->parent) /* a child still running exits first */
		op_exit(r, NULL);
	/* process exit: VFIO closes each device (detach, unbind), then the
	 * fds go */
	for (guint i = s->idevs->len; i-- > 0;) {
		struct sim_idev *d = s->idevs->pdata[i];

		if (d->live) {
			iommufd_device_detach(d->idev, IOMMU_NO_PASID);
			ctx_put(d->ctx, unbind_put, d->idev);
		}
		g_free(d);
	}
	for (guint i = 0; i < s->ctxs->len; i++) {
		struct sim_ctx *c = s->ctxs->pdata[i];

		if (c->open)
			ctx_put(c, close_put, c->ictx);
		g_free(c->label);
		g_free(c);
	}
	spare_ptr_array_put(s->idevs);
	spare_ptr_array_put(s->ctxs);
	process_free(s->task);
	g_free(s);
	r->ifd = NULL;
}

bool ifd_in_key(struct runner *r)
{
	return r->ifd && (r->ifd->ctxs->len || r->ifd->parent ||
			  !process_is_new(r->ifd->task));
}

/* A ctx in a symmetric key: which process holds it open and at which fd,
 * not its label. The fd ties the ctx to its number in the process's
 * table (process_state_hash() has the numbers, not whose they are):
 * without it two ctxs created in one order could swap their fds unseen
 * (an fd freed below the first one before the second opens), and the
 * next open's number, or a close, tells those apart. */
static u64 ctx_place(u64 h, const struct sim_ctx *c)
{
	h = iommu_hash_mix(h, 0x637478ull | (u64)c->open << 32 |
				      (u64)c->child_open << 33);
	return iommu_hash_mix(h, c->open || c->child_open ? (u64)c->fd : ~0ull);
}

/* What ifd_snapshot() shows, hashed (an explorer's key): each live ctx
 * by its handle's label and its facts, then the process, then a forked
 * child; 0 where the snapshot is empty. With @c (a symmetric key):
 * without the labels, each ctx by its place among the live ones in
 * creation order (a label is the handle's name, which an explorer takes
 * from the step that opened it, as it names domains: the core's
 * symmetric key leaves those out too), its devices by their place in
 * @canon's order. */
u64 ifd_state_hash_canon(struct runner *r, const struct iommu_canon *canon)
{
	struct process *main;
	u64 h = 0;

	if (!ifd_in_key(r))
		return 0;
	main = r->ifd->parent ? r->ifd->parent : r->ifd->task;
	for (guint i = 0; i < r->ifd->ctxs->len; i++) {
		struct sim_ctx *c = r->ifd->ctxs->pdata[i];

		if (!c->ictx)
			continue;
		h = canon ? ctx_place(h, c) : iommu_hash_str(h, c->label);
		h = iommufd_state_hash_canon(c->ictx, h, canon);
	}
	h = process_state_hash(main, h);
	if (r->ifd->parent)
		h = process_state_hash(r->ifd->task, iommu_hash_mix(h, 1));
	return h;
}

u64 ifd_state_hash(struct runner *r)
{
	return ifd_state_hash_canon(r, NULL);
}

/* Each live ctx's iommufd_devices noted for @c's order, with the ctx's
 * place among the live ones */
void ifd_canon_note(struct runner *r, struct iommu_canon *c)
{
	u64 place = 0;

	for (guint i = 0; r->ifd && i < r->ifd->ctxs->len; i++) {
		struct sim_ctx *x = r->ifd->ctxs->pdata[i];

		if (x->ictx)
			iommufd_canon_note(x->ictx, c, ++place);
	}
}

/* Each live ctx's lines prefixed by its handle, then the process's:
 * model/iommufd/state.c's canonical text. */
static void prefixed(GString *s, const char *prefix, char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i]; i++) {
		if (*lines[i])
			g_string_append_printf(s, "%s: %s\n", prefix, lines[i]);
	}
	g_free(text);
}

/* Nothing when no ctx was opened and the process is as it started: most
 * scenarios never touch iommufd, and each step snapshots twice. */
void ifd_snapshot(struct runner *r, GString *s)
{
	struct process *main;

	if (!r->ifd || (!r->ifd->ctxs->len && !r->ifd->parent &&
			process_is_new(r->ifd->task)))
		return;
	main = r->ifd->parent ? r->ifd->parent : r->ifd->task;
	for (guint i = 0; i < r->ifd->ctxs->len; i++) {
		struct sim_ctx *c = r->ifd->ctxs->pdata[i];
		g_autofree char *prefix =
			g_strdup_printf("iommufd %s", c->label);

		if (c->ictx)
			prefixed(s, prefix, iommufd_state_snapshot(c->ictx));
	}
	prefixed(s, "process", process_state_snapshot(main));
	if (r->ifd->parent)
		prefixed(s, "process child",
			 process_state_snapshot(r->ifd->task));
}

static struct sim_ctx *ctx_find(struct runner *r, struct handle_ref ref);
static void *idev_lookup(struct runner *r, struct handle_ref ref);

struct iommufd_ctx *ifd_ctx_arg(struct runner *r, const struct statement *st,
				int *err)
{
	struct sim_ctx *c = handle_arg(r, st, "ictx", err);

	return c ? c->ictx : NULL;
}

struct iommufd_device *ifd_idev_peek(struct runner *r,
				     const struct statement *st)
{
	const struct arg *a = stmt_arg(st, "idev");
	struct handle *h = g_hash_table_lookup(r->handles, a->val.text);
	struct sim_idev *d = h ? idev_lookup(r, h->ref) : NULL;

	return d ? d->idev : NULL;
}

struct iommufd_ctx *ifd_ctx_peek(struct runner *r, const struct statement *st)
{
	const struct arg *a = stmt_arg(st, "ictx");
	struct handle *h = g_hash_table_lookup(r->handles, a->val.text);
	/* a check may look at a ctx whose fd is closed while something
	 * (a bound device, an event queue's file) still holds it */
	struct sim_ctx *c = h ? ctx_find(r, h->ref) : NULL;

	return c ? c->ictx : NULL;
}

/* ---- handle types ---- */

static struct handle_ref ctx_ref(void *obj)
{
	struct sim_ctx *c = obj;

	return (struct handle_ref){ .serial = (uintptr_t)c };
}

/* The sim_ctx behind @ref: any still in the list (ictx NULL once the
 * kernel released it) */
static struct sim_ctx *ctx_find(struct runner *r, struct handle_ref ref)
{
	struct sim_ctx *c = (struct sim_ctx *)(uintptr_t)ref.serial;

	return r->ifd && g_ptr_array_find(r->ifd->ctxs, c, NULL) ? c : NULL;
}

/* An ioctl needs the fd open in the calling process */
static void *ctx_lookup(struct runner *r, struct handle_ref ref)
{
	struct sim_ctx *c = ctx_find(r, ref);

	return c && *ctx_fd(r->ifd, c) ? c : NULL;
}

static void ctx_label(struct runner *r, void *obj, const char *name)
{
	struct sim_ctx *c = obj;

	g_free(c->label);
	c->label = g_strdup(name);
}

/* An iommufd ctx fd: the object is the open file, gone once closed. */
const struct handle_type ht_iommufd = {
	.name = "iommufd",
	.guest_prefix = "fd",
	.ref = ctx_ref,
	.lookup = ctx_lookup,
	.label = ctx_label,
};

static struct handle_ref idev_ref(void *obj)
{
	struct sim_idev *d = obj;

	return (struct handle_ref){ .serial = (uintptr_t)d };
}

static void *idev_lookup(struct runner *r, struct handle_ref ref)
{
	struct sim_idev *d = (struct sim_idev *)(uintptr_t)ref.serial;

	if (!r->ifd || !g_ptr_array_find(r->ifd->idevs, d, NULL))
		return NULL;
	if (d->resolve)
		d->idev = d->resolve(r, d->data);
	return d->live || d->idev ? d : NULL;
}

static void no_label(struct runner *r, void *obj, const char *name)
{
}

/* A bound device: its dev_id (a number the ioctls take) and the struct
 * iommufd_device VFIO keeps (what attach/detach/unbind take). */
const struct handle_type ht_idev = {
	.name = "device",
	.guest_prefix = "dev",
	.numeric = true,
	.ref = idev_ref,
	.lookup = idev_lookup,
	.label = no_label,
};

/* Object ids: numbers the kernel looks up (a stale or wrong-typed one is
 * its ENOENT), typed so a scenario cannot mix them up by mistake; write
 * the number to hand the kernel a wrong one on purpose. */
#define ID_TYPE(var, n, prefix)                                                \
	const struct handle_type var = { .name = n,                            \
					 .guest_prefix = prefix,               \
					 .numeric = true }
ID_TYPE(ht_ioas, "ioas", "ioas");
ID_TYPE(ht_hwpt, "hwpt", "hwpt");
ID_TYPE(ht_viommu, "viommu", "viommu");
ID_TYPE(ht_vdevice, "vdevice", "vdevice");
ID_TYPE(ht_veventq, "veventq", "veventq");
ID_TYPE(ht_hw_queue, "hw_queue", "hwq");
ID_TYPE(ht_fault, "fault", "fault");
/* IOMMU_TEST_CMD's selftest object (a mock device bound and attached) */
ID_TYPE(ht_stdev, "selftest", "stdev");
/* user VAs and memfd numbers: compared through mappings in a guest */
ID_TYPE(ht_buffer, "buffer", "va");
/* a file descriptor of the process: a memfd, an event queue's file */
const struct handle_type ht_memfd = {
	.name = "fd", .guest_prefix = "mfd", .numeric = true, .fd = true
};
/* IOMMU_TEST_CMD's access object: the fd of its anon-inode file, which
 * later commands name as their id (a number the ioctl looks up with
 * fget(), not an iommufd object id); its own guest prefix, so the guest
 * is given the agent's own fd for it and not the model's number
 * (hw/crosscheck/program.c hw_names_from_run()) */
const struct handle_type ht_access_fd = {
	.name = "access fd", .guest_prefix = "afd", .numeric = true, .fd = true
};
/* an access's pinned range (ACCESS_PAGES' out_access_pages_id) */
ID_TYPE(ht_access_pages, "access pages", "apages");
const struct handle_type ht_anyid = { .name = "iommufd object",
				      .guest_prefix = "id",
				      .numeric = true,
				      .any_numeric = true };

/* ---- the verbs around the ioctls ---- */

/* open("/dev/iommu"): iommufd_fops_open(), if the kernel has the node */
int op_iommufd_open(struct runner *r, const struct statement *st)
{
	struct sim_ifd *s = ifd_state(r);
	struct sim_ctx *c;
	struct iommufd_ctx *ictx;
	struct file *filp;
	int fd, ret = iommufd_dev_open(r->m, &ictx);

	if (ret)
		return ret;
	fd = iommufd_fd_install(s->task, ictx, &filp);
	if (fd < 0) {
		iommufd_fops_close(ictx);
		return fd;
	}
	c = g_new0(struct sim_ctx, 1);
	c->ictx = ictx;
	c->fd = fd;
	*ctx_fd(s, c) = true;
	c->label = g_strdup_printf("#%u", s->ctxs->len);
	g_ptr_array_add(s->ctxs, c);
	op_out(r, "out_fd", c, (u64)fd);
	return 0;
}

/* The ctx's file out of @task's table (the number is free again) */
static void ctx_fd_remove(struct process *task, struct sim_ctx *c)
{
	struct file *f = process_file_at(task, c->fd);

	if (f && iommufd_ctx_from_file(f) == c->ictx)
		process_fd_remove(task, c->fd, f);
}

/* close(fd): the opener's reference; bound devices keep the ctx */
int op_iommufd_close(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct sim_ctx *c;

	if (handle_closed(r, st, "ictx")) /* as close fd= (op_close_fd()) */
		return iommu_refuse(r->m, -EBADF, "close_fd",
				    "$%s was closed already",
				    stmt_arg(st, "ictx")->val.text);
	c = handle_arg(r, st, "ictx", &err);
	if (err)
		return err;
	*ctx_fd(r->ifd, c) = false;
	ctx_fd_remove(r->ifd->task, c);
	ctx_put(c, close_put, c->ictx);
	return 0;
}

/* ---- a second process: fork ... exit ---- */

struct fork_copy {
	struct iommu_model *m;
	u64 lo, base; /* the parent's lowest PA, the child's copy of it */
};

/* The child's copy of the parent's page at @pa (COW, broken when it
 * writes or pins it): the same layout moved above every PA in use, with
 * the bytes DMA left there */
static u64 fork_copy_pa(u64 pa, void *data)
{
	struct fork_copy *fc = data;
	u64 copy = fc->base + (pa - fc->lo);
	unsigned char page[PROCESS_PAGE_SIZE];
	static const unsigned char zero[PROCESS_PAGE_SIZE];

	if (!physmem_read(fc->m->physmem, pa, page, sizeof(page)) &&
	    memcmp(page, zero, sizeof(page)))
		physmem_write(fc->m->physmem, copy, page, sizeof(page));
	return copy;
}

/* The PAs the child's copies take: [base, base + hi - lo) */
static void fork_copy_range(struct sim_ifd *s, struct fork_copy *fc)
{
	u64 lo = UINT64_MAX, hi = 0;

	for (guint i = 0; i < s->task->vmas->len; i++) {
		const struct vma *v = s->task->vmas->pdata[i];

		for (u64 p = 0; p < v->length / PROCESS_PAGE_SIZE; p++) {
			lo = MIN(lo, v->page_pa[p]);
			hi = MAX(hi, v->page_pa[p] + PROCESS_PAGE_SIZE);
		}
	}
	if (!hi)
		lo = hi = s->next_pa;
	fc->lo = lo;
	fc->base = ROUND_UP(MAX(s->next_pa, hi), SZ_2M) + SZ_2M;
	s->next_pa = ROUND_UP(fc->base + (hi - lo), SZ_2M) + SZ_2M;
}

/* fork(): the steps up to exit run in the child (kernel/fork.c
 * copy_process(): process_fork()); each open /dev/iommu is one more
 * reference on its file (dup_fd()) */
int op_fork(struct runner *r, const struct statement *st)
{
	struct sim_ifd *s = ifd_state(r);
	struct fork_copy fc = { .m = r->m };

	if (s->parent) /* the validator allows one child at a time */
		return iommu_refuse(r->m, IOMMU_UB, "fork", "a child runs");
	fork_copy_range(s, &fc);
	s->parent = s->task;
	s->task = process_fork(s->parent, fork_copy_pa, &fc);
	for (guint i = 0; i < s->ctxs->len; i++) {
		struct sim_ctx *c = s->ctxs->pdata[i];

		c->child_open = c->open;
		if (c->open)
			iommufd_fops_dup(c->ictx);
	}
	return 0;
}

/* exit() of the child (do_exit(): exit_mm(), exit_files()), and the
 * parent's waitpid() returns: the steps after it are the parent's. An
 * /dev/iommu whose last reference was the child's is released here. */
int op_exit(struct runner *r, const struct statement *st)
{
	struct sim_ifd *s = ifd_state(r);

	if (!s->parent) /* the validator allows no exit without a fork */
		return iommu_refuse(r->m, IOMMU_UB, "exit", "no forked child");
	for (guint i = 0; i < s->ctxs->len; i++) {
		struct sim_ctx *c = s->ctxs->pdata[i];

		if (c->child_open) {
			c->child_open = false;
			ctx_put(c, close_put, c->ictx);
		}
	}
	process_free(s->task);
	s->task = s->parent;
	s->parent = NULL;
	return 0;
}

struct iommufd_ctx *ifd_ctx_of(void *ctx)
{
	return ((struct sim_ctx *)ctx)->ictx;
}

int ifd_ctx_vfio_fd(struct runner *r, void *ctx)
{
	(void)r;
	return ((struct sim_ctx *)ctx)->fd;
}

struct close_arg {
	struct process *task;
	int fd;
	int ret;
};

static void close_fd_put(void *arg)
{
	struct close_arg *a = arg;

	a->ret = process_close_fd(a->task, a->fd);
}

/* close(fd) of a process file: an event queue's file holds its ctx
 * (iommufd_eventq_init()), so closing it can be the ctx's last put */
int op_close_fd(struct runner *r, const struct statement *st)
{
	struct sim_ifd *s = ifd_state(r);
	struct close_arg a = { .task = ifd_task(r),
			       .fd = (int)handle_num(r, st, "fd") };
	struct iommufd_ctx *ictx;
	struct file *f;

	/* the runner's, as the guest agent's: a handle closed once is not
	 * closed again (its number may name another file since) */
	if (handle_closed(r, st, "fd"))
		return iommu_refuse(r->m, -EBADF, "close_fd",
				    "$%s was closed already",
				    stmt_arg(st, "fd")->val.text);
	ictx = iommufd_file_ctx(a.task, a.fd);
	f = fget(a.task, a.fd);

	/* a file a forked child shares is not released by one close */
	if (f && f->refs > 2)
		ictx = NULL;
	fput(f);
	for (guint i = 0; ictx && i < s->ctxs->len; i++) {
		struct sim_ctx *c = s->ctxs->pdata[i];

		if (c->ictx == ictx) {
			ctx_put(c, close_fd_put, &a);
			goto out;
		}
	}
	close_fd_put(&a);
out:
	if (!a.ret)
		handles_fd_closed(r, (uint64_t)a.fd);
	return a.ret;
}

/* ---- the kernel side of VFIO's bind, attach, detach ---- */

static struct sim_idev *idev_arg(struct runner *r, const struct statement *st,
				 int *err)
{
	struct sim_idev *d;

	if (stmt_arg(st, "idev")->val.kind == VAL_NUMBER) {
		*err = iommu_refuse(r->m, IOMMU_UB, st->verb,
				    "idev= takes the handle a bind bound: the "
				    "kernel API takes VFIO's struct "
				    "iommufd_device pointer, not an id");
		return NULL;
	}
	d = handle_arg(r, st, "idev", err);
	if (d && d->resolve) {
		*err = iommu_refuse(
			r->m, IOMMU_UB, st->verb,
			"$%s was bound by VFIO_DEVICE_BIND_IOMMUFD: "
			"VFIO's iommufd_device, which only VFIO "
			"attaches, detaches and unbinds",
			stmt_arg(st, "idev")->val.text);
		return NULL;
	}
	return d;
}

void *ifd_idev_resolved(struct runner *r,
			struct iommufd_device *(*resolve)(struct runner *r,
							  void *data),
			void *data)
{
	struct sim_idev *d = g_new0(struct sim_idev, 1);

	d->resolve = resolve;
	d->data = data;
	g_ptr_array_add(ifd_state(r)->idevs, d);
	return d;
}

/* iommufd_device_bind(), as vfio_iommufd_physical_bind() calls it */
int op_idev_bind(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct sim_ctx *c = handle_arg(r, st, "ictx", &err);
	struct iommufd_device *idev;
	struct sim_idev *d;
	u32 id = 0;

	if (err)
		return err;
	err = iommufd_device_bind(c->ictx, arg_dev(r, st, "dev"), &id, &idev);
	if (err)
		return err;
	d = g_new0(struct sim_idev, 1);
	d->idev = idev;
	d->ctx = c;
	d->live = true;
	g_ptr_array_add(ifd_state(r)->idevs, d);
	op_out(r, "out_dev_id", d, id);
	return 0;
}

/* the RID's (IOMMU_NO_PASID): a PASID goes through VFIO's or the
 * selftest's uapi */
typedef int (*pt_fn)(struct iommufd_device *idev, u32 pasid, u32 *pt_id);

static int idev_pt_op(struct runner *r, const struct statement *st, pt_fn fn)
{
	int err = 0;
	struct sim_idev *d = idev_arg(r, st, &err);
	u32 pt_id = (u32)handle_num(r, st, "pt_id");

	if (err)
		return err;
	err = fn(d->idev, IOMMU_NO_PASID, &pt_id);
	if (!err)
		op_out(r, "out_pt_id", NULL, pt_id);
	return err;
}

int op_idev_attach(struct runner *r, const struct statement *st)
{
	return idev_pt_op(r, st, iommufd_device_attach);
}

int op_idev_replace(struct runner *r, const struct statement *st)
{
	return idev_pt_op(r, st, iommufd_device_replace);
}

int op_idev_detach(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct sim_idev *d = idev_arg(r, st, &err);

	return err ? err : iommufd_device_detach(d->idev, IOMMU_NO_PASID);
}

int op_idev_unbind(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct sim_idev *d = idev_arg(r, st, &err);

	if (err)
		return err;
	d->live = false;
	ctx_put(d->ctx, unbind_put, d->idev);
	d->idev = NULL; /* freed: the handle is stale from here on */
	return 0;
}

struct iommufd_ctx *ifd_ctx_nth(struct runner *r, guint i, const char **label,
				bool *open, bool *more)
{
	const struct sim_ctx *c;

	*more = r->ifd && i < r->ifd->ctxs->len;
	if (!*more)
		return NULL;
	c = r->ifd->ctxs->pdata[i];
	*label = c->label;
	*open = c->open;
	return c->ictx;
}
