// SPDX-License-Identifier: MIT
/*
 * sysfs.c - what userspace reads and writes under /sys for the modelled
 * devices and groups: a device's iommu_group link and its group's type
 * file (drivers/iommu/iommu.c iommu_group_attr_type,
 * iommu_group_show_type(), iommu_group_store_type()), the driver link,
 * and the whole view as `ls -l` would show it.
 */
#include <string.h>

#include "iommu.h"
#include "iommufd/process.h"
#include "kerrno.h"

/*
 * A write to a device's attribute: only iommu_group/type is writable
 * (0644; the other attributes the model shows are links). A device
 * without a group has no iommu_group link to follow.
 */
int iommu_sysfs_store(struct iommu_model *m, struct device *dev,
		      const char *attr, const char *value,
		      const struct process *writer)
{
	if (strcmp(attr, "iommu_group/type"))
		return iommu_refuse(m, -EACCES, "sysfs",
				    "%s is not writable here", attr);
	if (!dev->iommu_group)
		return iommu_refuse(m, -ENOENT, "sysfs",
				    "%s has no iommu_group link", dev->name);
	/* iommu_group_store_type(): before anything else */
	if (writer && (!capable(writer, CAP_SYS_ADMIN) ||
		       !capable(writer, CAP_SYS_RAWIO)))
		return iommu_refuse(m, -EACCES, "iommu_group_store_type",
				    "!capable(CAP_SYS_ADMIN) || "
				    "!capable(CAP_SYS_RAWIO)");
	return iommu_group_store_type(m, dev, value);
}

/* What a device's attribute reads: "driver" (the link's name),
 * "iommu_group" (the group's number), "iommu_group/type" or
 * "iommu_group/reserved_regions" (its last newline dropped, as the
 * guest's read does); "none" for a link that is not there. */
char *iommu_sysfs_show(struct device *dev, const char *attr)
{
	char *text;

	if (!strcmp(attr, "driver"))
		return g_strdup(dev->driver ? dev->driver->name : "none");
	if (!dev->iommu_group)
		return g_strdup("none");
	if (!strcmp(attr, "iommu_group"))
		return g_strdup_printf("%d", dev->iommu_group->id);
	if (strcmp(attr, "iommu_group/reserved_regions"))
		return g_strdup(iommu_group_type_str(dev->iommu_group));
	text = iommu_group_show_resv_regions(dev->iommu_group);
	if (*text)
		text[strlen(text) - 1] = '\0';
	return text;
}

char *iommu_dev_sysfs_name(struct device *dev)
{
	if (dev->kind == DEV_PLATFORM)
		return g_strdup(dev->name);
	return g_strdup_printf("0000:%02x:%02x.%u", dev->bus, dev->devfn >> 3,
			       dev->devfn & 7);
}

static void group_entries(GString *s, struct iommu_group *g)
{
	g_string_append_printf(s, "/sys/kernel/iommu_groups/%d/type: %s\n",
			       g->id, iommu_group_type_str(g));
	for (guint j = 0; j < g->devices->len; j++) {
		struct device *dev = g->devices->pdata[j];
		g_autofree char *bdf = iommu_dev_sysfs_name(dev);

		g_string_append_printf(
			s, "/sys/kernel/iommu_groups/%d/devices/%s (%s)\n",
			g->id, bdf, dev->name);
	}
}

/* The sysfs view of groups and devices, as `ls -l` would show it:
 * /sys/kernel/iommu_groups/N/{type,devices/} and each device's
 * iommu_group and driver links (names in parentheses are the scenario's). */
char *iommu_sysfs_view(struct iommu_model *m)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < m->groups->len; i++)
		group_entries(s, m->groups->pdata[i]);
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];
		g_autofree char *bdf = iommu_dev_sysfs_name(dev);
		g_autofree char *grp =
			dev->iommu_group
				? g_strdup_printf("%d", dev->iommu_group->id)
				: g_strdup("(none)");

		g_string_append_printf(
			s, "%s (%s): iommu_group -> %s, driver -> %s\n", bdf,
			dev->name, grp,
			dev->driver ? dev->driver->name : "(none)");
	}
	return g_string_free(s, FALSE);
}
