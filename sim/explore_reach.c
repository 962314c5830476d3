// SPDX-License-Identifier: MIT
/*
 * explore_reach.c - producing the search's states (explore_priv.h): a
 * state from its parent's, a copy of the session kept at the parent's
 * state (run_session_copy(), over iommu_model_copy()) and one step run
 * on it. One session per depth is kept (per profile under --vs), at the
 * node last run there; a parent not kept is reached from its deepest
 * kept ancestor. A session a refused step left at its parent's state
 * runs the next sibling without a copy (the warm sessions). Where the
 * copy does not reach (VFIO or iommufd in use), the path is replayed
 * from FILE on a new session. And what a state is keyed and compared by.
 */
#include <string.h>

#include "explore_priv.h"
#include "model/state.h"
#include "model/vfio/vfio.h"

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

void explore_probe_clear(struct probe *p)
{
	g_free(p->failure);
	g_free(p->trace);
}

/* What the step's result adds to the probe. */
void explore_probe_step(struct probe *p, const struct step_result *sr)
{
	p->unsafe = sr->unsafe_reach;
	p->caller_broken = sr->caller_broken;
	if (sr->pass || p->failed)
		return;
	p->failed = true;
	p->failure = g_strdup(sr->failure ? sr->failure : "failed");
	p->ub = sr->failure &&
		g_str_has_prefix(sr->failure, "undefined behaviour");
}

/*
 * The symmetric key: the core's up to a permutation of interchangeable
 * devices (iommu_state_hash_symmetric()), and once VFIO or the iommufd
 * side is in it, theirs with every device named by its place in one
 * canonical order (model/core/state_canon.c) and that order's own hash,
 * which ties each place to the core state of the device there: a state
 * and its mirror image key alike, two states that are not one renamed
 * never do (but by a 64-bit collision).
 */
static u64 symmetric_key(struct runner *r)
{
	struct iommu_canon *c;
	u64 key = iommu_state_hash_symmetric(r->m);

	if (!vfio_in_key(r->m) && !ifd_in_key(r))
		return key;
	c = iommu_canon_new(r->m);
	vfio_canon_note(r->m, c);
	ifd_canon_note(r, c);
	iommu_canon_order(c);
	key ^= vfio_state_hash_canon(r->m, c) * 0x9e3779b97f4a7c15ull ^
	       ifd_state_hash_canon(r, c) * 0xc2b2ae3d27d4eb4full ^
	       iommu_canon_hash(c, 0x63616e6full) * 0x165667b19e3779f9ull;
	iommu_canon_free(c);
	return key;
}

uint64_t explore_state_key(struct runner *r, bool symmetric)
{
	/* a caller's breach on the path excuses what breaks after it: the
	 * same state without one is another state */
	u64 breach = r->trespass_since ? 0x94d049bb133111ebull : 0;

	if (symmetric)
		return symmetric_key(r) ^ breach;
	return iommu_state_hash(r->m) ^
	       vfio_state_hash(r->m) * 0x9e3779b97f4a7c15ull ^
	       ifd_state_hash(r) * 0xc2b2ae3d27d4eb4full ^ breach;
}

/* The state's key (explore_state_key()); with @trace, the comparable
 * snapshot too. */
static void probe_state(struct probe *p, struct run_session *rs, bool trace,
			bool symmetric)
{
	struct runner *r = run_session_runner(rs);

	p->key = explore_state_key(r, symmetric);
	if (trace) {
		g_autofree char *canon = trace_canonical(r->m);
		g_autoptr(GString) ifd = g_string_new(NULL);

		ifd_snapshot(r, ifd);
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

	/* not a statement a file could hold: one naming a device removed
	 * on the path is bad input there (validate.c), so is a hotplug at a
	 * taken name or address; nor a hotplug the kernel would make wait
	 * (a removal holds the rescan lock), nor one naming an
	 * fd closed or never bound (the guest's numbers differ) */
	if (!st || stmt_names_removed(run_session_runner(rs), st) ||
	    stmt_declares_taken(run_session_runner(rs), st) ||
	    stmt_hotplug_waits(run_session_runner(rs), st) ||
	    stmt_names_unusable_fd(run_session_runner(rs), st)) {
		p->invalid = true;
		return false;
	}
	sr = run_session_step(rs, st);
	explore_probe_step(p, sr);
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
struct run_session *explore_replay_to(struct search *s, struct node *n,
				      const char *profile, struct probe *p)
{
	struct run_opts ro = { .profile = profile,
			       .no_changes = true,
			       .quiet = true,
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

u64 explore_session_key(struct search *s, struct run_session *rs)
{
	struct probe k = { 0 };

	probe_state(&k, rs, false, s->symmetric);
	return k.key;
}

/* ---- sessions kept along the path ---- */

/* Keep @rs (at @n's state, key @key) as profile @i's session at @n's
 * depth, in place of the one kept there before. */
void explore_path_keep(struct search *s, int i, struct node *n,
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

void explore_path_clear(struct search *s, int i)
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
	g_autofree char *why = NULL;
	struct run_session *cp = run_session_copy_why(rs, &why);

	if (cp) {
		s->st->copies++;
	} else if (!s->st->copy_refused++ && why) {
		g_strlcpy(s->st->copy_refused_why, why,
			  sizeof(s->st->copy_refused_why));
	}
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
		explore_path_keep(s, i, path[k], rs,
				  explore_session_key(s, rs));
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
void explore_warm_reset(struct search *s, struct node *at)
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
	return explore_session_key(s, rs);
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
		explore_warm_reset(s, n->parent);
	rs = copy_to(s, n->parent, i, p);
	if (!rs)
		rs = explore_replay_to(s, n->parent,
				       i ? s->o->vs : s->o->profile, p);
	*clean = !p->failed && !p->invalid;
	if (*clean && !p->ub)
		s->warm.key[i] = parent_key(s, n->parent, i, rs);
	return rs;
}

/* A step the runner called undefined behaviour (a freed or never bound
 * handle, a NULL the kernel would dereference) is refused before the
 * model changes (run.c undefined()): the session is still at its
 * parent's state when its key says so, as after a refused step. */
static bool ub_left_alone(struct search *s, int i, struct run_session *rs,
			  const struct probe *p)
{
	return p->ub && !p->invalid &&
	       explore_session_key(s, rs) == s->warm.key[i];
}

/* Run @n's path under profile @i: the one way a state is produced. A
 * child that ran cleanly is kept as its depth's session (the random
 * walk's next parent; in the search, freed when a sibling replaces it). */
void explore_reach(struct search *s, struct node *n, int i, struct probe *p)
{
	bool clean, refused = false, ran = false;
	struct run_session *rs = parent_session(s, n, i, p, &clean);

	if (!p->ub && !p->invalid)
		ran = step_node(s, rs, n, p, &refused);
	if (!p->ub && !p->invalid)
		probe_state(p, rs, s->o->vs != NULL, s->symmetric);
	if (clean && (!ran || (refused && p->key == s->warm.key[i]) ||
		      ub_left_alone(s, i, rs, p)))
		s->warm.rs[i] = rs;
	else if (clean && !p->ub && !p->invalid && !p->failed)
		explore_path_keep(s, i, n, rs, p->key);
	else
		run_session_free(rs);
}
