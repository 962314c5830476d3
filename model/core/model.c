// SPDX-License-Identifier: MIT
/*
 * model.c - the machine: construction, teardown, owner cookies and the
 * kernel command line. The refusal/WARN record is report.c's.
 */

#include <string.h>

#include "copy.h"
#include "core.h"
#include "iommu.h"
#include "vfio/vfio.h"
#include "iommufd/iommufd.h"
#include "profile.h"
#include "pt/physmem.h"
#include "state.h"

/*
 * The last freed machine's shell: the machine's struct with its lists,
 * tables and report emptied, kept for the next machine (one per
 * thread). A search frees a copy per transition and makes the next at
 * once; making three tables, a string and an event log and freeing them
 * was a tenth of a transition (callgrind, docs/explore.md). Emptied, each
 * is what a new one is to its user (a table emptied is back at its
 * smallest size: g_hash_table_remove_all() resizes).
 */
static __thread struct iommu_model *shell;

static struct iommu_model *shell_take(void)
{
	struct iommu_model *m = shell, keep;

	if (!m)
		return NULL;
	shell = NULL;
	keep = *m;
	memset(m, 0, sizeof(*m));
	m->iommus = keep.iommus;
	m->devices = keep.devices;
	m->device_names = keep.device_names;
	m->groups = keep.groups;
	m->ictxs = keep.ictxs;
	m->cookies = keep.cookies;
	m->group_ids = keep.group_ids;
	m->why = keep.why;
	m->events = keep.events;
	return m;
}

/* @m's lists, tables and report, its objects freed: kept or freed */
static void shell_put(struct iommu_model *m)
{
	GPtrArray *lists[] = { m->iommus, m->devices, m->groups, m->ictxs };

	if (!shell) {
		for (guint i = 0; i < G_N_ELEMENTS(lists); i++)
			g_ptr_array_set_size(lists[i], 0);
		g_hash_table_remove_all(m->device_names);
		g_hash_table_remove_all(m->cookies);
		g_hash_table_remove_all(m->group_ids);
		g_string_truncate(m->why, 0);
		g_array_set_size(m->events, 0);
		shell = m;
		return;
	}
	for (guint i = 0; i < G_N_ELEMENTS(lists); i++)
		spare_ptr_array_put(lists[i]);
	g_hash_table_destroy(m->device_names);
	g_hash_table_destroy(m->cookies);
	g_hash_table_destroy(m->group_ids);
	g_string_free(m->why, TRUE);
	g_array_free(m->events, TRUE);
	g_free(m);
}

/* The machine's own containers, sized for what a copy puts in them (0
 * for a new machine: they grow), its profile resolved in @resolved. */
static struct iommu_model *model_alloc(const struct iommu_profile *profile,
				       struct iommu_profile_resolved *resolved,
				       const struct iommu_model *like)
{
	struct iommu_model *m = shell_take();

	if (!m) {
		m = g_new0(struct iommu_model, 1);
		m->iommus = spare_ptr_array(like ? like->iommus->len : 0);
		m->devices = spare_ptr_array(like ? like->devices->len : 0);
		m->device_names = g_hash_table_new(g_str_hash, g_str_equal);
		m->groups = spare_ptr_array(like ? like->groups->len : 0);
		m->ictxs = spare_ptr_array(like ? like->ictxs->len : 0);
		m->cookies = g_hash_table_new_full(g_str_hash, g_str_equal,
						   g_free, NULL);
		m->group_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
		m->why = g_string_new(NULL);
		m->events = iommu_events_new();
	}
	if (!like) { /* a copy shares its original's (copy.c) */
		m->drivers = spare_ptr_array(0);
		m->drivers_holders = g_new(unsigned int, 1);
		*m->drivers_holders = 1;
	}
	m->profile = profile;
	m->resolved = resolved;
	/* drivers/iommu/Kconfig: IOMMU_DEFAULT_DMA_LAZY if X86 */
	m->kconfig_default = IOMMU_DOMAIN_DMA_FQ;
	return m;
}

struct iommu_model *iommu_model_alloc(const struct iommu_profile *profile)
{
	struct iommu_profile_resolved *r =
		g_new0(struct iommu_profile_resolved, 1);

	/* registered and built-in profiles resolve (iommu_profile_register()) */
	g_warn_if_fail(!iommu_profile_resolve(profile, r));
	return model_alloc(profile, r, NULL);
}

/* The resolved table is flat (function pointers and sizes): a copy of
 * the original's is the profile resolved again, without the walk. */
struct iommu_model *iommu_model_alloc_like(const struct iommu_model *like)
{
	return model_alloc(like->profile,
			   g_memdup2(like->resolved, sizeof(*like->resolved)),
			   like);
}

struct iommu_model *iommu_model_new(const struct iommu_profile *profile)
{
	struct iommu_model *m = iommu_model_alloc(profile);

	m->root_bus = g_ptr_array_new();
	obj_table_init(&m->domains, OBJ_ID_MAX_31B, NULL);
	m->physmem = physmem_new();
	physmem_set_fault(m->physmem, &m->fault);
	return m;
}

/* A copy's device holds its name, then its boot driver, after the struct
 * (core/copy.c); either may have been replaced since by one of its own.
 * A string's place in the block is compared, never a freed pointer. */
static bool device_part_own(const struct device *dev, const char *part)
{
	const char *name = (const char *)(dev + 1);

	return dev->one_block &&
	       (part == name || part == name + strlen(name) + 1);
}

void device_free(struct device *dev)
{
	spare_ptr_array_put(dev->children);
	if (!device_part_own(dev, dev->boot_driver))
		g_free(dev->boot_driver);
	if (!device_part_own(dev, dev->name))
		g_free(dev->name);
	g_free(dev);
}

void device_unregister(struct iommu_model *m, struct device *dev)
{
	device_del(m, dev);
	device_free(dev);
}

void iommu_model_free(struct iommu_model *m)
{
	guint i;

	if (!m)
		return;
	iommu_touched_stop(m);
	iommufd_ctxs_reclaim(m); /* it destroys objects that use the rest */
	for (i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		spare_ptr_array_put(g->devices);
		if (g->pasids)
			g_array_free(g->pasids, TRUE);
		g_free(g->profile_data);
		g_free(g->name);
		g_free(g);
	}
	vfio_free(m->vfio);
	iommufd_selftest_free(m);
	iommu_domains_release(m);
	for (i = 0; i < m->devices->len; i++)
		device_free(m->devices->pdata[i]);
	for (i = 0; i < m->iommus->len; i++)
		iommu_device_free(m->iommus->pdata[i]);
	drivers_release(m);
	spare_ptr_array_put(m->root_bus);
	if (m->warned_once)
		g_hash_table_destroy(m->warned_once);
	g_free(m->resolved);
	physmem_free(m->physmem);
	shell_put(m);
}

const char *iommu_cookie(struct iommu_model *m, const char *name)
{
	char *key = g_hash_table_lookup(m->cookies, name);

	if (!key) {
		key = g_strdup(name);
		g_hash_table_add(m->cookies, key);
	}
	return key;
}

void iommu_set_cmdline(struct iommu_model *m, const char *key, bool val)
{
	/* iommu.c: iommu_set_def_domain_type(), iommu_dma_setup() */
	if (g_str_equal(key, "iommu.passthrough")) {
		m->cmdline_passthrough_set = true;
		m->cmdline_passthrough = val;
	} else if (g_str_equal(key, "iommu.strict")) {
		m->cmdline_strict_set = true;
		m->cmdline_strict = val;
	} else if (g_str_equal(key, "iommufd.allow_unsafe_interrupts")) {
		m->iommufd_allow_unsafe_interrupts = val;
	}
}
