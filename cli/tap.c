// SPDX-License-Identifier: MIT
/*
 * tap.c - TAP version 13 output for `iommusim run --format tap` (tap.h).
 */
#include <string.h>

#include "tap.h"
#include "trace.h"

unsigned int tap_begin(FILE *f, GPtrArray *scs)
{
	unsigned int total = 0;

	for (guint i = 0; i < scs->len; i++)
		total += ((struct scenario *)scs->pdata[i])->stmts->len;
	fprintf(f, "TAP version 13\n1..%u\n", total);
	return total;
}

/* A description may not hold '#' (it starts a directive) */
static void description(GString *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '\\')
			g_string_append_c(o, '\\');
		g_string_append_c(o, *s == '\n' ? ' ' : *s);
	}
}

/* key: "value" in the YAML block; JSON strings are YAML scalars */
static void yaml_field(GString *o, const char *key, const char *val)
{
	if (!val)
		return;
	g_string_append_printf(o, "  %s: ", key);
	json_string(o, val);
	g_string_append_c(o, '\n');
}

static void diagnostics(GString *o, const struct run_result *rr,
			const struct step_result *sr)
{
	g_autofree char *got = outcome_str(&sr->got);
	g_autofree char *want = sr->expected ? outcome_str(sr->expected) : NULL;

	g_string_append(o, "  ---\n");
	yaml_field(o, "message", sr->failure ? sr->failure : "failed");
	yaml_field(o, "profile", rr->profile);
	if (sr->cls == STEP_OP)
		yaml_field(o, "got", got);
	yaml_field(o, "expected", want);
	yaml_field(o, "why", sr->why);
	yaml_field(o, "note", sr->detail);
	g_string_append(o, "  ...\n");
}

static void test_point(GString *o, const struct scenario *sc,
		       const struct run_result *rr,
		       const struct step_result *sr, unsigned int n)
{
	g_autofree char *text = stmt_text(sr->st);
	g_autofree char *where =
		g_strdup_printf("%s:%d ", sc->path, sr->st->line);

	g_string_append_printf(o, "%sok %u - ", sr->pass ? "" : "not ", n);
	description(o, where);
	description(o, text);
	if (sr->skipped)
		g_string_append_printf(o, " # SKIP only= excludes %s",
				       rr->profile);
	g_string_append_c(o, '\n');
	if (!sr->pass)
		diagnostics(o, rr, sr);
}

void tap_file(FILE *f, const struct scenario *sc, const struct run_result *rr,
	      unsigned int *n)
{
	GString *o = g_string_new(NULL);

	g_string_append_printf(o, "# %s (profile %s)\n", sc->path, rr->profile);
	for (guint i = 0; i < rr->steps->len; i++)
		test_point(o, sc, rr, rr->steps->pdata[i], (*n)++);
	fputs(o->str, f);
	g_string_free(o, TRUE);
}
