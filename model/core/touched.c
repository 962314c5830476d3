// SPDX-License-Identifier: MIT
/*
 * touched.c - what a step touched, so that a step costs what it touched
 * and not what the machine holds. Every model function records a group
 * or a device here before it changes anything the trace's line of it or
 * the invariants read (core.h: iommu_touch_group() and friends); the
 * first record in a step keeps the entity's trace line as it was. After
 * the step the runner asks for the lines that changed (the same text
 * iommu_state_diff() gives over two whole snapshots) and for the
 * invariants over the touched entities, the groups that use a domain
 * freed in the step, and whatever was broken before (state.h).
 *
 * A record that is missing would hide a change: the runner checks this
 * file against the whole-machine snapshot and invariants on every step
 * of a small machine (the corpus, the random walk, the fuzzers), and at
 * an interval and at the end on a wide one (sim/run.c).
 *
 * Across steps it keeps the live domains and, per domain, how many
 * groups have it as their domain or default domain (a freed domain still
 * counted is a broken invariant), and the entities an invariant found
 * broken (they stay candidates until they pass). A machine changed
 * outside a step is "stale": the next step is a whole one, which
 * rebuilds all of that. A model without a recorder (a unit test's, an
 * explorer's copy) is checked whole by its runner (sim/run.c).
 */
#include <string.h>

#include "core.h"
#include "state.h"

struct touched_group {
	struct iommu_group *g;
	int id;
	unsigned long seq;
	char *before; /* its trace line before the step; NULL: new */
	struct iommu_domain *dom, *def; /* its references before the step */
	bool is_new;
	bool gone; /* out of the machine's list (iommu_group_free()) */
};

struct touched_dev {
	struct device *dev;
	char *before;
	bool is_new;
};

struct iommu_touched {
	bool stepping; /* between iommu_touched_begin() and _end() */
	bool lines;    /* keep the lines (a trace wants "changed:") */
	bool whole;    /* this step changed everything (boot), or stale */
	bool stale;
	/* a profile registered at run time changes the state without
	 * recording it (profile_api.h): every step is a whole one */
	bool always_whole;
	char *whole_before; /* the trace snapshot when the step went whole */
	GHashTable *groups; /* struct iommu_group * -> struct touched_group */
	GHashTable *devs;   /* struct device * -> struct touched_dev */
	GHashTable *freed;  /* domains freed in this step (never read) */
	/* across steps */
	GHashTable *live; /* the live domains (pointers, never read) */
	GHashTable *refs; /* domain -> groups using it (domain, default) */
	GHashTable *bad_groups, *bad_contract, *bad_devs;
	/* what the next check covers: touched since the last check (a
	 * setup step checks nothing), or everything (whole) */
	GHashTable *check_groups, *check_devs;
	bool check_whole;
	bool settled; /* this step's records moved into the above */
	bool checked; /* the invariants ran on them */
};

static void touched_group_free(gpointer p)
{
	struct touched_group *t = p;

	g_free(t->before);
	g_free(t);
}

static void touched_dev_free(gpointer p)
{
	struct touched_dev *t = p;

	g_free(t->before);
	g_free(t);
}

static GHashTable *ptr_set(void)
{
	return g_hash_table_new(g_direct_hash, g_direct_equal);
}

void iommu_touched_start(struct iommu_model *m, bool lines)
{
	struct iommu_touched *t = g_new0(struct iommu_touched, 1);

	iommu_touched_stop(m);
	t->lines = lines;
	t->stale = true;
	t->always_whole = !iommu_profile_is_builtin(m->profile);
	t->groups = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					  touched_group_free);
	t->devs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					touched_dev_free);
	t->freed = ptr_set();
	t->live = ptr_set();
	t->refs = ptr_set();
	t->bad_groups = ptr_set();
	t->bad_contract = ptr_set();
	t->bad_devs = ptr_set();
	t->check_groups = ptr_set();
	t->check_devs = ptr_set();
	m->touched = t;
}

void iommu_touched_stop(struct iommu_model *m)
{
	struct iommu_touched *t = m->touched;

	if (!t)
		return;
	m->touched = NULL;
	g_free(t->whole_before);
	g_hash_table_destroy(t->groups);
	g_hash_table_destroy(t->devs);
	g_hash_table_destroy(t->freed);
	g_hash_table_destroy(t->live);
	g_hash_table_destroy(t->refs);
	g_hash_table_destroy(t->bad_groups);
	g_hash_table_destroy(t->bad_contract);
	g_hash_table_destroy(t->bad_devs);
	g_hash_table_destroy(t->check_groups);
	g_hash_table_destroy(t->check_devs);
	g_free(t);
}

/* Outside a step nothing is recorded: the next step is a whole one. */
static struct iommu_touched *recording(struct iommu_model *m)
{
	struct iommu_touched *t = m->touched;

	if (!t)
		return NULL;
	if (!t->stepping) {
		t->stale = true;
		return NULL;
	}
	return t->whole ? NULL : t;
}

static char *group_line(struct iommu_model *m, struct iommu_group *g)
{
	GString *s = g_string_new(NULL);

	iommu_group_trace_line(m, g, s);
	return g_string_free(s, FALSE);
}

static char *dev_line(struct device *dev)
{
	GString *s = g_string_new(NULL);

	iommu_device_trace_line(dev, s);
	return g_string_free(s, FALSE);
}

static void touch_group(struct iommu_model *m, struct iommu_group *g,
			bool is_new)
{
	struct iommu_touched *t = recording(m);
	struct touched_group *e;

	if (!t || !g || g->unlisted || g_hash_table_contains(t->groups, g))
		return;
	e = g_new0(struct touched_group, 1);
	e->g = g;
	e->id = g->id;
	e->seq = g->seq;
	e->is_new = is_new;
	if (!is_new) {
		e->dom = g->domain;
		e->def = g->default_domain;
		if (t->lines)
			e->before = group_line(m, g);
	}
	g_hash_table_insert(t->groups, g, e);
}

void iommu_touch_group(struct iommu_model *m, struct iommu_group *g)
{
	touch_group(m, g, false);
}

void iommu_touch_group_new(struct iommu_model *m, struct iommu_group *g)
{
	touch_group(m, g, true);
}

/* Before iommu_group_free() takes @g out of the list (it may be freed
 * in the step: the record keeps its id, not the pointer's use) */
void iommu_touch_group_gone(struct iommu_model *m, struct iommu_group *g)
{
	struct touched_group *e;

	touch_group(m, g, false);
	if (m->touched && (e = g_hash_table_lookup(m->touched->groups, g)))
		e->gone = true;
}

static void touch_dev(struct iommu_model *m, struct device *dev, bool is_new)
{
	struct iommu_touched *t = recording(m);
	struct touched_dev *e;

	/* a device outside the machine's list (the selftest's mocks) has
	 * no line; its group's line and invariants are the group's */
	if (!t || !dev || dev->decl_order < 0 ||
	    g_hash_table_contains(t->devs, dev))
		return;
	e = g_new0(struct touched_dev, 1);
	e->dev = dev;
	e->is_new = is_new;
	if (!is_new && t->lines)
		e->before = dev_line(dev);
	g_hash_table_insert(t->devs, dev, e);
}

void iommu_touch_device(struct iommu_model *m, struct device *dev)
{
	touch_dev(m, dev, false);
	if (dev && dev->decl_order < 0)
		touch_group(m, dev->iommu_group, false);
}

void iommu_touch_device_new(struct iommu_model *m, struct device *dev,
			    struct device *same_name)
{
	touch_dev(m, same_name, false); /* its line may equal the new one */
	touch_dev(m, dev, true);
}

/* A change of the group's default or blocking domain, or of a domain's
 * type in place: its devices' lines name the domain by that role. */
void iommu_touch_group_members(struct iommu_model *m, struct iommu_group *g)
{
	if (!g)
		return;
	iommu_touch_group(m, g);
	for (guint i = 0; i < g->devices->len; i++)
		iommu_touch_device(m, g->devices->pdata[i]);
}

void iommu_touch_all(struct iommu_model *m)
{
	struct iommu_touched *t = recording(m);

	if (!t)
		return;
	/* what was recorded so far keeps its lines: the whole snapshot is
	 * taken before the step's first change (boot's first line) */
	g_assert(!g_hash_table_size(t->groups) && !g_hash_table_size(t->devs));
	t->whole = true;
	if (t->lines)
		t->whole_before = iommu_state_snapshot(m, IOMMU_STATE_TRACE);
}

void iommu_touched_domain_live(struct iommu_model *m, struct iommu_domain *d)
{
	if (!m->touched)
		return;
	g_hash_table_add(m->touched->live, d);
	g_hash_table_remove(m->touched->freed, d);
}

void iommu_touched_domain_freed(struct iommu_model *m, struct iommu_domain *d)
{
	if (!m->touched)
		return;
	g_hash_table_remove(m->touched->live, d);
	g_hash_table_add(m->touched->freed, d);
}

static void rebuild(struct iommu_model *m, struct iommu_touched *t);

void iommu_touched_begin(struct iommu_model *m)
{
	struct iommu_touched *t = m->touched;

	if (!t)
		return;
	t->stepping = true;
	t->whole = t->stale || t->always_whole;
	if (t->whole) /* changed behind the record: nothing of it holds */
		rebuild(m, t);
	if (t->whole && t->lines)
		t->whole_before = iommu_state_snapshot(m, IOMMU_STATE_TRACE);
}

bool iommu_touched_whole(struct iommu_model *m)
{
	return !m->touched || m->touched->whole;
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
	const struct iommu_group *x = *(struct iommu_group *const *)a;
	const struct iommu_group *y = *(struct iommu_group *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static gint by_decl(gconstpointer a, gconstpointer b)
{
	const struct device *x = *(struct device *const *)a;
	const struct device *y = *(struct device *const *)b;

	return x->decl_order - y->decl_order;
}

static gint entry_by_seq(gconstpointer a, gconstpointer b)
{
	const struct touched_group *x = *(struct touched_group *const *)a;
	const struct touched_group *y = *(struct touched_group *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static GPtrArray *entries(GHashTable *h, GCompareFunc cmp)
{
	GPtrArray *a = g_ptr_array_sized_new(g_hash_table_size(h));
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(a, v);
	g_ptr_array_sort(a, cmp);
	return a;
}

static gint dev_entry_by_decl(gconstpointer a, gconstpointer b)
{
	const struct touched_dev *x = *(struct touched_dev *const *)a;
	const struct touched_dev *y = *(struct touched_dev *const *)b;

	return x->dev->decl_order - y->dev->decl_order;
}

static void add_line(GString *s, GHashTable *before, const char *line)
{
	if (g_hash_table_contains(before, line))
		return;
	g_string_append_printf(s, "%s%s", s->len ? "\n" : "", line);
}

/* A group of @id is in the machine's list after the step */
static bool group_listed(struct iommu_model *m, int id)
{
	struct iommu_group *g =
		g_hash_table_lookup(m->group_ids, GINT_TO_POINTER(id));

	return g && !g->unlisted;
}

static void released_lines(struct iommu_model *m, GPtrArray *groups,
			   GString *released)
{
	for (guint i = 0; i < groups->len; i++) {
		const struct touched_group *e = groups->pdata[i];

		if (e->before && !group_listed(m, e->id))
			g_string_append_printf(released, "%sgroup %d: released",
					       released->len ? "\n" : "",
					       e->id);
	}
}

void iommu_touched_changes(struct iommu_model *m, GString *added,
			   GString *released)
{
	struct iommu_touched *t = m->touched;
	g_autoptr(GHashTable) before = NULL;
	g_autoptr(GPtrArray) groups = NULL;
	g_autoptr(GPtrArray) devs = NULL;

	if (t->whole) {
		g_autofree char *after =
			iommu_state_snapshot(m, IOMMU_STATE_TRACE);

		iommu_state_diff_parts(t->whole_before, after, added, released);
		return;
	}
	before = g_hash_table_new(g_str_hash, g_str_equal);
	groups = entries(t->groups, entry_by_seq);
	devs = entries(t->devs, dev_entry_by_decl);
	for (guint i = 0; i < groups->len; i++) {
		const struct touched_group *e = groups->pdata[i];

		if (e->before)
			g_hash_table_add(before, e->before);
	}
	for (guint i = 0; i < devs->len; i++) {
		const struct touched_dev *e = devs->pdata[i];

		if (e->before)
			g_hash_table_add(before, e->before);
	}
	for (guint i = 0; i < groups->len; i++) {
		const struct touched_group *e = groups->pdata[i];
		g_autofree char *line = e->gone ? NULL : group_line(m, e->g);

		if (line)
			add_line(added, before, line);
	}
	for (guint i = 0; i < devs->len; i++) {
		const struct touched_dev *e = devs->pdata[i];
		g_autofree char *line = dev_line(e->dev);

		add_line(added, before, line);
	}
	released_lines(m, groups, released);
}

/* The references a group has to its domain and default domain */
static void ref_add(GHashTable *refs, struct iommu_domain *d, int n)
{
	guint c;

	if (!d)
		return;
	c = GPOINTER_TO_UINT(g_hash_table_lookup(refs, d)) + n;
	if (c)
		g_hash_table_insert(refs, d, GUINT_TO_POINTER(c));
	else
		g_hash_table_remove(refs, d);
}

static void rebuild(struct iommu_model *m, struct iommu_touched *t)
{
	g_hash_table_remove_all(t->live);
	g_hash_table_remove_all(t->refs);
	for (struct iommu_domain *d = iommu_domain_next(m, NULL); d;
	     d = iommu_domain_next(m, d))
		g_hash_table_add(t->live, d);
	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		ref_add(t->refs, g->domain, 1);
		ref_add(t->refs, g->default_domain, 1);
	}
}

/* Groups left untouched that still use @d, freed in the step: only
 * when the counts say there is one (a broken invariant), a scan. */
static void freed_users(struct iommu_model *m, struct iommu_touched *t,
			struct iommu_domain *d)
{
	guint n = GPOINTER_TO_UINT(g_hash_table_lookup(t->refs, d));
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, t->groups);
	while (n && g_hash_table_iter_next(&it, NULL, &v)) {
		const struct touched_group *e = v;

		n -= (e->dom == d) + (e->def == d);
	}
	for (guint i = 0; n && i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		if (g->domain == d || g->default_domain == d)
			g_hash_table_add(t->check_groups, g);
	}
}

/* The step's records into what the next check covers, once */
static void settle(struct iommu_model *m, struct iommu_touched *t)
{
	GHashTableIter it;
	gpointer k, v;

	if (t->settled)
		return;
	t->settled = true;
	if (t->whole) {
		t->check_whole = true;
		return;
	}
	g_hash_table_iter_init(&it, t->freed);
	while (g_hash_table_iter_next(&it, &k, NULL))
		freed_users(m, t, k);
	g_hash_table_iter_init(&it, t->groups);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct touched_group *e = v;

		if (e->gone) {
			g_hash_table_remove(t->check_groups, e->g);
			g_hash_table_remove(t->bad_groups, e->g);
			g_hash_table_remove(t->bad_contract, e->g);
		} else {
			g_hash_table_add(t->check_groups, e->g);
		}
	}
	g_hash_table_iter_init(&it, t->devs);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_hash_table_add(t->check_devs, k);
}

static GHashTable *bad_set(struct iommu_touched *t, enum touched_check which)
{
	return which == TOUCHED_CONTRACT ? t->bad_contract : t->bad_groups;
}

static void set_union(GHashTable *to, GHashTable *from)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_hash_table_add(to, k);
}

GPtrArray *iommu_touched_check_groups(struct iommu_model *m,
				      enum touched_check which)
{
	struct iommu_touched *t = m->touched;
	g_autoptr(GHashTable) set = ptr_set();
	GHashTableIter it;
	gpointer k;

	settle(m, t);
	t->checked = true;
	if (t->check_whole) {
		g_hash_table_remove_all(bad_set(t, which));
		return g_ptr_array_copy(m->groups, NULL, NULL);
	}
	set_union(set, t->check_groups);
	set_union(set, bad_set(t, which));
	g_hash_table_iter_init(&it, t->check_devs);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		struct iommu_group *g = ((struct device *)k)->iommu_group;

		if (g && !g->unlisted)
			g_hash_table_add(set, g);
	}
	return entries(set, by_seq);
}

GPtrArray *iommu_touched_check_devices(struct iommu_model *m)
{
	struct iommu_touched *t = m->touched;
	g_autoptr(GHashTable) set = ptr_set();

	settle(m, t);
	if (t->check_whole) {
		g_hash_table_remove_all(t->bad_devs);
		return g_ptr_array_copy(m->devices, NULL, NULL);
	}
	set_union(set, t->check_devs);
	set_union(set, t->bad_devs);
	return entries(set, by_decl);
}

void iommu_touched_result(struct iommu_model *m, enum touched_check which,
			  gpointer entity, bool bad)
{
	GHashTable *set = which == TOUCHED_MEMBERSHIP
				  ? m->touched->bad_devs
				  : bad_set(m->touched, which);

	if (bad)
		g_hash_table_add(set, entity);
	else
		g_hash_table_remove(set, entity);
}

GHashTable *iommu_touched_live(struct iommu_model *m)
{
	return m->touched->live;
}

static void update_refs(struct iommu_touched *t)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, t->groups);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct touched_group *e = v;

		ref_add(t->refs, e->dom, -1);
		ref_add(t->refs, e->def, -1);
		if (!e->gone) {
			ref_add(t->refs, e->g->domain, 1);
			ref_add(t->refs, e->g->default_domain, 1);
		}
	}
}

void iommu_touched_end(struct iommu_model *m)
{
	struct iommu_touched *t = m->touched;

	if (!t || !t->stepping)
		return;
	settle(m, t);
	if (t->whole)
		rebuild(m, t);
	else
		update_refs(t);
	if (t->checked) {
		g_hash_table_remove_all(t->check_groups);
		g_hash_table_remove_all(t->check_devs);
		t->check_whole = false;
	}
	g_hash_table_remove_all(t->groups);
	g_hash_table_remove_all(t->devs);
	g_hash_table_remove_all(t->freed);
	g_clear_pointer(&t->whole_before, g_free);
	t->stepping = t->whole = t->stale = false;
	t->settled = t->checked = false;
}
