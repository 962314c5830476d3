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

/* A step only= keeps from one of the profiles: not a difference. */
static bool step_skipped(const struct step_result *a,
			 const struct step_result *b)
{
	return a->skipped || b->skipped;
}

static bool step_same(const struct step_result *a, const struct step_result *b)
{
	g_autofree char *ra = outcome_str(&a->got);
	g_autofree char *rb = outcome_str(&b->got);

	return step_skipped(a, b) || (!strcmp(ra, rb) && a->pass == b->pass &&
				      !g_strcmp0(a->failure, b->failure) &&
				      !g_strcmp0(a->changes, b->changes));
}

static void print_side(const char *who, const char *label, const char *text)
{
	g_auto(GStrv) lines = NULL;

	if (!text)
		return;
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++)
		printf("           %s%s %s\n", i ? " " : who,
		       i ? "        " : label, lines[i]);
}

static void diff_step(const struct step_result *a, const struct step_result *b,
		      int *differ)
{
	g_autofree char *text = stmt_text(a->st);
	g_autofree char *ra = outcome_str(&a->got);
	g_autofree char *rb = outcome_str(&b->got);
	bool same = step_same(a, b);

	if (a->cls == STEP_SETUP)
		return;
	*differ += !same;
	printf("%s %4d  %s\n", same ? "  " : "<>", a->st->line, text);
	if (step_skipped(a, b)) {
		printf("           skipped under %s (only=)\n",
		       a->skipped && b->skipped ? "both"
		       : a->skipped		? "A"
						: "B");
		return;
	}
	if (a->cls == STEP_OP)
		printf("           %-24s %s\n", ra, rb);
	if (same)
		return;
	print_side("A", ":      ", a->why);
	print_side("B", ":      ", b->why);
	if (g_strcmp0(a->changes, b->changes)) {
		print_side("A",
			   " state:", a->changes ? a->changes : "unchanged");
		print_side("B",
			   " state:", b->changes ? b->changes : "unchanged");
	}
	if (a->failure || b->failure)
		printf("           A %s | B %s\n",
		       a->failure ? a->failure : "holds",
		       b->failure ? b->failure : "holds");
}

static void diff_pair(const char *path, char **p, struct run_result **rr)
{
	int differ = 0;

	printf("== %s: A = %s, B = %s\n", path, p[0], p[1]);
	for (guint i = 0; i < rr[0]->steps->len; i++)
		diff_step(rr[0]->steps->pdata[i], rr[1]->steps->pdata[i],
			  &differ);
	printf("== %d step(s) differ\n", differ);
}

/* One cell: the result (a check: holds / FAILS), '!' when the file's
 * expectation for that profile did not hold, '*' when the step changed
 * the state otherwise than under the first profile (@first; diff
 * --profiles shows how), "-" when only= skipped it. */
static char *cell(const struct step_result *sr, const struct step_result *first)
{
	g_autofree char *res = sr->cls == STEP_OP ? outcome_str(&sr->got)
			       : sr->pass	  ? g_strdup("holds")
						  : g_strdup("FAILS");
	bool moved = !first->skipped && g_strcmp0(sr->changes, first->changes);

	if (sr->skipped)
		return g_strdup("-");
	return g_strdup_printf("%s%s%s", res,
			       sr->pass || sr->cls != STEP_OP ? "" : "!",
			       moved ? "*" : "");
}

static void diff_table(const char *path, char **p, struct run_result **rr)
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
		g_autofree char *first = cell(s0, s0);
		bool same = true;

		if (s0->cls == STEP_SETUP)
			continue;
		for (guint j = 0; j < n; j++) {
			g_autofree char *c = cell(rr[j]->steps->pdata[i], s0);

			/* only= keeps a step from some profiles: "-" */
			same = same && (!strcmp(c, first) || !strcmp(c, "-") ||
					!strcmp(first, "-"));
			g_string_append_printf(row, "  %-12s", c);
		}
		differ += !same;
		printf("%s%4d%s  %s\n", same ? "  " : "<>", s0->st->line,
		       row->str, text);
	}
	printf("== %d step(s) differ\n", differ);
}

/* One profile's side of a step (docs/trace.schema.json's diff objects) */
static void json_side(GString *o, const char *profile,
		      const struct step_result *sr)
{
	g_autofree char *got = outcome_str(&sr->got);

	g_string_append(o, "{\"profile\":");
	json_string(o, profile);
	json_field(o, "result",
		   sr->cls == STEP_OP && !sr->skipped ? got : NULL);
	g_string_append_printf(o, ",\"pass\":%s,\"skipped\":%s",
			       sr->pass ? "true" : "false",
			       sr->skipped ? "true" : "false");
	json_field(o, "why", sr->why);
	json_field(o, "changes", sr->changes);
	json_field(o, "failure", sr->failure);
	g_string_append_c(o, '}');
}

/* --format json: a line per step, every profile's side, then a summary */
static void diff_json(const char *path, char **p, struct run_result **rr)
{
	guint n = g_strv_length(p);
	int differ = 0;

	for (guint i = 0; i < rr[0]->steps->len; i++) {
		const struct step_result *s0 = rr[0]->steps->pdata[i];
		g_autoptr(GString) o = g_string_new("{\"file\":");
		g_autofree char *text = stmt_text(s0->st);
		bool same = true;

		if (s0->cls == STEP_SETUP)
			continue;
		for (guint j = 1; j < n; j++)
			same = same && step_same(s0, rr[j]->steps->pdata[i]);
		differ += !same;
		json_string(o, path);
		g_string_append_printf(o, ",\"line\":%d", s0->st->line);
		json_field(o, "text", text);
		g_string_append_printf(o, ",\"differ\":%s,\"profiles\":[",
				       same ? "false" : "true");
		for (guint j = 0; j < n; j++) {
			if (j)
				g_string_append_c(o, ',');
			json_side(o, p[j], rr[j]->steps->pdata[i]);
		}
		printf("%s]}\n", o->str);
	}
	printf("{\"summary\":true,\"differ\":%d}\n", differ);
}

/* The profiles to run: @list ("A,B"), the file's (--all, and the
 * default), or every registered one (--all-profiles). */
static char **diff_profiles(const char *list, bool all, bool every,
			    const struct scenario *sc)
{
	if (every)
		return g_strdupv((char **)iommu_profile_names());
	if (all || !list)
		return scenario_profiles(sc);
	return g_strsplit(list, ",", -1);
}

enum diff_format { DIFF_PAIR, DIFF_TABLE, DIFF_JSON };

/* A step whose expectation did not hold under some profile: exit 1 */
static bool any_failed(struct run_result **rr, guint n)
{
	for (guint j = 0; j < n; j++) {
		if (rr[j]->failures)
			return true;
	}
	return false;
}

static int diff_run(const struct scenario *sc, char **p, enum diff_format fmt)
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
		if (fmt == DIFF_JSON)
			diff_json(sc->path, p, rr);
		else if (fmt == DIFF_TABLE)
			diff_table(sc->path, p, rr);
		else
			diff_pair(sc->path, p, rr);
		status = any_failed(rr, n) ? 1 : 0;
	}
	for (guint j = 0; j < n; j++)
		run_result_free(rr[j]);
	g_free(rr);
	g_clear_error(&err);
	return status;
}

/* 0, or 2 after naming the first profile that is not one, or (unless
 * @any: --all-profiles) one the file does not declare */
static int check_names(char **p, bool pair, bool any, const struct scenario *sc)
{
	g_autofree char *names = iommu_profile_names_joined(", ");
	g_auto(GStrv) declared = scenario_profiles(sc);
	g_autofree char *decl = g_strjoinv(", ", declared);

	if (pair && g_strv_length(p) != 2) {
		fprintf(stderr,
			"iommusim diff: %s declares %s: two profiles to "
			"compare (--profiles A,B of %s, or --all-profiles)\n",
			sc->path, decl, names);
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
		if (!any &&
		    !g_strv_contains((const char *const *)declared, p[j])) {
			fprintf(stderr,
				"iommusim diff: %s does not declare profile "
				"'%s' (it declares %s; --all-profiles runs "
				"every registered one)\n",
				sc->path, p[j], decl);
			return 2;
		}
	}
	return 0;
}

static enum diff_format diff_format(const char *format, guint n, bool table)
{
	if (format && !strcmp(format, "json"))
		return DIFF_JSON;
	return table || n > 2 ? DIFF_TABLE : DIFF_PAIR;
}

int cmd_diff(int argc, char **argv)
{
	char *profiles = NULL, *format = NULL;
	gboolean all = FALSE, every = FALSE;
	GOptionEntry entries[] = {
		{ "profiles", 0, 0, G_OPTION_ARG_STRING, &profiles,
		  "two profiles the file declares, comma-separated (default: "
		  "the file's profiles)",
		  "A,B" },
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all,
		  "every profile the file declares, as one table", NULL },
		{ "all-profiles", 0, 0, G_OPTION_ARG_NONE, &every,
		  "every registered profile, as one table", NULL },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format,
		  "text (default) or json (JSON Lines: a line per step with "
		  "each profile's result, why and state change)",
		  "F" },
		{ 0 },
	};
	GOptionContext *ctx = g_option_context_new(
		"FILE - where profiles disagree, step by step; exit 1 when an "
		"expectation fails under one of them");
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
	if (format && strcmp(format, "text") && strcmp(format, "json")) {
		fprintf(stderr, "iommusim diff: --format expects text or "
				"json\n");
		goto out;
	}
	sc = scenario_load(argv[1], &err);
	if (!sc) {
		fprintf(stderr, "iommusim: %s\n", err->message);
		goto out;
	}
	p = diff_profiles(profiles, all, every, sc);
	if (!check_names(p, !all && !every && g_strv_length(p) < 2, every, sc))
		status = diff_run(
			sc, p,
			diff_format(format, g_strv_length(p), all || every));
out:
	g_clear_error(&err);
	scenario_free(sc);
	g_free(profiles);
	g_free(format);
	g_option_context_free(ctx);
	return status;
}
