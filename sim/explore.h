/* SPDX-License-Identifier: MIT */
/*
 * explore.h - searching every sequence of operations on a machine
 * (docs/explore.md). The engine knows no verb: it reads the operation
 * table (op.h) for each verb's arguments and their types, derives the
 * values each can take on the machine a scenario file declares, and runs
 * the sequences breadth first through the runner (run.h), deduplicating
 * by the model's state hash (model/state.h). A finding is a broken kernel
 * invariant (as the runner judges it) or, with a second profile, the
 * first step where the two profiles' results or states differ.
 */
#ifndef IOMMUSIM_SIM_EXPLORE_H
#define IOMMUSIM_SIM_EXPLORE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct explore_opts {
	const char *path; /* the scenario file: the machine and a prefix */
	const char *text; /* its text */
	const char *profile;
	const char *vs;	     /* a second profile in lock-step, or NULL */
	char **ops;	     /* the verbs to sequence, NULL-terminated */
	int depth;	     /* sequences up to this many steps */
	uint64_t max_states; /* stop after this many states; 0: no limit */
	double max_seconds;  /* stop after this long (wall); 0: no limit */
	/* count each state once in the visited set, not once per
	 * permutation of interchangeable devices
	 * (iommu_state_hash_symmetric()) */
	bool no_symmetry;
	bool cpu_clock; /* max_seconds counts this process's CPU time
			      * (a bench on a shared host) */
	/* reach every state by replaying its path from FILE, never by a
	 * copy (run_session_copy()): the search is the same, only slower
	 * (a bench's before, a test's check that copies change nothing) */
	bool no_copy;
	/* go on past a finding until this many distinct ones (a finding's
	 * state is not expanded); 0 or 1: stop at the first */
	unsigned int max_findings;
	/* a random walk of @steps steps instead of the search, each step a
	 * statement drawn with a GRand seeded with @seed; a finding is
	 * shrunk one step at a time */
	bool random;
	uint64_t steps, seed;
	/* --random: each step draws a verb first (uniformly among those
	 * with a statement left to try), then one of its statements, so a
	 * verb of many argument combinations (VFIO_DEVICE_SET_IRQS) does
	 * not crowd out one of few (vfio_close); default: uniformly among
	 * all the statements */
	bool by_verb;
	/* --shard K/N: of the states first reached at depth @shard_depth,
	 * only those whose key is K modulo N are expanded: N processes
	 * cover the space, the union of their visited sets is the whole */
	unsigned int shard_k, shard_n, shard_depth;
	/* when set: the search's record (explore_record.c): every state
	 * with its depth and transitions, every finding with its signature
	 * and scenario, what explore_merge() combines */
	GString *record_out;
	/* when set, --random: the walk as a scenario, every step with the
	 * outcome this run got (per profile where they differ), before any
	 * finding is shrunk: what `iommusim crosscheck` holds against the
	 * real kernel */
	GString *walk_out;
	/* progress and notes (verbs skipped and why); NULL: silent */
	void (*note)(void *data, const char *msg);
	void *note_data;
};

struct explore_stats {
	uint64_t states;      /* distinct states, the prefix's included */
	uint64_t transitions; /* steps run from an expanded state */
	uint64_t pruned;      /* steps the runner refused (UB, invalid) */
	uint64_t replayed;    /* statements run to reach states */
	uint64_t copies;      /* states copied (run_session_copy()) */
	/* states the copy did not reach (replayed instead), and why the
	 * first of them was not copied (run_session_copy_why()) */
	uint64_t copy_refused;
	char copy_refused_why[128];
	uint64_t findings; /* distinct findings kept */
	/* states where a device had unsafe reach (no IOMMU translates it,
	 * userspace holds it, the kernel tainted): flagged, not findings */
	uint64_t unsafe_states;
	/* states where an invariant or isolation broke after an in-kernel
	 * caller changed a group VFIO or iommufd owns (the caller's breach,
	 * runner.trespass_since): flagged, not findings */
	uint64_t caller_broken_states;
	uint64_t seen_bytes; /* the visited set's memory */
	uint64_t peak_nodes; /* path nodes held at once, at most */
	/* the most heap the search held at once beyond what the process
	 * held before it (glibc's mallinfo2(), sampled per 256 states
	 * expanded): the visited set, the path nodes, the kept sessions;
	 * 0 where the C library cannot say */
	uint64_t heap_bytes;
	int depth_reached;
	double seconds;	    /* wall clock */
	double cpu_seconds; /* this process's CPU time (a shared host) */
};

/* A shortest sequence that found something, as scenario lines; a list
 * in the order found (breadth first: shortest first). */
struct explore_finding {
	char *kind;	 /* "invariant", "isolation", "result" or "state" */
	char *detail;	 /* what broke or differed */
	char *signature; /* what makes two findings one (explore.c) */
	int length;	 /* generated steps */
	char *scenario;	 /* a scenario file `iommusim run` replays */
	struct explore_finding *next; /* the next distinct one found */
};

/* 0 (with *found NULL when nothing was found), or -EINVAL with @err on
 * bad input (unknown verb, a prefix that fails, an unknown profile). */
int explore_run(const struct explore_opts *o, struct explore_stats *st,
		struct explore_finding **found, GError **err);
/* Frees @f and the findings after it. */
void explore_finding_free(struct explore_finding *f);

/* A record file (--record) read by explore_merge(). */
struct explore_record_file {
	const char *path;
	const char *text;
};

/* What explore_merge() makes of N shards' records. */
struct explore_merged {
	/* the counts over the union, as one unsharded search counts them:
	 * states, transitions, pruned, findings, depth_reached (each state
	 * taken once, from a shard that reached it at its least depth) */
	struct explore_stats st;
	/* the work the shards did, summed: transitions, pruned, replayed,
	 * copies, cpu_seconds (the levels above the shard depth run in
	 * every shard, states below it reached by two shards twice) */
	struct explore_stats work;
	unsigned int shards;
	/* the first shard that stopped early, and why (--max-states,
	 * --max-seconds, --findings): the union is then not the search's
	 * whole space; NULL when every shard ran to its depth */
	char *stopped;
};

/* Merge @n records of one search's shards (each shard exactly once):
 * the findings deduplicated by signature, the shortest of each kept
 * (ties: the least scenario text, so the order of @files does not
 * matter), shortest first, then by signature. 0, or -EINVAL with @err
 * (path:line:col) on a file that is not a record, is truncated, is of
 * another search, or repeats or misses a shard. */
int explore_merge(const struct explore_record_file *files, int n,
		  struct explore_merged *m, struct explore_finding **found,
		  GError **err);
void explore_merged_clear(struct explore_merged *m);

/* A state's key in the visited set: the model's hash, VFIO's
 * (vfio_state_hash(): groups, devices, files, containers) and the
 * iommufd side the runner holds (ifd_state_hash(): what its snapshot
 * shows, names and all); with @symmetric, the same up to a permutation
 * of interchangeable devices and without the handles' names
 * (explore_reach.c symmetric_key()). */
struct runner;
uint64_t explore_state_key(struct runner *r, bool symmetric);

#endif
