// SPDX-License-Identifier: MIT
/*
 * nodes.c - the /dev and /sys entries VFIO gives userspace, as Linux 7.3
 * makes them:
 *  - /dev/vfio/vfio: container.c's misc device (VFIO_CONTAINER), or
 *    iommufd's (main.c vfio_misc_dev, IOMMUFD_VFIO_CONTAINER), from boot;
 *  - /dev/vfio/[noiommu-]N: group.c vfio_create_group() (vfio_class
 *    devnode "vfio/%s"), /sys/class/vfio/[noiommu-]N;
 *  - /sys/kernel/iommu_groups/N/name: iommu_group_set_name() of the fake
 *    group (vfio_noiommu_group_alloc(): "vfio-noiommu");
 *  - the vfio_device: device_add() under the parent, class vfio-dev:
 *    /sys/bus/pci/devices/ADDR/vfio-dev/[noiommu-]vfioN and
 *    /sys/class/vfio-dev/..., with a `dev` attribute and the node
 *    /dev/vfio/devices/... only when cdev_device_add() had a devt
 *    (vfio_init_device_cdev());
 *  - /dev/iommu: iommufd's misc device (IOMMUFD).
 * devtmpfs directories exist while a node is in them.
 */
#include <stdio.h>
#include <string.h>

#include "vfio/vfio_private.h"

static void add(GPtrArray *a, char *path)
{
	g_ptr_array_add(a, path);
}

static void device_entries(GPtrArray *a, struct vfio_device *vdev)
{
	g_autofree char *bdf = NULL;

	if (vdev->unregistering)
		return; /* vfio_device_del(): an unbind waits for its files */
	bdf = iommu_dev_sysfs_name(vdev->dev);
	add(a, g_strdup_printf("/sys/bus/pci/devices/%s/vfio-dev/%s", bdf,
			       vdev->name));
	add(a, g_strdup_printf("/sys/class/vfio-dev/%s", vdev->name));
	if (!vdev->cdev)
		return;
	add(a, g_strdup_printf("/sys/bus/pci/devices/%s/vfio-dev/%s/dev", bdf,
			       vdev->name));
	add(a, g_strdup_printf("/dev/vfio/devices/%s", vdev->name));
}

static void group_entries(GPtrArray *a, struct vfio_group *group)
{
	g_autofree char *name = NULL;

	if (!vfio_group_listed(group))
		return; /* cdev_device_del() at vfio_device_remove_group() */
	name = vfio_group_name(group);
	add(a, g_strdup_printf("/dev/vfio/%s", name));
	add(a, g_strdup_printf("/sys/class/vfio/%s", name));
	if (group->iommu_group->name)
		add(a, g_strdup_printf("/sys/kernel/iommu_groups/%d/name",
				       group->iommu_group->id));
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry, sorted; the caller frees the array (g_free elements). */
static GPtrArray *vfio_entries(struct iommu_model *m)
{
	struct vfio *v = vfio_get(m);
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k, val;

	if (v->cfg.y[KS_IOMMUFD])
		add(a, g_strdup("/dev/iommu"));
	if (v->cfg.y[KS_VFIO] && (v->cfg.y[KS_VFIO_CONTAINER] ||
				  v->cfg.y[KS_IOMMUFD_VFIO_CONTAINER]))
		add(a, g_strdup("/dev/vfio/vfio"));
	g_hash_table_iter_init(&it, v->group_ida);
	while (g_hash_table_iter_next(&it, &k, &val))
		group_entries(a, val);
	g_hash_table_iter_init(&it, v->device_ida);
	while (g_hash_table_iter_next(&it, &k, &val))
		device_entries(a, val);
	g_ptr_array_sort(a, cmp_str);
	return a;
}

bool vfio_node_exists(struct iommu_model *m, const char *path)
{
	g_autoptr(GPtrArray) a = vfio_entries(m);
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	for (guint i = 0; i < a->len; i++) {
		const char *e = a->pdata[i];

		/* the entry itself, or a directory holding it */
		if (!strncmp(e, path, n) && (e[n] == 0 || e[n] == '/'))
			return true;
	}
	return false;
}

char *vfio_nodes_view(struct iommu_model *m)
{
	g_autoptr(GPtrArray) a = vfio_entries(m);
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < a->len; i++)
		g_string_append_printf(s, "%s\n", (char *)a->pdata[i]);
	return g_string_free(s, FALSE);
}

/* The `dev` attribute: MAJOR:MINOR of the vfio-dev chrdev region
 * (vfio_cdev_init(): alloc_chrdev_region(), a dynamic major; the model
 * prints the minor, the device's index, after "M:") */
char *vfio_sysfs_read(struct iommu_model *m, const char *path)
{
	struct vfio *v = vfio_get(m);
	GHashTableIter it;
	gpointer k, val;
	int id;

	if (!vfio_node_exists(m, path))
		return NULL;
	if (sscanf(path, "/sys/kernel/iommu_groups/%d/name", &id) == 1) {
		g_hash_table_iter_init(&it, v->group_ida);
		while (g_hash_table_iter_next(&it, &k, &val)) {
			struct vfio_group *g = val;

			if (vfio_group_listed(g) && g->iommu_group->id == id &&
			    g->iommu_group->name)
				return g_strdup(g->iommu_group->name);
		}
	}
	if (g_str_has_suffix(path, "/dev")) {
		g_hash_table_iter_init(&it, v->device_ida);
		while (g_hash_table_iter_next(&it, &k, &val)) {
			struct vfio_device *vdev = val;
			g_autofree char *tail =
				g_strdup_printf("/%s/dev", vdev->name);

			if (g_str_has_suffix(path, tail))
				return g_strdup_printf("M:%d", vdev->index);
		}
	}
	return NULL;
}

/* The group node of @dev's vfio_group (/dev/vfio/[noiommu-]N), NULL
 * when it has none; newly allocated */
char *vfio_group_node_of(struct iommu_model *m, struct device *dev)
{
	struct vfio_device *vdev = vfio_device_of(m, dev);
	struct vfio_group *group = vdev ? vdev->group : NULL;
	g_autofree char *name = NULL;

	/* a device VFIO does not drive shares the node of its iommu_group
	 * when another member is VFIO's (/sys/.../iommu_group names the
	 * group, whoever drives the device) */
	if (!group && m->vfio)
		group = vfio_group_find_from_iommu(m->vfio, dev->iommu_group);
	if (!group)
		return NULL;
	name = vfio_group_name(group);
	return g_strdup_printf("/dev/vfio/%s", name);
}

/* The cdev node of @dev (/dev/vfio/devices/[noiommu-]vfioN), NULL when
 * it has none (no devt: vfio_init_device_cdev()); newly allocated */
char *vfio_cdev_node_of(struct iommu_model *m, struct device *dev)
{
	struct vfio_device *vdev = vfio_device_of(m, dev);

	if (!vdev || !vdev->cdev)
		return NULL;
	return g_strdup_printf("/dev/vfio/devices/%s", vdev->name);
}

/* Whether @s is "[prefix]N" with N a decimal number */
static bool numbered(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) || !s[n])
		return false;
	return strspn(s + n, "0123456789") == strlen(s + n);
}

bool vfio_node_path_valid(const char *path)
{
	const char *dev = "/dev/vfio/devices/", *grp = "/dev/vfio/";

	if (!strcmp(path, "/dev/vfio/vfio"))
		return true;
	if (!strncmp(path, dev, strlen(dev)))
		return numbered(path + strlen(dev), "vfio") ||
		       numbered(path + strlen(dev), "noiommu-vfio");
	return !strncmp(path, grp, strlen(grp)) &&
	       (numbered(path + strlen(grp), "") ||
		numbered(path + strlen(grp), "noiommu-"));
}
