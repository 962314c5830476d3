// SPDX-License-Identifier: MIT
/*
 * repl_complete.c - tab completion for `iommusim repl` (libedit's
 * readline interface): the first word completes to verbs and commands;
 * after a verb, to its argument names (key=); after key=, to what the
 * argument takes: devices, handles ($d and default/blocking/none),
 * drivers, IOMMUs, an enum's choices; after `help`, to verbs; after
 * `profile`, to profile names. The names come from the session's last
 * run, so a device declared a line ago completes.
 */
#include <string.h>

#include "errnames.h"
#include "op.h"
#include "repl.h"

#ifdef IOMMUSIM_HAVE_LIBEDIT
#include <stdio.h>

#include <editline/readline.h>

#include "model/profile.h"

static struct session *cur;
static GPtrArray *cands; /* char *: the candidates for this completion */

static const char *const commands[] = { "state", "why",	 "undo", "profile",
					"save",	 "help", "quit", NULL };

static void add(const char *prefix, const char *s, const char *text)
{
	g_autofree char *c = g_strconcat(prefix, s, NULL);

	if (g_str_has_prefix(c, text))
		g_ptr_array_add(cands, g_steal_pointer(&c));
}

static void add_verbs(const char *text)
{
	for (const struct op *op = op_table; op->name; op++)
		add("", op->name, text);
}

static void add_all(const char *prefix, GPtrArray *names, const char *text)
{
	for (guint i = 0; i < names->len; i++)
		add(prefix, names->pdata[i], text);
	g_ptr_array_free(names, TRUE);
}

static void add_choices(const char *prefix, const char *choices,
			const char *text)
{
	g_auto(GStrv) c = g_strsplit(choices ? choices : "", "|", -1);

	for (int i = 0; c[i]; i++)
		if (*c[i])
			add(prefix, c[i], text);
}

/* key=<value>: what the argument takes */
static void add_values(const struct arg_spec *a, const char *text)
{
	g_autofree char *prefix = g_strdup_printf("%s=", a->key);

	switch (a->type) {
	case T_DEV:
	case T_BRIDGE:
	case T_DEVLIST:
		add_all(prefix, session_names(cur, "device"), text);
		break;
	case T_IOMMU:
		add_all(prefix, session_names(cur, "iommu"), text);
		break;
	case T_DRIVER:
		for (const char *const *d = iommu_builtin_drivers(); *d; d++)
			add(prefix, *d, text);
		add_all(prefix, session_names(cur, "driver"), text);
		break;
	case T_HANDLE:
		add_all(prefix, session_names(cur, "handle"), text);
		add_choices(prefix, a->choices, text);
		break;
	case T_OUT:
		add(prefix, "$", text);
		break;
	case T_ENUM:
	case T_BOOL:
		add_choices(prefix, a->type == T_BOOL ? "0|1" : a->choices,
			    text);
		break;
	default:
		break;
	}
}

static void add_args(const struct op *op, const char *text)
{
	const char *eq = strchr(text, '=');
	g_autofree char *key = eq ? g_strndup(text, eq - text) : NULL;

	for (const struct arg_spec *a = op->args; a && a->key; a++) {
		if (!eq)
			add(a->key, "=", text);
		else if (!strcmp(a->key, key))
			add_values(a, text);
	}
}

static char *generator(const char *text, int state)
{
	static guint next;

	if (!state)
		next = 0;
	return next < cands->len ? strdup(cands->pdata[next++]) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	g_autofree char *first =
		g_strndup(rl_line_buffer, strcspn(rl_line_buffer, " \t"));
	const struct op *op = op_find(first);

	g_ptr_array_set_size(cands, 0);
	rl_attempted_completion_over = 1; /* no file names by default */
	if (start == 0) {
		add_verbs(text);
		for (int i = 0; commands[i]; i++)
			add("", commands[i], text);
	} else if (!strcmp(first, "help")) {
		add_verbs(text);
	} else if (!strcmp(first, "profile")) {
		for (const char *const *p = iommu_profile_names(); *p; p++)
			add("", *p, text);
	} else if (!strcmp(first, "save")) {
		rl_attempted_completion_over = 0; /* file names */
		return NULL;
	} else if (op) {
		add_args(op, text);
	}
	/* key= and $ go on being typed: no space after them */
	rl_completion_append_character =
		cands->len == 1 && strchr("=$", *((char *)cands->pdata[0] +
						  strlen(cands->pdata[0]) - 1))
			? '\0'
			: ' ';
	return cands->len ? rl_completion_matches(text, generator) : NULL;
}

void repl_complete_init(struct session *s)
{
	cur = s;
	if (!cands)
		cands = g_ptr_array_new_with_free_func(g_free);
	rl_readline_name = "iommusim";
	rl_basic_word_break_characters = " \t";
	rl_attempted_completion_function = complete;
}
#else
void repl_complete_init(struct session *s)
{
}
#endif

static enum name_ns kind_ns(const char *kind)
{
	return !strcmp(kind, "device")	 ? NS_DEVICE
	       : !strcmp(kind, "iommu")	 ? NS_IOMMU
	       : !strcmp(kind, "driver") ? NS_DRIVER
					 : NS_NONE;
}

/* Names from the session's statements: device and driver declarations
 * (name= of a verb that declares one), iommus, and handles bound by out
 * fields, each once, in order. */
static void names_of(const struct statement *st, const char *kind,
		     GPtrArray *out)
{
	const struct op *op = op_find(st->verb);

	for (guint i = 0; op && i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = op_arg(op, a->key);
		const char *name = a->val.text;
		g_autofree char *h = NULL;

		if (!spec || !name)
			continue;
		if (!strcmp(kind, "handle") && spec->type == T_OUT &&
		    a->val.kind == VAL_HANDLE)
			name = h = g_strdup_printf("$%s", a->val.text);
		else if (spec->type != T_NAME || spec->ns != kind_ns(kind))
			continue;
		if (!g_ptr_array_find_with_equal_func(out, name, g_str_equal,
						      NULL))
			g_ptr_array_add(out, g_strdup(name));
	}
}

GPtrArray *session_names(const struct session *s, const char *kind)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; s->sc && i < s->sc->stmts->len; i++)
		names_of(s->sc->stmts->pdata[i], kind, out);
	return out;
}
