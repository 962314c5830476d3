/* SPDX-License-Identifier: MIT */
/*
 * fork_server.h - the owner's server (fork.c) and its keeper
 * (fork_keeper.c, the fork of it that serves on once the owner exits or
 * exec()s) share the processes served and the server's fds. Only the
 * shim's own code sees these (exports.map keeps them local).
 */
#ifndef IOMMUSIM_PRELOAD_FORK_SERVER_H
#define IOMMUSIM_PRELOAD_FORK_SERVER_H

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "preload.h"

/* a forked process the owner serves */
struct conn {
	int sock;
	pid_t pid; /* 0 until its HELLO */
	struct shim_proc proc;
};

extern GPtrArray *fork_conns; /* struct conn * */
extern int fork_wake_fd;      /* eventfd: @fork_conns changed, poll again */
/* the tree's rendezvous socket (rendezvous.c): processes joining; -1 */
extern int fork_listen_fd;
/* the process serving @fork_conns (not a child's copy of them) */
extern pid_t fork_server_pid;
/* the owner is exiting: its keeper serves @fork_conns, its thread stops */
extern bool fork_handed_off;
/* a keeper is being forked: the atfork handlers leave it alone */
extern bool fork_keeping;

/* fork.c */
void fork_conn_switch_back(void);
/* joining processes waiting at the rendezvous become conns */
void fork_accept_joins(void);
/* a served process's files close and its model process exits */
void fork_proc_exit(struct shim_proc *p);
/* one poll of the conns and what it made ready served: false when the
 * last is gone */
bool fork_serve_round(void);

#endif
