// SPDX-License-Identifier: MIT
/*
 * group.c - the group path of Linux 7.3's drivers/vfio/group.c: the
 * vfio_group of a registered device (found by its iommu_group, or a fake
 * "vfio-noiommu" iommu_group made for a device without one), the group
 * node /dev/vfio/[noiommu-]N, its open and release, and its ioctls.
 * Built only with CONFIG_VFIO_GROUP; without it a device has no group
 * (the stubs of drivers/vfio/vfio.h).
 */
#include <string.h>

#include "vfio/vfio_private.h"

static bool group_built(const struct vfio *v)
{
	return v->cfg.y[KS_VFIO_GROUP];
}

/* dev_set_name(&group->dev, "%s%d", noiommu- prefix, iommu_group_id()) */
char *vfio_group_name(const struct vfio_group *group)
{
	return g_strdup_printf("%s%d",
			       group->type == VFIO_NO_IOMMU ? "noiommu-" : "",
			       group->iommu_group->id);
}

struct vfio_group *vfio_group_by_name(struct vfio *v, const char *name)
{
	GHashTableIter it;
	gpointer k, val;

	g_hash_table_iter_init(&it, v->group_ida);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		g_autofree char *n = NULL;

		if (!vfio_group_listed(val))
			continue;
		n = vfio_group_name(val);
		if (!strcmp(n, name))
			return val;
	}
	return NULL;
}

/* vfio_create_group(): a minor from vfio.group_ida, cdev_device_add() */
static int vfio_create_group(struct vfio *v, struct iommu_group *iommu_group,
			     enum vfio_group_type type, struct vfio_group **out)
{
	struct vfio_group *group;
	int minor = 0;

	if (fault_should_fail(&v->m->fault, "vfio_group_alloc"))
		return -ENOMEM;
	while (g_hash_table_contains(v->group_ida, GINT_TO_POINTER(minor)))
		minor++;
	group = g_new0(struct vfio_group, 1);
	group->minor = minor;
	group->type = type;
	group->iommu_group = iommu_group;
	group->drivers = 1;
	group->device_list = g_ptr_array_new();
	g_hash_table_insert(v->group_ida, GINT_TO_POINTER(minor), group);
	*out = group;
	return 0;
}

static void vfio_group_free(struct vfio *v, struct vfio_group *group)
{
	g_hash_table_remove(v->group_ida, GINT_TO_POINTER(group->minor));
	g_ptr_array_free(group->device_list, TRUE);
	g_free(group);
}

/*
 * vfio_noiommu_group_alloc(): iommu_group_alloc(), named "vfio-noiommu",
 * iommu_group_add_device() (no IOMMU driver: dev->iommu stays NULL), then
 * a VFIO_NO_IOMMU vfio_group for it.
 */
int linux73_vfio_noiommu_group_alloc(struct vfio *v, struct device *dev,
				     struct vfio_group **out)
{
	struct iommu_model *m = v->m;
	struct iommu_group *g;
	int ret;

	if (fault_should_fail(&m->fault, "iommu_group_alloc"))
		return -ENOMEM;
	g = iommu_group_alloc(m);
	g->name = g_strdup("vfio-noiommu");
	ret = iommu_group_add_device(m, g, dev);
	if (ret) {
		iommu_group_free(m, g);
		return ret;
	}
	ret = vfio_create_group(v, g, VFIO_NO_IOMMU, out);
	if (ret)
		iommu_group_remove_device(m, dev);
	return ret;
}

/* vfio_group_find_from_iommu(): the listed group of @iommu_group (a
 * group off vfio.group_list has no iommu_group), or NULL */
struct vfio_group *vfio_group_find_from_iommu(struct vfio *v,
					      struct iommu_group *iommu_group)
{
	GHashTableIter it;
	gpointer val;

	g_hash_table_iter_init(&it, v->group_ida);
	while (iommu_group && g_hash_table_iter_next(&it, NULL, &val)) {
		if (((struct vfio_group *)val)->iommu_group == iommu_group)
			return val;
	}
	return NULL;
}

/* vfio_group_find_or_alloc() */
static int vfio_group_find_or_alloc(struct vfio *v, struct device *dev,
				    struct vfio_group **out)
{
	struct vfio_group *group;
	int ret;

	if (!dev->iommu_group && v->noiommu) {
		ret = vfio_noiommu_group_alloc(v, dev, out);
		if (!ret)
			vfio_taint(v);
		return ret;
	}
	if (!dev->iommu_group)
		return iommu_refuse(v->m, -EINVAL, "vfio_group_find_or_alloc",
				    "%s has no iommu_group and "
				    "vfio.enable_unsafe_noiommu_mode is off",
				    dev->name);
	group = vfio_group_find_from_iommu(v, dev->iommu_group);
	if (group) {
		group->drivers++;
		*out = group;
		return 0;
	}
	return vfio_create_group(v, dev->iommu_group, VFIO_IOMMU, out);
}

/* vfio_device_set_group(); the stub returns 0 without VFIO_GROUP */
int vfio_device_set_group(struct vfio_device *vdev, enum vfio_group_type t)
{
	(void)t; /* vfio-pci registers VFIO_IOMMU devices only */
	if (!group_built(vdev->vfio))
		return 0;
	return vfio_group_find_or_alloc(vdev->vfio, vdev->dev, &vdev->group);
}

/*
 * vfio_device_remove_group(): the fake group loses the device; the last
 * driver's put takes the group off vfio.group_list, deletes its node
 * (cdev_device_del()), detaches the container and sets iommu_group to
 * NULL. The group itself, and so its minor, lives on while its file is
 * open (the open cdev holds group->dev): vfio_group_release() frees it
 * at the file's release, and until then its ioctls answer ENODEV.
 */
void vfio_device_remove_group(struct vfio_device *vdev)
{
	struct vfio_group *group = vdev->group;
	struct iommu_model *m = vdev->vfio->m;

	if (!group)
		return;
	vdev->group = NULL;
	if (group->type == VFIO_NO_IOMMU)
		iommu_group_remove_device(m, vdev->dev);
	if (--group->drivers)
		return;
	if (group->container)
		vfio_group_detach_container(group);
	group->iommu_group = NULL;
	if (!group->opened_file)
		vfio_group_free(vdev->vfio, group);
}

/* vfio_device_block_group(): the cdev path keeps the group node shut.
 * The stub without VFIO_GROUP returns 0; with it, 7.3 locks
 * device->group->group_lock, never NULL in 7.3 (vfio_device_set_group()
 * fails instead), NULL only under noiommu-v1. */
int linux73_vfio_device_block_group(struct vfio_device *vdev)
{
	struct vfio_group *group = vdev->group;

	if (!group_built(vdev->vfio))
		return 0;
	if (!group)
		return iommu_refuse(vdev->vfio->m, IOMMU_UB,
				    "vfio_device_block_group",
				    "%s has no vfio_group: "
				    "mutex_lock(&group->group_lock) "
				    "dereferences NULL",
				    vdev->name);
	if (group->opened_file)
		return iommu_refuse(vdev->vfio->m, -EBUSY,
				    "vfio_device_block_group",
				    "the group node of %s is open", vdev->name);
	group->cdev_device_open_cnt++;
	return 0;
}

/* vfio_device_unblock_group(): as block, a NULL group with VFIO_GROUP is
 * a NULL dereference (recorded; the release it runs in cannot fail) */
void linux73_vfio_device_unblock_group(struct vfio_device *vdev)
{
	if (!group_built(vdev->vfio))
		return;
	if (!vdev->group) {
		vdev->vfio->m->undefined = true; /* void: vfio_close() says */
		iommu_refuse(vdev->vfio->m, IOMMU_UB,
			     "vfio_device_unblock_group",
			     "%s has no vfio_group: "
			     "mutex_lock(&group->group_lock) dereferences "
			     "NULL",
			     vdev->name);
		return;
	}
	vdev->group->cdev_device_open_cnt--;
}

/* vfio_group_fops_open() */
int vfio_group_open(struct vfio_group *group, struct process *task,
		    struct vfio_file *f)
{
	if (group->type == VFIO_NO_IOMMU && !capable(task, CAP_SYS_RAWIO))
		return iommu_refuse(f->m, -EPERM, "vfio_group_fops_open",
				    "a noiommu group needs CAP_SYS_RAWIO");
	if (group->cdev_device_open_cnt)
		return iommu_refuse(f->m, -EBUSY, "vfio_group_fops_open",
				    "a device of the group is open through "
				    "its cdev");
	if (group->opened_file)
		return iommu_refuse(f->m, -EBUSY, "vfio_group_fops_open",
				    "the group is already open");
	group->opened_file = true;
	f->group = group;
	return 0;
}

/* vfio_group_fops_release(): device files opened through a container
 * hold the group file, so none of them is open here (those opened
 * through the group's iommufd may be) */
static void vfio_group_fops_release(struct vfio_group *group)
{
	if (group->container)
		vfio_group_detach_container(group);
	if (group->iommufd) {
		iommufd_ctx_put(group->iommufd);
		group->iommufd = NULL;
	}
	group->opened_file = false;
	group->release_pending = false;
}

void vfio_group_release(struct vfio_file *f)
{
	struct vfio_group *group = f->group;

	if (group->device_files) {
		group->release_pending = true;
		return;
	}
	vfio_group_fops_release(group);
	/* the last driver left while the file was open: the file's
	 * reference on group->dev was the last (vfio_group_release()) */
	if (!vfio_group_listed(group)) {
		f->group = NULL;
		vfio_group_free(vfio_of(f->m), group);
	}
}

/* vfio_group_has_iommu() */
static bool vfio_group_has_iommu(const struct vfio_group *group)
{
	return group->container || group->iommufd;
}

/* vfio_group_ioctl_unset_container() */
static int vfio_group_ioctl_unset_container(struct vfio_file *f)
{
	struct vfio_group *group = f->group;

	if (!vfio_group_has_iommu(group))
		return iommu_refuse(f->m, -EINVAL,
				    "vfio_group_ioctl_unset_container",
				    "no container is set");
	if (group->container) {
		if (group->container_users != 1)
			return iommu_refuse(f->m, -EBUSY,
					    "vfio_group_ioctl_unset_container",
					    "a device of the group is open");
		vfio_group_detach_container(group);
	}
	if (group->iommufd) {
		iommufd_ctx_put(group->iommufd);
		group->iommufd = NULL;
	}
	return 0;
}

/* the iommufd half of vfio_group_ioctl_set_container() */
static int set_container_iommufd(struct vfio_group *group,
				 struct iommufd_ctx *ictx)
{
	int ret;

	iommufd_ctx_get(ictx); /* iommufd_ctx_from_file() */
	if (group->type == VFIO_NO_IOMMU)
		ret = iommufd_vfio_compat_set_no_iommu(ictx);
	else
		ret = iommufd_vfio_compat_ioas_create(ictx);
	if (ret) {
		iommufd_ctx_put(ictx);
		return ret;
	}
	group->iommufd = ictx;
	return 0;
}

/* vfio_group_ioctl_set_container(): arg is an int fd */
static int vfio_group_ioctl_set_container(struct vfio_file *f,
					  struct process *task, void *arg,
					  size_t len)
{
	struct vfio_group *group = f->group;
	struct iommufd_ctx *ictx;
	struct vfio_file *cf;
	int fd;

	if (len < sizeof(fd))
		return -EFAULT;
	memcpy(&fd, arg, sizeof(fd));
	if (vfio_fget(vfio_of(f->m), task, fd, &cf, &ictx))
		return -EBADF;
	if (vfio_group_has_iommu(group))
		return iommu_refuse(f->m, -EINVAL,
				    "vfio_group_ioctl_set_container",
				    "a container is already set");
	if (!group->iommu_group)
		return -ENODEV;
	if (cf && cf->kind == VFIO_FILE_CONTAINER && cf->container)
		return vfio_container_attach_group(cf->container, group, task);
	if (ictx)
		return set_container_iommufd(group, ictx);
	return iommu_refuse(f->m, -EBADFD, "vfio_group_ioctl_set_container",
			    "the fd is neither a container nor an iommufd");
}

/* vfio_group_ioctl_get_status() */
static int vfio_group_ioctl_get_status(struct vfio_file *f, void *arg,
				       size_t len)
{
	struct vfio_group_status *st = arg;
	struct vfio_group *group = f->group;
	struct device *dev;

	if (len < sizeof(*st))
		return -EFAULT;
	if (st->argsz < sizeof(*st))
		return -EINVAL;
	st->flags = 0;
	if (!group->iommu_group)
		return -ENODEV;
	dev = iommu_group_first_dev(group->iommu_group);
	/* with iommufd the claim is at GET_DEVICE_FD: viable may lie */
	if (vfio_group_has_iommu(group))
		st->flags |= VFIO_GROUP_FLAGS_CONTAINER_SET |
			     VFIO_GROUP_FLAGS_VIABLE;
	else if (!dev || !iommu_group_dma_owner_claimed(f->m, dev))
		st->flags |= VFIO_GROUP_FLAGS_VIABLE;
	return 0;
}

/* vfio_df_group_open() */
static int vfio_df_group_open(struct vfio_file *df, struct process *task)
{
	struct vfio_device *vdev = df->device;
	struct vfio_group *group = vdev->group;
	int ret;

	if (!vfio_group_has_iommu(group))
		return iommu_refuse(df->m, -EINVAL, "vfio_df_group_open",
				    "no container is set on the group");
	df->ictx = group->iommufd;
	if (df->ictx && vfio_device_is_noiommu(vdev) && !vdev->open_count &&
	    (!capable(task, CAP_SYS_RAWIO) ||
	     vfio_iommufd_device_has_compat_ioas(df->ictx))) {
		df->ictx = NULL;
		return iommu_refuse(df->m, -EPERM, "vfio_df_group_open",
				    "noiommu through iommufd needs "
				    "CAP_SYS_RAWIO and no compat IOAS");
	}
	ret = vfio_df_open(df);
	if (ret)
		goto err_put;
	if (df->ictx && vdev->open_count == 1) {
		ret = vfio_iommufd_compat_attach_ioas(vdev, df->ictx);
		if (ret)
			goto err_close;
	}
	df->access_granted = true;
	/* a noiommu device bound nothing: the group's iommufd is all that
	 * holds the ctx, and it may go before this file (unset container,
	 * the group's release), leaving 7.3's df->iommufd dangling */
	if (df->ictx && vfio_device_is_noiommu(vdev)) {
		df->ictx = NULL;
		df->iommufd_unheld = true;
	}
	return 0;

err_close:
	vfio_df_close(df);
err_put:
	df->ictx = NULL;
	return ret;
}

void vfio_df_group_close(struct vfio_file *df)
{
	struct vfio_group *group = df->group;
	/* opened through a container */
	bool held = !vfio_df_iommufd_set(df);

	vfio_df_close(df);
	df->ictx = NULL;
	df->iommufd_unheld = false;
	if (held && !--group->device_files && group->release_pending)
		vfio_group_fops_release(group);
}

/* vfio_group_ioctl_get_device_fd() -> vfio_device_open_file() */
static int vfio_group_ioctl_get_device_fd(struct vfio_file *f,
					  struct process *task,
					  const char *name,
					  struct vfio_file **out)
{
	struct vfio_device *vdev = NULL;
	struct vfio_file *df;
	int ret;

	/* dev_name(): the PCI address (the scenario's name also does) */
	for (guint i = 0; i < f->group->device_list->len; i++) {
		struct vfio_device *it = f->group->device_list->pdata[i];
		g_autofree char *bdf = iommu_dev_sysfs_name(it->dev);

		if (!strcmp(it->dev->name, name) || !strcmp(bdf, name))
			vdev = it;
	}
	if (!vdev)
		return iommu_refuse(f->m, -ENODEV, "vfio_device_get_from_name",
				    "no device %s in the group", name);
	if (fault_should_fail(&f->m->fault, "vfio_allocate_device_file"))
		return -ENOMEM;
	df = vfio_file_new(f->m, task, VFIO_FILE_DEVICE);
	df->device = vdev;
	df->group = f->group;
	ret = vfio_df_group_open(df, task);
	if (ret) {
		vfio_file_free(df);
		return ret;
	}
	vdev->files++;
	/* vfio_df_device_first_open() -> vfio_device_group_use_iommu() ->
	 * vfio_group_use_container(): get_file(group->opened_file); a
	 * device opened through the group's iommufd (df->ictx) holds no
	 * group file */
	if (!vfio_df_iommufd_set(df))
		f->group->device_files++;
	*out = df;
	return df->fd;
}

/* vfio_group_fops_unl_ioctl() */
int vfio_group_ioctl(struct vfio_file *f, struct process *task,
		     unsigned int cmd, void *arg, size_t len,
		     struct vfio_file **out)
{
	switch (cmd) {
	case VFIO_GROUP_GET_DEVICE_FD:
		if (!arg || !memchr(arg, 0, len))
			return -EFAULT;
		return vfio_group_ioctl_get_device_fd(f, task, arg, out);
	case VFIO_GROUP_GET_STATUS:
		return vfio_group_ioctl_get_status(f, arg, len);
	case VFIO_GROUP_SET_CONTAINER:
		return vfio_group_ioctl_set_container(f, task, arg, len);
	case VFIO_GROUP_UNSET_CONTAINER:
		return vfio_group_ioctl_unset_container(f);
	default:
		return -ENOTTY;
	}
}
