// SPDX-License-Identifier: MIT
/*
 * explore_record.c - a search's record (--record FILE) and the merge of
 * N shards' records (explore --merge, docs/explore.md "Sharding").
 *
 * A record is line-oriented text, so a truncated or foreign one is told
 * apart at a line and column:
 *
 *   iommusim explore record 1
 *   file PATH
 *   search text=HASH profile=P vs=B ops=LIST depth=N symmetry=S
 *          findings=F shards=N shard-depth=D        (one line)
 *   shard K stopped WHY                             (WHY: - when it ran to
 *                                                    its depth)
 *   work transitions T pruned P statements R copies C cpu X
 *   state KEY DEPTH TRANSITIONS PRUNED FLAGS        (one a state; FLAGS
 *                                                    its STATE_* bits)
 *   finding LENGTH KIND                             (one a finding, then
 *   signature LINE / detail LINE / scenario LINE     its text, a field a
 *                                                    line)
 *   end
 *
 * What the merge needs is in it: a state's key with the least depth a
 * shard reached it at and the transitions from it there (the levels
 * above the shard depth run in every shard: counted once here), and a
 * finding's signature (two shards reaching one finding are one) with its
 * length and the scenario `iommusim run` replays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "explore_priv.h"

#define RECORD_MAGIC "iommusim explore record 2"

/* ---- writing ---- */

static u64 text_hash(const char *s)
{
	u64 h = 0xcbf29ce484222325ull; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* What makes two records parts of one search (the shard index aside). */
static void write_search(const struct explore_opts *o, GString *out)
{
	g_autofree char *ops = g_strjoinv(",", o->ops);

	g_string_append_printf(
		out,
		"file %s\nsearch text=%016" G_GINT64_MODIFIER "x profile=%s "
		"vs=%s ops=%s depth=%d symmetry=%d findings=%u shards=%u "
		"shard-depth=%u\n",
		o->path, text_hash(o->text), o->profile, o->vs ? o->vs : "-",
		ops, o->depth, !o->no_symmetry,
		o->max_findings ? o->max_findings : 1,
		o->shard_n ? o->shard_n : 1,
		o->shard_depth ? o->shard_depth : 1);
}

/* @text as lines "@field LINE", one for each newline and one after the
 * last (read_text() joins them back, byte for byte) */
static void write_lines(GString *out, const char *field, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i]; i++)
		g_string_append_printf(out, "%s %s\n", field, lines[i]);
}

void explore_record_write(const struct explore_opts *o,
			  const struct explore_stats *st, const GArray *recs,
			  const char *stopped, const struct explore_finding *f,
			  GString *out)
{
	g_string_append(out, RECORD_MAGIC "\n");
	write_search(o, out);
	g_string_append_printf(
		out,
		"shard %u stopped %s\nwork transitions %" G_GUINT64_FORMAT
		" pruned %" G_GUINT64_FORMAT " statements %" G_GUINT64_FORMAT
		" copies %" G_GUINT64_FORMAT " cpu %.3f\n",
		o->shard_k, stopped ? stopped : "-", st->transitions,
		st->pruned, st->replayed, st->copies, st->cpu_seconds);
	for (guint i = 0; recs && i < recs->len; i++) {
		const struct state_rec *r =
			&g_array_index(recs, struct state_rec, i);

		g_string_append_printf(
			out, "state %016" G_GINT64_MODIFIER "x %u %u %u %u\n",
			r->key, r->depth, r->transitions, r->pruned, r->flags);
	}
	for (; f; f = f->next) {
		g_string_append_printf(out, "finding %d %s\n", f->length,
				       f->kind);
		write_lines(out, "signature", f->signature);
		write_lines(out, "detail", f->detail);
		write_lines(out, "scenario", f->scenario);
	}
	g_string_append(out, "end\n");
}

/* ---- reading ---- */

struct record {
	int search_line; /* 1-based */
	char *search;	 /* the search line, without "search " */
	unsigned int shard, shard_line;
	char *stopped; /* NULL: ran to its depth */
	struct explore_stats work;
	GArray *states;	  /* struct state_rec */
	GPtrArray *found; /* struct explore_finding * (next unused) */
};

/* A cursor over one file's lines and, in the line being read, a column. */
struct reader {
	const char *path;
	char **lines;  /* g_strsplit() at newlines: "" after the last */
	int at;	       /* 0-based index of the line being read */
	const char *p; /* in lines[at] */
	GError **err;
};

static bool fail(struct reader *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool fail(struct reader *r, const char *fmt, ...)
{
	const char *l = r->lines[r->at];
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(r->err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
		    "%s:%d:%d: %s", r->path, r->at + 1,
		    l ? (int)(r->p - l) + 1 : 1, msg);
	return false;
}

/* Line @i is past the file's last (the "" after its last newline). */
static bool past_end(char **lines, int i)
{
	return !lines[i] || (!*lines[i] && !lines[i + 1]);
}

/* Whether the next line begins with the word @w. */
static bool peek(const struct reader *r, const char *w)
{
	const char *l = r->lines[r->at + 1];
	size_t n = strlen(w);

	return !past_end(r->lines, r->at + 1) && !strncmp(l, w, n) &&
	       (l[n] == ' ' || !l[n]);
}

/* The word @w next on the line (the cursor then past it and a space). */
static bool word(struct reader *r, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(r->p, w, n) || (r->p[n] != ' ' && r->p[n]))
		return fail(r, "expected '%s', got '%.40s'", w, r->p);
	r->p += n + (r->p[n] == ' ');
	return true;
}

/* Read the next line, which begins with the word @w. */
static bool line(struct reader *r, const char *w)
{
	if (past_end(r->lines, r->at + 1)) {
		r->p = r->lines[r->at] + strlen(r->lines[r->at]);
		return fail(r,
			    "expected a line '%s' after this one, got "
			    "the end of the file (a truncated record)",
			    w);
	}
	r->p = r->lines[++r->at];
	return word(r, w);
}

static bool number(struct reader *r, int base, uint64_t *v)
{
	char *end;

	*v = g_ascii_strtoull(r->p, &end, base);
	if (end == r->p || !g_ascii_isxdigit(*r->p) || (*end && *end != ' '))
		return fail(r, "expected %s number, got '%.20s'",
			    base == 16 ? "a hexadecimal" : "a decimal", r->p);
	r->p = end + (*end == ' ');
	return true;
}

/* A field "@name VALUE" of a line. */
static bool field(struct reader *r, const char *name, uint64_t *v)
{
	return word(r, name) && number(r, 10, v);
}

/* The line read whole (nothing after its last field). */
static bool line_done(struct reader *r)
{
	return !*r->p ||
	       fail(r, "expected the end of the line, got '%.20s'", r->p);
}

static bool read_work(struct reader *r, struct record *rec)
{
	struct explore_stats *w = &rec->work;
	char *end;

	if (!line(r, "work") || !field(r, "transitions", &w->transitions) ||
	    !field(r, "pruned", &w->pruned) ||
	    !field(r, "statements", &w->replayed) ||
	    !field(r, "copies", &w->copies) || !word(r, "cpu"))
		return false;
	w->cpu_seconds = g_ascii_strtod(r->p, &end);
	if (end == r->p || *end)
		return fail(r, "expected seconds ending the line, got '%.20s'",
			    r->p);
	return true;
}

static bool read_head(struct reader *r, struct record *rec)
{
	uint64_t k;

	r->p = r->lines[0];
	if (strcmp(r->p, RECORD_MAGIC))
		return fail(r,
			    "expected '" RECORD_MAGIC "' (a record written "
			    "by iommusim explore --record), got '%.40s'",
			    r->p);
	if (!line(r, "file") || !line(r, "search"))
		return false;
	rec->search_line = r->at + 1;
	rec->search = g_strdup(r->p);
	if (!line(r, "shard") || !number(r, 10, &k) || !word(r, "stopped"))
		return false;
	rec->shard = k;
	rec->shard_line = r->at + 1;
	if (!*r->p)
		return fail(r, "expected why the shard stopped, or '-'");
	rec->stopped = strcmp(r->p, "-") ? g_strdup(r->p) : NULL;
	return read_work(r, rec);
}

static bool read_state(struct reader *r, struct record *rec)
{
	struct state_rec s;
	uint64_t v[4];

	if (!line(r, "state") || !number(r, 16, &s.key) ||
	    !number(r, 10, &v[0]) || !number(r, 10, &v[1]) ||
	    !number(r, 10, &v[2]) || !number(r, 10, &v[3]) || !line_done(r))
		return false;
	s.depth = v[0];
	s.transitions = v[1];
	s.pruned = v[2];
	s.flags = v[3];
	g_array_append_val(rec->states, s);
	return true;
}

/* The lines "@w TEXT" from here on (at least one), joined by newlines:
 * what write_lines() wrote. */
static char *read_text(struct reader *r, const char *w)
{
	GString *t = g_string_new(NULL);
	bool first = true;

	do {
		if (!line(r, w)) {
			g_string_free(t, TRUE);
			return NULL;
		}
		if (!first)
			g_string_append_c(t, '\n');
		g_string_append(t, r->p);
		first = false;
	} while (peek(r, w));
	return g_string_free(t, FALSE);
}

static bool read_finding(struct reader *r, struct record *rec)
{
	struct explore_finding *f = g_new0(struct explore_finding, 1);
	uint64_t len;

	g_ptr_array_add(rec->found, f);
	if (!line(r, "finding") || !number(r, 10, &len))
		return false;
	f->length = len;
	if (!*r->p || strchr(r->p, ' '))
		return fail(r, "expected a finding's kind (one word)");
	f->kind = g_strdup(r->p);
	return (f->signature = read_text(r, "signature")) &&
	       (f->detail = read_text(r, "detail")) &&
	       (f->scenario = read_text(r, "scenario"));
}

static bool read_record(struct reader *r, struct record *rec)
{
	if (!read_head(r, rec))
		return false;
	while (peek(r, "state"))
		if (!read_state(r, rec))
			return false;
	while (peek(r, "finding"))
		if (!read_finding(r, rec))
			return false;
	if (!line(r, "end") || !line_done(r))
		return false;
	if (!past_end(r->lines, r->at + 1)) {
		r->p = r->lines[++r->at];
		return fail(r, "expected the end of the file after 'end'");
	}
	return true;
}

static void record_clear(struct record *rec)
{
	g_free(rec->search);
	g_free(rec->stopped);
	if (rec->states)
		g_array_free(rec->states, TRUE);
	if (rec->found)
		g_ptr_array_free(rec->found, TRUE);
}

static void finding_free1(gpointer p)
{
	struct explore_finding *f = p;

	f->next = NULL;
	explore_finding_free(f);
}

static int record_read(const struct explore_record_file *file,
		       struct record *rec, GError **err)
{
	g_auto(GStrv) lines = g_strsplit(file->text, "\n", -1);
	struct reader r = { .path = file->path, .lines = lines, .err = err };

	rec->states = g_array_new(FALSE, FALSE, sizeof(struct state_rec));
	rec->found = g_ptr_array_new_with_free_func(finding_free1);
	return read_record(&r, rec) ? 0 : -EINVAL;
}

/* ---- merging ---- */

static int input_error(GError **err, const char *path, int line, int col,
		       const char *fmt, ...) G_GNUC_PRINTF(5, 6);
static int input_error(GError **err, const char *path, int line, int col,
		       const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT, "%s:%d:%d: %s",
		    path, line, col, msg);
	return -EINVAL;
}

#define SEARCH_COL 8 /* the column after "search " */

/* @b's search line is @a's: the same FILE text, verbs, depth, profiles,
 * shard count... else the first field that differs, located in @b. */
static int same_search(const struct record *a, const char *apath,
		       const struct record *b, const char *bpath, GError **err)
{
	g_auto(GStrv) x = g_strsplit(a->search, " ", -1);
	g_auto(GStrv) y = g_strsplit(b->search, " ", -1);
	int col = SEARCH_COL;

	for (int i = 0; x[i] || y[i]; i++) {
		if (!x[i] || !y[i] || strcmp(x[i], y[i]))
			return input_error(
				err, bpath, b->search_line, col,
				"expected '%s' as %s:%d has it, got '%s': a "
				"record of another search",
				x[i] ? x[i] : "the end of the line", apath,
				a->search_line, y[i] ? y[i] : "the line's end");
		col += strlen(y[i]) + 1;
	}
	return 0;
}

/* The shard count the search line names, and its column. */
static unsigned int shards_of(const struct record *rec, int *col)
{
	const char *at = strstr(rec->search, " shards=");

	*col = at ? SEARCH_COL + (int)(at - rec->search) + 1 : SEARCH_COL;
	return at ? (unsigned int)g_ascii_strtoull(at + 8, NULL, 10) : 0;
}

/* Every shard of the search once: @by_shard[k] its record's index. */
static int check_shards(const struct explore_record_file *files,
			struct record *recs, int n, int **by_shardp,
			unsigned int *shards, GError **err)
{
	int col, *by_shard;

	*shards = shards_of(&recs[0], &col);
	if (*shards < 1 || *shards > 1u << 20)
		return input_error(err, files[0].path, recs[0].search_line, col,
				   "expected shards=N, 1 <= N <= 2^20");
	by_shard = *by_shardp = g_new(int, *shards);
	for (unsigned int k = 0; k < *shards; k++)
		by_shard[k] = -1;
	for (int i = 0; i < n; i++) {
		unsigned int k = recs[i].shard;

		if (k >= *shards)
			return input_error(
				err, files[i].path, recs[i].shard_line, 7,
				"expected a shard below %u", *shards);
		if (by_shard[k] >= 0)
			return input_error(err, files[i].path,
					   recs[i].shard_line, 7,
					   "shard %u of %u again (so does %s)",
					   k, *shards, files[by_shard[k]].path);
		by_shard[k] = i;
	}
	for (unsigned int k = 0; k < *shards; k++)
		if (by_shard[k] < 0)
			return input_error(err, files[0].path,
					   recs[0].search_line, col,
					   "shards=%u, but no record of shard "
					   "%u among the files given",
					   *shards, k);
	return 0;
}

static int rec_cmp(gconstpointer pa, gconstpointer pb)
{
	const struct state_rec *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	if (a->transitions != b->transitions)
		return a->transitions < b->transitions ? -1 : 1;
	return a->pruned < b->pruned ? -1 : a->pruned > b->pruned;
}

/* Each state once, as the shard that reached it at its least depth
 * counted it (every state lies at its own depth below a state of the
 * shard depth that one shard owns, which reaches it there). */
static void merge_states(struct record *recs, int n, struct explore_stats *st)
{
	g_autoptr(GArray) all =
		g_array_new(FALSE, FALSE, sizeof(struct state_rec));

	for (int i = 0; i < n; i++)
		g_array_append_vals(all, recs[i].states->data,
				    recs[i].states->len);
	g_array_sort(all, rec_cmp);
	for (guint i = 0; i < all->len; i++) {
		const struct state_rec *r =
			&g_array_index(all, struct state_rec, i);

		if (i &&
		    r->key == g_array_index(all, struct state_rec, i - 1).key)
			continue;
		st->states++;
		st->transitions += r->transitions;
		st->pruned += r->pruned;
		st->unsafe_states += !!(r->flags & STATE_UNSAFE);
		st->caller_broken_states += !!(r->flags & STATE_CALLER_BROKEN);
		if ((int)r->depth > st->depth_reached)
			st->depth_reached = r->depth;
	}
}

/* by signature, then the shortest, then the least text: the first of a
 * signature is the one kept, whatever order the files came in */
static int finding_cmp(gconstpointer pa, gconstpointer pb)
{
	const struct explore_finding *a = *(void *const *)pa,
				     *b = *(void *const *)pb;
	int c = strcmp(a->signature, b->signature);

	if (c)
		return c;
	if (a->length != b->length)
		return a->length < b->length ? -1 : 1;
	return strcmp(a->scenario, b->scenario);
}

/* shortest first, then by signature (an unsharded search's order is
 * breadth first, which no shard sees whole) */
static int output_cmp(gconstpointer pa, gconstpointer pb)
{
	const struct explore_finding *a = *(void *const *)pa,
				     *b = *(void *const *)pb;

	if (a->length != b->length)
		return a->length < b->length ? -1 : 1;
	return strcmp(a->signature, b->signature);
}

static struct explore_finding *finding_dup(const struct explore_finding *f)
{
	struct explore_finding *e = g_new0(struct explore_finding, 1);

	e->kind = g_strdup(f->kind);
	e->detail = g_strdup(f->detail);
	e->signature = g_strdup(f->signature);
	e->length = f->length;
	e->scenario = g_strdup(f->scenario);
	return e;
}

static struct explore_finding *merge_findings(struct record *recs, int n,
					      uint64_t *count)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new();
	g_autoptr(GPtrArray) kept = g_ptr_array_new();
	struct explore_finding *first = NULL, **tail = &first;

	for (int i = 0; i < n; i++)
		for (guint k = 0; k < recs[i].found->len; k++)
			g_ptr_array_add(all, recs[i].found->pdata[k]);
	g_ptr_array_sort(all, finding_cmp);
	for (guint i = 0; i < all->len; i++) {
		const struct explore_finding *f = all->pdata[i];

		if (!i || strcmp(f->signature,
				 ((struct explore_finding *)all->pdata[i - 1])
					 ->signature))
			g_ptr_array_add(kept, all->pdata[i]);
	}
	g_ptr_array_sort(kept, output_cmp);
	for (guint i = 0; i < kept->len; i++) {
		*tail = finding_dup(kept->pdata[i]);
		tail = &(*tail)->next;
	}
	*count = kept->len;
	return first;
}

static void merge_work(const struct record *rec, struct explore_merged *m)
{
	m->work.transitions += rec->work.transitions;
	m->work.pruned += rec->work.pruned;
	m->work.replayed += rec->work.replayed;
	m->work.copies += rec->work.copies;
	m->work.cpu_seconds += rec->work.cpu_seconds;
}

int explore_merge(const struct explore_record_file *files, int n,
		  struct explore_merged *m, struct explore_finding **found,
		  GError **err)
{
	struct record *recs = g_new0(struct record, n ? n : 1);
	g_autofree int *by_shard = NULL;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	*found = NULL;
	if (!n) {
		g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
			    "--merge expects one record file or more");
		ret = -EINVAL;
	}
	for (int i = 0; i < n && !ret; i++) {
		ret = record_read(&files[i], &recs[i], err);
		if (!ret && i)
			ret = same_search(&recs[0], files[0].path, &recs[i],
					  files[i].path, err);
	}
	if (!ret)
		ret = check_shards(files, recs, n, &by_shard, &m->shards, err);
	if (!ret) {
		merge_states(recs, n, &m->st);
		*found = merge_findings(recs, n, &m->st.findings);
		for (unsigned int k = 0; k < m->shards; k++) {
			const struct record *rec = &recs[by_shard[k]];

			merge_work(rec, m);
			if (rec->stopped && !m->stopped)
				m->stopped = g_strdup_printf(
					"shard %u stopped at %s", k,
					rec->stopped);
		}
	}
	for (int i = 0; i < n; i++)
		record_clear(&recs[i]);
	g_free(recs);
	return ret;
}

void explore_merged_clear(struct explore_merged *m)
{
	g_free(m->stopped);
	m->stopped = NULL;
}
