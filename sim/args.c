// SPDX-License-Identifier: MIT
/*
 * args.c - a validated statement's arguments as the runner's handlers
 * read them: numbers, strings, devices (handles: handles.c), and the
 * uapi kinds: flags and codes by their names, number lists. The setup,
 * operation and check handlers call these.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

int parse_addr(const char *s, u8 *devfn)
{
	unsigned int slot, fn;
	char tail;

	if (!s || sscanf(s, "%2x.%1u%c", &slot, &fn, &tail) != 2 ||
	    slot > 0x1f || fn > 7 || strlen(s) != 4)
		return -1;
	*devfn = (slot << 3) | fn;
	return 0;
}

int parse_direct_range(const char *s, struct iommu_fw_direct *r,
		       bool *relaxable)
{
	g_autofree char *w = g_strdup(s ? s : "");
	char *colon = strchr(w, ':'), *dash;

	*relaxable = false;
	if (colon) {
		if (strcmp(colon, ":relaxable"))
			return -1;
		*colon = '\0';
		*relaxable = true;
	}
	dash = strchr(w, '-');
	if (!dash)
		return -1;
	*dash = '\0';
	if (!scenario_parse_number(w, &r->start) ||
	    !scenario_parse_number(dash + 1, &r->last) || r->last < r->start)
		return -1;
	return 0;
}

void arg_direct(const struct statement *st, struct device *dev)
{
	const struct arg *a = stmt_arg(st, "direct");
	const struct value *one = a ? &a->val : NULL;
	guint n = !a ? 0 : a->val.kind == VAL_LIST ? a->val.items->len : 1;

	for (guint i = 0; i < n && i < IOMMU_FW_DIRECT_MAX; i++) {
		const struct value *v =
			one->kind == VAL_LIST ? one->items->pdata[i] : one;
		bool relaxable;

		if (parse_direct_range(v->text, &dev->fw_direct[i], &relaxable))
			continue;
		dev->fw_direct_relaxable |= relaxable << i;
		dev->n_fw_direct = i + 1;
	}
}

bool arg_has(const struct statement *st, const char *key)
{
	return stmt_arg(st, key) != NULL;
}

const char *arg_str(const struct statement *st, const char *key,
		    const char *def)
{
	const struct arg *a = stmt_arg(st, key);

	return a ? a->val.text : def;
}

uint64_t arg_num(const struct statement *st, const char *key, uint64_t def)
{
	const struct arg *a = stmt_arg(st, key);

	return a && a->val.kind == VAL_NUMBER ? a->val.num : def;
}

struct device *arg_dev(struct runner *r, const struct statement *st,
		       const char *key)
{
	return device_find(r->m, arg_str(st, key, ""));
}

bool stmt_declares_taken(struct runner *r, const struct statement *st)
{
	const struct op *v = op_find(st->verb);
	struct device *dev, *parent;
	u8 devfn;

	if (!v || !v->device)
		return false;
	dev = device_find(r->m, arg_str(st, "name", ""));
	if (dev && !dev->removed)
		return true;
	if (parse_addr(arg_str(st, "addr", ""), &devfn))
		return false;
	parent = arg_has(st, "parent") ? arg_dev(r, st, "parent") : NULL;
	if (arg_has(st, "parent") && !parent)
		return false; /* the runner says what is wrong with it */
	/* a function no scan found holds its address too (it is plugged
	 * in), though it is on no bus's list */
	for (guint i = 0; i < r->m->devices->len; i++) {
		dev = r->m->devices->pdata[i];
		if (!dev->removed && dev->kind != DEV_PLATFORM &&
		    dev->parent == parent && dev->devfn == devfn)
			return true;
	}
	return false;
}

struct device *stmt_hotplug_waits(struct runner *r, const struct statement *st)
{
	const struct op *v = op_find(st->verb);

	if (!v || !v->device || v->dev_kind != DEV_PCI || !r->m->booted)
		return NULL;
	return pci_rescan_remove_holder(r->m);
}

bool stmt_names_removed(struct runner *r, const struct statement *st)
{
	const struct op *v = op_find(st->verb);

	if (!v || v->cls != STEP_OP)
		return false;
	for (const struct arg_spec *a = v->args; a->key; a++) {
		struct device *dev;

		if (a->type == T_DEV && stmt_arg(st, a->key) &&
		    (dev = arg_dev(r, st, a->key)) &&
		    (dev->removed || dev->unscanned))
			return true;
	}
	return false;
}

/* ---- arguments of the uapi kinds ---- */

/* @name's place among "a|b|c", or -1; read in place (a split per
 * argument of every step was a tenth of a VFIO search's steps) */
static int choice_index(const char *choices, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0;; i++) {
		const char *bar = strchr(choices, '|');
		size_t n = bar ? (size_t)(bar - choices) : strlen(choices);

		if (n == len && !strncmp(choices, name, len))
			return i;
		if (!bar)
			return -1;
		choices = bar + 1;
	}
}

static uint64_t flag_value(const char *choices, const struct value *v)
{
	return v->kind == VAL_NUMBER ? v->num
				     : 1ull << choice_index(choices, v->text);
}

uint64_t arg_flags(const struct statement *st, const char *key)
{
	const struct arg *a = stmt_arg(st, key);
	const char *choices = op_arg(op_find(st->verb), key)->choices;
	uint64_t f = 0;

	if (!a)
		return 0;
	if (a->val.kind != VAL_LIST)
		return flag_value(choices, &a->val);
	for (guint i = 0; i < a->val.items->len; i++)
		f |= flag_value(choices, a->val.items->pdata[i]);
	return f;
}

uint64_t arg_code(const struct statement *st, const char *key, uint64_t def)
{
	const struct arg *a = stmt_arg(st, key);

	if (!a)
		return def;
	if (a->val.kind == VAL_NUMBER)
		return a->val.num;
	return choice_index(op_arg(op_find(st->verb), key)->choices,
			    a->val.text);
}

GArray *arg_numlist(const struct statement *st, const char *key)
{
	const struct arg *a = stmt_arg(st, key);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(uint64_t));

	if (!a)
		return out;
	if (a->val.kind != VAL_LIST) {
		g_array_append_val(out, a->val.num);
		return out;
	}
	for (guint i = 0; i < a->val.items->len; i++) {
		const struct value *v = a->val.items->pdata[i];

		g_array_append_val(out, v->num);
	}
	return out;
}
