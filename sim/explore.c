// SPDX-License-Identifier: MIT
/*
 * explore.c - the search (explore.h): breadth first over sequences of the
 * listed verbs, each state expanded once (by the hash of the model's FULL
 * snapshot, and under --vs of both models'). No semantics here: a step is
 * run by the runner exactly as `iommusim run` would run it.
 *
 * Reaching a state replays its path from the start (the machine and the
 * prefix, then the generated steps): the model has no cheap copy yet.
 * replay() is the one place that produces a state; an undo log or a
 * copy-on-write model replaces it without touching the search.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "explore_priv.h"
#include "errnames.h"
#include "model/state.h"

struct node {
	struct node *parent;
	char *stmt; /* the generated statement, without expectation */
	int depth;
	struct explore_handle *handles; /* this node's first, then its
					 * parent's (not owned) */
	struct explore_handle *own;	/* the one it binds, or NULL */
};

/* What a replay left after its last statement. */
struct probe {
	bool invalid;  /* the runner refused the text (GError) */
	bool ub;       /* the last step is undefined behaviour: pruned */
	bool failed;   /* a step failed (an invariant, an out field) */
	char *failure; /* ... why */
	struct outcome got;
	u64 full_hash;	  /* FULL snapshot: the visited set */
	char *trace;	  /* TRACE snapshot without ids and profile state */
	char *checks;	  /* each group as a check_group statement */
	const void *last; /* the last statement, for observe() */
	GString *ifd;	  /* the iommufd side after each step (run.h) */
	int steps;
};

/* 64-bit FNV-1a, as model/state.h hashes the model's snapshot */
static u64 fnv1a(const char *p)
{
	u64 h = 0xcbf29ce484222325ull;

	for (; *p; p++)
		h = (h ^ (u8)*p) * 0x100000001b3ull;
	return h;
}

static void probe_clear(struct probe *p)
{
	if (p->ifd)
		g_string_free(p->ifd, TRUE);
	g_free(p->failure);
	g_free(p->trace);
	g_free(p->checks);
}

/* The trace lines two profiles can be compared by: domain ids and each
 * profile's own group state (attach_cnt) left out. */
static char *trace_canonical(struct iommu_model *m)
{
	g_autofree char *s = iommu_state_snapshot(m, IOMMU_STATE_TRACE);
	g_autoptr(GString) t = g_string_new(s);
	g_autoptr(GRegex) ids = g_regex_new("#[0-9]+", 0, 0, NULL);

	for (guint i = 0; i < m->groups->len; i++) {
		g_autoptr(GString) own = g_string_new(NULL);

		iommu_group_profile_describe(m, m->groups->pdata[i], own);
		if (own->len)
			g_string_replace(t, own->str, "", 0);
	}
	return g_regex_replace_literal(ids, t->str, -1, 0, "#", 0, NULL);
}

static bool ident(const char *s)
{
	for (; *s; s++) {
		if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-')
			return false;
	}
	return true;
}

/* check_group statements that pin each group's state (its first
 * device names it): a state difference replays as a failed check. */
static char *group_checks(struct iommu_model *m)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];
		struct device *dev =
			g->devices->len ? g->devices->pdata[0] : NULL;

		if (!dev)
			continue;
		g_string_append_printf(
			s, "check_group dev=%s domain_type=%s owner_cnt=%u",
			dev->name,
			g->domain ? iommu_domain_type_name(g->domain->type)
				  : "none",
			g->owner_cnt);
		/* a cookie the scenario did not name (iommufd's ctx) has no
		 * spelling in the language: left out */
		if (!g->owner || ident(g->owner))
			g_string_append_printf(s, " owner=%s",
					       g->owner ? g->owner : "none");
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

static void observe(void *data, const struct iommu_model *cm,
		    const struct step_result *sr)
{
	struct probe *p = data;
	struct iommu_model *m = (struct iommu_model *)cm; /* read only */
	g_autofree char *canon = NULL;

	p->steps++;
	if (!sr->pass && !p->failed) {
		p->failed = true;
		p->failure = g_strdup(sr->failure ? sr->failure : "failed");
		p->ub = sr->failure &&
			g_str_has_prefix(sr->failure, "undefined behaviour");
	}
	if (sr->st != p->last)
		return;
	canon = trace_canonical(m);
	p->got = sr->got;
	p->full_hash = iommu_state_hash(m) ^ fnv1a(p->ifd->str);
	p->trace = g_strconcat(canon, p->ifd->str, NULL);
	p->checks = group_checks(m);
}

static char *path_text(const struct explore_opts *o, const struct node *n,
		       char **expects)
{
	GPtrArray *lines = g_ptr_array_new();
	GString *s = g_string_new(o->text);

	for (; n && n->stmt; n = n->parent)
		g_ptr_array_add(lines, n->stmt);
	g_string_append_c(s, '\n');
	for (guint i = lines->len; i-- > 0;) {
		guint k = lines->len - 1 - i;

		g_string_append(s, lines->pdata[i]);
		if (expects && expects[k])
			g_string_append_printf(s, " => %s", expects[k]);
		g_string_append_c(s, '\n');
	}
	g_ptr_array_free(lines, TRUE);
	return g_string_free(s, FALSE);
}

/* Run the path to @n under @profile; the one way a state is produced. */
static void replay(const struct explore_opts *o, const struct node *n,
		   const char *profile, struct probe *p,
		   struct explore_stats *st)
{
	g_autofree char *text = path_text(o, n, NULL);
	struct scenario *sc = scenario_parse(o->path, text, NULL);
	struct run_opts ro = { .profile = profile,
			       .observe = observe,
			       .observe_data = p };
	struct run_result *rr;

	memset(p, 0, sizeof(*p));
	p->ifd = g_string_new(NULL);
	ro.ifd_state = p->ifd;
	if (!sc) {
		p->invalid = true;
		return;
	}
	p->last = sc->stmts->pdata[sc->stmts->len - 1];
	rr = scenario_run(sc, &ro, NULL);
	p->invalid = !rr;
	st->replayed += p->steps;
	run_result_free(rr);
	scenario_free(sc);
}

struct search {
	const struct explore_opts *o;
	struct explore_stats *st;
	struct explore_machine mc;
	GPtrArray *verbs;   /* const struct op * */
	GPtrArray *nodes;   /* every node, freed at the end */
	GHashTable *seen;   /* u64 state keys */
	GQueue queue;	    /* nodes to expand */
	struct node *found; /* the shortest finding's node */
	char *kind, *detail;
	gint64 start;
	clock_t cpu;
};

static u64 *key_new(u64 a, u64 b)
{
	u64 *k = g_new(u64, 1);

	*k = a ^ (b * 0x9e3779b97f4a7c15ull + (b >> 7));
	return k;
}

static bool stop(struct search *s)
{
	return s->found ||
	       (s->o->max_states && s->st->states >= s->o->max_states) ||
	       (s->o->max_seconds &&
		g_get_monotonic_time() - s->start > s->o->max_seconds * 1e6);
}

static void note(struct search *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void note(struct search *s, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	if (!s->o->note)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	s->o->note(s->o->note_data, msg);
}

/* The verbs to sequence: operations present in every profile searched,
 * whose required arguments are all enumerated. */
static int pick_verbs(struct search *s, GError **err)
{
	const char *profs[] = { s->o->profile, s->o->vs };

	s->verbs = g_ptr_array_new();
	for (char **v = s->o->ops; *v; v++) {
		const struct op *op = op_find(*v);
		const char *unsupported = NULL;
		GPtrArray *vals;
		bool absent = false;

		if (!op || op->cls != STEP_OP) {
			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "--ops: '%s' is not an operation verb", *v);
			return -EINVAL;
		}
		for (int i = 0; i < 2 && profs[i]; i++)
			absent |= op_absent(op, iommu_profile_find(profs[i]));
		if (absent) {
			note(s, "skipped %s: absent in a profile searched",
			     op->name);
			continue;
		}
		vals = explore_verb_values(&s->mc, op, NULL, 0, &unsupported);
		if (!vals) {
			note(s,
			     "skipped %s: its argument %s= is of a type "
			     "not enumerated",
			     op->name, unsupported);
			continue;
		}
		g_ptr_array_free(vals, TRUE);
		g_ptr_array_add(s->verbs, (gpointer)op);
	}
	return 0;
}

static struct node *node_new(struct search *s, struct node *parent,
			     const char *stmt)
{
	struct node *n = g_new0(struct node, 1);

	n->parent = parent;
	n->stmt = g_strdup(stmt);
	n->depth = parent ? parent->depth + 1 : 0;
	n->handles = parent ? parent->handles : s->mc.handles;
	g_ptr_array_add(s->nodes, n);
	return n;
}

static void node_free(gpointer p)
{
	struct node *n = p;

	if (n->own) {
		g_free(n->own->name);
		g_free(n->own);
	}
	g_free(n->stmt);
	g_free(n);
}

/* The out handle @n's statement binds, in front of its parent's. */
static void node_bind(struct node *n, const struct op *op)
{
	for (const struct arg_spec *a = op->args; a->key; a++) {
		g_autofree char *pat = g_strdup_printf(" %s=$", a->key);
		const char *at = strstr(n->stmt, pat);

		if (a->type != T_OUT || !a->htype || !at)
			continue;
		at += strlen(pat);
		n->own = g_new0(struct explore_handle, 1);
		n->own->name = g_strndup(at, strcspn(at, " "));
		n->own->type = a->htype;
		n->own->next = n->handles;
		n->handles = n->own;
		return;
	}
}

static void finding(struct search *s, struct node *n, const char *kind,
		    char *detail)
{
	g_free(s->kind);
	g_free(s->detail);
	s->found = n;
	s->kind = g_strdup(kind);
	s->detail = detail;
}

/* Compare the lock-step pair; a finding when they differ. */
static bool differ(struct search *s, struct node *n, struct probe *a,
		   struct probe *b)
{
	g_autofree char *x = outcome_str(&a->got), *y = outcome_str(&b->got);

	if (a->failed || b->failed) {
		finding(s, n, "invariant",
			g_strdup_printf("%s: %s",
					a->failed ? s->o->profile : s->o->vs,
					a->failed ? a->failure : b->failure));
		return true;
	}
	if (!outcome_equal(&a->got, &b->got)) {
		finding(s, n, "result",
			g_strdup_printf("%s: %s, %s: %s", s->o->profile, x,
					s->o->vs, y));
		return true;
	}
	if (strcmp(a->trace, b->trace)) {
		g_autofree char *only_a = iommu_state_diff(b->trace, a->trace);
		g_autofree char *only_b = iommu_state_diff(a->trace, b->trace);

		finding(s, n, "state",
			g_strdup_printf("%s only:\n%s\n%s only:\n%s",
					s->o->profile, only_a ? only_a : "",
					s->o->vs, only_b ? only_b : ""));
		return true;
	}
	return false;
}

/* Whether this shard expands a state first reached at @depth. */
static bool mine(const struct explore_opts *o, int depth, u64 key)
{
	return !o->shard_n || depth != (int)o->shard_depth ||
	       key % o->shard_n == o->shard_k;
}

/* Run the child @n; a new state is queued. */
enum run_verdict { RUN_PRUNED, RUN_FOUND, RUN_OK };

/* Run the path to @n under the profile(s): its verdict, and its state's
 * key in *key (RUN_OK). */
static enum run_verdict run_node(struct search *s, struct node *n, u64 **key)
{
	struct probe a, b = { 0 };
	enum run_verdict v = RUN_OK;

	s->st->transitions++;
	replay(s->o, n, s->o->profile, &a, s->st);
	if (s->o->vs && !a.invalid && !a.ub)
		replay(s->o, n, s->o->vs, &b, s->st);
	if (a.invalid || a.ub || b.invalid || b.ub) {
		s->st->pruned++;
		v = RUN_PRUNED;
	} else if (s->o->vs ? differ(s, n, &a, &b) : a.failed) {
		if (!s->o->vs)
			finding(s, n, "invariant", g_strdup(a.failure));
		v = RUN_FOUND;
	} else if (key) {
		*key = key_new(a.full_hash, s->o->vs ? b.full_hash : 0);
	}
	probe_clear(&a);
	probe_clear(&b);
	return v;
}

/* Run the child @n; a new state is queued. */
static void visit(struct search *s, struct node *n)
{
	u64 *key = NULL;

	if (run_node(s, n, &key) != RUN_OK)
		return;
	if (!mine(s->o, n->depth, *key) ||
	    g_hash_table_contains(s->seen, key)) {
		g_free(key);
		return;
	}
	g_hash_table_add(s->seen, key);
	s->st->states++;
	if (n->depth > s->st->depth_reached)
		s->st->depth_reached = n->depth;
	if (n->depth < s->o->depth)
		g_queue_push_tail(&s->queue, n);
}

/* ---- random walks (--random): reproducible from the seed ---- */

/* Every statement the listed verbs can make at @at. */
static GPtrArray *candidates(struct search *s, struct node *at)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);

	for (guint v = 0; v < s->verbs->len; v++) {
		const char *unsupported;
		GPtrArray *stmts = explore_verb_values(
			&s->mc, s->verbs->pdata[v], at->handles, at->depth + 1,
			&unsupported);

		for (guint i = 0; stmts && i < stmts->len; i++)
			g_ptr_array_add(all, g_strdup(stmts->pdata[i]));
		if (stmts)
			g_ptr_array_free(stmts, TRUE);
	}
	return all;
}

static struct node *child(struct search *s, struct node *parent,
			  const char *stmt)
{
	g_autofree char *verb = g_strndup(stmt, strcspn(stmt, " "));
	struct node *n = node_new(s, parent, stmt);

	node_bind(n, op_find(verb));
	return n;
}

/* One step of the walk: a random statement that runs (a few tries past
 * the pruned ones); NULL when none does. */
static struct node *walk_step(struct search *s, struct node *at, GRand *rnd)
{
	g_autoptr(GPtrArray) all = candidates(s, at);

	for (int tries = 0; tries < 16 && all->len; tries++) {
		guint k = g_rand_int_range(rnd, 0, all->len);
		struct node *n = child(s, at, all->pdata[k]);

		if (run_node(s, n, NULL) != RUN_PRUNED)
			return n;
		g_ptr_array_remove_index(all, k);
	}
	return NULL;
}

/* The found path without the step at @skip (counted from the start):
 * a new chain of nodes, its last returned. */
static struct node *without(struct search *s, GPtrArray *path, guint skip)
{
	struct node *n = g_ptr_array_index(s->nodes, 0); /* the root */

	for (guint i = 0; i < path->len; i++) {
		if (i != skip)
			n = child(s, n, path->pdata[i]);
	}
	return n;
}

/* Shrink the finding: drop one step at a time while the same kind of
 * finding remains at the end (a 1-minimal sequence, as delta debugging
 * ends with). */
static void shrink(struct search *s)
{
	g_autofree char *kind = g_strdup(s->kind);
	g_autoptr(GPtrArray) path = g_ptr_array_new();
	guint i = 0;

	for (struct node *n = s->found; n->stmt; n = n->parent)
		g_ptr_array_insert(path, 0, n->stmt);
	while (path->len > 1 && i + 1 < path->len) {
		struct node *trial = without(s, path, i);
		struct node *keep = s->found;
		char *keep_detail = g_strdup(s->detail);

		if (run_node(s, trial, NULL) == RUN_FOUND &&
		    !strcmp(s->kind, kind)) {
			g_free(keep_detail);
			g_ptr_array_remove_index(path, i);
			continue;
		}
		if (s->found != keep) /* another kind: the old one stands */
			finding(s, keep, kind, keep_detail);
		else
			g_free(keep_detail);
		i++;
	}
}

static void walk(struct search *s)
{
	GRand *rnd = g_rand_new_with_seed(s->o->seed);
	struct node *at = g_queue_pop_head(&s->queue);

	for (uint64_t i = 0; i < s->o->steps && !s->found && at; i++) {
		at = walk_step(s, at, rnd);
		if (at && at->depth > s->st->depth_reached)
			s->st->depth_reached = at->depth;
	}
	if (s->found)
		shrink(s);
	g_rand_free(rnd);
}

static void expand(struct search *s, struct node *parent)
{
	for (guint v = 0; v < s->verbs->len && !stop(s); v++) {
		const struct op *op = s->verbs->pdata[v];
		const char *unsupported;
		GPtrArray *stmts =
			explore_verb_values(&s->mc, op, parent->handles,
					    parent->depth + 1, &unsupported);

		for (guint i = 0; stmts && i < stmts->len && !stop(s); i++) {
			struct node *n = node_new(s, parent, stmts->pdata[i]);

			node_bind(n, op);
			visit(s, n);
		}
		if (stmts)
			g_ptr_array_free(stmts, TRUE);
	}
}

/* The path's generated steps' outcomes under @profile, as expectations,
 * and the groups' checks after the last. */
static char **path_outcomes(const struct explore_opts *o, const struct node *n,
			    const char *profile, char **checks)
{
	g_autofree char *text = path_text(o, n, NULL);
	struct scenario *sc = scenario_parse(o->path, text, NULL);
	struct probe p = { .last = sc->stmts->pdata[sc->stmts->len - 1],
			   .ifd = g_string_new(NULL) };
	struct run_opts ro = { .profile = profile,
			       .observe = observe,
			       .observe_data = &p,
			       .ifd_state = p.ifd };
	struct run_result *rr = scenario_run(sc, &ro, NULL);
	char **out = g_new0(char *, n->depth + 1);

	for (int i = 0; i < n->depth; i++) {
		const struct step_result *sr =
			rr->steps->pdata[rr->steps->len - n->depth + i];

		out[i] = outcome_str(&sr->got);
	}
	*checks = g_strdup(p.checks);
	probe_clear(&p);
	run_result_free(rr);
	scenario_free(sc);
	return out;
}

static void append_checks(GString *s, const char *a, const char *b,
			  const struct explore_opts *o)
{
	g_auto(GStrv) x = g_strsplit(a, "\n", -1), y = g_strsplit(b, "\n", -1);

	for (int i = 0; x[i] && y[i] && *x[i]; i++) {
		if (!strcmp(x[i], y[i]))
			g_string_append_printf(s, "%s\n", x[i]);
		else
			g_string_append_printf(s, "%s only=%s\n%s only=%s\n",
					       x[i], o->profile, y[i], o->vs);
	}
}

static char *commented(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *s = g_string_new(NULL);

	for (int i = 0; lines[i]; i++) {
		if (*lines[i])
			g_string_append_printf(s, "#   %s\n", lines[i]);
	}
	return g_string_free(s, FALSE);
}

/* The finding as a scenario file: a header, then the prefix and the
 * steps with the outcomes this run got. */
static char *emit(struct search *s)
{
	const struct explore_opts *o = s->o;
	struct node *n = s->found;
	g_autofree char *ca = NULL, *cb = NULL, *why = commented(s->detail);
	g_auto(GStrv) a = path_outcomes(o, n, o->profile, &ca);
	g_auto(GStrv) b = o->vs ? path_outcomes(o, n, o->vs, &cb) : NULL;
	char **expects = g_new0(char *, n->depth + 1);
	g_autofree char *body = NULL;
	GString *s_out = g_string_new(NULL);

	for (int i = 0; i < n->depth; i++)
		expects[i] =
			!b || !strcmp(a[i], b[i])
				? g_strdup(a[i])
				: g_strdup_printf("%s:%s %s:%s", o->profile,
						  a[i], o->vs, b[i]);
	body = path_text(o, n, expects);
	g_strfreev(expects);
	g_string_append_printf(
		s_out,
		"# found by iommusim explore, not kernel truth: a %s finding "
		"after %d steps\n# from %s under %s%s%s; the expectations are "
		"what this run got.\n# %s\n%s\n",
		s->kind, n->depth, o->path, o->profile, o->vs ? " vs " : "",
		o->vs ? o->vs : "",
		!strcmp(s->kind, "invariant")
			? "`iommusim run` reproduces it: the last step fails "
			  "(exit 1)."
			: "`iommusim run --profile P` passes under each (exit "
			  "0).",
		why);
	g_string_append(s_out, body);
	if (!strcmp(s->kind, "state"))
		append_checks(s_out, ca, cb, o);
	return g_string_free(s_out, FALSE);
}

/* The prefix alone: it must run cleanly; its state is the first. */
static int root(struct search *s, struct node *n, GError **err)
{
	const char *profs[] = { s->o->profile, s->o->vs };
	u64 h[2] = { 0, 0 };

	for (int i = 0; i < 2 && profs[i]; i++) {
		struct probe p;

		replay(s->o, n, profs[i], &p, s->st);
		h[i] = p.full_hash;
		if (p.invalid || p.failed) {
			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "%s: the prefix does not run cleanly "
				    "under %s: %s",
				    s->o->path, profs[i],
				    p.failure ? p.failure : "invalid");
			probe_clear(&p);
			return -EINVAL;
		}
		probe_clear(&p);
	}
	g_hash_table_add(s->seen, key_new(h[0], h[1]));
	s->st->states = 1;
	g_queue_push_tail(&s->queue, n);
	return 0;
}

static int check_profiles(const struct explore_opts *o, GError **err)
{
	const char *profs[] = { o->profile, o->vs };

	for (int i = 0; i < 2; i++) {
		if (profs[i] && !iommu_profile_find(profs[i])) {
			g_autofree char *names =
				iommu_profile_names_joined(", ");

			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "unknown profile '%s' (expected %s)",
				    profs[i], names);
			return -EINVAL;
		}
	}
	return 0;
}

static int search_init(struct search *s, GError **err)
{
	struct scenario *sc = scenario_parse(s->o->path, s->o->text, err);
	int ret;

	if (!sc)
		return -EINVAL;
	explore_machine_init(&s->mc, sc);
	scenario_free(sc);
	s->nodes = g_ptr_array_new_with_free_func(node_free);
	s->seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					NULL);
	g_queue_init(&s->queue);
	ret = pick_verbs(s, err);
	return ret ? ret : root(s, node_new(s, NULL, NULL), err);
}

static void states_write(struct search *s, GString *out)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, s->seen);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_string_append_printf(out, "%016" G_GINT64_MODIFIER "x\n",
				       *(u64 *)k);
}

int explore_run(const struct explore_opts *o, struct explore_stats *st,
		struct explore_finding **found, GError **err)
{
	struct search s = { .o = o, .st = st };
	int ret;

	memset(st, 0, sizeof(*st));
	*found = NULL;
	s.start = g_get_monotonic_time();
	s.cpu = clock();
	ret = check_profiles(o, err);
	if (!ret)
		ret = search_init(&s, err);
	if (!ret && o->random)
		walk(&s);
	while (!ret && !o->random && !stop(&s) && !g_queue_is_empty(&s.queue))
		expand(&s, g_queue_pop_head(&s.queue));
	if (!ret && s.found) {
		*found = g_new0(struct explore_finding, 1);
		(*found)->kind = g_strdup(s.kind);
		(*found)->detail = g_strdup(s.detail);
		(*found)->length = s.found->depth;
		(*found)->scenario = emit(&s);
	}
	if (!ret && o->states_out)
		states_write(&s, o->states_out);
	st->seconds = (g_get_monotonic_time() - s.start) / 1e6;
	st->cpu_seconds = (double)(clock() - s.cpu) / CLOCKS_PER_SEC;
	g_free(s.kind);
	g_free(s.detail);
	g_queue_clear(&s.queue);
	if (s.nodes)
		g_ptr_array_free(s.nodes, TRUE);
	if (s.seen)
		g_hash_table_destroy(s.seen);
	if (s.verbs)
		g_ptr_array_free(s.verbs, TRUE);
	if (s.nodes || s.verbs)
		explore_machine_clear(&s.mc);
	return ret;
}

void explore_finding_free(struct explore_finding *f)
{
	if (!f)
		return;
	g_free(f->kind);
	g_free(f->detail);
	g_free(f->scenario);
	g_free(f);
}
