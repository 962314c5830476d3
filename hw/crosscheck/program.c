// SPDX-License-Identifier: MIT
/*
 * program.c - a scenario's operations as a guest program for the agent
 * (hw/agent/agent.c describes the format). Device names stay names (the
 * agent resolves each path in sysfs); domain handles become slots of the
 * test driver's table, owner cookies small integers, drivers the guest's.
 */
#include <string.h>

#include "hw.h"

/* What the agent can do today; anything else makes the scenario
 * not guest-runnable, with the verb named. */
static const char *const guest_verbs[] = {
	"driver_bind",
	"driver_unbind",
	"device_del",
	"sysfs_write",
	"iommu_paging_domain_alloc",
	"iommu_domain_free",
	"iommu_attach_device",
	"iommu_detach_device",
	"iommu_attach_group",
	"iommu_detach_group",
	"iommu_attach_group_handle",
	"iommu_detach_group_handle",
	"iommu_replace_group_handle",
	"iommu_group_claim_dma_owner",
	"iommu_group_release_dma_owner",
	"iommu_device_claim_dma_owner",
	"iommu_device_release_dma_owner",
	"iommu_device_use_default_domain",
	"iommu_device_unuse_default_domain",
	"iommu_group_dma_owner_claimed",
	"iommu_map",
	"iommu_unmap",
	"iommu_iova_to_phys",
	"check_group",
	"check_device",
	"check_sysfs",
	"check_groups",
	"dma",
	"memory_write",
	"check_memory",
	NULL,
};

void hw_names_clear(struct hw_names *names)
{
	if (names->slots)
		g_hash_table_destroy(names->slots);
	if (names->cookies)
		g_hash_table_destroy(names->cookies);
	names->slots = names->cookies = NULL;
}

static const char *intern(GHashTable *t, const char *name, const char *fmt)
{
	char *v = g_hash_table_lookup(t, name);

	if (!v) {
		v = g_strdup_printf(fmt,
				    g_hash_table_size(t) + (fmt[0] != 'd'));
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

char *hw_guest_value(const struct hw_machine *m, struct hw_names *names,
		     const struct statement *st, const struct arg *a)
{
	const struct arg *dev = stmt_arg(st, "dev");

	if (a->val.kind == VAL_HANDLE)
		return g_strdup(intern(names->slots, a->val.text, "d%u"));
	if (!strcmp(a->key, "owner") && strcmp(a->val.text, "none"))
		return g_strdup(intern(names->cookies, a->val.text, "%u"));
	if (!strcmp(a->key, "driver"))
		return g_strdup(hw_guest_driver(m, dev ? dev->val.text : NULL,
						a->val.text));
	if ((!strcmp(a->key, "domain") || !strcmp(a->key, "handle")) &&
	    !strcmp(a->val.text, "none"))
		return g_strdup("none");
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

static bool emit_step(GString *out, const struct hw_machine *m,
		      struct hw_names *names, const struct statement *st,
		      char **why)
{
	const struct arg *name = stmt_arg(st, "name");

	if (stmt_is_device(st) && name) {
		g_string_append_printf(out, "step %d hotplug dev=%s\n",
				       st->line, name->val.text);
		return true;
	}
	if (!g_strv_contains(guest_verbs, st->verb)) {
		*why = g_strdup_printf("line %d: %s: no guest equivalent yet",
				       st->line, st->verb);
		return false;
	}
	if (!strcmp(st->verb, "dma")) {
		const struct arg *dev = stmt_arg(st, "dev");
		const struct hw_dev *d =
			dev ? hw_machine_dev(m, dev->val.text) : NULL;

		if (!d || g_strcmp0(d->qemu_model, "edu")) {
			*why = g_strdup_printf(
				"line %d: dma: only a model=edu device does "
				"DMA in the guest",
				st->line);
			return false;
		}
	}
	g_string_append_printf(out, "step %d %s", st->line, st->verb);
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		/* numbers as the kernel's kstrtou64 reads them: no K/M/G */
		g_autofree char *v =
			a->val.kind == VAL_NUMBER
				? g_strdup_printf(
					  "0x%llx",
					  (unsigned long long)a->val.num)
				: hw_guest_value(m, names, st, a);

		append_arg(out, a->key, v, a->val.kind == VAL_STRING);
	}
	g_string_append_c(out, '\n');
	return true;
}

/* Steps that only show the model's state (the raw page-table entries):
 * nothing to compare in a guest. */
bool hw_model_display(const struct statement *st)
{
	return !strcmp(st->verb, "dump");
}

bool hw_applies(const struct statement *st)
{
	const struct outcome *o = stmt_expect(st, "linux-7.3");
	const struct arg *only = stmt_arg(st, "only");

	if (o && o->kind == OUT_ABSENT)
		return false;
	if (!only)
		return true;
	if (only->val.kind != VAL_LIST)
		return !g_strcmp0(only->val.text, "linux-7.3");
	for (guint i = 0; i < only->val.items->len; i++) {
		const struct value *v = only->val.items->pdata[i];

		if (!g_strcmp0(v->text, "linux-7.3"))
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

		for (guint j = 0;
		     strncmp(st->verb, "check_", 6) && j < st->args->len; j++) {
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

char *hw_program_new(const struct scenario *sc, const struct hw_machine *m,
		     struct hw_names *names, char **why)
{
	GString *out = g_string_new("");
	bool booted = false;

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
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];

		if (!booted) {
			booted = !strcmp(st->verb, "boot");
			continue;
		}
		if (!hw_applies(st) || hw_model_display(st))
			continue;
		if (!emit_step(out, m, names, st, why)) {
			g_string_free(out, TRUE);
			return NULL;
		}
	}
	g_string_append(out, "end\n");
	return g_string_free(out, FALSE);
}
