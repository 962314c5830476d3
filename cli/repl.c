// SPDX-License-Identifier: MIT
/*
 * repl.c - iommusim repl [--profile P] [FILE]: an interactive shell on the
 * model (repl.h). Commands besides statements: state, why, undo,
 * profile NAME, save FILE, help [VERB], quit.
 * Exit status: 0, 2 bad input (FILE or options).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef IOMMUSIM_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#include "cli.h"
#include "errnames.h"
#include "op.h"
#include "repl.h"

static void session_clear_run(struct session *s)
{
	view_run_free(s->vr);
	scenario_free(s->sc);
	s->vr = NULL;
	s->sc = NULL;
}

/* Re-run every line; on bad input the last good run stays. */
static bool session_run(struct session *s, GError **err)
{
	g_autofree char *text = NULL;
	struct run_opts opts = { .profile = s->profile, .allow_absent = true };
	struct scenario *sc;
	struct view_run *vr;

	g_ptr_array_add(s->lines, NULL);
	text = g_strjoinv("\n", (char **)s->lines->pdata);
	g_ptr_array_remove_index(s->lines, s->lines->len - 1);
	sc = scenario_parse("repl", text, err);
	if (!sc)
		return false;
	vr = view_run_with(sc, &opts, err);
	if (!vr) {
		scenario_free(sc);
		return false;
	}
	session_clear_run(s);
	s->sc = sc;
	s->vr = vr;
	return true;
}

static const struct step_result *last_step(const struct session *s)
{
	GPtrArray *steps = s->vr ? s->vr->rr->steps : NULL;

	return steps && steps->len ? steps->pdata[steps->len - 1] : NULL;
}

static void print_block(const char *label, const char *text)
{
	g_auto(GStrv) lines = NULL;

	if (!text)
		return;
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++)
		if (*lines[i])
			printf("   %-8s %s\n", i ? "" : label, lines[i]);
}

static void print_result(const struct step_result *sr)
{
	g_autofree char *got = outcome_str(&sr->got);

	if (sr->cls == STEP_OP)
		printf("-> %s%s\n", got, sr->pass ? "" : "  FAIL");
	else if (sr->cls == STEP_CHECK)
		printf("-> %s\n", sr->pass ? "holds" : "FAIL");
	print_block("failed:", sr->failure);
	if (sr->got.kind == OUT_ERRNO || sr->got.warn || !sr->pass)
		print_block("why:", sr->why);
	print_block("changed:", sr->changes);
	print_block("note:", sr->detail);
	print_block("note:", sr->contract_note);
}

/* A statement: kept if the session still parses and validates. */
static void add_statement(struct session *s, const char *line)
{
	g_autoptr(GError) err = NULL;

	g_ptr_array_add(s->lines, g_strdup(line));
	if (!session_run(s, &err)) {
		g_ptr_array_remove_index(s->lines, s->lines->len - 1);
		printf("error: %s\n", err->message);
		if (s->lines->len)
			session_run(s, NULL); /* the last good state */
		return;
	}
	print_result(last_step(s));
}

static void cmd_state(struct session *s)
{
	struct scene *sc;
	g_autofree char *text = NULL;

	if (!s->vr || !s->vr->scenes->len) {
		printf("nothing yet: declare an iommu and devices, then "
		       "boot\n");
		return;
	}
	sc = s->vr->scenes->pdata[s->vr->scenes->len - 1];
	text = scene_to_text(sc);
	fputs(text, stdout);
}

/* The kernel function and condition behind the last refusal. */
static void cmd_why(struct session *s)
{
	GPtrArray *steps = s->vr ? s->vr->rr->steps : NULL;

	for (guint i = steps ? steps->len : 0; i-- > 0;) {
		const struct step_result *sr = steps->pdata[i];

		if (sr->why) {
			g_autofree char *got = outcome_str(&sr->got);

			printf("line %u (%s, -> %s):\n", i + 1, sr->st->verb,
			       got);
			print_block("why:", sr->why);
			return;
		}
	}
	printf("no refusal so far\n");
}

static void cmd_undo(struct session *s)
{
	if (!s->lines->len) {
		printf("nothing to undo\n");
		return;
	}
	printf("undone: %s\n", (char *)s->lines->pdata[s->lines->len - 1]);
	g_ptr_array_remove_index(s->lines, s->lines->len - 1);
	session_clear_run(s);
	if (s->lines->len)
		session_run(s, NULL);
}

static void cmd_profile(struct session *s, const char *name)
{
	g_autoptr(GError) err = NULL;
	char *old = s->profile;

	if (!*name) {
		printf("profile %s\n", s->profile);
		return;
	}
	if (!scenario_profile_known(name)) {
		printf("error: unknown profile '%s'\n", name);
		return;
	}
	s->profile = g_strdup(name);
	if (s->lines->len && !session_run(s, &err)) {
		printf("error: %s (profile stays %s)\n", err->message, old);
		g_free(s->profile);
		s->profile = old;
		return;
	}
	g_free(old);
	printf("profile %s\n", s->profile);
}

/* One line of the saved file: the statement, and what it returned as its
 * expectation when it has none. */
static char *saved_line(const char *line, const struct step_result *sr)
{
	g_autofree char *got = outcome_str(&sr->got);

	if (sr->st->has_arrow || sr->cls != STEP_OP || sr->skipped)
		return g_strdup(line);
	return g_strdup_printf("%s => %s", line, got);
}

static void cmd_save(struct session *s, const char *path)
{
	GString *o = g_string_new(NULL);
	g_autoptr(GError) err = NULL;
	GPtrArray *steps = s->vr ? s->vr->rr->steps : NULL;

	if (!*path || !steps) {
		printf("usage: save FILE (after at least one statement)\n");
		g_string_free(o, TRUE);
		return;
	}
	g_string_append(o, "# written by iommusim repl; the results seen are "
			   "the expectations\n");
	if (strcmp(((struct step_result *)steps->pdata[0])->st->verb,
		   "scenario"))
		g_string_append_printf(o, "scenario profiles=%s\n", s->profile);
	for (guint i = 0; i < steps->len; i++) {
		g_autofree char *l =
			saved_line(s->lines->pdata[i], steps->pdata[i]);

		g_string_append_printf(o, "%s\n", l);
	}
	if (!g_file_set_contents(path, o->str, o->len, &err))
		printf("error: %s\n", err->message);
	else
		printf("saved %u statements to %s\n", steps->len, path);
	g_string_free(o, TRUE);
}

static void cmd_help(const char *verb)
{
	if (!*verb) {
		printf("a statement of the scenario language "
		       "(docs/scenario-language.md), or:\n"
		       "  state          the model's state as a text picture\n"
		       "  why            the kernel function and condition "
		       "behind the last refusal\n"
		       "  undo           drop the last statement\n"
		       "  profile NAME   re-run everything under NAME\n"
		       "  save FILE      the session as a scenario file\n"
		       "  help VERB      a verb's arguments and the Linux 7.3 "
		       "function it models\n"
		       "  quit\n"
		       "Tab completes verbs, argument names, devices and "
		       "handles.\n");
		return;
	}
	cli_verb_help(stdout, verb);
}

/* false: quit */
static bool dispatch(struct session *s, char *line)
{
	char *arg;

	g_strstrip(line);
	if (!*line || *line == '#')
		return true;
	arg = line + strcspn(line, " \t");
	if (*arg)
		*arg++ = '\0';
	arg = g_strstrip(arg);
	if (!strcmp(line, "quit") || !strcmp(line, "exit"))
		return false;
	if (!strcmp(line, "state"))
		cmd_state(s);
	else if (!strcmp(line, "why"))
		cmd_why(s);
	else if (!strcmp(line, "undo"))
		cmd_undo(s);
	else if (!strcmp(line, "profile"))
		cmd_profile(s, arg);
	else if (!strcmp(line, "save"))
		cmd_save(s, arg);
	else if (!strcmp(line, "help"))
		cmd_help(arg);
	else {
		g_autofree char *stmt =
			*arg ? g_strdup_printf("%s %s", line, arg)
			     : g_strdup(line);

		add_statement(s, stmt);
	}
	return true;
}

static char *read_line(const char *prompt)
{
#ifdef IOMMUSIM_HAVE_LIBEDIT
	if (isatty(STDIN_FILENO)) {
		char *l = readline(prompt);

		if (l && *l)
			add_history(l);
		return l;
	}
#endif
	char buf[4096];

	if (!fgets(buf, sizeof(buf), stdin))
		return NULL;
	return strdup(buf);
}

/* FILE's machine: its statements up to and including boot. */
static bool session_from_file(struct session *s, const char *path,
			      bool profile_given)
{
	g_autoptr(GError) err = NULL;
	struct scenario *sc = scenario_load(path, &err);
	struct view_run *vr;

	if (!sc) {
		fprintf(stderr, "iommusim repl: %s\n", err->message);
		return false;
	}
	if (!profile_given) {
		g_free(s->profile);
		s->profile = view_default_profile(sc);
	}
	vr = view_run_scenario(sc, s->profile, &err);
	for (guint i = 0; vr && i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		const struct op *op = op_find(st->verb);

		g_ptr_array_add(s->lines, view_source_line(vr, st->line));
		if (op && op->boots)
			break;
	}
	if (!vr)
		fprintf(stderr, "iommusim repl: %s\n", err->message);
	view_run_free(vr);
	scenario_free(sc);
	return vr && session_run(s, NULL);
}

static void repl_loop(struct session *s)
{
	char *line;

	printf("iommusim repl, profile %s: a statement, or help, state, why, "
	       "undo, profile, save, quit\n",
	       s->profile);
	if (s->lines->len)
		printf("the machine of the file is booted: %u statements\n",
		       s->lines->len);
	while ((line = read_line("iommusim> "))) {
		bool more = dispatch(s, line);

		free(line);
		fflush(stdout);
		if (!more)
			break;
	}
}

int cmd_repl(int argc, char **argv)
{
	struct session s = { .lines = g_ptr_array_new_with_free_func(g_free) };
	char *profile = NULL;
	GOptionEntry entries[] = {
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
		  "semantic profile (default: the file's first, or linux-7.3)",
		  "P" },
		{ 0 },
	};
	GOptionContext *ctx = g_option_context_new(
		"[FILE] - an interactive shell on the model");
	g_autoptr(GError) err = NULL;
	int status = 2;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "iommusim repl: %s\n", err->message);
		goto out;
	}
	if (profile && !scenario_profile_known(profile)) {
		fprintf(stderr, "iommusim repl: unknown profile '%s'\n",
			profile);
		goto out;
	}
	s.profile = g_strdup(profile ? profile : "linux-7.3");
	if (argc > 2 ||
	    (argc == 2 && !session_from_file(&s, argv[1], profile != NULL)))
		goto out;
	repl_complete_init(&s);
	repl_loop(&s);
	status = 0;
out:
	session_clear_run(&s);
	g_ptr_array_free(s.lines, TRUE);
	g_free(s.profile);
	g_free(profile);
	g_option_context_free(ctx);
	return status;
}
