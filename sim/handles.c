// SPDX-License-Identifier: MIT
/*
 * handles.c - typed handles ($name): an out field binds one to the object
 * its step produced, a handle argument finds the object again through its
 * type (struct handle_type), which tells a live object from a freed one.
 * One mechanism for every type; the domain type is the first row.
 */
#include <string.h>

#include "runner.h"
#include "model/state.h"
#include "model/core/kerrno.h"
#include "errnames.h"

void *handle_arg(struct runner *r, const struct statement *st, const char *key,
		 int *err)
{
	const struct arg *a = stmt_arg(st, key);
	const struct arg_spec *spec = op_arg(op_find(st->verb), key);
	const struct handle_type *t = spec->htype;
	struct handle *h;
	void *obj = NULL;

	if (a->val.kind == VAL_IDENT) {
		*err = t->named(r, st, a->val.text, &obj);
		return obj;
	}
	h = g_hash_table_lookup(r->handles, a->val.text);
	if (!h) {
		*err = iommu_refuse(r->m, IOMMU_UB, st->verb,
				    "handle $%s was never bound: the step that "
				    "binds it failed",
				    a->val.text);
		return NULL;
	}
	obj = t->lookup(r, h->ref);
	if (!obj)
		*err = iommu_refuse(r->m, IOMMU_UB, st->verb,
				    "$%s was freed: use after free",
				    a->val.text);
	return obj;
}

uint64_t handle_num(struct runner *r, const struct statement *st,
		    const char *key)
{
	const struct arg *a = stmt_arg(st, key);
	struct handle *h;

	if (a->val.kind == VAL_NUMBER)
		return a->val.num;
	h = g_hash_table_lookup(r->handles, a->val.text);
	return h ? h->value : 0;
}

int32_t handle_fd_or_none(struct runner *r, const struct statement *st,
			  const char *key)
{
	return stmt_arg(st, key)->val.kind == VAL_IDENT
		       ? -1
		       : (int32_t)handle_num(r, st, key);
}

void *handle_peek(struct runner *r, const struct statement *st,
		  const struct arg_spec *spec, const struct value *v,
		  bool *bound)
{
	struct handle *h;

	*bound = true;
	if (v->kind != VAL_HANDLE)
		return spec->htype->peek_named(r, st, v->text);
	h = g_hash_table_lookup(r->handles, v->text);
	if (!h) {
		*bound = false;
		return NULL;
	}
	return h->type->lookup(r, h->ref);
}

void op_out(struct runner *r, const char *key, void *obj, uint64_t value)
{
	g_assert(r->nouts < OP_MAX_OUTS);
	r->outs[r->nouts++] = (struct op_out_value){ key, obj, value };
}

static const struct op_out_value *out_find(struct runner *r, const char *key)
{
	for (int i = 0; i < r->nouts; i++) {
		if (!strcmp(r->outs[i].key, key))
			return &r->outs[i];
	}
	return NULL;
}

static void bind(struct runner *r, const struct statement *st,
		 const struct arg *a, const struct handle_type *t,
		 const struct op_out_value *o)
{
	struct handle *h = g_new0(struct handle, 1);
	g_autofree char *label = g_strdup_printf("$%s", a->val.text);

	h->type = t;
	h->line = st->line;
	h->value = o->value;
	if (o->obj) {
		h->ref = t->ref(o->obj);
		t->label(r, o->obj, label);
	}
	run_handles_own(r);
	g_hash_table_replace(r->handles, g_strdup(a->val.text), h);
}

/* An asserted out field of a failed step the kernel wrote nothing to:
 * what the caller reads there is its own input, not the kernel's. */
static bool out_missing(struct runner *r, const struct arg *a,
			struct step_result *sr, int ret)
{
	if (!ret)
		sr->failure =
			g_strdup_printf("%s: the handler set no value", a->key);
	else if (!r->outs_after_error)
		sr->failure = g_strdup_printf(
			"%s: the kernel copies nothing back when the call "
			"fails with %s",
			a->key, errno_name(-ret));
	else
		sr->failure = g_strdup_printf(
			"%s: not among what the kernel copied back before "
			"failing with %s",
			a->key, errno_name(-ret));
	return false;
}

bool op_outs_apply(struct runner *r, const struct op *op,
		   struct step_result *sr, int ret)
{
	const struct statement *st = sr->st;

	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = op_arg(op, a->key);
		const struct op_out_value *o;

		if (spec->type != T_OUT)
			continue;
		/* a failed call creates nothing: its handles stay unbound */
		if (ret && a->val.kind == VAL_HANDLE)
			continue;
		o = r->outs_after_error || !ret ? out_find(r, a->key) : NULL;
		if (!o)
			return out_missing(r, a, sr, ret);
		if (a->val.kind == VAL_HANDLE) {
			bind(r, st, a, spec->htype, o);
		} else if (o->value != a->val.num) {
			sr->failure = g_strdup_printf(
				"%s: expected 0x%" G_GINT64_MODIFIER
				"x, got 0x%" G_GINT64_MODIFIER "x",
				a->key, a->val.num, o->value);
			return false;
		}
	}
	return true;
}

const char *handle_type_name(const struct handle_type *t)
{
	return t->name;
}

const char *handle_type_guest_prefix(const struct handle_type *t)
{
	return t->guest_prefix;
}

/* ---- domains: struct iommu_domain, freed by iommu_domain_free() ---- */

/* The model's (id, serial) reference: a freed domain is not found again,
 * even when a newer domain has taken its id (iommu_domain_lookup()). */
static struct handle_ref domain_ref(void *obj)
{
	struct iommu_domain_ref ref = iommu_domain_ref(obj);

	return (struct handle_ref){ .id = ref.id, .serial = ref.serial };
}

static void *domain_lookup(struct runner *r, struct handle_ref ref)
{
	return iommu_domain_lookup(
		r->m, (struct iommu_domain_ref){ .id = ref.id,
						 .serial = ref.serial });
}

/* default, blocking: the core domains of dev='s group; none: NULL */
static int domain_named(struct runner *r, const struct statement *st,
			const char *name, void **out)
{
	struct iommu_domain *d = NULL;
	int ret = iommu_core_domain(r->m, arg_dev(r, st, "dev"), name, st->verb,
				    &d);

	*out = d;
	return ret;
}

static void *domain_peek_named(struct runner *r, const struct statement *st,
			       const char *name)
{
	struct device *dev = arg_dev(r, st, "dev");

	return iommu_group_core_domain(dev ? dev->iommu_group : NULL, name);
}

static char *domain_show(struct runner *r, const struct statement *st,
			 void *obj)
{
	struct device *dev = arg_dev(r, st, "dev");

	return iommu_domain_str(dev ? dev->iommu_group : NULL, obj);
}

static void domain_label(struct runner *r, void *obj, const char *name)
{
	struct iommu_domain *d = obj;

	d->label = g_strdup(name);
}

const struct handle_type ht_domain = {
	.name = "domain",
	.guest_prefix = "d",
	.names_need = "dev",
	.names_what = "names the domain of a device's group",
	.ref = domain_ref,
	.lookup = domain_lookup,
	.named = domain_named,
	.peek_named = domain_peek_named,
	.show = domain_show,
	.label = domain_label,
};

void handles_fd_closed(struct runner *r, uint64_t value)
{
	GHashTableIter it;
	gpointer v;

	run_handles_own(r);
	g_hash_table_iter_init(&it, r->handles);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct handle *h = v;

		if (h->type->fd && h->value == value)
			h->closed = true;
	}
}

/* The verbs that read or write the file itself and read records out of
 * it: a closed handle's number may name a VFIO device file there, whose
 * read() is a BAR's, bytes the model does not have. (eventfd_read and
 * eventfd_write take whatever file: a BAR's read gives its count and no
 * value.) */
static bool verb_reads_the_file(const char *verb)
{
	static const char *const rw[] = {
		"iommufd_fault_read", "iommufd_fault_write",
		"iommufd_veventq_read",
		"user_buffer", /* its fd=: mmap() of a device file is a BAR's */
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rw); i++) {
		if (!strcmp(verb, rw[i]))
			return true;
	}
	return false;
}

bool handle_closed(struct runner *r, const struct statement *st,
		   const char *key)
{
	const struct arg *a = stmt_arg(st, key);
	const struct handle *h =
		a && a->val.kind == VAL_HANDLE
			? g_hash_table_lookup(r->handles, a->val.text)
			: NULL;

	if (!h)
		return false;
	if (h->type->fd)
		return h->closed;
	return h->type->lookup && !h->type->lookup(r, h->ref);
}

bool stmt_names_unusable_fd(struct runner *r, const struct statement *st)
{
	const struct op *op = op_find(st->verb);
	bool rw = verb_reads_the_file(st->verb);

	for (guint i = 0; op && i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = op_arg(op, a->key);
		const struct handle *h;

		if (!spec || spec->type != T_HANDLE || !spec->htype->fd ||
		    a->val.kind != VAL_HANDLE)
			continue;
		h = g_hash_table_lookup(r->handles, a->val.text);
		if (!h || (h->closed && rw))
			return true;
	}
	return false;
}

char *handle_name_of(struct runner *r, const struct handle_type *t,
		     uint64_t value)
{
	const struct handle *best = NULL;
	const char *name = NULL;
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, r->handles);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct handle *h = v;

		if (h->type == t && h->value == value &&
		    (!best || h->line > best->line)) {
			best = h;
			name = k;
		}
	}
	return name ? g_strdup_printf("$%s", name) : NULL;
}

/* Handles a copy names as the original does: a domain's (id, serial),
 * a number, a refless name; not a ctx's, a bound device's or a VFIO
 * file's (the runner's records, copied) or a type the copy does not
 * know (refused) */
bool run_handles_shareable(GHashTable *t)
{
	GHashTableIter it;
	gpointer val;

	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		const struct handle *h = val;

		if (h->type == &ht_iommufd || h->type == &ht_idev ||
		    h->type == &ht_vfio_fd ||
		    (h->type->ref && h->type != &ht_domain))
			return false;
	}
	return true;
}

void run_handles_own(struct runner *r)
{
	GHashTable *own;
	GHashTableIter it;
	gpointer key, val;

	if (!r->handles_shared)
		return;
	own = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_hash_table_iter_init(&it, r->handles);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(own, g_strdup(key),
				    g_memdup2(val, sizeof(struct handle)));
	g_hash_table_unref(r->handles);
	r->handles = own;
	r->handles_shared = false;
}
