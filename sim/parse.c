// SPDX-License-Identifier: MIT
/*
 * parse.c - scenario text to struct scenario (docs/scenario-language.md).
 * Line oriented: a statement is a verb, key=value arguments, and an
 * optional "=> expectation". Errors name path:line:col and what was
 * expected; nothing is returned on error.
 */
#include <errno.h>
#include <string.h>

#include "scenario.h"
#include "errnames.h"

G_DEFINE_QUARK(iommusim - error - quark, iommusim_error)

struct lexer {
	const char *path;
	const char *s; /* current line (continuations joined) */
	int line;
	int pos;
	GError **err;
	int *colmap;  /* joined-line index -> source column */
	int *linemap; /* joined-line index -> source line */
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

static char *read_word(struct lexer *lx)
{
	int start = lx->pos;

	while (is_word_char(lx->s[lx->pos]))
		lx->pos++;
	return g_strndup(lx->s + start, lx->pos - start);
}

static const char *describe(struct lexer *lx)
{
	static char buf[64];
	char c = lx->s[lx->pos];

	if (!c || c == '#')
		return "end of line";
	g_snprintf(buf, sizeof(buf), "'%.*s'",
		   (int)strcspn(lx->s + lx->pos, " \t"), lx->s + lx->pos);
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

/* decimal or 0x hex, optional binary K/M/G/T suffix */
bool scenario_parse_number(const char *w, uint64_t *out)
{
	static const char suffixes[] = "KMGT";
	char *end;
	uint64_t v, mul = 1;
	const char *sfx;

	if (!g_ascii_isdigit(w[0]))
		return false;
	errno = 0;
	v = g_ascii_strtoull(w, &end, 0);
	if (errno || end == w)
		return false;
	if (*end) {
		sfx = strchr(suffixes, *end);
		if (!sfx || end[1])
			return false;
		mul = 1ull << (10 * (sfx - suffixes + 1));
		if (v > UINT64_MAX / mul)
			return false;
	}
	*out = v * mul;
	return true;
}

static bool read_string(struct lexer *lx, struct value *v)
{
	GString *s = g_string_new(NULL);
	int start = lx->pos++;

	for (;;) {
		char c = lx->s[lx->pos];

		if (!c) {
			g_string_free(s, TRUE);
			fail(lx, start, "unterminated string");
			return false;
		}
		lx->pos++;
		if (c == '"')
			break;
		if (c == '\\') {
			c = lx->s[lx->pos++];
			if (c == 'n')
				c = '\n';
			else if (c != '"' && c != '\\') {
				g_string_free(s, TRUE);
				fail(lx, lx->pos - 2,
				     "expected \\\", \\\\ or \\n in a string");
				return false;
			}
		}
		g_string_append_c(s, c);
	}
	v->kind = VAL_STRING;
	v->text = g_string_free(s, FALSE);
	return true;
}

static bool read_scalar(struct lexer *lx, struct value *v)
{
	int start = lx->pos;
	char *w;

	v->line = lx->linemap[start];
	v->col = col_of(lx, start);
	if (lx->s[lx->pos] == '"')
		return read_string(lx, v);
	w = read_word(lx);
	if (!*w) {
		g_free(w);
		fail(lx, start, "expected a value, got %s", describe(lx));
		return false;
	}
	if (w[0] == '$') {
		if (!scenario_is_ident(w + 1)) {
			fail(lx, start,
			     "expected a handle name after '$', "
			     "got '%s'",
			     w);
			g_free(w);
			return false;
		}
		v->kind = VAL_HANDLE;
		v->text = g_strdup(w + 1);
		g_free(w);
		return true;
	}
	v->text = w;
	if (g_ascii_isdigit(w[0]) && scenario_parse_number(w, &v->num))
		v->kind = VAL_NUMBER;
	else
		v->kind = VAL_IDENT; /* addresses such as 1c.0 stay words */
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
		struct value *item = g_new0(struct value, 1);

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
	int err;

	out->col = col_of(lx, pos);
	out->warn = plus && !plus[5];
	if (!strcmp(base, "ok"))
		out->kind = OUT_OK;
	else if (!strcmp(base, "WARN") && !out->warn)
		out->kind = OUT_WARN, out->warn = true;
	else if (!strcmp(base, "absent") && !out->warn)
		out->kind = OUT_ABSENT;
	else if ((err = errno_from_name(base)) > 0)
		out->kind = OUT_ERRNO, out->err = err;
	else if (!fault_from_name(base, &out->err))
		out->kind = OUT_FAULT;
	else if (scenario_parse_number(base, &out->value))
		out->kind = OUT_VALUE;
	else {
		fail(lx, pos,
		     "expected ok, an errno name (EPERM, EBUSY, ...), "
		     "a number, a FAULT_ name, WARN or absent, got '%s'",
		     w);
		return false;
	}
	return true;
}

static bool parse_expectations(struct lexer *lx, struct statement *st)
{
	st->has_arrow = true;
	st->arrow_col = col_of(lx, lx->pos);
	lx->pos += 2;
	if (at_end(lx)) {
		fail(lx, lx->pos, "expected an outcome after '=>'");
		return false;
	}
	while (!at_end(lx)) {
		int pos = lx->pos;
		g_autofree char *w = read_word(lx);
		struct expect *e = g_new0(struct expect, 1);
		char *colon = strrchr(w, ':');

		g_ptr_array_add(st->expects, e);
		if (!*w) {
			fail(lx, pos, "expected an outcome, got %s",
			     describe(lx));
			return false;
		}
		if (colon) {
			e->profile = g_strndup(w, colon - w);
			if (!scenario_profile_known(e->profile)) {
				fail(lx, pos,
				     "expected a profile name "
				     "(linux-7.3, rfc-2022-v1), got "
				     "'%s'",
				     e->profile);
				return false;
			}
			pos += colon - w + 1;
		}
		if (!parse_outcome(lx, pos, colon ? colon + 1 : w, &e->out))
			return false;
	}
	return true;
}

static bool parse_arg(struct lexer *lx, struct statement *st)
{
	int pos = lx->pos;
	struct arg *a = g_new0(struct arg, 1);

	g_ptr_array_add(st->args, a);
	a->col = col_of(lx, pos);
	a->key = read_word(lx);
	if (!scenario_is_ident(a->key)) {
		fail(lx, pos,
		     "expected an argument (key=value) or '=>', got %s",
		     describe(lx));
		return false;
	}
	for (guint i = 0; i + 1 < st->args->len; i++) {
		if (!strcmp(((struct arg *)st->args->pdata[i])->key, a->key)) {
			fail(lx, pos, "argument '%s' given twice", a->key);
			return false;
		}
	}
	if (lx->s[lx->pos] != '=') {
		fail(lx, lx->pos, "expected '=' after '%s', got %s", a->key,
		     describe(lx));
		return false;
	}
	lx->pos++;
	return read_value(lx, &a->val);
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
	if (!scenario_is_ident(st->verb)) {
		fail(lx, pos, "expected a verb, got %s", describe(lx));
		goto err;
	}
	while (!at_end(lx)) {
		if (!strncmp(lx->s + lx->pos, "=>", 2)) {
			if (!parse_expectations(lx, st))
				goto err;
			break;
		}
		if (!parse_arg(lx, st))
			goto err;
		if (lx->s[lx->pos] && !g_ascii_isspace(lx->s[lx->pos]) &&
		    lx->s[lx->pos] != '#') {
			fail(lx, lx->pos,
			     "expected a space after the value, "
			     "got %s",
			     describe(lx));
			goto err;
		}
	}
	return st;
err:
	statement_free(st);
	return NULL;
}

/* Join backslash-continued lines, remembering each character's origin. */
static char *logical_line(char **lines, int n, int *i, GArray *cols,
			  GArray *lns)
{
	GString *s = g_string_new(NULL);

	g_array_set_size(cols, 0);
	g_array_set_size(lns, 0);
	for (;;) {
		const char *l = lines[*i];
		size_t len = strlen(l);
		bool cont;

		if (len && l[len - 1] == '\r')
			len--;
		cont = len && l[len - 1] == '\\' && *i + 1 < n;
		if (cont)
			len--;
		for (size_t c = 0; c < len; c++) {
			int col = c + 1, ln = *i + 1;

			g_string_append_c(s, l[c]);
			g_array_append_val(cols, col);
			g_array_append_val(lns, ln);
		}
		if (!cont)
			break;
		(*i)++;
	}
	/* the end of line is addressable too */
	{
		int col = cols->len
				  ? g_array_index(cols, int, cols->len - 1) + 1
				  : 1;
		int ln = *i + 1;

		g_array_append_val(cols, col);
		g_array_append_val(lns, ln);
	}
	return g_string_free(s, FALSE);
}

static char *leading_comments(char **lines, int n)
{
	GString *h = g_string_new(NULL);

	for (int i = 0; i < n; i++) {
		const char *l = lines[i];

		while (*l == ' ' || *l == '\t')
			l++;
		if (*l != '#')
			break;
		l++;
		if (*l == ' ')
			l++;
		g_string_append(h, l);
		g_string_append_c(h, '\n');
	}
	return g_string_free(h, FALSE);
}

struct scenario *scenario_parse(const char *path, const char *text,
				GError **err)
{
	struct scenario *sc = g_new0(struct scenario, 1);
	char **lines = g_strsplit(text, "\n", -1);
	int n = g_strv_length(lines);
	GArray *cols = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *lns = g_array_new(FALSE, FALSE, sizeof(int));
	struct lexer lx = { .path = path, .err = err };

	sc->path = g_strdup(path);
	sc->stmts = g_ptr_array_new_with_free_func(statement_free);
	sc->header = leading_comments(lines, n);
	for (int i = 0; i < n; i++) {
		g_autofree char *line = logical_line(lines, n, &i, cols, lns);
		struct statement *st;

		lx.s = line;
		lx.pos = 0;
		lx.colmap = (int *)cols->data;
		lx.linemap = (int *)lns->data;
		if (at_end(&lx))
			continue;
		st = parse_statement(&lx);
		if (!st) {
			scenario_free(sc);
			sc = NULL;
			break;
		}
		g_ptr_array_add(sc->stmts, st);
	}
	g_array_free(cols, TRUE);
	g_array_free(lns, TRUE);
	g_strfreev(lines);
	return sc;
}

struct scenario *scenario_load(const char *path, GError **err)
{
	g_autofree char *text = NULL;
	gsize len;

	if (!g_file_get_contents(path, &text, &len, err))
		return NULL;
	if (memchr(text, '\0', len)) {
		g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
			    "%s:1:1: expected a text file, found a NUL byte",
			    path);
		return NULL;
	}
	return scenario_parse(path, text, err);
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
