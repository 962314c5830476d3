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
 * The iommufd ctxs with their objects (iommufd/copy.c) and VFIO's
 * devices, groups, files and containers (vfio/copy.c) are copied through
 * the same map (copy.h), and so are the iommufd selftest's mock IOMMU
 * and soft devices (iommufd/copy_selftest.c, with this file's per-IOMMU
 * and per-device helpers). Not covered (the copy is refused with the
 * reason, the caller replays instead): the iommufd object kinds
 * iommufd_copy_check() names (a vIOMMU and what hangs off it).
 */
#include <stdarg.h>
#include <string.h>

#include "copy.h"
#include "iommu.h"
#include "profile.h"
#include "pt/amdv1.h"
#include "pt/physmem.h"
#include "vfio/vfio.h"

/* Every field of these is copied here or in its subsystem's copy.c: a
 * field added to one changes its size and stops the build on this line,
 * until the copy covers it and the size is brought up to date (LP64). */
G_STATIC_ASSERT(sizeof(struct iommu_model) == 272);
G_STATIC_ASSERT(sizeof(struct iommu_device) == 120);
G_STATIC_ASSERT(sizeof(struct device) == 384); /* reset_bus_method, the
						 * lock tasks: *n = *o */
G_STATIC_ASSERT(sizeof(struct iommu_group) == 128);
G_STATIC_ASSERT(sizeof(struct iommu_domain) == 112);

/* ---- the copy map (copy.h) ----
 *
 * Open addressing on the pointer (a GHashTable's inserts and growth were
 * a tenth of a copy's time), sized for the core's objects and doubled
 * when the subsystems' fill it past half. */

static void map_alloc(struct iommu_copy *c, size_t cap)
{
	c->slots = cap <= G_N_ELEMENTS(c->small) ? c->small
						 : g_new(struct copy_slot, cap);
	memset(c->slots, 0, cap * sizeof(*c->slots));
	c->mask = cap - 1;
	c->used = 0;
}

static void map_init(struct iommu_copy *c, size_t objects)
{
	size_t cap = 32;

	while (cap < 2 * objects)
		cap *= 2;
	map_alloc(c, cap);
}

static void map_clear(struct iommu_copy *c)
{
	if (c->slots != c->small)
		g_free(c->slots);
	c->slots = NULL;
}

static struct copy_slot *map_slot(const struct iommu_copy *c, const void *from)
{
	size_t i = ((uintptr_t)from >> 4) * 0x9e3779b97f4a7c15ull >> 20;

	for (i &= c->mask; c->slots[i].from && c->slots[i].from != from;
	     i = (i + 1) & c->mask)
		;
	return &c->slots[i];
}

static void map_grow(struct iommu_copy *c)
{
	struct copy_slot *old = c->slots;
	size_t cap = c->mask + 1;

	if (old == c->small) {
		old = g_memdup2(c->small, sizeof(c->small));
	}
	map_alloc(c, 2 * cap);
	for (size_t i = 0; i < cap; i++) {
		if (old[i].from)
			copy_map_add(c, old[i].from, old[i].to);
	}
	g_free(old);
}

void copy_map_add(struct iommu_copy *c, const void *from, void *to)
{
	struct copy_slot *sl;

	if (2 * (c->used + 1) > c->mask + 1)
		map_grow(c);
	sl = map_slot(c, from);
	if (!sl->from)
		c->used++;
	sl->from = from;
	sl->to = to;
}

void *copy_lookup(const struct iommu_copy *c, const void *old)
{
	return old ? map_slot(c, old)->to : NULL;
}

void *copy_remap(struct iommu_copy *c, const void *old)
{
	void *n;

	if (!old)
		return NULL;
	n = map_slot(c, old)->to;
	if (!n)
		c->missing = true;
	return n;
}

GPtrArray *copy_remap_array(struct iommu_copy *c, const GPtrArray *a)
{
	GPtrArray *n = spare_ptr_array(a->len);

	g_ptr_array_set_size(n, a->len);
	for (guint i = 0; i < a->len; i++)
		n->pdata[i] = copy_remap(c, a->pdata[i]);
	return n;
}

struct copy_fix {
	copy_fix_fn fn;
	void *to;
	const void *from;
};

void copy_later(struct iommu_copy *c, copy_fix_fn fix, void *to,
		const void *from)
{
	struct copy_fix f = { fix, to, from };

	g_array_append_val(c->later, f);
}

void *copy_dup(struct iommu_copy *c, const void *from, size_t size,
	       copy_fix_fn fix)
{
	void *to = g_memdup2(from, size);

	copy_map_add(c, from, to);
	if (fix)
		copy_later(c, fix, to, from);
	return to;
}

void *copy_get(struct iommu_copy *c, const void *from, size_t size,
	       copy_fix_fn fix)
{
	void *to = copy_lookup(c, from);

	return to || !from ? to : copy_dup(c, from, size, fix);
}

void copy_refuse(struct iommu_copy *c, const char *fmt, ...)
{
	va_list ap;

	if (c->why)
		return;
	va_start(ap, fmt);
	c->why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

struct physmem *copy_budget(struct iommu_copy *c, const struct physmem *b)
{
	if (b && b != c->from->physmem)
		copy_refuse(c, "memory charged to another machine");
	return b ? c->to->physmem : NULL;
}

/* The second pass: each fix may copy more (copy_get()), queued behind. */
static void run_later(struct iommu_copy *c)
{
	for (guint i = 0; i < c->later->len; i++) {
		struct copy_fix f = g_array_index(c->later, struct copy_fix, i);

		f.fn(c, f.to, f.from);
	}
	g_array_set_size(c->later, 0);
}

/* A GHashTable of direct keys whose values are objects (stream ids). */
static void remap_values(struct iommu_copy *c, GHashTable *to, GHashTable *from)
{
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(to, key, copy_remap(c, val));
}

/* ---- first pass: the objects ---- */

struct iommu_device *copy_iommu_device(struct iommu_copy *c,
				       const struct iommu_device *o)
{
	struct iommu_device *n = g_memdup2(o, sizeof(*o));

	n->name = g_strdup(o->name);
	n->stream_groups = NULL; /* point_iommu_device() fills them */
	n->stream_owners = NULL;
	copy_map_add(c, o, n);
	return n;
}

static void copy_iommus(struct iommu_copy *c, const struct iommu_model *m)
{
	g_ptr_array_set_size(c->to->iommus, m->iommus->len);
	for (guint i = 0; i < m->iommus->len; i++)
		c->to->iommus->pdata[i] =
			copy_iommu_device(c, m->iommus->pdata[i]);
}

/* Shared, not copied, the list and its drivers: they change only when a
 * driver is registered (driver_register() makes the list, then the
 * driver, the machine's own first). A device's driver is in the list:
 * the copy's points at the same one (point_device()). */
static void copy_drivers(struct iommu_copy *c, const struct iommu_model *m)
{
	c->to->drivers = m->drivers;
	c->to->drivers_holders = m->drivers_holders;
	(*m->drivers_holders)++;
}

/* @s's bytes at *@at (an empty string's byte for NULL: what follows a
 * part is still inside the block, never the next allocation's address,
 * and device_free()'s strlen() of a NULL name's place reads a
 * terminated string), *@at moved */
static char *block_str(char **at, const char *s)
{
	size_t len = s ? strlen(s) + 1 : 1;
	char *to = s ? memcpy(*at, s, len) : NULL;

	if (!s)
		**at = '\0';
	*at += len;
	return to;
}

static size_t block_len(const char *s)
{
	return s ? strlen(s) + 1 : 1;
}

/* obj_table_copy()'s callback: a domain and its table over the copy's
 * physmem, one allocation with its label (iommu_domain_part_own());
 * its owner is pointed in the second pass. */
static struct obj_header *copy_domain(struct obj_header *obj, void *data)
{
	struct iommu_copy *c = data;
	const struct iommu_domain *o = (struct iommu_domain *)obj;
	size_t pt = o->pt ? sizeof(*o->pt) : 0;
	struct iommu_domain *n =
		g_malloc(sizeof(*o) + pt + block_len(o->label));
	char *at = (char *)(n + 1) + pt;

	*n = *o;
	n->one_block = true;
	n->label = block_str(&at, o->label);
	if (o->priv) /* a driver's own part: the selftest's mock */
		n->priv = iommufd_copy_domain_priv(c, o);
	if (o->pt) {
		n->pt = (struct pt_amdv1 *)(n + 1);
		if (pt_amdv1_copy(n->pt, o->pt, c->to->physmem))
			c->missing = true;
	}
	copy_map_add(c, o, n);
	return &n->obj;
}

/* One allocation with its name and boot driver (device_free()) */
struct device *copy_device(struct iommu_copy *c, const struct device *o)
{
	struct device *n = g_malloc(sizeof(*o) + block_len(o->name) +
				    block_len(o->boot_driver));
	char *at = (char *)(n + 1);

	*n = *o;
	n->one_block = true;
	n->name = block_str(&at, o->name);
	n->boot_driver = block_str(&at, o->boot_driver);
	n->children = NULL;
	copy_map_add(c, o, n);
	return n;
}

static void copy_devices(struct iommu_copy *c, const struct iommu_model *m)
{
	g_ptr_array_set_size(c->to->devices, m->devices->len);
	for (guint i = 0; i < m->devices->len; i++)
		c->to->devices->pdata[i] = copy_device(c, m->devices->pdata[i]);
}

static void point_group(struct iommu_copy *c, void *to, const void *from);

static struct iommu_group *copy_group(struct iommu_copy *c,
				      const struct iommu_model *m,
				      const struct iommu_group *o,
				      copy_fix_fn fix)
{
	size_t own = m->resolved->group.data_size;
	struct iommu_group *n = copy_dup(c, o, sizeof(*o), fix);

	n->name = g_strdup(o->name);
	n->devices = NULL;
	n->profile_data =
		o->profile_data && own ? g_memdup2(o->profile_data, own) : NULL;
	g_hash_table_insert(c->to->group_ids, GINT_TO_POINTER(n->id), n);
	return n;
}

/* The listed groups (pointed in the second pass), then those the last
 * device left while iommufd's igroup still holds them: off the list,
 * their id still taken (iommu_group_free()), pointed in the queue. Every
 * listed group has its id (iommu_group_alloc()): as many ids as listed
 * groups is none off the list. */
static void copy_groups(struct iommu_copy *c, const struct iommu_model *m)
{
	GHashTableIter it;
	gpointer val;

	g_ptr_array_set_size(c->to->groups, m->groups->len);
	for (guint i = 0; i < m->groups->len; i++)
		c->to->groups->pdata[i] =
			copy_group(c, m, m->groups->pdata[i], NULL);
	if (g_hash_table_size(m->group_ids) == m->groups->len)
		return;
	g_hash_table_iter_init(&it, m->group_ids);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		if (!copy_lookup(c, val))
			copy_group(c, m, val, point_group);
	}
}

/* Owner cookies are interned strings: a group's owner is one of them. */
static void copy_cookies(struct iommu_copy *c, const struct iommu_model *m)
{
	GHashTableIter it;
	gpointer key;

	g_hash_table_iter_init(&it, m->cookies);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		char *n = g_strdup(key);

		g_hash_table_add(c->to->cookies, n);
		copy_map_add(c, key, n);
	}
}

/* ---- second pass: the references ---- */

void point_iommu_device(struct iommu_copy *c, struct iommu_device *n,
			const struct iommu_device *o)
{
	n->blocked_domain = copy_remap(c, o->blocked_domain);
	n->identity_domain = copy_remap(c, o->identity_domain);
	n->fail_attach_dev = copy_remap(c, o->fail_attach_dev);
	if (o->stream_groups)
		remap_values(c, iommu_stream_table(&n->stream_groups),
			     o->stream_groups);
	if (o->stream_owners)
		remap_values(c, iommu_stream_table(&n->stream_owners),
			     o->stream_owners);
}

static void point_iommus(struct iommu_copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->iommus->len; i++)
		point_iommu_device(c, c->to->iommus->pdata[i],
				   m->iommus->pdata[i]);
}

void point_device(struct iommu_copy *c, struct device *n,
		  const struct device *o)
{
	n->parent = copy_remap(c, o->parent);
	if (o->children)
		n->children = copy_remap_array(c, o->children);
	n->iommu = copy_remap(c, o->iommu);
	n->iommu_group = copy_remap(c, o->iommu_group);
	n->attached = copy_remap(c, o->attached);
	n->driver = o->driver; /* shared (copy_drivers()) */
}

static void point_devices(struct iommu_copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->devices->len; i++)
		point_device(c, c->to->devices->pdata[i], m->devices->pdata[i]);
	c->to->root_bus = copy_remap_array(c, m->root_bus);
}

static void point_group(struct iommu_copy *c, void *to, const void *from)
{
	const struct iommu_group *o = from;
	struct iommu_group *n = to;

	n->devices = copy_remap_array(c, o->devices);
	n->default_domain = copy_remap(c, o->default_domain);
	n->blocking_domain = copy_remap(c, o->blocking_domain);
	n->domain = copy_remap(c, o->domain);
	n->handle = copy_remap(c, o->handle);
	n->pasids = NULL;
	for (guint k = 0; o->pasids && k < o->pasids->len; k++) {
		struct iommu_pasid_entry e =
			g_array_index(o->pasids, struct iommu_pasid_entry, k);

		if (!n->pasids)
			n->pasids = g_array_new(FALSE, FALSE, sizeof(e));
		e.domain = copy_remap(c, e.domain);
		g_array_append_val(n->pasids, e);
	}
	n->owner = copy_remap(c, o->owner);
}

static void point_groups(struct iommu_copy *c, const struct iommu_model *m)
{
	for (guint i = 0; i < m->groups->len; i++)
		point_group(c, c->to->groups->pdata[i], m->groups->pdata[i]);
}

static void point_domains(struct iommu_copy *c)
{
	struct iommu_domain *d = NULL;

	while ((d = iommu_domain_next(c->to, d)))
		d->owner = copy_remap(c, d->owner);
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
	struct iommu_model *to = iommu_model_alloc_like(m);

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
	to->debug_generic_pt = m->debug_generic_pt;
	to->fault = m->fault;
	to->warned = m->warned;
	if (m->warned_once) {
		to->warned_once = g_hash_table_new_full(g_str_hash, g_str_equal,
							g_free, NULL);
		copy_strings(to->warned_once, m->warned_once);
	}
	to->left_inconsistent = m->left_inconsistent;
	to->quiet = m->quiet;
	to->physmem = physmem_copy(m->physmem);
	if (to->physmem)
		physmem_set_fault(to->physmem, &to->fault);
	return to;
}

/* What the copy cannot cover, named before anything is copied. */
static bool copy_check(struct iommu_copy *c, const struct iommu_model *m)
{
	if (!m->physmem)
		copy_refuse(c, "no physmem");
	return !c->why && iommufd_copy_check(c);
}

/* The core's objects, then the subsystems' (which point at the core's),
 * then the core's references (a domain's owner may be iommufd's noiommu
 * ops), then every queued fix. */
static void copy_all(struct iommu_copy *c, const struct iommu_model *m)
{
	c->to = model_shell(m);
	if (!c->to->physmem) {
		c->to->physmem =
			physmem_new(); /* iommu_model_free() needs one */
		copy_refuse(c, "physmem_copy() failed");
	}
	copy_iommus(c, m);
	copy_drivers(c, m);
	copy_devices(c, m);
	copy_groups(c, m);
	copy_cookies(c, m);
	if (obj_table_copy(&c->to->domains, &m->domains, NULL, copy_domain,
			   c)) {
		obj_table_init(&c->to->domains, OBJ_ID_MAX_31B, NULL);
		copy_refuse(c, "a domain reserved");
	}
	iommufd_copy(c);
	vfio_copy(c);
	point_iommus(c, m);
	point_devices(c, m);
	point_groups(c, m);
	point_domains(c);
	run_later(c); /* device_names: made by device_find() when wanted */
}

/* The last copy's map and queue, kept for the next: a search copies
 * thousands of times, and the map (two kilobytes) is an allocation large
 * enough that malloc consolidated its free lists at each copy (a tenth
 * of an iommufd search's instructions, callgrind). One per thread. */
static __thread struct iommu_copy *spare;

static struct iommu_copy *copy_new(const struct iommu_model *m)
{
	struct iommu_copy *c = spare;

	spare = NULL;
	if (!c) {
		c = g_new0(struct iommu_copy, 1);
		c->later = g_array_new(FALSE, FALSE, sizeof(struct copy_fix));
	}
	c->from = m;
	c->to = NULL;
	c->missing = false;
	c->why = NULL;
	return c;
}

static void copy_put(struct iommu_copy *c)
{
	map_clear(c);
	g_array_set_size(c->later, 0);
	if (!spare) {
		spare = c;
		return;
	}
	g_array_free(c->later, TRUE);
	g_free(c);
}

struct iommu_copy *iommu_copy_begin(const struct iommu_model *m)
{
	struct iommu_copy *c = copy_new(m);

	map_init(c, m->iommus->len + m->devices->len + m->groups->len +
			    g_hash_table_size(m->cookies) +
			    m->domains.slots->len);
	if (copy_check(c, m))
		copy_all(c, m);
	return c;
}

void *iommu_copy_find(struct iommu_copy *c, const void *old)
{
	return c->to ? copy_remap(c, old) : NULL;
}

void iommu_copy_refuse(struct iommu_copy *c, const char *why)
{
	copy_refuse(c, "%s", why);
}

bool iommu_copy_refused(const struct iommu_copy *c)
{
	return !c->to || c->why || c->missing;
}

/* A copy refused after it began (a reference the map lacks: a copy bug)
 * gives back the core; what the subsystems copied is not freed, so the
 * leak checkers say so too. */
struct iommu_model *iommu_copy_end(struct iommu_copy *c, char **why)
{
	struct iommu_model *to = c->to;

	if (to)
		run_later(c);
	if (to && c->missing && !c->why)
		copy_refuse(c, "a reference the copy does not map");
	if (to && c->why) {
		/* the subsystems' copies are left (see above): not released
		 * through objects the copy may not have finished */
		g_ptr_array_set_size(to->ictxs, 0);
		iommu_model_free(to);
		to = NULL;
	}
	if (why)
		*why = to ? NULL : g_steal_pointer(&c->why);
	g_free(c->why);
	copy_put(c);
	return to;
}

struct iommu_model *iommu_model_copy(const struct iommu_model *m)
{
	return iommu_copy_end(iommu_copy_begin(m), NULL);
}
