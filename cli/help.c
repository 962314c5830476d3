// SPDX-License-Identifier: MIT
/*
 * help.c - a verb's help, from its row of the operation table (sim/op.h):
 * what kind of statement it is, the Linux 7.3 function it models and
 * where that function is in the tree, and its arguments. `iommusim help
 * VERB` and the repl's `help VERB` print the same text.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "model/profile_api.h"
#include "op.h"
#include "verbs.h"

static const char *const arg_type_names[] = {
	[T_NAME] = "a new name",
	[T_DEV] = "a device",
	[T_BRIDGE] = "a bridge or port",
	[T_IOMMU] = "an iommu",
	[T_DRIVER] = "a driver",
	[T_HANDLE] = "a handle",
	[T_OUT] = "out: asserts the value it returns",
	[T_COOKIE] = "an owner cookie",
	[T_NUM] = "a number",
	[T_BOOL] = "0 or 1",
	[T_STR] = "a string",
	[T_ADDR] = "DD.F",
	[T_ENUM] = "one of",
	[T_ERRNO] = "an errno name",
	[T_PROFILES] = "profile names",
	[T_DEVLIST] = "device names",
	[T_FLAGS] = "a number, or flags",
	[T_CODE] = "a number, or one of",
	[T_NUMLIST] = "numbers, comma-separated",
	[T_DIRECT] = "START-LAST[:relaxable] ranges, comma-separated",
};

static const char *class_name(const struct op *op)
{
	switch (op->cls) {
	case STEP_OP:
		return "an operation";
	case STEP_CHECK:
		return "a check";
	default:
		return "machine setup";
	}
}

/* "FILE:FUNCTION, FILE:FUNCTION" -> one "FUNCTION() in FILE" a line */
static void print_kfunc(FILE *out, const struct op *op)
{
	g_auto(GStrv) each = NULL;

	if (!op->kfunc) {
		fprintf(out, "  Linux 7.3: no kernel function: %s\n",
			op->kfunc_none);
		return;
	}
	each = g_strsplit(op->kfunc, ", ", -1);
	for (char **e = each; *e; e++) {
		const char *colon = strrchr(*e, ':');

		fprintf(out, "  %s %s() in %.*s\n",
			e == each ? "Linux 7.3:" : "          ", colon + 1,
			(int)(colon - *e), *e);
	}
}

/* @choices without its gaps ("_": a bit or value with no name) */
static char *choice_names(const char *choices)
{
	g_auto(GStrv) v = g_strsplit(choices ? choices : "", "|", -1);
	GString *s = g_string_new(NULL);

	for (char **c = v; *c; c++) {
		if (strcmp(*c, "_"))
			g_string_append_printf(s, "%s%s", s->len ? "|" : "",
					       *c);
	}
	return g_string_free(s, FALSE);
}

static void print_arg(FILE *out, const struct arg_spec *a)
{
	g_autofree char *what = NULL;
	g_autofree char *named = choice_names(a->choices);

	if (a->htype)
		what = g_strdup_printf(
			"%s (%s%s%s)",
			a->type == T_OUT ? "out: binds a handle" : "a handle",
			handle_type_name(a->htype), a->htype_alt ? " or " : "",
			a->htype_alt ? handle_type_name(a->htype_alt) : "");
	else
		what = g_strdup(arg_type_names[a->type]);
	fprintf(out, "    %-22s %s%s%s%s\n", a->key,
		a->required ? "" : "[optional] ", what,
		!a->choices ? ""
		: a->htype  ? ", or "
			    : " ",
		a->choices ? named : "");
}

/* the registered profiles whose kernel has no such function */
static void print_absent(FILE *out, const struct op *op)
{
	const char *const *names = iommu_profile_names();
	GString *absent = g_string_new(NULL);

	for (; *names; names++) {
		if (op_absent(op, iommu_profile_find(*names)))
			g_string_append_printf(absent, "%s%s",
					       absent->len ? ", " : "", *names);
	}
	if (absent->len)
		fprintf(out, "  absent under %s (docs/profiles.md)\n",
			absent->str);
	g_string_free(absent, TRUE);
}

bool cli_verb_help(FILE *out, const char *verb)
{
	const struct op *op = op_find(verb);
	const struct verb_alias *alias = verb_alias_find(verb);

	if (!op) {
		g_autofree char *why = verb_unknown_message(verb);

		fprintf(out, "%s\n", why);
		return false;
	}
	fprintf(out, "%s: %s\n", op->name, class_name(op));
	if (alias)
		fprintf(out, "  (%s is %s's name for it)\n", verb,
			alias->profile);
	print_kfunc(out, op);
	print_absent(out, op);
	fprintf(out, "  arguments:\n");
	for (const struct arg_spec *a = op->args; a->key; a++)
		print_arg(out, a);
	return true;
}
