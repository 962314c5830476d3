// SPDX-License-Identifier: MIT
/*
 * vfio_nodes.c - VFIO's nodes and sysfs entries as the guest has them,
 * spelled as the model lists them (model/vfio/nodes.c vfio_entries()):
 * /dev/iommu, /dev/vfio/{vfio,N,noiommu-N}, /dev/vfio/devices/NAME,
 * /sys/class/vfio/GROUP, /sys/class/vfio-dev/NAME, a scenario device's
 * /sys/bus/pci/devices/BDF/vfio-dev/NAME[/dev] and a named group's
 * /sys/kernel/iommu_groups/N/name. Group numbers are the model's: a
 * scenario group's rank among the scenario's groups (q35's own devices
 * take kernel ids too); the `dev` attribute reads "M:MINOR", the major
 * being dynamic (vfio_cdev_init()).
 *
 * vfio_nodes prints the sorted list; check_vfio_node answers from it as
 * the model does (the entry itself, or a directory holding one) and reads
 * a name or dev attribute through the guest's own path.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent.h"

#define MAX_ENTRIES 256

struct entry {
	char shown[PATH_MAX]; /* as the model spells it */
	char real[PATH_MAX];  /* where it is in this guest */
};

static struct entry ents[MAX_ENTRIES];
static int nents;

/* "@a/@b" into @out; false (nothing fit) when too long */
static bool join(char *out, size_t len, const char *a, const char *b)
{
	int n = snprintf(out, len, "%s/%s", a, b);

	return n >= 0 && (size_t)n < len;
}

static void add(const char *shown, const char *real)
{
	if (nents == MAX_ENTRIES || strlen(shown) >= PATH_MAX ||
	    strlen(real) >= PATH_MAX)
		return;
	strcpy(ents[nents].shown, shown);
	strcpy(ents[nents].real, real);
	nents++;
}

static bool exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

/* Is kernel group @id a scenario device's? */
static bool scenario_group(int id)
{
	char g[16];
	int i;

	for (i = 0; i < ndevs; i++) {
		if (devs[i].present &&
		    !dev_link(devs[i].bdf, "iommu_group", g, sizeof(g)) &&
		    atoi(g) == id)
			return true;
	}
	return false;
}

/* "12" or "noiommu-12" (a kernel group id) as the model numbers it */
static void model_group(const char *name, char *out, size_t len)
{
	const char *num = strncmp(name, "noiommu-", 8) ? name : name + 8;
	int count, id = atoi(num);

	if (*num < '0' || *num > '9' || !scenario_group(id) ||
	    snprintf(out, len, "%.*s%d", (int)(num - name), name,
		     group_rank(id, &count)) >= (int)len)
		snprintf(out, len, "%.*s", (int)len - 1, name);
}

/* Every entry of @dir that is not a directory (/dev/vfio/devices is one);
 * @groups: its names are group numbers */
static void add_dir(const char *dir, bool groups)
{
	char shown[PATH_MAX], real[PATH_MAX], name[NAME_MAX + 1];
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type == DT_DIR)
			continue;
		model_group(e->d_name, name, sizeof(name));
		if (join(real, sizeof(real), dir, e->d_name) &&
		    join(shown, sizeof(shown), dir, groups ? name : e->d_name))
			add(shown, real);
	}
	if (d)
		closedir(d);
}

/* /sys/kernel/iommu_groups/N/name: only a named group has the file
 * (iommu_group_set_name(): vfio_noiommu_group_alloc()'s) */
static void add_group_names(void)
{
	char shown[PATH_MAX], real[PATH_MAX], num[NAME_MAX + 1];
	const char *groups = "/sys/kernel/iommu_groups";
	DIR *d = opendir(groups);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		model_group(e->d_name, num, sizeof(num));
		if (snprintf(real, sizeof(real), "%s/%s/name", groups,
			     e->d_name) < (int)sizeof(real) &&
		    snprintf(shown, sizeof(shown), "%s/%s/name", groups, num) <
			    (int)sizeof(shown) &&
		    exists(real))
			add(shown, real);
	}
	if (d)
		closedir(d);
}

/* the vfio_device under each scenario device, and its `dev` attribute */
static void add_vfio_devs(void)
{
	char dir[PATH_MAX], path[PATH_MAX], dev[PATH_MAX];
	int i;

	for (i = 0; i < ndevs; i++) {
		struct dirent *e;
		DIR *d;

		if (!devs[i].present)
			continue;
		snprintf(dir, sizeof(dir), PCI_DEVICES "/%s/vfio-dev",
			 devs[i].bdf);
		d = opendir(dir);
		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.' ||
			    !join(path, sizeof(path), dir, e->d_name))
				continue;
			add(path, path);
			if (join(dev, sizeof(dev), path, "dev") && exists(dev))
				add(dev, dev);
		}
		if (d)
			closedir(d);
	}
}

static int cmp_shown(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->shown,
		      ((const struct entry *)b)->shown);
}

static void collect(void)
{
	nents = 0;
	if (exists("/dev/iommu"))
		add("/dev/iommu", "/dev/iommu");
	add_dir("/dev/vfio", true);
	add_dir("/dev/vfio/devices", false);
	add_dir("/sys/class/vfio", true);
	add_dir("/sys/class/vfio-dev", false);
	add_group_names();
	add_vfio_devs();
	qsort(ents, nents, sizeof(ents[0]), cmp_shown);
}

void vfio_nodes_list(const struct step *st)
{
	int i;

	(void)st;
	collect();
	printf(" 0 nodes=\"");
	for (i = 0; i < nents; i++)
		printf("%s%s", i ? "," : "", ents[i].shown);
	printf("\"");
}

/* The entry @path names: itself, or the first in a directory it names. */
static const struct entry *find(const char *path, bool *whole)
{
	size_t n = strlen(path);
	int i;

	while (n > 1 && path[n - 1] == '/')
		n--;
	for (i = 0; i < nents; i++) {
		const char *s = ents[i].shown;

		if (!strncmp(s, path, n) && (s[n] == 0 || s[n] == '/')) {
			*whole = s[n] == 0;
			return &ents[i];
		}
	}
	return NULL;
}

/* content=: an iommu group's name as read; a dev attribute as M:MINOR */
static void print_content(const struct entry *e, bool whole)
{
	char buf[256];
	const char *colon;

	if (!e || !whole || read_file(e->real, buf, sizeof(buf))) {
		printf(" content=\"(none)\"");
		return;
	}
	colon = strchr(buf, ':');
	if (strstr(e->shown, "/vfio-dev/") && colon)
		printf(" content=\"M:%s\"", colon + 1);
	else if (strstr(e->shown, "/iommu_groups/"))
		printf(" content=\"%s\"", buf);
	else
		printf(" content=\"(none)\"");
}

void vfio_check_node(const struct step *st)
{
	const char *path = NULL;
	const struct entry *e;
	bool whole = false;
	int i;

	for (i = 0; i < st->nargs; i++) {
		if (!strcmp(st->args[i].key, "path"))
			path = st->args[i].val;
	}
	if (!path) {
		printf(" -EINVAL");
		return;
	}
	collect();
	e = find(path, &whole);
	printf(" 0 exists=%d", e != NULL);
	print_content(e, whole);
}
