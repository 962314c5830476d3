// SPDX-License-Identifier: MIT
/*
 * test_parse.c - the scenario parser: values, expectations, continuation
 * lines, positions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "scenario.h"
#include "run.h"

static struct scenario *parse_ok(const char *text)
{
	GError *err = NULL;
	struct scenario *sc = scenario_parse("t.scn", text, &err);

	if (!sc)
		fail_msg("%s", err->message);
	return sc;
}

static void numbers_take_binary_suffixes(void **state)
{
	struct scenario *sc = parse_ok("v a=4K b=0x10 c=2M d=7\n");
	struct statement *st = sc->stmts->pdata[0];

	assert_int_equal(4096, stmt_arg(st, "a")->val.num);
	assert_int_equal(16, stmt_arg(st, "b")->val.num);
	assert_int_equal(2 << 20, stmt_arg(st, "c")->val.num);
	assert_int_equal(VAL_NUMBER, stmt_arg(st, "d")->val.kind);
	scenario_free(sc);
}

static void addresses_stay_words(void **state)
{
	struct scenario *sc =
		parse_ok("v addr=1c.0 h=$dom s=\"a \\\"b\\\"\"\n");
	struct statement *st = sc->stmts->pdata[0];

	assert_int_equal(VAL_IDENT, stmt_arg(st, "addr")->val.kind);
	assert_string_equal("1c.0", stmt_arg(st, "addr")->val.text);
	assert_int_equal(VAL_HANDLE, stmt_arg(st, "h")->val.kind);
	assert_string_equal("dom", stmt_arg(st, "h")->val.text);
	assert_string_equal("a \"b\"", stmt_arg(st, "s")->val.text);
	scenario_free(sc);
}

static void lists_and_profiled_expectations(void **state)
{
	struct scenario *sc = parse_ok(
		"v devices=a,b,c => linux-7.3:EINVAL rfc-2022-v1:ok+WARN\n");
	struct statement *st = sc->stmts->pdata[0];
	const struct outcome *o7 = stmt_expect(st, "linux-7.3");
	const struct outcome *orfc = stmt_expect(st, "rfc-2022-v1");

	assert_int_equal(3, stmt_arg(st, "devices")->val.items->len);
	assert_int_equal(OUT_ERRNO, o7->kind);
	assert_int_equal(22, o7->err);
	assert_int_equal(OUT_OK, orfc->kind);
	assert_true(orfc->warn);
	scenario_free(sc);
}

static void continuation_keeps_source_positions(void **state)
{
	struct scenario *sc = parse_ok("# header\n\nv a=1 \\\n  b=2 # c\nw\n");
	struct statement *v = sc->stmts->pdata[0];
	struct statement *w = sc->stmts->pdata[1];

	assert_int_equal(2, sc->stmts->len);
	assert_int_equal(3, v->line);
	assert_int_equal(4, stmt_arg(v, "b")->val.line);
	assert_int_equal(5, stmt_arg(v, "b")->val.col);
	assert_int_equal(5, w->line);
	assert_string_equal("header\n", sc->header);
	scenario_free(sc);
}

static void fault_outcomes_parse(void **state)
{
	struct scenario *sc = parse_ok("dma => FAULT_PERMISSION\n");
	const struct outcome *o = stmt_expect(sc->stmts->pdata[0], "linux-7.3");
	char *s = outcome_str(o);

	assert_int_equal(OUT_FAULT, o->kind);
	assert_string_equal("FAULT_PERMISSION", s);
	g_free(s);
	scenario_free(sc);
}

static void error_names_line_and_column(void **state)
{
	GError *err = NULL;

	assert_null(scenario_parse("t.scn", "v a=1\nv b\n", &err));
	assert_string_equal(
		"t.scn:2:4: expected '=' after 'b', got end of line",
		err->message);
	g_error_free(err);
}

static void parse_error(const char *want, const char *text)
{
	GError *err = NULL;

	assert_null(scenario_parse("t.scn", text, &err));
	assert_string_equal(want, err->message);
	g_error_free(err);
}

/* tests/bad/ cannot hold an empty file (it needs its "# expect-error:") */
static void empty_text_is_no_scenario(void **state)
{
	parse_error("t.scn:1:1: expected a statement (a machine, boot, then "
		    "operations), the file has none",
		    "");
	parse_error("t.scn:1:1: expected a statement (a machine, boot, then "
		    "operations), the file has none",
		    "\n  \n\t\n");
}

static void crlf_continuations_keep_positions(void **state)
{
	struct scenario *sc = parse_ok("v a=1 \\\r\n  b=2\r\nw\r\n");
	struct statement *v = sc->stmts->pdata[0];

	assert_int_equal(2, sc->stmts->len);
	assert_int_equal(2, stmt_arg(v, "b")->val.line);
	assert_int_equal(5, stmt_arg(v, "b")->val.col);
	scenario_free(sc);
}

/* a backslash on the last line continues nothing: it is a stray word */
static void backslash_at_end_of_file_is_refused(void **state)
{
	parse_error("t.scn:2:3: expected an argument (key=value) or '=>', got "
		    "'\\'",
		    "v\nw \\");
}

static void a_lone_carriage_return_is_refused(void **state)
{
	parse_error("t.scn:1:6: expected UTF-8 text, got a control character "
		    "(0x0d)",
		    "v a=1\rb=2\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_take_binary_suffixes),
		cmocka_unit_test(addresses_stay_words),
		cmocka_unit_test(lists_and_profiled_expectations),
		cmocka_unit_test(continuation_keeps_source_positions),
		cmocka_unit_test(fault_outcomes_parse),
		cmocka_unit_test(error_names_line_and_column),
		cmocka_unit_test(empty_text_is_no_scenario),
		cmocka_unit_test(crlf_continuations_keep_positions),
		cmocka_unit_test(backslash_at_end_of_file_is_refused),
		cmocka_unit_test(a_lone_carriage_return_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
