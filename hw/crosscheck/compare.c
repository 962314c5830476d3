// SPDX-License-Identifier: MIT
/*
 * compare.c - the agent's answers against the model's, step by step.
 *
 * An operation agrees when the kernel returned what the model returned
 * (0, the same errno, the same value) and WARNed exactly when the model
 * did. A check agrees when the kernel's observed state satisfies it
 * exactly when the model's does; group ids are compared by rank among the
 * scenario's groups (the guest's q35 built-ins take ids too), a group's
 * devices as a list in group->devices order (the agent asks the test
 * driver), domains and cookies through the guest spellings program.c
 * chose.
 */
#include <stdlib.h>
#include <string.h>

#include "hw.h"
#include "sim/errnames.h"
#include "sim/op.h"

static void kstep_free(gpointer p)
{
	struct hw_kstep *k = p;

	g_free(k->ret);
	if (k->fields)
		g_hash_table_destroy(k->fields);
	g_free(k);
}

/* "k=v k=\"v w\" ... warn" into @fields; whether a bare "warn" was
 * among them (run_step() prints it after a verb's out fields) */
static bool parse_fields(const char *s, GHashTable *fields)
{
	bool warn = false;

	while (*s) {
		size_t key = strcspn(s, " =");
		const char *eq = s + key, *end;
		GString *v;

		if (*eq != '=') { /* a bare word */
			warn |= key == 4 && !strncmp(s, "warn", 4);
			s = eq + strspn(eq, " ");
			continue;
		}
		v = g_string_new("");
		if (eq[1] == '"') {
			for (end = eq + 2; *end && *end != '"'; end++) {
				if (*end == '\\' && end[1])
					end++;
				g_string_append_c(v, *end);
			}
			if (*end)
				end++;
		} else {
			end = eq + 1 + strcspn(eq + 1, " ");
			g_string_append_len(v, eq + 1, end - eq - 1);
		}
		g_hash_table_insert(fields, g_strndup(s, key),
				    g_string_free(v, FALSE));
		s = end + strspn(end, " ");
	}
	return warn;
}

GHashTable *hw_parse_output(const char *text)
{
	GHashTable *steps = g_hash_table_new_full(g_direct_hash, g_direct_equal,
						  NULL, kstep_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++) {
		struct hw_kstep *k;
		char *p;

		if (strncmp(*l, "step ", 5))
			continue;
		k = g_new0(struct hw_kstep, 1);
		k->line = strtol(*l + 5, &p, 10);
		p += strspn(p, " ");
		k->fields = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, g_free);
		if (strncmp(p, "unsupported", 11) && strncmp(p, "unparsed", 8))
			k->ret = g_strndup(p, strcspn(p, " "));
		p += strcspn(p, " ");
		p += strspn(p, " ");
		if (k->ret && !strcmp(k->ret, "n/a")) { /* no guest counterpart
							 * here: why */
			g_hash_table_insert(k->fields, g_strdup("why"),
					    g_strdup(p));
			g_hash_table_replace(steps, GINT_TO_POINTER(k->line),
					     k);
			continue;
		}
		k->warn = parse_fields(p, k->fields);
		g_hash_table_replace(steps, GINT_TO_POINTER(k->line), k);
	}
	return steps;
}

/* The kernel's result as an outcome: 0, -ERRNO or a value. */
static struct outcome kernel_outcome(const struct hw_kstep *k)
{
	struct outcome o = { .kind = OUT_OK, .warn = k->warn };

	if (!strcmp(k->ret, "blocks")) {
		o.kind = OUT_BLOCKS; /* still waiting: hw/agent/blocked.c */
	} else if (k->ret[0] == '-') {
		o.kind = OUT_ERRNO;
		o.err = errno_from_name(k->ret + 1);
	} else if (strcmp(k->ret, "0")) {
		o.kind = OUT_VALUE;
		o.value = strtoull(k->ret, NULL, 0);
	}
	return o;
}

/* The agent prints a value of 0 as 0, the model may call it ok. */
static bool same_outcome(struct outcome a, struct outcome b)
{
	if (a.kind == OUT_VALUE && a.value == 0)
		a.kind = OUT_OK;
	if (b.kind == OUT_VALUE && b.value == 0)
		b.kind = OUT_OK;
	return outcome_equal(&a, &b);
}

/* check_memory: the agent prints the byte found over the range */
static bool check_byte(const struct arg *a, const char *exp, GHashTable *fields,
		       GString *why)
{
	const char *obs = g_hash_table_lookup(fields, "value");

	if (obs && strcmp(obs, "mixed") &&
	    strtoull(obs, NULL, 0) == (a->val.num & 0xff))
		return true;
	g_string_append_printf(why, " memory=%s (check wants %s)",
			       obs ? obs : "<not observed>", exp);
	return false;
}

/*
 * A check field against what the agent printed, read as the field's row
 * says (arg_spec.guest): group numbers by rank among the scenario's groups
 * (the agent's group_rank(), since q35's own devices take ids too), BDFs
 * with the guest's domain, patterns as the byte found. Fields without a
 * .check select what is checked (dev=, attr=), and GF_MODEL's no guest
 * interface shows: nothing to compare.
 */
static bool check_key(const struct hw_machine *m, struct hw_names *names,
		      const struct statement *st, const struct arg *a,
		      GHashTable *fields, GString *why)
{
	const struct arg_spec *spec = op_arg(op_find(st->verb), a->key);
	const char *field = a->key, *obs;
	g_autofree char *exp = NULL;

	if (!spec->check || spec->guest == GF_MODEL)
		return true;
	exp = hw_guest_value(m, names, st, a);
	if (spec->guest == GF_BYTE)
		return check_byte(a, exp, fields, why);
	if (spec->guest == GF_RANK && (g_hash_table_contains(fields, "rank") ||
				       !g_hash_table_contains(fields, a->key)))
		field = "rank";
	if (spec->guest == GF_DEV_DOM &&
	    g_hash_table_contains(fields, "dev_domain"))
		field = "dev_domain";
	/* a bus address is the domain's; "none" (no pci_dev) is as it is */
	if (spec->guest == GF_BDF && strcmp(exp, "none")) {
		g_autofree char *e = g_strdup_printf("0000:%s", exp);

		g_free(exp);
		exp = g_steal_pointer(&e);
	}
	obs = g_hash_table_lookup(fields, field);
	/* "-": the kernel keeps it where no interface shows it (a user's
	 * locked_vm): that field is not compared */
	if (obs && (!strcmp(obs, exp) || !strcmp(obs, "-")))
		return true;
	/* numbers by value: the agent prints hex */
	if (obs && (spec->type == T_NUM || spec->type == T_BOOL) &&
	    a->val.kind == VAL_NUMBER && strtoull(obs, NULL, 0) == a->val.num)
		return true;
	g_string_append_printf(why, " %s=%s (check wants %s)", a->key,
			       obs ? obs : "<not observed>", exp);
	return false;
}

static bool compare_check(const struct hw_machine *m, struct hw_names *names,
			  const struct step_result *sr,
			  const struct hw_kstep *k, GString *why)
{
	const struct statement *st = sr->st;
	bool kpass = k->ret && !strcmp(k->ret, "0");

	if (!kpass)
		g_string_append_printf(why, " agent: %s",
				       k->ret ? k->ret : "unsupported");
	for (guint i = 0; kpass && i < st->args->len; i++)
		kpass &= check_key(m, names, st, st->args->pdata[i], k->fields,
				   why);
	if (kpass == sr->pass)
		return true;
	g_string_prepend(why, kpass ? " kernel: holds" : " kernel:");
	g_string_prepend(why, sr->pass ? "model: holds," : "model: fails,");
	if (sr->detail)
		g_string_append_printf(why, "; model saw %s", sr->detail);
	return false;
}

static bool compare_op(const struct step_result *sr, const struct hw_kstep *k,
		       GString *why)
{
	struct outcome ko;
	g_autofree char *ms = NULL, *ks = NULL;

	if (!k->ret) {
		g_string_append(why, "the agent cannot run it");
		return false;
	}
	ko = kernel_outcome(k);
	if (same_outcome(sr->got, ko))
		return true;
	ms = outcome_str(&sr->got);
	ks = outcome_str(&ko);
	g_string_append_printf(why, "model %s, kernel %s", ms, ks);
	if (ko.kind == OUT_ERRNO && ko.err < 0)
		g_string_append_printf(why, " (%s)", k->ret);
	if (sr->why && *sr->why)
		g_string_append_printf(why, "; model: %s", sr->why);
	return false;
}

/*
 * A DMA in the guest (hw/kmod/iommusim_dma.c iommusim_dma()) shows only
 * what its bytes show: QEMU's AMD-Vi (7.2, 10.0.2) refuses a faulting
 * access without an event, so "other"/"refused" say the access did not go through, not
 * which fault it was. Returns 1 agree, 0 disagree, -1 not comparable.
 */
static int compare_dma(const struct step_result *sr, const struct hw_kstep *k,
		       GString *why)
{
	const char *dma = g_hash_table_lookup(k->fields, "dma");
	bool mok = sr->got.kind == OUT_OK && !sr->failure;
	bool mfault = sr->got.kind == OUT_FAULT;
	g_autofree char *ms = outcome_str(&sr->got);

	if (!k->ret || strcmp(k->ret, "0") || !dma)
		return compare_op(sr, k, why) ? 1 : 0;
	if (!strcmp(dma, "ok") && mok)
		return 1;
	/* both read bytes other than the pattern */
	if (!strcmp(dma, "other") && sr->got.kind == OUT_OK && sr->failure)
		return 1;
	if (!strcmp(dma, "unknown")) {
		g_string_append(why, "the guest cannot see this DMA's outcome "
				     "(no pattern to read back, or no page "
				     "the device can reach to stage it)");
		return -1;
	}
	if (strcmp(dma, "ok") && mfault) {
		g_string_append_printf(
			why,
			"model %s, guest: the access did not go through; "
			"QEMU's AMD-Vi (7.2, 10.0.2) logs no event, so the "
			"fault's kind "
			"is not observable",
			ms);
		return -1;
	}
	g_string_append_printf(why, "model %s%s, guest dma=%s", ms,
			       sr->failure ? " (pattern mismatch)" : "", dma);
	return 0;
}

/* vfio_nodes: the guest's entries (hw/agent/vfio_nodes.c, spelled as the
 * model's) against the model's listing, one a line in its detail */
static bool compare_nodes(const struct step_result *sr,
			  const struct hw_kstep *k, GString *why)
{
	const char *g = g_hash_table_lookup(k->fields, "nodes");
	g_auto(GStrv) lines =
		g_strsplit(sr->detail ? sr->detail : "", "\n", -1);
	g_autoptr(GString) mine = g_string_new("");

	for (char **l = lines; *l; l++) {
		if (**l)
			g_string_append_printf(mine, "%s%s",
					       mine->len ? "," : "", *l);
	}
	if (g && !strcmp(mine->str, g))
		return true;
	g_string_append_printf(why, "model lists %s; guest lists %s",
			       mine->len ? mine->str : "nothing",
			       !g   ? "<not printed>"
			       : *g ? g
				    : "nothing");
	return false;
}

/*
 * Out fields (iommufd's ids, kernel-chosen IOVAs, GET_PA's answer):
 * what the kernel chose is compared through mappings built as the steps
 * go (the first model value seen with a guest value pairs them, and
 * every later pair must be the same pair both ways), never as equal
 * numbers; a PA by what the guest can check (its offset within the page,
 * /proc/self/pagemap); fds and user VAs not at all.
 */
enum out_class { OC_SKIP, OC_ID, OC_IOVA, OC_PHYS, OC_PA_LEN, OC_EXACT };

struct hw_outmaps {
	GHashTable *m2g[2], *g2m[2]; /* OC_ID, OC_IOVA */
};

static enum out_class out_class(const struct op *op, const char *key)
{
	const struct arg_spec *spec = op_arg(op, key);
	const char *pfx = spec && spec->htype
				  ? handle_type_guest_prefix(spec->htype)
				  : NULL;

	/* domains are the test driver's slots; fds and VAs the process's */
	if (pfx)
		return g_strv_contains((const char *const[]){ "d", "fd", "va",
							      "mfd", "afd",
							      NULL },
				       pfx)
			       ? OC_SKIP
			       : OC_ID;
	if (!strcmp(key, "out_iova") || !strcmp(key, "out_dst_iova"))
		return OC_IOVA;
	if (!strcmp(key, "out_phys"))
		return OC_PHYS;
	if (!strcmp(key, "out_length") &&
	    !strcmp(op->name, "IOMMU_IOAS_NOIOMMU_GET_PA"))
		return OC_PA_LEN;
	return strcmp(key, "out_fd") && strcmp(key, "out_va") ? OC_EXACT
							      : OC_SKIP;
}

static bool pair(struct hw_outmaps *om, int c, guint64 mv, guint64 gv)
{
	gpointer g, m;
	gboolean hg = g_hash_table_lookup_extended(
			 om->m2g[c], GSIZE_TO_POINTER(mv), NULL, &g),
		 hm = g_hash_table_lookup_extended(
			 om->g2m[c], GSIZE_TO_POINTER(gv), NULL, &m);

	if (hg || hm)
		return hg && hm && GPOINTER_TO_SIZE(g) == gv &&
		       GPOINTER_TO_SIZE(m) == mv;
	g_hash_table_insert(om->m2g[c], GSIZE_TO_POINTER(mv),
			    GSIZE_TO_POINTER(gv));
	g_hash_table_insert(om->g2m[c], GSIZE_TO_POINTER(gv),
			    GSIZE_TO_POINTER(mv));
	return true;
}

/* GET_PA's length: the kernel's, checked against the guest's pagemap
 * (the run of contiguous pages from the IOVA to the mapping's end,
 * capped by the length asked); where the guest's pages lie otherwise
 * than the model's layout the two cannot be compared. */
static int compare_pa_len(const struct statement *st, guint64 mv, guint64 gv,
			  GHashTable *fields, GString *why)
{
	const char *c = g_hash_table_lookup(fields, "contig");
	const struct arg *len = stmt_arg(st, "length");
	guint64 want = c ? strtoull(c, NULL, 0) : 0;

	if (len && len->val.num < want)
		want = len->val.num;
	if (c && gv != want) {
		g_string_append_printf(why,
				       "out_length: kernel 0x%llx, its pagemap "
				       "says 0x%llx",
				       (unsigned long long)gv,
				       (unsigned long long)want);
		return 0;
	}
	if (mv == gv)
		return 1;
	g_string_append_printf(why,
			       "out_length: model 0x%llx, kernel 0x%llx as "
			       "the guest's pages lie (its pagemap agrees): "
			       "the physical layout differs",
			       (unsigned long long)mv, (unsigned long long)gv);
	return -1;
}

static int compare_out(struct hw_outmaps *om, const struct step_result *sr,
		       const struct step_out *o, GHashTable *fields,
		       GString *why)
{
	const char *g = g_hash_table_lookup(fields, o->key);
	enum out_class c = out_class(sr->op, o->key);
	guint64 gv = g ? strtoull(g, NULL, 0) : 0;
	const char *pm = g_hash_table_lookup(fields, "pagemap");

	if (c == OC_SKIP)
		return 1;
	if (!g) {
		g_string_append_printf(why, "%s: not printed by the agent",
				       o->key);
		return 0;
	}
	switch (c) {
	case OC_ID:
	case OC_IOVA:
		if (pair(om, c == OC_IOVA, o->value, gv))
			return 1;
		g_string_append_printf(why,
				       "%s: model 0x%llx, kernel 0x%llx: "
				       "another pair than before",
				       o->key, (unsigned long long)o->value,
				       (unsigned long long)gv);
		return 0;
	case OC_PHYS:
		if ((o->value & 0xfff) == (gv & 0xfff) && !g_strcmp0(pm, "ok"))
			return 1;
		g_string_append_printf(why,
				       "out_phys: model offset 0x%llx, kernel "
				       "0x%llx, pagemap %s",
				       (unsigned long long)(o->value & 0xfff),
				       (unsigned long long)(gv & 0xfff),
				       pm ? pm : "unread");
		return 0;
	case OC_PA_LEN:
		return compare_pa_len(sr->st, o->value, gv, fields, why);
	default:
		if (o->value == gv)
			return 1;
		g_string_append_printf(why, "%s: model 0x%llx, kernel 0x%llx",
				       o->key, (unsigned long long)o->value,
				       (unsigned long long)gv);
		return 0;
	}
}

/* 1 all agree, 0 one disagrees, -1 one cannot be compared */
static int compare_outs(struct hw_outmaps *om, const struct step_result *sr,
			const struct hw_kstep *k, GString *why)
{
	int res = 1;

	for (guint i = 0; sr->outs && i < sr->outs->len; i++) {
		int r = compare_out(
			om, sr, &g_array_index(sr->outs, struct step_out, i),
			k->fields, why);

		if (!r)
			return 0;
		res = MIN(res, r);
	}
	return res;
}

static void note_uncomparable(struct hw_file_report *rep,
			      const struct step_result *sr, const char *why)
{
	rep->compared--;
	rep->uncomparable++;
	if (!rep->uncomparable_why)
		rep->uncomparable_why = g_string_new("");
	if (!rep->uncomparable_why->len)
		g_string_printf(rep->uncomparable_why, "line %d: %s",
				sr->st->line, why);
}

/* An operation: its result, then its out fields; -1 not comparable */
static int compare_step(struct hw_outmaps *om, const struct step_result *sr,
			const struct hw_kstep *k, GString *why)
{
	if (k->ret && !strcmp(k->ret, "n/a")) {
		g_string_append_printf(
			why, "no guest counterpart here: %s",
			(char *)g_hash_table_lookup(k->fields, "why"));
		return -1;
	}
	if (sr->op->guest.result == GR_DMA)
		return compare_dma(sr, k, why);
	if (sr->op->guest.result == GR_NODES)
		return compare_nodes(sr, k, why);
	if (!compare_op(sr, k, why))
		return 0;
	return compare_outs(om, sr, k, why);
}

void hw_compare(const struct scenario *sc, const struct hw_machine *m,
		const struct run_result *rr, GHashTable *ksteps,
		struct hw_file_report *rep)
{
	struct hw_names names = { 0 };
	struct hw_outmaps om;
	char *why_not = NULL;

	/* the program is the boot's business: here only the names it gives
	 * the handles and cookies, to read the guest's answers by */
	hw_names_from_run(&names, rr);
	g_free(hw_program_new(sc, m, &names, &why_not));
	for (int c = 0; c < 2; c++) {
		om.m2g[c] = g_hash_table_new(g_direct_hash, g_direct_equal);
		om.g2m[c] = g_hash_table_new(g_direct_hash, g_direct_equal);
	}

	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];
		const struct hw_kstep *k;
		GString *why;
		bool ok;

		if (sr->cls == STEP_SETUP || !hw_applies(sr->st))
			continue;
		if (sr->op->guest.kind == GUEST_MODEL_ONLY ||
		    sr->op->guest.kind == GUEST_DISPLAY) {
			rep->skipped++;
			continue;
		}
		rep->compared++;
		k = g_hash_table_lookup(ksteps, GINT_TO_POINTER(sr->st->line));
		why = g_string_new("");
		if (!k) {
			g_string_append(why, "no result from the guest");
			ok = false;
		} else if (sr->cls == STEP_CHECK) {
			ok = compare_check(m, &names, sr, k, why);
		} else {
			int r = compare_step(&om, sr, k, why);

			if (r < 0) {
				note_uncomparable(rep, sr, why->str);
				g_string_free(why, TRUE);
				continue;
			}
			ok = r;
		}
		if (ok) {
			rep->agreed++;
		} else {
			rep->disagreed++;
			if (!rep->first)
				rep->first = g_string_new("");
			if (!rep->first->len)
				g_string_printf(rep->first, "%s:%d: %s: %s",
						sc->path, sr->st->line,
						sr->st->verb, why->str);
		}
		g_string_free(why, TRUE);
	}
	hw_names_clear(&names);
	for (int c = 0; c < 2; c++) {
		g_hash_table_destroy(om.m2g[c]);
		g_hash_table_destroy(om.g2m[c]);
	}
	g_free(why_not);
}
