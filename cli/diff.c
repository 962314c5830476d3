// SPDX-License-Identifier: MIT
/*
 * diff.c - `iommusim diff`: one file under several profiles. With
 * --profiles A,B, step by step where the two disagree (why and which
 * check breaks); with --all (the profiles the file declares) or
 * --all-profiles (every registered one), one table, step x profile.
 * docs/series.md is generated from the table (tests/docs/series.sh).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "run.h"
#include "trace.h"
#include "model/profile.h"

static void diff_step(const struct step_result *a, const struct step_result *b,
		      int *differ)
{
	g_autofree char *text = stmt_text(a->st);
	g_autofree char *ra = outcome_str(&a->got);
	g_autofree char *rb = outcome_str(&b->got);
	bool same = !strcmp(ra, rb) && a->pass == b->pass &&
		    !g_strcmp0(a->failure, b->failure);

	if (a->cls == STEP_SETUP)
		return;
	*differ += !same;
	printf("%s %4d  %s\n", same ? "  " : "<>", a->st->line, text);
	if (a->cls == STEP_OP)
		printf("           %-24s %s\n", ra, rb);
	if (!same && a->why)
		printf("           A: %s\n", a->why);
	if (!same && b->why)
		printf("           B: %s\n", b->why);
	if (!same && (a->failure || b->failure))
		printf("           A %s | B %s\n",
		       a->failure ? a->failure : "holds",
		       b->failure ? b->failure : "holds");
}

static int diff_pair(const char *path, char **p, struct run_result **rr)
{
	int differ = 0;

	printf("== %s: A = %s, B = %s\n", path, p[0], p[1]);
	for (guint i = 0; i < rr[0]->steps->len; i++)
		diff_step(rr[0]->steps->pdata[i], rr[1]->steps->pdata[i],
			  &differ);
	printf("== %d step(s) differ\n", differ);
	return 0;
}

/* One cell: the result (a check: holds / FAILS), '!' when the file's
 * expectation for that profile did not hold, "-" when only= skipped it. */
static char *cell(const struct step_result *sr)
{
	g_autofree char *res = sr->cls == STEP_OP ? outcome_str(&sr->got)
			       : sr->pass	  ? g_strdup("holds")
						  : g_strdup("FAILS");

	if (sr->skipped)
		return g_strdup("-");
	return g_strdup_printf("%s%s", res,
			       sr->pass || sr->cls != STEP_OP ? "" : "!");
}

static int diff_table(const char *path, char **p, struct run_result **rr)
{
	guint n = g_strv_length(p);
	int differ = 0;

	printf("== %s\n  line", path);
	for (guint j = 0; j < n; j++)
		printf("  %-12s", p[j]);
	printf("  step\n");
	for (guint i = 0; i < rr[0]->steps->len; i++) {
		const struct step_result *s0 = rr[0]->steps->pdata[i];
		g_autofree char *text = stmt_text(s0->st);
		g_autoptr(GString) row = g_string_new(NULL);
		g_autofree char *first = cell(s0);
		bool same = true;

		if (s0->cls == STEP_SETUP)
			continue;
		for (guint j = 0; j < n; j++) {
			g_autofree char *c = cell(rr[j]->steps->pdata[i]);

			same = same && !strcmp(c, first);
			g_string_append_printf(row, "  %-12s", c);
		}
		differ += !same;
		printf("%s%4d%s  %s\n", same ? "  " : "<>", s0->st->line,
		       row->str, text);
	}
	printf("== %d step(s) differ\n", differ);
	return 0;
}

/* The profiles to run: @list ("A,B"), the file's (--all), or all. */
static char **diff_profiles(const char *list, bool all, bool every,
			    const struct scenario *sc)
{
	if (every)
		return g_strdupv((char **)iommu_profile_names());
	if (all)
		return scenario_profiles(sc);
	return g_strsplit(list, ",", -1);
}

static int diff_run(const struct scenario *sc, char **p, bool table)
{
	guint n = g_strv_length(p);
	struct run_result **rr = g_new0(struct run_result *, n);
	GError *err = NULL;
	int status = 0;

	for (guint j = 0; j < n && !err; j++)
		rr[j] = scenario_run(sc,
				     &(struct run_opts){ .profile = p[j],
							 .allow_absent = true },
				     &err);
	if (err) {
		fprintf(stderr, "iommusim: %s\n", err->message);
		status = 2;
	} else {
		status = table ? diff_table(sc->path, p, rr)
			       : diff_pair(sc->path, p, rr);
	}
	for (guint j = 0; j < n; j++)
		run_result_free(rr[j]);
	g_free(rr);
	g_clear_error(&err);
	return status;
}

/* 0, or 2 after naming the first profile that is not one */
static int check_names(char **p, bool pair)
{
	g_autofree char *names = iommu_profile_names_joined(", ");

	if (pair && g_strv_length(p) != 2) {
		fprintf(stderr,
			"iommusim diff: --profiles expects two profiles "
			"(of %s)\n",
			names);
		return 2;
	}
	for (int j = 0; p[j]; j++) {
		if (!iommu_profile_find(p[j])) {
			fprintf(stderr,
				"iommusim diff: unknown profile '%s' "
				"(expected %s)\n",
				p[j], names);
			return 2;
		}
	}
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	char *profiles = NULL;
	gboolean all = FALSE, every = FALSE;
	const char *const *names = iommu_profile_names();
	g_autofree char *pair = g_strdup_printf("%s,%s", names[0], names[1]);
	g_autofree char *help = g_strdup_printf(
		"two profiles, comma-separated (default %s)", pair);
	GOptionEntry entries[] = {
		{ "profiles", 0, 0, G_OPTION_ARG_STRING, &profiles, help,
		  "A,B" },
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all,
		  "every profile the file declares, as one table", NULL },
		{ "all-profiles", 0, 0, G_OPTION_ARG_NONE, &every,
		  "every registered profile, as one table", NULL },
		{ NULL },
	};
	GOptionContext *ctx = g_option_context_new(
		"FILE - where profiles disagree, step by step");
	g_auto(GStrv) p = NULL;
	struct scenario *sc = NULL;
	GError *err = NULL;
	int status = 2;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err) || argc != 2) {
		fprintf(stderr, "iommusim diff: %s\n",
			err ? err->message : "expected one FILE");
		goto out;
	}
	sc = scenario_load(argv[1], &err);
	if (!sc) {
		fprintf(stderr, "iommusim: %s\n", err->message);
		goto out;
	}
	p = diff_profiles(profiles ? profiles : pair, all, every, sc);
	if (!check_names(p, !all && !every))
		status = diff_run(sc, p, all || every);
out:
	g_clear_error(&err);
	scenario_free(sc);
	g_free(profiles);
	g_option_context_free(ctx);
	return status;
}
