// SPDX-License-Identifier: MIT
/*
 * explore.c - the search (explore.h): breadth first over sequences of the
 * listed verbs, each state expanded once (by the model's state hash, and
 * under --vs by both models'). No semantics here: a step is run by the
 * runner exactly as `iommusim run` runs it.
 *
 * Reaching a state replays its path on a live run session (run.h): FILE
 * parsed and validated once, each generated statement parsed once, no
 * "changed:" snapshots; a session a refused step left at its parent's
 * state runs the next sibling (the warm sessions). reach() is the one
 * place a state is produced: a model copy/restore replaces it without
 * touching the search.
 */
#include <errno.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "explore_priv.h"
#include "errnames.h"
#include "model/state.h"
#include "model/vfio/vfio.h"

/* 64-bit FNV-1a, as model/state.h hashes the model's snapshot */
static u64 fnv1a(const char *p, u64 h)
{
	for (; *p; p++)
		h = (h ^ (u8)*p) * 0x100000001b3ull;
	return h;
}

#define FNV_BASIS 0xcbf29ce484222325ull

/* ---- the visited set ---- */

static size_t keyset_slot(const struct keyset *k, u64 key)
{
	size_t i = (key * 0x9e3779b97f4a7c15ull) >> 7 & (k->cap - 1);

	while (k->slots[i] && k->slots[i] != key)
		i = (i + 1) & (k->cap - 1);
	return i;
}

static void keyset_grow(struct keyset *k)
{
	struct keyset old = *k;

	k->cap = old.cap ? old.cap * 2 : 1024;
	k->slots = g_new0(u64, k->cap);
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i])
			k->slots[keyset_slot(k, old.slots[i])] = old.slots[i];
	}
	g_free(old.slots);
}

/* true when @key is new (and now in the set) */
static bool keyset_add(struct keyset *k, u64 key)
{
	size_t i;

	key = key ? key : 1;
	if (2 * (k->len + 1) > k->cap)
		keyset_grow(k);
	i = keyset_slot(k, key);
	if (k->slots[i])
		return false;
	k->slots[i] = key;
	k->len++;
	return true;
}

/* ---- nodes ---- */

struct node *explore_node_new(struct search *s, struct node *parent,
			      const char *stmt)
{
	struct node *n = g_new0(struct node, 1);

	n->parent = parent;
	n->s = s;
	if (++s->live_nodes > s->st->peak_nodes)
		s->st->peak_nodes = s->live_nodes;
	n->stmt = g_strdup(stmt);
	n->refs = 1;
	n->depth = parent ? parent->depth + 1 : 0;
	n->handles = parent ? parent->handles : s->mc.handles;
	if (parent)
		parent->refs++;
	return n;
}

void explore_node_unref(struct node *n)
{
	while (n && --n->refs == 0) {
		struct node *parent = n->parent;

		n->s->live_nodes--;
		if (n->own) {
			g_free(n->own->name);
			g_free(n->own);
		}
		g_free(n->stmt);
		g_free(n);
		n = parent;
	}
}

/* @n's statement, parsed once per text (the same statement recurs under
 * every parent: s->parsed keeps each); NULL when it does not parse */
static const struct statement *node_stmt(struct search *s, struct node *n)
{
	gpointer sc;

	if (!n->sc) {
		if (!g_hash_table_lookup_extended(s->parsed, n->stmt, NULL,
						  &sc)) {
			sc = scenario_parse(s->o->path, n->stmt, NULL);
			g_hash_table_insert(s->parsed, g_strdup(n->stmt), sc);
		}
		n->sc = sc;
	}
	return n->sc ? n->sc->stmts->pdata[0] : NULL;
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

/* ---- replaying a path ---- */

/* A device line's ", domain X" (what attach_dev last gave it): the
 * comparison stays on the groups, as it was before the trace showed it
 * (tests/unit/sim/test_explore.c counts the findings it gives) */
static void drop_device_domains(GString *t)
{
	g_auto(GStrv) lines = g_strsplit(t->str, "\n", -1);

	g_string_truncate(t, 0);
	for (int i = 0; lines[i]; i++) {
		char *d = strstr(lines[i], ", domain ");

		if (d && !g_str_has_prefix(lines[i], "group "))
			*d = '\0';
		g_string_append_printf(t, "%s%s", i ? "\n" : "", lines[i]);
	}
}

/* The trace lines two profiles can be compared by: domain ids and each
 * profile's own group state (attach_cnt) left out. */
static char *trace_canonical(struct iommu_model *m)
{
	g_autofree char *s = iommu_state_snapshot(m, IOMMU_STATE_TRACE);
	GString *t = g_string_new(s);
	char *w = t->str;

	for (guint i = 0; i < m->groups->len; i++) {
		g_autoptr(GString) own = g_string_new(NULL);

		iommu_group_profile_describe(m, m->groups->pdata[i], own);
		if (own->len)
			g_string_replace(t, own->str, "", 0);
	}
	drop_device_domains(t);
	w = t->str;
	for (const char *r = t->str; *r; r++) {
		*w++ = *r;
		if (*r == '#')
			while (g_ascii_isdigit(r[1]))
				r++;
	}
	*w = '\0';
	return g_string_free(t, FALSE);
}

static void probe_clear(struct probe *p)
{
	g_free(p->failure);
	g_free(p->trace);
}

/* What the step's result adds to the probe. */
static void probe_step(struct probe *p, const struct step_result *sr)
{
	if (sr->pass || p->failed)
		return;
	p->failed = true;
	p->failure = g_strdup(sr->failure ? sr->failure : "failed");
	p->ub = sr->failure &&
		g_str_has_prefix(sr->failure, "undefined behaviour");
}

/* The state's key: the model's hash (@symmetric: up to a permutation of
 * interchangeable devices), VFIO's (vfio_state_hash(): groups, devices,
 * files, containers) and the iommufd side the runner holds, as text
 * (names and all); with @trace, the comparable snapshot too. */
static void probe_state(struct probe *p, struct run_session *rs, bool trace,
			bool symmetric)
{
	struct runner *r = run_session_runner(rs);
	g_autoptr(GString) ifd = g_string_new(NULL);

	ifd_snapshot(r, ifd);
	p->key = (symmetric ? iommu_state_hash_symmetric(r->m)
			    : iommu_state_hash(r->m)) ^
		 vfio_state_hash(r->m) * 0x9e3779b97f4a7c15ull ^
		 fnv1a(ifd->str, FNV_BASIS);
	if (trace) {
		g_autofree char *canon = trace_canonical(r->m);

		p->trace = g_strconcat(canon, ifd->str, NULL);
	}
}

/* Run @n's statement on @rs, what it did added to @p; false when it does
 * not parse (p->invalid). *refused (when not NULL): the kernel refused
 * it (an errno, no WARN) and the runner found nothing wrong. */
static bool step_node(struct search *s, struct run_session *rs, struct node *n,
		      struct probe *p, bool *refused)
{
	const struct statement *st = node_stmt(s, n);
	struct step_result *sr;

	if (!st) {
		p->invalid = true;
		return false;
	}
	sr = run_session_step(rs, st);
	probe_step(p, sr);
	p->got = sr->got;
	if (refused)
		*refused =
			sr->pass && sr->got.kind == OUT_ERRNO && !sr->got.warn;
	step_result_free(sr);
	s->st->replayed++;
	return true;
}

/* @n and its ancestors below @base, from the first: *len of them. */
static struct node **path_below(struct node *base, struct node *n, int *len)
{
	struct node **path = g_new(struct node *, n->depth - base->depth);
	int k = n->depth - base->depth;

	*len = k;
	for (struct node *at = n; at != base; at = at->parent)
		path[--k] = at;
	return path;
}

/* A session at @n's state under @profile: the prefix, then @n's path
 * (stopping at undefined behaviour or a statement that does not parse),
 * what the steps did in @p (zeroed first). */
static struct run_session *replay_to(struct search *s, struct node *n,
				     const char *profile, struct probe *p)
{
	struct run_opts ro = { .profile = profile,
			       .no_changes = true,
			       .prechecked = true };
	struct run_session *rs = run_session_new(s->prefix, &ro, NULL);
	struct node *root = n;
	g_autofree struct node **path = NULL;
	int len;

	while (root->parent)
		root = root->parent;
	path = path_below(root, n, &len);
	memset(p, 0, sizeof(*p));
	s->st->replayed += s->prefix->stmts->len;
	for (int i = 0; i < len && !p->ub; i++) {
		if (!step_node(s, rs, path[i], p, NULL))
			break;
	}
	return rs;
}

static u64 session_key(struct search *s, struct run_session *rs)
{
	struct probe k = { 0 };

	probe_state(&k, rs, false, !s->o->no_symmetry);
	return k.key;
}

/* ---- sessions kept along the path ---- */

/* Keep @rs (at @n's state, key @key) as profile @i's session at @n's
 * depth, in place of the one kept there before. */
static void path_keep(struct search *s, int i, struct node *n,
		      struct run_session *rs, u64 key)
{
	GPtrArray *at = s->path[i].at, *ss = s->path[i].rs;
	guint d = n->depth;

	if (at->len <= d) {
		g_ptr_array_set_size(at, d + 1);
		g_ptr_array_set_size(ss, d + 1);
		g_array_set_size(s->path[i].key, d + 1);
	}
	explore_node_unref(at->pdata[d]);
	run_session_free(ss->pdata[d]);
	n->refs++;
	at->pdata[d] = n;
	ss->pdata[d] = rs;
	g_array_index(s->path[i].key, u64, d) = key;
}

static void path_clear(struct search *s, int i)
{
	for (guint d = 0; s->path[i].at && d < s->path[i].at->len; d++) {
		explore_node_unref(s->path[i].at->pdata[d]);
		run_session_free(s->path[i].rs->pdata[d]);
	}
	if (!s->path[i].at)
		return;
	g_ptr_array_free(s->path[i].at, TRUE);
	g_ptr_array_free(s->path[i].rs, TRUE);
	g_array_free(s->path[i].key, TRUE);
}

/* @n itself or its deepest ancestor with a session kept, or NULL. */
static struct node *path_base(struct search *s, int i, struct node *n)
{
	GPtrArray *at = s->path[i].at;

	for (; n; n = n->parent) {
		if ((guint)n->depth < at->len && at->pdata[n->depth] == n)
			return n;
	}
	return NULL;
}

static struct run_session *copy_of(struct search *s, struct run_session *rs)
{
	struct run_session *cp = run_session_copy(rs);

	if (cp)
		s->st->copies++;
	return cp;
}

/*
 * A session at @n's state under profile @i, the caller's: a copy of the
 * deepest ancestor's kept session, then the steps below it, each state
 * on the way kept in turn (the next state's parent is most often a
 * sibling of this one's). What the steps did in @p (zeroed first); NULL
 * when the kept session cannot be copied (run_session_copy()).
 */
static struct run_session *copy_to(struct search *s, struct node *n, int i,
				   struct probe *p)
{
	struct node *base = path_base(s, i, n);
	g_autofree struct node **path = NULL;
	struct run_session *rs, *cp;
	int len;

	memset(p, 0, sizeof(*p));
	if (s->o->no_copy || !base ||
	    !(rs = copy_of(s, s->path[i].rs->pdata[base->depth])))
		return NULL;
	path = path_below(base, n, &len);
	for (int k = 0; k < len && !p->ub; k++) {
		if (!step_node(s, rs, path[k], p, NULL))
			break;
		if (p->ub || p->failed || !(cp = copy_of(s, rs)))
			continue;
		path_keep(s, i, path[k], rs, session_key(s, rs));
		rs = cp;
	}
	return rs;
}

/*
 * The warm sessions: the search runs a parent's children one after the
 * other, each from the parent's state. A step the kernel refuses leaves
 * the state exactly as it was (every model function's contract, which
 * fail-nth checks after each injected failure), so the session that ran a
 * refused child is still at the parent's state and runs the next child
 * without a copy. It is kept only when its step was refused (an errno, no
 * WARN) and the state's key is the parent's again.
 */
static void warm_reset(struct search *s, struct node *at)
{
	for (int i = 0; i < 2; i++) {
		run_session_free(s->warm.rs[i]);
		s->warm.rs[i] = NULL;
	}
	explore_node_unref(s->warm.at);
	s->warm.at = at;
	if (at)
		at->refs++;
}

/* The key of the state @rs is at, @n's: the kept one when @n is kept. */
static u64 parent_key(struct search *s, struct node *n, int i,
		      struct run_session *rs)
{
	GPtrArray *at = s->path[i].at;

	if ((guint)n->depth < at->len && at->pdata[n->depth] == n)
		return g_array_index(s->path[i].key, u64, n->depth);
	return session_key(s, rs);
}

/* A session at @n's parent's state under profile @i (0: --profile, 1:
 * --vs): warm, copied, or (what the copy does not cover) replayed from
 * FILE; *clean: the path ran without a failure. */
static struct run_session *parent_session(struct search *s, struct node *n,
					  int i, struct probe *p, bool *clean)
{
	struct run_session *rs = s->warm.rs[i];

	memset(p, 0, sizeof(*p));
	*clean = true;
	if (s->warm.at == n->parent && rs) {
		s->warm.rs[i] = NULL;
		return rs;
	}
	if (s->warm.at != n->parent)
		warm_reset(s, n->parent);
	rs = copy_to(s, n->parent, i, p);
	if (!rs)
		rs = replay_to(s, n->parent, i ? s->o->vs : s->o->profile, p);
	*clean = !p->failed && !p->invalid;
	if (*clean && !p->ub)
		s->warm.key[i] = parent_key(s, n->parent, i, rs);
	return rs;
}

/* Run @n's path under profile @i: the one way a state is produced. A
 * child that ran cleanly is kept as its depth's session (the random
 * walk's next parent; in the search, freed when a sibling replaces it). */
static void reach(struct search *s, struct node *n, int i, struct probe *p)
{
	bool clean, refused = false, ran = false;
	struct run_session *rs = parent_session(s, n, i, p, &clean);

	if (!p->ub && !p->invalid)
		ran = step_node(s, rs, n, p, &refused);
	if (!p->ub && !p->invalid)
		probe_state(p, rs, s->o->vs != NULL, !s->o->no_symmetry);
	if (clean && (!ran || (refused && p->key == s->warm.key[i])))
		s->warm.rs[i] = rs;
	else if (clean && !p->ub && !p->invalid && !p->failed)
		path_keep(s, i, n, rs, p->key);
	else
		run_session_free(rs);
}

/* ---- the search ---- */

static bool out_of_time(const struct search *s)
{
	if (!s->o->max_seconds)
		return false;
	if (s->o->cpu_clock)
		return clock() - s->cpu > s->o->max_seconds * CLOCKS_PER_SEC;
	return g_get_monotonic_time() - s->start > s->o->max_seconds * 1e6;
}

static bool stop(struct search *s)
{
	unsigned int cap = s->o->max_findings ? s->o->max_findings : 1;

	return s->found->len >= cap ||
	       (s->o->max_states && s->st->states >= s->o->max_states) ||
	       out_of_time(s);
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
		if (op->forks || op->exits) {
			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "--ops: '%s' starts or ends a forked "
				    "child; explore's sequences run in one "
				    "process",
				    *v);
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

static void report(struct search *s, const char *kind, char *detail)
{
	g_free(s->kind);
	g_free(s->detail);
	s->kind = g_strdup(kind);
	s->detail = detail;
}

/* Compare the lock-step pair; a finding when they differ. */
static bool differ(struct search *s, struct probe *a, struct probe *b)
{
	g_autofree char *x = outcome_str(&a->got), *y = outcome_str(&b->got);

	if (a->failed || b->failed) {
		report(s, "invariant",
		       g_strdup_printf("%s: %s",
				       a->failed ? s->o->profile : s->o->vs,
				       a->failed ? a->failure : b->failure));
		return true;
	}
	if (!outcome_equal(&a->got, &b->got)) {
		report(s, "result",
		       g_strdup_printf("%s: %s, %s: %s", s->o->profile, x,
				       s->o->vs, y));
		return true;
	}
	if (strcmp(a->trace, b->trace)) {
		g_autofree char *only_a = iommu_state_diff(b->trace, a->trace);
		g_autofree char *only_b = iommu_state_diff(a->trace, b->trace);

		report(s, "state",
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

static u64 key_pair(u64 a, u64 b)
{
	return a ^ (b * 0x9e3779b97f4a7c15ull + (b >> 7));
}

enum run_verdict explore_run_node(struct search *s, struct node *n, u64 *key)
{
	struct probe a, b = { 0 };
	enum run_verdict v = RUN_OK;

	s->st->transitions++;
	reach(s, n, 0, &a);
	if (s->o->vs && !a.invalid && !a.ub)
		reach(s, n, 1, &b);
	if (a.invalid || a.ub || b.invalid || b.ub) {
		s->st->pruned++;
		v = RUN_PRUNED;
	} else if (s->o->vs ? differ(s, &a, &b) : a.failed) {
		if (!s->o->vs)
			report(s, "invariant", g_strdup(a.failure));
		v = RUN_FOUND;
	} else if (key) {
		*key = key_pair(a.key, s->o->vs ? b.key : 0);
	}
	probe_clear(&a);
	probe_clear(&b);
	return v;
}

/* A finding's signature: its kind, its last verb and what differed,
 * without ids and the step numbers in handle names ($xd3 -> $xd). */
static char *signature(const struct search *s, const struct node *n)
{
	GString *g = g_string_new(s->kind);

	g_string_append_printf(g, "\n%.*s\n", (int)strcspn(n->stmt, " "),
			       n->stmt);
	for (const char *p = s->detail; *p; p++) {
		bool num = g_ascii_isdigit(*p) && p > s->detail &&
			   (p[-1] == '#' || g_ascii_isalpha(p[-1]));

		if (!num)
			g_string_append_c(g, *p);
		else
			while (g_ascii_isdigit(p[1]))
				p++;
	}
	return g_string_free(g, FALSE);
}

/* Keep the finding s->kind / s->detail at @n unless an equal one was
 * kept before (breadth first: the one kept is a shortest). */
void explore_keep_finding(struct search *s, struct node *n)
{
	char *sig = signature(s, n);
	struct found *f;

	if (g_hash_table_contains(s->sigs, sig)) {
		g_free(sig);
		return;
	}
	g_hash_table_add(s->sigs, sig);
	f = g_new0(struct found, 1);
	f->node = n;
	n->refs++;
	f->kind = g_strdup(s->kind);
	f->detail = g_strdup(s->detail);
	g_ptr_array_add(s->found, f);
}

/* Run the child @n; a new state is queued (the queue takes @n's
 * reference, else it is dropped). */
static void visit(struct search *s, struct node *n)
{
	enum run_verdict v;
	u64 key = 0;

	v = explore_run_node(s, n, &key);
	if (v == RUN_FOUND)
		explore_keep_finding(s, n);
	if (v != RUN_OK || !mine(s->o, n->depth, key) ||
	    !keyset_add(&s->seen, key)) {
		explore_node_unref(n);
		return;
	}
	s->st->states++;
	if (n->depth > s->st->depth_reached)
		s->st->depth_reached = n->depth;
	if (n->depth < s->o->depth)
		g_queue_push_tail(&s->queue, n);
	else
		explore_node_unref(n);
}

/* The heap in use now (0 where the C library cannot say). */
static uint64_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	return mallinfo2().uordblks;
#else
	return 0;
#endif
}

static void heap_sample(struct search *s)
{
	uint64_t now = heap_in_use();

	if (now > s->heap0 && now - s->heap0 > s->st->heap_bytes)
		s->st->heap_bytes = now - s->heap0;
}

static void expand(struct search *s, struct node *parent)
{
	if (s->expanded++ % 256 == 0)
		heap_sample(s);
	for (guint v = 0; v < s->verbs->len && !stop(s); v++) {
		const struct op *op = s->verbs->pdata[v];
		const char *unsupported;
		GPtrArray *stmts =
			explore_verb_values(&s->mc, op, parent->handles,
					    parent->depth + 1, &unsupported);

		for (guint i = 0; stmts && i < stmts->len && !stop(s); i++) {
			struct node *n =
				explore_node_new(s, parent, stmts->pdata[i]);

			node_bind(n, op);
			visit(s, n);
		}
		if (stmts)
			g_ptr_array_free(stmts, TRUE);
	}
	explore_node_unref(parent); /* the queue's reference */
}

/* A child of @parent running @stmt (the walk's and shrink's steps). */
struct node *explore_child(struct search *s, struct node *parent,
			   const char *stmt)
{
	g_autofree char *verb = g_strndup(stmt, strcspn(stmt, " "));
	struct node *n = explore_node_new(s, parent, stmt);

	node_bind(n, op_find(verb));
	return n;
}

/* The prefix alone: it must run cleanly (as `iommusim run` runs it); its
 * state is the first. */
static int root(struct search *s, GError **err)
{
	const char *profs[] = { s->o->profile, s->o->vs };
	u64 h[2] = { 0, 0 };

	for (int i = 0; i < 2 && profs[i]; i++) {
		struct run_opts ro = { .profile = profs[i] };
		struct run_result *rr = scenario_run(s->prefix, &ro, err);
		struct run_session *rs;
		struct probe p = { 0 };

		if (!rr)
			return -EINVAL;
		for (guint k = 0; k < rr->steps->len; k++)
			probe_step(&p, rr->steps->pdata[k]);
		run_result_free(rr);
		if (p.failed) {
			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "%s: the prefix does not run cleanly "
				    "under %s: %s",
				    s->o->path, profs[i], p.failure);
			probe_clear(&p);
			return -EINVAL;
		}
		probe_clear(&p);
		rs = replay_to(s, s->root, profs[i], &p);
		h[i] = session_key(s, rs);
		path_keep(s, i, s->root, rs, h[i]);
	}
	keyset_add(&s->seen, key_pair(h[0], s->o->vs ? h[1] : 0));
	s->st->states = 1;
	s->root->refs++;
	g_queue_push_tail(&s->queue, s->root);
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

static void found_free(gpointer p)
{
	struct found *f = p;

	explore_node_unref(f->node);
	g_free(f->kind);
	g_free(f->detail);
	g_free(f);
}

static void parsed_free(gpointer sc)
{
	scenario_free(sc);
}

static int search_init(struct search *s, GError **err)
{
	int ret;

	s->found = g_ptr_array_new_with_free_func(found_free);
	s->sigs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->parsed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  parsed_free);
	g_queue_init(&s->queue);
	s->prefix = scenario_parse(s->o->path, s->o->text, err);
	if (!s->prefix)
		return -EINVAL;
	explore_machine_init(&s->mc, s->prefix);
	s->root = explore_node_new(s, NULL, NULL);
	for (int i = 0; i < 2; i++) {
		s->path[i].at = g_ptr_array_new();
		s->path[i].rs = g_ptr_array_new();
		s->path[i].key = g_array_new(FALSE, TRUE, sizeof(u64));
	}
	ret = pick_verbs(s, err);
	return ret ? ret : root(s, err);
}

static void states_write(struct search *s, GString *out)
{
	for (size_t i = 0; i < s->seen.cap; i++) {
		if (s->seen.slots[i])
			g_string_append_printf(out,
					       "%016" G_GINT64_MODIFIER "x\n",
					       s->seen.slots[i]);
	}
}

/* The findings, in the order found, as the caller's list. */
static struct explore_finding *findings(struct search *s)
{
	struct explore_finding *first = NULL, **tail = &first;

	for (guint i = 0; i < s->found->len; i++) {
		const struct found *f = s->found->pdata[i];
		struct explore_finding *e = g_new0(struct explore_finding, 1);

		e->kind = g_strdup(f->kind);
		e->detail = g_strdup(f->detail);
		e->length = f->node->depth;
		e->scenario = explore_emit(s, f);
		*tail = e;
		tail = &e->next;
	}
	return first;
}

static void search_free(struct search *s)
{
	while (!g_queue_is_empty(&s->queue))
		explore_node_unref(g_queue_pop_head(&s->queue));
	if (s->found)
		g_ptr_array_free(s->found, TRUE);
	if (s->sigs)
		g_hash_table_destroy(s->sigs);
	warm_reset(s, NULL);
	path_clear(s, 0);
	path_clear(s, 1);
	explore_node_unref(s->root);
	if (s->parsed)
		g_hash_table_destroy(s->parsed);
	g_free(s->kind);
	g_free(s->detail);
	g_free(s->seen.slots);
	if (s->verbs)
		g_ptr_array_free(s->verbs, TRUE);
	if (s->prefix) {
		explore_machine_clear(&s->mc);
		scenario_free(s->prefix);
	}
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
	s.heap0 = heap_in_use();
	ret = check_profiles(o, err);
	if (!ret)
		ret = search_init(&s, err);
	if (!ret && o->random)
		explore_walk(&s);
	while (!ret && !o->random && !stop(&s) && !g_queue_is_empty(&s.queue))
		expand(&s, g_queue_pop_head(&s.queue));
	if (!ret)
		heap_sample(&s);
	if (!ret)
		*found = findings(&s);
	if (!ret && o->states_out)
		states_write(&s, o->states_out);
	st->findings = s.found ? s.found->len : 0;
	st->seen_bytes = s.seen.cap * sizeof(u64);
	st->seconds = (g_get_monotonic_time() - s.start) / 1e6;
	st->cpu_seconds = (double)(clock() - s.cpu) / CLOCKS_PER_SEC;
	search_free(&s);
	return ret;
}

void explore_finding_free(struct explore_finding *f)
{
	while (f) {
		struct explore_finding *next = f->next;

		g_free(f->kind);
		g_free(f->detail);
		g_free(f->scenario);
		g_free(f);
		f = next;
	}
}
