// SPDX-License-Identifier: MIT
/*
 * view.c - VFIO's objects as the pictures draw them (view/): the groups
 * with their node, iommu group and container, the devices with their
 * cdev, the containers with the IOMMU driver they use. Read only; no
 * kernel counterpart (the model's debugfs, as iommufd/view.c).
 */
#include "vfio/vfio_private.h"

static gint key_cmp(gconstpointer a, gconstpointer b)
{
	return GPOINTER_TO_INT(a) - GPOINTER_TO_INT(b);
}

/* The values of an index table (minor or index -> object), key order. */
static GPtrArray *by_key(GHashTable *ida)
{
	GList *keys = g_list_sort(g_hash_table_get_keys(ida), key_cmp);
	GPtrArray *out = g_ptr_array_new();

	for (GList *k = keys; k; k = k->next)
		g_ptr_array_add(out, g_hash_table_lookup(ida, k->data));
	g_list_free(keys);
	return out;
}

/* A container's key: the fd of a file that has it open (the lowest), or
 * 1000 + @minor, the first group holding it once its file is closed. */
static int container_key(struct vfio *v, const struct vfio_container *c,
			 int minor)
{
	int key = -1;
	GHashTableIter it;
	gpointer fd, file;

	g_hash_table_iter_init(&it, v->fds);
	while (g_hash_table_iter_next(&it, &fd, &file)) {
		const struct vfio_file *f = file;

		if (f->kind == VFIO_FILE_CONTAINER && f->container == c &&
		    (key < 0 || GPOINTER_TO_INT(fd) < key))
			key = GPOINTER_TO_INT(fd);
	}
	return key >= 0 ? key : 1000 + minor;
}

static void add_container(GArray *containers, struct vfio *v,
			  const struct vfio_container *c, int key)
{
	struct vfio_container_view cv = { .key = key };

	for (guint i = 0; i < containers->len; i++)
		if (g_array_index(containers, struct vfio_container_view, i)
			    .key == key)
			return;
	cv.iommu = vfio_container_iommu_name(c);
	g_array_append_val(containers, cv);
}

static void view_groups(struct vfio *v, GArray *groups, GArray *containers)
{
	g_autoptr(GPtrArray) all = by_key(v->group_ida);

	for (guint i = 0; i < all->len; i++) {
		const struct vfio_group *g = all->pdata[i];
		struct vfio_group_view gv = {
			.minor = g->minor,
			.noiommu = g->type == VFIO_NO_IOMMU,
			.iommu_group_id =
				g->iommu_group ? g->iommu_group->id : -1,
			.opened = g->opened_file,
			.container = -1,
			.iommufd = g->iommufd,
		};

		if (g->container) {
			gv.container = container_key(v, g->container, g->minor);
			add_container(containers, v, g->container,
				      gv.container);
		}
		g_array_append_val(groups, gv);
	}
}

static void view_devices(struct vfio *v, GArray *devices)
{
	g_autoptr(GPtrArray) all = by_key(v->device_ida);

	for (guint i = 0; i < all->len; i++) {
		const struct vfio_device *d = all->pdata[i];
		struct vfio_device_view dv = {
			.dev = d->dev,
			.name = d->name,
			.cdev = d->cdev,
			.cdev_opened = d->cdev_opened,
			.group_minor = d->group ? d->group->minor : -1,
			.bound = d->idev != NULL,
		};

		g_array_append_val(devices, dv);
	}
}

/* Containers no group holds yet: their open files. */
static void view_lone_containers(struct vfio *v, GArray *containers)
{
	GHashTableIter it;
	gpointer fd, file;

	g_hash_table_iter_init(&it, v->fds);
	while (g_hash_table_iter_next(&it, &fd, &file)) {
		const struct vfio_file *f = file;

		if (f->kind == VFIO_FILE_CONTAINER && f->container)
			add_container(containers, v, f->container,
				      container_key(v, f->container, 0));
	}
}

static gint container_cmp(gconstpointer a, gconstpointer b)
{
	return ((const struct vfio_container_view *)a)->key -
	       ((const struct vfio_container_view *)b)->key;
}

struct vfio_view *vfio_view_new(struct iommu_model *m)
{
	struct vfio_view *view = g_new0(struct vfio_view, 1);
	struct vfio *v = m->vfio;

	view->groups =
		g_array_new(FALSE, FALSE, sizeof(struct vfio_group_view));
	view->devices =
		g_array_new(FALSE, FALSE, sizeof(struct vfio_device_view));
	view->containers =
		g_array_new(FALSE, FALSE, sizeof(struct vfio_container_view));
	if (!v)
		return view;
	view_groups(v, view->groups, view->containers);
	view_devices(v, view->devices);
	view_lone_containers(v, view->containers);
	g_array_sort(view->containers, container_cmp);
	return view;
}

void vfio_view_free(struct vfio_view *v)
{
	g_array_free(v->groups, TRUE);
	g_array_free(v->devices, TRUE);
	g_array_free(v->containers, TRUE);
	g_free(v);
}
