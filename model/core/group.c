// SPDX-License-Identifier: MIT
/*
 * group.c - iommu groups: allocation with the lowest free id (iommu.c:
 * iommu_group_alloc(), ida_alloc()), release when the last device leaves,
 * and the sysfs view (iommu_group_show_type()).
 */
#include "iommu.h"

struct iommu_group *iommu_group_alloc(struct iommu_model *m)
{
	struct iommu_group *group = g_new0(struct iommu_group, 1);
	int id = m->group_id_hint;

	while (g_hash_table_contains(m->group_ids, GINT_TO_POINTER(id)))
		id++;
	m->group_id_hint = id + 1;
	group->id = id;
	group->devices = g_ptr_array_new();
	g_hash_table_insert(m->group_ids, GINT_TO_POINTER(id), group);
	g_ptr_array_add(m->groups, group);
	return group;
}

static void forget_stream_group(struct iommu_model *m,
				struct iommu_group *group)
{
	for (guint i = 0; i < m->iommus->len; i++) {
		struct iommu_device *iommu = m->iommus->pdata[i];
		GHashTableIter it;
		gpointer key, val;

		g_hash_table_iter_init(&it, iommu->stream_groups);
		while (g_hash_table_iter_next(&it, &key, &val)) {
			if (val == group)
				g_hash_table_iter_remove(&it);
		}
	}
}

/*
 * The last device left: iommu_deinit_device() frees the default and
 * blocking domains, iommu_group_release() frees the id.
 */
void iommu_group_free(struct iommu_model *m, struct iommu_group *group)
{
	if (group->default_domain && !group->default_domain->is_static)
		iommu_domain_free(m, group->default_domain);
	if (group->blocking_domain && !group->blocking_domain->is_static)
		iommu_domain_free(m, group->blocking_domain);
	forget_stream_group(m, group);
	g_hash_table_remove(m->group_ids, GINT_TO_POINTER(group->id));
	if (group->id < m->group_id_hint)
		m->group_id_hint = group->id;
	g_ptr_array_remove(m->groups, group);
	g_ptr_array_free(group->devices, TRUE);
	g_free(group);
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

const char *iommu_domain_type_name(unsigned int type)
{
	switch (type) {
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_DMA:
		return "DMA";
	case IOMMU_DOMAIN_DMA_FQ:
		return "DMA-FQ";
	}
	return "unknown";
}

/* iommu.c: iommu_group_show_type(), the type of the *default* domain */
const char *iommu_group_type_str(struct iommu_group *group)
{
	if (!group->default_domain)
		return "unknown";
	return iommu_domain_type_name(group->default_domain->type);
}
