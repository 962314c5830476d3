// SPDX-License-Identifier: MIT
/*
 * copy.c - an exact copy of the machine between two operations, so a
 * search produces a state's successors from the state itself (copy it,
 * run one step) instead of replaying its path from the scenario's start.
 *
 * Exact means the copy's future is the original's: every object with
 * its fields, ids and serials (the next domain gets the same id and
 * serial in both), the group ida and its hint, table pages at the same
 * PAs with the same free stack, the budget and the fail-nth knob. The
 * copy owns everything it points to; the original is not touched.
 *
 * Objects point at each other (a device at its group, a group at its
 * domains, an IOMMU at its static domains), so the copy is two passes:
 * copy every object and remember old -> new, then point the copies'
 * references through that map. A reference to an object the map lacks
 * means state the copy does not cover yet: the copy is refused.
 *
 * Not covered (the copy returns NULL, the caller replays instead): VFIO
 * once a device is registered or a file open (its configuration alone
 * is copied), and the iommufd selftest's mock IOMMU and devices
 * (m->selftest), whose objects hold the iommufd side's contexts.
 */
#include <string.h>

#include "iommu.h"
#include "profile.h"
#include "pt/amdv1.h"
#include "pt/physmem.h"
#include "vfio/vfio.h"

/* The copy map, old object -> its copy: open addressing on the pointer,
 * sized once for every object the copy makes (a GHashTable's inserts and
 * growth were a tenth of a copy's time). */
struct copy_slot {
	const void *from;
	void *to;
};

struct copy {
	struct iommu_model *to;
	struct copy_slot *slots, small[128];
	size_t mask;
	bool missing; /* a reference to an object not copied */
};

static void map_init(struct copy *c, size_t objects)
{
	size_t cap = 32;

	while (cap < 2 * objects)
		cap *= 2;
	c->slots = cap <= G_N_ELEMENTS(c->small) ? c->small
						 : g_new(struct copy_slot, cap);
	memset(c->slots, 0, cap * sizeof(*c->slots));
	c->mask = cap - 1;
}

static void map_clear(struct copy *c)
{
	if (c->slots != c->small)
		g_free(c->slots);
}

static struct copy_slot *map_slot(const struct copy *c, const void *from)
{
	size_t i = ((uintptr_t)from >> 4) * 0x9e3779b97f4a7c15ull >> 20;

	for (i &= c->mask; c->slots[i].from && c->slots[i].from != from;
	     i = (i + 1) & c->mask)
		;
	return &c->slots[i];
}

static void map_add(struct copy *c, const void *from, void *to)
{
	struct copy_slot *sl = map_slot(c, from);

	sl->from = from;
	sl->to = to;
}

static void *remap(struct copy *c, const void *old)
{
	void *n;

	if (!old)
		return NULL;
	n = map_slot(c, old)->to;
	if (!n)
		c->missing = true;
	return n;
}

static GPtrArray *remap_array(struct copy *c, const GPtrArray *a)
{
	GPtrArray *n = g_ptr_array_sized_new(a->len);

	for (guint i = 0; i < a->len; i++)
		g_ptr_array_add(n, remap(c, a->pdata[i]));
	return n;
}

/* A GHashTable of direct keys whose values are objects (stream ids). */
static void remap_values(struct copy *c, GHashTable *to, GHashTable *from)
{
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(to, key, remap(c, val));
}

/* ---- first pass: the objects ---- */

static void copy_iommus(struct copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->iommus->len; i++) {
		const struct iommu_device *o = m->iommus->pdata[i];
		struct iommu_device *n = g_memdup2(o, sizeof(*o));

		n->name = g_strdup(o->name);
		n->stream_groups =
			g_hash_table_new(g_direct_hash, g_direct_equal);
		n->stream_owners =
			g_hash_table_new(g_direct_hash, g_direct_equal);
		g_ptr_array_add(c->to->iommus, n);
		map_add(c, o, n);
	}
}

/* Shared, not copied: a driver changes only when it is registered again
 * (driver_register() makes it the machine's own first). */
static void copy_drivers(struct copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->drivers->len; i++) {
		struct device_driver *d = m->drivers->pdata[i];

		d->refs++;
		g_ptr_array_add(c->to->drivers, d);
		map_add(c, d, d);
	}
}

/* obj_table_copy()'s callback: a domain and its table over the copy's
 * physmem; its owner is pointed in the second pass. */
static struct obj_header *copy_domain(struct obj_header *obj, void *data)
{
	struct copy *c = data;
	const struct iommu_domain *o = (struct iommu_domain *)obj;
	struct iommu_domain *n = g_memdup2(o, sizeof(*o));

	n->label = g_strdup(o->label);
	if (o->pt) {
		n->pt = g_new0(struct pt_amdv1, 1);
		if (pt_amdv1_copy(n->pt, o->pt, c->to->physmem))
			c->missing = true;
	}
	map_add(c, o, n);
	return &n->obj;
}

static void copy_devices(struct copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->devices->len; i++) {
		const struct device *o = m->devices->pdata[i];
		struct device *n = g_memdup2(o, sizeof(*o));

		n->name = g_strdup(o->name);
		n->boot_driver = g_strdup(o->boot_driver);
		n->children = NULL;
		g_ptr_array_add(c->to->devices, n);
		map_add(c, o, n);
	}
}

static void copy_groups(struct copy *c, const struct iommu_model *m)
{
	size_t own = m->resolved->group.data_size;

	for (guint i = 0; i < m->groups->len; i++) {
		const struct iommu_group *o = m->groups->pdata[i];
		struct iommu_group *n = g_memdup2(o, sizeof(*o));

		n->name = g_strdup(o->name);
		n->devices = NULL;
		n->profile_data = o->profile_data && own
					  ? g_memdup2(o->profile_data, own)
					  : NULL;
		g_ptr_array_add(c->to->groups, n);
		g_hash_table_insert(c->to->group_ids, GINT_TO_POINTER(n->id),
				    n);
		map_add(c, o, n);
	}
}

/* Owner cookies are interned strings: a group's owner is one of them. */
static void copy_cookies(struct copy *c, const struct iommu_model *m)
{
	GHashTableIter it;
	gpointer key;

	g_hash_table_iter_init(&it, m->cookies);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		char *n = g_strdup(key);

		g_hash_table_add(c->to->cookies, n);
		map_add(c, key, n);
	}
}

/* ---- second pass: the references ---- */

static void point_iommus(struct copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->iommus->len; i++) {
		const struct iommu_device *o = m->iommus->pdata[i];
		struct iommu_device *n = c->to->iommus->pdata[i];

		n->blocked_domain = remap(c, o->blocked_domain);
		n->identity_domain = remap(c, o->identity_domain);
		n->fail_attach_dev = remap(c, o->fail_attach_dev);
		remap_values(c, n->stream_groups, o->stream_groups);
		remap_values(c, n->stream_owners, o->stream_owners);
	}
}

static void point_devices(struct copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->devices->len; i++) {
		const struct device *o = m->devices->pdata[i];
		struct device *n = c->to->devices->pdata[i];

		n->parent = remap(c, o->parent);
		if (o->children)
			n->children = remap_array(c, o->children);
		n->iommu = remap(c, o->iommu);
		n->iommu_group = remap(c, o->iommu_group);
		n->attached = remap(c, o->attached);
		n->driver = remap(c, o->driver);
	}
	c->to->root_bus = remap_array(c, m->root_bus);
}

static void point_groups(struct copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->groups->len; i++) {
		const struct iommu_group *o = m->groups->pdata[i];
		struct iommu_group *n = c->to->groups->pdata[i];

		n->devices = remap_array(c, o->devices);
		n->default_domain = remap(c, o->default_domain);
		n->blocking_domain = remap(c, o->blocking_domain);
		n->domain = remap(c, o->domain);
		n->handle = remap(c, o->handle);
		n->pasids = NULL;
		for (guint k = 0; o->pasids && k < o->pasids->len; k++) {
			struct iommu_pasid_entry e = g_array_index(
				o->pasids, struct iommu_pasid_entry, k);

			if (!n->pasids)
				n->pasids =
					g_array_new(FALSE, FALSE, sizeof(e));
			e.domain = remap(c, e.domain);
			g_array_append_val(n->pasids, e);
		}
		n->owner = remap(c, o->owner);
	}
}

static void point_domains(struct copy *c)
{
	struct iommu_domain *d = NULL;

	while ((d = iommu_domain_next(c->to, d)))
		d->owner = remap(c, d->owner);
}

/* device_names: name -> the newest device of that name */
static void point_names(struct copy *c, const struct iommu_model *m)
{
	GHashTableIter it;
	gpointer val;

	g_hash_table_iter_init(&it, m->device_names);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		struct device *n = remap(c, val);

		if (n)
			g_hash_table_insert(c->to->device_names, n->name, n);
	}
}

/* A set of owned strings (the WARN_ON_ONCE sites that fired). */
static void copy_strings(GHashTable *to, GHashTable *from)
{
	GHashTableIter it;
	gpointer key;

	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_hash_table_add(to, g_strdup(key));
}

/* The copy's own containers, its scalars the original's. */
static struct iommu_model *model_shell(const struct iommu_model *m)
{
	struct iommu_model *to = iommu_model_alloc(m->profile);

	to->group_id_hint = m->group_id_hint;
	to->group_seq = m->group_seq;
	to->booted = m->booted;
	to->def_domain_type = m->def_domain_type;
	to->dma_strict = m->dma_strict;
	to->cmdline_passthrough_set = m->cmdline_passthrough_set;
	to->cmdline_passthrough = m->cmdline_passthrough;
	to->cmdline_strict_set = m->cmdline_strict_set;
	to->cmdline_strict = m->cmdline_strict;
	to->iommufd_allow_unsafe_interrupts =
		m->iommufd_allow_unsafe_interrupts;
	to->kconfig_default = m->kconfig_default;
	to->fault = m->fault;
	to->warned = m->warned;
	copy_strings(to->warned_once, m->warned_once);
	to->left_inconsistent = m->left_inconsistent;
	to->quiet = m->quiet;
	to->physmem = physmem_copy(m->physmem);
	if (to->physmem)
		physmem_set_fault(to->physmem, &to->fault);
	return to;
}

struct iommu_model *iommu_model_copy(const struct iommu_model *m)
{
	struct copy c = { 0 };

	if (!vfio_is_empty(m->vfio) || m->selftest)
		return NULL;
	map_init(&c, m->iommus->len + m->drivers->len + m->devices->len +
			     m->groups->len + g_hash_table_size(m->cookies) +
			     m->domains.slots->len);
	c.to = model_shell(m);
	if (m->vfio)
		vfio_copy_empty(m->vfio, c.to);
	if (!c.to->physmem) {
		c.to->physmem =
			physmem_new(); /* iommu_model_free() needs one */
		c.missing = true;
	}
	copy_iommus(&c, m);
	copy_drivers(&c, m);
	copy_devices(&c, m);
	copy_groups(&c, m);
	copy_cookies(&c, m);
	if (obj_table_copy(&c.to->domains, &m->domains, NULL, copy_domain,
			   &c)) {
		obj_table_init(&c.to->domains, OBJ_ID_MAX_31B, NULL);
		c.missing = true;
	}
	point_iommus(&c, m);
	point_devices(&c, m);
	point_groups(&c, m);
	point_domains(&c);
	point_names(&c, m);
	if (c.missing) {
		iommu_model_free(c.to);
		c.to = NULL;
	}
	map_clear(&c);
	return c.to;
}
