// SPDX-License-Identifier: MIT
/*
 * state.c - a line per group and per device describing the model's state,
 * so the trace can say what a step changed: the lines that differ.
 */
#include <string.h>

#include "runner.h"

/* "domain#3($d, unmanaged)", "domain#1(default, DMA)", "none" */
char *domain_str(struct iommu_group *g, struct iommu_domain *d)
{
	const char *label = NULL;

	if (!d)
		return g_strdup("none");
	if (d->label)
		label = d->label;
	else if (g && d == g->default_domain)
		label = "default";
	else if (g && d == g->blocking_domain)
		label = "blocking";
	return g_strdup_printf("domain#%d(%s%s%s)", d->obj.id,
			       label ? label : "", label ? ", " : "",
			       iommu_domain_type_name(d->type));
}

static void group_line(struct iommu_model *m, GString *s, struct iommu_group *g)
{
	g_autofree char *dom = domain_str(g, g->domain);
	g_autofree char *def = domain_str(g, g->default_domain);

	g_string_append_printf(s,
			       "group %d: domain %s, default %s, "
			       "owner_cnt %u, owner %s",
			       g->id, dom, def, g->owner_cnt,
			       g->owner ? g->owner : "none");
	if (g->handle)
		g_string_append_printf(s, ", handle domain#%d",
				       g->handle->obj.id);
	iommu_group_profile_describe(m, g, s);
	g_string_append(s, ", devices");
	for (guint i = 0; i < g->devices->len; i++) {
		struct device *dev = g->devices->pdata[i];

		g_string_append_printf(s, "%s%s", i ? "," : " ", dev->name);
	}
	g_string_append_c(s, '\n');
}

char *state_snapshot(struct iommu_model *m)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < m->groups->len; i++)
		group_line(m, s, m->groups->pdata[i]);
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];

		g_string_append_printf(s, "%s: driver %s, group %s\n",
				       dev->name,
				       dev->driver ? dev->driver->name : "none",
				       dev->iommu_group ? "yes" : "none");
	}
	return g_string_free(s, FALSE);
}

/* The lines of @after that are not in @before, "; "-separated. */
char *state_diff(const char *before, const char *after)
{
	g_auto(GStrv) b = g_strsplit(before, "\n", -1);
	g_auto(GStrv) a = g_strsplit(after, "\n", -1);
	GString *s = g_string_new(NULL);

	for (int i = 0; a[i]; i++) {
		if (!*a[i] || g_strv_contains((const char *const *)b, a[i]))
			continue;
		g_string_append_printf(s, "%s%s", s->len ? "\n" : "", a[i]);
	}
	for (int i = 0; b[i]; i++) {
		const char *colon = strchr(b[i], ':');
		g_autofree char *key = NULL;
		bool gone = true;

		if (strncmp(b[i], "group ", 6) || !colon)
			continue;
		/* a group that vanished */
		key = g_strndup(b[i], colon - b[i] + 1);
		for (int j = 0; a[j] && gone; j++)
			gone = !g_str_has_prefix(a[j], key);
		if (gone)
			g_string_append_printf(s, "%s%s released",
					       s->len ? "\n" : "", key);
	}
	if (!s->len) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

static char *bdf_name(struct device *dev)
{
	if (dev->kind == DEV_PLATFORM)
		return g_strdup(dev->name);
	return g_strdup_printf("0000:%02x:%02x.%u", dev->bus, dev->devfn >> 3,
			       dev->devfn & 7);
}

/* The sysfs view of groups and devices, as `ls -l` would show it:
 * /sys/kernel/iommu_groups/N/{type,devices/} and each device's
 * iommu_group and driver links (names in parentheses are the scenario's). */
char *sysfs_view(struct iommu_model *m)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		g_string_append_printf(s,
				       "/sys/kernel/iommu_groups/%d/type: %s\n",
				       g->id, iommu_group_type_str(g));
		for (guint j = 0; j < g->devices->len; j++) {
			struct device *dev = g->devices->pdata[j];
			g_autofree char *bdf = bdf_name(dev);

			g_string_append_printf(
				s,
				"/sys/kernel/iommu_groups/%d/devices/%s (%s)\n",
				g->id, bdf, dev->name);
		}
	}
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];
		g_autofree char *bdf = bdf_name(dev);
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
