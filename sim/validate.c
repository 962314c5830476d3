// SPDX-License-Identifier: MIT
/*
 * validate.c - the static checks run before anything executes: verbs,
 * argument names and types, declared names, handle bindings, statement
 * order and expectations. Every error names file:line:col.
 */
#include <stdlib.h>
#include <string.h>

#include "validate_priv.h"
#include "verbs.h"
#include "errnames.h"
#include "model/vfio/vfio.h"

bool verr(struct vstate *vs, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scenario_error(vs->err, vs->sc->path, line, col, fmt, ap);
	va_end(ap);
	return false;
}

static bool enum_has(const char *choices, const char *s)
{
	g_auto(GStrv) v = g_strsplit(choices, "|", -1);

	return g_strv_contains((const char *const *)v, s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names a typo could have meant, sorted; "" when there are too many
 * to read (a generated machine's thousands of devices). */
static char *known_names(GHashTable *set)
{
	g_autofree const char **keys = NULL;
	guint n = 0;

	if (g_hash_table_size(set) > 12)
		return g_strdup("");
	keys = (const char **)g_hash_table_get_keys_as_array(set, &n);
	qsort(keys, n, sizeof(*keys), cmp_str);
	return g_strjoinv(", ", (char **)keys);
}

static bool check_name(struct vstate *vs, const struct value *v,
		       GHashTable *set, const char *what)
{
	if (v->kind != VAL_IDENT)
		return verr(vs, v->line, v->col, "expected a %s name, got '%s'",
			    what, v->text ? v->text : "");
	if (!g_hash_table_contains(set, v->text)) {
		g_autofree char *known = known_names(set);

		return verr(vs, v->line, v->col, "unknown %s '%s'%s%s%s", what,
			    v->text, *known ? " (known: " : "", known,
			    *known ? ")" : "");
	}
	return true;
}

/* "default or blocking or none" from "default|blocking|none" */
static char *choice_words(const char *choices)
{
	g_auto(GStrv) v = g_strsplit(choices ? choices : "", "|", -1);

	return g_strjoinv(" or ", v);
}

/* "a" or "an" before a handle type's name ("an ioas", "a hwpt") */
static const char *a_an(const char *name)
{
	return strchr("aeiou", name[0]) ? "an" : "a";
}

/* A user handing the kernel an object of the wrong type on purpose (to
 * see its ENOENT) writes the id as a number: say so. */
static const char *id_hint(const struct arg_spec *spec, const struct vhandle *h)
{
	if (spec->htype->numeric && h->type->numeric)
		return "; to pass another object's id on purpose, write it "
		       "as a number";
	return "";
}

/* A handle argument: a bound handle of the spec's type, or a name. */
static bool check_handle_ref(struct vstate *vs, const struct arg_spec *spec,
			     const struct value *v)
{
	const char *t = spec->htype->name;
	struct vhandle *h;

	if (v->kind == VAL_IDENT && spec->choices &&
	    enum_has(spec->choices, v->text))
		return true;
	if (v->kind == VAL_NUMBER && spec->htype->numeric)
		return true; /* an id written out: the kernel looks it up */
	if (v->kind != VAL_HANDLE) {
		g_autofree char *names = choice_words(spec->choices);

		return verr(vs, v->line, v->col,
			    "expected %s %s handle ($name)%s%s, got '%s'",
			    a_an(t), t, *names ? ", " : "", names,
			    v->text ? v->text : "");
	}
	h = g_hash_table_lookup(vs->handles, v->text);
	if (!h && g_hash_table_contains(vs->exited, v->text))
		return verr(vs, v->line, v->col,
			    "handle $%s was bound by the forked child, which "
			    "exited at line %d: the parent never saw it",
			    v->text,
			    GPOINTER_TO_INT(
				    g_hash_table_lookup(vs->exited, v->text)));
	if (!h)
		return verr(vs, v->line, v->col,
			    "handle $%s is used before any statement binds it",
			    v->text);
	if (h->type == spec->htype || h->type == spec->htype_alt ||
	    (spec->htype_alt2 && h->type == spec->htype_alt2) ||
	    (spec->htype->any_numeric && h->type->numeric))
		return true;
	if (spec->htype_alt)
		return verr(vs, v->line, v->col,
			    "expected %s %s or %s%s%s handle, $%s is %s %s "
			    "handle (bound at line %d)%s",
			    a_an(t), t, spec->htype_alt->name,
			    spec->htype_alt2 ? " or " : "",
			    spec->htype_alt2 ? spec->htype_alt2->name : "",
			    v->text, a_an(h->type->name), h->type->name,
			    h->line, id_hint(spec, h));
	return verr(vs, v->line, v->col,
		    "expected %s %s handle, $%s is %s %s handle (bound at "
		    "line %d)%s",
		    a_an(t), t, v->text, a_an(h->type->name), h->type->name,
		    h->line, id_hint(spec, h));
}

/* An out field: a new handle, or for numeric outputs a value to assert. */
static bool check_out(struct vstate *vs, const struct arg_spec *spec,
		      const struct value *v)
{
	struct vhandle *h;

	if (v->kind == VAL_NUMBER && (!spec->htype || spec->htype->numeric))
		return true;
	if (v->kind != VAL_HANDLE || !spec->htype)
		return verr(vs, v->line, v->col,
			    spec->htype ? "expected a new handle ($name) for "
					  "the out field, got '%s'"
					: "expected the value the out field "
					  "must hold, got '%s'",
			    v->text);
	h = g_hash_table_lookup(vs->handles, v->text);
	if (h)
		return verr(vs, v->line, v->col,
			    "handle $%s is already bound at line %d", v->text,
			    h->line);
	return true;
}

/* A number past its argument's width: say the bound as it is written
 * best (64M for sizes, 0xff for a byte, 4294967295 for a count). */
static bool too_big(struct vstate *vs, const struct arg_spec *spec,
		    const struct value *v)
{
	if (spec->max >= (1u << 20) && !(spec->max & ((1u << 20) - 1)))
		return verr(vs, v->line, v->col,
			    "expected %s= at most %" G_GUINT64_FORMAT
			    "M, got '%s'",
			    spec->key, spec->max >> 20, v->text);
	return verr(vs, v->line, v->col,
		    "expected %s= at most 0x%" G_GINT64_MODIFIER "x, got '%s'",
		    spec->key, spec->max, v->text);
}

static bool check_direct_range(struct vstate *vs, const struct value *v)
{
	struct iommu_fw_direct r;
	bool relaxable;

	if (v->kind == VAL_IDENT &&
	    !parse_direct_range(v->text, &r, &relaxable))
		return true;
	return verr(vs, v->line, v->col,
		    "expected a direct range START-LAST or "
		    "START-LAST:relaxable (LAST inclusive, not below START), "
		    "got '%s'",
		    v->text ? v->text : "");
}

/* AMD's IVMD unity maps are IOMMU_RESV_DIRECT, never relaxable
 * (amd/iommu.c amd_iommu_get_resv_regions()): a relaxable range behind
 * an amd-vi is a machine that cannot exist */
static bool check_direct_driver(struct vstate *vs, const struct statement *st)
{
	const struct arg *a = stmt_arg(st, "direct");
	const char *iommu = arg_str(st, "iommu", vs->first_iommu);
	const char *drv =
		iommu ? g_hash_table_lookup(vs->iommu_driver, iommu) : NULL;
	guint n = !a ? 0 : a->val.kind == VAL_LIST ? a->val.items->len : 1;

	if (!drv || strcmp(drv, "amd-vi"))
		return true;
	for (guint i = 0; i < n; i++) {
		const struct value *v = a->val.kind == VAL_LIST
						? a->val.items->pdata[i]
						: &a->val;

		if (g_str_has_suffix(v->text, ":relaxable"))
			return verr(vs, v->line, v->col,
				    "'%s': an AMD-Vi IVMD unity map is "
				    "IOMMU_RESV_DIRECT, never relaxable "
				    "(amd_iommu_get_resv_regions()); "
				    ":relaxable is a VT-d RMRR's of a USB "
				    "or graphics device or an IORT RMR's",
				    v->text);
	}
	return true;
}

static bool check_scalar(struct vstate *vs, const struct arg_spec *spec,
			 const struct value *v)
{
	u8 devfn;

	switch (spec->type) {
	case T_DEV:
		return check_name(vs, v, vs->devices, "device");
	case T_BRIDGE:
		if (!check_name(vs, v, vs->devices, "device"))
			return false;
		if (!is_bridge(g_hash_table_lookup(vs->devices, v->text)))
			return verr(vs, v->line, v->col,
				    "expected a bridge or port as parent, "
				    "'%s' is an endpoint",
				    v->text);
		return true;
	case T_IOMMU:
		/* iommu=none: no IOMMU covers the device (dev->iommu NULL) */
		if (v->kind == VAL_IDENT && !strcmp(v->text, "none"))
			return true;
		return check_name(vs, v, vs->iommus, "iommu");
	case T_DRIVER:
		return check_name(vs, v, vs->drivers, "driver");
	case T_HANDLE:
		return check_handle_ref(vs, spec, v);
	case T_OUT:
		return check_out(vs, spec, v);
	case T_NAME:
	case T_COOKIE:
		if (v->kind != VAL_IDENT || !scenario_is_ident(v->text))
			return verr(vs, v->line, v->col,
				    "expected a name, got '%s'",
				    v->text ? v->text : "");
		return true;
	case T_NUM:
		if (v->kind != VAL_NUMBER)
			return verr(vs, v->line, v->col,
				    "expected a number, got '%s'", v->text);
		if (spec->max && v->num > spec->max)
			return too_big(vs, spec, v);
		return true;
	case T_BOOL:
		if (v->kind != VAL_NUMBER || v->num > 1)
			return verr(vs, v->line, v->col,
				    "expected 0 or 1, got '%s'", v->text);
		return true;
	case T_STR:
		if (v->kind != VAL_STRING && v->kind != VAL_IDENT)
			return verr(vs, v->line, v->col,
				    "expected a string, got '%s'", v->text);
		return true;
	case T_ADDR:
		if (v->kind == VAL_STRING || parse_addr(v->text, &devfn))
			return verr(vs, v->line, v->col,
				    "expected a PCI address DD.F (device "
				    "00-1f, function 0-7), got '%s'",
				    v->text);
		return true;
	case T_ENUM:
		if (v->kind == VAL_STRING || !enum_has(spec->choices, v->text))
			return verr(vs, v->line, v->col,
				    "expected one of %s, got '%s'",
				    spec->choices, v->text);
		return true;
	case T_ERRNO:
		if (errno_from_name(v->text) < 0)
			return verr(vs, v->line, v->col,
				    "expected an errno name, got '%s'",
				    v->text);
		return true;
	case T_PROFILES:
		if (!scenario_profile_known(v->text)) {
			g_autofree char *names =
				iommu_profile_names_joined(", ");

			return verr(vs, v->line, v->col,
				    "expected a profile name (%s), got '%s'",
				    names, v->text);
		}
		return true;
	case T_DEVLIST:
		return check_name(vs, v, vs->devices, "device");
	case T_FLAGS:
	case T_CODE:
		if (v->kind == VAL_NUMBER ||
		    (v->kind == VAL_IDENT && enum_has(spec->choices, v->text)))
			return true;
		return verr(vs, v->line, v->col,
			    "expected a number or one of %s, got '%s'",
			    spec->choices, v->text);
	case T_NUMLIST:
		if (v->kind != VAL_NUMBER)
			return verr(vs, v->line, v->col,
				    "expected a number, got '%s'", v->text);
		return true;
	case T_DIRECT:
		return check_direct_range(vs, v);
	}
	return true;
}

static bool check_value(struct vstate *vs, const struct arg_spec *spec,
			const struct value *v)
{
	if (v->kind != VAL_LIST)
		return check_scalar(vs, spec, v);
	if (spec->type != T_DEVLIST && spec->type != T_PROFILES &&
	    spec->type != T_FLAGS && spec->type != T_NUMLIST &&
	    spec->type != T_DIRECT)
		return verr(vs, v->line, v->col,
			    "expected a single value for '%s', got a list",
			    spec->key);
	for (guint i = 0; i < v->items->len; i++) {
		const struct value *item = v->items->pdata[i];

		if (!check_scalar(vs, spec, item))
			return false;
		if (spec->type == T_DIRECT && i == IOMMU_FW_DIRECT_MAX)
			return verr(vs, item->line, item->col,
				    "expected at most %d direct ranges for "
				    "one device",
				    IOMMU_FW_DIRECT_MAX);
	}
	return true;
}

static GString *key_list(const struct op *v)
{
	GString *s = g_string_new(NULL);

	for (const struct arg_spec *a = v->args; a->key; a++)
		g_string_append_printf(s, "%s%s=", s->len ? ", " : "", a->key);
	return s;
}

/* A name that stands for an object (default) resolves through another
 * argument (dev=): it must be there. */
static bool check_names_need(struct vstate *vs, const struct statement *st,
			     const struct arg_spec *spec, const struct value *v)
{
	const struct handle_type *t = spec->htype;

	if (spec->type != T_HANDLE || v->kind != VAL_IDENT || !t->names_need ||
	    !strcmp(v->text, "none") || stmt_arg(st, t->names_need))
		return true;
	return verr(vs, v->line, v->col,
		    "'%s' %s: expected %s= too, or a handle", v->text,
		    t->names_what, t->names_need);
}

static bool check_arg_rule(struct vstate *vs, const struct statement *st,
			   const struct op *v)
{
	const char *why = NULL;
	const struct arg *a = v->arg_rule ? v->arg_rule(st, &why) : NULL;

	if (!a)
		return true;
	return verr(vs, st->line, a->col, "%s= %s", a->key, why);
}

/* A selector's verb (op.h .selector): each argument goes with the code
 * the selector names; the error lists the ones that do. */
static bool check_selector(struct vstate *vs, const struct statement *st,
			   const struct op *v)
{
	const struct arg *sel = v->takes ? stmt_arg(st, v->selector) : NULL;
	g_autoptr(GString) keys = NULL;
	const struct arg *a = NULL;
	uint64_t code;

	if (!sel)
		return true;
	code = arg_code(st, v->selector, 0);
	for (guint i = 0; i < st->args->len && !a; i++) {
		if (!v->takes(code, ((struct arg *)st->args->pdata[i])->key))
			a = st->args->pdata[i];
	}
	if (!a)
		return true;
	keys = g_string_new("");
	for (const struct arg_spec *s = v->args; s->key; s++) {
		if (v->takes(code, s->key))
			g_string_append_printf(keys, "%s%s",
					       keys->len ? ", " : "", s->key);
	}
	return verr(vs, st->line, a->col,
		    "%s= does not go with %s=%s (expected one of: %s)", a->key,
		    v->selector, sel->val.text, keys->str);
}

/* The first argument of a one_of set: exactly one of the set given. */
static bool check_one_of(struct vstate *vs, const struct statement *st,
			 const struct op *v, const struct arg_spec *first)
{
	g_autoptr(GString) keys = g_string_new("");
	int given = 0;

	if (!first->one_of)
		return true;
	for (const struct arg_spec *s = v->args; s < first; s++) {
		if (s->one_of == first->one_of)
			return true; /* checked at its first */
	}
	for (const struct arg_spec *s = first; s->key; s++) {
		if (s->one_of != first->one_of)
			continue;
		given += !!stmt_arg(st, s->key);
		g_string_append_printf(keys, "%s%s=", keys->len ? ", " : "",
				       s->key);
	}
	if (given == 1)
		return true;
	return verr(vs, st->line, st->col, "%s takes one of %s", v->name,
		    keys->str);
}

static bool check_args(struct vstate *vs, const struct statement *st,
		       const struct op *v)
{
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = op_arg(v, a->key);

		if (!spec) {
			g_autoptr(GString) keys = key_list(v);

			return verr(vs, st->line, a->col,
				    "unknown argument '%s' for %s (expected "
				    "one of: %s)",
				    a->key, v->name, keys->str);
		}
		if (!check_value(vs, spec, &a->val) ||
		    !check_names_need(vs, st, spec, &a->val) ||
		    !check_not_removed(vs, st, v, a, spec))
			return false;
	}
	for (const struct arg_spec *spec = v->args; spec->key; spec++) {
		if (spec->required && !stmt_arg(st, spec->key))
			return verr(vs, st->line, st->col,
				    "%s needs %s=", v->name, spec->key);
		if (!check_one_of(vs, st, v, spec))
			return false;
	}
	return check_selector(vs, st, v) && check_arg_rule(vs, st, v);
}

static bool check_order(struct vstate *vs, const struct statement *st,
			const struct op *v, guint idx)
{
	if (v->first_only && idx != 0)
		return verr(vs, st->line, st->col,
			    "expected '%s' only as the first statement",
			    v->name);
	if (v->boots && vs->booted)
		return verr(vs, st->line, st->col, "%s given twice", v->name);
	if (v->cls == STEP_SETUP && vs->booted && !v->after_boot)
		return verr(vs, st->line, st->col, "expected %s before boot",
			    v->name);
	if (v->boots)
		vs->booted = true;
	if (v->cls != STEP_SETUP && !vs->booted)
		return verr(vs, st->line, st->col,
			    "expected boot before the first operation (%s)",
			    v->name);
	return true;
}

/* Out fields given a handle bind it, with the type the spec says. */
static void bind_outs(struct vstate *vs, const struct statement *st,
		      const struct op *v)
{
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = op_arg(v, a->key);
		struct vhandle *h;

		if (spec->type != T_OUT || a->val.kind != VAL_HANDLE)
			continue;
		h = g_new(struct vhandle, 1);
		h->line = st->line;
		h->type = spec->htype;
		h->child = vs->fork != NULL;
		g_hash_table_insert(vs->handles, g_strdup(a->val.text), h);
	}
}

bool stmt_applies(const struct statement *st, const char *profile)
{
	const struct arg *only = stmt_arg(st, "only");

	if (!only)
		return true;
	if (only->val.kind != VAL_LIST)
		return !strcmp(only->val.text, profile);
	for (guint i = 0; i < only->val.items->len; i++) {
		const struct value *item = only->val.items->pdata[i];

		if (!strcmp(item->text, profile))
			return true;
	}
	return false;
}

static bool check_expectation(struct vstate *vs, const struct statement *st,
			      const struct op *v)
{
	const char *p = vs->profile->name;
	const struct outcome *o = stmt_expect(st, p);

	if (v->cls != STEP_OP && !v->after_boot && !v->boots) {
		if (st->has_arrow)
			return verr(vs, st->line, st->arrow_col,
				    "%s takes no '=> outcome'", v->name);
		return true;
	}
	if (!stmt_applies(st, p) || v->cls != STEP_OP)
		return true;
	if (op_absent(v, vs->profile) && !vs->opts->allow_absent &&
	    (!o || o->kind != OUT_ABSENT))
		return verr(vs, st->line, st->col,
			    "%s does not exist in profile %s: write "
			    "'=> %s:absent' to say so",
			    v->name, p, p);
	if (vs->opts->strict && !o)
		return verr(vs, st->line, st->col,
			    "expected '=> outcome' for profile %s (--strict "
			    "needs every operation's expected result)",
			    p);
	/* a number is what a function returning a value gave (iommu_unmap's
	 * bytes); a function returning int or void says ok, never 0 */
	if (o && o->kind == OUT_VALUE && v->result != RES_VALUE)
		return verr(vs, st->line, o->col,
			    "%s returns no value: expected ok, an errno or "
			    "WARN, got '%" G_GUINT64_FORMAT "'",
			    v->name, o->value);
	return true;
}

/* kconfig: the VFIO/IOMMUFD symbols must be a combination Kconfig
 * would produce under the profile's rules (model/vfio/kconfig.c names
 * the broken dependency; a posted version's VFIO_NOIOMMU may differ) */
static bool check_kconfig(struct vstate *vs, const struct statement *st)
{
	struct vfio_kconfig_req req;
	struct vfio_kconfig cfg;
	g_autofree char *why = NULL;

	if (strcmp(st->verb, "kconfig") || !stmt_applies(st, vs->profile->name))
		return true;
	kconfig_request(st, &req);
	if (!vfio_kconfig_resolve_in(vs->profile, &req, &cfg, &why))
		return true;
	return verr(vs, st->line, st->col, "%s", why);
}

/* vfio_open: a path must name a node VFIO can have (model/vfio/nodes.c;
 * that it is one of path=, group_of=, cdev_of= is the row's one_of) */
static bool check_vfio_open(struct vstate *vs, const struct statement *st)
{
	const struct arg *path = stmt_arg(st, "path");

	if (strcmp(st->verb, "vfio_open"))
		return true;
	if (path && !vfio_node_path_valid(path->val.text))
		return verr(vs, path->val.line, path->val.col,
			    "unknown VFIO node '%s': expected /dev/vfio/vfio, "
			    "/dev/vfio/[noiommu-]N or "
			    "/dev/vfio/devices/[noiommu-]vfioN",
			    path->val.text);
	return true;
}

/* ---- fork ... exit: the steps between them are the child's ---- */

static gboolean child_handle(gpointer key, gpointer value, gpointer data)
{
	struct vstate *vs = ((gpointer *)data)[0];
	const struct statement *st = ((gpointer *)data)[1];

	if (!((struct vhandle *)value)->child)
		return FALSE;
	g_hash_table_insert(vs->exited, g_strdup(key),
			    GINT_TO_POINTER(st->line));
	return TRUE;
}

/* One child at a time, its steps the process's own calls (op->in_child),
 * process=parent only inside it; at exit its handles go out of scope (the
 * guest's child takes its bindings with it). */
static bool check_process_block(struct vstate *vs, const struct statement *st,
				const struct op *v)
{
	const struct arg *who = stmt_arg(st, "process");
	gpointer data[2] = { vs, (gpointer)st };

	if (who && !vs->fork && !strcmp(who->val.text, "parent"))
		return verr(vs, who->val.line, who->col,
			    "process=parent names the process that forked: "
			    "only between fork and exit");
	if (v->forks && vs->fork)
		return verr(vs, st->line, st->col,
			    "fork in the child forked at line %d: one child "
			    "at a time (exit it first)",
			    vs->fork->line);
	if (v->exits && !vs->fork)
		return verr(vs, st->line, st->col,
			    "exit without a fork: only a forked child exits");
	if (vs->fork && !v->in_child && v->cls != STEP_CHECK && !v->exits)
		return verr(vs, st->line, st->col,
			    "%s in the child forked at line %d: only the "
			    "process's own calls (iommufd's ioctls, a VFIO "
			    "container's DMA ioctls, its memory, files and "
			    "credentials) run in a child",
			    st->verb, vs->fork->line);
	if (v->forks)
		vs->fork = st;
	if (v->exits) {
		g_hash_table_foreach_remove(vs->handles, child_handle, data);
		vs->fork = NULL;
	}
	return true;
}

static bool check_statement(struct vstate *vs, const struct statement *st,
			    guint idx)
{
	const struct op *v = op_find(st->verb);
	const struct verb_alias *alias = verb_alias_find(st->verb);
	g_autofree char *unknown = v ? NULL : verb_unknown_message(st->verb);

	if (!v)
		return verr(vs, st->line, st->col, "%s", unknown);
	if (alias && strcmp(alias->profile, vs->profile->name))
		return verr(vs, st->line, st->col,
			    "%s is %s's name for %s; under %s write %s",
			    st->verb, alias->profile, alias->verb,
			    vs->profile->name, alias->verb);
	if (!check_order(vs, st, v, idx) || !check_args(vs, st, v) ||
	    !check_direct_driver(vs, st) || !check_kconfig(vs, st) ||
	    !check_vfio_open(vs, st) || !check_expectation(vs, st, v) ||
	    !check_declarations(vs, st, v))
		return false;
	bind_outs(vs, st, v);
	return check_process_block(vs, st, v);
}

static GHashTable *name_set(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

bool scenario_check(const struct scenario *sc, const struct run_opts *opts,
		    GError **err)
{
	struct vstate vs = { .sc = sc, .opts = opts, .err = err };
	bool ok = true;

	vs.profile = opts->profile ? iommu_profile_find(opts->profile)
				   : iommu_profile_default();
	vs.devices = name_set();
	vs.iommus = name_set();
	vs.iommu_driver = name_set();
	vs.drivers = name_set();
	vs.handles =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	vs.addrs = name_set();
	vs.removed = name_set();
	vs.pending_addrs = name_set();
	vs.functions = vfuncs_new();
	vs.mf_addrs = name_set();
	vs.unfound = name_set();
	vs.exited = name_set();
	vs.dev_addr =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (const char *const *d = iommu_builtin_drivers(); *d; d++)
		g_hash_table_insert(vs.drivers, g_strdup(*d), "builtin");
	for (guint i = 0; i < sc->stmts->len && ok; i++)
		ok = check_statement(&vs, sc->stmts->pdata[i], i);
	if (ok && !vs.booted && sc->stmts->len) {
		/* a machine never booted runs nothing: not a pass */
		const struct statement *last =
			sc->stmts->pdata[sc->stmts->len - 1];

		ok = verr(&vs, last->line + 1, 1,
			  "expected boot, the file never boots its machine");
	}
	if (ok && vs.fork)
		ok = verr(&vs, vs.fork->line, vs.fork->col,
			  "fork without an exit: the child's steps end with "
			  "exit, the parent's follow it");
	g_hash_table_destroy(vs.devices);
	g_hash_table_destroy(vs.iommus);
	g_hash_table_destroy(vs.iommu_driver);
	g_hash_table_destroy(vs.drivers);
	g_hash_table_destroy(vs.handles);
	g_hash_table_destroy(vs.addrs);
	g_hash_table_destroy(vs.dev_addr);
	g_hash_table_destroy(vs.removed);
	g_hash_table_destroy(vs.pending_addrs);
	g_ptr_array_free(vs.functions, TRUE);
	g_hash_table_destroy(vs.mf_addrs);
	g_hash_table_destroy(vs.unfound);
	g_hash_table_destroy(vs.exited);
	return ok;
}
