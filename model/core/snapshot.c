// SPDX-License-Identifier: MIT
/*
 * snapshot.c - the model's state as canonical text (state.h): the lines
 * the trace compares, and the rest of what the model holds, hashed.
 */
#include <string.h>

#include "state.h"
#include "profile.h"
#include "pt/amdv1.h"
#include "pt/physmem.h"

char *iommu_domain_str(const struct iommu_group *g,
		       const struct iommu_domain *d)
{
	const char *name = iommu_domain_name(d);

	if (!d)
		return g_strdup("none");
	if (!d->label && g && d == g->default_domain)
		name = "default";
	else if (!d->label && g && d == g->blocking_domain)
		name = "blocking";
	return g_strdup_printf("%s (%s)", name,
			       iommu_domain_type_name(d->type));
}

void iommu_group_trace_line(struct iommu_model *m, struct iommu_group *g,
			    GString *s)
{
	g_autofree char *dom = iommu_domain_str(g, g->domain);
	const struct iommu_domain *d = g->default_domain;
	/* the default domain is "default" in its group's line: its type */
	g_autofree char *def =
		d && !d->label ? g_strdup(iommu_domain_type_name(d->type))
			       : iommu_domain_str(g, d);

	g_string_append_printf(s,
			       "group %d: domain %s, default_domain %s, "
			       "owner_cnt %u, owner %s",
			       g->id, dom, def, g->owner_cnt,
			       g->owner ? g->owner : "none");
	if (g->handle)
		g_string_append_printf(s, ", handle %s",
				       iommu_domain_name(g->handle));
	for (guint i = 0; g->pasids && i < g->pasids->len; i++) {
		const struct iommu_pasid_entry *e =
			&g_array_index(g->pasids, struct iommu_pasid_entry, i);

		g_string_append_printf(s, ", pasid %u %s%s", e->pasid,
				       iommu_domain_name(e->domain),
				       e->handle ? "" : " (no handle)");
	}
	if (g->recovery_cnt)
		g_string_append_printf(s, ", recovery_cnt %u", g->recovery_cnt);
	iommu_group_profile_describe(m, g, s);
	g_string_append(s, ", devices");
	for (guint i = 0; i < g->devices->len; i++) {
		struct device *dev = g->devices->pdata[i];

		g_string_append_printf(s, "%s%s", i ? "," : " ", dev->name);
	}
}

void iommu_device_trace_line(struct device *dev, GString *s)
{
	g_autofree char *dom =
		iommu_domain_str(dev->iommu_group, dev->attached);

	g_string_append_printf(s, "%s: driver %s, group ", dev->name,
			       dev->driver ? dev->driver->name : "none");
	if (dev->iommu_group)
		g_string_append_printf(s, "%d", dev->iommu_group->id);
	else
		g_string_append(s, "none");
	/* what the IOMMU driver last installed for it (attach_dev) */
	g_string_append_printf(s, ", domain %s", dom);
	/* the tasks in device_lock(dev): the first blocked in the driver's
	 * remove, the others waiting for the lock (bind.c) */
	for (u8 i = 0; i < dev->lock_tasks; i++) {
		g_string_append_printf(
			s, "%s%s%s%s%s", i ? ", then " : ", device_lock: ",
			dev_lock_what_name(dev->lock_task[i].what),
			dev->lock_task[i].drv ? " " : "",
			dev->lock_task[i].drv ? dev->lock_task[i].drv->name
					      : "",
			i ? " waiting" : " blocked in remove");
	}
	/* its sysfs remove written (bind.c device_del()), and the removal
	 * waiting for pci_rescan_remove_lock */
	if (dev->remove_written && !dev->removed)
		g_string_append(s, ", remove written");
	/* in its slot, but no PCI scan found it (pci_probe.c) */
	if (dev->unscanned && !dev->removed)
		g_string_append(s, ", not found by the PCI scan");
	if (dev->rescan_wait)
		g_string_append_printf(
			s, ", removal waiting for pci_rescan_remove_lock (%u)",
			dev->rescan_wait);
}

static void trace_lines(struct iommu_model *m, GString *s)
{
	for (guint i = 0; i < m->groups->len; i++) {
		iommu_group_trace_line(m, m->groups->pdata[i], s);
		g_string_append_c(s, '\n');
	}
	for (guint i = 0; i < m->devices->len; i++) {
		iommu_device_trace_line(m->devices->pdata[i], s);
		g_string_append_c(s, '\n');
	}
}

static u64 fnv1a(const char *p, u64 h)
{
	for (; *p; p++)
		h = (h ^ (u8)*p) * 0x100000001b3ull;
	return h;
}

#define FNV_BASIS 0xcbf29ce484222325ull

static void domain_line(GString *s, struct iommu_domain *d)
{
	g_autoptr(GString) table = g_string_new(NULL);

	if (d->pt)
		pt_amdv1_dump(d->pt, table);
	g_string_append_printf(
		s, "domain#%u: %s, owner %s%s, label %s, table %016llx\n",
		d->obj.id, iommu_domain_type_name(d->type),
		d->owner ? d->owner->name : "none",
		d->is_static ? ", static" : "", d->label ? d->label : "none",
		d->pt ? (unsigned long long)fnv1a(table->str, FNV_BASIS) : 0);
}

/* a run of memory's contents (physmem_contents_foreach()) */
static void memory_line(void *data, u64 start, u64 end, u8 val)
{
	g_string_append_printf(data, "memory %016llx-%016llx: %02x\n",
			       (unsigned long long)start,
			       (unsigned long long)end, val);
}

static void machine_lines(struct iommu_model *m, GString *s)
{
	struct physmem_stats st;

	g_string_append_printf(
		s,
		"config: booted %d, def_domain_type %u, dma_strict %d, "
		"kconfig %d, passthrough %d/%d, strict %d/%d\n",
		m->booted, m->def_domain_type, m->dma_strict,
		m->kconfig_default, m->cmdline_passthrough_set,
		m->cmdline_passthrough, m->cmdline_strict_set,
		m->cmdline_strict);
	for (guint i = 0; i < m->iommus->len; i++) {
		struct iommu_device *iommu = m->iommus->pdata[i];

		g_string_append_printf(
			s, "iommu %s: fail_attach %d skip %d errno %d dev %s\n",
			iommu->name, iommu->fail_attach,
			iommu->fail_attach_skip, iommu->fail_attach_errno,
			iommu->fail_attach_dev ? iommu->fail_attach_dev->name
					       : "any");
	}
	physmem_get_stats(m->physmem, &st);
	g_string_append_printf(s, "table pages: %llu\n",
			       (unsigned long long)st.table_pages);
	physmem_contents_foreach(m->physmem, memory_line, s);
}

static void full_lines(struct iommu_model *m, GString *s)
{
	machine_lines(m, s);
	for (struct iommu_domain *d = iommu_domain_next(m, NULL); d;
	     d = iommu_domain_next(m, d))
		domain_line(s, d);
	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		g_string_append_printf(
			s, "group %d: blocking domain#%u, claims %u\n", g->id,
			g->blocking_domain ? g->blocking_domain->obj.id : 0,
			g->claims);
	}
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];

		g_string_append_printf(
			s,
			"%s: bus %d, devfn %02x.%x, iommu %s, probed %d, "
			"attached domain#%u, direct_uses %u",
			dev->name, dev->bus, dev->devfn >> 3, dev->devfn & 7,
			dev->iommu ? dev->iommu->name : "none", dev->dev_iommu,
			dev->attached ? dev->attached->obj.id : 0,
			dev->direct_uses);
		if (dev->reset_depth) /* inside a PCI reset (pci_reset.c) */
			g_string_append_printf(
				s, ", reset_depth %u%s", dev->reset_depth,
				dev->reset_blocked ? " blocked" : "");
		if (dev->require_direct) /* dev->iommu->require_direct */
			g_string_append(s, ", require_direct");
		g_string_append_c(s, '\n');
	}
}

char *iommu_state_snapshot(struct iommu_model *m,
			   enum iommu_state_detail detail)
{
	GString *s = g_string_new(NULL);

	trace_lines(m, s);
	if (detail == IOMMU_STATE_FULL)
		full_lines(m, s);
	return g_string_free(s, FALSE);
}

/* "group N:" of a group line, or NULL */
static char *group_key(const char *line)
{
	const char *colon = strchr(line, ':');

	if (strncmp(line, "group ", 6) || !colon)
		return NULL;
	return g_strndup(line, colon - line + 1);
}

/* The lines as a set (the strings stay @lines'), and the "group N:" keys
 * of the group lines in @groups (owned) if given: hashed, so a diff is
 * linear in the snapshot's size however many devices the machine has. */
static GHashTable *line_set(char **lines)
{
	GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);

	for (int i = 0; lines[i]; i++)
		g_hash_table_add(set, lines[i]);
	return set;
}

/* the groups @lines name (group_key()), owned by the set */
static GHashTable *group_set(char **lines)
{
	GHashTable *groups =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (int i = 0; lines[i]; i++) {
		char *key = group_key(lines[i]);

		if (key)
			g_hash_table_add(groups, key);
	}
	return groups;
}

void iommu_state_diff_parts(const char *before, const char *after,
			    GString *added, GString *released)
{
	g_auto(GStrv) b = g_strsplit(before, "\n", -1);
	g_auto(GStrv) a = g_strsplit(after, "\n", -1);
	g_autoptr(GHashTable) a_groups = group_set(a);
	g_autoptr(GHashTable) b_set = line_set(b);

	for (int i = 0; a[i]; i++) {
		if (!*a[i] || g_hash_table_contains(b_set, a[i]))
			continue;
		g_string_append_printf(added, "%s%s", added->len ? "\n" : "",
				       a[i]);
	}
	for (int i = 0; b[i]; i++) {
		g_autofree char *key = group_key(b[i]);

		if (key && !g_hash_table_contains(a_groups, key))
			g_string_append_printf(released, "%s%s released",
					       released->len ? "\n" : "", key);
	}
}

char *iommu_state_diff(const char *before, const char *after)
{
	g_autoptr(GString) added = g_string_new(NULL);
	g_autoptr(GString) released = g_string_new(NULL);

	iommu_state_diff_parts(before, after, added, released);
	if (added->len && released->len)
		g_string_append_c(added, '\n');
	g_string_append(added, released->str);
	return added->len ? g_strdup(added->str) : NULL;
}
