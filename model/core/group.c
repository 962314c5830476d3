// SPDX-License-Identifier: MIT
/*
 * group.c - iommu groups: allocation with the lowest free id (iommu.c:
 * iommu_group_alloc(), ida_alloc()), release when the last device leaves,
 * and the sysfs view (iommu_group_show_type()).
 */
#include <string.h>

#include "copy.h"
#include "core.h"

struct iommu_group *iommu_group_alloc(struct iommu_model *m)
{
	struct iommu_group *group = g_new0(struct iommu_group, 1);
	int id = m->group_id_hint;

	while (g_hash_table_contains(m->group_ids, GINT_TO_POINTER(id)))
		id++;
	m->group_id_hint = id + 1;
	group->id = id;
	group->devices = g_ptr_array_new();
	if (m->resolved->group.data_size)
		group->profile_data = g_malloc0(m->resolved->group.data_size);
	group->seq = m->group_seq++;
	g_hash_table_insert(m->group_ids, GINT_TO_POINTER(id), group);
	g_ptr_array_add(m->groups, group);
	iommu_touch_group_new(m, group);
	return group;
}

static void forget_stream_group(struct iommu_model *m,
				struct iommu_group *group)
{
	for (guint i = 0; i < m->iommus->len; i++) {
		struct iommu_device *iommu = m->iommus->pdata[i];
		GHashTableIter it;
		gpointer key, val;

		if (!iommu->stream_groups)
			continue;
		g_hash_table_iter_init(&it, iommu->stream_groups);
		while (g_hash_table_iter_next(&it, &key, &val)) {
			if (val == group)
				g_hash_table_iter_remove(&it);
		}
	}
}

/* iommu_group_release(): the id back to the ida, the struct freed */
static void iommu_group_release(struct iommu_model *m,
				struct iommu_group *group)
{
	g_hash_table_remove(m->group_ids, GINT_TO_POINTER(group->id));
	if (group->id < m->group_id_hint)
		m->group_id_hint = group->id;
	spare_ptr_array_put(group->devices);
	g_free(group->profile_data);
	g_free(group->name);
	g_free(group);
}

/*
 * The last device left: iommu_deinit_device() frees the default and
 * blocking domains; iommu_group_release() frees the id once no
 * iommu_group_get() reference is left (iommufd's igroup keeps one).
 */
void iommu_group_free(struct iommu_model *m, struct iommu_group *group)
{
	struct iommu_domain *def = group->default_domain;
	struct iommu_domain *blocking = group->blocking_domain;

	iommu_touch_group_gone(m, group);
	group->unlisted = true;
	/* the slots let go first: the frees below may take the domains */
	iommu_domain_slot_set(&group->default_domain, NULL);
	iommu_domain_slot_set(&group->blocking_domain, NULL);
	iommu_domain_slot_set(&group->domain, NULL);
	iommu_domain_slot_set(&group->handle, NULL);
	iommu_group_pasids_clear(group);
	if (def && !def->is_static)
		iommu_domain_free(m, def);
	if (blocking && !blocking->is_static)
		iommu_domain_free(m, blocking);
	forget_stream_group(m, group);
	g_ptr_array_remove(m->groups, group);
	if (!group->refs)
		iommu_group_release(m, group);
}

void iommu_group_ref_get(struct iommu_group *group)
{
	group->refs++;
}

void iommu_group_ref_put(struct iommu_model *m, struct iommu_group *group)
{
	if (--group->refs || group->devices->len)
		return;
	iommu_group_release(m, group);
}

/*
 * iommu.c iommu_group_add_device() / iommu_group_remove_device() for a
 * group no IOMMU driver made: VFIO's fake "vfio-noiommu" group
 * (drivers/vfio/group.c vfio_noiommu_group_alloc(): iommu_group_alloc(),
 * iommu_group_set_name(), iommu_group_add_device()). dev->iommu stays
 * NULL: no driver probed the device. Removing the last device frees the
 * group, as vfio_group_release()'s iommu_group_put() does.
 */
int iommu_group_add_device(struct iommu_model *m, struct iommu_group *group,
			   struct device *dev)
{
	if (dev->iommu_group)
		return iommu_refuse(m, -EBUSY, "iommu_group_add_device",
				    "%s is in group %d already", dev->name,
				    dev->iommu_group->id);
	iommu_touch_device(m, dev);
	iommu_touch_group(m, group);
	g_ptr_array_add(group->devices, dev);
	dev->iommu_group = group;
	return 0;
}

void iommu_group_remove_device(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return;
	iommu_touch_device(m, dev);
	iommu_touch_group(m, group);
	g_ptr_array_remove(group->devices, dev);
	dev->iommu_group = NULL;
	if (!group->devices->len)
		iommu_group_free(m, group);
}

struct iommu_group *iommu_group_get(struct device *dev)
{
	return dev->iommu_group;
}

int iommu_group_device_count(struct iommu_group *group)
{
	return group->devices->len;
}

struct device *iommu_group_first_dev(struct iommu_group *group)
{
	return group->devices->len ? group->devices->pdata[0] : NULL;
}

/* iommu.c: iommu_group_show_type(), the type of the *default* domain */
const char *iommu_group_type_str(struct iommu_group *group)
{
	if (!group->default_domain)
		return "unknown";
	return iommu_domain_type_name(group->default_domain->type);
}

static bool ops_static_name(const char *name)
{
	return !strcmp(name, "identity_domain") ||
	       !strcmp(name, "blocked_domain");
}

/*
 * A caller naming one of @dev's group's core domains: "default"
 * (group->default_domain), "blocking" (group->blocking_domain, NULL until
 * an owner claims the group), one of its driver's static domains
 * ("identity_domain", "blocked_domain": dev_iommu_ops(dev)->..., NULL
 * where the driver has none) or "none" (NULL). Without a group or an
 * IOMMU there is no such domain: the caller would dereference NULL,
 * IOMMU_UB (refused under @func).
 */
int iommu_core_domain(struct iommu_model *m, struct device *dev,
		      const char *name, const char *func,
		      struct iommu_domain **out)
{
	struct iommu_group *g = dev ? dev->iommu_group : NULL;

	*out = NULL;
	if (!strcmp(name, "none"))
		return 0;
	if (ops_static_name(name) && (!dev || !dev->dev_iommu))
		return iommu_refuse(m, IOMMU_UB, func,
				    "'%s' is dev_iommu_ops(%s)->%s, but %s has "
				    "no IOMMU (dev->iommu is NULL)",
				    name, dev ? dev->name : "?", name,
				    dev ? dev->name : "?");
	if (ops_static_name(name))
		return iommu_ops_static_domain(m, dev->iommu, name, out);
	if (!g)
		return iommu_refuse(m, IOMMU_UB, func,
				    "'%s' names a core domain but %s has no "
				    "group",
				    name, dev ? dev->name : "?");
	*out = iommu_group_core_domain(g, name);
	return 0;
}

/* The same without a refusal, for views and checks: NULL for "none", a
 * missing group or a blocking domain not allocated yet. */
struct iommu_domain *iommu_group_core_domain(const struct iommu_group *g,
					     const char *name)
{
	if (!g || !strcmp(name, "none"))
		return NULL;
	return !strcmp(name, "default") ? g->default_domain
					: g->blocking_domain;
}
