// SPDX-License-Identifier: MIT
/*
 * run_copy.c - a live session's copy (run_session_copy(), the explorer's
 * branch of a search state): the model's copy (iommu_copy_begin()), then
 * the runner's side over it (VFIO's files, the iommufd side) and the
 * handles, shared while each names the same object in the copy.
 */
#include "runner.h"

/* The handles: a domain's (id, serial) and an id's number name the same
 * object in the copy; a ctx, a bound device or a VFIO file is named by
 * the runner's own record of it, @objs' copy (0 for one the runner no
 * longer lists: no lookup finds it, in either). A handle type the copy
 * does not know refuses it. */
static GHashTable *handles_copy(GHashTable *from, GHashTable *objs, char **why)
{
	GHashTable *to = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       handle_free);
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		struct handle *h = g_memdup2(val, sizeof(struct handle));

		if (h->type == &ht_iommufd || h->type == &ht_idev ||
		    h->type == &ht_vfio_fd)
			h->ref.serial = (uintptr_t)copy_noted(
				objs, (void *)(uintptr_t)h->ref.serial);
		else if (h->type->ref && h->type != &ht_domain && !*why)
			*why = g_strdup_printf("a handle of type %s",
					       h->type->name);
		g_hash_table_insert(to, g_strdup(key), h);
	}
	return to;
}

static struct run_session *session_shell(const struct run_session *s)
{
	struct run_session *n = g_new0(struct run_session, 1);

	n->opts = s->opts;
	n->opts.keep_model = NULL; /* a copy hands nothing over */
	n->opts.keep_task = NULL;
	n->r = s->r;
	n->r.opts = &n->opts;
	n->r.step = NULL;
	n->r.nouts = 0;
	n->r.ifd = NULL;
	n->r.vfio = NULL;
	return n;
}

/* The runner's side, the model's copy begun: VFIO's files first (a
 * device VFIO bound is found through its file), then the iommufd side. */
static struct run_session *session_copy(const struct run_session *s,
					struct iommu_copy *c, char **why)
{
	struct run_session *n = session_shell(s);
	GHashTable *objs = NULL;

	vfio_sim_copy(&n->r, &s->r, c, &objs);
	ifd_copy(&n->r, &s->r, c, &objs);
	if (run_handles_shareable(s->r.handles)) {
		/* shared until one of the two binds: the original's flag is
		 * its runner's bookkeeping, not its state */
		n->r.handles = g_hash_table_ref(s->r.handles);
		n->r.handles_shared = true;
		((struct runner *)&s->r)->handles_shared = true;
	} else {
		n->r.handles = handles_copy(s->r.handles, objs, why);
		n->r.handles_shared = false;
	}
	if (objs)
		g_hash_table_destroy(objs);
	return n;
}

/* What a copy refused after the runner's side was made: its own records
 * go, the model's copy is iommu_copy_end()'s to free. */
static void session_discard(struct run_session *n)
{
	vfio_sim_discard(&n->r);
	ifd_discard(&n->r);
	g_hash_table_unref(n->r.handles);
	g_free(n);
}

struct run_session *run_session_copy_why(const struct run_session *s,
					 char **why)
{
	struct iommu_copy *c;
	struct run_session *n = NULL;
	char *sim_why = NULL;
	const char *proc_why = ifd_copy_refusal(&s->r);

	if (proc_why) { /* refused before anything is copied */
		if (why)
			*why = g_strdup(proc_why);
		return NULL;
	}
	c = iommu_copy_begin(s->r.m);

	if (!iommu_copy_refused(c))
		n = session_copy(s, c, &sim_why);
	if (n && sim_why)
		iommu_copy_refuse(c, sim_why);
	g_free(sim_why);
	if (n)
		n->r.m = iommu_copy_end(c, why);
	else
		iommu_copy_end(c, why);
	if (n && !n->r.m) {
		session_discard(n);
		n = NULL;
	}
	return n;
}

struct run_session *run_session_copy(const struct run_session *s)
{
	return run_session_copy_why(s, NULL);
}
