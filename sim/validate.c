// SPDX-License-Identifier: MIT
/*
 * validate.c - the static checks run before anything executes: verbs,
 * argument names and types, declared names, handle bindings, statement
 * order and expectations. Every error names file:line:col.
 */
#include <string.h>

#include "runner.h"
#include "errnames.h"

struct vstate {
	const struct scenario *sc;
	const struct run_opts *opts;
	const struct iommu_profile *profile;
	GHashTable *devices; /* name -> kind verb */
	GHashTable *iommus;
	GHashTable *drivers;
	GHashTable *handles;  /* name -> line (as pointer) */
	GHashTable *addrs;    /* "parent/DD.F" taken */
	GHashTable *dev_addr; /* device name -> its "parent/DD.F" */
	bool booted;
	GError **err;
};

static bool verr(struct vstate *vs, int line, int col, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static bool verr(struct vstate *vs, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scenario_error(vs->err, vs->sc->path, line, col, fmt, ap);
	va_end(ap);
	return false;
}

static bool is_bridge_verb(const char *kind)
{
	return strcmp(kind, "pci_device") && strcmp(kind, "platform_device");
}

static bool enum_has(const char *choices, const char *s)
{
	g_auto(GStrv) v = g_strsplit(choices, "|", -1);

	return g_strv_contains((const char *const *)v, s);
}

static bool check_name(struct vstate *vs, const struct value *v,
		       GHashTable *set, const char *what)
{
	if (v->kind != VAL_IDENT)
		return verr(vs, v->line, v->col, "expected a %s name, got '%s'",
			    what, v->text ? v->text : "");
	if (!g_hash_table_contains(set, v->text))
		return verr(vs, v->line, v->col, "unknown %s '%s'", what,
			    v->text);
	return true;
}

static bool check_domain_ref(struct vstate *vs, const struct value *v,
			     bool none_ok)
{
	if (v->kind == VAL_IDENT &&
	    (!strcmp(v->text, "default") || !strcmp(v->text, "blocking") ||
	     (none_ok && !strcmp(v->text, "none"))))
		return true;
	if (v->kind != VAL_HANDLE)
		return verr(vs, v->line, v->col,
			    "expected a domain handle ($name), default or "
			    "blocking%s, got '%s'",
			    none_ok ? " or none" : "", v->text ? v->text : "");
	if (!g_hash_table_contains(vs->handles, v->text))
		return verr(vs, v->line, v->col,
			    "handle $%s is used before any statement binds it",
			    v->text);
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
		if (!is_bridge_verb(g_hash_table_lookup(vs->devices, v->text)))
			return verr(vs, v->line, v->col,
				    "expected a bridge or port as parent, "
				    "'%s' is an endpoint",
				    v->text);
		return true;
	case T_IOMMU:
		return check_name(vs, v, vs->iommus, "iommu");
	case T_DRIVER:
		return check_name(vs, v, vs->drivers, "driver");
	case T_DOMAIN:
	case T_DOMAIN_NONE:
		return check_domain_ref(vs, v, spec->type == T_DOMAIN_NONE);
	case T_OUT_DOMAIN:
		if (v->kind != VAL_HANDLE)
			return verr(vs, v->line, v->col,
				    "expected a new handle ($name) for the out "
				    "field, got '%s'",
				    v->text);
		if (g_hash_table_contains(vs->handles, v->text))
			return verr(vs, v->line, v->col,
				    "handle $%s is already bound at line %d",
				    v->text,
				    GPOINTER_TO_INT(g_hash_table_lookup(
					    vs->handles, v->text)));
		return true;
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
		if (!scenario_profile_known(v->text))
			return verr(vs, v->line, v->col,
				    "expected a profile name (linux-7.3, "
				    "rfc-2022-v1), got '%s'",
				    v->text);
		return true;
	case T_DEVLIST:
		return check_name(vs, v, vs->devices, "device");
	}
	return true;
}

static bool check_value(struct vstate *vs, const struct arg_spec *spec,
			const struct value *v)
{
	if (v->kind != VAL_LIST)
		return check_scalar(vs, spec, v);
	if (spec->type != T_DEVLIST && spec->type != T_PROFILES)
		return verr(vs, v->line, v->col,
			    "expected a single value for '%s', got a list",
			    spec->key);
	for (guint i = 0; i < v->items->len; i++) {
		if (!check_scalar(vs, spec, v->items->pdata[i]))
			return false;
	}
	return true;
}

static GString *key_list(const struct verb *v)
{
	GString *s = g_string_new(NULL);

	for (const struct arg_spec *a = v->args; a->key; a++)
		g_string_append_printf(s, "%s%s=", s->len ? ", " : "", a->key);
	return s;
}

static bool check_args(struct vstate *vs, const struct statement *st,
		       const struct verb *v)
{
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = verb_arg_spec(v, a->key);

		if (!spec) {
			g_autoptr(GString) keys = key_list(v);

			return verr(vs, st->line, a->col,
				    "unknown argument '%s' for %s (expected "
				    "one of: %s)",
				    a->key, v->name, keys->str);
		}
		if (!check_value(vs, spec, &a->val))
			return false;
		if ((spec->type == T_DOMAIN || spec->type == T_DOMAIN_NONE) &&
		    a->val.kind == VAL_IDENT && strcmp(a->val.text, "none") &&
		    !stmt_arg(st, "dev"))
			return verr(
				vs, a->val.line, a->val.col,
				"'%s' names the domain of a device's group: "
				"expected dev= too, or a handle",
				a->val.text);
		if (!strcmp(a->key, "len") && a->val.num > (64u << 20))
			return verr(vs, a->val.line, a->val.col,
				    "expected len= at most 64M (one transfer "
				    "in the model), got '%s'",
				    a->val.text);
	}
	for (const struct arg_spec *spec = v->args; spec->key; spec++) {
		if (spec->required && !stmt_arg(st, spec->key))
			return verr(vs, st->line, st->col,
				    "%s needs %s=", v->name, spec->key);
	}
	return true;
}

static bool declare(struct vstate *vs, const struct statement *st,
		    GHashTable *set, const char *what, const char *def)
{
	const struct arg *a = stmt_arg(st, "name");
	const char *name = a ? a->val.text : def;

	if (g_hash_table_contains(set, name))
		return verr(vs, st->line, a ? a->val.col : st->col,
			    "%s '%s' is declared twice", what, name);
	g_hash_table_insert(set, g_strdup(name), (gpointer)st->verb);
	return true;
}

static bool check_order(struct vstate *vs, const struct statement *st,
			const struct verb *v, guint idx)
{
	if (!strcmp(v->name, "scenario") && idx != 0)
		return verr(vs, st->line, st->col,
			    "expected 'scenario' only as the first statement");
	if (v->cls == STEP_SETUP && vs->booted && !v->after_boot)
		return verr(vs, st->line, st->col, "expected %s before boot",
			    v->name);
	if (!strcmp(v->name, "boot")) {
		if (vs->booted)
			return verr(vs, st->line, st->col, "boot given twice");
		vs->booted = true;
	}
	if (v->cls != STEP_SETUP && !vs->booted)
		return verr(vs, st->line, st->col,
			    "expected boot before the first operation (%s)",
			    v->name);
	return true;
}

static bool check_declarations(struct vstate *vs, const struct statement *st,
			       const struct verb *v)
{
	if (!strcmp(v->name, "iommu"))
		return declare(vs, st, vs->iommus, "iommu", "iommu0");
	if (!strcmp(v->name, "driver"))
		return declare(vs, st, vs->drivers, "driver", "");
	if (!strcmp(v->name, "device_del")) {
		const char *key = g_hash_table_lookup(vs->dev_addr,
						      arg_str(st, "dev", ""));

		if (key)
			g_hash_table_remove(vs->addrs, key);
		return true;
	}
	if (v->exec == verb_find("pci_device")->exec) {
		const struct arg *addr = stmt_arg(st, "addr");
		char *key;

		if (!addr)
			return declare(vs, st, vs->devices, "device", "");
		key = g_strdup_printf("%s/%s", arg_str(st, "parent", ""),
				      addr->val.text);
		if (g_hash_table_contains(vs->addrs, key)) {
			g_free(key);
			return verr(vs, st->line, addr->val.col,
				    "address %s is taken on that bus",
				    addr->val.text);
		}
		g_hash_table_add(vs->addrs, key);
		g_hash_table_insert(vs->dev_addr,
				    g_strdup(arg_str(st, "name", "")),
				    g_strdup(key));
		return declare(vs, st, vs->devices, "device", "");
	}
	return true;
}

static void bind_outs(struct vstate *vs, const struct statement *st,
		      const struct verb *v)
{
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = verb_arg_spec(v, a->key);

		if (spec->type == T_OUT_DOMAIN)
			g_hash_table_insert(vs->handles, g_strdup(a->val.text),
					    GINT_TO_POINTER(st->line));
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
			      const struct verb *v)
{
	const char *p = vs->profile->name;
	const struct outcome *o = stmt_expect(st, p);

	if (v->cls != STEP_OP && !v->after_boot && strcmp(v->name, "boot")) {
		if (st->has_arrow)
			return verr(vs, st->line, st->arrow_col,
				    "%s takes no '=> outcome'", v->name);
		return true;
	}
	if (!stmt_applies(st, p) || v->cls != STEP_OP)
		return true;
	if (verb_absent(v, vs->profile) && !vs->opts->allow_absent &&
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
	return true;
}

static bool check_statement(struct vstate *vs, const struct statement *st,
			    guint idx)
{
	const struct verb *v = verb_find(st->verb);

	if (!v)
		return verr(vs, st->line, st->col,
			    "unknown verb '%s' (see docs/scenario-language.md)",
			    st->verb);
	if (!check_order(vs, st, v, idx) || !check_args(vs, st, v) ||
	    !check_expectation(vs, st, v) || !check_declarations(vs, st, v))
		return false;
	bind_outs(vs, st, v);
	return true;
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

	vs.profile =
		iommu_profile_find(opts->profile ? opts->profile : "linux-7.3");
	vs.devices = name_set();
	vs.iommus = name_set();
	vs.drivers = name_set();
	vs.handles = name_set();
	vs.addrs = name_set();
	vs.dev_addr =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (const char *const *d = builtin_drivers; *d; d++)
		g_hash_table_insert(vs.drivers, g_strdup(*d), "builtin");
	for (guint i = 0; i < sc->stmts->len && ok; i++)
		ok = check_statement(&vs, sc->stmts->pdata[i], i);
	g_hash_table_destroy(vs.devices);
	g_hash_table_destroy(vs.iommus);
	g_hash_table_destroy(vs.drivers);
	g_hash_table_destroy(vs.handles);
	g_hash_table_destroy(vs.addrs);
	g_hash_table_destroy(vs.dev_addr);
	return ok;
}
