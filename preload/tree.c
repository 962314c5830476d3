// SPDX-License-Identifier: MIT
/*
 * tree.c - the paths the shim serves and their shadow tree.
 *
 * Everything under the served prefixes is the model's: /dev/iommu,
 * /dev/vfio, and the sysfs entries VFIO users read (/sys/kernel/
 * iommu_groups, /sys/bus/pci/{devices,drivers}, /sys/devices/pci0000:00,
 * /sys/class/vfio{,-dev}). Opening a node (/dev/iommu, /dev/vfio/...)
 * goes to the model itself (libc.c); what a program looks at (stat,
 * access, readlink, opendir, reading an attribute) goes to a shadow tree
 * written once at load from the model's state after the scenario: empty
 * files for the nodes, files holding the attributes (iommu_groups/N/
 * {name,type}, vfio-dev/NAME/dev, driver_override, vendor, device), and symlinks with the
 * same relative targets sysfs has, so following them stays inside the
 * tree. The machine does not change after load: only the scenario drives
 * it (binding drivers through sysfs is not served).
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preload.h"
#include "model/iommu.h"
#include "model/vfio/vfio.h"

static const char *const served_prefixes[] = {
	"/dev/iommu",
	"/dev/vfio",
	"/sys/kernel/iommu_groups",
	"/sys/bus/pci/devices",
	"/sys/bus/pci/drivers",
	"/sys/devices/pci0000:00",
	"/sys/class/vfio",
	"/sys/class/vfio-dev",
	"/sys/kernel/debug", /* the fault attributes only (failnth.c) */
};

/* @path with "//", "/./" and "/../" folded (no symlink is followed). */
char *tree_normalize(const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	GPtrArray *out = g_ptr_array_new();
	GString *s = g_string_new(NULL);

	for (guint i = 0; parts[i]; i++) {
		if (!*parts[i] || !strcmp(parts[i], "."))
			continue;
		if (!strcmp(parts[i], "..")) {
			if (out->len)
				g_ptr_array_remove_index(out, out->len - 1);
			continue;
		}
		g_ptr_array_add(out, parts[i]);
	}
	for (guint i = 0; i < out->len; i++)
		g_string_append_printf(s, "/%s", (char *)out->pdata[i]);
	if (!s->len)
		g_string_append_c(s, '/');
	g_ptr_array_free(out, TRUE);
	return g_string_free(s, FALSE);
}

bool tree_served(const char *path, char **shadow)
{
	g_autofree char *norm = NULL;

	if (!shim.ready || !path || path[0] != '/')
		return false;
	norm = tree_normalize(path);
	for (guint i = 0; i < G_N_ELEMENTS(served_prefixes); i++) {
		size_t n = strlen(served_prefixes[i]);

		if (!strncmp(norm, served_prefixes[i], n) &&
		    (norm[n] == 0 || norm[n] == '/')) {
			if (shadow)
				*shadow = g_strconcat(shim.root, norm, NULL);
			return true;
		}
	}
	return false;
}

/* The last component of @norm below @dir ("/dev/vfio/" -> "3"), or NULL
 * when @norm is not one level below it. */
static const char *leaf_below(const char *norm, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(norm, dir, n) || !norm[n] || strchr(norm + n, '/'))
		return NULL;
	return norm + n;
}

bool tree_is_node(const char *path)
{
	g_autofree char *norm = tree_normalize(path);
	const char *leaf = leaf_below(norm, "/dev/vfio/");

	if (!vfio_node_exists(shim.m, norm))
		return false;
	return !strcmp(norm, "/dev/iommu") ||
	       leaf_below(norm, "/dev/vfio/devices/") ||
	       (leaf && strcmp(leaf, "devices"));
}

/* ---- building it ---- */

static int put_file(const char *rel, const char *content)
{
	g_autofree char *p = g_strconcat(shim.root, rel, NULL);
	g_autofree char *dir = g_path_get_dirname(p);

	if (g_mkdir_with_parents(dir, 0755))
		return -1;
	return g_file_set_contents(p, content, -1, NULL) ? 0 : -1;
}

static int put_dir(const char *rel)
{
	g_autofree char *p = g_strconcat(shim.root, rel, NULL);

	return g_mkdir_with_parents(p, 0755);
}

/* A symlink at @rel (under /sys) to @target (a path under /sys), written
 * relative as sysfs writes it ("../../../kernel/iommu_groups/3"). */
static int put_link(const char *rel, const char *target)
{
	g_autofree char *p = g_strconcat(shim.root, rel, NULL);
	g_autofree char *dir = g_path_get_dirname(p);
	GString *t = g_string_new(NULL);
	int ret;

	/* one "../" per component between /sys and the link's directory */
	for (const char *c = rel + strlen("/sys"); (c = strchr(c + 1, '/'));)
		g_string_append(t, "../");
	g_string_append(t, target + strlen("/sys/"));
	ret = g_mkdir_with_parents(dir, 0755) ? -1 : symlink(t->str, p);
	g_string_free(t, TRUE);
	return ret;
}

/* /sys/devices/pci0000:00/[bridges/]ADDR */
static char *device_dir(struct device *dev)
{
	g_autofree char *bdf = iommu_dev_sysfs_name(dev);
	g_autofree char *up = dev->parent ? device_dir(dev->parent)
					  : g_strdup("/sys/devices/pci0000:00");

	return g_strdup_printf("%s/%s", up, bdf);
}

static int put_group(struct iommu_group *g)
{
	g_autofree char *dir =
		g_strdup_printf("/sys/kernel/iommu_groups/%d", g->id);
	g_autofree char *type =
		g_strdup_printf("%s\n", iommu_group_type_str(g));
	g_autofree char *name = g_strdup_printf("%s/name", dir);
	g_autofree char *devs = g_strdup_printf("%s/devices", dir);
	g_autofree char *typef = g_strdup_printf("%s/type", dir);
	g_autofree char *namec = g_strdup_printf("%s\n", g->name);
	int ret = put_dir(devs) | put_file(typef, type);

	if (g->name)
		ret |= put_file(name, namec);
	for (guint i = 0; i < g->devices->len; i++) {
		struct device *dev = g->devices->pdata[i];
		g_autofree char *bdf = iommu_dev_sysfs_name(dev);
		g_autofree char *link = g_strdup_printf("%s/%s", devs, bdf);
		g_autofree char *target = device_dir(dev);

		ret |= put_link(link, target);
	}
	return ret;
}

/* pci-sysfs.c vendor_show()/device_show(): "0x%04x\n" */
static int put_ids(const char *dir, const struct device *dev)
{
	g_autofree char *vp = g_strdup_printf("%s/vendor", dir);
	g_autofree char *dp = g_strdup_printf("%s/device", dir);
	g_autofree char *v = g_strdup_printf("0x%04x\n", pci_func_vendor(dev));
	g_autofree char *d = g_strdup_printf("0x%04x\n", pci_func_device(dev));

	return put_file(vp, v) | put_file(dp, d);
}

static int put_device(struct device *dev)
{
	g_autofree char *dir = device_dir(dev);
	g_autofree char *bdf = iommu_dev_sysfs_name(dev);
	g_autofree char *bus = g_strdup_printf("/sys/bus/pci/devices/%s", bdf);
	g_autofree char *ovr = g_strdup_printf("%s/driver_override", dir);
	g_autofree char *grp = g_strdup_printf("%s/iommu_group", dir);
	g_autofree char *drv = g_strdup_printf("%s/driver", dir);
	struct device_driver *link = dev_driver_link(dev);
	int ret = put_file(ovr, "(null)\n") | put_link(bus, dir);

	if (dev->kind == DEV_PCI) /* a bridge's ids are not described */
		ret |= put_ids(dir, dev);

	if (dev->iommu_group) {
		g_autofree char *t = g_strdup_printf(
			"/sys/kernel/iommu_groups/%d", dev->iommu_group->id);

		ret |= put_link(grp, t);
	}
	if (link) {
		g_autofree char *t =
			g_strdup_printf("/sys/bus/pci/drivers/%s", link->name);
		g_autofree char *back = g_strdup_printf("%s/%s", t, bdf);

		ret |= put_link(drv, t) | put_link(back, dir);
	}
	return ret;
}

/* One entry of vfio_nodes_view(): a node, a vfio-dev directory or its
 * dev attribute, a class entry, an iommu group's name (put_group()). */
static int put_vfio_entry(const char *e)
{
	g_autofree char *content = NULL;
	g_autofree char *line = NULL;

	if (g_str_has_prefix(e, "/dev/"))
		return put_file(e, "");
	if (g_str_has_prefix(e, "/sys/kernel/iommu_groups/"))
		return 0;
	if (g_str_has_suffix(e, "/dev")) {
		content = vfio_sysfs_read(shim.m, e);
		line = g_strdup_printf("%s\n", content ? content : "");
		return put_file(e, line);
	}
	return put_dir(e);
}

int tree_build(void)
{
	const char *base = g_getenv("IOMMUSIM_PRELOAD_DIR");
	g_autofree char *nodes = NULL;
	g_auto(GStrv) lines = NULL;
	char *real;
	int ret = 0;

	/* a directory of its own: an exec()'d image has its pid, whose
	 * earlier image's tree its forked children may still be reading */
	shim.root = base ? g_strdup_printf("%s/%d.XXXXXX", base, (int)getpid())
			 : g_build_filename(g_get_tmp_dir(),
					    "iommusim-preload.XXXXXX", NULL);
	if (!g_mkdtemp(shim.root))
		return -1;
	/* realpath() answers are the root's own spelling stripped */
	real = realpath(shim.root, NULL);
	if (!real)
		return -1;
	g_free(shim.root);
	shim.root = g_strdup(real);
	free(real);
	ret |= put_dir("/dev") | put_dir("/sys/kernel/iommu_groups") |
	       put_dir("/sys/bus/pci/devices") |
	       put_dir("/sys/bus/pci/drivers");
	for (guint i = 0; i < shim.m->devices->len; i++) {
		struct device *dev = shim.m->devices->pdata[i];

		if (dev->kind != DEV_PLATFORM && dev->bus >= 0)
			ret |= put_device(dev);
	}
	for (guint i = 0; i < shim.m->groups->len; i++)
		ret |= put_group(shim.m->groups->pdata[i]);
	nodes = vfio_nodes_view(shim.m);
	lines = g_strsplit(nodes, "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (*lines[i])
			ret |= put_vfio_entry(lines[i]);
	ret |= failnth_tree(put_file);
	return ret ? -1 : 0;
}

/* rm -r of the tree (symlinks removed, not followed). */
static void remove_all(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(path, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			remove_all(p);
		else
			g_unlink(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(path);
}

void tree_remove(void)
{
	if (shim.root)
		remove_all(shim.root);
}

bool tree_unshadow(char *shadow)
{
	size_t n = strlen(shim.root);

	if (strncmp(shadow, shim.root, n) || (shadow[n] && shadow[n] != '/'))
		return false;
	memmove(shadow, shadow + n, strlen(shadow + n) + 1);
	if (!*shadow)
		strcpy(shadow, "/");
	return true;
}
