// SPDX-License-Identifier: MIT
/*
 * vfio.c - the handlers of the VFIO rows (optable_vfio.h): the trace's
 * view of VFIO's nodes, the node check, and VFIO's files: open of a node,
 * close, and the ioctls by their uapi names, each filling its uapi
 * struct (model/vfio/uapi.h) and calling the model's one dispatcher,
 * vfio_ioctl() (an iommufd fd's, iommufd_ioctl(), for the container
 * ioctls it answers). The process is iommufd's (ifd.c: its memory,
 * capabilities, memlock limit). Nothing here knows a kernel rule.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"
#include "model/core/kerrno.h"
#include "model/iommufd/iommufd.h"
#include "model/vfio/uapi.h"
#include "model/vfio/vfio.h"
#include "vfio_args.h"
#include "vfio_call.h"

int op_vfio_nodes(struct runner *r, const struct statement *st)
{
	(void)st;
	r->step->detail = vfio_nodes_view(r->m);
	return 0;
}

/* exists=0|1: the path (a node, a sysfs entry, or a directory of them) */
void chk_vfio_node_exists(struct runner *r, const struct statement *st,
			  const struct arg *a, struct mismatch *mm)
{
	const char *path = arg_str(st, "path", "");

	expect_num(mm, path, a->val.num, vfio_node_exists(r->m, path));
}

/* content=TEXT: what the sysfs file reads ("(none)" if unreadable) */
void chk_vfio_node_content(struct runner *r, const struct statement *st,
			   const struct arg *a, struct mismatch *mm)
{
	const char *path = arg_str(st, "path", "");
	g_autofree char *got = vfio_sysfs_read(r->m, path);

	expect_str(mm, path, a->val.text, got ? got : "(none)");
}

/* ---- the noiommu parameter and the kernel's taint ---- */

int op_module_param_write(struct runner *r, const struct statement *st)
{
	return vfio_noiommu_param_store(r->m, arg_str(st, "value", ""));
}

/* value=Y|N|none: what the parameter's file reads (none: no file) */
void chk_module_param_value(struct runner *r, const struct statement *st,
			    const struct arg *a, struct mismatch *mm)
{
	const char *got = vfio_noiommu_param_show(r->m);

	expect_str(mm, arg_str(st, "param", ""), a->val.text,
		   got ? got : "none");
}

/* user=0|1: TAINT_USER, which add_taint() sets for a noiommu group
 * (group.c vfio_group_find_or_alloc()) or cdev (__vfio_register_dev()) */
void chk_taint_user(struct runner *r, const struct statement *st,
		    const struct arg *a, struct mismatch *mm)
{
	expect_num(mm, "TAINT_USER", a->val.num, vfio_tainted(r->m));
}

/* The taint into the run's state: a user sees it in
 * /proc/sys/kernel/tainted, and where a posted version taints and 7.3
 * does not, diff shows the step that did it */
void vfio_snapshot(struct runner *r, GString *s)
{
	if (vfio_tainted(r->m))
		g_string_append(s, "kernel: tainted U (TAINT_USER)\n");
}

/* ---- VFIO's files: open, close, the ioctls ---- */

/* An open of a VFIO node (or a device fd from VFIO_GROUP_GET_DEVICE_FD):
 * f is NULL once closed. */
struct sim_vfile {
	struct vfio_file *f;
	char *label;
};

struct sim_vfio {
	GPtrArray *files; /* struct sim_vfile *: a handle's ref */
};

static struct sim_vfio *vfio_state(struct runner *r)
{
	if (!r->vfio) {
		r->vfio = g_new0(struct sim_vfio, 1);
		r->vfio->files = g_ptr_array_new();
	}
	return r->vfio;
}

static gint by_fd(gconstpointer a, gconstpointer b)
{
	const struct sim_vfile *x = *(struct sim_vfile *const *)a;
	const struct sim_vfile *y = *(struct sim_vfile *const *)b;

	return (x->f ? vfio_file_fd(x->f) : -1) -
	       (y->f ? vfio_file_fd(y->f) : -1);
}

void vfio_sim_copy(struct runner *to, const struct runner *r,
		   struct iommu_copy *c, GHashTable **objs)
{
	const struct sim_vfio *s = r->vfio;

	if (!s)
		return;
	to->vfio = g_new0(struct sim_vfio, 1);
	to->vfio->files = g_ptr_array_sized_new(s->files->len);
	for (guint i = 0; i < s->files->len; i++) {
		const struct sim_vfile *o = s->files->pdata[i];
		struct sim_vfile *n = g_new0(struct sim_vfile, 1);

		n->f = iommu_copy_find(c, o->f); /* NULL once closed */
		n->label = g_strdup(o->label);
		copy_note(objs, o, n);
		g_ptr_array_add(to->vfio->files, n);
	}
}

void vfio_sim_discard(struct runner *r)
{
	struct sim_vfio *s = r->vfio;

	if (!s)
		return;
	for (guint i = 0; i < s->files->len; i++) {
		struct sim_vfile *v = s->files->pdata[i];

		g_free(v->label);
		g_free(v);
	}
	g_ptr_array_free(s->files, TRUE);
	g_free(s);
	r->vfio = NULL;
}

void vfio_sim_free(struct runner *r)
{
	struct sim_vfio *s = r->vfio;

	if (!s)
		return;
	g_ptr_array_sort(s->files, by_fd);
	for (guint i = 0; i < s->files->len; i++) {
		struct sim_vfile *v = s->files->pdata[i];

		vfio_close(v->f);
		g_free(v->label);
		g_free(v);
	}
	g_ptr_array_free(s->files, TRUE);
	g_free(s);
	r->vfio = NULL;
}

static struct handle_ref vfile_ref(void *obj)
{
	return (struct handle_ref){ .serial = (uintptr_t)obj };
}

static void *vfile_lookup(struct runner *r, struct handle_ref ref)
{
	struct sim_vfile *v = (struct sim_vfile *)(uintptr_t)ref.serial;

	return r->vfio && g_ptr_array_find(r->vfio->files, v, NULL) && v->f
		       ? v
		       : NULL;
}

static void vfile_label(struct runner *r, void *obj, const char *name)
{
	struct sim_vfile *v = obj;

	g_free(v->label);
	v->label = g_strdup(name);
}

/* A VFIO file: a container, group or device fd; which it is is the
 * model's (an ioctl on the wrong kind answers as the kernel does). */
const struct handle_type ht_vfio_fd = {
	.name = "vfio fd",
	.guest_prefix = "fd",
	.ref = vfile_ref,
	.lookup = vfile_lookup,
	.label = vfile_label,
};

static void vfile_out(struct runner *r, const char *key, struct vfio_file *f)
{
	struct sim_vfile *v = g_new0(struct sim_vfile, 1);

	v->f = f;
	g_ptr_array_add(vfio_state(r)->files, v);
	op_out(r, key, v, vfio_file_fd(f));
}

/* open(path=, or the node of group_of='s group or of cdev_of='s cdev) */
int op_vfio_open(struct runner *r, const struct statement *st)
{
	g_autofree char *path = NULL;
	struct vfio_file *f;
	int ret;

	if (arg_has(st, "group_of"))
		path = vfio_group_node_of(r->m, arg_dev(r, st, "group_of"));
	else if (arg_has(st, "cdev_of"))
		path = vfio_cdev_node_of(r->m, arg_dev(r, st, "cdev_of"));
	else
		path = g_strdup(arg_str(st, "path", ""));
	if (!path)
		return iommu_refuse(r->m, -ENOENT, st->verb,
				    "the device has no such node");
	ret = vfio_open(r->m, ifd_task(r), path, &f);
	if (ret)
		return ret;
	vfile_out(r, "out_fd", f);
	return 0;
}

int op_vfio_close(struct runner *r, const struct statement *st)
{
	struct sim_vfile *v;
	int err = 0;

	/* the runner's rule, the guest agent's too: a handle closed once is
	 * not closed again (its number may name another file since) */
	if (handle_closed(r, st, "fd"))
		return iommu_refuse(r->m, -EBADF, "close_fd",
				    "$%s was closed already",
				    stmt_arg(st, "fd")->val.text);
	v = handle_arg(r, st, "fd", &err);
	if (err)
		return err;
	err = vfio_close(v->f);
	v->f = NULL;
	return err;
}

/* The file fd= names: a VFIO file, or an iommufd ctx (whose fd answers
 * the container ioctls: iommufd_fops_ioctl() -> iommufd_vfio_ioctl()) */
struct vtarget {
	struct vfio_file *f;
	struct iommufd_ctx *ictx;
};

/*
 * A closed handle's number, as the guest agent passes it: the file the
 * process's one table holds there now, a VFIO or /dev/iommu file; any
 * other has no ioctl of theirs (fs/ioctl.c vfs_ioctl(): an eventfd, a
 * memfd, an event queue's file have no unlocked_ioctl, a dma-buf's
 * dma_buf_ioctl() knows none of these: -ENOTTY), and none is -EBADF
 */
/* The VFIO or iommufd file at number @fd; else -ENOTTY or -EBADF, said
 * as @func's refusal (NULL: the caller says its own) */
static int vtarget_number(struct runner *r, int fd, struct vtarget *t,
			  const char *func)
{
	struct process *task = ifd_task(r);
	struct file *f = process_file_at(task, fd);

	t->f = vfio_file_at(task, fd);
	t->ictx = iommufd_ctx_from_file(f);
	if (t->f || t->ictx)
		return 0;
	if (!func)
		return f ? -ENOTTY : -EBADF;
	return iommu_refuse(r->m, f ? -ENOTTY : -EBADF, func, "fd %d is %s", fd,
			    f ? "neither a VFIO nor an iommufd file"
			      : "not open");
}

/* @t's ioctl (@ret: how finding @t went) through the model's one
 * dispatcher per file; *copied: the bytes of the struct a failed call
 * copied back */
static int vtarget_ioctl(struct runner *r, int ret, const struct vtarget *t,
			 unsigned int cmd, void *arg, size_t len,
			 struct vfio_file **out, size_t *copied)
{
	*copied = 0;
	if (ret)
		return ret;
	if (t->ictx)
		return iommufd_ioctl_copied(t->ictx, ifd_task(r), cmd, arg, len,
					    copied);
	return vfio_ioctl_copied(t->f, ifd_task(r), cmd, arg, len, out, copied);
}

int run_fd_ioctl(struct runner *r, int fd, unsigned int cmd, void *arg,
		 size_t len, size_t *copied)
{
	struct vtarget t;
	int ret = vtarget_number(r, fd, &t, "vfs_ioctl");

	return vtarget_ioctl(r, ret, &t, cmd, arg, len, NULL, copied);
}

/* @key's handle's file; a closed handle's number as vtarget_number()
 * finds it (@func: the syscall refusing) */
static int vtarget(struct runner *r, const struct statement *st,
		   const char *key, struct vtarget *t, const char *func)
{
	const struct arg *a = stmt_arg(st, key);
	struct handle *h = g_hash_table_lookup(r->handles, a->val.text);
	void *obj = h ? h->type->lookup(r, h->ref) : NULL;

	*t = (struct vtarget){ 0 };
	if (h && !obj)
		return vtarget_number(r, (int)h->value, t, func);
	if (!h)
		return iommu_refuse(r->m, IOMMU_UB, st->verb,
				    "$%s was never opened: its step failed",
				    a->val.text);
	if (h->type == &ht_vfio_fd)
		t->f = ((struct sim_vfile *)obj)->f;
	else
		t->ictx = ifd_ctx_of(obj);
	return 0;
}

/* the syscall a pread()/pwrite() statement is */
static const char *prw_func(bool write)
{
	return write ? "ksys_pwrite64" : "ksys_pread64";
}

/* pread()/pwrite() of a VFIO file at offset= (the region index in the
 * top bits: VFIO_PCI_INDEX_TO_OFFSET()), count= bytes (at most 8, the
 * row's max) of value=, little-endian: vfio_device_fops_read()/_write().
 * out_count= the bytes done (a BAR's access stops at its end);
 * out_value= what a read returned, only when the model has those bytes:
 * it keeps no BAR contents, so a read of a device register says so in
 * the step's detail and gives no out_value. A closed handle's number
 * that another file took is that file's pread()/pwrite() */
static int vfio_prw(struct runner *r, const struct statement *st, bool write)
{
	u64 count = arg_num(st, "count", 4), value = arg_num(st, "value", 0);
	u8 buf[8] = { 0 };
	u64 pos = arg_num(st, "offset", 0);
	struct vtarget t;
	bool modelled = true;
	ssize_t n;
	int ret = vtarget(r, st, "fd", &t, NULL); /* not an ioctl */

	for (unsigned int i = 0; i < count; i++)
		buf[i] = (value >> (8 * i)) & 0xff;
	if (ret == -EBADF)
		return iommu_refuse(r->m, -EBADF, prw_func(write),
				    "fd %d is not open",
				    (int)handle_num(r, st, "fd"));
	if (ret == -ENOTTY) { /* a closed handle's number: another file */
		n = process_file_prw(ifd_task(r), (int)handle_num(r, st, "fd"),
				     (uintptr_t)buf, count, pos, write);
		if (n == -ESPIPE)
			return iommu_refuse(r->m, -ESPIPE, prw_func(write),
					    "the file at the number has no %s "
					    "(an anon-inode file)",
					    write ? "FMODE_PWRITE"
						  : "FMODE_PREAD");
	} else if (ret)
		return ret;
	else if (!t.f) /* iommufd_fops has no read or write */
		return -EINVAL;
	else
		n = vfio_device_rw(t.f, buf, count, pos, write, &modelled);
	if (n < 0)
		return (int)n;
	op_out(r, "out_count", NULL, (u64)n);
	if (write)
		return 0;
	if (!modelled) {
		r->step->detail = g_strdup_printf(
			"%zd bytes read: a device register's, not modelled", n);
		return 0;
	}
	value = 0;
	for (ssize_t i = 0; i < n; i++)
		value |= (u64)buf[i] << (8 * i);
	op_out(r, "out_value", NULL, value);
	return 0;
}

int op_vfio_pread(struct runner *r, const struct statement *st)
{
	return vfio_prw(r, st, false);
}

int op_vfio_pwrite(struct runner *r, const struct statement *st)
{
	return vfio_prw(r, st, true);
}

/* The fd number a process would pass for @key (a VFIO file's, or the
 * iommufd ctx's file in VFIO's table) */
static int vtarget_fd(struct runner *r, const struct statement *st,
		      const char *key, int *fd)
{
	const struct arg *a = stmt_arg(st, key);
	struct handle *h = g_hash_table_lookup(r->handles, a->val.text);
	void *obj = h ? h->type->lookup(r, h->ref) : NULL;

	if (a->val.kind == VAL_NUMBER) {
		*fd = (int)a->val.num;
		return 0;
	}
	if (!h)
		return iommu_refuse(r->m, IOMMU_UB, st->verb,
				    "$%s was never opened: its step failed",
				    a->val.text);
	if (!obj) { /* closed: its number, whatever is open there now */
		*fd = (int)h->value;
		return 0;
	}
	*fd = h->type == &ht_vfio_fd
		      ? vfio_file_fd(((struct sim_vfile *)obj)->f)
		      : ifd_ctx_vfio_fd(r, obj);
	return 0;
}

/* ioctl(fd, cmd, arg, len) of the statement's fd= */
static int vioctl_copied(struct runner *r, const struct statement *st,
			 unsigned int cmd, void *arg, size_t len,
			 struct vfio_file **out, size_t *copied)
{
	struct vtarget t;
	int ret = vtarget(r, st, "fd", &t, "vfs_ioctl");

	return vtarget_ioctl(r, ret, &t, cmd, arg, len, out, copied);
}

static int vioctl(struct runner *r, const struct statement *st,
		  unsigned int cmd, void *arg, size_t len,
		  struct vfio_file **out)
{
	size_t copied;

	return vioctl_copied(r, st, cmd, arg, len, out, &copied);
}

/* The ioctls whose argument is a number (VFIO_CHECK_EXTENSION,
 * VFIO_SET_IOMMU: an unsigned long; none for the rest) */
static int vioctl_ulong(struct runner *r, const struct statement *st,
			unsigned int cmd, const char *key)
{
	unsigned long a = key ? arg_code(st, key, 0) : 0;
	struct vtarget t;
	int ret = vtarget(r, st, "fd", &t, "vfs_ioctl");

	if (ret)
		return ret;
	ret = vioctl(r, st, cmd, &a, sizeof(a), NULL);
	r->value = ret > 0 ? ret : 0;
	return ret < 0 ? ret : 0;
}

int op_vfio_get_api_version(struct runner *r, const struct statement *st)
{
	return vioctl_ulong(r, st, VFIO_GET_API_VERSION, NULL);
}

int op_vfio_check_extension(struct runner *r, const struct statement *st)
{
	return vioctl_ulong(r, st, VFIO_CHECK_EXTENSION, "extension");
}

int op_vfio_set_iommu(struct runner *r, const struct statement *st)
{
	return vioctl_ulong(r, st, VFIO_SET_IOMMU, "type");
}

int op_vfio_group_set_container(struct runner *r, const struct statement *st)
{
	int fd = -1, ret = vtarget_fd(r, st, "container_fd", &fd);

	return ret ? ret
		   : vioctl(r, st, VFIO_GROUP_SET_CONTAINER, &fd, sizeof(fd),
			    NULL);
}

int op_vfio_group_unset_container(struct runner *r, const struct statement *st)
{
	return vioctl(r, st, VFIO_GROUP_UNSET_CONTAINER, NULL, 0, NULL);
}

/* the device's name as userspace writes it: dev_name(), its PCI address */
int op_vfio_group_get_device_fd(struct runner *r, const struct statement *st)
{
	g_autofree char *name = iommu_dev_sysfs_name(arg_dev(r, st, "dev"));
	struct vfio_file *f = NULL;
	int ret = vioctl(r, st, VFIO_GROUP_GET_DEVICE_FD, name,
			 strlen(name) + 1, &f);

	if (!f) /* -errno, or IOMMU_UB for a stale fd */
		return ret;
	vfile_out(r, "out_fd", f);
	return 0;
}

/* The struct ioctls: the row's fields filled (uapi_fill(): argsz the
 * struct's size unless argsz= says), the call's prep, the call, the out
 * fields read back (after a failure too when the kernel copied the
 * struct back first), the post. The buffer is as long as argsz asks (a
 * capability chain lands behind the struct): the caller's memory, charged
 * to the budget (user_buffer()). */
int vstruct(struct runner *r, const struct statement *st, const struct vcall *c)
{
	const struct op *op = op_find(st->verb);
	g_autofree char *filled = uapi_fill(r, op, st);
	struct vscratch sc = { NULL, 0 };
	uint32_t argsz;
	size_t len, copied = 0;
	char *buf;
	int ret = 0;

	memcpy(&argsz, filled, sizeof(argsz));
	len = MAX((size_t)argsz, op->uapi_size) + 8;
	buf = user_buffer(r, len, "struct (argsz=)", &ret);
	if (!buf)
		return ret;
	memcpy(buf, filled, op->uapi_size);
	ret = c->prep ? c->prep(r, st, buf, &sc) : 0;
	if (!ret)
		ret = vioctl_copied(r, st, c->cmd, buf, len, NULL, &copied);
	/* a failed call's struct is readable when the kernel copied it
	 * back before failing (the compat container's UNMAP_DMA) */
	if (!ret || copied) {
		r->outs_after_error = ret != 0;
		uapi_outs(r, op, buf);
	}
	if (!ret && c->post)
		c->post(r, buf, &sc);
	user_buffer_free(r, sc.p, sc.n);
	user_buffer_free(r, buf, len);
	return ret;
}

/* BIND_IOMMUFD: iommufd= is the ctx's fd in the process */
static int bind_prep(struct runner *r, const struct statement *st, void *buf,
		     struct vscratch *sc)
{
	struct vfio_device_bind_iommufd *b = buf;
	int fd = -1, ret = 0;

	(void)sc;
	if (arg_has(st, "iommufd"))
		ret = vtarget_fd(r, st, "iommufd", &fd);
	b->iommufd = fd;
	return ret;
}

VSTRUCT_VERB(op_vfio_group_get_status, VFIO_GROUP_GET_STATUS, NULL)
VSTRUCT_VERB(op_vfio_device_get_info, VFIO_DEVICE_GET_INFO, NULL)

/* the capability the kernel wrote at cap_offset (inside argsz: it writes
 * none otherwise), as out_cap_id, out_cap_version, out_cap_next */
static void region_info_post(struct runner *r, const void *buf,
			     const struct vscratch *sc)
{
	const struct vfio_region_info *info = buf;
	struct vfio_info_cap_header cap;

	(void)sc;
	if (!info->cap_offset ||
	    (u64)info->cap_offset + sizeof(cap) > info->argsz)
		return;
	memcpy(&cap, (const char *)buf + info->cap_offset, sizeof(cap));
	op_out(r, "out_cap_id", NULL, cap.id);
	op_out(r, "out_cap_version", NULL, cap.version);
	op_out(r, "out_cap_next", NULL, cap.next);
}

int op_vfio_device_get_region_info(struct runner *r, const struct statement *st)
{
	static const struct vcall c = { VFIO_DEVICE_GET_REGION_INFO, NULL,
					region_info_post };

	return vstruct(r, st, &c);
}

/* VFIO_DEVICE_FEATURE: feature= ORed into flags (the feature index is
 * its low 16 bits), wakeup_eventfd= the eventfd's fd ("none": -1) */
static int feature_prep(struct runner *r, const struct statement *st, void *buf,
			struct vscratch *sc)
{
	struct vfio_device_feature_arg *a = buf;
	const struct arg *fd = stmt_arg(st, "wakeup_eventfd");

	(void)sc;
	a->flags |= (u32)arg_code(st, "feature", 0);
	if (fd)
		a->low_power.wakeup_eventfd =
			handle_fd_or_none(r, st, "wakeup_eventfd");
	return 0;
}

int op_vfio_device_feature(struct runner *r, const struct statement *st)
{
	static const struct vcall c = { VFIO_DEVICE_FEATURE, feature_prep,
					NULL };

	return vstruct(r, st, &c);
}

/* the bound device while its file is: what check_idev and the ioctls
 * taking a dev_id see through $out_devid */
static struct iommufd_device *vfile_idev(struct runner *r, void *data)
{
	struct sim_vfile *v = data;

	(void)r;
	return v->f ? vfio_file_iommufd_device(v->f) : NULL;
}

int op_vfio_device_bind_iommufd(struct runner *r, const struct statement *st)
{
	static const struct vcall c = { VFIO_DEVICE_BIND_IOMMUFD, bind_prep,
					NULL };
	int ret = vstruct(r, st, &c);
	struct sim_vfile *v = ret ? NULL : handle_arg(r, st, "fd", &ret);

	for (int i = 0; v && i < r->nouts; i++) {
		if (!strcmp(r->outs[i].key, "out_devid"))
			r->outs[i].obj = ifd_idev_resolved(r, vfile_idev, v);
	}
	return ret;
}
VSTRUCT_VERB(op_vfio_device_attach_pt, VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL)
VSTRUCT_VERB(op_vfio_device_detach_pt, VFIO_DEVICE_DETACH_IOMMUFD_PT, NULL)

/* VFIO_DEVICE_RESET: no argument */
int op_vfio_device_reset(struct runner *r, const struct statement *st)
{
	return vioctl(r, st, VFIO_DEVICE_RESET, NULL, 0, NULL);
}

/* out_<field><i>: the row's own key (op_out() keeps the pointer) */
static void hot_reset_out(struct runner *r, const char *field, u32 i, u64 value)
{
	char key[32];

	snprintf(key, sizeof(key), "out_%s%u", field, i);
	op_out(r,
	       op_arg(op_find("VFIO_DEVICE_GET_PCI_HOT_RESET_INFO"), key)->key,
	       NULL, value);
}

/* the affected devices the kernel wrote behind the header, as many as
 * it counted and the struct has room for: the group id or the devid (as
 * flags says), the bus, the devfn */
static void hot_reset_info_post(struct runner *r, const void *buf,
				const struct vscratch *sc)
{
	const struct vfio_hot_reset_info_arg *a = buf;
	bool devid = a->flags & VFIO_PCI_HOT_RESET_FLAG_DEV_ID;

	(void)sc;
	for (u32 i = 0; i < a->count && i < VFIO_HOT_RESET_DEVICES; i++) {
		const struct vfio_pci_dependent_device *d = &a->devices[i];

		hot_reset_out(r, devid ? "devid" : "group_id", i,
			      devid ? d->devid : d->group_id);
		hot_reset_out(r, "bus", i, d->bus);
		hot_reset_out(r, "devfn", i, d->devfn);
	}
}

int op_vfio_device_get_pci_hot_reset_info(struct runner *r,
					  const struct statement *st)
{
	static const struct vcall c = { VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
					NULL, hot_reset_info_post };

	return vstruct(r, st, &c);
}

/* group_fds0..: each the fd of its file in the process; count how many
 * were given unless count= says */
static int hot_reset_prep(struct runner *r, const struct statement *st,
			  void *buf, struct vscratch *sc)
{
	struct vfio_hot_reset_arg *a = buf;
	u32 n = 0;

	(void)sc;
	for (u32 i = 0; i < VFIO_HOT_RESET_DEVICES; i++) {
		char key[16];
		int fd = -1, ret;

		snprintf(key, sizeof(key), "group_fds%u", i);
		if (!arg_has(st, key))
			continue;
		ret = vtarget_fd(r, st, key, &fd);
		if (ret)
			return ret;
		a->group_fds[i] = fd;
		n = i + 1;
	}
	if (!arg_has(st, "count"))
		a->count = n;
	return 0;
}

int op_vfio_device_pci_hot_reset(struct runner *r, const struct statement *st)
{
	static const struct vcall c = { VFIO_DEVICE_PCI_HOT_RESET,
					hot_reset_prep, NULL };

	return vstruct(r, st, &c);
}
