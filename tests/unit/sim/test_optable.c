// SPDX-License-Identifier: MIT
/*
 * test_optable.c - the operation table (sim/op.h) holds together: every
 * row has what it needs, every verb the guest runs has a row in the
 * agent's table (hw/agent/steps.c, asked through `agent --verbs`), and
 * docs/scenario-language.md lists exactly the table's verbs with exactly
 * their arguments and the 7.3 function each models, and that function is
 * in the 7.3 tree (when IOMMUSIM_LINUX_SRC is at hand).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "runner.h"

static void every_row_has_a_handler_and_typed_handles(void **state)
{
	for (const struct op *op = op_table; op->name; op++) {
		assert_non_null(op->exec);
		assert_non_null(op->args);
		for (const struct arg_spec *a = op->args; a->key; a++) {
			/* a handle argument names the type it takes; an out
			 * field the type it binds */
			if (a->type == T_HANDLE)
				assert_non_null(a->htype);
			if (a->type != T_HANDLE && a->type != T_OUT)
				assert_null(a->htype);
		}
	}
}

static void every_check_row_compares_some_field(void **state)
{
	for (const struct op *op = op_table; op->name; op++) {
		int fields = 0;

		for (const struct arg_spec *a = op->args; a->key; a++)
			fields += a->check != NULL;
		if (op->cls == STEP_CHECK)
			assert_true(fields > 0);
		else
			assert_int_equal(0, fields);
	}
}

static void rows_that_do_not_run_in_the_guest_say_why(void **state)
{
	for (const struct op *op = op_table; op->name; op++) {
		if (op->cls == STEP_SETUP && !op->after_boot)
			continue; /* before boot: the machine, not a step */
		if (op->guest.kind != GUEST_RUNS)
			assert_non_null(op->guest.why);
	}
}

/* A row waiting for its agent row (GUEST_PENDING) already names the verb
 * the agent will run, so the guest side can be built on the table. */
static void pending_rows_name_their_guest_verb(void **state)
{
	for (const struct op *op = op_table; op->name; op++) {
		if (op->guest.kind != GUEST_PENDING)
			continue;
		assert_non_null(op->guest.verb);
		assert_non_null(op->guest.why);
	}
}

/* .kfunc is "FILE:FUNCTION[, FILE:FUNCTION...]", or .kfunc_none says why
 * no kernel function stands behind the verb; never both. */
static void every_row_names_its_kernel_function_or_why_not(void **state)
{
	for (const struct op *op = op_table; op->name; op++) {
		g_auto(GStrv) each = NULL;

		if (!op->kfunc == !op->kfunc_none)
			fail_msg("%s: exactly one of kfunc, kfunc_none",
				 op->name);
		if (!op->kfunc)
			continue;
		each = g_strsplit(op->kfunc, ", ", -1);
		for (char **e = each; *e; e++) {
			if (!g_regex_match_simple("^[a-z0-9_/.-]+\\.c:\\w+$",
						  *e, 0, 0))
				fail_msg(
					"%s: kfunc '%s' is not FILE.c:FUNCTION",
					op->name, *e);
		}
	}
}

/* Does @file of the 7.3 tree define or declare @fn? A line that starts a
 * declaration (not indented, not a preprocessor line) naming fn( , or a
 * system call's SYSCALL_DEFINEn(fn, . */
static bool tree_has_function(const char *file, const char *fn)
{
	g_autofree char *path =
		g_build_filename(IOMMUSIM_LINUX_SRC, file, NULL);
	g_autofree char *text = NULL;
	g_autofree char *re = g_strdup_printf(
		"^(?:[^\\s#][^\\n]*[^\\w\\n])?%s\\(|^SYSCALL_DEFINE\\d\\(%s,",
		fn, fn);

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return false;
	return g_regex_match_simple(re, text, G_REGEX_MULTILINE, 0);
}

static void kernel_functions_are_in_the_7_3_tree(void **state)
{
	g_autofree char *probe = g_build_filename(
		IOMMUSIM_LINUX_SRC, "drivers/iommu/iommu.c", NULL);
	guint checked = 0;

	if (!*IOMMUSIM_LINUX_SRC || !g_file_test(probe, G_FILE_TEST_EXISTS))
		skip(); /* no tree: nothing to hold the names against */
	for (const struct op *op = op_table; op->name; op++) {
		g_auto(GStrv) each =
			op->kfunc ? g_strsplit(op->kfunc, ", ", -1) : NULL;

		for (char **e = each; e && *e; e++, checked++) {
			g_autofree char *file =
				g_strndup(*e, strrchr(*e, ':') - *e);

			if (!tree_has_function(file, strrchr(*e, ':') + 1))
				fail_msg("%s: no function %s in 7.3's %s",
					 op->name, strrchr(*e, ':') + 1, file);
		}
	}
	assert_true(checked > 50);
}

/* The agent's verbs, as `agent --verbs` prints them ("verb [command]");
 * the test driver's commands they run into @ops if not NULL. */
static GPtrArray *agent_verbs(GPtrArray *ops)
{
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
	FILE *p = popen(IOMMUSIM_AGENT " --verbs", "r");
	char line[128];

	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char *sp;

		line[strcspn(line, "\n")] = '\0';
		sp = strchr(line, ' ');
		if (sp) {
			*sp = '\0';
			if (ops)
				g_ptr_array_add(ops, g_strdup(sp + 1));
		}
		g_ptr_array_add(v, g_strdup(line));
	}
	assert_int_equal(0, pclose(p));
	return v;
}

static bool in(GPtrArray *set, const char *s)
{
	for (guint i = 0; i < set->len; i++) {
		if (!strcmp(set->pdata[i], s))
			return true;
	}
	return false;
}

static void every_guest_verb_has_an_agent_row_and_back(void **state)
{
	g_autoptr(GPtrArray) agent = agent_verbs(NULL);
	g_autoptr(GPtrArray) guest = g_ptr_array_new();

	for (const struct op *op = op_table; op->name; op++) {
		if (op->guest.kind != GUEST_RUNS)
			continue;
		g_ptr_array_add(guest, (gpointer)op_guest_verb(op));
		if (!in(agent, op_guest_verb(op)))
			fail_msg("%s runs in the guest as %s: no agent row",
				 op->name, op_guest_verb(op));
	}
	for (guint i = 0; i < agent->len; i++) {
		if (!in(guest, agent->pdata[i]))
			fail_msg("agent row %s: no row of the table runs it",
				 (char *)agent->pdata[i]);
	}
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every test-driver command the agent sends is one the driver knows: its
 * name appears as a string in hw/kmod/iommusim_test.c (the driver is
 * built only into the guest's kernel, so this reads its source). */
static void agent_commands_exist_in_the_test_driver(void **state)
{
	g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *src = NULL;

	g_ptr_array_unref(agent_verbs(ops)); /* its commands, in @ops */

	assert_true(g_file_get_contents(IOMMUSIM_SOURCE_DIR
					"/hw/kmod/iommusim_test.c",
					&src, NULL, NULL));
	assert_true(ops->len > 0);
	for (guint i = 0; i < ops->len; i++) {
		g_autofree char *quoted =
			g_strdup_printf("\"%s\"", (char *)ops->pdata[i]);

		if (!strstr(src, quoted))
			fail_msg("the agent sends %s: not a command of the "
				 "test driver",
				 (char *)ops->pdata[i]);
	}
}

/* "`a`, `b`" -> a, b: the verbs a docs table row names. */
static void doc_verbs(const char *cell, GPtrArray *out)
{
	g_auto(GStrv) parts = g_strsplit(cell, "`", -1);

	for (int i = 1; parts[i]; i += 2)
		g_ptr_array_add(out, g_strdup(parts[i]));
}

/* The keys a docs cell spells as `key=...`, sorted, comma-joined. */
static char *doc_keys(const char *cell)
{
	g_auto(GStrv) parts = g_strsplit(cell, "`", -1);
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	GString *s = g_string_new(NULL);

	for (int i = 1; parts[i]; i += 2) {
		size_t n = strspn(parts[i],
				  "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ_.0123456789");

		if (n && parts[i][n] == '=')
			g_ptr_array_add(keys, g_strndup(parts[i], n));
	}
	g_ptr_array_sort(keys, cmp_str);
	for (guint i = 0; i < keys->len; i++) {
		if (i && !strcmp(keys->pdata[i], keys->pdata[i - 1]))
			continue;
		g_string_append_printf(s, "%s%s", s->len ? "," : "",
				       (char *)keys->pdata[i]);
	}
	return g_string_free(s, FALSE);
}

/* The table's arguments of @op, sorted, comma-joined; only= is
 * documented once for all operations. */
static char *row_keys(const struct op *op)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	GString *s = g_string_new(NULL);

	for (const struct arg_spec *a = op->args; a->key; a++) {
		if (strcmp(a->key, "only"))
			g_ptr_array_add(keys, (gpointer)a->key);
	}
	g_ptr_array_sort(keys, cmp_str);
	for (guint i = 0; i < keys->len; i++)
		g_string_append_printf(s, "%s%s", s->len ? "," : "",
				       (char *)keys->pdata[i]);
	return g_string_free(s, FALSE);
}

/* verb -> conv(cell @col) of every "| `verb` | args | ..." row of
 * docs/scenario-language.md that has that column */
static GHashTable *doc_column(guint col, char *(*conv)(const char *cell))
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GHashTable *t =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	assert_true(g_file_get_contents(IOMMUSIM_SOURCE_DIR
					"/docs/scenario-language.md",
					&text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_auto(GStrv) cells = NULL;
		g_autoptr(GPtrArray) verbs = NULL;

		if (!g_str_has_prefix(*l, "| `"))
			continue;
		cells = g_strsplit(*l, " | ", -1);
		if (g_strv_length(cells) <= col)
			continue;
		verbs = g_ptr_array_new_with_free_func(g_free);
		doc_verbs(cells[0], verbs);
		for (guint i = 0; i < verbs->len; i++)
			g_hash_table_insert(t, g_strdup(verbs->pdata[i]),
					    conv(cells[col]));
	}
	return t;
}

static char *dup_cell(const char *cell)
{
	return g_strdup(cell);
}

/* Where the docs say which 7.3 function a verb is, it is the row's. */
static void docs_name_each_verbs_kernel_function(void **state)
{
	/* the "Linux 7.3" column of the three-column tables */
	g_autoptr(GHashTable) cells = doc_column(2, dup_cell);
	guint wrong = 0;

	assert_true(g_hash_table_size(cells) > 50);
	for (const struct op *op = op_table; op->name; op++) {
		const char *cell = g_hash_table_lookup(cells, op->name);
		g_auto(GStrv) each = NULL;

		if (!cell || !op->kfunc)
			continue;
		each = g_strsplit(op->kfunc, ", ", -1);
		for (char **e = each; *e; e++) {
			g_autofree char *call =
				g_strdup_printf("%s()", strrchr(*e, ':') + 1);

			if (!strstr(cell, call)) {
				print_message("%s: the docs' Linux 7.3 column "
					      "does not name %s\n",
					      op->name, call);
				wrong++;
			}
		}
	}
	assert_int_equal(0, wrong);
}

static void docs_list_exactly_the_tables_verbs_and_arguments(void **state)
{
	g_autoptr(GHashTable) docs = doc_column(1, doc_keys);
	guint rows = 0, wrong = 0;

	for (const struct op *op = op_table; op->name; op++, rows++) {
		const char *doc = g_hash_table_lookup(docs, op->name);
		g_autofree char *keys = row_keys(op);

		if (!doc || strcmp(doc, keys)) {
			print_message("%s: the docs list arguments %s, the "
				      "table %s\n",
				      op->name, doc ? doc : "(no row)", keys);
			wrong++;
		}
	}
	assert_int_equal(0, wrong);
	assert_int_equal(rows, g_hash_table_size(docs));
}

/* A numeric out field (an iommufd id, a length): a handle binds the
 * number, a number asserts it. The rows of the coming uapi verbs look
 * like this one. */
static const struct handle_type ht_id = { .name = "id", .numeric = true };
static const struct arg_spec a_uapi[] = {
	{ .key = "out_ioas_id", .type = T_OUT, .htype = &ht_id },
	{ .key = "out_length", .type = T_OUT },
	{ .key = NULL },
};
static const struct op uapi_row = { .name = "IOMMU_TEST",
				    .cls = STEP_OP,
				    .args = a_uapi };

static bool apply(const char *text, uint64_t id, uint64_t len, struct runner *r,
		  struct step_result *sr)
{
	struct scenario *sc = scenario_parse("t.scn", text, NULL);
	bool ok;

	assert_non_null(sc);
	sr->st = sc->stmts->pdata[0];
	r->nouts = 0;
	op_out(r, "out_ioas_id", NULL, id);
	op_out(r, "out_length", NULL, len);
	ok = op_outs_apply(r, &uapi_row, sr, 0);
	scenario_free(sc);
	return ok;
}

static void out_fields_bind_numbers_and_assert_them(void **state)
{
	struct runner r = { .handles = g_hash_table_new_full(
				    g_str_hash, g_str_equal, g_free, g_free) };
	struct step_result sr = { 0 };
	struct scenario *sc;
	struct handle *h;

	assert_true(apply("IOMMU_TEST out_ioas_id=$ioas out_length=0x3000\n", 2,
			  0x3000, &r, &sr));
	h = g_hash_table_lookup(r.handles, "ioas");
	assert_non_null(h);
	assert_ptr_equal(&ht_id, h->type);
	assert_int_equal(2, h->value);
	sc = scenario_parse("t.scn", "IOMMU_TEST ioas_id=$ioas\n", NULL);
	assert_int_equal(2, handle_num(&r, sc->stmts->pdata[0], "ioas_id"));
	scenario_free(sc);
	assert_false(apply("IOMMU_TEST out_ioas_id=2 out_length=0x3000\n", 2,
			   0x2000, &r, &sr));
	assert_string_equal("out_length: expected 0x3000, got 0x2000",
			    sr.failure);
	g_free(sr.failure);
	g_hash_table_destroy(r.handles);
}

/* A uapi row: its arguments fill the struct by offset, its out fields
 * come back from it (what the iommufd and VFIO verbs are made of). */
struct test_cmd {
	uint32_t size;
	uint32_t ioas_id;
	uint64_t iova;
	uint32_t out_id;
	uint32_t reserved;
	uint64_t out_length;
};
#define FIELD(k, t, f)                                                         \
	.key = k, .type = t, .off = offsetof(struct test_cmd, f),              \
	.width = sizeof(((struct test_cmd *)0)->f)
static const struct arg_spec a_cmd[] = {
	{ FIELD("ioas_id", T_HANDLE, ioas_id), .htype = &ht_id },
	{ FIELD("iova", T_NUM, iova) },
	{ FIELD("out_id", T_OUT, out_id), .htype = &ht_id },
	{ FIELD("out_length", T_OUT, out_length) },
	{ .key = NULL },
};
static const struct op cmd_row = { .name = "IOMMU_TEST_CMD",
				   .cls = STEP_OP,
				   .args = a_cmd,
				   .uapi_size = sizeof(struct test_cmd) };

static void uapi_rows_fill_their_struct_and_read_out_fields(void **state)
{
	struct runner r = { .handles = g_hash_table_new_full(
				    g_str_hash, g_str_equal, g_free, g_free) };
	struct handle ioas = { .type = &ht_id, .value = 7 };
	struct step_result sr = { 0 };
	struct scenario *sc = scenario_parse(
		"t.scn",
		"IOMMU_TEST_CMD ioas_id=$ioas iova=0x1000 out_id=$hwpt "
		"out_length=0x3000\n",
		NULL);
	struct test_cmd *cmd;
	struct handle *h;

	g_hash_table_insert(r.handles, g_strdup("ioas"),
			    g_memdup2(&ioas, sizeof(ioas)));
	sr.st = sc->stmts->pdata[0];
	cmd = uapi_fill(&r, &cmd_row, sr.st);
	assert_int_equal(sizeof(struct test_cmd), cmd->size);
	assert_int_equal(7, cmd->ioas_id);
	assert_int_equal(0x1000, cmd->iova);
	assert_int_equal(0, cmd->out_id);
	cmd->out_id = 3; /* what the kernel answers */
	cmd->out_length = 0x3000;
	uapi_outs(&r, &cmd_row, cmd);
	assert_true(op_outs_apply(&r, &cmd_row, &sr, 0));
	h = g_hash_table_lookup(r.handles, "hwpt");
	assert_non_null(h);
	assert_int_equal(3, h->value);
	g_free(cmd);
	scenario_free(sc);
	g_hash_table_destroy(r.handles);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_has_a_handler_and_typed_handles),
		cmocka_unit_test(every_check_row_compares_some_field),
		cmocka_unit_test(rows_that_do_not_run_in_the_guest_say_why),
		cmocka_unit_test(pending_rows_name_their_guest_verb),
		cmocka_unit_test(
			every_row_names_its_kernel_function_or_why_not),
		cmocka_unit_test(kernel_functions_are_in_the_7_3_tree),
		cmocka_unit_test(every_guest_verb_has_an_agent_row_and_back),
		cmocka_unit_test(agent_commands_exist_in_the_test_driver),
		cmocka_unit_test(
			docs_list_exactly_the_tables_verbs_and_arguments),
		cmocka_unit_test(docs_name_each_verbs_kernel_function),
		cmocka_unit_test(out_fields_bind_numbers_and_assert_them),
		cmocka_unit_test(
			uapi_rows_fill_their_struct_and_read_out_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
