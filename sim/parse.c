// SPDX-License-Identifier: MIT
/*
 * parse.c - scenario text to struct scenario (docs/scenario-language.md).
 * Line oriented: a statement is a verb, key=value arguments, and an
 * optional "=> expectation". Errors name path:line:col and what was
 * expected; nothing is returned on error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "source.h"
#include "errnames.h"
#include "model/profile.h"

G_DEFINE_QUARK(iommusim - error - quark, iommusim_error)

/*
 * Bounds on what one file may ask of the parser, so that a small or
 * malformed input costs little and is refused clearly: no valid scenario
 * comes near them (the corpus's longest word is 40 bytes, its longest
 * string 100, its longest list 4 items).
 */
#define MAX_WORD 256	/* identifiers, numbers, handles */
#define MAX_STRING 4096 /* "..." */
#define MAX_ARGS 64	/* arguments of one statement */
#define MAX_LIST 4096	/* items of one list */
/* Everything is parsed before the validator looks: these bound what a
 * file can make the parser build (~100 bytes a value or statement). */
#define MAX_STATEMENTS 500000 /* 5x a 10^5-device machine */
#define MAX_VALUES 1000000    /* arguments and list items */
#define MAX_ECHO 40	      /* bytes of a bad token quoted back */

struct lexer {
	const char *path;
	const char *s; /* current line (continuations joined) */
	int line;
	int pos;
	GError **err;
	int *colmap;  /* joined-line index -> source column */
	int *linemap; /* joined-line index -> source line */
	int values;   /* arguments and list items so far in the file */
};

static int col_of(struct lexer *lx, int pos)
{
	return lx->colmap[pos];
}

static void *fail(struct lexer *lx, int pos, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

void scenario_error(GError **err, const char *path, int line, int col,
		    const char *fmt, va_list ap)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);

	g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT, "%s:%d:%d: %s",
		    path, line, col, msg);
}

static void *fail(struct lexer *lx, int pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scenario_error(lx->err, lx->path, lx->linemap[pos], col_of(lx, pos),
		       fmt, ap);
	va_end(ap);
	return NULL;
}

static bool is_word_char(char c)
{
	return c && !g_ascii_isspace(c) && c != '=' && c != ',' && c != '#' &&
	       c != '"';
}

static void skip_space(struct lexer *lx)
{
	while (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t')
		lx->pos++;
}

static bool at_end(struct lexer *lx)
{
	skip_space(lx);
	return !lx->s[lx->pos] || lx->s[lx->pos] == '#';
}

/* At most MAX_ECHO bytes of @s, cut at a UTF-8 character boundary (the
 * text is valid UTF-8: scenario_parse checked), "..." when cut. */
static char *echo(const char *s, size_t len)
{
	size_t n = len;

	if (n <= MAX_ECHO)
		return g_strndup(s, n);
	n = MAX_ECHO;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return g_strdup_printf("%.*s...", (int)n, s);
}

/* The word at the position; NULL (error set) past MAX_WORD bytes. */
static char *read_word(struct lexer *lx)
{
	int start = lx->pos;

	while (is_word_char(lx->s[lx->pos]))
		lx->pos++;
	if (lx->pos - start > MAX_WORD) {
		g_autofree char *tok = echo(lx->s + start, lx->pos - start);

		return fail(lx, start,
			    "expected a word of at most %d bytes, got '%s' "
			    "(%d bytes)",
			    MAX_WORD, tok, lx->pos - start);
	}
	return g_strndup(lx->s + start, lx->pos - start);
}

/* What the lexer sees at its position, for "expected X, got Y". */
static const char *describe(struct lexer *lx)
{
	static char buf[MAX_ECHO + 16];
	const char *p = lx->s + lx->pos;
	g_autofree char *tok = NULL;

	if (!*p || *p == '#')
		return "end of line";
	if (*p == ' ' || *p == '\t')
		return "a space";
	tok = echo(p, strcspn(p, " \t"));
	g_snprintf(buf, sizeof(buf), "'%s'", tok);
	return buf;
}

bool scenario_is_ident(const char *w)
{
	if (!g_ascii_isalpha(w[0]) && w[0] != '_')
		return false;
	for (const char *p = w; *p; p++) {
		if (!g_ascii_isalnum(*p) && !strchr("_.-", *p))
			return false;
	}
	return true;
}

/* decimal or 0x hex, optional binary K/M/G/T suffix: 0, -EINVAL when
 * @w is not a number, -ERANGE when it is one past 64 bits */
static int number(const char *w, uint64_t *out)
{
	static const char suffixes[] = "KMGT";
	char *end;
	uint64_t v, mul = 1;
	const char *sfx;

	if (!g_ascii_isdigit(w[0]))
		return -EINVAL;
	errno = 0;
	v = g_ascii_strtoull(w, &end, 0);
	if (end == w || (errno && errno != ERANGE))
		return -EINVAL;
	if (*end) {
		sfx = strchr(suffixes, *end);
		if (!sfx || end[1])
			return -EINVAL;
		mul = 1ull << (10 * (sfx - suffixes + 1));
	}
	if (errno == ERANGE || v > UINT64_MAX / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

bool scenario_parse_number(const char *w, uint64_t *out)
{
	return number(w, out) == 0;
}

static bool read_string(struct lexer *lx, struct value *v)
{
	g_autoptr(GString) s = g_string_new(NULL);
	int start = lx->pos++;

	for (;;) {
		char c = lx->s[lx->pos];

		if (!c)
			return fail(lx, start, "unterminated string");
		if (s->len >= MAX_STRING)
			return fail(lx, start,
				    "expected a string of at most %d bytes",
				    MAX_STRING);
		lx->pos++;
		if (c == '"')
			break;
		if (c == '\\') {
			c = lx->s[lx->pos++];
			if (c == 'n')
				c = '\n';
			else if (c != '"' && c != '\\')
				return fail(lx, lx->pos - 2,
					    "expected \\\", \\\\ or \\n "
					    "in a string");
		}
		g_string_append_c(s, c);
	}
	v->kind = VAL_STRING;
	v->text = g_string_free(g_steal_pointer(&s), FALSE);
	return true;
}

/* A word that is a number is VAL_NUMBER; other words (addresses such as
 * 1c.0, names) stay VAL_IDENT for the validator to judge. */
static bool classify_word(struct lexer *lx, int start, char *w, struct value *v)
{
	int ret = number(w, &v->num);

	v->text = w;
	v->kind = ret ? VAL_IDENT : VAL_NUMBER;
	if (ret == -ERANGE) {
		g_autofree char *tok = echo(w, strlen(w));

		return fail(lx, start, "expected a number below 2^64, got '%s'",
			    tok);
	}
	return true;
}

static bool read_scalar(struct lexer *lx, struct value *v)
{
	int start = lx->pos;
	char *w;

	v->line = lx->linemap[start];
	v->col = col_of(lx, start);
	if (++lx->values > MAX_VALUES)
		return fail(lx, start,
			    "expected at most %d values (arguments and list "
			    "items) in a file",
			    MAX_VALUES);
	if (lx->s[lx->pos] == '"')
		return read_string(lx, v);
	w = read_word(lx);
	if (!w)
		return false;
	if (!*w) {
		g_free(w);
		return fail(lx, start, "expected a value, got %s",
			    describe(lx));
	}
	if (w[0] != '$')
		return classify_word(lx, start, w, v);
	v->kind = VAL_HANDLE;
	v->text = g_strdup(w + 1);
	if (!scenario_is_ident(w + 1)) {
		g_autofree char *tok = echo(w, strlen(w));

		g_free(w);
		return fail(lx, start,
			    "expected a handle name after '$', got '%s'", tok);
	}
	g_free(w);
	return true;
}

static void value_clear(struct value *v)
{
	g_free(v->text);
	if (v->items)
		g_ptr_array_free(v->items, TRUE);
}

static void value_free(gpointer p)
{
	value_clear(p);
	g_free(p);
}

static bool read_value(struct lexer *lx, struct value *v)
{
	struct value *first;

	if (!read_scalar(lx, v))
		return false;
	if (lx->s[lx->pos] != ',')
		return true;
	first = g_new(struct value, 1);
	*first = *v;
	memset(v, 0, sizeof(*v));
	v->kind = VAL_LIST;
	v->line = first->line;
	v->col = first->col;
	v->items = g_ptr_array_new_with_free_func(value_free);
	g_ptr_array_add(v->items, first);
	while (lx->s[lx->pos] == ',') {
		struct value *item;

		if (v->items->len >= MAX_LIST)
			return fail(lx, lx->pos,
				    "expected a list of at most %d items",
				    MAX_LIST);
		item = g_new0(struct value, 1);
		lx->pos++;
		g_ptr_array_add(v->items, item);
		if (!read_scalar(lx, item))
			return false;
	}
	return true;
}

static void arg_free(gpointer p)
{
	struct arg *a = p;

	g_free(a->key);
	value_clear(&a->val);
	g_free(a);
}

static void expect_free(gpointer p)
{
	struct expect *e = p;

	g_free(e->profile);
	g_free(e);
}

static void statement_free(gpointer p)
{
	struct statement *st = p;

	g_free(st->verb);
	g_ptr_array_free(st->args, TRUE);
	g_ptr_array_free(st->expects, TRUE);
	g_free(st);
}

static bool parse_outcome(struct lexer *lx, int pos, const char *w,
			  struct outcome *out)
{
	char *plus = strstr(w, "+WARN");
	g_autofree char *base =
		plus && !plus[5] ? g_strndup(w, plus - w) : g_strdup(w);
	g_autofree char *tok = NULL;
	int err;

	out->col = col_of(lx, pos);
	out->warn = plus && !plus[5];
	if (!strcmp(base, "ok"))
		out->kind = OUT_OK;
	else if (!strcmp(base, "WARN") && !out->warn)
		out->kind = OUT_WARN, out->warn = true;
	else if (!strcmp(base, "absent") && !out->warn)
		out->kind = OUT_ABSENT;
	else if (!strcmp(base, "UB") && !out->warn)
		out->kind = OUT_UB;
	else if (!strcmp(base, "BLOCKS") && !out->warn)
		out->kind = OUT_BLOCKS;
	else if ((err = errno_from_name(base)) > 0)
		out->kind = OUT_ERRNO, out->err = err;
	else if (!fault_from_name(base, &out->err))
		out->kind = OUT_FAULT;
	else if (scenario_parse_number(base, &out->value))
		out->kind = OUT_VALUE;
	else {
		tok = echo(w, strlen(w));
		return fail(lx, pos,
			    "expected ok, an errno name (EPERM, EBUSY, ...), "
			    "a number, a FAULT_ name, WARN, UB, BLOCKS or "
			    "absent, got "
			    "'%s'",
			    tok);
	}
	return true;
}

/* One outcome per profile: a bare outcome is every profile's, so a
 * second bare one, or a bare one beside a profiled one, contradicts. */
static bool unique_outcome(struct lexer *lx, int pos, struct statement *st,
			   const struct expect *e, const char *w)
{
	for (guint i = 0; i + 1 < st->expects->len; i++) {
		const struct expect *o = st->expects->pdata[i];
		g_autofree char *tok = NULL;

		if (e->profile && o->profile && strcmp(e->profile, o->profile))
			continue;
		tok = echo(w, strlen(w));
		return fail(lx, pos,
			    "expected one outcome per profile, got a second "
			    "one for %s: '%s'",
			    e->profile	 ? e->profile
			    : o->profile ? o->profile
					 : "every profile",
			    tok);
	}
	return true;
}

static bool parse_one_expectation(struct lexer *lx, struct statement *st)
{
	int pos = lx->pos;
	g_autofree char *w = read_word(lx);
	struct expect *e;
	char *colon;

	if (!w)
		return false;
	if (!*w)
		return fail(lx, pos, "expected an outcome, got %s",
			    describe(lx));
	/* `=> ok only=linux-7.3`: an argument typed after the outcome
	 * would otherwise read as a second outcome named 'only'. */
	if (lx->s[lx->pos] == '=' && lx->s[lx->pos + 1] != '>') {
		g_autofree char *tok = echo(w, strlen(w));

		return fail(lx, pos,
			    "expected an outcome, got the argument '%s=' "
			    "(arguments come before '=>')",
			    tok);
	}
	e = g_new0(struct expect, 1);
	g_ptr_array_add(st->expects, e);
	colon = strrchr(w, ':');
	if (colon) {
		e->profile = g_strndup(w, colon - w);
		if (!scenario_profile_known(e->profile)) {
			g_autofree char *tok =
				echo(e->profile, strlen(e->profile));
			g_autofree char *names =
				iommu_profile_names_joined(", ");

			return fail(lx, pos,
				    "expected a profile name (%s), got '%s'",
				    names, tok);
		}
	}
	if (!unique_outcome(lx, pos, st, e, w))
		return false;
	if (colon)
		pos += colon - w + 1;
	return parse_outcome(lx, pos, colon ? colon + 1 : w, &e->out);
}

static bool parse_expectations(struct lexer *lx, struct statement *st)
{
	st->has_arrow = true;
	st->arrow_col = col_of(lx, lx->pos);
	lx->pos += 2;
	if (at_end(lx))
		return fail(lx, lx->pos, "expected an outcome after '=>'");
	while (!at_end(lx)) {
		if (!parse_one_expectation(lx, st))
			return false;
	}
	return true;
}

static bool parse_arg(struct lexer *lx, struct statement *st)
{
	int pos = lx->pos;
	struct arg *a;

	if (st->args->len >= MAX_ARGS)
		return fail(lx, pos, "expected at most %d arguments", MAX_ARGS);
	a = g_new0(struct arg, 1);
	g_ptr_array_add(st->args, a);
	a->col = col_of(lx, pos);
	a->key = read_word(lx);
	if (!a->key)
		return false;
	if (!scenario_is_ident(a->key)) {
		lx->pos = pos;
		return fail(lx, pos,
			    "expected an argument (key=value) or '=>', got %s",
			    describe(lx));
	}
	for (guint i = 0; i + 1 < st->args->len; i++) {
		if (!strcmp(((struct arg *)st->args->pdata[i])->key, a->key))
			return fail(lx, pos, "argument '%s' given twice",
				    a->key);
	}
	if (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t')
		return fail(lx, lx->pos,
			    "expected '=' right after '%s' (key=value, "
			    "without spaces), got a space",
			    a->key);
	if (lx->s[lx->pos] != '=')
		return fail(lx, lx->pos, "expected '=' after '%s', got %s",
			    a->key, describe(lx));
	lx->pos++;
	return read_value(lx, &a->val);
}

static bool parse_rest(struct lexer *lx, struct statement *st)
{
	while (!at_end(lx)) {
		if (!strncmp(lx->s + lx->pos, "=>", 2))
			return parse_expectations(lx, st);
		if (!parse_arg(lx, st))
			return false;
		if (lx->s[lx->pos] && !g_ascii_isspace(lx->s[lx->pos]) &&
		    lx->s[lx->pos] != '#')
			return fail(lx, lx->pos,
				    "expected a space after the value, got %s",
				    describe(lx));
	}
	return true;
}

static struct statement *parse_statement(struct lexer *lx)
{
	struct statement *st = g_new0(struct statement, 1);
	int pos;

	st->args = g_ptr_array_new_with_free_func(arg_free);
	st->expects = g_ptr_array_new_with_free_func(expect_free);
	skip_space(lx);
	pos = lx->pos;
	st->line = lx->linemap[pos];
	st->col = col_of(lx, pos);
	st->verb = read_word(lx);
	if (!st->verb)
		goto err;
	if (!scenario_is_ident(st->verb)) {
		lx->pos = pos;
		fail(lx, pos, "expected a verb, got %s", describe(lx));
		goto err;
	}
	if (!parse_rest(lx, st))
		goto err;
	return st;
err:
	statement_free(st);
	return NULL;
}

/* Nothing but comments and blank lines is no scenario: refused, where a
 * run would otherwise "pass" having checked nothing. */
static bool check_not_empty(struct scenario *sc, GError **err)
{
	if (sc->stmts->len)
		return true;
	g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
		    "%s:1:1: expected a statement (a machine, boot, then "
		    "operations), the file has %s",
		    sc->path, *sc->header ? "only comments" : "none");
	return false;
}

/* One logical line: blank, a comment, or a statement added to @sc. */
static bool parse_line(struct lexer *lx, struct scenario *sc)
{
	struct statement *st;

	if (at_end(lx))
		return true;
	if (sc->stmts->len >= MAX_STATEMENTS)
		return fail(lx, lx->pos, "expected at most %d statements",
			    MAX_STATEMENTS);
	st = parse_statement(lx);
	if (st)
		g_ptr_array_add(sc->stmts, st);
	return st != NULL;
}

struct scenario *scenario_parse_bytes(const char *path, const char *text,
				      size_t len, GError **err)
{
	struct scenario *sc = g_new0(struct scenario, 1);
	struct source src = { .p = text, .end = text + len, .line = 1 };
	GArray *cols, *lns;
	struct lexer lx = { .path = path, .err = err };
	char *line;
	bool ok = true;

	sc->path = g_strdup(path);
	sc->stmts = g_ptr_array_new_with_free_func(statement_free);
	if (!source_check_text(path, text, len, err)) {
		scenario_free(sc);
		return NULL;
	}
	cols = g_array_new(FALSE, FALSE, sizeof(int));
	lns = g_array_new(FALSE, FALSE, sizeof(int));
	sc->header = source_leading_comments(src);
	while (ok && (line = source_logical_line(&src, cols, lns))) {
		lx.s = line;
		lx.pos = 0;
		lx.colmap = (int *)cols->data;
		lx.linemap = (int *)lns->data;
		ok = parse_line(&lx, sc);
		g_free(line);
	}
	if (!ok || !check_not_empty(sc, err)) {
		scenario_free(sc);
		sc = NULL;
	}
	g_array_free(cols, TRUE);
	g_array_free(lns, TRUE);
	return sc;
}

struct scenario *scenario_parse(const char *path, const char *text,
				GError **err)
{
	return scenario_parse_bytes(path, text, strlen(text), err);
}

struct scenario *scenario_load(const char *path, GError **err)
{
	size_t len;
	g_autofree char *text = source_read_bounded(path, &len, err);

	return text ? scenario_parse_bytes(path, text, len, err) : NULL;
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	g_ptr_array_free(sc->stmts, TRUE);
	g_free(sc->header);
	g_free(sc->path);
	g_free(sc);
}

const struct arg *stmt_arg(const struct statement *st, const char *key)
{
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];

		if (!strcmp(a->key, key))
			return a;
	}
	return NULL;
}

const struct outcome *stmt_expect(const struct statement *st,
				  const char *profile)
{
	const struct outcome *any = NULL;

	for (guint i = 0; i < st->expects->len; i++) {
		const struct expect *e = st->expects->pdata[i];

		if (!e->profile)
			any = &e->out;
		else if (!strcmp(e->profile, profile))
			return &e->out;
	}
	return any;
}
