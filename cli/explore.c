// SPDX-License-Identifier: MIT
/*
 * explore.c - iommusim explore: every sequence of the listed verbs on the
 * machine FILE declares, breadth first, for a broken invariant or (--vs)
 * a difference between two profiles; the shortest finding written as a
 * scenario (-o). The search is sim/explore.c; docs/explore.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "explore.h"
#include "model/profile.h"

static void note(void *data, const char *msg)
{
	fprintf(stderr, "iommusim explore: %s\n", msg);
}

/* The states the counts line flags (a search's, or its shards' merged) */
static void print_flagged(const struct explore_stats *st)
{
	if (st->unsafe_states) /* flagged, not hidden, not a finding */
		printf("unsafe reach: %" G_GUINT64_FORMAT
		       " states where a device userspace holds reaches all "
		       "memory with no IOMMU (noiommu), the kernel tainted\n",
		       st->unsafe_states);
	if (st->caller_broken_states) /* the caller's doing, not 7.3's */
		printf("caller's breach: %" G_GUINT64_FORMAT
		       " states where isolation or an invariant broke after an "
		       "in-kernel caller changed a group VFIO or iommufd owns "
		       "(the DMA owner's contract; the kernel does not "
		       "check)\n",
		       st->caller_broken_states);
}

static void print_stats(const struct explore_stats *st)
{
	double cpu = st->cpu_seconds > 0 ? st->cpu_seconds : 1e-9;

	printf("states %" G_GUINT64_FORMAT ", transitions %" G_GUINT64_FORMAT
	       ", pruned %" G_GUINT64_FORMAT ", findings %" G_GUINT64_FORMAT
	       ", depth reached %d, %.2f s (%.2f s CPU), %.0f states/s and "
	       "%.0f transitions/s per CPU second, %" G_GUINT64_FORMAT
	       " statements run, %" G_GUINT64_FORMAT " states copied\n",
	       st->states, st->transitions, st->pruned, st->findings,
	       st->depth_reached, st->seconds, st->cpu_seconds,
	       st->states / cpu, st->transitions / cpu, st->replayed,
	       st->copies);
	print_flagged(st);
	if (st->copy_refused) /* the search is the same, replayed */
		fprintf(stderr,
			"iommusim explore: %" G_GUINT64_FORMAT
			" states replayed where the copy does not reach "
			"(first: %s)\n",
			st->copy_refused, st->copy_refused_why);
}

/* The @k-th finding's file: OUT itself for the first, OUT-K.scn after. */
static char *finding_path(const char *out, int k)
{
	g_autofree char *stem = g_str_has_suffix(out, ".scn")
					? g_strndup(out, strlen(out) - 4)
					: g_strdup(out);

	return k == 1 ? g_strdup(out) : g_strdup_printf("%s-%d.scn", stem, k);
}

static int write_finding(const struct explore_finding *f, const char *path)
{
	g_autofree char *out = NULL;
	GError *err = NULL;

	printf("found: %s after %d steps\n%s\n", f->kind, f->length, f->detail);
	if (!path) {
		fputs(f->scenario, stdout);
		return 0;
	}
	out = g_strdup(path);
	if (!g_file_set_contents(out, f->scenario, -1, &err)) {
		fprintf(stderr, "iommusim explore: %s\n", err->message);
		g_error_free(err);
		return 2;
	}
	printf("wrote %s\n", out);
	return 0;
}

static int explore_file(struct explore_opts *o, const char *out)
{
	g_autofree char *text = NULL;
	struct explore_finding *f = NULL;
	struct explore_stats st;
	GError *err = NULL;
	int status, k = 1;

	if (!g_file_get_contents(o->path, &text, NULL, &err)) {
		fprintf(stderr, "iommusim explore: %s\n", err->message);
		g_error_free(err);
		return 2;
	}
	o->text = text;
	if (explore_run(o, &st, &f, &err)) {
		fprintf(stderr, "iommusim explore: %s\n", err->message);
		g_error_free(err);
		return 2;
	}
	print_stats(&st);
	if (!f && o->random) {
		printf("no finding in a walk of %d steps (seed "
		       "%" G_GUINT64_FORMAT ")\n",
		       st.depth_reached, o->seed);
		return 0;
	}
	if (!f && o->max_seconds && st.seconds >= o->max_seconds) {
		printf("no finding in %.0f s (stopped by --max-seconds at "
		       "depth %d of %d)\n",
		       st.seconds, st.depth_reached, o->depth);
		return 0;
	}
	if (!f && o->max_states && st.states >= o->max_states) {
		printf("no finding in %" G_GUINT64_FORMAT " states (stopped by "
		       "--max-states at depth %d of %d)\n",
		       st.states, st.depth_reached, o->depth);
		return 0;
	}
	if (!f) {
		printf("no finding up to depth %d\n", o->depth);
		return 0;
	}
	status = 0;
	for (struct explore_finding *e = f; e && !status; e = e->next, k++) {
		g_autofree char *path = out ? finding_path(out, k) : NULL;

		status = write_finding(e, path);
	}
	explore_finding_free(f);
	return status ? status : 1;
}

/* --merge FILE...: the shards' records as one search: its counts, the
 * work the shards did, and the findings deduplicated (explore_merge()). */
static int merge_records(int argc, char **argv, const char *out)
{
	struct explore_record_file *files =
		g_new0(struct explore_record_file, argc);
	struct explore_finding *f = NULL;
	struct explore_merged m;
	GError *err = NULL;
	int status = 2, k = 1;

	for (int i = 1; i < argc; i++) {
		files[i - 1].path = argv[i];
		if (!g_file_get_contents(argv[i], (char **)&files[i - 1].text,
					 NULL, &err))
			goto out;
	}
	if (explore_merge(files, argc - 1, &m, &f, &err))
		goto out;
	printf("merged %u shards: states %" G_GUINT64_FORMAT
	       ", transitions %" G_GUINT64_FORMAT ", pruned %" G_GUINT64_FORMAT
	       ", findings %" G_GUINT64_FORMAT ", depth reached %d\n",
	       m.shards, m.st.states, m.st.transitions, m.st.pruned,
	       m.st.findings, m.st.depth_reached);
	print_flagged(&m.st);
	printf("the shards' work: transitions %" G_GUINT64_FORMAT
	       ", %" G_GUINT64_FORMAT " statements run, %" G_GUINT64_FORMAT
	       " states copied, %.2f s CPU\n",
	       m.work.transitions, m.work.replayed, m.work.copies,
	       m.work.cpu_seconds);
	if (m.stopped)
		printf("not the whole search: %s\n", m.stopped);
	status = 0;
	for (struct explore_finding *e = f; e && !status; e = e->next, k++) {
		g_autofree char *path = out ? finding_path(out, k) : NULL;

		status = write_finding(e, path);
	}
	status = status ? status : f ? 1 : 0;
	explore_finding_free(f);
	explore_merged_clear(&m);
out:
	if (err) {
		fprintf(stderr, "iommusim explore: %s\n", err->message);
		g_error_free(err);
	}
	for (int i = 0; i < argc - 1; i++)
		g_free((char *)files[i].text);
	g_free(files);
	return status;
}

int cmd_explore(int argc, char **argv)
{
	char *profile = NULL, *vs = NULL, *ops = NULL, *out = NULL;
	int depth = 3, findings = 1, shard_depth = 1;
	double max_seconds = 0;
	gint64 max_states = 0, steps = 1000, seed = 1;
	gboolean random = FALSE, merge = FALSE, no_symmetry = FALSE;
	gboolean no_copy = FALSE, by_verb = FALSE;
	char *shard = NULL, *record = NULL, *walk = NULL;
	GOptionEntry entries[] = {
		{ "ops", 0, 0, G_OPTION_ARG_STRING, &ops,
		  "the verbs to sequence, comma-separated "
		  "(VERB:CODE: one IOMMU_TEST_CMD op=; all: every "
		  "operation verb but fork and exit)",
		  "LIST" },
		{ "depth", 'd', 0, G_OPTION_ARG_INT, &depth,
		  "sequences up to N steps (default 3)", "N" },
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
		  "semantic profile", "P" },
		{ "vs", 0, 0, G_OPTION_ARG_STRING, &vs,
		  "a second profile run in lock-step", "B" },
		{ "max-states", 0, 0, G_OPTION_ARG_INT64, &max_states,
		  "stop after N states", "N" },
		{ "findings", 0, 0, G_OPTION_ARG_INT, &findings,
		  "go on past a finding, up to N distinct ones (default 1); "
		  "-o OUT gets the first, OUT-2.scn ... the others",
		  "N" },
		{ "max-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &max_seconds,
		  "stop after S seconds", "S" },
		{ "no-symmetry", 0, 0, G_OPTION_ARG_NONE, &no_symmetry,
		  "count a state and its mirror image (interchangeable "
		  "devices swapped) as two",
		  NULL },
		{ "no-copy", 0, 0, G_OPTION_ARG_NONE, &no_copy,
		  "reach each state by replaying its path, never by a copy "
		  "of its parent (the same search, slower)",
		  NULL },
		{ "random", 0, 0, G_OPTION_ARG_NONE, &random,
		  "a random walk instead of the search", NULL },
		{ "steps", 0, 0, G_OPTION_ARG_INT64, &steps,
		  "--random: walk N steps (default 1000)", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
		  "--random: the walk's seed (default 1)", "S" },
		{ "by-verb", 0, 0, G_OPTION_ARG_NONE, &by_verb,
		  "--random: draw each step's verb first (uniformly among "
		  "the listed), then one of its statements",
		  NULL },
		{ "walk", 0, 0, G_OPTION_ARG_FILENAME, &walk,
		  "--random: write the walk as a scenario to FILE, each step "
		  "with the outcome the model got (for iommusim crosscheck)",
		  "FILE" },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &shard,
		  "expand only shard K of N (by the hash of each state first "
		  "reached at the shard depth)",
		  "K/N" },
		{ "shard-depth", 0, 0, G_OPTION_ARG_INT, &shard_depth,
		  "--shard: partition the states first reached at depth D "
		  "(default 1; deeper balances the shards better)",
		  "D" },
		{ "record", 0, 0, G_OPTION_ARG_FILENAME, &record,
		  "write the search's record to FILE: its states and "
		  "findings, for --merge",
		  "FILE" },
		{ "merge", 0, 0, G_OPTION_ARG_NONE, &merge,
		  "combine the shards' --record FILEs: the counts of the "
		  "whole search, its findings deduplicated (-o OUT)",
		  NULL },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
		  "write the shortest finding as a scenario here", "FILE" },
		{ 0 },
	};
	GOptionContext *ctx = g_option_context_new(
		"FILE - search every operation sequence on FILE's machine");
	struct explore_opts o = { .note = note };
	GError *err = NULL;
	int status = 2;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Exit status: 0 nothing found, 1 a finding, 2 bad input.");
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "iommusim explore: %s\n", err->message);
		g_error_free(err);
		goto out;
	}
	if (merge) {
		status = merge_records(argc, argv, out);
		goto out;
	}
	if (record && random) {
		fprintf(stderr, "iommusim explore: --record records a search, "
				"not a --random walk\n");
		goto out;
	}
	if ((walk || by_verb) && !random) {
		fprintf(stderr,
			"iommusim explore: --%s is for a --random "
			"walk\n",
			walk ? "walk" : "by-verb");
		goto out;
	}
	if (shard && (sscanf(shard, "%u/%u", &o.shard_k, &o.shard_n) != 2 ||
		      o.shard_k >= o.shard_n)) {
		fprintf(stderr,
			"iommusim explore: --shard expects K/N with "
			"K < N, got '%s'\n",
			shard);
		goto out;
	}
	if (shard_depth < 1) {
		fprintf(stderr, "iommusim explore: --shard-depth expects "
				"D >= 1\n");
		goto out;
	}
	if (argc != 2 || !ops || depth < 1 || steps < 1) {
		fprintf(stderr, "iommusim explore: expected FILE, --ops LIST "
				"and --depth N >= 1\n");
		goto out;
	}
	o.path = argv[1];
	o.profile = profile ? profile : iommu_profile_default()->name;
	o.vs = vs;
	o.ops = g_strsplit(ops, ",", -1);
	o.depth = depth;
	o.max_states = max_states;
	o.max_seconds = max_seconds;
	o.no_symmetry = no_symmetry;
	o.no_copy = no_copy;
	o.max_findings = findings > 0 ? findings : 1;
	o.random = random;
	o.steps = steps;
	o.seed = seed;
	o.by_verb = by_verb;
	o.shard_depth = shard_depth;
	o.record_out = record ? g_string_new(NULL) : NULL;
	o.walk_out = walk ? g_string_new(NULL) : NULL;
	status = explore_file(&o, out);
	if (record && status != 2 &&
	    !g_file_set_contents(record, o.record_out->str, -1, NULL)) {
		fprintf(stderr, "iommusim explore: cannot write %s\n", record);
		status = 2;
	}
	if (walk && status != 2 &&
	    !g_file_set_contents(walk, o.walk_out->str, -1, NULL)) {
		fprintf(stderr, "iommusim explore: cannot write %s\n", walk);
		status = 2;
	}
	if (o.record_out)
		g_string_free(o.record_out, TRUE);
	if (o.walk_out)
		g_string_free(o.walk_out, TRUE);
	g_strfreev(o.ops);
out:
	g_free(profile);
	g_free(vs);
	g_free(ops);
	g_free(out);
	g_free(shard);
	g_free(record);
	g_free(walk);
	g_option_context_free(ctx);
	return status;
}
