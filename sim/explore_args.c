// SPDX-License-Identifier: MIT
/*
 * explore_args.c - the values an argument can take, derived from its type
 * in the operation table (op.h) and the machine a scenario declares: a new
 * verb is explorable as soon as it has a row. Only required arguments are
 * enumerated (an optional one is left out); the types covered are listed
 * in docs/explore.md, any other required type makes the verb unexplorable
 * (explore_verb_values() says which argument).
 */
#include <string.h>

#include "explore_priv.h"

/* The machine: what T_DEV, T_DRIVER and T_IOMMU range over, and the
 * handles the prefix binds. */
static void add_unique(GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++) {
		if (!strcmp(a->pdata[i], s))
			return;
	}
	g_ptr_array_add(a, g_strdup(s));
}

static void collect_outs(struct explore_machine *mc, const struct op *op,
			 const struct statement *st)
{
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = op_arg(op, a->key);

		if (spec && spec->type == T_OUT && a->val.kind == VAL_HANDLE)
			explore_handle_add(&mc->handles, a->val.text,
					   spec->htype);
	}
}

/* The slots the prefix's PCI functions take on the bus behind @parent
 * (NULL: the root bus), as a mask; *top the highest of them. */
static u32 slots_used(const struct scenario *sc, const char *parent, int *top)
{
	u32 used = 0;
	u8 devfn;

	*top = -1;
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		const struct op *op = op_find(st->verb);
		const char *p = arg_str(st, "parent", NULL);

		if (!op->device || op->dev_kind == DEV_PLATFORM ||
		    g_strcmp0(p, parent) ||
		    parse_addr(arg_str(st, "addr", ""), &devfn))
			continue;
		used |= 1u << (devfn >> 3);
		*top = MAX(*top, devfn >> 3);
	}
	return used;
}

/* The first slot from @from not in @used, past @top first, then from
 * @from up; -1 if none. */
static int first_free(u32 used, int top, int from)
{
	for (int s = MAX(top + 1, from); s < 32; s++)
		if (!(used & (1u << s)))
			return s;
	for (int s = from; s <= top && s < 32; s++)
		if (!(used & (1u << s)))
			return s;
	return -1;
}

/* A hotplug behind the bridge @st declares, if one can be found there:
 * behind a PCIe root port or downstream port only slot 00 is scanned
 * (probe.c only_one_child()), so only a port with nothing of the
 * prefix behind it takes one; behind a PCIe-to-PCI or PCI-to-PCI
 * bridge, the first free slot past the prefix's from 01 (QEMU's SHPC
 * numbers its hotplug slots from 1, and the corpus keeps slot 00 free
 * there), a conventional function (`pcie=0`, QEMU's e1000) as such a
 * bus holds. An upstream switch port's bus holds its downstream ports,
 * not endpoints: none. */
static void hot_addr_behind(struct explore_machine *mc,
			    const struct scenario *sc,
			    const struct statement *st, enum dev_kind kind)
{
	const char *br = arg_str(st, "name", "");
	int top, slot;
	u32 used = slots_used(sc, br, &top);

	if (pci_only_one_child(kind)) {
		if (!used)
			g_ptr_array_add(mc->hot_addrs,
					g_strdup_printf("00.0 parent=%s", br));
	} else if (kind == DEV_PCIE_PCI_BRIDGE || kind == DEV_PCI_BRIDGE) {
		slot = first_free(used, top, 1);
		if (slot >= 0)
			g_ptr_array_add(
				mc->hot_addrs,
				g_strdup_printf("%02x.0 parent=%s pcie=0", slot,
						br));
	}
}

/* Where a hotplug puts a device: on the root bus, the first free slot
 * past the highest the prefix uses (from 02 if none is free there), as
 * function 0 (another function of a slot is scanned only behind a
 * multifunction function 0: pci_scan_slot(), next_fn()); and behind
 * each bridge of the prefix that can take one (hot_addr_behind()), the
 * value then naming its `parent=` too. Slots 00 and 1f of the root bus
 * are never taken: the QEMU guest's q35 holds them (its host bridge and
 * ICH9 functions, hw/crosscheck/q35.c), so a walk with a hotplug stays
 * one `iommusim crosscheck` can build. */
static void hot_addrs_init(struct explore_machine *mc,
			   const struct scenario *sc)
{
	int top, slot;
	u32 used = slots_used(sc, NULL, &top) | 1u << 0x00 | 1u << 0x1f;

	slot = first_free(used, MAX(top, 1), 2);
	if (slot >= 0)
		g_ptr_array_add(mc->hot_addrs, g_strdup_printf("%02x.0", slot));
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		const struct op *op = op_find(st->verb);

		if (op->device && op->dev_kind != DEV_PCI &&
		    op->dev_kind != DEV_PLATFORM)
			hot_addr_behind(mc, sc, st, op->dev_kind);
	}
}

void explore_machine_init(struct explore_machine *mc, const struct scenario *sc)
{
	mc->hot_addrs = g_ptr_array_new_with_free_func(g_free);
	hot_addrs_init(mc, sc);
	mc->devices = g_ptr_array_new_with_free_func(g_free);
	mc->drivers = g_ptr_array_new_with_free_func(g_free);
	mc->iommus = g_ptr_array_new_with_free_func(g_free);
	mc->handles = NULL;
	for (const char *const *d = iommu_builtin_drivers(); *d; d++)
		add_unique(mc->drivers, *d);
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		const struct op *op = op_find(st->verb);
		const char *drv = NULL;

		if (op->device &&
		    (op->dev_kind == DEV_PCI || op->dev_kind == DEV_PLATFORM))
			add_unique(mc->devices, arg_str(st, "name", ""));
		if (op->device || !strcmp(st->verb, "driver"))
			drv = arg_str(st, op->device ? "driver" : "name", NULL);
		if (drv && strcmp(drv, "none"))
			add_unique(mc->drivers, drv);
		if (!strcmp(st->verb, "iommu"))
			add_unique(mc->iommus, arg_str(st, "name", "iommu0"));
		collect_outs(mc, op, st);
	}
}

void explore_machine_clear(struct explore_machine *mc)
{
	g_ptr_array_free(mc->devices, TRUE);
	g_ptr_array_free(mc->drivers, TRUE);
	g_ptr_array_free(mc->iommus, TRUE);
	g_ptr_array_free(mc->hot_addrs, TRUE);
	explore_handles_free(mc->handles);
}

void explore_handle_add(struct explore_handle **list, const char *name,
			const struct handle_type *t)
{
	struct explore_handle *h = g_new0(struct explore_handle, 1);

	h->name = g_strdup(name);
	h->type = t;
	h->next = *list;
	*list = h;
}

void explore_handles_free(struct explore_handle *h)
{
	while (h) {
		struct explore_handle *next = h->next;

		g_free(h->name);
		g_free(h);
		h = next;
	}
}

/* A small set of addresses and sizes: two IOVAs (one 4K page, one 2M
 * page boundary), one physical address, one 4K size. */
static const char *const num_iova[] = { "0x1000", "0x200000", NULL };
static const char *const num_paddr[] = { "0x100000", NULL };
static const char *const num_size[] = { "0x1000", NULL };
static const char *const cookies[] = { "o1", "o2", NULL };
static const char *const bools[] = { "0", "1", NULL };

static const char *const *num_values(const char *key)
{
	if (strstr(key, "iova"))
		return num_iova;
	if (strstr(key, "paddr"))
		return num_paddr;
	if (!strcmp(key, "size") || !strcmp(key, "len") ||
	    strstr(key, "length"))
		return num_size;
	return NULL;
}

static void add_all(GPtrArray *out, const char *key, const char *const *v)
{
	for (; v && *v; v++)
		g_ptr_array_add(out, g_strconcat(key, "=", *v, NULL));
}

static void add_list(GPtrArray *out, const char *key, GPtrArray *v)
{
	for (guint i = 0; i < v->len; i++)
		g_ptr_array_add(
			out, g_strconcat(key, "=", (char *)v->pdata[i], NULL));
}

static bool row_values(GPtrArray *out, const struct arg_spec *spec);

/* Flags: the sets the row names for the search ("A,B|C": A with B, or
 * C), else left out (0), each name alone, all of them; a gap ("_": a
 * bit with no name) is none of them. */
static void flag_values(GPtrArray *out, const struct arg_spec *spec)
{
	g_auto(GStrv) split = g_strsplit(spec->choices, "|", -1);
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autofree char *all = NULL;

	if (row_values(out, spec))
		return;
	for (char **n = split; *n; n++) {
		if (strcmp(*n, "_"))
			g_ptr_array_add(names, *n);
	}
	g_ptr_array_add(names, NULL);
	all = g_strjoinv(",", (char **)names->pdata);
	if (!spec->required)
		g_ptr_array_add(out, g_strdup(""));
	add_all(out, spec->key, (const char *const *)names->pdata);
	if (names->len > 2)
		g_ptr_array_add(out, g_strconcat(spec->key, "=", all, NULL));
}

/* The values @spec's row names for the search (op.h .values; "_"
 * stands for a gap in a uapi enum's names), false when it names none. */
static bool row_values(GPtrArray *out, const struct arg_spec *spec)
{
	g_auto(GStrv) names = NULL;

	if (!spec->values)
		return false;
	names = g_strsplit(spec->values, "|", -1);
	for (char **v = names; *v; v++) {
		if (strcmp(*v, "_"))
			g_ptr_array_add(out,
					g_strconcat(spec->key, "=", *v, NULL));
	}
	return true;
}

/* every name of @spec's choices but the gaps ("_") of a uapi enum */
static void choice_values(GPtrArray *out, const struct arg_spec *spec)
{
	g_auto(GStrv) names = g_strsplit(spec->choices, "|", -1);

	for (char **v = names; *v; v++) {
		if (strcmp(*v, "_"))
			g_ptr_array_add(out,
					g_strconcat(spec->key, "=", *v, NULL));
	}
}

static bool handle_fits(const struct arg_spec *spec,
			const struct explore_handle *h)
{
	return !h->type
		       ? false
		       : h->type == spec->htype ||
				 (spec->htype_alt &&
				  h->type == spec->htype_alt) ||
				 (spec->htype_alt2 &&
				  h->type == spec->htype_alt2) ||
				 (spec->htype->any_numeric && h->type->numeric);
}

/* a handle argument: the names its row picks for the search, else every
 * name it takes, then every bound handle of its type */
static void handle_values(GPtrArray *out, const struct arg_spec *spec,
			  const struct explore_handle *handles)
{
	if (!row_values(out, spec) && spec->choices)
		choice_values(out, spec);
	for (const struct explore_handle *h = handles; h; h = h->next) {
		if (handle_fits(spec, h))
			g_ptr_array_add(out, g_strconcat(spec->key, "=$",
							 h->name, NULL));
	}
}

/* Every "key=value" @spec can take at step @step, NULL when its type is
 * not enumerated and its row names no values. */
static GPtrArray *arg_values(const struct explore_machine *mc,
			     const struct arg_spec *spec,
			     const struct explore_handle *handles, int step)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) choices = NULL;

	switch (spec->type) {
	case T_DEV: /* the machine's, then those hotplugs on the path
		     * declared */
		add_list(out, spec->key, mc->devices);
		for (const struct explore_handle *h = handles; h; h = h->next)
			if (!h->type)
				g_ptr_array_add(out,
						g_strconcat(spec->key, "=",
							    h->name, NULL));
		break;
	case T_NAME: /* a hotplug's new device, named after its step */
		if (spec->ns != NS_DEVICE)
			goto unsupported;
		g_ptr_array_add(out,
				g_strdup_printf("%s=hp%d", spec->key, step));
		break;
	case T_ADDR:
		if (strcmp(spec->key, "addr"))
			goto unsupported;
		add_list(out, spec->key, mc->hot_addrs);
		break;
	case T_DRIVER:
		add_list(out, spec->key, mc->drivers);
		break;
	case T_IOMMU:
		add_list(out, spec->key, mc->iommus);
		break;
	case T_COOKIE:
		add_all(out, spec->key, cookies);
		break;
	case T_BOOL:
		add_all(out, spec->key, bools);
		break;
	case T_ENUM:
		choices = g_strsplit(spec->choices, "|", -1);
		add_all(out, spec->key, (const char *const *)choices);
		break;
	case T_HANDLE:
		handle_values(out, spec, handles);
		break;
	case T_OUT: /* a fresh handle, named after its step */
		if (!spec->htype)
			goto unsupported;
		g_ptr_array_add(out, g_strdup_printf("%s=$x%s%d", spec->key,
						     spec->htype->guest_prefix,
						     step));
		break;
	case T_NUM:
		if (num_values(spec->key))
			add_all(out, spec->key, num_values(spec->key));
		else if (!row_values(out, spec))
			goto unsupported;
		break;
	case T_FLAGS:
		flag_values(out, spec);
		break;
	case T_CODE: /* a uapi enum: the names its row picks, else all */
		if (row_values(out, spec))
			break;
		if (!spec->choices)
			goto unsupported;
		choice_values(out, spec);
		break;
	case T_STR:
	case T_NUMLIST:
		if (!row_values(out, spec))
			goto unsupported;
		break;
	default:
		goto unsupported;
	}
	return out;
unsupported:
	g_ptr_array_free(out, TRUE);
	return NULL;
}

/*
 * Which arguments are enumerated: the required ones, and of the optional
 * ones those that carry the search (ids and out handles, an IOVA or a
 * length, flags, a uapi enum, a number whose row names values); the rest
 * are left out (an ioctl's size=, only=).
 */
/* a uapi array's later elements (group_fds1, group_fds2, ...): the first
 * carries the search, the rest would multiply it for one more case */
static bool array_tail(const char *key)
{
	size_t n = strlen(key);

	return n && key[n - 1] >= '1' && key[n - 1] <= '9';
}

static bool enumerated(const struct arg_spec *a)
{
	switch (a->type) {
	case T_HANDLE: /* not one whose names stand for "none" or a
			* default, unless its row picks values */
		return a->required || (a->htype && (!a->choices || a->values) &&
				       !array_tail(a->key));
	case T_OUT:
		return a->required || a->htype;
	case T_NUM: /* or one whose row names values (a driver's type) */
		return a->required || a->values || strstr(a->key, "iova") ||
		       strstr(a->key, "length");
	case T_FLAGS:
		return true;
	case T_CODE: /* left out is its first name, 0 */
		return a->required || a->choices;
	default:
		return a->required;
	}
}

/* A one_of set (op.h), at its first argument: every value of each
 * alternative, one of them per statement; NULL at a later one. */
static GPtrArray *one_of_values(const struct explore_machine *mc,
				const struct op *op,
				const struct arg_spec *first,
				const struct explore_handle *handles, int step)
{
	GPtrArray *out;

	for (const struct arg_spec *a = op->args; a < first; a++) {
		if (a->one_of == first->one_of)
			return NULL;
	}
	out = g_ptr_array_new_with_free_func(g_free);
	for (const struct arg_spec *a = first; a->key; a++) {
		GPtrArray *v = a->one_of == first->one_of
				       ? arg_values(mc, a, handles, step)
				       : NULL;

		for (guint i = 0; v && i < v->len; i++)
			g_ptr_array_add(out, g_strdup(v->pdata[i]));
		if (v)
			g_ptr_array_free(v, TRUE);
	}
	return out;
}

bool explore_verb_select(const struct op *op, const char *name,
			 struct explore_verb *v)
{
	const struct arg_spec *sel =
		op->takes ? op_arg(op, op->selector) : NULL;
	g_auto(GStrv) names = NULL, values = NULL;

	*v = (struct explore_verb){ .op = op };
	if (!sel || !name)
		return !sel && !name;
	names = g_strsplit(sel->choices, "|", -1);
	values = g_strsplit(sel->values, "|", -1);
	for (guint k = 0; names[k]; k++) {
		if (strcmp(names[k], name) || !strcmp(name, "_") ||
		    !g_strv_contains((const char *const *)values, name))
			continue;
		v->code = k;
		g_strlcpy(v->code_name, name, sizeof(v->code_name));
		return true;
	}
	return false;
}

/* @v's selector argument: its one code */
static GPtrArray *selector_value(const struct explore_verb *v,
				 const struct arg_spec *a)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(out, g_strconcat(a->key, "=", v->code_name, NULL));
	return out;
}

bool explore_verb_choices(const struct explore_machine *mc,
			  const struct explore_verb *verb,
			  const struct explore_handle *handles, int step,
			  struct explore_choices *c, const char **unsupported)
{
	const struct op *op = verb->op;

	*c = (struct explore_choices){ .op = op, .count = 1 };
	*unsupported = NULL;
	for (const struct arg_spec *a = op->args; a->key && c->n < 32; a++) {
		GPtrArray *v;

		if (op->takes && !strcmp(a->key, op->selector)) {
			v = selector_value(verb, a);
		} else if (op->takes && !op->takes(verb->code, a->key)) {
			continue;
		} else if (a->one_of) {
			v = one_of_values(mc, op, a, handles, step);
		} else if (enumerated(a)) {
			v = arg_values(mc, a, handles, step);
			if (!v) {
				*unsupported = a->key;
				explore_choices_clear(c);
				return false;
			}
			/* an optional one with nothing to take yet (no fault
			 * object for fault_id=) is left out, not a verb with
			 * no statement; but a file left out is fd 0, a file
			 * of the process all the same (MAP_FILE fd=) */
			if (!a->required && !v->len &&
			    !(a->htype && a->htype->fd))
				g_ptr_array_add(v, g_strdup(""));
		} else {
			continue;
		}
		if (!v)
			continue;
		c->vals[c->n++] = v;
		c->count = v->len && c->count > G_MAXUINT64 / v->len
				   ? G_MAXUINT64
				   : c->count * v->len;
	}
	return true;
}

void explore_choices_clear(struct explore_choices *c)
{
	while (c->n)
		g_ptr_array_free(c->vals[--c->n], TRUE);
}

/* Statement @j of the product: the first argument varies slowest (the
 * order explore_verb_values() lists them in, which a seed's walk
 * depends on) */
char *explore_choice_statement(const struct explore_choices *c, uint64_t j)
{
	const char *v[32];
	size_t len = strlen(c->op->name) + 1;
	char *s, *at;

	for (int i = c->n - 1; i >= 0; i--) {
		v[i] = c->vals[i]->pdata[j % c->vals[i]->len];
		j /= c->vals[i]->len;
		len += *v[i] ? 1 + strlen(v[i]) : 0; /* "": left out */
	}
	/* sized once (a GString per statement was a twentieth of a
	 * search's instructions, callgrind) */
	s = g_malloc(len);
	at = stpcpy(s, c->op->name);
	for (int i = 0; i < c->n; i++) {
		if (*v[i]) {
			*at++ = ' ';
			at = stpcpy(at, v[i]);
		}
	}
	return s;
}

GPtrArray *explore_verb_values(const struct explore_machine *mc,
			       const struct explore_verb *v,
			       const struct explore_handle *handles, int step,
			       const char **unsupported)
{
	struct explore_choices c;
	GPtrArray *out;

	if (!explore_verb_choices(mc, v, handles, step, &c, unsupported))
		return NULL;
	out = g_ptr_array_new_with_free_func(g_free);
	for (uint64_t j = 0; j < c.count; j++)
		g_ptr_array_add(out, explore_choice_statement(&c, j));
	explore_choices_clear(&c);
	return out;
}
