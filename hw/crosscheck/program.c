// SPDX-License-Identifier: MIT
/*
 * program.c - a scenario's operations as a guest program for the agent
 * (hw/agent/agent.c describes the format). What a verb does in the guest
 * is its row's .guest (sim/op.h): the agent's verb, the arguments it gets,
 * or why it has no guest equivalent. Device names stay names (the agent
 * resolves each path in sysfs); handles become slots of the test driver's
 * table (dN for domains), owner cookies small integers, drivers the
 * guest's.
 */
#include <string.h>

#include "hw.h"
#include "model/iommufd/iommufd_test.h"
#include "sim/op.h"
#include "sim/runner.h"

void hw_names_clear(struct hw_names *names)
{
	if (names->slots)
		g_hash_table_destroy(names->slots);
	if (names->cookies)
		g_hash_table_destroy(names->cookies);
	if (names->fdnums)
		g_hash_table_destroy(names->fdnums);
	names->slots = names->cookies = names->fdnums = NULL;
}

/* an fd handle's type: the one whose guest slots are "mfdN" (sim/ifd.c) */
static bool fd_type(const struct arg_spec *spec)
{
	return spec && spec->htype &&
	       !strcmp(handle_type_guest_prefix(spec->htype), "mfd");
}

/* an out field that binds a file of the process: a memfd's, an event
 * queue's, an access's (IOMMU_TEST_CMD out_access_fd, slots "afdN") */
static bool binds_fd(const struct arg_spec *spec)
{
	return fd_type(spec) ||
	       (spec && spec->htype &&
		!strcmp(handle_type_guest_prefix(spec->htype), "afd"));
}

/* Where a number goes, whether the kernel takes it as an fd of the
 * process: IOMMU_TEST_CMD's head id for the access ops */
static bool number_is_an_fd(const struct statement *st, const char *key)
{
	return !strcmp(st->verb, "IOMMU_TEST_CMD") && !strcmp(key, "id") &&
	       iommu_test_op_id_is_fd((uint32_t)arg_code(st, "op", 0));
}

/*
 * An fd handle passed where a number goes (IOMMU_DESTROY id=$fd: any
 * numeric handle fits an object id) means the number itself, and the
 * model's process numbers its files otherwise than the guest's agent
 * does (which has its standard streams and its own files open): the
 * guest is given the number the model's run bound, so both ask the kernel
 * of the same number, as a scenario's literal id= does. Where an fd goes
 * (close fd=, MAP_FILE fd=, an access op's id=) the handle stays a slot:
 * the file itself.
 */
void hw_names_from_run(struct hw_names *names, const struct run_result *rr)
{
	if (!rr)
		return;
	if (!names->fdnums)
		names->fdnums = g_hash_table_new_full(g_str_hash, g_str_equal,
						      g_free, g_free);
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		for (guint j = 0; sr->outs && j < sr->outs->len; j++) {
			const struct step_out *o =
				&g_array_index(sr->outs, struct step_out, j);
			const struct arg *a = stmt_arg(sr->st, o->key);

			if (a && a->val.kind == VAL_HANDLE &&
			    binds_fd(op_arg(sr->op, o->key)))
				g_hash_table_replace(
					names->fdnums, g_strdup(a->val.text),
					g_strdup_printf(
						"0x%llx",
						(unsigned long long)o->value));
		}
	}
}

/* How many of @t's values are @fmt's prefix and a number: each prefix
 * counts its own slots, so however many other handles a scenario binds
 * (a long random walk binds hundreds), its domains stay within hw/kmod's
 * table (dN, NR_DOMAINS). */
static guint prefix_count(GHashTable *t, const char *fmt)
{
	size_t len = strcspn(fmt, "%");
	GHashTableIter it;
	gpointer v;
	guint n = 0;

	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const char *s = v;

		n += !strncmp(s, fmt, len) && s[len] &&
		     strspn(s + len, "0123456789") == strlen(s + len);
	}
	return n;
}

static const char *intern(GHashTable *t, const char *name, const char *fmt)
{
	char *v = g_hash_table_lookup(t, name);

	if (!v) {
		v = g_strdup_printf(fmt,
				    prefix_count(t, fmt) + (fmt[0] != 'd'));
		g_hash_table_insert(t, g_strdup(name), v);
	}
	return v;
}

static char *value_text(const struct value *v)
{
	GString *s;

	if (v->kind != VAL_LIST)
		return g_strdup(v->text);
	s = g_string_new("");
	for (guint i = 0; i < v->items->len; i++) {
		const struct value *it = v->items->pdata[i];

		g_string_append_printf(s, "%s%s", i ? "," : "", it->text);
	}
	return g_string_free(s, FALSE);
}

/* A handle's slot: the type's prefix and a number per handle name. */
static char *slot(struct hw_names *names, const struct arg_spec *spec,
		  const char *name)
{
	g_autofree char *fmt =
		g_strdup_printf("%s%%u", handle_type_guest_prefix(spec->htype));

	return g_strdup(intern(names->slots, name, fmt));
}

char *hw_guest_value(const struct hw_machine *m, struct hw_names *names,
		     const struct statement *st, const struct arg *a)
{
	const struct arg_spec *spec = op_arg(op_find(st->verb), a->key);
	const struct arg *dev = stmt_arg(st, "dev");

	if (a->val.kind == VAL_HANDLE && !binds_fd(spec) &&
	    !number_is_an_fd(st, a->key) && names->fdnums &&
	    g_hash_table_contains(names->fdnums, a->val.text))
		return g_strdup(
			g_hash_table_lookup(names->fdnums, a->val.text));
	if (a->val.kind == VAL_HANDLE)
		return slot(names, spec, a->val.text);
	/* owner=none: an operation's NULL owner (the test driver's cookie
	 * 0); a check compares it as the agent prints it, "none" */
	if (spec->type == T_COOKIE && strcmp(a->val.text, "none"))
		return g_strdup(intern(names->cookies, a->val.text, "%u"));
	if (spec->type == T_COOKIE && op_find(st->verb)->cls == STEP_OP)
		return g_strdup("0");
	if (spec->type == T_DRIVER || spec->guest == GF_DRIVER)
		return g_strdup(hw_guest_driver(m, dev ? dev->val.text : NULL,
						a->val.text));
	return value_text(&a->val);
}

/* "key=value" for the agent; strings quoted with \" and \\ escaped. */
static void append_arg(GString *out, const char *key, const char *val,
		       bool quote)
{
	g_string_append_printf(out, " %s=", key);
	if (!quote) {
		g_string_append(out, val);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = val; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		if (*p == '\n')
			g_string_append(out, "\\n");
		else
			g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

/* A uapi flag or code by name (its index in spec->choices: a bit for
 * T_FLAGS, the value for T_CODE) or as a number, as sim/ifd.c reads it */
static guint64 coded(const struct arg_spec *spec, const struct value *v)
{
	g_auto(GStrv) names = g_strsplit(spec->choices, "|", -1);
	guint64 n = 0;

	if (v->kind == VAL_NUMBER)
		return v->num;
	if (v->kind == VAL_LIST) {
		for (guint i = 0; i < v->items->len; i++)
			n |= coded(spec, v->items->pdata[i]);
		return n;
	}
	for (guint i = 0; names[i]; i++) {
		if (!strcmp(names[i], v->text))
			return spec->type == T_FLAGS ? 1ull << i : i;
	}
	return 0;
}

/* Numbers as the agent and the kernel's kstrtou64 read them: hex, no
 * K/M/G; uapi names as their numbers; lists of numbers comma-separated. */
static char *guest_number(const struct statement *st, const struct arg *a)
{
	const struct arg_spec *spec = op_arg(op_find(st->verb), a->key);
	GString *s;

	if (spec && (spec->type == T_FLAGS || spec->type == T_CODE))
		return g_strdup_printf(
			"0x%llx", (unsigned long long)coded(spec, &a->val));
	if (a->val.kind == VAL_NUMBER)
		return g_strdup_printf("0x%llx",
				       (unsigned long long)a->val.num);
	if (a->val.kind != VAL_LIST || !spec || spec->type != T_NUMLIST)
		return NULL;
	s = g_string_new("");
	for (guint i = 0; i < a->val.items->len; i++) {
		const struct value *it = a->val.items->pdata[i];

		g_string_append_printf(s, "%s0x%llx", i ? "," : "",
				       (unsigned long long)it->num);
	}
	return g_string_free(s, FALSE);
}

/* One argument as the agent reads it. */
static void emit_arg(GString *out, const struct hw_machine *m,
		     struct hw_names *names, const struct statement *st,
		     const char *key, const struct arg *a)
{
	char *num = guest_number(st, a);
	g_autofree char *v = num ? num : hw_guest_value(m, names, st, a);

	append_arg(out, key, v, a->val.kind == VAL_STRING);
}

/* The row's .pass ("gkey=key ..."): only those, renamed. */
static void emit_passed(GString *out, const struct hw_machine *m,
			struct hw_names *names, const struct statement *st,
			const char *pass)
{
	g_auto(GStrv) pairs = g_strsplit(pass, " ", -1);

	for (char **p = pairs; *p; p++) {
		g_auto(GStrv) kv = g_strsplit(*p, "=", 2);
		const struct arg *a = stmt_arg(st, kv[1]);

		if (a)
			emit_arg(out, m, names, st, kv[0], a);
	}
}

/* A device the row needs (dma: a model=edu device), or why not. */
static bool guest_dev_ok(const struct hw_machine *m, const struct op *op,
			 const struct statement *st, char **why)
{
	const struct arg *dev = stmt_arg(st, "dev");
	const struct hw_dev *d = dev ? hw_machine_dev(m, dev->val.text) : NULL;

	if (!op->guest.dev_model ||
	    (d && !g_strcmp0(d->qemu_model, op->guest.dev_model)))
		return true;
	*why = g_strdup_printf("line %d: %s: only a model=%s device does it "
			       "in the guest",
			       st->line, st->verb, op->guest.dev_model);
	return false;
}

/*
 * A check_memory or memory_write of a user buffer's pages (a device's DMA
 * through an IOAS mapping, an access's copy): the buffer a user_buffer
 * statement before @st placed at pa= (contiguous), and the offset in it;
 * NULL when the range is not a buffer's. The guest's buffer has other
 * PAs: the agent reads and writes it through its VA.
 */
const struct statement *hw_buffer_of(const struct scenario *sc,
				     const struct statement *st, guint64 *off)
{
	const struct arg *pa = stmt_arg(st, "paddr"),
			 *len = stmt_arg(st, "len");

	if ((strcmp(st->verb, "check_memory") &&
	     strcmp(st->verb, "memory_write")) ||
	    !pa || !len)
		return NULL;
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *b = sc->stmts->pdata[i];
		const struct arg *base = stmt_arg(b, "pa"),
				 *size = stmt_arg(b, "size"),
				 *layout = stmt_arg(b, "layout");

		if (b == st)
			break;
		if (strcmp(b->verb, "user_buffer") || !base || !size ||
		    (layout && strcmp(layout->val.text, "contiguous")) ||
		    pa->val.num < base->val.num ||
		    pa->val.num + len->val.num > base->val.num + size->val.num)
			continue;
		*off = pa->val.num - base->val.num;
		return b;
	}
	return NULL;
}

static void emit_buffer_step(GString *out, struct hw_names *names,
			     const struct statement *st,
			     const struct statement *buf, guint64 off)
{
	const struct arg *va = stmt_arg(buf, "out_va");
	const struct arg *pat = stmt_arg(st, "pattern");

	g_string_append_printf(out, "step %d %s", st->line, st->verb);
	if (va && va->val.kind == VAL_HANDLE)
		g_string_append_printf(out, " buf=%s",
				       (char *)g_hash_table_lookup(
					       names->slots, va->val.text));
	g_string_append_printf(
		out, " offset=0x%llx len=0x%llx", (unsigned long long)off,
		(unsigned long long)stmt_arg(st, "len")->val.num);
	if (pat)
		g_string_append_printf(out, " pattern=0x%llx",
				       (unsigned long long)pat->val.num);
	g_string_append_c(out, '\n');
}

/* What the agent can run in a task of its own: what can wait for a
 * driver's remove (hw/agent/blocked.c) */
static bool own_task(const char *verb)
{
	return !strcmp(verb, "driver_bind") || !strcmp(verb, "driver_unbind") ||
	       !strcmp(verb, "device_del");
}

static bool emit_step(GString *out, const struct hw_machine *m,
		      struct hw_names *names, const struct scenario *sc,
		      const struct statement *st, char **why)
{
	const struct op *op = op_find(st->verb);
	const struct outcome *o = stmt_expect(st, HW_PROFILE);
	bool blocks = o && o->kind == OUT_BLOCKS;
	const struct statement *buf;
	guint64 off;

	if (op->guest.kind != GUEST_RUNS) {
		*why = g_strdup_printf(
			"line %d: %s: no guest equivalent yet%s%s", st->line,
			st->verb, op->guest.why ? ": " : "",
			op->guest.why ? op->guest.why : "");
		return false;
	}
	if (!guest_dev_ok(m, op, st, why))
		return false;
	buf = hw_buffer_of(sc, st, &off);
	if (buf) {
		emit_buffer_step(out, names, st, buf, off);
		return true;
	}
	/* a step expected not to return runs in a task of the agent's own
	 * (hw/agent/blocked.c): a bind, an unbind or a removal, which is
	 * what blocks; and so do those expected to return, so that one the
	 * kernel makes wait where the model does not (a lock it does not
	 * know) is a disagreement, "blocks", not a guest stuck until QEMU's
	 * timeout */
	if (!own_task(st->verb) && blocks) {
		*why = g_strdup_printf("line %d: %s => BLOCKS: the agent runs "
				       "only driver_bind, driver_unbind and "
				       "device_del in a task of their own",
				       st->line, st->verb);
		return false;
	}
	g_string_append_printf(out, "step %d %s%s", st->line,
			       own_task(st->verb) ? "&" : "",
			       op_guest_verb(op));
	if (op->guest.pass)
		emit_passed(out, m, names, st, op->guest.pass);
	for (guint i = 0; !op->guest.pass && i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];

		emit_arg(out, m, names, st, a->key, a);
	}
	g_string_append_c(out, '\n');
	return true;
}

/* Steps that only show the model's state (the raw page-table entries):
 * nothing to compare in a guest. */
bool hw_model_display(const struct statement *st)
{
	return op_find(st->verb)->guest.kind == GUEST_DISPLAY;
}

bool hw_applies(const struct statement *st)
{
	const struct outcome *o = stmt_expect(st, HW_PROFILE);
	const struct arg *only = stmt_arg(st, "only");

	/* absent: no such function; UB: the kernel would oops, the model
	 * refuses and keeps its state, so the guest skips the step too
	 * (BLOCKS runs: in a task of its own, emit_step()) */
	if (o && (o->kind == OUT_ABSENT || o->kind == OUT_UB))
		return false;
	if (!only)
		return true;
	if (only->val.kind != VAL_LIST)
		return !g_strcmp0(only->val.text, HW_PROFILE);
	for (guint i = 0; i < only->val.items->len; i++) {
		const struct value *v = only->val.items->pdata[i];

		if (!g_strcmp0(v->text, HW_PROFILE))
			return true;
	}
	return false;
}

/*
 * A group's blocking domain is allocated by the first DMA owner claim and
 * kept (iommu.c __iommu_group_alloc_blocking_domain): a scenario that
 * passes "blocking" as a domain may see NULL only on groups no earlier
 * scenario of the boot claimed, so it asks the agent for fresh groups.
 */
static bool needs_fresh_groups(const struct scenario *sc)
{
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];

		const struct op *op = op_find(st->verb);

		for (guint j = 0; op->cls != STEP_CHECK && j < st->args->len;
		     j++) {
			const struct arg *a = st->args->pdata[j];

			if (a->val.kind == VAL_IDENT &&
			    !strcmp(a->val.text, "blocking"))
				return true;
		}
	}
	return false;
}

bool hw_program_fresh(const char *prog)
{
	return strstr(prog, "\nfresh\n") != NULL;
}

bool hw_program_changes_topology(const char *prog)
{
	return strstr(prog, " hotplug dev=") || strstr(prog, " device_del ");
}

/* A write() to a VFIO device file (config space, a BAR) leaves what it
 * wrote in QEMU's device where neither the scenario's end nor a reset
 * restores it (a config byte outside every capability, a slot
 * capability, an AER mask: vfio_raw_config_write() passes it on), and
 * the next scenario of the boot would read it where the model, booted
 * afresh, has the device's first values. */
bool hw_program_writes_device(const char *prog)
{
	return strstr(prog, " pwrite ") != NULL;
}

/* The steps after boot that the guest program holds (neither skipped
 * by only= nor the model's display); false with *why at the first that
 * cannot run, or, with @all, every reason appended there. */
static bool emit_steps(GString *out, const struct scenario *sc,
		       const struct hw_machine *m, struct hw_names *names,
		       char **why, GString *all)
{
	bool booted = false, ok = true;

	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		g_autofree char *one = NULL;

		if (!booted) {
			booted = op_find(st->verb)->boots;
			continue;
		}
		if (!hw_applies(st) || hw_model_display(st) ||
		    (all && op_find(st->verb)->guest.kind == GUEST_MODEL_ONLY))
			continue; /* model-only: crosscheck.c says so */
		if (emit_step(out, m, names, sc, st, all ? &one : why))
			continue;
		ok = false;
		if (!all)
			return false;
		g_string_append_printf(all, "%s\n", one);
	}
	return ok;
}

void hw_program_reasons(const struct scenario *sc, const struct hw_machine *m,
			GString *why)
{
	g_autoptr(GString) out = g_string_new("");
	struct hw_names names = { 0 };

	names.slots =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	names.cookies =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	emit_steps(out, sc, m, &names, NULL, why);
	hw_names_clear(&names);
}

char *hw_program_new(const struct scenario *sc, const struct hw_machine *m,
		     struct hw_names *names, char **why)
{
	GString *out = g_string_new("");

	names->slots =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	names->cookies =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_string_append_printf(out, "scenario %s\n", sc->path);
	for (guint i = 0; i < m->devs->len; i++) {
		const struct hw_dev *d = m->devs->pdata[i];

		g_string_append_printf(out, "device %s %s %s%s\n", d->name,
				       d->path,
				       d->boot_driver ? d->boot_driver : "none",
				       d->replug    ? " replug"
				       : d->hotplug ? " hotplug"
						    : "");
	}
	if (needs_fresh_groups(sc))
		g_string_append(out, "fresh\n");
	g_string_append(out, "begin\n");
	if (!emit_steps(out, sc, m, names, why, NULL)) {
		g_string_free(out, TRUE);
		return NULL;
	}
	g_string_append(out, "end\n");
	return g_string_free(out, FALSE);
}
